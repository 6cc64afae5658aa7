import { performance } from 'node:perf_hooks';
import { checkPasses, checkRatio, checkTightness } from '../claims/checks.js';
import type {
  Check,
  CheckLocation,
  CheckSummary,
  ClaimResult,
  Failure,
  FailureCode,
  Figure,
  InputValue,
  PreparedClaim,
  TrialOutcome,
  Verdict,
} from '../claims/types.js';
import { createRng, trialSeed } from '../num/random.js';

/** Shard `index` of `count` (1-based) runs the trials k with k mod count = index − 1. */
export interface Shard {
  index: number;
  count: number;
}

export interface RunOptions {
  seed: number;
  /** How many trials to run; the claim's own default when undefined. */
  trials?: number;
  /** Replay this one trial alone instead of running trials 0…trials−1. */
  trial?: number;
  shard?: Shard;
  /** performance.now() value after which no new trial starts (--max-time). */
  deadline?: number;
  /** Run exactly these trials, in this order: a worker's share of a run (see pool.ts). */
  indices?: readonly number[];
  /** Called after each trial (for a progress bar): the runner itself never prints. */
  onTrial?: () => void;
  /**
   * Compute the example trial's plot series (default true). A run split into slices or chunks
   * needs them only from its first part, whose example the merge keeps.
   */
  plots?: boolean;
}

/** The shell command that replays one trial of a claim. */
export function replayCommand(claim: PreparedClaim, seed: number, trial: number): string {
  return ['hwcheck', claim.command, ...claim.replayArgs, '--seed', String(seed), '--only', claim.id, '--trial', String(trial)].join(' ');
}

/** Runs one trial of a claim with the generator derived from (run seed, claim id, trial index). */
export function runTrial(claim: PreparedClaim, seed: number, trial: number): TrialOutcome {
  return claim.trial(createRng(trialSeed(seed, claim.id, trial)));
}

