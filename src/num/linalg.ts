import { EigenvalueDecomposition, type Matrix } from './matrix.js';
import { fastSpectralNorm, multiply, multiplyVector, rowsOf, zeroMatrix } from './kernels.js';

/** A · B, with the same sums as ml-matrix's `mmul`; the kernel refuses mismatched inner dimensions (mmul does not). */
export function product(a: Matrix, b: Matrix): Matrix {
  return multiply(a, b);
}

/** A · x for a vector x; the kernel refuses a length that does not match. */
export function matVec(a: Matrix, x: ArrayLike<number>): Float64Array {
  return multiplyVector(a, x);
}

/** diag(d) · A: scales row i of A by d[i]. */
export function scaleRows(d: ArrayLike<number>, a: Matrix): Matrix {
  if (a.rows !== d.length) throw new RangeError(`scaleRows: ${d.length} factors for ${a.rows} rows`);
  const A = rowsOf(a);
  const { matrix, rows } = zeroMatrix(a.rows, a.columns);
  for (let i = 0; i < a.rows; i++) {
    const factor = d[i] as number;
    const source = A[i] as Float64Array;
    const target = rows[i] as Float64Array;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < a.columns; j++) target[j] = factor * (source[j] as number);
  }
  return matrix;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`dot: lengths ${x.length} and ${y.length}`);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] as number) * (y[i] as number);
  return sum;
}

/** Euclidean norm, scaled to avoid overflow and underflow of the squares. */
export function vectorNorm(x: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i] as number));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const r = (x[i] as number) / scale;
    sum += r * r;
  }
  return scale * Math.sqrt(sum);
}

/** The largest absolute entry; NaN if any entry is NaN. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] as number);
    if (Number.isNaN(v)) return Number.NaN;
    // Stryker disable next-line EqualityOperator: >= only differs on a tie, where m keeps the same value
    if (v > m) m = v;
  }
  return m;
}

/**
 * The spectral (L2 operator) norm: the largest singular value, as √λ₁ of the smaller Gram
 * matrix of A scaled to unit size (full relative accuracy; the tests hold it to ml-matrix's
 * SVD). NaN if any entry is not finite.
 */
export function spectralNorm(a: Matrix): number {
  return fastSpectralNorm(a);
}

/** The eigenvalues of a symmetric matrix, in decreasing order. */
export function symmetricEigenvalues(s: Matrix): number[] {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: given a symmetric matrix, the general algorithm finds the same eigenvalues up to rounding
  const eig = new EigenvalueDecomposition(s, { assumeSymmetric: true });
  return [...eig.realEigenvalues].sort((x, y) => y - x);
}

/** λ₁(S): the largest eigenvalue of a symmetric matrix S. */
export function largestEigenvalue(s: Matrix): number {
  const values = symmetricEigenvalues(s);
  return values[0] ?? Number.NaN;
}

/** ‖A − B‖ measured entrywise: the largest |a_ij − b_ij|. */
export function maxAbsDifference(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.columns !== b.columns) {
    throw new RangeError(`maxAbsDifference: shapes ${a.rows}×${a.columns} and ${b.rows}×${b.columns}`);
  }
  const A = rowsOf(a);
  const B = rowsOf(b);
  let m = 0;
  for (let i = 0; i < a.rows; i++) {
    const x = A[i] as Float64Array;
    const y = B[i] as Float64Array;
    for (let j = 0; j < a.columns; j++) {
      const d = Math.abs((x[j] as number) - (y[j] as number));
      if (Number.isNaN(d)) return Number.NaN;
      // Stryker disable next-line EqualityOperator: >= only differs on a tie, where m keeps the same value
      if (d > m) m = d;
    }
  }
  return m;
}
