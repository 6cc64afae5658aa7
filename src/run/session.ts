import { performance } from 'node:perf_hooks';
import type { RegisteredCommand } from '../claims/subcommand.js';
import type { ClaimResult, PreparedClaim } from '../claims/types.js';
import { type Shard, runClaim, trialIndices } from './runner.js';
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
}

/** Trials tried per configuration while shrinking, and the time allowed per failed claim. */
const SHRINK_TRIALS = 20;
const SHRINK_BUDGET_MS = 3000;

/** Runs the claims one after the other, then shrinks the failures. */
export function runSession(sources: readonly ClaimSource[], options: SessionOptions): ClaimResult[] {
  const deadline = options.maxTimeSeconds === undefined ? undefined : performance.now() + options.maxTimeSeconds * 1000;
  const run = { seed: options.seed, trials: options.trials, trial: options.trial, shard: options.shard, deadline };
  const total = sources.reduce((sum, { claim }) => sum + trialIndices(claim, run).length, 0);
  let done = 0;
  const report = options.onProgress;
  const onTrial = report === undefined ? undefined : () => report(++done, total);
  return sources.map(({ claim, command, given }) => {
    const result = runClaim(claim, { ...run, onTrial });
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
  });
}
