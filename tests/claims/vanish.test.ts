import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import { VANISH_DEFAULTS, type VanishParams, explodingClaim, vanishCommand, vanishingClaim } from '../../src/claims/vanish.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { runClaim } from '../../src/run/runner.js';
import { UsageError } from '../../src/options.js';
import {
  boundOnePowerTooSmall,
  boundSquared,
  jacobianWithoutDerivative,
  reversedJacobianOrder,
} from '../../fixtures/broken-claims.js';

const params = (overrides: Partial<VanishParams> = {}): VanishParams => ({ ...VANISH_DEFAULTS, ...overrides });
const run = (definition: ReturnType<typeof vanishingClaim>, p: VanishParams, seed = 1, trials = 4): ClaimResult =>
  runClaim(bindClaim(definition, p, 'vanish'), { seed, trials });
const figure = (result: ClaimResult, key: string) => result.example?.figures.find((f) => f.key === key)?.value;

describe('claim 1.2: λ₁(WᵀW) ≤ δ²/γ² ⇒ ‖∂g_t/∂g_0‖ ≤ δ^t', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    const result = run(vanishingClaim(), params(), seed);
    expect(result.verdict).toBe('hold');
    expect(result.worstRatio).toBeLessThanOrEqual(1);
  });

  it('exercises the bound where it is attained: tightness ≥ 0.99', () => {
    const result = run(vanishingClaim(), params());
    expect(result.tightness).toBeGreaterThanOrEqual(0.99);
    expect(figure(result, 'tightRatio')).toBeGreaterThan(0.999);
    expect(figure(result, 'nearTightRatio')).toBeGreaterThan(0.95);
  });

  it('shows that random W sit far below the bound, which is why tight cases are needed', () => {
    expect(figure(run(vanishingClaim(), params()), 'randomRatio')).toBeLessThan(0.01);
  });

  it.each(['tanh', 'sigmoid', 'relu', 'softplus', 'linear'] as const)('holds for %s with tightness ≥ 0.99', (activation) => {
    const result = run(vanishingClaim(), params({ activation, steps: 12, dim: 5 }), 1, 3);
    expect(result.verdict).toBe('hold');
    expect(result.tightness).toBeGreaterThanOrEqual(0.99);
  });

  it('holds at δ = 0, where W = 0 and the bound is 0 after one step', () => {
    const result = run(vanishingClaim(), params({ delta: 0, steps: 5 }), 1, 2);
    expect(result.verdict).toBe('hold');
  });

  it('uses a user γ above the activation’s own and then cannot be tight', () => {
    const result = run(vanishingClaim(), params({ gamma: 2, steps: 10 }), 1, 2);
    expect(result.verdict).toBe('hold');
    expect(figure(result, 'tightRatio')).toBeCloseTo(0.5 ** 10, 12);
  });

  it('checks the product formula against finite differences at every t', () => {
    const result = run(vanishingClaim(), params({ steps: 10 }), 1, 2);
    const jacobian = result.checks.find((c) => c.name.includes('finite differences'));
    // 4 cases × 10 steps × 2 trials.
    expect(jacobian?.count).toBe(80);
    expect(jacobian?.failed).toBe(0);
  });
});

describe('claim 1.2 has teeth', () => {
  it('reports the Jacobian factors in the wrong order as a failure against finite differences', () => {
    const result = run(vanishingClaim(reversedJacobianOrder), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toContain('finite differences');
    expect(result.failure?.replay).toMatch(/^hwcheck vanish .*--trial \d+$/);
  });

  it('reports a Jacobian without the activation’s derivative as a failure', () => {
    expect(run(vanishingClaim(jacobianWithoutDerivative), params()).verdict).toBe('fail');
  });

  it('reports the bound δ^(t+1) as exceeded in the tight case', () => {
    const result = run(vanishingClaim(boundOnePowerTooSmall), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('bound-exceeded');
    // The tight case overshoots the wrong bound by 1/δ.
    expect(result.tightness).toBeCloseTo(1 / 0.9, 9);
  });

  it('reports the bound (δ²)^t as exceeded', () => {
    const result = run(vanishingClaim(boundSquared), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('bound-exceeded');
  });
});

describe('claim 1.3: the reversed condition is necessary but not sufficient', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(explodingClaim(), params(), seed).verdict).toBe('hold');
  });

  it('reports an exploding witness with γ‖W‖ > 1 whose Jacobian norm grows past 10³ by T = 30', () => {
    const result = run(explodingClaim(), params());
    expect(figure(result, 'explodingFactor')).toBeGreaterThan(1);
    expect(figure(result, 'explodingNorm')).toBeGreaterThan(1e3);
  });

  it('reports vanishing witnesses with γ‖W‖ = 3: a nilpotent W and saturated units', () => {
    const result = run(explodingClaim(), params());
    expect(figure(result, 'nilpotentFactor')).toBe(3);
    expect(figure(result, 'nilpotentNorm')).toBe(0);
    expect(figure(result, 'saturatedRate')).toBeLessThan(1);
  });

  it('is tight at ‖W‖ = 1/γ: the Jacobian norm reaches 1', () => {
    const result = run(explodingClaim(), params());
    expect(result.tightness).toBeGreaterThanOrEqual(0.99);
  });

  it.each(['sigmoid', 'relu', 'softplus', 'linear'] as const)('holds for %s, tight at ‖W‖ = 1/γ', (activation) => {
    // γ ≠ 1 for sigmoid: a tight case built at ‖W‖ = γ instead of 1/γ would reach only γ².
    const result = run(explodingClaim(), params({ activation, steps: 12, dim: 5 }), 1, 2);
    expect(result.verdict).toBe('hold');
    expect(result.tightness).toBeGreaterThanOrEqual(0.99);
  });

  it('fails when the Jacobian factors are in the wrong order', () => {
    expect(run(explodingClaim(reversedJacobianOrder), params()).verdict).toBe('fail');
  });

  it('fails with a bound one power too small, because the tight case attains 1 = 1^t', () => {
    // At δ = 1 the wrong bound 1^(t+1) still equals 1; a wrong (δ²)^t is 1 too: those
    // formulas only differ below 1, so claim 1.3 gets a bound that is plainly too small.
    const tooSmall = { ...boundSquared, bound: (delta: number, t: number) => (0.99 * delta) ** t };
    expect(run(explodingClaim(tooSmall), params()).verdict).toBe('fail');
  });
});

