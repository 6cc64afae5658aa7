import { largestSymmetricTridiagonalEigenvalue, multiplyTransposedVector, multiplyVector } from './kernels.js';
import { vectorNorm } from './linalg.js';
import type { Matrix } from './matrix.js';

/**
 * The largest singular value of a matrix known only through products: Golub–Kahan–Lanczos
 * bidiagonalisation (Lanczos on AᵀA without forming it), with full reorthogonalisation.
 *
 * What it promises, and what it does not: after k steps from a start vector v, the estimate is
 * ‖A x‖ for a unit vector x in the Krylov space span{v, AᵀA v, …}, so it never exceeds ‖A‖
 * (up to the rounding of one product). It is a LOWER bound. It converges to ‖A‖ fast when the
 * start has a component along the top right singular vector and the top singular value stands
 * apart, but no number of products certifies that nothing larger was missed (a start orthogonal
 * to the top singular vector never sees it): a bound it exceeds is truly exceeded, a bound it
 * stays under is only not refuted.
 */

/** A linear map through its products: A·x (length `rows`) and Aᵀ·y (length `columns`). */
export interface LinearOperator {
  rows: number;
  columns: number;
  apply(x: Float64Array): Float64Array;
  applyTransposed(y: Float64Array): Float64Array;
}

export interface SingularValueEstimate {
  /** ‖A x‖ ≤ ‖A‖ for the unit Ritz vector x below. */
  value: number;
  /** The right Ritz vector x (unit length): a warm start for a nearby operator. */
  vector: Float64Array;
  /** Bidiagonalisation steps taken (each one A·v and one Aᵀ·u; one more A·x measures the estimate). */
  steps: number;
  /** The estimate stopped changing (relative change ≤ tolerance) or the Krylov space closed. */
  converged: boolean;
}

export interface LanczosOptions {
  maxSteps?: number;
  /** Stop once the Ritz value changes by at most this much, relatively, in one step. */
  tolerance?: number;
}

/** x ← x − Σ (bᵀx) b over an orthonormal basis, twice (one pass loses orthogonality to rounding). */
function orthogonalize(x: Float64Array, basis: readonly Float64Array[]): void {
  // Stryker disable next-line EqualityOperator: a third pass (<=) removes only what rounding left after two, so it changes nothing but rounding; pass >= 2 is killed
  for (let pass = 0; pass < 2; pass++) {
    for (const b of basis) {
      let dot = 0;
      for (let i = 0; i < x.length; i++) dot += (b[i] as number) * (x[i] as number);
      // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
      for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - dot * (b[i] as number);
    }
  }
}

/** The largest eigenvalue of BᵀB for the upper bidiagonal B (diagonal α, superdiagonal β), and its eigenvector. */
function topOfBidiagonal(alpha: readonly number[], beta: readonly number[]): { value: number; vector: Float64Array } {
  const k = alpha.length;
  // BᵀB is tridiagonal: diagonal α_i² + β_{i−1}², off-diagonal α_i β_i.
  const diagonal = new Float64Array(k);
  // Stryker disable next-line ArithmeticOperator: k + 1 entries only add trailing zeros, which no reader looks at (both stop at index k − 2)
  const off = new Float64Array(Math.max(0, k - 1));
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; i <= 0, i >= 0 and i >= k are killed
  for (let i = 0; i < k; i++) diagonal[i] = (alpha[i] as number) ** 2 + (i > 0 ? (beta[i - 1] as number) ** 2 : 0);
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  // Stryker disable next-line ArithmeticOperator: i − 1 < k runs two more turns, whose writes land past the end of the typed array off, which JavaScript ignores; the division is killed
  for (let i = 0; i + 1 < k; i++) off[i] = (alpha[i] as number) * (beta[i] as number);
  const value = largestSymmetricTridiagonalEigenvalue(diagonal, off);
  // Its eigenvector by inverse iteration on the (small) tridiagonal, shifted just above the eigenvalue.
  // Stryker disable next-line ArithmeticOperator: − MIN_VALUE is lost to rounding unless value is 0 (or subnormal), and at 0 it puts the shift just below instead of just above: 1/(0 − shift) is +∞ instead of −∞, and both fall back to the same uniform vector below; value / (1 + 1e−10) and 1 − 1e−10 are killed
  const shift = value * (1 + 1e-10) + Number.MIN_VALUE;
  let y: Float64Array = new Float64Array(k).fill(1);
  for (let sweep = 0; sweep < 3; sweep++) {
    y = solveTridiagonal(diagonal, off, shift, y);
    const size = vectorNorm(y);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: size is never 0 (y solves (T − shift)y = b for a unit b, so some entry is at least 1/‖T − shift‖), and for NaN or ∞ the isFinite test decides alone; false, size <= 0 and the other conditional mutants are killed
    // Stryker disable next-line LogicalOperator: with && an infinite size (y overflowed) turns y into NaN, whose size the next sweep meets with the same fallback
    // Stryker disable next-line ArithmeticOperator: the Ritz vector is rescaled to unit length at the end, so only the size of this uniform y changes (and for k = 1, 1·√1 = 1/√1)
    if (!(size > 0) || !Number.isFinite(size)) return { value, vector: new Float64Array(k).fill(1 / Math.sqrt(k)) };
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let i = 0; i < k; i++) y[i] = (y[i] as number) / size;
  }
  return { value, vector: y };
}

