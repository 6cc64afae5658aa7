import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { boundOnePowerTooSmall, reversedProductOrder, transposedWithoutDerivative } from '../../fixtures/broken-claims.js';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { MATRIX_FREE_ABOVE, checkpointTimes } from '../../src/claims/vanish-matrix-free.js';
import { VANISH_DEFAULTS, type VanishParams, explodingClaim, usesMatrixFree, vanishCommand, vanishingClaim } from '../../src/claims/vanish.js';
import { ACTIVATIONS, applyElementwise } from '../../src/num/activation.js';
import { largestSingularValue, matrixOperator } from '../../src/num/lanczos.js';
import { spectralNorm } from '../../src/num/linalg.js';
import { createRng, gaussianMatrix, gaussianVector, matrixWithSpectralNorm, randomOrthogonal } from '../../src/num/random.js';
import { jacobianProducts, jacobianTimes, runOnActivations, transposedJacobianTimes } from '../../src/num/rnn.js';
import { runClaim } from '../../src/run/runner.js';

const params = (overrides: Partial<VanishParams> = {}): VanishParams => ({ ...VANISH_DEFAULTS, method: 'matrix-free', ...overrides });
const run = (definition: ReturnType<typeof vanishingClaim>, p: VanishParams, trials = 3): ClaimResult => runClaim(bindClaim(definition, p, 'vanish'), { seed: 1, trials });
const check = (result: ClaimResult, fragment: string) => result.checks.find((c) => c.name.includes(fragment));

describe('Lanczos (Golub–Kahan) estimate of the largest singular value', () => {
  it('never exceeds the exact norm, and reaches it to 1e-12 once settled, on 60 random matrices', () => {
    const rng = createRng('lanczos');
    for (let k = 0; k < 60; k++) {
      const n = 2 + rng.integer(30);
      const a = gaussianMatrix(rng, n, n);
      const exact = spectralNorm(a);
      const few = largestSingularValue(matrixOperator(a), gaussianVector(rng, n), { maxSteps: 2 });
      expect(few.value).toBeLessThanOrEqual(exact * (1 + 1e-13));
      const settled = largestSingularValue(matrixOperator(a), gaussianVector(rng, n), { maxSteps: n, tolerance: 1e-15 });
      expect(settled.value).toBeLessThanOrEqual(exact * (1 + 1e-13));
      expect(settled.value / exact).toBeCloseTo(1, 12);
    }
  });

  it('closes in one step on c·Q (every singular value equal) and gives exactly 0 for the zero matrix', () => {
    const q = randomOrthogonal(createRng('q'), 20).mul(0.7);
    const estimate = largestSingularValue(matrixOperator(q), gaussianVector(createRng('s'), 20));
    expect(estimate.steps).toBe(1);
    expect(estimate.value).toBeCloseTo(0.7, 14);
    expect(largestSingularValue(matrixOperator(new Matrix(5, 5)), gaussianVector(createRng('z'), 5)).value).toBe(0);
  });

  it('is only a lower bound: a start orthogonal to the top singular vector never sees the top singular value', () => {
    // diag(5, 1, 1): a start in the last two coordinates stays there.
    const estimate = largestSingularValue(matrixOperator(Matrix.diag([5, 1, 1])), Float64Array.from([0, 1, 2]), { maxSteps: 3, tolerance: 0 });
    expect(estimate.value).toBeCloseTo(1, 14);
    expect(spectralNorm(Matrix.diag([5, 1, 1]))).toBe(5);
  });
});

describe('Jacobian–vector and vector–Jacobian products of the recurrence', () => {
  it('equal the formed products D_t W ⋯ D_1 W times v, and their transposes times u', () => {
    const rng = createRng('jvp');
    const n = 7;
    const W = matrixWithSpectralNorm(rng, n, n, 1.3);
    const drive = Array.from({ length: 9 }, () => gaussianVector(rng, n));
    const { preactivations } = runOnActivations(W, ACTIVATIONS.tanh, gaussianVector(rng, n), drive);
    const derivatives = preactivations.map((z) => applyElementwise(ACTIVATIONS.tanh.derivative, z));
    const jacobians = jacobianProducts(W, ACTIVATIONS.tanh, preactivations);
    const v = gaussianVector(rng, n);
    const u = gaussianVector(rng, n);
    jacobianTimes(W, derivatives, v).forEach((product, t) => {
      const expected = (jacobians[t] as Matrix).mmul(Matrix.columnVector(Array.from(v))).getColumn(0);
      product.forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 12));
    });
    for (const t of [1, 4, 9]) {
      const expected = (jacobians[t - 1] as Matrix).transpose().mmul(Matrix.columnVector(Array.from(u))).getColumn(0);
      transposedJacobianTimes(W, derivatives.slice(0, t), u).forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 12));
    }
  });
});