describe('vanish options', () => {
  const prepare = (given: Record<string, string>) => vanishCommand.prepare(given);

  it('binds the defaults into the two claims 1.2 and 1.3', () => {
    expect(prepare({}).claims.map((c) => c.id)).toEqual(['1.2', '1.3']);
  });

  it.each([
    ['delta', '1'],
    ['delta', '-0.1'],
    ['delta', 'abc'],
    ['delta', ''],
    ['dim', '0'],
    ['dim', '1'],
    ['dim', '2.5'],
    ['steps', '0'],
    ['activation', 'foo'],
    ['rtol', '-1'],
  ])('refuses --%s %j with a usage error naming the option', (key, value) => {
    expect(() => prepare({ [key]: value })).toThrow(UsageError);
    const flag = key === 'inputDim' ? '--input-dim' : `--${key}`;
    expect(() => prepare({ [key]: value })).toThrow(flag);
  });

  it('refuses a γ below the activation’s largest slope: the premise |σ′| ≤ γ would be false', () => {
    expect(() => prepare({ gamma: '0.5' })).toThrow(/--gamma.*γ ≥ 1/);
    expect(() => prepare({ activation: 'sigmoid', gamma: '0.25' })).not.toThrow();
  });

  it('refuses --gamma with --activation all', () => {
    expect(() => prepare({ activation: 'all', gamma: '1' })).toThrow(/--gamma/);
  });

  it('refuses sizes that would not fit in memory, with the estimate', () => {
    expect(() => prepare({ dim: '100000' })).toThrow(/--dim 100000 would need about .* (GB|TB|PB)/);
    // The full check keeps T Jacobians of n×n: at n = 512 it does not fit, the matrix-free one does.
    expect(() => prepare({ dim: '512', steps: '100', method: 'full' })).toThrow(/--dim 512 --steps 100 --method full would need about .* GB/);
    expect(prepare({ dim: '512', steps: '100' }).claims).toHaveLength(2);
  });

  it('puts non-default options into the replay command', () => {
    expect(prepare({ delta: '0.5', activation: 'relu' }).claims[0]?.replayArgs).toEqual(['--delta', '0.5', '--activation', 'relu']);
  });
});

/** How many checks of each name one trial makes. */
const inventory = (result: ClaimResult) => Object.fromEntries(result.checks.map((c) => [c.name, c.count]));

