import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from '../../src/num/diff.js';
import { symmetricEigenvalues } from '../../src/num/linalg.js';
import { type Rng, createRng } from '../../src/num/random.js';
import {
  CONDITION_LIMIT,
  type QuadraticModel,
  conditionOfSymmetric,
  controlledSpectrum,
  difference,
  geometricSequence,
  goldenSectionMinimum,
  measureOrder,
  modelGradient,
  modelScale,
  modelValue,
  randomSymmetric,
  randomUnitVector,
  sampleHessian,
  solveSymmetric,
  step,
  symmetricEigen,
  symmetricWithSpectrum,
} from '../../src/num/taylor.js';

const model: QuadraticModel = {
  x0: Float64Array.of(1, -1),
  f0: 3,
  g: Float64Array.of(2, 0.5),
  H: new Matrix([
    [4, 1],
    [1, -2],
  ]),
};

const isSymmetric = (m: Matrix) => m.rows === m.columns && m.to2DArray().every((row, i) => row.every((v, j) => v === m.get(j, i)));

describe('the quadratic model (eq 31)', () => {
  it('is evaluated term by term: at x = (2, 1), d = (1, 2) gives 3 + 3 + ½·(4 + 4 − 8) = 6', () => {
    expect(modelValue(model, [2, 1])).toBe(6);
  });

  it('equals f(x₀) at x₀', () => {
    expect(modelValue(model, model.x0)).toBe(3);
  });

  it('has the gradient g + H(x − x₀) of eq (36), as finite differences confirm', () => {
    const x = Float64Array.of(0.3, 2.5);
    const numerical = finiteDifferenceJacobian((p) => [modelValue(model, p)], x).getRow(0);
    const analytic = modelGradient(model, x);
    analytic.forEach((value, i) => expect(value).toBeCloseTo(numerical[i] as number, 7));
  });

  it('measures the size of its terms, not of their sum: at x = (2, 1) it is 3 + 3 + ½·16 = 14', () => {
    expect(modelScale(model, [2, 1])).toBe(14);
  });
});

describe('symmetric matrices with a controlled spectrum', () => {
  it('QΛQᵀ is exactly symmetric and has the eigenvalues Λ', () => {
    const eigenvalues = [3, -0.5, 1.25, 2];
    const { H } = symmetricWithSpectrum(createRng('spectrum'), eigenvalues);
    expect(isSymmetric(H)).toBe(true);
    const computed = symmetricEigenvalues(H);
    [...eigenvalues].sort((a, b) => b - a).forEach((value, i) => expect(computed[i]).toBeCloseTo(value, 12));
  });

  it.each([
    ['pd', (v: number) => v > 0],
    ['nd', (v: number) => v < 0],
  ] as const)('a %s spectrum has magnitudes in [0.5, 5] and the right signs', (kind, sign) => {
    const values = controlledSpectrum(createRng(kind), kind, 9);
    expect(Array.from(values).every(sign)).toBe(true);
    expect(Array.from(values).every((v) => Math.abs(v) >= 0.5 && Math.abs(v) <= 5)).toBe(true);
  });

  it('an indefinite spectrum has both signs, even at n = 2', () => {
    const values = Array.from(controlledSpectrum(createRng('i'), 'indefinite', 2));
    expect(values.some((v) => v > 0) && values.some((v) => v < 0)).toBe(true);
  });

  it('refuses an indefinite 1×1 matrix', () => {
    expect(() => controlledSpectrum(createRng('i'), 'indefinite', 1)).toThrow(/n ≥ 2/);
  });

  it('the random kind is symmetric with eigenvalues of both signs (n = 40)', () => {
    const H = randomSymmetric(createRng('r'), 40);
    expect(isSymmetric(H)).toBe(true);
    const values = symmetricEigenvalues(H);
    expect(values[0]).toBeGreaterThan(0);
    expect(values[values.length - 1]).toBeLessThan(0);
  });

  it('sampleHessian follows the kind: pd has λ_min > 0', () => {
    const values = symmetricEigenvalues(sampleHessian(createRng('s'), 'pd', 6));
    expect(Math.min(...values)).toBeGreaterThan(0);
  });

  it('symmetricEigen returns eigenvalues in increasing order with unit eigenvectors H v = λ v', () => {
    const { H } = symmetricWithSpectrum(createRng('e'), [2, -1, 0.5]);
    const { values, vectors } = symmetricEigen(H);
    expect(Array.from(values)).toEqual([...values].sort((a, b) => a - b));
    for (let j = 0; j < 3; j++) {
      const v = vectors.getColumn(j);
      const Hv = H.mmul(Matrix.columnVector(v)).getColumn(0);
      Hv.forEach((x, i) => expect(x).toBeCloseTo((values[j] as number) * (v[i] as number), 12));
    }
  });
});

