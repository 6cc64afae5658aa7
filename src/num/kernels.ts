import { Matrix } from './matrix.js';

/**
 * Dense kernels on the Float64Array rows inside ml-matrix's `Matrix`: Matrix stays the type at
 * the API, while the inner loops skip `get`/`set` (a method call and two bounds checks per entry)
 * and the per-call allocations that make ml-matrix's own `mmul` reach about 0.3–1 GFLOP/s.
 * Each kernel adds its terms in the same order as the ml-matrix routine it replaces, so the
 * results are identical to the last bit (the tests compare them exactly).
 */

/**
 * The rows of a matrix as Float64Arrays, for reading. ml-matrix 6 keeps a `Matrix` as one
 * Float64Array per row (`data`, not in its type declarations); any other storage is copied.
 */
export function rowsOf(m: Matrix): readonly Float64Array[] {
  const data = (m as unknown as { data?: unknown }).data;
  if (Array.isArray(data) && data.length === m.rows) {
    const first: unknown = data[0];
    if (first instanceof Float64Array && first.length === m.columns) return data as Float64Array[];
  }
  return Array.from({ length: m.rows }, (_, i) => Float64Array.from(m.getRow(i)));
}

/** A new zero matrix and its rows, to be filled in place. */
export function zeroMatrix(rows: number, columns: number): { matrix: Matrix; rows: Float64Array[] } {
  const matrix = new Matrix(rows, columns);
  return { matrix, rows: rowsOf(matrix) as Float64Array[] };
}

function checkInner(name: string, a: Matrix, b: Matrix): void {
  if (a.columns !== b.rows) throw new RangeError(`${name}: inner dimensions differ (${a.rows}×${a.columns} · ${b.rows}×${b.columns})`);
}

/** Below this inner size the copies of the blocked kernel cost more than they save. */
const BLOCKED_FROM = 16;

/**
 * C = diag(d)·A·B, with d = null meaning no scaling. Every entry is Σ_k (d_i a_ik)·b_kj added
 * in k order from 0, exactly the sums of ml-matrix's `scaleRows`-then-`mmul`, term for term.
 * Large products run on flat copies, two rows by four columns at a time, so that each value
 * loaded from A or B feeds several multiply–adds held in registers.
 */
