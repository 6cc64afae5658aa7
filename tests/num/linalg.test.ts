import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  dot,
  largestEigenvalue,
  matVec,
  maxAbs,
  maxAbsDifference,
  product,
  scaleRows,
  spectralNorm,
  vectorNorm,
} from '../../src/num/linalg.js';

describe('spectralNorm', () => {
  it('is the largest |entry| of a diagonal matrix', () => {
    expect(spectralNorm(Matrix.diag([3, -5, 1]))).toBeCloseTo(5, 14);
  });

  it('is the golden ratio for the shear [[1, 1], [0, 1]]', () => {
    expect(spectralNorm(new Matrix([[1, 1], [0, 1]]))).toBeCloseTo((1 + Math.sqrt(5)) / 2, 14);
  });

  it('is √(λ₁(AᵀA)) for a rectangular matrix: [[1, 2], [3, 4], [5, 6]]', () => {
    // AᵀA = [[35, 44], [44, 56]], λ₁ = (91 + √(91² − 4·24))/2.
    const lambda = (91 + Math.sqrt(91 * 91 - 96)) / 2;
    expect(spectralNorm(new Matrix([[1, 2], [3, 4], [5, 6]]))).toBeCloseTo(Math.sqrt(lambda), 12);
  });

  it('is 0 for the zero matrix and NaN when an entry is not finite', () => {
    expect(spectralNorm(Matrix.zeros(3, 3))).toBe(0);
    expect(spectralNorm(new Matrix([[1, Number.NaN], [0, 1]]))).toBeNaN();
    expect(spectralNorm(new Matrix([[Number.POSITIVE_INFINITY, 0], [0, 1]]))).toBeNaN();
  });

  it('keeps full relative accuracy for tiny and huge matrices', () => {
    expect(spectralNorm(Matrix.diag([3e-300, 4e-300]))).toBeCloseTo(4e-300, 310);
    expect(spectralNorm(Matrix.diag([3e-300, 4e-300])) / 4e-300).toBeCloseTo(1, 13);
    expect(spectralNorm(Matrix.diag([3e300, 4e300])) / 4e300).toBeCloseTo(1, 13);
  });
});

describe('products', () => {
  it('product refuses mismatched inner dimensions (ml-matrix does not check them)', () => {
    expect(() => product(Matrix.ones(2, 3), Matrix.ones(2, 3))).toThrow(RangeError);
    expect(product(Matrix.ones(2, 3), Matrix.ones(3, 4)).get(1, 3)).toBe(3);
  });

  it('matVec multiplies and checks the length', () => {
    expect(Array.from(matVec(new Matrix([[1, 2], [3, 4]]), [5, 6]))).toEqual([17, 39]);
    expect(() => matVec(Matrix.ones(2, 2), [1, 2, 3])).toThrow(RangeError);
  });

  it('scaleRows is diag(d)·A, and refuses a factor count other than the rows', () => {
    expect(scaleRows([2, -1], new Matrix([[1, 2], [3, 4]])).to2DArray()).toEqual([[2, 4], [-3, -4]]);
    expect(() => scaleRows([2], new Matrix([[1, 2], [3, 4]]))).toThrow(/^scaleRows: 1 factors for 2 rows$/);
  });

  it('dot refuses vectors of different lengths', () => {
    expect(() => dot([1, 2], [1, 2, 3])).toThrow(/^dot: lengths 2 and 3$/);
  });

  it('dot and vectorNorm', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(vectorNorm([3, 4])).toBe(5);
    // Squaring 3e200 would overflow; the scaled norm does not.
    expect(vectorNorm([3e200, 4e200]) / 5e200).toBeCloseTo(1, 14);
    expect(vectorNorm([0, 0])).toBe(0);
  });

  it('maxAbs reports NaN rather than skipping it', () => {
    expect(maxAbs([1, -7, 3])).toBe(7);
    expect(maxAbs([1, Number.NaN, 3])).toBeNaN();
  });

  it('maxAbsDifference is the largest entrywise gap, wherever it is, NaN if a gap is NaN, and refuses other shapes', () => {
    expect(maxAbsDifference(new Matrix([[1, 2]]), new Matrix([[1.5, -1]]))).toBe(3);
    expect(maxAbsDifference(new Matrix([[4, 2], [0, 1]]), new Matrix([[0, 2], [1, 1]]))).toBe(4);
    expect(maxAbsDifference(new Matrix([[1, Number.NaN, 9]]), new Matrix([[1, 1, 1]]))).toBeNaN();
    expect(() => maxAbsDifference(new Matrix([[1, 2]]), new Matrix([[1], [2]]))).toThrow(/^maxAbsDifference: shapes 1×2 and 2×1$/);
    expect(() => maxAbsDifference(new Matrix([[1, 2]]), new Matrix([[1, 2], [3, 4]]))).toThrow(RangeError);
    expect(() => maxAbsDifference(new Matrix([[1, 2]]), new Matrix([[1, 2, 3]]))).toThrow(RangeError);
  });
});

describe('largestEigenvalue', () => {
  it('is 3 for [[2, 1], [1, 2]]', () => {
    expect(largestEigenvalue(new Matrix([[2, 1], [1, 2]]))).toBeCloseTo(3, 14);
  });

  it('equals ‖W‖² for WᵀW (the identity ‖W‖ = √λ₁(WᵀW))', () => {
    const w = new Matrix([[0.3, -1.2, 0.5], [2, 0.1, -0.7], [0, 0.4, 1.1]]);
    expect(largestEigenvalue(w.transpose().mmul(w))).toBeCloseTo(spectralNorm(w) ** 2, 12);
  });
});