describe('condition estimate and the safe solve', () => {
  it('κ is max|λ| / min|λ|, and ∞ for a zero eigenvalue', () => {
    expect(conditionOfSymmetric([1, -10, 4]).condition).toBe(10);
    expect(conditionOfSymmetric([0, 1]).condition).toBe(Number.POSITIVE_INFINITY);
  });

  it('solves a well-conditioned system to rounding', () => {
    const solved = solveSymmetric(model.H, [5, -1]);
    expect(solved.ok).toBe(true);
    if (!solved.ok) return;
    // 4x + y = 5, x − 2y = −1 ⇒ x = 1, y = 1.
    expect(solved.x[0]).toBeCloseTo(1, 14);
    expect(solved.x[1]).toBeCloseTo(1, 14);
  });

  it('refuses a singular H with a reason instead of returning NaN', () => {
    const singular = new Matrix([
      [1, 2],
      [2, 4],
    ]);
    const solved = solveSymmetric(singular, [1, 1]);
    expect(solved.ok).toBe(false);
    if (solved.ok) return;
    expect(solved.reason).toMatch(/singular/);
  });

  it('refuses H = 0 and names it', () => {
    const solved = solveSymmetric(new Matrix(3, 3), [1, 2, 3]);
    expect(solved.ok).toBe(false);
    if (!solved.ok) expect(solved.reason).toContain('H = 0');
  });

  it(`refuses a condition number above ${CONDITION_LIMIT.toExponential(0)} and reports the estimate`, () => {
    const { H } = symmetricWithSpectrum(createRng('ill'), [1, 1e-13, 2]);
    const solved = solveSymmetric(H, [1, 1, 1]);
    expect(solved.ok).toBe(false);
    if (!solved.ok) {
      expect(solved.condition).toBeGreaterThan(CONDITION_LIMIT);
      expect(solved.reason).toMatch(/condition estimate \d\.\d\de\+13/);
    }
  });

  it('accepts an ill-conditioned but invertible H (κ = 1e8) and solves it to about κ·u', () => {
    const { H } = symmetricWithSpectrum(createRng('ill'), [1, 1e-8, 0.5]);
    const x = Float64Array.of(0.3, -1.2, 2);
    const b = H.mmul(Matrix.columnVector(Array.from(x))).getColumn(0);
    const solved = solveSymmetric(H, b);
    expect(solved.ok).toBe(true);
    if (solved.ok) solved.x.forEach((v, i) => expect(Math.abs(v - (x[i] as number))).toBeLessThan(1e-6));
  });

  it('refuses non-finite entries', () => {
    expect(solveSymmetric(new Matrix([[Number.NaN]]), [1]).ok).toBe(false);
  });
});

describe('one-dimensional helpers', () => {
  it('golden-section search finds the minimiser of (t − 0.3)² + 1 on [0, 5] to 1e-7', () => {
    expect(goldenSectionMinimum((t) => (t - 0.3) ** 2 + 1, 0, 5)).toBeCloseTo(0.3, 7);
  });

  it('a geometric sequence starts at its top and shrinks by the ratio', () => {
    expect(geometricSequence(8, 0.5, 4)).toEqual([8, 4, 2, 1]);
  });

  it('a random unit vector has norm 1', () => {
    const v = randomUnitVector(createRng('u'), 7);
    expect(Math.hypot(...v)).toBeCloseTo(1, 14);
  });
});

describe('the order of a remainder (Taylor test)', () => {
  const points = (order: number, rounding = 0) =>
    geometricSequence(0.1, 0.5, 10).map((epsilon) => ({ epsilon, remainder: 2 * epsilon ** order, rounding }));

  it('is 3 for a remainder 2ε³ and 2 for 2ε²', () => {
    expect(measureOrder(points(3)).order).toBeCloseTo(3, 12);
    expect(measureOrder(points(2)).order).toBeCloseTo(2, 12);
  });

  it('fits the largest ε among those well above rounding', () => {
    const measured = measureOrder(points(3, 1e-12));
    expect(measured.used.map((p) => p.epsilon)).toEqual([0.1, 0.05, 0.025]);
  });

  it('drops the ε whose remainder is within the margin of rounding', () => {
    // 2ε³ ≥ 1e3 · 1e-6 only for ε ≥ 0.0794: just one point of the sequence qualifies.
    expect(() => measureOrder(points(3, 1e-6))).toThrow(/only 1 of 10 step sizes/);
  });
});

