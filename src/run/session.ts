import { performance } from 'node:perf_hooks';
import type { RegisteredCommand } from '../claims/subcommand.js';
import type { ClaimResult, PreparedClaim } from '../claims/types.js';
import { type Shard, mergeClaimResults, runClaim, trialIndices } from './runner.js';
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
  /**
   * Stops the run between trials (Ctrl-C): the claims keep the trials that finished, claims not
   * started are left out, and nothing is shrunk.
   */
  signal?: AbortSignal;
}

/** Trials tried per configuration while shrinking, and the time allowed per failed claim. */
const SHRINK_TRIALS = 20;
const SHRINK_BUDGET_MS = 3000;

/** A failed claim's result with the smallest failing configuration attached (when shrinking applies). */
function shrinkIfFailed({ claim, command, given }: ClaimSource, result: ClaimResult, options: SessionOptions): ClaimResult {
  if (!options.shrink || result.verdict !== 'fail' || options.trial !== undefined || options.signal?.aborted === true) return result;
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

/** A slice of trials runs at least this long before the thread looks at its signals again (unless it is the last). */
const SLICE_MS = 25;
const MAX_SLICE = 4096;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The session in this thread, in slices of trials (growing while a slice takes less than
 * SLICE_MS) with the event loop let in between, so that Ctrl-C is heard mid-run. The slices of a
 * claim are merged with the fold that merges shards, which gives what one runClaim over all its
 * trials gives (ties go to the earliest trial in both).
 */
async function runCooperatively(sources: readonly ClaimSource[], options: SessionOptions): Promise<ClaimResult[]> {
  const { run, onTrial } = planRun(sources, options);
  const aborted = () => options.signal?.aborted === true;
  const results: ClaimResult[] = [];
  for (const source of sources) {
    if (aborted()) break;
    const indices = trialIndices(source.claim, run);
    if (indices.length === 0) {
      results.push(runClaim(source.claim, { seed: run.seed, indices }));
      continue;
    }
    const parts: ClaimResult[] = [];
    let size = 1;
    for (let start = 0; start < indices.length && !aborted(); ) {
      // --max-time: a claim always runs its first trial, and no new slice after the deadline.
      if (start > 0 && run.deadline !== undefined && performance.now() > run.deadline) break;
      const slice = indices.slice(start, start + size);
      const began = performance.now();
      parts.push(runClaim(source.claim, { seed: run.seed, indices: slice, deadline: run.deadline, onTrial, plots: start === 0 }));
      start += slice.length;
      if (performance.now() - began < SLICE_MS) size = Math.min(2 * size, MAX_SLICE);
      await yieldToEventLoop();
    }
    if (parts.length > 0) results.push(shrinkIfFailed(source, { ...mergeClaimResults(parts, run.seed), plannedTrials: indices.length }, options));
  }
  return results;
}

/**
 * The session with the trials spread over `options.workers` threads (see pool.ts), or in this
 * thread in slices: either way the results equal runSession's. A replay (--trial) is one trial
 * and runs at once; shrinking, which tries configurations one after the other, stays in this thread.
 */
export async function runSessionInParallel(sources: readonly ClaimSource[], options: SessionOptions): Promise<ClaimResult[]> {
  const workers = options.workers ?? 1;
  if (options.trial !== undefined) return runSession(sources, options);
  if (workers <= 1) return runCooperatively(sources, options);
  const { run, onTrial } = planRun(sources, options);
  const results = await runClaimsInWorkers(sources, run, workers, onTrial, options.signal);
  return results.map((result) => {
    const source = sources.find(({ claim }) => claim.id === result.id && claim.command === result.command);
    return source === undefined ? result : shrinkIfFailed(source, result, options);
  });
}