describe('checkpoints and the choice of route', () => {
  it('puts about two checkpoints per decade of t, always 1 and T', () => {
    expect(checkpointTimes(100)).toEqual([1, 3, 10, 32, 100]);
    expect(checkpointTimes(30)).toEqual([1, 3, 10, 30]);
    expect(checkpointTimes(1)).toEqual([1]);
    expect(checkpointTimes(1000)).toEqual([1, 3, 10, 32, 100, 316, 1000]);
  });

  it(`--method auto checks matrix-free above n = ${MATRIX_FREE_ABOVE} only`, () => {
    expect(usesMatrixFree({ method: 'auto', dim: MATRIX_FREE_ABOVE })).toBe(false);
    expect(usesMatrixFree({ method: 'auto', dim: MATRIX_FREE_ABOVE + 1 })).toBe(true);
    expect(usesMatrixFree({ method: 'full', dim: 1000 })).toBe(false);
    expect(usesMatrixFree({ method: 'matrix-free', dim: 2 })).toBe(true);
    expect(vanishCommand.prepare({ method: 'matrix-free' }).params.method).toBe('matrix-free');
  });
});

describe('claims 1.2 and 1.3 matrix-free', () => {
  it.each(['tanh', 'sigmoid', 'relu', 'softplus', 'linear'] as const)('hold for %s, the tight case reaching the bound (tightness ≥ 0.99)', (activation) => {
    const p = params({ activation, dim: 10, steps: 20 });
    const vanishing = run(vanishingClaim(), p);
    expect(vanishing.verdict).toBe('hold');
    expect(vanishing.tightness).toBeGreaterThanOrEqual(0.99);
    expect(check(vanishing, 'the estimate reaches')?.failed).toBe(0);
    expect(run(explodingClaim(), p).verdict).toBe('hold');
  });

  it('say in the report how they were checked and what a pass means', () => {
    const figures = run(vanishingClaim(), params(), 1).example?.figures ?? [];
    expect(figures.find((f) => f.key === 'method')?.value).toMatch(/matrix-free: .*Lanczos .*t = 1, 3, 10, 30/);
    expect(figures.find((f) => f.key === 'soundness')?.value).toMatch(/≤ the true norm.*not a proof/);
  });

  it('check the products against finite differences at every t and the transposed one at every checkpoint', () => {
    const result = run(vanishingClaim(), params({ steps: 12 }), 2);
    // 4 cases × 12 steps × 2 trials; checkpoints 1, 3, 10, 12.
    expect(check(result, 'along a random v')?.count).toBe(96);
    expect(check(result, 'transposed product')?.count).toBe(32);
  });

  it('estimate norms that never exceed the exact ones of the full check (same cases: the tight one)', () => {
    // The tight case is built the same way on both routes: ‖J_t‖ = δ^t exactly.
    const full = run(vanishingClaim(), params({ method: 'full', steps: 10 }), 1);
    const free = run(vanishingClaim(), params({ steps: 10 }), 1);
    expect(free.tightness).toBeLessThanOrEqual((full.tightness ?? 0) * (1 + 1e-12));
  });

  it('use blocks for the nilpotent witness when n > T, so that it vanishes within the run', () => {
    const result = run(explodingClaim(), params({ dim: 12, steps: 8 }), 1);
    expect(result.verdict).toBe('hold');
    expect(result.example?.figures.find((f) => f.key === 'nilpotentIndex')?.value).toBe(4);
    expect(check(result, 'nilpotent witness: ∂g_t/∂g_0 = 0')?.count).toBeGreaterThan(0);
  });
});

describe('the matrix-free route has teeth', () => {
  it('reports J·v with the factors in the wrong order as a failure against finite differences', () => {
    const result = run(vanishingClaim(reversedProductOrder), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('along a random v');
  });

  it('reports a transposed product without the derivative as a failure against finite differences', () => {
    const result = run(explodingClaim(transposedWithoutDerivative), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('transposed product');
  });

  it('reports the bound δ^(t+1) as exceeded, and the violation is genuine: the exact norm exceeds it too', () => {
    const result = run(vanishingClaim(boundOnePowerTooSmall), params({ steps: 10 }));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('bound-exceeded');
    const location = result.failure?.check;
    // The estimate is a lower bound on the norm, so the norm exceeds the wrong bound by at least as much.
    expect(location?.lhs ?? 0).toBeGreaterThan(location?.rhs ?? Number.POSITIVE_INFINITY);
    expect(location?.at).toMatch(/tight case/);
    // There the norm is known exactly, δ^t, and the estimate equals it: the counterexample is real.
    const t = Number(/t=(\d+)/.exec(location?.at ?? '')?.[1]);
    expect((location?.lhs ?? 0) / 0.9 ** t).toBeCloseTo(1, 9);
  });
});
