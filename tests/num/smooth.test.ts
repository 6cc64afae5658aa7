import { describe, expect, it } from 'vitest';
import { finiteDifferenceDerivative, finiteDifferenceJacobian } from '../../src/num/diff.js';
import { dot, matVec, spectralNorm } from '../../src/num/linalg.js';
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