function productInto(d: ArrayLike<number> | null, a: Matrix, b: Matrix): Matrix {
  const m = a.rows;
  const n = a.columns;
  const p = b.columns;
  const A = rowsOf(a);
  const B = rowsOf(b);
  const { matrix, rows: C } = zeroMatrix(m, p);
  // Stryker disable next-line all: the small and the blocked routes add the same terms in the same order (bit-identical, tested against ml-matrix on both sides of 16), so the route chosen changes only the speed
  if (Math.min(m, n, p) < BLOCKED_FROM) {
    for (let i = 0; i < m; i++) {
      const ai = A[i] as Float64Array;
      const ci = C[i] as Float64Array;
      const scale = d === null ? 1 : (d[i] as number);
      for (let k = 0; k < n; k++) {
        // Stryker disable next-line ConditionalExpression: without d the scale is 1, and 1·x = x exactly (−0, ±∞ and NaN included); true, which drops d, is killed
        const aik = d === null ? (ai[k] as number) : scale * (ai[k] as number);
        const bk = B[k] as Float64Array;
        // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
        for (let j = 0; j < p; j++) ci[j] = (ci[j] as number) + aik * (bk[j] as number);
      }
    }
    return matrix;
  }
  const flatA = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = A[i] as Float64Array;
    if (d === null) flatA.set(ai, i * n);
    else {
      // Stryker disable next-line EqualityOperator: one more turn (<=) writes NaN into the next row's first slot, which that row overwrites (or past the end, ignored)
      for (let k = 0; k < n; k++) flatA[i * n + k] = (d[i] as number) * (ai[k] as number);
    }
  }
  const flatB = new Float64Array(n * p);
  for (let k = 0; k < n; k++) flatB.set(B[k] as Float64Array, k * p);
  let i = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: rows left out of the pairs go to the one-row loop below, which adds the same terms in the same order; i + 1 <= m reads a row past the last for odd m and throws (killed)
  for (; i + 1 < m; i += 2) {
    const c0 = C[i] as Float64Array;
    const c1 = C[i + 1] as Float64Array;
    const r0 = i * n;
    const r1 = r0 + n;
    let j = 0;
    // Stryker disable next-line EqualityOperator: one more block (<=) at j = p − 3 computes the last three columns right and writes its fourth past the end of the row, ignored; the remainder loop then has nothing left
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: columns left out of the blocks go to the one-column loop below (same sums, same order); j − 3 < p only adds blocks whose columns from p on are written past the end of the row, ignored
    for (; j + 3 < p; j += 4) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let k = 0; k < n; k++) {
        const x0 = flatA[r0 + k] as number;
        const x1 = flatA[r1 + k] as number;
        const o = k * p + j;
        const b0 = flatB[o] as number;
        const b1 = flatB[o + 1] as number;
        const b2 = flatB[o + 2] as number;
        const b3 = flatB[o + 3] as number;
        s00 += x0 * b0;
        s01 += x0 * b1;
        s02 += x0 * b2;
        s03 += x0 * b3;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s12 += x1 * b2;
        s13 += x1 * b3;
      }
      c0[j] = s00;
      c0[j + 1] = s01;
      c0[j + 2] = s02;
      c0[j + 3] = s03;
      c1[j] = s10;
      c1[j + 1] = s11;
      c1[j + 2] = s12;
      c1[j + 3] = s13;
    }
    // Stryker disable next-line EqualityOperator: one more turn (<=) writes column p, past the end of the row, ignored
    for (; j < p; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < n; k++) {
        const bkj = flatB[k * p + j] as number;
        s0 += (flatA[r0 + k] as number) * bkj;
        s1 += (flatA[r1 + k] as number) * bkj;
      }
      c0[j] = s0;
      c1[j] = s1;
    }
  }
  for (; i < m; i++) {
    const ci = C[i] as Float64Array;
    const r = i * n;
    // Stryker disable next-line EqualityOperator: one more turn (<=) writes column p, past the end of the row, ignored
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (flatA[r + k] as number) * (flatB[k * p + j] as number);
      ci[j] = s;
    }
  }
  return matrix;
}

/** A·B (2·rows·inner·columns flops). */
export function multiply(a: Matrix, b: Matrix): Matrix {
  checkInner('multiply', a, b);
  return productInto(null, a, b);
}

/** diag(d)·A·B: one step of a Jacobian product, J_t = D_t W · J_{t−1}. */
export function scaledProduct(d: ArrayLike<number>, a: Matrix, b: Matrix): Matrix {
  checkInner('scaledProduct', a, b);
  if (d.length !== a.rows) throw new RangeError(`scaledProduct: ${d.length} factors for ${a.rows} rows`);
  return productInto(d, a, b);
}

/**
 * y = A·x, written into `out` when given (it must not be x). Four rows at a time, each with its
 * own running sum: one load of x_j feeds four independent chains (≈2 GFLOP/s at n = 512 against
 * ≈1.2 for one row at a time), and every y_i still adds its terms in j order, as ml-matrix does.
 */
export function multiplyVector(a: Matrix, x: ArrayLike<number>, out = new Float64Array(a.rows)): Float64Array {
  if (a.columns !== x.length) throw new RangeError(`multiplyVector: ${a.rows}×${a.columns} matrix times vector of length ${x.length}`);
  const A = rowsOf(a);
  const m = a.rows;
  const n = a.columns;
  let i = 0;
  // Stryker disable next-line ConditionalExpression: rows left out of the blocks of four go to the one-row loop below, which adds the same terms in the same order
  for (; i + 3 < m; i += 4) {
    const a0 = A[i] as Float64Array;
    const a1 = A[i + 1] as Float64Array;
    const a2 = A[i + 2] as Float64Array;
    const a3 = A[i + 3] as Float64Array;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[j] as number;
      s0 += (a0[j] as number) * xj;
      s1 += (a1[j] as number) * xj;
      s2 += (a2[j] as number) * xj;
      s3 += (a3[j] as number) * xj;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < m; i++) {
    const ai = A[i] as Float64Array;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (ai[j] as number) * (x[j] as number);
    out[i] = sum;
  }
  return out;
}

