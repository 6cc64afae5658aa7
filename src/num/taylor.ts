import { EigenvalueDecomposition, LuDecomposition, Matrix } from './matrix.js';
import { dot, matVec, maxAbs, vectorNorm } from './linalg.js';
import { type Rng, gaussianMatrix, randomOrthogonal } from './random.js';
import { leastSquaresSlope } from './stats.js';


/**
 * The second-order model of f at x₀: f̂(x) = f(x₀) + (x − x₀)ᵀg + ½(x − x₀)ᵀH(x − x₀) (eq 31),
 * with g = ∇f(x₀) and H = ∇²f(x₀) symmetric.
 */
export interface QuadraticModel {
  x0: Float64Array;
  f0: number;
  g: Float64Array;
  H: Matrix;
}

/** x − y. */
export function difference(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) throw new RangeError(`difference: lengths ${x.length} and ${y.length}`);
  const out = new Float64Array(x.length);
  // Stryker disable next-line EqualityOperator: one more turn (<=) writes past the end of a typed array, which JavaScript ignores
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) - (y[i] as number);
  return out;
}

/** x + s·v. */
export function step(x: ArrayLike<number>, s: number, v: ArrayLike<number>): Float64Array {
  if (x.length !== v.length) throw new RangeError(`step: lengths ${x.length} and ${v.length}`);
  const out = new Float64Array(x.length);
  // Stryker disable next-line EqualityOperator: one more turn (<=) writes past the end of a typed array, which JavaScript ignores
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + s * (v[i] as number);
  return out;
}

/** f̂(x) evaluated term by term from its definition, eq (31). */
export function modelValue(model: QuadraticModel, x: ArrayLike<number>): number {
  const d = difference(x, model.x0);
  return model.f0 + dot(d, model.g) + 0.5 * dot(d, matVec(model.H, d));
}

/**
 * The sum of the magnitudes of the terms of eq (31) at x: the rounding error of modelValue
 * is a small multiple of unit roundoff times this (not times |f̂(x)|, which may cancel to 0).
 */
export function modelScale(model: QuadraticModel, x: ArrayLike<number>): number {
  const d = difference(x, model.x0);
  let curvature = 0;
  for (let i = 0; i < d.length; i++) {
    for (let j = 0; j < d.length; j++) curvature += Math.abs((d[i] as number) * model.H.get(i, j) * (d[j] as number));
  }
  let linear = 0;
  for (let i = 0; i < d.length; i++) linear += Math.abs((d[i] as number) * (model.g[i] as number));
  return Math.abs(model.f0) + linear + 0.5 * curvature;
}

/** ∇f̂(x) = g + H(x − x₀), eq (36); used only as the direction of gradient descent. */
export function modelGradient(model: QuadraticModel, x: ArrayLike<number>): Float64Array {
  const gradient = matVec(model.H, difference(x, model.x0));
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; i >= gradient.length is killed
  for (let i = 0; i < gradient.length; i++) gradient[i] = (gradient[i] as number) + (model.g[i] as number);
  return gradient;
}

/** The kinds of Hessian the claims draw: by the signs of their eigenvalues. */
export const HESSIAN_KINDS = ['pd', 'indefinite', 'nd', 'random'] as const;
export type HessianKind = (typeof HESSIAN_KINDS)[number];

/** Eigenvalue magnitudes of a controlled spectrum lie in [0.5, 5], so that κ(H) ≤ 10. */
export const SPECTRUM_RANGE = { low: 0.5, high: 5 } as const;

/** log-uniform on [low, high]. */
function logUniform(rng: Rng, low: number, high: number): number {
  return Math.exp(rng.between(Math.log(low), Math.log(high)));
}

/**
 * Eigenvalues for a kind: pd all positive, nd all negative, indefinite both signs (n ≥ 2,
 * the first half positive and the rest negative); magnitudes log-uniform in SPECTRUM_RANGE.
 */
