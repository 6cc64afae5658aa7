import { logistic } from './activation.js';
import { UNIT_ROUNDOFF } from './compare.js';
import type { Rng } from './random.js';

/**
 * Logistic regression on generated data: features x_i ~ N(0, I_d), labels y_i ∈ {0, 1}
 * drawn with P(y_i = 1) = σ(x_i·θ*) for a hidden θ*. The loss is κ times the mean
 * log-loss, κ set by the caller (it plays the role of a learning-rate scale).
 */
export interface LogisticProblem {
  features: Float64Array[];
  labels: Float64Array;
  scale: number;
}

export function logisticData(rng: Rng, points: number, dim: number): Omit<LogisticProblem, 'scale'> {
  const truth = Float64Array.from({ length: dim }, () => (3 * rng.gaussian()) / Math.sqrt(dim));
  const features: Float64Array[] = [];
  const labels = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const x = Float64Array.from({ length: dim }, () => rng.gaussian());
    let z = 0;
    for (let j = 0; j < dim; j++) z += (x[j] as number) * (truth[j] as number);
    // Stryker disable next-line EqualityOperator: u ≤ σ(z) differs from u < σ(z) only on a tie of probability 0 (u ≥ σ(z) is killed by the replay test)
    labels[i] = rng.uniform() < logistic(z) ? 1 : 0;
    features.push(x);
  }
  return { features, labels };
}

/** Mean log-loss over all points (without the scale κ): −mean[y log σ(z) + (1−y) log(1−σ(z))]. */
export function meanLogLoss(problem: Omit<LogisticProblem, 'scale'>, theta: ArrayLike<number>): number {
  let total = 0;
  problem.features.forEach((x, i) => {
    let z = 0;
    for (let j = 0; j < x.length; j++) z += (x[j] as number) * (theta[j] as number);
    // log(1 + e^{−|z|}) + max(z, 0) − y·z: the log-loss without overflow.
    total += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (problem.labels[i] as number) * z;
  });
  return total / problem.features.length;
}

export interface MiniBatchGradient {
  gradient: Float64Array;
  /**
   * A bound on ‖computed gradient − exact gradient at the same θ‖₂ (first order in u):
   * each z_i = x_i·θ errs by γ_d Σ|x_ij||θ_j|, σ by 4u plus |Δz|/4 (σ′ ≤ ¼), the residual
   * σ − y by one more u, the sum over the batch by γ_b Σ|r_i||x_ij|, and κ/b by 2u.
   */
  roundingBound: number;
}

/** ∇ of κ·mean log-loss over the batch: (κ/b) Σ_i (σ(x_i·θ) − y_i) x_i. */
export function miniBatchGradient(problem: LogisticProblem, batch: ArrayLike<number>, theta: ArrayLike<number>): MiniBatchGradient {
  const dim = theta.length;
  const b = batch.length;
  const u = UNIT_ROUNDOFF;
  const sum = new Float64Array(dim);
  const residualError = new Float64Array(dim);
  const summationScale = new Float64Array(dim);
  for (let k = 0; k < b; k++) {
    const i = batch[k] as number;
    const x = problem.features[i] as Float64Array;
    let z = 0;
    let zScale = 0;
    for (let j = 0; j < dim; j++) {
      z += (x[j] as number) * (theta[j] as number);
      zScale += Math.abs((x[j] as number) * (theta[j] as number));
    }
    const residual = logistic(z) - (problem.labels[i] as number);
    const error = 5 * u + (dim * u * zScale) / 4;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < dim; j++) {
      const xj = x[j] as number;
      sum[j] = (sum[j] as number) + residual * xj;
      residualError[j] = (residualError[j] as number) + error * Math.abs(xj);
      summationScale[j] = (summationScale[j] as number) + Math.abs(residual * xj);
    }
  }
  const factor = problem.scale / b;
  const gradient = new Float64Array(dim);
  let bound = 0;
  for (let j = 0; j < dim; j++) {
    gradient[j] = factor * (sum[j] as number);
    const componentBound = factor * ((b + 2) * u * (summationScale[j] as number) + (residualError[j] as number));
    bound += componentBound * componentBound;
  }
  return { gradient, roundingBound: Math.sqrt(bound) };
}

