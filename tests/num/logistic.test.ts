import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { UNIT_ROUNDOFF } from '../../src/num/compare.js';
import { finiteDifferenceJacobian } from '../../src/num/diff.js';
import { largestEigenvalue } from '../../src/num/linalg.js';
import { batchLipschitz, logisticData, meanLogLoss, miniBatchGradient } from '../../src/num/logistic.js';
import { createRng } from '../../src/num/random.js';

const data = logisticData(createRng('logistic-data'), 64, 5);
const batch = [3, 17, 40, 41, 63, 0, 8, 22];

describe('logistic regression helpers', () => {
  it('the mini-batch gradient equals finite differences of κ times the batch’s mean log-loss', () => {
    const theta = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4);
    const problem = { ...data, scale: 2.5 };
    const sub = { features: batch.map((i) => data.features[i] as Float64Array), labels: Float64Array.from(batch, (i) => data.labels[i] as number) };
    const numerical = finiteDifferenceJacobian((x) => [2.5 * meanLogLoss(sub, x)], theta);
    const { gradient } = miniBatchGradient(problem, batch, theta);
    for (let j = 0; j < 5; j++) expect(gradient[j]).toBeCloseTo(numerical.get(0, j), 8);
  });

  it('the gradient’s rounding bound is tiny but covers the difference from a compensated evaluation', () => {
    const theta = Float64Array.of(3, -2, 5, 1, -4);
    const { gradient, roundingBound } = miniBatchGradient({ ...data, scale: 1 }, batch, theta);
    expect(roundingBound).toBeGreaterThan(0);
    expect(roundingBound).toBeLessThan(1e-13);
    // The same sum with the points in reverse order rounds differently but lies within both bounds.
    const reversed = miniBatchGradient({ ...data, scale: 1 }, [...batch].reverse(), theta);
    for (let j = 0; j < 5; j++) expect(Math.abs((gradient[j] as number) - (reversed.gradient[j] as number))).toBeLessThanOrEqual(roundingBound + reversed.roundingBound);
  });

  it('the rounding bound is the documented first-order sum, worked by hand at a point where every term is known', () => {
    // One point x = (1, 2), label 1, θ = (½, −¼), κ = 2, batch of b = 1: z = 0 exactly, Σ|x_j θ_j| = 1,
    // residual σ(0) − 1 = −½. Error of the residual: 5u + d·u·Σ|x_j θ_j|/4 = 5.5u, times |x_j|: (5.5u, 11u).
    // Summation: (b + 2)·u·|residual·x_j| = (1.5u, 3u). Component j: (κ/b)·(sum of both) = (14u, 28u),
    // so the bound is u·√(14² + 28²) = 14√5·u.
    const problem = { features: [Float64Array.of(1, 2)], labels: Float64Array.of(1), scale: 2 };
    const { roundingBound } = miniBatchGradient(problem, [0], Float64Array.of(0.5, -0.25));
    expect(roundingBound / (14 * Math.sqrt(5) * UNIT_ROUNDOFF)).toBeCloseTo(1, 12);
  });

  it('the Lipschitz bound lies between λ₁(X_BᵀX_B)/4b and 1.33 times it (rigorous, at most m^{1/16} loose)', () => {
    for (const rows of [batch, batch.slice(0, 3)]) {
      const X = new Matrix(rows.map((i) => Array.from(data.features[i] as Float64Array)));
      const exact = largestEigenvalue(X.transpose().mmul(X)) / (4 * rows.length);
      const bound = batchLipschitz(data, rows);
      expect(bound).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
      expect(bound).toBeLessThanOrEqual(exact * 5 ** (1 / 16) * (1 + 1e-12));
    }
  });

  it('the Lipschitz bound attains its m^{1/16} slack on orthonormal points, is 0 on zero points and on an empty batch, and scales with κ', () => {
    // Four unit vectors: G = I₄, λ₁ = 1, and ‖G⁸‖_F^{1/8} = 4^{1/16} exactly.
    const unit = { features: [0, 1, 2, 3].map((j) => Float64Array.from({ length: 6 }, (_, k) => (k === j ? 1 : 0))), labels: new Float64Array(4) };
    expect(batchLipschitz(unit, [0, 1, 2, 3]) / (4 ** (1 / 16) / 16)).toBeCloseTo(1, 12);
    expect(batchLipschitz(unit, [0, 1, 2, 3], 3) / (3 * 4 ** (1 / 16) / 16)).toBeCloseTo(1, 12);
    const zero = { features: [new Float64Array(3), new Float64Array(3)], labels: new Float64Array(2) };
    expect(batchLipschitz(zero, [0, 1])).toBe(0);
    expect(batchLipschitz(zero, [])).toBe(0);
    expect(batchLipschitz(data, batch, 2.5) / batchLipschitz(data, batch)).toBeCloseTo(2.5, 14);
  });

  it('the data: features N(0, I), labels of both classes that follow a hidden θ* of norm about 3', () => {
    const many = logisticData(createRng('logistic-many'), 4000, 4);
    const features = many.features;
    const column = (j: number) => features.map((x) => x[j] as number);
    for (let j = 0; j < 4; j++) {
      const xs = column(j);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean)).toBeLessThan(0.08);
      expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    }
    const ones = many.labels.reduce((s, y) => s + y, 0) / many.labels.length;
    expect(ones).toBeGreaterThan(0.3);
    expect(ones).toBeLessThan(0.7);
    // Labels that follow θ*: the label-1 points are shifted along θ*, by well over 0.5 when |θ*| ≈ 3
    // (labels drawn independently of x would leave it at about √(4/2000) ≈ 0.045).
    const positive = features.filter((_, i) => many.labels[i] === 1);
    const shift = Math.hypot(...Array.from({ length: 4 }, (_, j) => positive.reduce((s, x) => s + (x[j] as number), 0) / positive.length));
    expect(shift).toBeGreaterThan(0.5);
    expect(shift).toBeLessThan(2);
  });

  it('the data replayed draw by draw from the same seed: θ* = 3g/√d from the first d normals, then per point d normals and a uniform u, with y = 1 exactly when u < σ(x·θ*)', () => {
    const dim = 5;
    const points = 300;
    const made = logisticData(createRng('logistic-replay'), points, dim);
    const rng = createRng('logistic-replay');
    const truth = Array.from({ length: dim }, () => (3 * rng.gaussian()) / Math.sqrt(dim));
    let ones = 0;
    for (let i = 0; i < points; i++) {
      const x = Array.from({ length: dim }, () => rng.gaussian());
      expect(Array.from(made.features[i] as Float64Array)).toEqual(x);
      const z = x.reduce((s, xj, j) => s + xj * (truth[j] as number), 0);
      const label = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      expect(made.labels[i]).toBe(label);
      ones += label;
    }
    // Both classes occur, so the label rule was exercised both ways.
    expect(ones).toBeGreaterThan(50);
    expect(ones).toBeLessThan(points - 50);
  });

  it('labels follow the hidden model: at θ = 0 the loss is ln 2', () => {
    expect(meanLogLoss(data, new Float64Array(5))).toBeCloseTo(Math.LN2, 14);
    expect(new Set(Array.from(data.labels))).toEqual(new Set([0, 1]));
  });
});
