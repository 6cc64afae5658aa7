import { EigenvalueDecomposition, Matrix } from './matrix.js';

/** The empirical mean of a batch whose rows are the samples. */
export function batchMean(X: Matrix): Float64Array {
  const mean = new Float64Array(X.columns);
  for (let i = 0; i < X.rows; i++) {
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < X.columns; j++) mean[j] = (mean[j] as number) + X.get(i, j);
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (let j = 0; j < X.columns; j++) mean[j] = (mean[j] as number) / X.rows;
  return mean;
}

/** The empirical covariance with the population normalisation: (1/N) Σ (x_i − x̄)(x_i − x̄)ᵀ. */
export function batchCovariance(X: Matrix): Matrix {
  const mean = batchMean(X);
  const d = X.columns;
  const centred = new Float64Array(d);
  const covariance = new Matrix(d, d);
  for (let i = 0; i < X.rows; i++) {
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < d; j++) centred[j] = X.get(i, j) - (mean[j] as number);
    // Stryker disable next-line EqualityOperator: one more turn (<=) has j = d, where the inner loop (k from d to d − 1) does nothing
    for (let j = 0; j < d; j++) {
      const cj = centred[j] as number;
      // Stryker disable next-line EqualityOperator: one more turn (<=) sets column d of a row stored as a typed array, which JavaScript ignores
      for (let k = j; k < d; k++) covariance.set(j, k, covariance.get(j, k) + cj * (centred[k] as number));
    }
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) has j = d, where the inner loop (k from d to d − 1) does nothing
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const value = covariance.get(j, k) / X.rows;
      covariance.set(j, k, value);
      covariance.set(k, j, value);
    }
  }
  return covariance;
}

/** A batch whitened with its own statistics, and what it took. */
export interface Whitening {
  /** (X − x̄) C^{−1/2}: empirical mean 0 and empirical covariance I, up to rounding. */
  whitened: Matrix;
  /** The batch's own covariance C (population normalisation). */
  covariance: Matrix;
  /** λ_max(C) / λ_min(C): how much rounding the whitening amplifies. */
  conditionNumber: number;
}

/**
 * ZCA whitening from the batch's own statistics: x ↦ C^{−1/2}(x − x̄) with
 * C^{−1/2} = V Λ^{−1/2} Vᵀ from the symmetric eigendecomposition C = V Λ Vᵀ.
 * It needs an invertible C, so at least d + 1 samples in general position.
 */
export function zcaWhiten(X: Matrix): Whitening {
  const N = X.rows;
  const d = X.columns;
  const covariance = batchCovariance(X);
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: without the hint ml-matrix tests the matrix, finds it symmetric and takes the same path
  const eig = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const largest = Math.max(...values);
  const smallest = Math.min(...values);
  // Below d·ε·λ_max an eigenvalue is indistinguishable from 0: C is singular to working precision.
  // Stryker disable next-line EqualityOperator,ConditionalExpression: a covariance has λ_min ≤ λ_max, so λ_max ≤ 0 fails the second test too, and a tie at the threshold is immaterial
  if (!(largest > 0) || !(smallest > d * Number.EPSILON * largest)) {
    throw new Error(`cannot whiten a batch of ${N} samples in dimension ${d}: its covariance is singular (it needs at least d + 1 samples in general position)`);
  }
  const V = eig.eigenvectorMatrix;
  const inverseRoot = new Matrix(d, d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      let sum = 0;
      for (let m = 0; m < d; m++) sum += (V.get(j, m) * V.get(k, m)) / Math.sqrt(values[m] as number);
      inverseRoot.set(j, k, sum);
    }
  }
  const mean = batchMean(X);
  const centred = X.clone();
  for (let i = 0; i < N; i++) {
    // Stryker disable next-line EqualityOperator: one more turn (<=) sets column d of a row stored as a typed array, which JavaScript ignores
    for (let j = 0; j < d; j++) centred.set(i, j, X.get(i, j) - (mean[j] as number));
  }
  return { whitened: centred.mmul(inverseRoot), covariance, conditionNumber: largest / smallest };
}

/**
 * A rounding allowance for whitening, from its error model: the eigendecomposition is
 * backward stable (error ≈ d·ε relative to ‖C‖), which C^{−1/2} amplifies by κ(C), and the
 * sums over N samples add about N·ε. The factor 8 covers the constants of both.
 */
export function whiteningRoundingError(samples: number, dim: number, conditionNumber: number): number {
  return 8 * (dim * conditionNumber + samples) * Number.EPSILON;
}

/**
 * Batch normalisation of one unit's pre-activations without learned scale or shift:
 * (z_i − μ)/σ with μ the batch mean and σ² the population variance (1/N) Σ (z_i − μ)².
 */
export function batchNormalise(z: ArrayLike<number>): Float64Array {
  const N = z.length;
  let mean = 0;
  for (let i = 0; i < N; i++) mean += z[i] as number;
  mean /= N;
  let variance = 0;
  for (let i = 0; i < N; i++) variance += ((z[i] as number) - mean) ** 2;
  variance /= N;
  if (!(variance > 0)) {
    throw new Error(`batch normalisation is undefined for a batch of ${N} equal pre-activations (variance 0)`);
  }
  const std = Math.sqrt(variance);
  return Float64Array.from(z, (value) => (value - mean) / std);
}