/** (T − shift·I)⁻¹ b for symmetric tridiagonal T, Gaussian elimination with partial pivoting. */
function solveTridiagonal(diagonal: Float64Array, off: Float64Array, shift: number, b: Float64Array): Float64Array {
  const k = diagonal.length;
  // Rows of the band: (lower, main, upper, upper2) after pivoting.
  const main = Float64Array.from(diagonal, (d) => d - shift);
  const upper = new Float64Array(k);
  const upper2 = new Float64Array(k);
  const lower = new Float64Array(k);
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: more turns copy off[k − 1] (undefined, so NaN) into upper[k − 1], which the solve never reads (the last row has no upper entry), and write everything else past the end of typed arrays; i + 1 >= k times out
  for (let i = 0; i + 1 < k; i++) {
    upper[i] = off[i] as number;
    lower[i + 1] = off[i] as number;
  }
  const x = Float64Array.from(b);
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: more turns read lower[k] (undefined, so the factor is NaN) and write only past the end of typed arrays, which JavaScript ignores; i + 1 >= k times out
  for (let i = 0; i + 1 < k; i++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: T − shift is negative definite (the shift lies above its top eigenvalue), so elimination without row swaps is stable too: never swapping, or swapping on ties, changes only rounding; true and <= are killed
    if (Math.abs(lower[i + 1] as number) > Math.abs(main[i] as number)) {
      // Swap rows i and i + 1.
      const [m0, u0, w0, x0] = [main[i] as number, upper[i] as number, upper2[i] as number, x[i] as number];
      main[i] = lower[i + 1] as number;
      upper[i] = main[i + 1] as number;
      upper2[i] = upper[i + 1] as number;
      x[i] = x[i + 1] as number;
      lower[i + 1] = m0;
      main[i + 1] = u0;
      upper[i + 1] = w0;
      x[i + 1] = x0;
    }
    // Stryker disable next-line ConditionalExpression: T − shift is negative definite, so no pivot of its elimination is 0; true is killed
    const pivot = (main[i] as number) === 0 ? Number.MIN_VALUE : (main[i] as number);
    const factor = (lower[i + 1] as number) / pivot;
    main[i + 1] = (main[i + 1] as number) - factor * (upper[i] as number);
    upper[i + 1] = (upper[i + 1] as number) - factor * (upper2[i] as number);
    x[i + 1] = (x[i + 1] as number) - factor * (x[i] as number);
  }
  // Stryker disable next-line ArithmeticOperator: starting at k + 1 adds two turns that read past the end (NaN) and write past the end of x, which JavaScript ignores
  for (let i = k - 1; i >= 0; i--) {
    let sum = x[i] as number;
    if (i + 1 < k) sum -= (upper[i] as number) * (x[i + 1] as number);
    if (i + 2 < k) sum -= (upper2[i] as number) * (x[i + 2] as number);
    // Stryker disable next-line ConditionalExpression: T − shift is negative definite, so no pivot of its elimination is 0; true is killed
    const pivot = (main[i] as number) === 0 ? Number.MIN_VALUE : (main[i] as number);
    x[i] = sum / pivot;
  }
  return x;
}

