import { describe, expect, it } from 'vitest';
import { finiteDifferenceDerivative, finiteDifferenceJacobian } from '../../src/num/diff.js';
import { dot, matVec, spectralNorm } from '../../src/num/linalg.js';
import { Matrix } from '../../src/num/matrix.js';
import { createRng, gaussianMatrix, gaussianVector } from '../../src/num/random.js';
import { LOGISTIC_SECOND_DERIVATIVE_BOUND, type SmoothFunction, logSumExp, rosenbrock, softplusSum } from '../../src/num/smooth.js';
import { randomUnitVector, step } from '../../src/num/taylor.js';

const rng = createRng('smooth-tests');
const n = 5;
const A = gaussianMatrix(rng, 12, n, 1 / Math.sqrt(n));
const b = gaussianVector(rng, 12);
const c = Float64Array.from({ length: 12 }, () => rng.between(0.5, 1.5));
const functions: SmoothFunction[] = [logSumExp(A, b), softplusSum(A, b, c), rosenbrock(n)];
const x = Float64Array.of(0.3, -0.7, 1.1, 0.2, -0.4);
const u = randomUnitVector(rng, n);

/** Largest |a − b| relative to max(1, |b|) over entries. */
function relativeError(a: ArrayLike<number>, bArr: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (bArr[i] as number)) / Math.max(1, Math.abs(bArr[i] as number)));
  return worst;
}

describe.each(functions.map((f) => [f.name, f] as const))('%s has exact derivatives', (_name, f) => {
  it('its gradient equals central differences of its value', () => {
    const numerical = finiteDifferenceJacobian((p) => [f.value(p)], x).getRow(0);
    expect(relativeError(f.gradient(x), numerical)).toBeLessThan(1e-7);
  });

  it('its Hessian is symmetric and equals central differences of its gradient', () => {
    const H = f.hessian(x);
    const numerical = finiteDifferenceJacobian((p) => f.gradient(p), x);
    expect(relativeError(H.to1DArray(), numerical.to1DArray())).toBeLessThan(1e-7);
    expect(relativeError(H.to1DArray(), H.transpose().to1DArray())).toBe(0);
  });

  it('its third directional derivative equals the derivative of uᵀ∇²f(x + tu)u at t = 0', () => {
    const numerical = finiteDifferenceDerivative((t) => dot(u, matVec(f.hessian(step(x, t, u)), u)), 0);
    expect(Math.abs(f.thirdDerivative(x, u) - numerical)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numerical)));
  });
});

describe('the test functions', () => {
  it('Rosenbrock is 0 with a zero gradient at (1, …, 1) and positive definite there', () => {
    const f = rosenbrock(4);
    const ones = new Float64Array(4).fill(1);
    expect(f.value(ones)).toBe(0);
    expect(Array.from(f.gradient(ones))).toEqual([0, 0, 0, 0]);
  });

  it('Rosenbrock needs n ≥ 2', () => {
    expect(() => rosenbrock(1)).toThrow(/below 2/);
  });

  it('max |σ′′| is 1/(6√3), reached where σ = (3 − √3)/6', () => {
    const s = (3 - Math.sqrt(3)) / 6;
    expect(s * (1 - s) * (1 - 2 * s)).toBeCloseTo(LOGISTIC_SECOND_DERIVATIVE_BOUND, 15);
  });

  it('log-sum-exp does not overflow for huge arguments', () => {
    const f = logSumExp(gaussianMatrix(createRng('big'), 3, 2), Float64Array.of(1000, 1001, 999));
    expect(Number.isFinite(f.value(Float64Array.of(0, 0)))).toBe(true);
  });

  it('a ridge and a tilt t = ∇φ(x*) + μx* make x* a stationary point', () => {
    const xStar = Float64Array.of(0.5, -1, 0.25, 2, -0.3);
    const ridge = 0.4;
    const tilt = step(softplusSum(A, b, c).gradient(xStar), ridge, xStar);
    const f = softplusSum(A, b, c, { ridge, tilt });
    expect(Math.max(...f.gradient(xStar).map(Math.abs))).toBeLessThan(1e-14);
  });

  it('refuses negative softplus weights, which would break convexity', () => {
    expect(() => softplusSum(A, b, Float64Array.from(c, (ci, i) => (i === 0 ? -ci : ci)))).toThrow(/≥ 0/);
  });

  it.each(functions.filter((f) => f.hessianLipschitz() !== null).map((f) => [f.name, f] as const))(
    '%s: ‖∇²f(x) − ∇²f(y)‖ ≤ L‖x − y‖ on 200 random pairs',
    (_name, f) => {
      const pairs = createRng(`lipschitz/${f.name}`);
      const L = f.hessianLipschitz() as number;
      for (let k = 0; k < 200; k++) {
        const p = gaussianVector(pairs, n, 2);
        const q = step(p, pairs.between(0.01, 2), randomUnitVector(pairs, n));
        const change = spectralNorm(f.hessian(p).sub(f.hessian(q)));
        const distance = Math.hypot(...step(p, -1, q));
        expect(change).toBeLessThanOrEqual(L * distance);
      }
    },
  );
});

/**
 * A small case worked out by hand. With A = [[1, −2], [3, ½]], b = (½, −1) and x = (2, 1):
 * z = Ax + b = (2 − 2 + ½, 6 + ½ − 1) = (½, 11/2), and the magnitudes |A||x| + |b| are
 * (2 + 2 + ½, 6 + ½ + 1) = (9/2, 15/2).
 * The ridge μ = 0.4 and tilt t = (3/2, 2) add ½μ‖x‖² − tᵀx = ½·0.4·5 − (3 + 2) = 1 − 5 = −4,
 * and their magnitudes ½μ‖x‖² + Σ|tⱼxⱼ| = 1 + 3 + 2 = 6.
 */