export function controlledSpectrum(rng: Rng, kind: Exclude<HessianKind, 'random'>, n: number): Float64Array {
  if (kind === 'indefinite' && n < 2) throw new RangeError('an indefinite matrix needs n ≥ 2');
  const positives = kind === 'pd' ? n : kind === 'nd' ? 0 : Math.ceil(n / 2);
  return Float64Array.from({ length: n }, (_, i) => (i < positives ? 1 : -1) * logUniform(rng, SPECTRUM_RANGE.low, SPECTRUM_RANGE.high));
}

/** ½(M + Mᵀ): removes the asymmetry that rounding leaves in a product such as QΛQᵀ. */
export function symmetrize(m: Matrix): Matrix {
  return m.clone().add(m.transpose()).mul(0.5);
}

/** H = QΛQᵀ with a Haar-random orthogonal Q: a symmetric matrix with exactly the given spectrum. */
export function symmetricWithSpectrum(rng: Rng, eigenvalues: ArrayLike<number>): { H: Matrix; Q: Matrix } {
  const n = eigenvalues.length;
  const Q = randomOrthogonal(rng, n);
  const scaled = Q.clone();
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads column n of Q (undefined) and writes past the end of each row of scaled, a typed array, which JavaScript ignores; j >= n is killed
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) scaled.set(i, j, Q.get(i, j) * (eigenvalues[j] as number));
  }
  return { H: symmetrize(scaled.mmul(Q.transpose())), Q };
}

/** (G + Gᵀ)/√(2n) for a Gaussian G: a symmetric matrix whose spectrum nobody chose (semicircle on [−2, 2]). */
export function randomSymmetric(rng: Rng, n: number): Matrix {
  return symmetrize(gaussianMatrix(rng, n, n)).mul(Math.sqrt(2 / n));
}

/** A symmetric H of the given kind. */
export function sampleHessian(rng: Rng, kind: HessianKind, n: number): Matrix {
  return kind === 'random' ? randomSymmetric(rng, n) : symmetricWithSpectrum(rng, controlledSpectrum(rng, kind, n)).H;
}

/** The eigen-decomposition of a symmetric matrix, eigenvalues in increasing order, vectors as columns. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Matrix;
}

export function symmetricEigen(H: Matrix): SymmetricEigen {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: every caller passes an exactly symmetric H, which ml-matrix then detects itself (isSymmetric) and sends down the same tred2/tql2 path
  const eig = new EigenvalueDecomposition(H, { assumeSymmetric: true });
  // Stryker disable next-line MethodExpression,ArrowFunction: ml-matrix's symmetric path (tql2) already returns the eigenvalues in increasing order, and a stable sort of a sorted list changes nothing; () => undefined for the map is killed
  const order = eig.realEigenvalues.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const vectors = new Matrix(H.rows, H.rows);
  const source = eig.eigenvectorMatrix;
  order.forEach(({ index }, column) => {
    for (let i = 0; i < H.rows; i++) vectors.set(i, column, source.get(i, index));
  });
  return { values: Float64Array.from(order, (o) => o.value), vectors };
}

/** The 2-norm condition number of a symmetric H from its eigenvalues: max|λ| / min|λ| (∞ if singular). */
export interface ConditionEstimate {
  condition: number;
  smallest: number;
  largest: number;
}

export function conditionOfSymmetric(values: ArrayLike<number>): ConditionEstimate {
  let smallest = Number.POSITIVE_INFINITY;
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const m = Math.abs(values[i] as number);
    smallest = Math.min(smallest, m);
    largest = Math.max(largest, m);
  }
  if (!Number.isFinite(largest) || Number.isNaN(smallest)) return { condition: Number.NaN, smallest, largest };
  return { condition: smallest === 0 ? Number.POSITIVE_INFINITY : largest / smallest, smallest, largest };
}

/**
 * Above this condition number a solve keeps fewer than about four correct digits
 * (κ·u ≈ 1e-4), so H is treated as singular to working precision.
 */
export const CONDITION_LIMIT = 1e12;

export type SolveResult =
  | { ok: true; x: Float64Array; condition: number }
  | { ok: false; condition: number; reason: string };

/**
 * Solves H x = b for a symmetric H, refusing (with the reason) when H is singular or too
 * ill-conditioned for the answer to mean anything, instead of returning NaN or garbage.
 */