/** ‖A‖ from below: see the comment at the top of this file. `start` need not be normalised. */
export function largestSingularValue(operator: LinearOperator, start: Float64Array, options: LanczosOptions = {}): SingularValueEstimate {
  const maxSteps = Math.max(1, Math.min(options.maxSteps ?? 40, operator.columns));
  const tolerance = options.tolerance ?? 1e-12;
  const n = operator.columns;
  const startNorm = vectorNorm(start);
  if (!(startNorm > 0) || !Number.isFinite(startNorm)) throw new RangeError('largestSingularValue: the start vector must be finite and non-zero');
  const V: Float64Array[] = [Float64Array.from(start, (x) => x / startNorm)];
  const U: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let previous = 0;
  let converged = false;
  // Also the answer when A v₀ = 0 (no step taken): x = v₀, ‖A x‖ = 0.
  let top: { value: number; vector: Float64Array } = { value: 0, vector: new Float64Array(1).fill(1) };
  for (let k = 0; k < maxSteps; k++) {
    const v = V[k] as Float64Array;
    const p = Float64Array.from(operator.apply(v));
    // Stryker disable next-line ArithmeticOperator: U[k + 1] is always undefined, which skips the β u subtraction below; the reorthogonalisation against U removes that component anyway, so only rounding changes
    const lastU = U[k - 1];
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: skipping this subtraction, or adding instead, leaves a multiple of u_{k−1} that orthogonalize(p, U) just below removes, so only rounding changes; true and the division are killed
    if (lastU !== undefined) for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - (beta[k - 1] as number) * (lastU[i] as number);
    orthogonalize(p, U);
    const a = vectorNorm(p);
    if (!Number.isFinite(a)) return { value: Number.NaN, vector: v, steps: k + 1, converged: false };
    if (a === 0) {
      // A v_k lies in the space already seen: the Krylov space is closed.
      converged = true;
      break;
    }
    const u = p.map((x) => x / a);
    U.push(u);
    alpha.push(a);
    const r = Float64Array.from(operator.applyTransposed(u));
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: skipping this subtraction, or adding instead, leaves a multiple of v_k that orthogonalize(r, V) just below removes, so only rounding changes; the division is killed
    for (let i = 0; i < n; i++) r[i] = (r[i] as number) - a * (v[i] as number);
    orthogonalize(r, V);
    const b = vectorNorm(r);
    top = topOfBidiagonal(alpha, beta);
    const theta = Math.sqrt(top.value);
    // β ≈ 0: the Krylov space is invariant to rounding (an orthogonal map closes it at once).
    if (
      b <= 1e-10 * theta ||
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: after n steps the v's are an orthonormal basis of Rⁿ, so β is rounding noise (about n·ε·‖A‖) and β ≤ 1e−10·θ (θ = ‖A‖ by then) has stopped the run already; k + 1 !== n is killed
      k + 1 === n ||
      Math.abs(theta - previous) <= tolerance * theta
    ) {
      converged = true;
      break;
    }
    previous = theta;
    beta.push(b);
    V.push(r.map((x) => x / b));
  }
  // The Ritz vector x = Σ y_i v_i, and the estimate ‖A x‖ measured directly: a lower bound by construction.
  const x = new Float64Array(n);
  const y = top.vector;
  for (let i = 0; i < y.length; i++) {
    const vi = V[i] as Float64Array;
    const yi = y[i] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) x[j] = (x[j] as number) + yi * (vi[j] as number);
  }
  // x is a unit combination (‖y‖ = 1) of orthonormal v's, so size is 1 up to rounding.
  const size = vectorNorm(x);
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: size is 1 up to rounding (see above), so skipping the division, or multiplying, changes only rounding
  for (let j = 0; j < n; j++) x[j] = (x[j] as number) / size;
  return { value: vectorNorm(operator.apply(x)), vector: x, steps: alpha.length, converged };
}

/** A dense matrix as an operator (for ‖W‖ and λ₁(WᵀW) = ‖W‖² without an O(n³) factorisation). */
export function matrixOperator(a: Matrix): LinearOperator {
  return {
    rows: a.rows,
    columns: a.columns,
    apply: (x) => multiplyVector(a, x),
    applyTransposed: (y) => multiplyTransposedVector(a, y),
  };
}