/** The trial indices a run covers: 0…trials−1, restricted to a shard, or one replayed trial. */
export function trialIndices(claim: PreparedClaim, options: RunOptions): number[] {
  if (options.trial !== undefined) return [options.trial];
  if (options.indices !== undefined) return [...options.indices];
  const all = Array.from({ length: options.trials ?? claim.trials }, (_, k) => k);
  const shard = options.shard;
  return shard === undefined ? all : all.filter((k) => k % shard.count === shard.index - 1);
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function locate(trial: number, check: Check): CheckLocation {
  const ratio = checkRatio(check);
  return {
    trial,
    check: check.name,
    kind: check.kind,
    at: check.at,
    lhs: finiteOrNull(check.lhs),
    rhs: finiteOrNull(check.rhs),
    error: finiteOrNull(check.error),
    allowed: finiteOrNull(check.allowed),
    ratio: finiteOrNull(ratio),
  };
}

function failureCode(check: Check): FailureCode {
  if (!Number.isFinite(check.lhs) || !Number.isFinite(check.rhs) || Number.isNaN(check.error)) return 'non-finite';
  if (check.kind === 'identity') return 'identity-mismatch';
  if (check.kind === 'bound') return 'bound-exceeded';
  return 'witness-missing';
}

function failureMessage(code: FailureCode, check: Check): string {
  switch (code) {
    case 'non-finite':
      return `${check.name} (${check.at}): a non-finite value (lhs ${check.lhs}, rhs ${check.rhs})`;
    case 'identity-mismatch':
      return `${check.name} (${check.at}): ${check.lhs} ≠ ${check.rhs}, error ${check.error} > allowed ${check.allowed}`;
    case 'bound-exceeded':
      return `${check.name} (${check.at}): ${check.lhs} > ${check.rhs}, excess ${check.error} > allowed ${check.allowed}`;
    case 'witness-missing':
      return `${check.name} (${check.at}): expected ${check.lhs} < ${check.rhs}`;
    case 'exception':
    case 'no-checks':
      return check.name;
  }
}

/** A NaN or infinite ratio ranks above every number: it is the worst thing a check can report. */
function rank(ratio: number | null): number {
  return ratio === null || Number.isNaN(ratio) ? Number.POSITIVE_INFINITY : ratio;
}

interface Tally {
  summary: CheckSummary;
  worstRank: number;
  tightness: number;
}

function newTally(check: Check): Tally {
  return {
    summary: { name: check.name, kind: check.kind, count: 0, failed: 0, worstRatio: null, worst: null, tightness: null, tightest: null },
    worstRank: Number.NEGATIVE_INFINITY,
    tightness: Number.NEGATIVE_INFINITY,
  };
}

function makeFailure(claim: PreparedClaim, seed: number, trial: number, code: FailureCode, message: string, check: CheckLocation | null): Failure {
  return { code, trial, seed: trialSeed(seed, claim.id, trial), message, check, replay: replayCommand(claim, seed, trial) };
}

/**
 * Runs a claim's trials and folds them into one ClaimResult: the verdict, the worst
 * error ratio, the tightness of its bounds, the first failing trial and how to replay it.
 * Ties go to the earliest trial, so the result depends only on the claim, the seed and the
 * set of trial indices — never on their order, which is what lets shards merge exactly.
 */
export function runClaim(claim: PreparedClaim, options: RunOptions): ClaimResult {
  const started = performance.now();
  const indices = trialIndices(claim, options);
  const tallies = new Map<string, Tally>();
  let failure: Failure | null = null;
  let exception: Failure | null = null;
  let example: ClaimResult['example'] = null;
  let ran = 0;

  for (const trial of indices) {
    if (options.deadline !== undefined && ran > 0 && performance.now() > options.deadline) break;
    ran++;
    let outcome: TrialOutcome;
    try {
      outcome = runTrial(claim, options.seed, trial);
    } catch (error) {
      exception ??= makeFailure(claim, options.seed, trial, 'exception', error instanceof Error ? error.message : String(error), null);
      options.onTrial?.();
      continue;
    }
    options.onTrial?.();
    example ??= { trial, figures: outcome.figures ?? [], plots: options.plots === false ? [] : (outcome.plots?.() ?? []) };
    for (const check of outcome.checks) {
      const ratio = checkRatio(check);
      const tightness = checkTightness(check);
      let tally = tallies.get(check.name);
      if (tally === undefined) {
        tally = newTally(check);
        tallies.set(check.name, tally);
      }
      tally.summary.count++;
      if (rank(ratio) > tally.worstRank) {
        tally.worstRank = rank(ratio);
        tally.summary.worstRatio = finiteOrNull(ratio);
        tally.summary.worst = locate(trial, check);
      }
      if (tightness !== null && tightness > tally.tightness) {
        tally.tightness = tightness;
        tally.summary.tightness = tightness;
        tally.summary.tightest = locate(trial, check);
      }
      if (!checkPasses(check)) {
        tally.summary.failed++;
        const code = failureCode(check);
        // A non-finite value means the trial could not be evaluated: an error, not a counterexample.
        if (code === 'non-finite') exception ??= makeFailure(claim, options.seed, trial, code, failureMessage(code, check), locate(trial, check));
        else failure ??= makeFailure(claim, options.seed, trial, code, failureMessage(code, check), locate(trial, check));
      }
    }
  }
  const first = indices[0];
  if (tallies.size === 0 && exception === null && first !== undefined) {
    // A claim that compares nothing proves nothing: never report it as holding.
    exception = makeFailure(claim, options.seed, first, 'no-checks', 'the claim made no comparison', null);
  }
  return finish(claim, options.seed, {
    checks: [...tallies.values()].map((t) => t.summary),
    failure,
    exception,
    example,
    trials: ran,
    plannedTrials: indices.length,
    ms: performance.now() - started,
  });
}

interface Folded {
  checks: CheckSummary[];
  failure: Failure | null;
  exception: Failure | null;
  example: ClaimResult['example'];
  trials: number;
  plannedTrials: number;
  ms: number;
}

/** The claim-level figures derived from the per-check summaries. */
function finish(claim: Pick<PreparedClaim, 'id' | 'command' | 'title' | 'equations' | 'replayArgs'>, seed: number, folded: Folded): ClaimResult {
  const { checks, failure, exception } = folded;
  const verdict: Verdict = failure !== null ? 'fail' : exception !== null ? 'error' : 'hold';
  const ranks = checks.map((c) => (c.worst === null ? Number.NEGATIVE_INFINITY : rank(c.worstRatio)));
  const worstRank = ranks.length === 0 ? null : Math.max(...ranks);
  const tightnesses = checks.map((c) => c.tightness).filter((t): t is number => t !== null);
  // The earliest trial that attains the worst ratio.
  const worstTrial = Math.min(
    ...checks.filter((_, i) => ranks[i] === worstRank).map((c) => c.worst?.trial ?? Number.POSITIVE_INFINITY),
  );
  const shown = failure ?? exception;
  const replayTrial = Number.isFinite(worstTrial) ? worstTrial : (folded.example?.trial ?? 0);
  return {
    id: claim.id,
    command: claim.command,
    title: claim.title,
    equations: claim.equations,
    verdict,
    trials: folded.trials,
    worstRatio: worstRank !== null && Number.isFinite(worstRank) ? worstRank : null,
    tightness: tightnesses.length === 0 ? null : Math.max(...tightnesses),
    checks,
    failure: shown,
    example: folded.example,
    replay: shown?.replay ?? ['hwcheck', claim.command, ...claim.replayArgs, '--seed', String(seed), '--only', claim.id, '--trial', String(replayTrial)].join(' '),
    args: claim.replayArgs,
    plannedTrials: folded.plannedTrials,
    shrunk: null,
    ms: folded.ms,
  };
}

/** Earlier trial wins a tie; null loses to anything. */
function earlier<T extends { trial: number }>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.trial < a.trial ? b : a;
}