describe('every check claims 1.2 and 1.3 document is made, as often as the cases and T say', () => {
  it.each([
    [3, 5],
    [4, 7],
  ])('the full method at n = %i, T = %i', (n, T) => {
    const p = params({ dim: n, steps: T, method: 'full' });
    // Claim 1.2: four cases (random and non-normal W on the boundary, the tight and near-tight
    // cases), each checked at every t against finite differences and the bound.
    expect(inventory(run(vanishingClaim(), p, 1, 1))).toEqual({
      'premise λ₁(WᵀW) = δ²/γ² (W on the boundary)': 1,
      '∂g_t/∂g_0: product of D_t·W equals finite differences': 4 * T,
      '‖∂g_t/∂g_0‖ ≤ δ^t': 4 * T,
    });
    // Claim 1.3: two cases at ‖W‖ = 1/γ; the exploding witness at every t (and its growth
    // between consecutive t); the nilpotent one from t = n to max(T, n); the saturated one once.
    expect(inventory(run(explodingClaim(), p, 1, 1))).toEqual({
      '∂g_t/∂g_0: product of D_t·W equals finite differences': 4 * T,
      '‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1': 2 * T,
      'witness premise: 1/γ² < λ₁(WᵀW)': 2,
      'exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t': T,
      'exploding witness: ‖∂g_t/∂g_0‖ grows with t': T - 1,
      'nilpotent witness: ∂g_t/∂g_0 = 0 for t ≥ n': Math.max(T, n) - n + 1,
      'saturated witness: decay rate max_t ‖∂g_t/∂g_0‖^(1/t) < 1': 1,
    });
  });

  it('the nilpotent witness runs to t = n even when T < n', () => {
    const result = run(explodingClaim(), params({ dim: 6, steps: 3, method: 'full' }), 1, 1);
    expect(inventory(result)['nilpotent witness: ∂g_t/∂g_0 = 0 for t ≥ n']).toBe(1);
    expect(result.verdict).toBe('hold');
  });

  it.each([
    [3, 5, [1, 3, 5]],
    [4, 40, [1, 3, 10, 32, 40]],
    [5, 10, [1, 3, 10]],
  ])('the matrix-free method at n = %i, T = %i checks the bounds at the checkpoints %j', (n, T, checkpoints) => {
    const p = params({ dim: n, steps: T, method: 'matrix-free' });
    const C = checkpoints.length;
    // Claim 1.2: the same four cases; finite differences along v at every t, uᵀJv and the bound
    // at the checkpoints only, and the tight case's equality at each checkpoint.
    expect(inventory(run(vanishingClaim(), p, 1, 1))).toEqual({
      'premise λ₁(WᵀW) = δ²/γ² (W on the boundary)': 1,
      '∂g_t/∂g_0·v: product of D_t·W along a random v equals finite differences': 4 * T,
      'uᵀ·∂g_t/∂g_0·v: transposed product equals finite differences (random u, v)': 4 * C,
      '‖∂g_t/∂g_0‖ ≤ δ^t (Lanczos estimate ≤ the norm, at checkpoints)': 4 * C,
      'tight case: the estimate reaches ‖∂g_t/∂g_0‖ = δ^t': C,
    });
    // Claim 1.3: the nilpotent witness (its index is n when n ≤ T) is checked at the checkpoints
    // from n on and at n itself.
    const block = n <= T ? n : Math.max(1, Math.floor(T / 2));
    const nilpotentTimes = new Set([...checkpoints, block].filter((t) => t >= block && t <= T));
    const counts = inventory(run(explodingClaim(), p, 1, 1));
    expect(counts['‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1 (Lanczos estimate, at checkpoints)']).toBe(2 * C);
    expect(counts['exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t']).toBe(C);
    expect(counts['exploding witness: ‖∂g_t/∂g_0‖ grows with t (checkpoints)']).toBe(C - 1);
    expect(counts['nilpotent witness: ∂g_t/∂g_0 = 0 once t reaches its index']).toBe(nilpotentTimes.size);
    expect(counts['witness premise: 1/γ² < λ₁(WᵀW) (Lanczos estimate ≤ λ₁)']).toBe(2);
  });

  it.each(['tanh', 'sigmoid', 'relu'] as const)('the matrix-free method is tight for %s in both claims', (activation) => {
    const p = params({ activation, dim: 4, steps: 10, method: 'matrix-free' });
    for (const claim of [vanishingClaim(), explodingClaim()]) {
      const result = run(claim, p, 1, 1);
      expect(result.verdict).toBe('hold');
      expect(result.tightness).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('the matrix-free method makes the same kinds of checks', () => {
    const p = params({ dim: 3, steps: 5, method: 'matrix-free' });
    expect(Object.keys(inventory(run(vanishingClaim(), p, 1, 1)))).toEqual([
      'premise λ₁(WᵀW) = δ²/γ² (W on the boundary)',
      '∂g_t/∂g_0·v: product of D_t·W along a random v equals finite differences',
      'uᵀ·∂g_t/∂g_0·v: transposed product equals finite differences (random u, v)',
      '‖∂g_t/∂g_0‖ ≤ δ^t (Lanczos estimate ≤ the norm, at checkpoints)',
      'tight case: the estimate reaches ‖∂g_t/∂g_0‖ = δ^t',
    ]);
    expect(Object.keys(inventory(run(explodingClaim(), p, 1, 1)))).toEqual([
      '∂g_t/∂g_0·v: product of D_t·W along a random v equals finite differences',
      'uᵀ·∂g_t/∂g_0·v: transposed product equals finite differences (random u, v)',
      '‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1 (Lanczos estimate, at checkpoints)',
      'witness premise: 1/γ² < λ₁(WᵀW) (Lanczos estimate ≤ λ₁)',
      'exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t',
      'exploding witness: ‖∂g_t/∂g_0‖ grows with t (checkpoints)',
      'nilpotent witness: ∂g_t/∂g_0 = 0 once t reaches its index',
      'saturated witness: decay rate max_t ‖∂g_t/∂g_0‖^(1/t) < 1 (bounded above by Π max|σ′|·‖W‖_F)',
    ]);
  });
});
