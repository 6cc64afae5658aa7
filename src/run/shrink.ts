import { performance } from 'node:perf_hooks';
import type { RegisteredCommand } from '../claims/subcommand.js';
import type { Failure, Shrunk } from '../claims/types.js';
import { UsageError } from '../options.js';
import { runClaim } from './runner.js';

export interface ShrinkRequest {
  command: RegisteredCommand;
  /** The option texts of the failing run. */
  given: Readonly<Record<string, string | undefined>>;
  claimId: string;
  seed: number;
  /** Trials tried for each smaller configuration (the earliest failing one is kept). */
  trials: number;
  /** Stop trying new configurations after this many milliseconds. */
  budgetMs: number;
}

/** Smaller values to try for a size, smallest first: the minimum and a few above it, then fractions. */
function candidates(current: number, smallest: number): number[] {
  const values = new Set<number>();
  for (let v = smallest; v < Math.min(current, smallest + 4); v++) values.add(v);
  for (const fraction of [8, 4, 2]) values.add(Math.floor(current / fraction));
  values.add(current - 1);
  return [...values].filter((v) => v >= smallest && v < current).sort((a, b) => a - b);
}

/**
 * Looks for the smallest failing configuration of a claim, the way property-based testing
 * tools shrink a counterexample: each size option in turn is lowered to the smallest value
 * at which some early trial still fails, until no size can be lowered or the budget is spent.
 */
export function shrinkFailure(request: ShrinkRequest): Shrunk | null {
  const started = performance.now();
  const sizes = request.command.options.filter((spec) => spec.shrinkTo !== undefined);
  const current: Record<string, string | undefined> = { ...request.given };
  let best: Failure | null = null;
  let attempts = 0;
  const failing = (given: Record<string, string | undefined>): Failure | null => {
    attempts++;
    let claims;
    try {
      claims = request.command.prepare(given).claims;
    } catch (error) {
      // A combination the subcommand refuses (say, a size below another's minimum) is skipped.
      if (error instanceof UsageError) return null;
      throw error;
    }
    const claim = claims.find((c) => c.id === request.claimId);
    if (claim === undefined) return null;
    const result = runClaim(claim, { seed: request.seed, trials: request.trials });
    return result.verdict === 'fail' ? result.failure : null;
  };
  let changed = true;
  while (changed && performance.now() - started < request.budgetMs) {
    changed = false;
    for (const spec of sizes) {
      const resolved = Number(request.command.prepare(current).params[spec.key]);
      for (const value of candidates(resolved, spec.shrinkTo ?? resolved)) {
        if (performance.now() - started >= request.budgetMs) break;
        const trial = { ...current, [spec.key]: String(value) };
        const failure = failing(trial);
        if (failure !== null) {
          current[spec.key] = String(value);
          best = failure;
          changed = true;
          break;
        }
      }
    }
  }
  if (best === null) return null;
  const args = request.command.prepare(current).claims.find((c) => c.id === request.claimId)?.replayArgs ?? [];
  return { args: [...args], failure: best, attempts };
}
