import { Matrix } from './matrix.js';
import { logistic, softplus } from './activation.js';

/**
 * Losses of a linear model on a batch, each with its exact gradient with respect to the
 * weights. Every loss is the mean over the batch. The batch is given as its rows (the samples),
 * plain arrays, because training calls these in its inner loop; `samplesOf` converts a Matrix.
 */
export type Samples = readonly ArrayLike<number>[];

/** The rows of a batch matrix, copied once into typed arrays. */
export function samplesOf(X: Matrix): Float64Array[] {
  return Array.from({ length: X.rows }, (_, i) => Float64Array.from(X.getRow(i)));
}

export interface LossAndGradient {
  value: number;
  /** ∇_w L, same length as w. */
  gradient: Float64Array;
}

/** log Σ_k e^{v_k}, shifted by the largest entry so that no exponential overflows. */
export function logSumExp(v: ArrayLike<number>): number {
  let largest = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < v.length; k++) largest = Math.max(largest, v[k] as number);
  if (!Number.isFinite(largest)) return largest;
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += Math.exp((v[k] as number) - largest);
  return largest + Math.log(sum);
}

function checkShapes(name: string, X: Samples, w: ArrayLike<number>, targets: ArrayLike<number>): void {
  for (const x of X) {
    if (x.length !== w.length) throw new RangeError(`${name}: ${w.length} weights for ${x.length} features`);
  }
  if (targets.length !== X.length) throw new RangeError(`${name}: ${targets.length} targets for ${X.length} samples`);
}

/** z_i = wᵀx_i + b for every sample. */
export function linearOutputs(X: Samples, w: ArrayLike<number>, bias: number): Float64Array {
  const z = new Float64Array(X.length);
  for (let i = 0; i < X.length; i++) {
    const x = X[i] as ArrayLike<number>;
    let sum = bias;
    for (let j = 0; j < w.length; j++) sum += (x[j] as number) * (w[j] as number);
    z[i] = sum;
  }
  return z;
}

/** (1/N) Σ r_i x_i: the chain rule through z_i = wᵀx_i + b, given r_i = ∂ℓ_i/∂z_i. */
function weightGradient(X: Samples, residuals: Float64Array, d: number): Float64Array {
  const gradient = new Float64Array(d);
  for (let i = 0; i < X.length; i++) {
    const x = X[i] as ArrayLike<number>;
    const r = residuals[i] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < d; j++) gradient[j] = (gradient[j] as number) + r * (x[j] as number);
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (let j = 0; j < d; j++) gradient[j] = (gradient[j] as number) / X.length;
  return gradient;
}

/** Squared error L = (1/2N) Σ (wᵀx_i + b − y_i)², ∇_w L = (1/N) Σ (wᵀx_i + b − y_i) x_i. */
export function squaredError(X: Samples, targets: ArrayLike<number>, w: ArrayLike<number>, bias: number): LossAndGradient {
  checkShapes('squaredError', X, w, targets);
  const residuals = linearOutputs(X, w, bias);
  let value = 0;
  for (let i = 0; i < residuals.length; i++) {
    const r = (residuals[i] as number) - (targets[i] as number);
    residuals[i] = r;
    value += r * r;
  }
  return { value: value / (2 * X.length), gradient: weightGradient(X, residuals, w.length) };
}

/**
 * Logistic loss (binary cross-entropy on logits) with labels y_i ∈ [0, 1]:
 * L = (1/N) Σ [log(1 + e^{z_i}) − y_i z_i], ∇_w L = (1/N) Σ (σ(z_i) − y_i) x_i.
 */
export function logisticLoss(X: Samples, labels: ArrayLike<number>, w: ArrayLike<number>, bias: number): LossAndGradient {
  checkShapes('logisticLoss', X, w, labels);
  const residuals = linearOutputs(X, w, bias);
  let value = 0;
  for (let i = 0; i < residuals.length; i++) {
    const zi = residuals[i] as number;
    const yi = labels[i] as number;
    value += softplus(zi) - yi * zi;
    residuals[i] = logistic(zi) - yi;
  }
  return { value: value / X.length, gradient: weightGradient(X, residuals, w.length) };
}

export interface SoftmaxLossAndGradient {
  value: number;
  /** ∇_W L, as K rows of length d like W. */
  gradient: Float64Array[];
}

/**
 * Softmax cross-entropy of a K-class linear model with weight rows W (K rows of length d),
 * biases b (K) and integer labels:
 * L = (1/N) Σ [log Σ_k e^{(W x_i + b)_k} − (W x_i + b)_{y_i}], ∇_W L = (1/N) Σ (p_i − e_{y_i}) x_iᵀ
 * with p_i = softmax(W x_i + b).
 */
export function softmaxCrossEntropy(X: Samples, labels: ArrayLike<number>, W: Samples, biases: ArrayLike<number>): SoftmaxLossAndGradient {
  const K = W.length;
  const d = W[0]?.length ?? 0;
  const N = X.length;
  for (const row of [...W, ...X]) {
    if (row.length !== d) throw new RangeError(`softmaxCrossEntropy: a row of length ${row.length} where W has ${d} columns`);
  }
  if (biases.length !== K) throw new RangeError(`softmaxCrossEntropy: ${biases.length} biases for ${K} classes`);
  if (labels.length !== N) throw new RangeError(`softmaxCrossEntropy: ${labels.length} labels for ${N} samples`);
  const gradient = Array.from({ length: K }, () => new Float64Array(d));
  const logits = new Float64Array(K);
  let value = 0;
  for (let i = 0; i < N; i++) {
    const x = X[i] as ArrayLike<number>;
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= K) throw new RangeError(`softmaxCrossEntropy: label ${label} is not a class 0…${K - 1}`);
    for (let k = 0; k < K; k++) {
      const row = W[k] as ArrayLike<number>;
      let sum = biases[k] as number;
      for (let j = 0; j < d; j++) sum += (row[j] as number) * (x[j] as number);
      logits[k] = sum;
    }
    const normaliser = logSumExp(logits);
    value += normaliser - (logits[label] as number);
    for (let k = 0; k < K; k++) {
      const residual = Math.exp((logits[k] as number) - normaliser) - (k === label ? 1 : 0);
      const g = gradient[k] as Float64Array;
      // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
      for (let j = 0; j < d; j++) g[j] = (g[j] as number) + residual * (x[j] as number);
    }
  }
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (const g of gradient) for (let j = 0; j < d; j++) g[j] = (g[j] as number) / N;
  return { value: value / N, gradient };
}
