import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { beforeEach, describe, expect, it } from 'vitest';
import { maxAbs, maxAbsDifference } from '../../src/num/linalg.js';
import { createRng, gaussianMatrix } from '../../src/num/random.js';
import { batchCovariance, batchMean, batchNormalise, whiteningRoundingError, zcaWhiten } from '../../src/num/whiten.js';

describe('batchMean and batchCovariance', () => {
  it('give the mean and the population covariance (divided by N) of a small batch', () => {
    const X = new Matrix([
      [1, 2],
      [3, 6],
    ]);
    expect(Array.from(batchMean(X))).toEqual([2, 4]);
    // Deviations ±(1, 2): covariance (1/2)·2·(1,2)(1,2)ᵀ.
    expect(batchCovariance(X).to2DArray()).toEqual([
      [1, 2],
      [2, 4],
    ]);
  });
});

describe('zcaWhiten', () => {
  // Computed before each test, not while tests are collected, so that mutation testing sees it.
  let X = new Matrix(0, 0);
  let whitened = new Matrix(0, 0);
  let covariance = new Matrix(0, 0);
  let allowed = Number.NaN;
  beforeEach(() => {
    const rng = createRng('whiten');
    const mixing = gaussianMatrix(rng, 4, 4);
    X = gaussianMatrix(rng, 40, 4).mmul(mixing).add(Matrix.ones(40, 4).mul(5));
    const result = zcaWhiten(X);
    ({ whitened, covariance } = result);
    allowed = whiteningRoundingError(40, 4, result.conditionNumber);
  });

  it('gives a batch of empirical mean 0', () => {
    expect(maxAbs(batchMean(whitened))).toBeLessThan(allowed);
  });

  it('gives a batch of empirical covariance I', () => {
    expect(maxAbsDifference(batchCovariance(whitened), Matrix.eye(4, 4))).toBeLessThan(allowed);
  });

  it('uses the symmetric inverse square root of the covariance (ZCA)', () => {
    // ZCA: x̃ = S(x − x̄) with S = C^{−1/2}; recover S by least squares: symmetric, and S C S = I.
    const centred = X.clone().subRowVector(batchMean(X));
    const S = solve(centred, whitened);
    expect(maxAbsDifference(S, S.transpose())).toBeLessThan(1e-9);
    expect(maxAbsDifference(S.mmul(covariance).mmul(S), Matrix.eye(4, 4))).toBeLessThan(1e-9);
    // The positive root: −C^{−1/2} whitens too, but ZCA keeps each coordinate as close to the input as it can.
    expect(Math.min(...new EigenvalueDecomposition(S.add(S.transpose()).div(2)).realEigenvalues)).toBeGreaterThan(0);
  });

  it('reports the covariance’s condition number λ_max/λ_min', () => {
    const eigenvalues = new EigenvalueDecomposition(covariance).realEigenvalues;
    expect(zcaWhiten(X).conditionNumber / (Math.max(...eigenvalues) / Math.min(...eigenvalues))).toBeCloseTo(1, 9);
    expect(zcaWhiten(X).conditionNumber).toBeGreaterThan(1);
  });

  it('refuses a constant batch, whose covariance is 0', () => {
    expect(() => zcaWhiten(Matrix.ones(10, 3).mul(7))).toThrow('covariance is singular');
  });

  it('refuses a batch in a hyperplane at any scale: singularity is judged relative to λ_max', () => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const flat = gaussianMatrix(createRng(`whiten, flat ${seed}`), 20, 3).mul(1e6);
      for (let i = 0; i < 20; i++) flat.set(i, 2, flat.get(i, 0) + flat.get(i, 1));
      expect(() => zcaWhiten(flat)).toThrow('covariance is singular');
    }
  });

  it('refuses a batch with fewer than d + 1 samples, whose covariance is singular', () => {
    expect(() => zcaWhiten(gaussianMatrix(createRng('whiten, too few'), 4, 4))).toThrow('covariance is singular');
  });

  it('refuses a batch lying in a hyperplane', () => {
    const flat = gaussianMatrix(createRng('whiten, flat'), 20, 3);
    for (let i = 0; i < 20; i++) flat.set(i, 2, flat.get(i, 0) + flat.get(i, 1));
    expect(() => zcaWhiten(flat)).toThrow('covariance is singular');
  });
});

describe('whiteningRoundingError', () => {
  it('grows with the condition number and the batch size', () => {
    expect(whiteningRoundingError(10, 3, 100)).toBeGreaterThan(whiteningRoundingError(10, 3, 10));
    expect(whiteningRoundingError(1000, 3, 10)).toBeGreaterThan(whiteningRoundingError(10, 3, 10));
  });
});

describe('batchNormalise', () => {
  it('gives mean 0 and population variance 1', () => {
    const y = batchNormalise([3, 7, 1, 9, 5]);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
    expect(Math.abs(mean)).toBeLessThan(1e-15);
    expect(variance).toBeCloseTo(1, 14);
  });

  it('matches the definition on two values: ±1', () => {
    expect(Array.from(batchNormalise([2, 4]))).toEqual([-1, 1]);
  });

  it('refuses a batch of equal values, whose variance is 0', () => {
    expect(() => batchNormalise([3, 3, 3])).toThrow('variance 0');
  });
});