function mergeSummaries(a: CheckSummary, b: CheckSummary): CheckSummary {
  const rankA = a.worst === null ? Number.NEGATIVE_INFINITY : rank(a.worstRatio);
  const rankB = b.worst === null ? Number.NEGATIVE_INFINITY : rank(b.worstRatio);
  const worstFrom = rankA > rankB ? a : rankB > rankA ? b : (earlier(a.worst, b.worst) === a.worst ? a : b);
  const tA = a.tightness ?? Number.NEGATIVE_INFINITY;
  const tB = b.tightness ?? Number.NEGATIVE_INFINITY;
  const tightFrom = tA > tB ? a : tB > tA ? b : (earlier(a.tightest, b.tightest) === a.tightest ? a : b);
  return {
    name: a.name,
    kind: a.kind,
    count: a.count + b.count,
    failed: a.failed + b.failed,
    worstRatio: worstFrom.worstRatio,
    worst: worstFrom.worst,
    tightness: tightFrom.tightness,
    tightest: tightFrom.tightest,
  };
}

/**
 * Merges the results of one claim run on disjoint sets of trials (shards) into the result
 * a single run over their union gives. The parts must share the seed and the options.
 */
export function mergeClaimResults(parts: readonly ClaimResult[], seed: number): ClaimResult {
  const [head] = parts;
  if (head === undefined) throw new RangeError('mergeClaimResults: nothing to merge');
  const checks = new Map<string, CheckSummary>();
  let failure: Failure | null = null;
  let exception: Failure | null = null;
  let noChecks: Failure | null = null;
  let example: ClaimResult['example'] = null;
  for (const part of parts) {
    for (const summary of part.checks) {
      const known = checks.get(summary.name);
      checks.set(summary.name, known === undefined ? summary : mergeSummaries(known, summary));
    }
    if (part.failure !== null) {
      if (part.verdict === 'fail') failure = earlier(failure, part.failure);
      else if (part.failure.code === 'no-checks') noChecks = earlier(noChecks, part.failure);
      else exception = earlier(exception, part.failure);
    }
    example = earlier(example, part.example);
  }
  // Comparing nothing is an error only when no part compared anything.
  if (exception === null && checks.size === 0) exception = noChecks;
  return finish({ ...head, replayArgs: head.args }, seed, {
    checks: [...checks.values()],
    failure,
    exception,
    example,
    trials: parts.reduce((sum, p) => sum + p.trials, 0),
    plannedTrials: parts.reduce((sum, p) => sum + p.plannedTrials, 0),
    ms: parts.reduce((sum, p) => sum + p.ms, 0),
  });
}

/** Every check of one trial with both sides, and its recorded inputs: the --dump document. */
export interface TrialDump {
  claim: string;
  command: string;
  seed: number;
  trial: number;
  trialSeed: string;
  inputs: Record<string, InputValue> | null;
  checks: (CheckLocation & { passed: boolean })[];
  figures: Figure[];
}

export function dumpTrial(claim: PreparedClaim, seed: number, trial: number): TrialDump {
  const outcome = runTrial(claim, seed, trial);
  return {
    claim: claim.id,
    command: claim.command,
    seed,
    trial,
    trialSeed: trialSeed(seed, claim.id, trial),
    inputs: outcome.inputs?.() ?? null,
    checks: outcome.checks.map((check) => ({ ...locate(trial, check), passed: checkPasses(check) })),
    figures: outcome.figures ?? [],
  };
}
