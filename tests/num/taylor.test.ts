import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from '../../src/num/diff.js';
import { symmetricEigenvalues } from '../../src/num/linalg.js';
import { createRng } from '../../src/num/random.js';
import {
  CONDITION_LIMIT,
  type QuadraticModel,
  conditionOfSymmetric,
  controlledSpectrum,
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