/**
 * y = Aᵀ·x (a vector–Jacobian product when A is a Jacobian factor), into `out` when given (it must
 * not be x). Four rows per pass over y, each y_j still summed in row order.
 */
export function multiplyTransposedVector(a: Matrix, x: ArrayLike<number>, out = new Float64Array(a.columns)): Float64Array {
  if (a.rows !== x.length) throw new RangeError(`multiplyTransposedVector: ${a.rows}×${a.columns} matrix transposed times vector of length ${x.length}`);
  const A = rowsOf(a);
  const m = a.rows;
  const n = a.columns;
  out.fill(0);
  let i = 0;
  // Stryker disable next-line ConditionalExpression: rows left out of the blocks of four go to the one-row loop below, which adds x_i a_ij to out_j in the same order ((out + x₀a₀) + x₁a₁ …)
  for (; i + 3 < m; i += 4) {
    const a0 = A[i] as Float64Array;
    const a1 = A[i + 1] as Float64Array;
    const a2 = A[i + 2] as Float64Array;
    const a3 = A[i + 3] as Float64Array;
    const x0 = x[i] as number;
    const x1 = x[i + 1] as number;
    const x2 = x[i + 2] as number;
    const x3 = x[i + 3] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + x0 * (a0[j] as number) + x1 * (a1[j] as number) + x2 * (a2[j] as number) + x3 * (a3[j] as number);
  }
  for (; i < m; i++) {
    const ai = A[i] as Float64Array;
    const xi = x[i] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + xi * (ai[j] as number);
  }
  return out;
}

/**
 * The Householder QR of A (m×n, m ≥ n) as ml-matrix's QrDecomposition computes it (JAMA's
 * algorithm, every operation in the same order, so the same bits), on columns stored
 * contiguously: Q (m×n, orthonormal columns) and the diagonal of R. ml-matrix walks the
 * columns of its row arrays with get/set, 4–5× slower at n = 512.
 */
export function householderQr(a: Matrix): { q: Matrix; rDiagonal: Float64Array } {
  const m = a.rows;
  const n = a.columns;
  const A = rowsOf(a);
  // Column k of the factored matrix at qr[k·m … k·m + m − 1].
  const qr = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = A[i] as Float64Array;
    // Stryker disable next-line EqualityOperator: one more turn (<=) writes at n·m + i, past the end of the factored matrix, ignored
    for (let k = 0; k < n; k++) qr[k * m + i] = row[k] as number;
  }
  const rDiagonal = new Float64Array(n);
  // Stryker disable next-line EqualityOperator: one more turn (<=) at k = n reads and writes only past the end of qr and rDiagonal (ignored) and reflects no column (from n + 1 to n)
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) norm = hypotenuse(norm, qr[ck + i] as number);
    if (norm !== 0) {
      if ((qr[ck + k] as number) < 0) norm = -norm;
      for (let i = k; i < m; i++) qr[ck + i] = (qr[ck + i] as number) / norm;
      qr[ck + k] = (qr[ck + k] as number) + 1;
      reflectColumns(qr, ck, k, m, qr, k + 1, n);
    }
    rDiagonal[k] = -norm;
  }
  // Q = H_0 H_1 ⋯ H_{n−1} applied to the first n columns of the identity, last reflection first.
  const x = new Float64Array(m * n);
  // Stryker disable next-line ArithmeticOperator: starting at k = n + 1 adds two turns that write past the end of x (ignored) and reflect no column (from k to n, k > n − 1)
  for (let k = n - 1; k >= 0; k--) {
    x[k * m + k] = 1;
    if ((qr[k * m + k] as number) !== 0) reflectColumns(qr, k * m, k, m, x, k, n);
  }
  const { matrix: q, rows } = zeroMatrix(m, n);
  for (let i = 0; i < m; i++) {
    const row = rows[i] as Float64Array;
    // Stryker disable next-line EqualityOperator: one more turn (<=) writes past the end of a row, ignored
    for (let k = 0; k < n; k++) row[k] = x[k * m + i] as number;
  }
  return { q, rDiagonal };
}

