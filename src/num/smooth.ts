import { Matrix } from './matrix.js';
import { logistic, softplus } from './activation.js';
import { spectralNorm } from './linalg.js';

/**
 * A smooth f: Rⁿ → R with exact derivatives, used where a claim needs a function that is not
 * quadratic (the Taylor remainder, Newton's iteration).
 */
export interface SmoothFunction {
  name: string;
  dim: number;
  value(x: Float64Array): number;
  gradient(x: Float64Array): Float64Array;
  hessian(x: Float64Array): Matrix;
  /** D³f(x)[u,u,u]: along x + tu the remainder after the quadratic term is (t³/6)·D³f(x)[u,u,u] + O(t⁴). */
  thirdDerivative(x: Float64Array, u: Float64Array): number;
  /** A magnitude that the rounding error of value(x) is proportional to (sum of |terms|). */
  roundingScale(x: Float64Array): number;
  /**
   * A global bound L on ‖∇²f(x) − ∇²f(y)‖ / ‖x − y‖ (null when the Hessian is not globally
   * Lipschitz). It is sup_{‖u‖=1} |D³f[u,u,u]| bounded above, since for a symmetric trilinear
   * form that sup equals its operator norm.
   */
  hessianLipschitz(): number | null;
  /** The function's defining data (for records of a trial's inputs). */
  parameters(): Record<string, number | number[] | number[][]>;
}

/** An affine map z = A x + b with the magnitudes |A||x| + |b| that bound the rounding of z. */
interface Affine {
  A: Matrix;
  b: Float64Array;
}

function affine({ A, b }: Affine, x: Float64Array): { z: Float64Array; magnitude: Float64Array } {
  const m = A.rows;
  const z = new Float64Array(m);
  const magnitude = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i] as number;
    let size = Math.abs(b[i] as number);
    for (let j = 0; j < A.columns; j++) {
      const term = A.get(i, j) * (x[j] as number);
      sum += term;
      size += Math.abs(term);
    }
    z[i] = sum;
    magnitude[i] = size;
  }
  return { z, magnitude };
}

/** Aᵀ w. */
function transposeTimes(A: Matrix, w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(A.columns);
  for (let i = 0; i < A.rows; i++) {
    const wi = w[i] as number;
    // Stryker disable next-line ConditionalExpression: skipping a zero weight is only a shortcut, since adding A[i][j]·0 = ±0 leaves every entry unchanged (A is finite); the always-true mutant is killed
    if (wi === 0) continue;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; j >= A.columns is killed
    for (let j = 0; j < A.columns; j++) out[j] = (out[j] as number) + A.get(i, j) * wi;
  }
  return out;
}

/** Aᵀ diag(w) A. */
function weightedGram(A: Matrix, w: ArrayLike<number>): Matrix {
  const n = A.columns;
  const out = new Matrix(n, n);
  for (let i = 0; i < A.rows; i++) {
    const wi = w[i] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) has j = n, where the loop over k from n to n − 1 does nothing; j >= n is killed
    for (let j = 0; j < n; j++) {
      const aij = A.get(i, j) * wi;
      // Stryker disable next-line ConditionalExpression: skipping a zero product is only a shortcut, since adding 0·A[i][k] = ±0 leaves every entry unchanged (A is finite); the always-true mutant is killed
      if (aij === 0) continue;
      // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; k >= n is killed
      for (let k = j; k < n; k++) out.set(j, k, out.get(j, k) + aij * A.get(i, k));
    }
  }
  for (let j = 0; j < n; j++) {
    // Stryker disable next-line EqualityOperator: one more turn (<=) has k = j, which copies a diagonal entry onto itself; k >= j is killed
    for (let k = 0; k < j; k++) out.set(j, k, out.get(k, j));
  }
  return out;
}

function rowNorm(A: Matrix, i: number): number {
  let sum = 0;
  for (let j = 0; j < A.columns; j++) sum += A.get(i, j) ** 2;
  return Math.sqrt(sum);
}

/** ½μ‖x‖² − tᵀx: makes a convex f strongly convex and moves its minimiser where we want it. */
export interface RidgeAndTilt {
  ridge: number;
  tilt: Float64Array;
}

function extraParameters(extra: RidgeAndTilt | undefined): Record<string, number | number[]> {
  return extra === undefined ? {} : { ridge: extra.ridge, tilt: Array.from(extra.tilt) };
}

function addRidgeAndTilt(extra: RidgeAndTilt | undefined, x: Float64Array) {
  if (extra === undefined) return { value: 0, magnitude: 0 };
  let value = 0;
  let magnitude = 0;
  for (let j = 0; j < x.length; j++) {
    const xj = x[j] as number;
    const quadratic = 0.5 * extra.ridge * xj * xj;
    const linear = (extra.tilt[j] as number) * xj;
    value += quadratic - linear;
    magnitude += quadratic + Math.abs(linear);
  }
  return { value, magnitude };
}

