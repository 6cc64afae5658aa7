import { performance } from 'node:perf_hooks';
import type { RegisteredCommand } from '../claims/subcommand.js';
import type { ClaimResult, PreparedClaim } from '../claims/types.js';
import { type Shard, runClaim, trialIndices } from './runner.js';
import { runClaimsInWorkers } from './pool.js';
import { shrinkFailure } from './shrink.js';

/** A claim to run, with the subcommand and option texts it came from (for shrinking). */
export interface ClaimSource {
  claim: PreparedClaim;
  command: RegisteredCommand;
  given: Readonly<Record<string, string | undefined>>;
}

export interface SessionOptions {
  seed: number;
  trials?: number;
  trial?: number;
  shard?: Shard;
  /** Stop drawing new trials after this many seconds (each claim still runs at least one). */
  maxTimeSeconds?: number;
  /** Look for the smallest failing configuration of each failed claim. */
  shrink: boolean;
  /** Told after every trial how many of the run's trials are done (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Threads to run trials on (--workers); 1 runs them in this thread. The results are the same. */
  workers?: number;
}

/** Trials tried per configuration while shrinking, and the time allowed per failed claim. */
const SHRINK_TRIALS = 20;
const SHRINK_BUDGET_MS = 3000;

/** A failed claim's result with the smallest failing configuration attached (when shrinking applies). */
function shrinkIfFailed({ claim, command, given }: ClaimSource, result: ClaimResult, options: SessionOptions): ClaimResult {
  if (!options.shrink || result.verdict !== 'fail' || options.trial !== undefined) return result;
  const shrunk = shrinkFailure({
    command,
    given,
    claimId: claim.id,
    seed: options.seed,
    trials: Math.min(options.trials ?? claim.trials, SHRINK_TRIALS),
    budgetMs: SHRINK_BUDGET_MS,
  });
  return { ...result, shrunk };
}

function planRun(sources: readonly ClaimSource[], options: SessionOptions) {
  const deadline = options.maxTimeSeconds === undefined ? undefined : performance.now() + options.maxTimeSeconds * 1000;
  const run = { seed: options.seed, trials: options.trials, trial: options.trial, shard: options.shard, deadline };
  const total = sources.reduce((sum, { claim }) => sum + trialIndices(claim, run).length, 0);
  let done = 0;
  const report = options.onProgress;
  const onTrial = report === undefined ? undefined : () => report(++done, total);
  return { run, onTrial };
}

/** Runs the claims one after the other, then shrinks the failures. */
export function runSession(sources: readonly ClaimSource[], options: SessionOptions): ClaimResult[] {
  const { run, onTrial } = planRun(sources, options);
  return sources.map((source) => shrinkIfFailed(source, runClaim(source.claim, { ...run, onTrial }), options));
}

/**
 * The same session with the trials spread over `options.workers` threads (see pool.ts): the
 * results equal runSession's. A replay (--trial) is one trial and runs here; shrinking, which
 * tries configurations one after the other, stays in this thread.
 */
export async function runSessionInParallel(sources: readonly ClaimSource[], options: SessionOptions): Promise<ClaimResult[]> {
  const workers = options.workers ?? 1;
  if (workers <= 1 || options.trial !== undefined) return runSession(sources, options);
  const { run, onTrial } = planRun(sources, options);
  const results = await runClaimsInWorkers(sources, run, workers, onTrial);
  return results.map((result, k) => shrinkIfFailed(sources[k] as ClaimSource, result, options));
}