export function solveSymmetric(H: Matrix, b: ArrayLike<number>, limit = CONDITION_LIMIT): SolveResult {
  if (H.rows !== H.columns || H.rows !== b.length) {
    throw new RangeError(`solveSymmetric: ${H.rows}×${H.columns} matrix and vector of length ${b.length}`);
  }
  if (!Number.isFinite(maxAbs(H.to1DArray())) || !Number.isFinite(maxAbs(b))) {
    return { ok: false, condition: Number.NaN, reason: 'H or the right-hand side has a non-finite entry' };
  }
  const { condition, smallest, largest } = conditionOfSymmetric(symmetricEigen(H).values);
  if (!(condition <= limit)) {
    const detail = largest === 0 ? 'H = 0' : `condition estimate ${condition.toExponential(2)} > ${limit.toExponential(0)}, smallest |λ| ${smallest.toExponential(2)}`;
    return { ok: false, condition, reason: `H is singular to working precision (${detail})` };
  }
  const lu = new LuDecomposition(H);
  if (lu.isSingular()) return { ok: false, condition: Number.POSITIVE_INFINITY, reason: 'H is singular (a zero pivot)' };
  const x = Float64Array.from(lu.solve(Matrix.columnVector(Array.from(b))).getColumn(0));
  if (!Number.isFinite(maxAbs(x))) return { ok: false, condition, reason: 'the solve overflowed' };
  return { ok: true, x, condition };
}

/**
 * The minimiser of a unimodal φ on [low, high] by golden-section search: brackets shrink by
 * 0.618 per step using only values of φ, so it is independent of any formula for the minimiser.
 */
export function goldenSectionMinimum(phi: (t: number) => number, low: number, high: number, iterations = 200): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = low;
  let b = high;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = phi(c);
  let fd = phi(d);
  for (let k = 0; k < iterations && b - a > 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b)); k++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = phi(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = phi(d);
    }
  }
  return (a + b) / 2;
}

/** One point of a Taylor test: the remainder at step ε and the rounding error it may carry. */
export interface RemainderPoint {
  epsilon: number;
  remainder: number;
  rounding: number;
}

export interface MeasuredOrder {
  /** The slope of log|remainder| against log ε over the points used. */
  order: number;
  /** The points the slope was fitted on (smallest ε above the rounding floor). */
  used: RemainderPoint[];
}

/**
 * The order p of a remainder r(ε) ≈ C εᵖ from a geometric sequence of ε (a Taylor test), all
 * taken where the leading term dominates. Only points whose |r| is at least `margin` times their
 * rounding error count, so rounding moves log|r| by at most 1/margin; of those, the
 * `fitPoints` largest ε (farthest above rounding) are fitted. Throws when fewer remain.
 */
export function measureOrder(points: readonly RemainderPoint[], margin = 1e3, fitPoints = 3): MeasuredOrder {
  const clean = points
    .filter((p) => Number.isFinite(p.remainder) && p.remainder !== 0 && Math.abs(p.remainder) >= margin * p.rounding)
    .sort((a, b) => b.epsilon - a.epsilon);
  if (clean.length < fitPoints) {
    throw new Error(
      `Taylor test: only ${clean.length} of ${points.length} step sizes give a remainder ${margin} times above rounding (${fitPoints} needed)`,
    );
  }
  const used = clean.slice(0, fitPoints);
  const order = leastSquaresSlope(
    used.map((p) => Math.log(p.epsilon)),
    used.map((p) => Math.log(Math.abs(p.remainder))),
  );
  return { order, used };
}

/** top, top·ratio, top·ratio², … (count values). */
export function geometricSequence(top: number, ratio: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => top * ratio ** k);
}

/** A unit vector in a uniformly random direction. */
export function randomUnitVector(rng: Rng, n: number): Float64Array {
  for (;;) {
    const v = Float64Array.from({ length: n }, () => rng.gaussian());
    const norm = vectorNorm(v);
    if (norm > 0) return v.map((x) => x / norm);
  }
}