/**
 * Columns j = from…to−1 of `target` (column-major, m rows) ← H_k·column, H_k the reflection stored
 * in column k of the factored matrix at offset `reflector`, rows k…m−1: s = −(v·x)/v_k, x += s·v,
 * JAMA's arithmetic exactly. Four columns share each pass over v.
 */
function reflectColumns(factors: Float64Array, reflector: number, k: number, m: number, target: Float64Array, from: number, to: number): void {
  const pivot = factors[reflector + k] as number;
  let j = from;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: columns left out of the blocks go to the one-column loop below (same sums, same order); the callers' `to` is always n, so a block reaching past it (<=, j − 3) touches column n, past the end of the column-major array: reads give NaN for that column only and writes are ignored; j + 3 >= to is killed
  for (; j + 3 < to; j += 4) {
    const c0 = j * m;
    const c1 = c0 + m;
    const c2 = c1 + m;
    const c3 = c2 + m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = k; i < m; i++) {
      const v = factors[reflector + i] as number;
      s0 += v * (target[c0 + i] as number);
      s1 += v * (target[c1 + i] as number);
      s2 += v * (target[c2 + i] as number);
      s3 += v * (target[c3 + i] as number);
    }
    s0 = -s0 / pivot;
    s1 = -s1 / pivot;
    s2 = -s2 / pivot;
    s3 = -s3 / pivot;
    for (let i = k; i < m; i++) {
      const v = factors[reflector + i] as number;
      target[c0 + i] = (target[c0 + i] as number) + s0 * v;
      target[c1 + i] = (target[c1 + i] as number) + s1 * v;
      target[c2 + i] = (target[c2 + i] as number) + s2 * v;
      target[c3 + i] = (target[c3 + i] as number) + s3 * v;
    }
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) is column n (the callers' `to`), past the end of the column-major array: ignored
  for (; j < to; j++) {
    const cj = j * m;
    let s = 0;
    for (let i = k; i < m; i++) s += (factors[reflector + i] as number) * (target[cj + i] as number);
    s = -s / pivot;
    for (let i = k; i < m; i++) target[cj + i] = (target[cj + i] as number) + s * (factors[reflector + i] as number);
  }
}

/** √(a² + b²) without overflow, as ml-matrix's QR computes it. */
function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/**
 * The Gram matrix of the rows or of the columns, whichever is smaller (AAᵀ or AᵀA, the same
 * non-zero eigenvalues), of A·inverse, as a flat symmetric m×m array.
 */