function ridgeGradient(extra: RidgeAndTilt | undefined, x: Float64Array, gradient: Float64Array): Float64Array {
  if (extra === undefined) return gradient;
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; j >= x.length is killed
  for (let j = 0; j < x.length; j++) gradient[j] = (gradient[j] as number) + extra.ridge * (x[j] as number) - (extra.tilt[j] as number);
  return gradient;
}

function ridgeHessian(extra: RidgeAndTilt | undefined, hessian: Matrix): Matrix {
  if (extra === undefined) return hessian;
  for (let j = 0; j < hessian.rows; j++) hessian.set(j, j, hessian.get(j, j) + extra.ridge);
  return hessian;
}

/** softmax(z), shifted by max z so that no exponential overflows. */
function softmax(z: Float64Array): { p: Float64Array; logSum: number } {
  let top = Number.NEGATIVE_INFINITY;
  for (const zi of z) top = Math.max(top, zi);
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    p[i] = Math.exp((z[i] as number) - top);
    sum += p[i] as number;
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; i >= z.length is killed
  for (let i = 0; i < z.length; i++) p[i] = (p[i] as number) / sum;
  return { p, logSum: top + Math.log(sum) };
}

/**
 * f(x) = log Σᵢ exp(aᵢᵀx + bᵢ) (+ ½μ‖x‖² − tᵀx): ∇f = Aᵀp, ∇²f = Aᵀ(diag p − ppᵀ)A with
 * p = softmax(Ax + b); D³f[u,u,u] = Σ pᵢ (vᵢ − v̄)³ with v = Au, v̄ = pᵀv.
 */
export function logSumExp(A: Matrix, b: Float64Array, extra?: RidgeAndTilt): SmoothFunction {
  const map = { A, b };
  return {
    name: 'log-sum-exp',
    dim: A.columns,
    value(x) {
      return softmax(affine(map, x).z).logSum + addRidgeAndTilt(extra, x).value;
    },
    gradient(x) {
      return ridgeGradient(extra, x, transposeTimes(A, softmax(affine(map, x).z).p));
    },
    hessian(x) {
      const { p } = softmax(affine(map, x).z);
      const mean = transposeTimes(A, p);
      const h = weightedGram(A, p);
      for (let j = 0; j < h.rows; j++) {
        // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores; k >= h.columns is killed
        for (let k = 0; k < h.columns; k++) h.set(j, k, h.get(j, k) - (mean[j] as number) * (mean[k] as number));
      }
      return ridgeHessian(extra, h);
    },
    thirdDerivative(x, u) {
      // The third cumulant of v = Au under the weights p = softmax(Ax + b).
      const { p } = softmax(affine(map, x).z);
      const v = affine({ A, b: new Float64Array(A.rows) }, u).z;
      let mean = 0;
      for (let i = 0; i < v.length; i++) mean += (p[i] as number) * (v[i] as number);
      let third = 0;
      for (let i = 0; i < v.length; i++) third += (p[i] as number) * ((v[i] as number) - mean) ** 3;
      return third;
    },
    roundingScale(x) {
      const { z, magnitude } = affine(map, x);
      return Math.abs(softmax(z).logSum) + Math.max(...magnitude) + addRidgeAndTilt(extra, x).magnitude;
    },
    // |Σ pᵢ(vᵢ − v̄)³| ≤ max|vᵢ − v̄| · Var_p(v) ≤ 2R · R² with R = max ‖aᵢ‖ (‖u‖ = 1).
    hessianLipschitz: () => 2 * Math.max(0, ...Array.from({ length: A.rows }, (_, i) => rowNorm(A, i))) ** 3,
    parameters: () => ({ A: A.to2DArray(), b: Array.from(b), ...extraParameters(extra) }),
  };
}

/** max_z |σ''(z)| = max_s s(1−s)(1−2s) = 1/(6√3), reached at s = (3 ± √3)/6. */
export const LOGISTIC_SECOND_DERIVATIVE_BOUND = 1 / (6 * Math.sqrt(3));

/**
 * f(x) = Σᵢ cᵢ softplus(aᵢᵀx + bᵢ) (+ ½μ‖x‖² − tᵀx), with cᵢ ≥ 0 so that f is convex:
 * ∇f = Aᵀ(c ⊙ σ(z)), ∇²f = Aᵀ diag(c ⊙ σ'(z)) A, D³f[u,u,u] = Σ cᵢ σ''(zᵢ)(aᵢᵀu)³.
 */
