import { Matrix } from 'ml-matrix';

/**
 * Losses of a linear model on a batch (rows of X are the samples), each with its exact
 * gradient with respect to the weights. Every loss is the mean over the batch.
 */
export interface LossAndGradient {
  value: number;
  /** ∇_w L, same length as w. */
  gradient: Float64Array;
}

/** log(1 + eᶻ) without overflow for large z or loss of digits for very negative z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** 1/(1 + e^{−z}), evaluated on the side where the exponential cannot overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
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

function checkShapes(name: string, X: Matrix, w: ArrayLike<number>, targets: ArrayLike<number>): void {
  if (w.length !== X.columns) throw new RangeError(`${name}: ${w.length} weights for ${X.columns} features`);
  if (targets.length !== X.rows) throw new RangeError(`${name}: ${targets.length} targets for ${X.rows} samples`);
}

/** z_i = wᵀx_i + b for every sample. */
export function linearOutputs(X: Matrix, w: ArrayLike<number>, bias: number): Float64Array {
  const z = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let sum = bias;
    for (let j = 0; j < X.columns; j++) sum += X.get(i, j) * (w[j] as number);
    z[i] = sum;
  }
  return z;
}

/** (1/N) Σ r_i x_i: the chain rule through z_i = wᵀx_i + b, given r_i = ∂ℓ_i/∂z_i. */
function weightGradient(X: Matrix, residuals: Float64Array): Float64Array {
  const gradient = new Float64Array(X.columns);
  for (let i = 0; i < X.rows; i++) {
    const r = residuals[i] as number;
    for (let j = 0; j < X.columns; j++) gradient[j] = (gradient[j] as number) + r * X.get(i, j);
  }
  for (let j = 0; j < X.columns; j++) gradient[j] = (gradient[j] as number) / X.rows;
  return gradient;
}

/** Squared error L = (1/2N) Σ (wᵀx_i + b − y_i)², ∇_w L = (1/N) Σ (wᵀx_i + b − y_i) x_i. */
export function squaredError(X: Matrix, targets: ArrayLike<number>, w: ArrayLike<number>, bias: number): LossAndGradient {
  checkShapes('squaredError', X, w, targets);
  const z = linearOutputs(X, w, bias);
  const residuals = Float64Array.from(z, (zi, i) => zi - (targets[i] as number));
  let value = 0;
  for (const r of residuals) value += r * r;
  return { value: value / (2 * X.rows), gradient: weightGradient(X, residuals) };
}

/**
 * Logistic loss (binary cross-entropy on logits) with labels y_i ∈ [0, 1]:
 * L = (1/N) Σ [log(1 + e^{z_i}) − y_i z_i], ∇_w L = (1/N) Σ (σ(z_i) − y_i) x_i.
 */
export function logisticLoss(X: Matrix, labels: ArrayLike<number>, w: ArrayLike<number>, bias: number): LossAndGradient {
  checkShapes('logisticLoss', X, w, labels);
  const z = linearOutputs(X, w, bias);
  let value = 0;
  const residuals = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    const zi = z[i] as number;
    const yi = labels[i] as number;
    value += softplus(zi) - yi * zi;
    residuals[i] = sigmoid(zi) - yi;
  }
  return { value: value / X.rows, gradient: weightGradient(X, residuals) };
}

export interface SoftmaxLossAndGradient {
  value: number;
  /** ∇_W L, K×d like W. */
  gradient: Matrix;
}

/**
 * Softmax cross-entropy of a K-class linear model W (K×d) with biases b (K) and integer labels:
 * L = (1/N) Σ [log Σ_k e^{(W x_i + b)_k} − (W x_i + b)_{y_i}], ∇_W L = (1/N) Σ (p_i − e_{y_i}) x_iᵀ
 * with p_i = softmax(W x_i + b).
 */
export function softmaxCrossEntropy(X: Matrix, labels: ArrayLike<number>, W: Matrix, biases: ArrayLike<number>): SoftmaxLossAndGradient {
  const K = W.rows;
  const d = X.columns;
  if (W.columns !== d) throw new RangeError(`softmaxCrossEntropy: W has ${W.columns} columns for ${d} features`);
  if (biases.length !== K) throw new RangeError(`softmaxCrossEntropy: ${biases.length} biases for ${K} classes`);
  if (labels.length !== X.rows) throw new RangeError(`softmaxCrossEntropy: ${labels.length} labels for ${X.rows} samples`);
  const gradient = new Matrix(K, d);
  const logits = new Float64Array(K);
  let value = 0;
  for (let i = 0; i < X.rows; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= K) throw new RangeError(`softmaxCrossEntropy: label ${label} is not a class 0…${K - 1}`);
    for (let k = 0; k < K; k++) {
      let sum = biases[k] as number;
      for (let j = 0; j < d; j++) sum += W.get(k, j) * X.get(i, j);
      logits[k] = sum;
    }
    const normaliser = logSumExp(logits);
    value += normaliser - (logits[label] as number);
    for (let k = 0; k < K; k++) {
      const residual = Math.exp((logits[k] as number) - normaliser) - (k === label ? 1 : 0);
      for (let j = 0; j < d; j++) gradient.set(k, j, gradient.get(k, j) + residual * X.get(i, j));
    }
  }
  return { value: value / X.rows, gradient: gradient.div(X.rows) };
}
