import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from '../../src/num/diff.js';
import { logSumExp, logisticLoss, samplesOf, softmaxCrossEntropy, squaredError } from '../../src/num/losses.js';
import { createRng, gaussianMatrix, gaussianVector } from '../../src/num/random.js';

const rng = createRng('losses');
const N = 12;
const d = 5;
const batch = gaussianMatrix(rng, N, d);
const X = samplesOf(batch);
const w = gaussianVector(rng, d);
const targets = gaussianVector(rng, N);
const labels01 = Array.from({ length: N }, (_, i) => i % 2);
const classes = Array.from({ length: N }, (_, i) => i % 3);
const W = samplesOf(gaussianMatrix(rng, 3, d));
const biases = [0.3, -0.2, 0.1];

/** Largest |analytic − numerical| relative to the largest analytic entry. */
function relativeGap(analytic: ArrayLike<number>, numerical: ArrayLike<number>): number {
  let gap = 0;
  let scale = 0;
  for (let j = 0; j < analytic.length; j++) {
    gap = Math.max(gap, Math.abs((analytic[j] as number) - (numerical[j] as number)));
    scale = Math.max(scale, Math.abs(analytic[j] as number));
  }
  return gap / scale;
}

describe('squaredError', () => {
  it('is 0 with a zero gradient when the model fits the targets exactly', () => {
    const z = X.map((x) => x.reduce((sum, xj, j) => sum + xj * (w[j] as number), 0.5));
    const { value, gradient } = squaredError(X, z, w, 0.5);
    expect(value).toBeLessThan(1e-28);
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-14);
  });

  it('has the gradient of its finite differences', () => {
    const { gradient } = squaredError(X, targets, w, 0.4);
    const numerical = finiteDifferenceJacobian((v) => [squaredError(X, targets, v, 0.4).value], w);
    expect(relativeGap(gradient, numerical.getRow(0))).toBeLessThan(1e-8);
  });

  it('refuses weights and targets of the wrong length', () => {
    expect(() => squaredError(X, targets, new Float64Array(d + 1), 0)).toThrow(RangeError);
    expect(() => squaredError(X, new Float64Array(N - 1), w, 0)).toThrow(RangeError);
  });
});

describe('logisticLoss', () => {
  it('is log 2 at w = 0 and b = 0, whatever the labels', () => {
    expect(logisticLoss(X, labels01, new Float64Array(d), 0).value).toBeCloseTo(Math.LN2, 15);
  });

  it('has the gradient of its finite differences, with hard and soft labels', () => {
    for (const labels of [labels01, labels01.map((y) => 0.2 + 0.5 * y)]) {
      const { gradient } = logisticLoss(X, labels, w, -0.3);
      const numerical = finiteDifferenceJacobian((v) => [logisticLoss(X, labels, v, -0.3).value], w);
      expect(relativeGap(gradient, numerical.getRow(0))).toBeLessThan(1e-8);
    }
  });

  it('stays finite with very large weights', () => {
    const { value, gradient } = logisticLoss(X, labels01, w.map((x) => 1e6 * x), 0);
    expect(Number.isFinite(value)).toBe(true);
    for (const g of gradient) expect(Number.isFinite(g)).toBe(true);
  });
});

describe('softmaxCrossEntropy', () => {
  it('is log K at W = 0 and b = 0', () => {
    expect(softmaxCrossEntropy(X, classes, samplesOf(new Matrix(3, d)), [0, 0, 0]).value).toBeCloseTo(Math.log(3), 15);
  });

  it('has the gradient of its finite differences in every entry of W', () => {
    const { gradient } = softmaxCrossEntropy(X, classes, W, biases);
    const flat = Float64Array.from(W.flatMap((row) => Array.from(row)));
    const numerical = finiteDifferenceJacobian((v) => [softmaxCrossEntropy(X, classes, samplesOf(Matrix.from1DArray(3, d, Array.from(v))), biases).value], flat);
    expect(relativeGap(gradient.flatMap((row) => Array.from(row)), numerical.getRow(0))).toBeLessThan(1e-8);
  });

  it('has a gradient whose columns sum to 0 over the classes (softmax minus a one-hot)', () => {
    const { gradient } = softmaxCrossEntropy(X, classes, W, biases);
    for (let j = 0; j < d; j++) expect(Math.abs(gradient.reduce((sum, row) => sum + (row[j] as number), 0))).toBeLessThan(1e-15);
  });

  it('refuses a label that is not a class', () => {
    expect(() => softmaxCrossEntropy(X, classes.map((c) => c + 1), W, biases)).toThrow('is not a class');
    for (const wrong of [3, -1, 0.5, Number.NaN]) {
      const labels = classes.map((c, i) => (i === 0 ? wrong : c));
      expect(() => softmaxCrossEntropy(X, labels, W, biases)).toThrow(`softmaxCrossEntropy: label ${wrong} is not a class 0…2`);
    }
  });

  it('refuses rows, biases and labels of the wrong size', () => {
    const short = X.map((x, i) => (i === 1 ? x.subarray(0, d - 1) : x));
    expect(() => softmaxCrossEntropy(short, classes, W, biases)).toThrow(`softmaxCrossEntropy: a row of length ${d - 1} where W has ${d} columns`);
    const ragged = W.map((row, k) => (k === 2 ? row.subarray(0, d - 1) : row));
    expect(() => softmaxCrossEntropy(X, classes, ragged, biases)).toThrow(RangeError);
    expect(() => softmaxCrossEntropy(X, classes, W, [0, 0])).toThrow('softmaxCrossEntropy: 2 biases for 3 classes');
    expect(() => softmaxCrossEntropy(X, classes.slice(1), W, biases)).toThrow(`softmaxCrossEntropy: ${classes.length - 1} labels for ${X.length} samples`);
    // No class at all: W has no row to take a width from, so every sample is refused by its length.
    expect(() => softmaxCrossEntropy(X, classes, [], [])).toThrow(`softmaxCrossEntropy: a row of length ${d} where W has 0 columns`);
  });
});

describe('the stable scalar helpers', () => {
  it('logSumExp is exact for equal entries and does not overflow', () => {
    expect(logSumExp([2, 2, 2, 2])).toBeCloseTo(2 + Math.log(4), 14);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
  });

  it('logSumExp of nothing, of −∞ only, or with +∞ is ±∞, not NaN', () => {
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(logSumExp([Number.NEGATIVE_INFINITY, 0])).toBe(0);
  });
});

describe('samplesOf', () => {
  it('copies the rows of a matrix into typed arrays', () => {
    const rows = samplesOf(new Matrix([[1, 2], [3, 4]]));
    expect(rows.map((row) => Array.from(row))).toEqual([[1, 2], [3, 4]]);
    expect(rows[0]).toBeInstanceOf(Float64Array);
  });
});