export function softplusSum(A: Matrix, b: Float64Array, c: Float64Array, extra?: RidgeAndTilt): SmoothFunction {
  if (c.some((ci) => ci < 0)) throw new RangeError('softplusSum: the weights c must be ≥ 0');
  const map = { A, b };
  return {
    name: 'softplus sum',
    dim: A.columns,
    value(x) {
      const { z } = affine(map, x);
      let sum = 0;
      for (let i = 0; i < z.length; i++) sum += (c[i] as number) * softplus(z[i] as number);
      return sum + addRidgeAndTilt(extra, x).value;
    },
    gradient(x) {
      const { z } = affine(map, x);
      return ridgeGradient(extra, x, transposeTimes(A, Array.from(z, (zi, i) => (c[i] as number) * logistic(zi))));
    },
    hessian(x) {
      const { z } = affine(map, x);
      const weights = Array.from(z, (zi, i) => (c[i] as number) * logistic(zi) * logistic(-zi));
      return ridgeHessian(extra, weightedGram(A, weights));
    },
    thirdDerivative(x, u) {
      // σ'' = s(1 − s)(1 − 2s) with s = σ(z).
      const { z } = affine(map, x);
      const v = affine({ A, b: new Float64Array(A.rows) }, u).z;
      let third = 0;
      for (let i = 0; i < z.length; i++) {
        const s = logistic(z[i] as number);
        third += (c[i] as number) * s * (1 - s) * (1 - 2 * s) * (v[i] as number) ** 3;
      }
      return third;
    },
    roundingScale(x) {
      const { z, magnitude } = affine(map, x);
      let sum = 0;
      for (let i = 0; i < z.length; i++) {
        const zi = z[i] as number;
        sum += (c[i] as number) * (softplus(zi) + logistic(zi) * (magnitude[i] as number));
      }
      return sum + addRidgeAndTilt(extra, x).magnitude;
    },
    // |Σ cᵢσ''(zᵢ)(aᵢᵀu)³| ≤ max|σ''| · maxᵢ cᵢ‖aᵢ‖ · Σ(aᵢᵀu)² ≤ max|σ''| · maxᵢ cᵢ‖aᵢ‖ · ‖A‖².
    hessianLipschitz: () =>
      LOGISTIC_SECOND_DERIVATIVE_BOUND * Math.max(0, ...Array.from({ length: A.rows }, (_, i) => (c[i] as number) * rowNorm(A, i))) * spectralNorm(A) ** 2,
    parameters: () => ({ A: A.to2DArray(), b: Array.from(b), c: Array.from(c), ...extraParameters(extra) }),
  };
}

/**
 * Rosenbrock's function in n ≥ 2 dimensions, f(x) = Σ_{i<n} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)².
 * It is a quartic polynomial, so its Hessian is not globally Lipschitz.
 */
export function rosenbrock(n: number): SmoothFunction {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`rosenbrock: dimension ${n} is below 2`);
  return {
    name: 'Rosenbrock',
    dim: n,
    value(x) {
      let sum = 0;
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i] as number;
        sum += 100 * ((x[i + 1] as number) - xi * xi) ** 2 + (1 - xi) ** 2;
      }
      return sum;
    },
    gradient(x) {
      const g = new Float64Array(n);
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i] as number;
        const w = (x[i + 1] as number) - xi * xi;
        g[i] = (g[i] as number) - 400 * xi * w - 2 * (1 - xi);
        g[i + 1] = (g[i + 1] as number) + 200 * w;
      }
      return g;
    },
    hessian(x) {
      const h = new Matrix(n, n);
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i] as number;
        h.set(i, i, h.get(i, i) + 1200 * xi * xi - 400 * (x[i + 1] as number) + 2);
        h.set(i + 1, i + 1, h.get(i + 1, i + 1) + 200);
        h.set(i, i + 1, -400 * xi);
        h.set(i + 1, i, -400 * xi);
      }
      return h;
    },
    thirdDerivative(x, u) {
      // With w = x_{i+1} − xᵢ²: w' = u_{i+1} − 2xᵢuᵢ, w'' = −2uᵢ², w''' = 0, so (100w²)''' = 600 w'w''.
      let third = 0;
      for (let i = 0; i < n - 1; i++) {
        const ui = u[i] as number;
        third += -1200 * ui * ui * ((u[i + 1] as number) - 2 * (x[i] as number) * ui);
      }
      return third;
    },
    roundingScale(x) {
      let sum = 0;
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i] as number;
        sum += 100 * (Math.abs(x[i + 1] as number) + xi * xi) ** 2 + (1 + Math.abs(xi)) ** 2;
      }
      return sum;
    },
    hessianLipschitz: () => null,
    parameters: () => ({ n }),
  };
}
