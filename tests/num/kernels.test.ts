import { EigenvalueDecomposition, Matrix, MatrixTransposeView, QrDecomposition, SingularValueDecomposition, WrapperMatrix2D } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  eigenvaluesBelow,
  fastSpectralNorm,
  householderQr,
  largestEigenvalueOfFlat,
  largestSymmetricTridiagonalEigenvalue,
  multiply,
  multiplyTransposedVector,
  multiplyVector,
  rowsOf,
  scaledProduct,
  zeroMatrix,
} from '../../src/num/kernels.js';
import { createRng, gaussianMatrix, randomOrthogonal } from '../../src/num/random.js';

/** ‖A‖ by ml-matrix's SVD (the route the kernel replaced), A scaled to unit size first. */
function svdNorm(a: Matrix): number {
  const scale = Math.max(...a.to1DArray().map(Math.abs));
  if (scale === 0) return 0;
  const svd = new SingularValueDecomposition(a.clone().div(scale), { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return scale * svd.norm2;
}

/** The largest double below x (x finite and not 0). */
function previousFloat(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (x > 0 ? -1n : 1n));
  return view.getFloat64(0);
}

/** Shapes on both sides of the blocked kernel's threshold (16) and with odd edges. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [8, 8, 8],
  [15, 16, 17],
  [16, 16, 16],
  [17, 33, 19],
  [64, 64, 64],
  [65, 31, 70],
];

describe('matrix kernels on the Float64Array rows', () => {
  it('rowsOf reads the rows ml-matrix stores, without copying them', () => {
    const m = new Matrix([[1, 2], [3, 4]]);
    const rows = rowsOf(m);
    expect(rows.map((r) => Array.from(r))).toEqual([[1, 2], [3, 4]]);
    m.set(1, 0, 7);
    expect(rows[1]?.[0]).toBe(7);
  });

  it('rowsOf copies, as Float64Arrays, the rows of a matrix stored otherwise (plain arrays, a transposed view, no rows)', () => {
    const wrapped = rowsOf(new WrapperMatrix2D([[1, 2], [3, 4]]) as unknown as Matrix);
    expect(wrapped.every((row) => row instanceof Float64Array)).toBe(true);
    expect(wrapped.map((r) => Array.from(r))).toEqual([[1, 2], [3, 4]]);
    const view = new MatrixTransposeView(new Matrix([[1, 2, 3], [4, 5, 6]]));
    expect(rowsOf(view as unknown as Matrix).map((r) => Array.from(r))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(rowsOf(new MatrixTransposeView(new Matrix(3, 0)) as unknown as Matrix)).toEqual([]);
    expect(rowsOf(new Matrix(0, 3))).toEqual([]);
  });

  it('rowsOf copies the rows of a storage whose arrays disagree with its declared size', () => {
    // Only arrays of Float64Array rows matching rows × columns are read in place; a storage that
    // keeps a third row, or rows longer than its columns, is read through getRow like any other.
    const declared = [
      [1, 2],
      [3, 4],
    ];
    const storage = (data: Float64Array[]) => ({ rows: 2, columns: 2, data, getRow: (i: number) => declared[i] as number[] }) as unknown as Matrix;
    const extraRow = rowsOf(storage([Float64Array.of(1, 2), Float64Array.of(3, 4), Float64Array.of(5, 6)]));
    expect(extraRow.map((r) => Array.from(r))).toEqual(declared);
    const longRows = rowsOf(storage([Float64Array.of(1, 2, 9), Float64Array.of(3, 4, 9)]));
    expect(longRows.map((r) => Array.from(r))).toEqual(declared);
  });

  it('zeroMatrix hands out the rows of a new zero Matrix to fill', () => {
    const { matrix, rows } = zeroMatrix(2, 3);
    (rows[1] as Float64Array)[2] = 5;
    expect(matrix).toBeInstanceOf(Matrix);
    expect(matrix.to2DArray()).toEqual([[0, 0, 0], [0, 0, 5]]);
  });

  it.each(SHAPES)('multiply equals ml-matrix mmul bit for bit (%i×%i · %i×…)', (m, n, p) => {
    const rng = createRng(`multiply/${m}/${n}/${p}`);
    const a = gaussianMatrix(rng, m, n);
    const b = gaussianMatrix(rng, n, p);
    expect(multiply(a, b).to2DArray()).toEqual(a.mmul(b).to2DArray());
  });

  it.each(SHAPES)('scaledProduct equals diag(d)·A then mmul bit for bit (%i×%i · %i×…)', (m, n, p) => {
    const rng = createRng(`scaled/${m}/${n}/${p}`);
    const a = gaussianMatrix(rng, m, n);
    const b = gaussianMatrix(rng, n, p);
    const d = Array.from({ length: m }, () => rng.gaussian());
    expect(scaledProduct(d, a, b).to2DArray()).toEqual(Matrix.diag(d).mmul(a).mmul(b).to2DArray());
  });

  it('multiply propagates NaN and Infinity as the product does', () => {
    const a = new Matrix([[1, Number.NaN], [0, 1]]);
    const b = new Matrix([[Number.POSITIVE_INFINITY, 0], [0, 1]]);
    expect(multiply(a, b).to2DArray()).toEqual(a.mmul(b).to2DArray());
  });

  it('refuses mismatched inner dimensions', () => {
    expect(() => multiply(new Matrix(2, 3), new Matrix(2, 3))).toThrow(RangeError);
    expect(() => scaledProduct([1, 2, 3], new Matrix(2, 2), new Matrix(2, 2))).toThrow(RangeError);
    expect(() => multiplyVector(new Matrix(2, 3), [1, 2])).toThrow(RangeError);
    expect(() => multiplyTransposedVector(new Matrix(2, 3), [1, 2, 3])).toThrow(RangeError);
  });

  it('multiplyVector and multiplyTransposedVector equal A·x and Aᵀ·x by ml-matrix', () => {
    const rng = createRng('matvec');
    // 11 rows: two blocks of four and a remainder of three.
    const a = gaussianMatrix(rng, 11, 5);
    const x = Array.from({ length: 5 }, () => rng.gaussian());
    const y = Array.from({ length: 11 }, () => rng.gaussian());
    expect(Array.from(multiplyVector(a, x))).toEqual(a.mmul(Matrix.columnVector(x)).getColumn(0));
    expect(Array.from(multiplyTransposedVector(a, y))).toEqual(a.transpose().mmul(Matrix.columnVector(y)).getColumn(0));
  });

  it.each([
    [5, 3],
    [17, 17],
    [64, 64],
  ])('householderQr equals ml-matrix’s QrDecomposition bit for bit (%i×%i)', (m, n) => {
    const a = gaussianMatrix(createRng(`qr/${m}/${n}`), m, n);
    const reference = new QrDecomposition(a);
    const { q, rDiagonal } = householderQr(a);
    expect(q.to2DArray()).toEqual(reference.orthogonalMatrix.to2DArray());
    expect(Array.from(rDiagonal)).toEqual(reference.upperTriangularMatrix.diag());
  });

  // A zero column leaves nothing to reflect (its norm is 0, no division); a zero pivot above a
  // non-zero column takes the positive sign; both must match ml-matrix to the bit, NaN-free.
  it.each([
    ['a zero column', [[0, 1], [0, 2], [0, 3]]],
    ['a zero pivot above a non-zero column', [[0, 1], [1, 0], [0, 5]]],
    ['a zero matrix', [[0, 0], [0, 0]]],
    ['a repeated column', [[1, 1, 2], [2, 2, 0], [3, 3, 1]]],
  ])('householderQr equals ml-matrix’s QrDecomposition bit for bit on %s', (_, entries) => {
    const a = new Matrix(entries);
    const reference = new QrDecomposition(a);
    const { q, rDiagonal } = householderQr(a);
    expect(q.to2DArray()).toEqual(reference.orthogonalMatrix.to2DArray());
    expect(Array.from(rDiagonal)).toEqual(reference.upperTriangularMatrix.diag());
    expect(q.to1DArray().every(Number.isFinite)).toBe(true);
  });
});

describe('the symmetric eigenvalue kernels', () => {
  it('eigenvaluesBelow counts the eigenvalues at or below x, one equal to x included', () => {
    // diag(1, 1, 3): x = 1 is a double eigenvalue (two zero pivots in a row), x = 3 the last.
    const d = Float64Array.from([1, 1, 3]);
    const none = new Float64Array(2);
    expect([0.5, 1, 2, 3, 4].map((x) => eigenvaluesBelow(d, none, x))).toEqual([0, 2, 2, 3, 3]);
    // The second difference matrix (2 on the diagonal, 1 beside it): eigenvalues 2 − √2, 2, 2 + √2.
    // At x = 2 the first pivot is 0 and the next is infinite; the count must still be 2.
    const twos = Float64Array.from([2, 2, 2]);
    const ones = Float64Array.from([1, 1]);
    expect([0.5, 2 - Math.SQRT2 + 1e-9, 2, 3, 3.5].map((x) => eigenvaluesBelow(twos, ones, x))).toEqual([0, 1, 2, 2, 3]);
  });

  it('largestSymmetricTridiagonalEigenvalue ends on the first float at which the Sturm count reaches m', () => {
    // A positive definite tridiagonal (λ_min ≈ 0.077) where a start above Gershgorin's lower bound
    // would still be below λ₁ in exact arithmetic, yet end one float higher.
    const diagonal = Float64Array.from([1.4850774198533772, 0.8850774198533771, 0.9296197324754474, 0.9296197324754474, 1.346543613052535]);
    const off = Float64Array.from([0.4614661931991577, 0.6, 0.4169238805770874, 0.6]);
    const cases: [Float64Array, Float64Array][] = [[diagonal, off], [Float64Array.from([2, 2, 2]), Float64Array.from([1, 1])]];
    const rng = createRng('tridiagonal');
    for (let k = 0; k < 20; k++) {
      const m = 2 + rng.integer(8);
      cases.push([Float64Array.from({ length: m }, () => 2 + rng.gaussian()), Float64Array.from({ length: m - 1 }, () => rng.gaussian())]);
    }
    for (const [d, e] of cases) {
      const top = largestSymmetricTridiagonalEigenvalue(d, e);
      expect(eigenvaluesBelow(d, e, top)).toBe(d.length);
      expect(eigenvaluesBelow(d, e, previousFloat(top))).toBeLessThan(d.length);
    }
  });

  it('largestSymmetricTridiagonalEigenvalue finds λ₁ to the last bits, and NaN for a NaN entry', () => {
    expect(largestSymmetricTridiagonalEigenvalue(Float64Array.from([2, 2, 2]), Float64Array.from([1, 1]))).toBeCloseTo(2 + Math.SQRT2, 14);
    expect(largestSymmetricTridiagonalEigenvalue(Float64Array.from([1, 1, 3]), new Float64Array(2))).toBe(3);
    expect(largestSymmetricTridiagonalEigenvalue(Float64Array.from([Number.NaN, 1]), Float64Array.from([0]))).toBeNaN();
  });

  it('largestEigenvalueOfFlat finds λ₁ with or without room for its work space after the matrix, and NaN for no matrix', () => {
    const m = 6;
    const a = gaussianMatrix(createRng('flat'), m, m);
    const s = a.add(a.transpose());
    const eigenvalues = new EigenvalueDecomposition(s, { assumeSymmetric: true }).realEigenvalues;
    const reference = Math.max(...eigenvalues);
    const size = Math.max(...eigenvalues.map(Math.abs));
    const withoutRoom = Float64Array.from(s.to1DArray());
    const withRoom = new Float64Array(m * m + 4 * m);
    withRoom.set(s.to1DArray());
    const found = largestEigenvalueOfFlat(withoutRoom, m);
    expect(Math.abs(found - reference)).toBeLessThan(1e-13 * size);
    expect(largestEigenvalueOfFlat(withRoom, m)).toBe(found);
    // Room for less than the four work vectors (here one more number) is no room: the same λ₁.
    const partialRoom = new Float64Array(m * m + 1);
    partialRoom.set(s.to1DArray());
    expect(largestEigenvalueOfFlat(partialRoom, m)).toBe(found);
    expect(largestEigenvalueOfFlat(new Float64Array(0), 0)).toBeNaN();
  });
});

describe('fastSpectralNorm against ml-matrix’s SVD', () => {
  it('agrees to 1e-13 relative on 300 random shapes, scales from 1e-100 to 1e100, rank-deficient and orthogonal cases', () => {
    const rng = createRng('norms');
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const rows = 1 + rng.integer(12);
      const columns = 1 + rng.integer(12);
      let a = gaussianMatrix(rng, rows, columns).mul(10 ** rng.between(-100, 100));
      if (k % 5 === 0 && rows === columns) a = randomOrthogonal(rng, rows).mul(0.9 ** 30);
      if (k % 7 === 0 && rows > 1) a.setRow(0, a.getRow(1));
      worst = Math.max(worst, Math.abs(fastSpectralNorm(a) - svdNorm(a)) / svdNorm(a));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('is exact where the answer is known: diagonal, orthogonal·c, a rank-one matrix', () => {
    expect(fastSpectralNorm(Matrix.diag([3, -5, 1]))).toBeCloseTo(5, 14);
    expect(fastSpectralNorm(randomOrthogonal(createRng('q'), 9).mul(0.5))).toBeCloseTo(0.5, 14);
    // u vᵀ has norm ‖u‖‖v‖.
    expect(fastSpectralNorm(Matrix.columnVector([1, 2, 2]).mmul(Matrix.rowVector([3, 4])))).toBeCloseTo(15, 12);
  });

  it('handles the extremes of the double range without overflow or underflow', () => {
    expect(fastSpectralNorm(Matrix.diag([1e308, 1.5e308])) / 1.5e308).toBeCloseTo(1, 13);
    expect(fastSpectralNorm(Matrix.diag([5e-324, 1e-323])) / 1e-323).toBeCloseTo(1, 13);
  });

  it('is 0 for zero and empty matrices and NaN for a non-finite entry', () => {
    expect(fastSpectralNorm(new Matrix(3, 4))).toBe(0);
    expect(fastSpectralNorm(new Matrix(0, 0))).toBe(0);
    expect(fastSpectralNorm(new Matrix(0, 3))).toBe(0);
    expect(fastSpectralNorm(new Matrix(3, 0))).toBe(0);
    expect(fastSpectralNorm(new Matrix([[1, Number.NaN]]))).toBeNaN();
    expect(fastSpectralNorm(new Matrix([[Number.NaN, 0]]))).toBeNaN();
    expect(fastSpectralNorm(new Matrix([[Number.NEGATIVE_INFINITY]]))).toBeNaN();
  });

  it('agrees at n = 64 and n = 128 as well', () => {
    for (const n of [64, 128]) {
      const a = gaussianMatrix(createRng(`big${n}`), n, n);
      expect(Math.abs(fastSpectralNorm(a) - svdNorm(a)) / svdNorm(a)).toBeLessThan(1e-13);
    }
  });
});
