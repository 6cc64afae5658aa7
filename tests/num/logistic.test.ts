import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
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

  it('the Lipschitz bound lies between λ₁(X_BᵀX_B)/4b and 1.33 times it (rigorous, at most m^{1/16} loose)', () => {
    for (const rows of [batch, batch.slice(0, 3)]) {
      const X = new Matrix(rows.map((i) => Array.from(data.features[i] as Float64Array)));
      const exact = largestEigenvalue(X.transpose().mmul(X)) / (4 * rows.length);
      const bound = batchLipschitz(data, rows);
      expect(bound).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
      expect(bound).toBeLessThanOrEqual(exact * 5 ** (1 / 16) * (1 + 1e-12));
    }
  });

  it('labels follow the hidden model: at θ = 0 the loss is ln 2', () => {
    expect(meanLogLoss(data, new Float64Array(5))).toBeCloseTo(Math.LN2, 14);
    expect(new Set(Array.from(data.labels))).toEqual(new Set([0, 1]));
  });
});