describe('taylor helpers at their edges', () => {
  const ratio = (Math.sqrt(5) - 1) / 2; // the golden-section shrink factor r, with r² = 1 − r

  it('the condition estimate is NaN, not ∞, when an eigenvalue is infinite or NaN', () => {
    // max|λ| / min|λ| would give ∞ / 1 = ∞ for [∞, 1], which reads as "singular"; the estimate is undefined.
    expect(conditionOfSymmetric([Number.POSITIVE_INFINITY, 1]).condition).toBeNaN();
    expect(conditionOfSymmetric([Number.NaN, 1]).condition).toBeNaN();
  });

  it('the condition estimate of H = 0 is ∞ (singular), not 0/0', () => {
    expect(conditionOfSymmetric([0, 0]).condition).toBe(Number.POSITIVE_INFINITY);
    expect(solveSymmetric(new Matrix(2, 2), [1, 1]).condition).toBe(Number.POSITIVE_INFINITY);
  });

  it('x − y and x + s·v refuse vectors of different lengths instead of padding with NaN', () => {
    expect(() => difference([1, 2], [1])).toThrow(/difference: lengths 2 and 1/);
    expect(() => step([1, 2], 1, [1, 2, 3])).toThrow(/step: lengths 2 and 3/);
    expect(Array.from(difference([1, 2], [0.5, 4]))).toEqual([0.5, -2]);
    expect(Array.from(step([1, 2], -2, [0.5, 4]))).toEqual([0, -6]);
  });

  it('the safe solve rejects a non-square H or a right-hand side of the wrong length', () => {
    expect(() => solveSymmetric(new Matrix(2, 3), [1, 1])).toThrow(RangeError);
    expect(() => solveSymmetric(new Matrix(2, 3), [1, 1])).toThrow(/solveSymmetric: 2×3 matrix/);
    expect(() => solveSymmetric(Matrix.eye(2), [1, 1, 1])).toThrow(/solveSymmetric: 2×2 matrix and vector of length 3/);
  });

  it('the safe solve accepts a condition number exactly equal to the limit', () => {
    // diag(1, ½) has eigenvalues exactly 1 and ½, so κ = 2; with limit 2 it must still be solved: x = (3, 2·5).
    const solved = solveSymmetric(new Matrix([[1, 0], [0, 0.5]]), [3, 5], 2);
    expect(solved.ok).toBe(true);
    expect(solved.condition).toBe(2);
    if (solved.ok) expect(Array.from(solved.x)).toEqual([3, 10]);
  });

  it('the safe solve reports a zero pivot when no condition limit stops an exactly singular H', () => {
    // [[1, 2], [2, 4]]: partial pivoting takes the 2, and the second pivot is 2 − ½·4 = 0 exactly.
    const solved = solveSymmetric(new Matrix([[1, 2], [2, 4]]), [1, 1], Number.POSITIVE_INFINITY);
    expect(solved.ok).toBe(false);
    if (solved.ok) return;
    expect(solved.condition).toBe(Number.POSITIVE_INFINITY);
    expect(solved.reason).toMatch(/zero pivot/);
  });

  it('the safe solve refuses an answer that overflows even when H is perfectly conditioned', () => {
    // 1×1 H = 1e-300 has κ = 1, but x = 1e300 / 1e-300 = 1e600 is beyond the largest double.
    const solved = solveSymmetric(new Matrix([[1e-300]]), [1e300]);
    expect(solved.ok).toBe(false);
    if (solved.ok) return;
    expect(solved.condition).toBe(1);
    expect(solved.reason).toMatch(/overflowed/);
  });

  it('the random kind has mean squared eigenvalue about 1 (semicircle on [−2, 2])', () => {
    // (G + Gᵀ)/2 has off-diagonal variance ½ and diagonal variance 1; times 2/n these become 1/n and 2/n,
    // so E Σλ² = E‖H‖_F² = n(n − 1)/n + n·2/n = n + 1 and Σλ²/n ≈ 1 + 1/n (standard deviation about 0.05 at n = 40).
    const n = 40;
    const H = randomSymmetric(createRng('semicircle'), n);
    const meanSquare = symmetricEigenvalues(H).reduce((sum, v) => sum + v * v, 0) / n;
    expect(meanSquare).toBeGreaterThan(0.8);
    expect(meanSquare).toBeLessThan(1.25);
  });

  it('sampleHessian of the random kind is randomSymmetric on the same draws', () => {
    const n = 5;
    expect(sampleHessian(createRng('same'), 'random', n).to2DArray()).toEqual(randomSymmetric(createRng('same'), n).to2DArray());
  });

  it('golden-section search with no iterations returns the midpoint of the interval', () => {
    expect(goldenSectionMinimum((t) => t, 0, 1, 0)).toBe(0.5);
  });

  it('golden-section search with one iteration keeps [low, r·high] for an increasing φ', () => {
    // Probes at 1 − r and r on [0, 1]; φ(1 − r) < φ(r), so the bracket becomes [0, r] and its midpoint is r/2.
    expect(goldenSectionMinimum((t) => t, 0, 1, 1)).toBe(ratio / 2);
  });

  it('golden-section search keeps the lower part on a tie, so a flat φ gives the low end', () => {
    // φ constant: the two probes tie at every step and the bracket keeps [a, d], shrinking onto low = 0.
    expect(goldenSectionMinimum(() => 1, 0, 1, 1)).toBe(ratio / 2);
    expect(goldenSectionMinimum(() => 1, 0, 1)).toBeLessThan(1e-12);
  });

  it('golden-section search stays inside intervals that do not start at 0', () => {
    expect(goldenSectionMinimum((t) => (t - 10.3) ** 2, 10, 11)).toBeCloseTo(10.3, 7);
    expect(goldenSectionMinimum((t) => t, 10, 11)).toBeCloseTo(10, 7);
    expect(goldenSectionMinimum((t) => (t + 2.7) ** 2, -5, -1)).toBeCloseTo(-2.7, 7);
  });

  it('golden-section search takes no step when the bracket is already as narrow as 4ε·max(|a|, |b|)', () => {
    // On [2 − 8ε, 2] the width 8ε equals 4ε·2 exactly: the loop must not run, φ is evaluated only at
    // the two initial probes, and the answer is the midpoint 2 − 4ε (all exact in binary).
    const eps = Number.EPSILON;
    let calls = 0;
    const phi = (t: number) => {
      calls++;
      return t;
    };
    expect(goldenSectionMinimum(phi, 2 - 8 * eps, 2)).toBe(2 - 4 * eps);
    expect(calls).toBe(2);
  });

  const cubic = (epsilon: number) => ({ epsilon, remainder: 2 * epsilon ** 3, rounding: 0 });

  it('the Taylor test fits the largest ε even when the points come in increasing order', () => {
    const points = geometricSequence(0.1, 0.5, 10).map(cubic).reverse();
    const measured = measureOrder(points);
    expect(measured.used.map((p) => p.epsilon)).toEqual([0.1, 0.05, 0.025]);
    expect(measured.order).toBeCloseTo(3, 12);
  });

  it('the Taylor test skips a remainder that overflowed', () => {
    const points = [{ epsilon: 0.4, remainder: Number.POSITIVE_INFINITY, rounding: 0 }, ...geometricSequence(0.1, 0.5, 5).map(cubic)];
    const measured = measureOrder(points);
    expect(measured.used.map((p) => p.epsilon)).toEqual([0.1, 0.05, 0.025]);
    expect(measured.order).toBeCloseTo(3, 12);
  });

  it('the Taylor test skips a remainder that is exactly 0, even with a rounding estimate of 0', () => {
    const points = [{ epsilon: 0.4, remainder: 0, rounding: 0 }, ...geometricSequence(0.1, 0.5, 5).map(cubic)];
    const measured = measureOrder(points);
    expect(measured.used.map((p) => p.epsilon)).toEqual([0.1, 0.05, 0.025]);
    expect(measured.order).toBeCloseTo(3, 12);
  });

  it('the Taylor test counts a remainder exactly margin times its rounding (the bound is inclusive)', () => {
    // r = ε² at ε = 1, ½, ¼ with rounding 1/64 and margin 4: the last |r| = 1/16 = 4 · 1/64 exactly.
    const points = [1, 0.5, 0.25].map((epsilon) => ({ epsilon, remainder: epsilon ** 2, rounding: 1 / 64 }));
    const measured = measureOrder(points, 4);
    expect(measured.used).toHaveLength(3);
    expect(measured.order).toBeCloseTo(2, 12);
  });

  it('a random unit vector is redrawn when every Gaussian draw is exactly 0', () => {
    // A scripted source: three zeros (norm 0, no direction), then (3, 4, 0), whose norm is 5.
    const draws = [0, 0, 0, 3, 4, 0];
    const rng: Rng = {
      uniform: () => 0.5,
      between: (low, high) => (low + high) / 2,
      integer: () => 0,
      gaussian: () => draws.shift() ?? 1,
    };
    expect(Array.from(randomUnitVector(rng, 3))).toEqual([0.6, 0.8, 0]);
  });
});