function smallerGram(A: readonly Float64Array[], rows: number, columns: number, inverse: number): { gram: Float64Array; size: number } {
  // One allocation holds the Gram matrix and, after it, the tridiagonalisation's work space:
  // arrays above 64 bytes live outside V8's heap and cost far more to allocate than to fill.
  // Stryker disable next-line all: A·Aᵀ and Aᵀ·A have the same nonzero eigenvalues, so either branch gives λ₁ (up to rounding); the choice only saves work
  if (rows <= columns) {
    // Stryker disable next-line ArithmeticOperator: without room for the work space (4/rows) the tridiagonalisation allocates its own; the other mutants here (a negative or truncated length) are killed
    const gram = new Float64Array(rows * rows + 4 * rows);
    // Stryker disable next-line EqualityOperator: one more turn (<=) has p = rows, where the inner loop (q from rows to rows − 1) does nothing
    for (let p = 0; p < rows; p++) {
      const a = A[p] as Float64Array;
      for (let q = p; q < rows; q++) {
        const b = A[q] as Float64Array;
        let sum = 0;
        for (let j = 0; j < columns; j++) sum += (a[j] as number) * inverse * ((b[j] as number) * inverse);
        gram[p * rows + q] = sum;
        gram[q * rows + p] = sum;
      }
    }
    return { gram, size: rows };
  }
  // Stryker disable next-line ArithmeticOperator: without room for the work space (4/columns) the tridiagonalisation allocates its own; the other mutants here (a negative or truncated length) are killed
  const gram = new Float64Array(columns * columns + 4 * columns);
  for (let i = 0; i < rows; i++) {
    const row = A[i] as Float64Array;
    // Rank-one update of the upper triangle by row i: Σ_i a_ip a_iq.
    // Stryker disable next-line EqualityOperator: one more turn (<=) has p = columns, where the inner loop (q from columns to columns − 1) does nothing
    for (let p = 0; p < columns; p++) {
      const ap = (row[p] as number) * inverse;
      const offset = p * columns;
      // Stryker disable next-line EqualityOperator: one more turn (<=) writes gram[p·columns + columns], the next row's first slot: below the diagonal (overwritten from the upper triangle below), or past the end of the matrix in the work space, which is written before it is read
      for (let q = p; q < columns; q++) gram[offset + q] = (gram[offset + q] as number) + ap * ((row[q] as number) * inverse);
    }
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) has p = columns, where the inner loop does nothing
  for (let p = 0; p < columns; p++) {
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: q ≤ columns writes past the end of the matrix into the work space, written before it is read; starting at q = p − 1 copies back the entry the previous turn mirrored and the diagonal onto itself (at p = 0, index −1: ignored); the index mutants here (q/columns, p·columns − q, …) are killed
    for (let q = p + 1; q < columns; q++) gram[q * columns + p] = gram[p * columns + q] as number;
  }
  return { gram, size: columns };
}

/**
 * Householder reduction of a symmetric m×m matrix (flat, overwritten) to tridiagonal form
 * Qᵀ S Q = T with the same eigenvalues: T's diagonal and off-diagonal.
 */
