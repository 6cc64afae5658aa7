import type { Rng } from '../num/random.js';

export type Verdict = 'hold' | 'fail' | 'error';

/**
 * identity: two routes must agree within tolerance.
 * bound:    lhs ≤ rhs (within tolerance); lhs/rhs is the bound's tightness.
 * witness:  a strict inequality that a constructed example must satisfy (no tolerance);
 *           it shows that something can happen, so it does not count towards tightness.
 */
export type CheckKind = 'identity' | 'bound' | 'witness';

/** One comparison made inside a trial. Plain data; `checkPasses` decides it. */
export interface Check {
  /** Stable across trials: results are aggregated by name. */
  name: string;
  kind: CheckKind;
  /** Where inside the trial, e.g. "tight case, t=3". */
  at: string;
  lhs: number;
  rhs: number;
  /** identity: |lhs − rhs|; bound and witness: max(0, lhs − rhs). */
  error: number;
  /** The error tolerated (0 for a witness). */
  allowed: number;
}

/** A number worth showing next to a verdict (a witness's size, a measured rate…). */
export interface Figure {
  key: string;
  label: string;
  value: number | string | null;
}

/** JSON-ready data: what a trial records of its inputs for `--dump`. */
export type InputValue = number | string | boolean | null | readonly InputValue[] | { readonly [key: string]: InputValue };

/**
 * How an axis maps values: a log axis cannot show values ≤ 0; symlog maps x to
 * sign(x)·log10(1 + |x|), a log scale that also shows 0 (training steps from t = 0).
 */
export type AxisScale = 'linear' | 'log' | 'symlog';

export interface PlotAxis {
  label: string;
  scale: AxisScale;
}

/**
 * measured:  computed by the trial (a norm, a Monte-Carlo mean, f̂ by its definition);
 * claimed:   what the homework states, from the formula under test (δ^t, μ(1−β^t), C·ε³);
 * reference: a guide to read the others by (μ itself, the level f(x₀)).
 */
export type SeriesRole = 'measured' | 'claimed' | 'reference';

/** One curve: y[i] at x[i]; null where the value is not finite (drawn as a gap). */
export interface PlotSeries {
  label: string;
  role: SeriesRole;
  x: number[];
  y: (number | null)[];
}

/**
 * The picture of a claim: plain data that the terminal and HTML reporters draw.
 * `markers` are vertical lines (ε*, the end of an interval); `band` shades an x interval.
 */
export interface Plot {
  /** Stable across trials, like a figure's key. */
  key: string;
  title: string;
  x: PlotAxis;
  y: PlotAxis;
  series: PlotSeries[];
  markers?: { x: number; label: string }[];
  band?: { from: number; to: number; label: string };
  /** One sentence on what to see, e.g. why a series has a gap. */
  caption?: string;
}

export interface TrialOutcome {
  checks: Check[];
  figures?: Figure[];
  /** The trial's plots; a function, so that only the example trial pays for them. */
  plots?: () => Plot[];
  /**
   * The trial's full inputs (matrices as arrays of rows), so that another tool can recompute
   * both sides of every check. A function, so that only `--dump` pays for the conversion.
   */
  inputs?: () => Record<string, InputValue>;
}

/** Why a claim did not hold. Codes are stable; wording lives in the reporters. */
export type FailureCode = 'identity-mismatch' | 'bound-exceeded' | 'witness-missing' | 'non-finite' | 'exception' | 'no-checks';

/**
 * A claim of the homework, ready to run: the subcommand layer has already bound its
 * validated parameters, so `trial` needs nothing but a seeded generator.
 */
export interface PreparedClaim {
  id: string;
  command: string;
  title: string;
  /** Equation numbers of the written answer that the claim covers. */
  equations: readonly number[];
  /** The trial count the run uses when the user gives none. */
  trials: number;
  /** Pure: the same generator state gives the same outcome. */
  trial(rng: Rng): TrialOutcome;
  /** The command line (without --seed and --trial) that reproduces this claim's run. */
  replayArgs: readonly string[];
}

export interface CheckLocation {
  trial: number;
  check: string;
  kind: CheckKind;
  at: string;
  lhs: number | null;
  rhs: number | null;
  error: number | null;
  allowed: number | null;
  ratio: number | null;
}

export interface CheckSummary {
  name: string;
  kind: CheckKind;
  /** How many comparisons of this name were made, over all trials. */
  count: number;
  failed: number;
  worstRatio: number | null;
  worst: CheckLocation | null;
  /** Bounds only: the largest lhs/rhs seen. */
  tightness: number | null;
  tightest: CheckLocation | null;
}

export interface Failure {
  code: FailureCode;
  trial: number;
  seed: string;
  message: string;
  check: CheckLocation | null;
  replay: string;
}

export interface ClaimResult {
  id: string;
  command: string;
  title: string;
  equations: readonly number[];
  verdict: Verdict;
  trials: number;
  /** Largest error/allowed over every check of every trial (≤ 1 when the claim holds). */
  worstRatio: number | null;
  /** Largest lhs/rhs over every bound check (null when the claim has no bound). */
  tightness: number | null;
  checks: CheckSummary[];
  /** The first failing trial, if any. */
  failure: Failure | null;
  /** The figures (and plots) of the first trial run, so a reader sees concrete numbers. */
  example: { trial: number; figures: Figure[]; plots?: Plot[] } | null;
  /** Replays the failing trial, or else the trial with the worst ratio. */
  replay: string;
  /** The options of this run that differ from the subcommand's defaults, as command-line words. */
  args: readonly string[];
  /** Trials the run meant to make; more than `trials` when --max-time stopped it early. */
  plannedTrials: number;
  /** The smallest failing configuration found by shrinking a failure (null when not shrunk). */
  shrunk: Shrunk | null;
  ms: number;
}

export interface Shrunk {
  /** The options of the smaller configuration, as command-line words. */
  args: string[];
  failure: Failure;
  /** Configurations tried while shrinking. */
  attempts: number;
}
