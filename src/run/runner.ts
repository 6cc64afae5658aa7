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
  PreparedClaim,
  TrialOutcome,
  Verdict,
} from '../claims/types.js';
import { createRng, trialSeed } from '../num/random.js';

export interface RunOptions {
  seed: number;
  /** How many trials to run; the claim's own default when undefined. */
  trials?: number;
  /** Replay this one trial alone instead of running trials 0…trials−1. */
  trial?: number;
}

/** The shell command that replays one trial of a claim. */
export function replayCommand(claim: PreparedClaim, seed: number, trial: number): string {
  return ['hwcheck', claim.command, ...claim.replayArgs, '--seed', String(seed), '--only', claim.id, '--trial', String(trial)].join(' ');
}

/** Runs one trial of a claim with the generator derived from (run seed, claim id, trial index). */
export function runTrial(claim: PreparedClaim, seed: number, trial: number): TrialOutcome {
  return claim.trial(createRng(trialSeed(seed, claim.id, trial)));
}

function locate(trial: number, check: Check): CheckLocation {
  const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
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
    ratio: Number.isNaN(ratio) ? null : ratio === Number.POSITIVE_INFINITY ? null : ratio,
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

interface Tally {
  summary: CheckSummary;
  worstRatio: number;
  tightness: number;
}

/** A NaN ratio ranks above every number: it is the worst thing a check can report. */
function rank(ratio: number): number {
  return Number.isNaN(ratio) ? Number.POSITIVE_INFINITY : ratio;
}

/**
 * Runs a claim's trials and folds them into one ClaimResult: the verdict, the worst
 * error ratio, the tightness of its bounds, the first failing trial and how to replay it.
 * The result depends only on the claim, the seed and the trial indices, never on order.
 */
export function runClaim(claim: PreparedClaim, options: RunOptions): ClaimResult {
  const started = performance.now();
  const indices =
    options.trial !== undefined
      ? [options.trial]
      : Array.from({ length: options.trials ?? claim.trials }, (_, k) => k);
  const tallies = new Map<string, Tally>();
  let failure: Failure | null = null;
  let exception: Failure | null = null;
  let example: { trial: number; figures: Figure[] } | null = null;
  let worst: { ratio: number; trial: number } | null = null;

  for (const trial of indices) {
    let outcome: TrialOutcome;
    try {
      outcome = runTrial(claim, options.seed, trial);
    } catch (error) {
      exception ??= {
        code: 'exception',
        trial,
        seed: trialSeed(options.seed, claim.id, trial),
        message: error instanceof Error ? error.message : String(error),
        check: null,
        replay: replayCommand(claim, options.seed, trial),
      };
      continue;
    }
    example ??= { trial, figures: outcome.figures ?? [] };
    for (const check of outcome.checks) {
      const ratio = checkRatio(check);
      const tightness = checkTightness(check);
      let tally = tallies.get(check.name);
      if (tally === undefined) {
        tally = {
          summary: {
            name: check.name,
            kind: check.kind,
            count: 0,
            failed: 0,
            worstRatio: null,
            worst: null,
            tightness: null,
            tightest: null,
          },
          worstRatio: Number.NEGATIVE_INFINITY,
          tightness: Number.NEGATIVE_INFINITY,
        };
        tallies.set(check.name, tally);
      }
      tally.summary.count++;
      if (rank(ratio) > tally.worstRatio) {
        tally.worstRatio = rank(ratio);
        tally.summary.worstRatio = Number.isFinite(ratio) ? ratio : null;
        tally.summary.worst = locate(trial, check);
      }
      if (tightness !== null && tightness > tally.tightness) {
        tally.tightness = tightness;
        tally.summary.tightness = tightness;
        tally.summary.tightest = locate(trial, check);
      }
      if (worst === null || rank(ratio) > worst.ratio) worst = { ratio: rank(ratio), trial };
      if (!checkPasses(check)) {
        tally.summary.failed++;
        const code = failureCode(check);
        // A non-finite value means the trial could not be evaluated: an error, not a counterexample.
        if (code === 'non-finite' ? exception === null : failure === null) {
          const found: Failure = {
            code,
            trial,
            seed: trialSeed(options.seed, claim.id, trial),
            message: failureMessage(code, check),
            check: locate(trial, check),
            replay: replayCommand(claim, options.seed, trial),
          };
          if (code === 'non-finite') exception = found;
          else failure = found;
        }
      }
    }
  }

  const summaries = [...tallies.values()];
  if (summaries.length === 0 && exception === null && indices.length > 0) {
    // A claim that compares nothing proves nothing: never report it as holding.
    exception = {
      code: 'no-checks',
      trial: indices[0] ?? 0,
      seed: trialSeed(options.seed, claim.id, indices[0] ?? 0),
      message: 'the claim made no comparison',
      check: null,
      replay: replayCommand(claim, options.seed, indices[0] ?? 0),
    };
  }
  const verdict: Verdict = failure !== null ? 'fail' : exception !== null ? 'error' : 'hold';
  const worstRatios = summaries.map((t) => t.worstRatio);
  const tightnesses = summaries.map((t) => t.summary.tightness).filter((t): t is number => t !== null);
  const worstRatio = worstRatios.length === 0 ? null : Math.max(...worstRatios);
  const shown = failure ?? exception;
  return {
    id: claim.id,
    command: claim.command,
    title: claim.title,
    equations: claim.equations,
    verdict,
    trials: indices.length,
    worstRatio: worstRatio !== null && Number.isFinite(worstRatio) ? worstRatio : null,
    tightness: tightnesses.length === 0 ? null : Math.max(...tightnesses),
    checks: summaries.map((t) => t.summary),
    failure: shown,
    example,
    replay: shown?.replay ?? replayCommand(claim, options.seed, worst?.trial ?? indices[0] ?? 0),
    ms: performance.now() - started,
  };
}