function tridiagonalize(S: Float64Array, m: number): { diagonal: Float64Array; offDiagonal: Float64Array } {
  // The four work vectors: after the matrix in S when the caller left room for them (it runs for every norm of every step).
  // Stryker disable next-line ConditionalExpression: false always allocates the four vectors instead of using the room after the matrix: only where they live changes, not a value; true (reading past a short S) is killed
  // Stryker disable next-line EqualityOperator: > differs only when S has exactly the room, and then allocates instead of using it: only where the vectors live changes; < is killed
  const work = S.length >= m * m + 4 * m ? S.subarray(m * m, m * m + 4 * m) : new Float64Array(4 * m);
  const diagonal = work.subarray(0, m);
  // Stryker disable next-line ArithmeticOperator: two more slots (2m + 1) are never read: only offDiagonal[0 … m − 2] is; 2/m − 1 (no off-diagonal) is killed
  const offDiagonal = work.subarray(m, 2 * m - 1);
  // Stryker disable next-line ArithmeticOperator: starting v at 2/m (0 for m ≥ 3; v is not used when m ≤ 2) lays it over the diagonal, whose slot k + 1 … is set after v's last use at step k (v is read only at indices above the step); 3/m (v empty) is killed
  const v = work.subarray(2 * m, 3 * m);
  const w = work.subarray(3 * m, 4 * m);
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: a step at k = m − 2 reflects a 1×1 block, which it leaves exactly as it was (w = 0; only a subnormal entry could round), and the lines after the loop set again what it writes; steps past it (k − 2) find nothing below the diagonal and write past the ends; k + 2 >= m is killed
  for (let k = 0; k + 2 < m; k++) {
    // x = S[k+1…m−1, k]; reflect it onto ±‖x‖ e_1.
    let scale = 0;
    for (let i = k + 1; i < m; i++) scale = Math.max(scale, Math.abs(S[i * m + k] as number));
    diagonal[k] = S[k * m + k] as number;
    if (scale === 0) {
      offDiagonal[k] = 0;
      continue;
    }
    let norm2 = 0;
    for (let i = k + 1; i < m; i++) {
      const x = (S[i * m + k] as number) / scale;
      v[i] = x;
      norm2 += x * x;
    }
    const x0 = v[k + 1] as number;
    // Stryker disable next-line EqualityOperator: at x₀ = 0 both signs of α give a valid reflection without cancellation; T's off-diagonal changes sign, its eigenvalues do not (up to rounding); x₀ < 0 (which cancels) is killed
    const alpha = (x0 >= 0 ? -1 : 1) * Math.sqrt(norm2);
    v[k + 1] = x0 - alpha;
    // vᵀv = ‖x‖² − 2αx₀ + α² = 2(α² − αx₀).
    const tau = 1 / (alpha * alpha - alpha * x0);
    offDiagonal[k] = alpha * scale;
    // p = τ·B·v over the trailing block B, then w = p − (τ/2)(pᵀv)·v, and B ← B − v wᵀ − w vᵀ.
    let pv = 0;
    for (let i = k + 1; i < m; i++) {
      let sum = 0;
      const offset = i * m;
      for (let j = k + 1; j < m; j++) sum += (S[offset + j] as number) * (v[j] as number);
      const p = tau * sum;
      w[i] = p;
      pv += p * (v[i] as number);
    }
    const half = (tau * pv) / 2;
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: starting at k − 1 changes w[k − 1] and w[k], which no later step reads (w[−1] is ignored); i = m writes past the end of w; w + half·v and half/v are killed
    for (let i = k + 1; i < m; i++) w[i] = (w[i] as number) - half * (v[i] as number);
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: rows k − 1 and k above the diagonal are never read again (row −1 is at negative indices, ignored); row m is the work space's diagonal, set again before it is read, or past the end of S
    for (let i = k + 1; i < m; i++) {
      const vi = v[i] as number;
      const wi = w[i] as number;
      const offset = i * m;
      for (let j = k + 1; j < m; j++) S[offset + j] = (S[offset + j] as number) - vi * (w[j] as number) - wi * (v[j] as number);
    }
  }
  // Stryker disable next-line ConditionalExpression: at m = 1 both writes go to index −1 of a typed array, ignored (m = 0 never comes here: largestEigenvalueOfFlat answers NaN first); false is killed
  if (m >= 2) {
    diagonal[m - 2] = S[(m - 2) * m + (m - 2)] as number;
    offDiagonal[m - 2] = S[(m - 1) * m + (m - 2)] as number;
  }
  // Stryker disable next-line ConditionalExpression: m = 0 never comes here (largestEigenvalueOfFlat answers NaN first); false is killed
  if (m >= 1) diagonal[m - 1] = S[(m - 1) * m + (m - 1)] as number;
  return { diagonal, offDiagonal };
}

/**
 * How many eigenvalues of the symmetric tridiagonal T are at or below x (Sturm sequence, by the
 * LDLᵀ pivots of T − xI). An eigenvalue equal to x makes a pivot zero, which is nudged to the
 * negative side and so counted.
 */
export function eigenvaluesBelow(diagonal: Float64Array, offDiagonal: Float64Array, x: number): number {
  let count = 0;
  let q = 1;
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads diagonal[m], undefined: q is NaN, which is neither 0 nor negative, so nothing is counted
  for (let i = 0; i < diagonal.length; i++) {
    // Stryker disable next-line ConditionalExpression: e is not used at i = 0 (the next line subtracts 0 there); true is killed
    const e = i === 0 ? 0 : (offDiagonal[i - 1] as number);
    // Stryker disable next-line ConditionalExpression: at i = 0, e = 0 and q = 1, so e²/q is 0 as well; true is killed
    q = (diagonal[i] as number) - x - (i === 0 ? 0 : (e * e) / q);
    // A zero pivot (−0 included) is nudged to a tiny negative one, and the zero it would divide next stays finite (Kahan).
    if (q === 0) q = -Number.MIN_VALUE;
    // Stryker disable next-line EqualityOperator: q is never 0 here (the line above nudged it); q >= 0 is killed
    if (q < 0) count++;
  }
  return count;
}