/**
 * A Lipschitz constant of θ ↦ ∇(κ·batch loss): the Hessian is (κ/b) X_Bᵀ D X_B with
 * 0 ≤ D ≤ ¼, so L = κ λ₁(G)/(4b) with G = X_B X_Bᵀ or X_Bᵀ X_B (whichever is smaller) would do.
 * λ₁(G) is bounded from above without an eigensolver: for symmetric G ⪰ 0 of size m,
 * λ₁ ≤ ‖G⁸‖_F^{1/8} ≤ m^{1/16}·λ₁ (three squarings, each rescaled to stay in range), so the
 * bound is rigorous and at most 9 % above λ₁ for m ≤ 4, 33 % for m ≤ 100.
 */
export function batchLipschitz(problem: Omit<LogisticProblem, 'scale'>, batch: ArrayLike<number>, scale = 1): number {
  const rows = Array.from({ length: batch.length }, (_, k) => problem.features[batch[k] as number] as Float64Array);
  const dim = rows[0]?.length ?? 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: X Xᵀ and Xᵀ X have the same nonzero eigenvalues, hence the same ‖G^k‖_F; the choice only saves work
  const byRows = rows.length <= dim;
  const m = byRows ? rows.length : dim;
  let gram: Float64Array = new Float64Array(m * m);
  // Stryker disable next-line EqualityOperator: one more turn (<=) has p = m, where the inner loop (q from m to m − 1) does nothing
  for (let p = 0; p < m; p++) {
    for (let q = p; q < m; q++) {
      let sum = 0;
      if (byRows) {
        const a = rows[p] as Float64Array;
        const b = rows[q] as Float64Array;
        // Stryker disable next-line AssignmentOperator: −G has the same ‖G^8‖_F as G (even powers, and the Frobenius norm ignores signs)
        for (let j = 0; j < dim; j++) sum += (a[j] as number) * (b[j] as number);
      } else {
        // Stryker disable next-line AssignmentOperator: −G has the same ‖G^8‖_F as G (even powers, and the Frobenius norm ignores signs)
        for (const r of rows) sum += (r[p] as number) * (r[q] as number);
      }
      gram[p * m + q] = sum;
      gram[q * m + p] = sum;
    }
  }
  let logScale = 0;
  for (let power = 1; power < 8; power *= 2) {
    const norm = frobenius(gram);
    if (norm === 0) return 0;
    logScale += Math.log(norm) / power;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let k = 0; k < gram.length; k++) gram[k] = (gram[k] as number) / norm;
    gram = symmetricSquare(gram, m);
  }
  // λ₁ ≤ (‖G⁸‖_F)^{1/8}, assembled from the rescalings: G⁸ = (n₁ n₂² n₄⁴)·(rescaled)⁸ …
  const bound = Math.exp(logScale + Math.log(frobenius(gram)) / 8);
  // … and the products' rounding (relative ≈ 3m·u per squaring) is far below the slack of m^{1/16}.
  return (scale * bound) / (4 * batch.length);
}

function frobenius(a: Float64Array): number {
  let sum = 0;
  for (const x of a) sum += x * x;
  return Math.sqrt(sum);
}

function symmetricSquare(a: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  // Stryker disable next-line EqualityOperator: one more turn (<=) has p = m, where the inner loop (q from m to m − 1) does nothing
  for (let p = 0; p < m; p++) {
    for (let q = p; q < m; q++) {
      let sum = 0;
      // Stryker disable next-line AssignmentOperator: −A² is squared again (or only its Frobenius norm is used), so its sign never shows
      for (let k = 0; k < m; k++) sum += (a[p * m + k] as number) * (a[k * m + q] as number);
      out[p * m + q] = sum;
      out[q * m + p] = sum;
    }
  }
  return out;
}
