import { describe, expect, it } from 'vitest';
import { boundCheck, identityCheck, witnessCheck } from '../../src/claims/checks.js';
import type { PreparedClaim, TrialOutcome } from '../../src/claims/types.js';
import type { Rng } from '../../src/num/random.js';
import { replayCommand, runClaim, runTrial } from '../../src/run/runner.js';

const tol = { rtol: 1e-9, atol: 0 };

function claim(trial: (rng: Rng) => TrialOutcome, trials = 10): PreparedClaim {
  return { id: '9.1', command: 'demo', title: 'a demonstration claim', equations: [], trials, trial, replayArgs: ['--dim', '3'] };
}

/** x² = x·x on random x, and x² ≤ 1 for x in [0, 1): a bound attained as x → 1. */
const squares = claim((rng) => {
  const x = rng.uniform();
  return {
    checks: [identityCheck('x² = x·x', 'random x', x ** 2, x * x, tol), boundCheck('x² ≤ 1', 'random x', x ** 2, 1, tol)],
    figures: [{ key: 'x', label: 'x', value: x }],
  };
});

describe('runner', () => {
  it('a claim whose checks all pass holds, with the tightness of its bound', () => {
    const result = runClaim(squares, { seed: 1 });
    expect(result.verdict).toBe('hold');
    expect(result.trials).toBe(10);
    expect(result.worstRatio).toBe(0);
    expect(result.failure).toBeNull();
    const xs = Array.from({ length: 10 }, (_, k) => runTrial(squares, 1, k).figures?.[0]?.value as number);
    expect(result.tightness).toBe(Math.max(...xs.map((x) => x ** 2)));
  });

  it('derives each trial from (seed, claim id, trial index), so runs repeat exactly', () => {
    const a = runClaim(squares, { seed: 42 });
    const b = runClaim(squares, { seed: 42 });
    const { ms: _a, ...restA } = a;
    const { ms: _b, ...restB } = b;
    expect(restA).toEqual(restB);
    expect(runClaim(squares, { seed: 43 }).tightness).not.toBe(a.tightness);
  });

  it('--trial K replays exactly trial K of a full run', () => {
    const full = runClaim(squares, { seed: 5, trials: 20 });
    const tightest = full.checks.find((c) => c.name === 'x² ≤ 1')?.tightest;
    expect(tightest).toBeDefined();
    const replayed = runClaim(squares, { seed: 5, trial: tightest?.trial ?? -1 });
    expect(replayed.trials).toBe(1);
    expect(replayed.tightness).toBe(full.tightness);
    expect(replayed.example?.trial).toBe(tightest?.trial);
  });

  it('keeps the first failing trial as the counterexample and says how to replay it', () => {
    const failsAboveHalf = claim((rng) => {
      const x = rng.uniform();
      return { checks: [boundCheck('x ≤ 0.5', 'random x', x, 0.5, tol)] };
    }, 30);
    const result = runClaim(failsAboveHalf, { seed: 3 });
    expect(result.verdict).toBe('fail');
    const first = Array.from({ length: 30 }, (_, k) => k).find((k) => (runTrial(failsAboveHalf, 3, k).checks[0]?.lhs ?? 0) > 0.5);
    expect(result.failure?.trial).toBe(first);
    expect(result.failure?.code).toBe('bound-exceeded');
    expect(result.failure?.replay).toBe(`hwcheck demo --dim 3 --seed 3 --only 9.1 --trial ${first}`);
    expect(result.replay).toBe(result.failure?.replay);
    expect(result.checks[0]?.failed).toBeGreaterThan(0);
  });

  it('a NaN inside a trial is an error, never a hold', () => {
    const nan = claim(() => ({ checks: [identityCheck('nan', 'here', Number.NaN, 1, tol)] }), 3);
    const result = runClaim(nan, { seed: 1 });
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('non-finite');
    expect(result.worstRatio).toBeNull();
  });

  it('an Infinity in a bound is an error, never a hold', () => {
    const inf = claim(() => ({ checks: [boundCheck('inf', 'here', Number.POSITIVE_INFINITY, 1, tol)] }), 2);
    expect(runClaim(inf, { seed: 1 }).verdict).toBe('error');
  });

  it('a counterexample outranks an error when a claim has both', () => {
    const both = claim((rng) => {
      const x = rng.uniform();
      return { checks: [identityCheck('nan', '', Number.NaN, 1, tol), witnessCheck('x < 0', '', x, 0)] };
    }, 2);
    const result = runClaim(both, { seed: 1 });
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('witness-missing');
  });

  it('an exception inside a trial is an error with its message', () => {
    const throws = claim(() => {
      throw new Error('singular matrix');
    }, 2);
    const result = runClaim(throws, { seed: 1 });
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('exception');
    expect(result.failure?.message).toBe('singular matrix');
  });

  it('a claim that compares nothing is an error, not a hold', () => {
    const empty = claim(() => ({ checks: [] }), 2);
    const result = runClaim(empty, { seed: 1 });
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('no-checks');
  });

  it('the replay command names the subcommand, its non-default options, the seed, the claim and the trial', () => {
    expect(replayCommand(squares, 7, 12)).toBe('hwcheck demo --dim 3 --seed 7 --only 9.1 --trial 12');
  });
});