/** The largest eigenvalue of a symmetric tridiagonal matrix, by bisection to the last bits. */
export function largestSymmetricTridiagonalEigenvalue(diagonal: Float64Array, offDiagonal: Float64Array): number {
  const m = diagonal.length;
  // Gershgorin: every eigenvalue lies in [low, high].
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    const radius = (i > 0 ? Math.abs(offDiagonal[i - 1] as number) : 0) + (i + 1 < m ? Math.abs(offDiagonal[i] as number) : 0);
    low = Math.min(low, (diagonal[i] as number) - radius);
    high = Math.max(high, (diagonal[i] as number) + radius);
  }
  // Invariant: fewer than m eigenvalues lie below `low`'s successor…, all m lie below or at `high`.
  // The cap stops a NaN input (no comparison breaks the loop) and bounds the work where λ₁ is tiny
  // beside the interval. The callers' matrices are positive semidefinite (|e_i| ≤ √(d_i d_{i+1})
  // ≤ λ₁), so [low, high] is at most 5·λ₁ wide and adjacent floats are reached in about 55 turns.
  // Stryker disable next-line EqualityOperator: the callers' matrices never reach a 201st turn (see above); with NaN it changes nothing
  for (let k = 0; k < 200; k++) {
    const middle = low + (high - low) / 2;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: without the break (or with &&, which cannot hold while low < high), once low and high are adjacent floats, middle rounds to one of them and the update leaves both unchanged until the cap; true, and middle > low or middle < high (which break at once), are killed
    if (middle <= low || middle >= high) break;
    if (eigenvaluesBelow(diagonal, offDiagonal, middle) === m) high = middle;
    else low = middle;
  }
  return high;
}

/** λ₁ of a symmetric m×m matrix given flat (it is overwritten). */
export function largestEigenvalueOfFlat(S: Float64Array, m: number): number {
  // Stryker disable next-line ConditionalExpression: without it m = 0 gives NaN as well (Gershgorin's bounds are +∞ and −∞, their middle NaN), after 200 empty turns; true is killed
  if (m === 0) return Number.NaN;
  const { diagonal, offDiagonal } = tridiagonalize(S, m);
  return largestSymmetricTridiagonalEigenvalue(diagonal, offDiagonal);
}

/**
 * ‖A‖₂ = √λ₁(AᵀA), A first scaled to entries below 2 so that squares neither overflow nor
 * underflow where it matters: λ₁ of the Gram matrix is found to a few units of rounding of
 * ‖A‖², so the norm has full relative accuracy (unlike the small singular values, which this
 * route would lose). NaN if an entry is not finite.
 */
export function fastSpectralNorm(a: Matrix): number {
  // An empty matrix has no entry: scale stays 0 below.
  const A = rowsOf(a);
  let scale = 0;
  for (const row of A) {
    for (let j = 0; j < row.length; j++) {
      const v = Math.abs(row[j] as number);
      if (Number.isNaN(v)) return Number.NaN;
      // Stryker disable next-line EqualityOperator: >= only differs on a tie, where scale keeps the same value; v < scale is killed
      if (v > scale) scale = v;
    }
  }
  if (!Number.isFinite(scale)) return Number.NaN;
  if (scale === 0) return 0;
  // Scaled by a power of two, 2^−e with 2^e ≤ max|a_ij| < 2^(e+1): exact, and a product, not a division.
  const exponent = Math.max(-1022, Math.min(1023, Math.floor(Math.log2(scale))));
  const { gram, size } = smallerGram(A, a.rows, a.columns, 2 ** -exponent);
  return Math.sqrt(Math.max(0, largestEigenvalueOfFlat(gram, size))) * 2 ** exponent;
}