describe('values, rounding scales and parameters on a hand-worked example', () => {
  const smallA = new Matrix([
    [1, -2],
    [3, 0.5],
  ]);
  const smallB = Float64Array.of(0.5, -1);
  const smallC = Float64Array.of(2, 0.5);
  const point = Float64Array.of(2, 1);
  const extra = { ridge: 0.4, tilt: Float64Array.of(1.5, 2) };
  const extraValue = -4;
  const extraMagnitude = 6;
  // log(e^½ + e^(11/2)) = 11/2 + log(1 + e^−5).
  const logSum = 5.5 + Math.log1p(Math.exp(-5));
  // softplus(z) = log(1 + e^z) and σ(z) = 1/(1 + e^−z), written out directly.
  const softplusTerms = 2 * Math.log(1 + Math.exp(0.5)) + 0.5 * Math.log(1 + Math.exp(5.5));
  const softplusScale =
    2 * (Math.log(1 + Math.exp(0.5)) + 4.5 / (1 + Math.exp(-0.5))) + 0.5 * (Math.log(1 + Math.exp(5.5)) + 7.5 / (1 + Math.exp(-5.5)));

  it('log-sum-exp: the value is log Σ exp(zᵢ), plus ½μ‖x‖² − tᵀx when a ridge and tilt are given', () => {
    expect(logSumExp(smallA, smallB).value(point)).toBeCloseTo(logSum, 12);
    expect(logSumExp(smallA, smallB, extra).value(point)).toBeCloseTo(logSum + extraValue, 12);
  });

  it('log-sum-exp: the rounding scale is |log Σ exp zᵢ| + the largest magnitude of z, plus the ridge and tilt magnitudes', () => {
    expect(logSumExp(smallA, smallB).roundingScale(point)).toBeCloseTo(logSum + 7.5, 12);
    expect(logSumExp(smallA, smallB, extra).roundingScale(point)).toBeCloseTo(logSum + 7.5 + extraMagnitude, 12);
  });

  it('softplus sum: the value is Σ cᵢ softplus(zᵢ), plus ½μ‖x‖² − tᵀx when a ridge and tilt are given', () => {
    expect(softplusSum(smallA, smallB, smallC).value(point)).toBeCloseTo(softplusTerms, 12);
    expect(softplusSum(smallA, smallB, smallC, extra).value(point)).toBeCloseTo(softplusTerms + extraValue, 12);
  });

  it('softplus sum: the rounding scale is Σ cᵢ (softplus(zᵢ) + σ(zᵢ)·magnitudeᵢ), plus the ridge and tilt magnitudes', () => {
    expect(softplusSum(smallA, smallB, smallC).roundingScale(point)).toBeCloseTo(softplusScale, 12);
    expect(softplusSum(smallA, smallB, smallC, extra).roundingScale(point)).toBeCloseTo(softplusScale + extraMagnitude, 12);
  });

  it('softplus sum accepts a zero weight, which simply drops that term', () => {
    const f = softplusSum(smallA, smallB, Float64Array.of(0, 0.5));
    expect(f.value(point)).toBeCloseTo(0.5 * Math.log(1 + Math.exp(5.5)), 12);
  });

  it('softplus sum: the Hessian Lipschitz bound is max|σ′′| · maxᵢ cᵢ‖aᵢ‖ · ‖A‖²', () => {
    // A = diag(2, 1), c = (3, 1): cᵢ‖aᵢ‖ = (6, 1), ‖A‖ = 2, so L = 6 · 4 / (6√3) = 4/√3.
    const f = softplusSum(new Matrix([[2, 0], [0, 1]]), Float64Array.of(0, 0), Float64Array.of(3, 1));
    expect(f.hessianLipschitz()).toBeCloseTo(4 / Math.sqrt(3), 9);
  });

  it('the parameters record the defining data, with the ridge and tilt only when given', () => {
    const matrixRows = [
      [1, -2],
      [3, 0.5],
    ];
    expect(logSumExp(smallA, smallB).parameters()).toStrictEqual({ A: matrixRows, b: [0.5, -1] });
    expect(logSumExp(smallA, smallB, extra).parameters()).toStrictEqual({ A: matrixRows, b: [0.5, -1], ridge: 0.4, tilt: [1.5, 2] });
    expect(softplusSum(smallA, smallB, smallC).parameters()).toStrictEqual({ A: matrixRows, b: [0.5, -1], c: [2, 0.5] });
    expect(softplusSum(smallA, smallB, smallC, extra).parameters()).toStrictEqual({
      A: matrixRows,
      b: [0.5, -1],
      c: [2, 0.5],
      ridge: 0.4,
      tilt: [1.5, 2],
    });
    expect(rosenbrock(3).parameters()).toStrictEqual({ n: 3 });
  });

  it('Rosenbrock: the rounding scale is Σ 100(|xᵢ₊₁| + xᵢ²)² + (1 + |xᵢ|)²', () => {
    // x = (2, −1, ½): 100(1 + 4)² + 3² = 2509 and 100(½ + 1)² + 2² = 229, total 2738 (exact in doubles).
    expect(rosenbrock(3).roundingScale(Float64Array.of(2, -1, 0.5))).toBe(2738);
  });

  it('Rosenbrock works in two dimensions and has no global Hessian Lipschitz constant', () => {
    const f = rosenbrock(2);
    // f(0, 0) = 100·0² + 1² = 1 and f(2, 1) = 100(1 − 4)² + (1 − 2)² = 901.
    expect(f.value(Float64Array.of(0, 0))).toBe(1);
    expect(f.value(Float64Array.of(2, 1))).toBe(901);
    expect(f.hessianLipschitz()).toBeNull();
  });
});
