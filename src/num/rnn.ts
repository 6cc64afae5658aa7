import { Matrix } from './matrix.js';
import { type Activation, applyElementwise } from './activation.js';
import { multiplyTransposedVector, multiplyVector, scaledProduct } from './kernels.js';
import { matVec } from './linalg.js';

/** The weights of one recurrent unit: W (n×n), U (n×m), b (n). */
export interface RnnWeights {
  W: Matrix;
  U: Matrix;
  b: Float64Array;
}

/** U x_t + b for every input x_1…x_T: the part of each step that does not depend on the state. */
export function inputDrive(weights: RnnWeights, inputs: readonly Float64Array[]): Float64Array[] {
  return inputs.map((x) => {
    const drive = matVec(weights.U, x);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let i = 0; i < drive.length; i++) drive[i] = (drive[i] as number) + (weights.b[i] as number);
    return drive;
  });
}

function addInto(target: Float64Array, addend: Float64Array): Float64Array {
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) + (addend[i] as number);
  return target;
}

export interface ActivationTrajectory {
  /** g_0, g_1, …, g_T. */
  states: Float64Array[];
  /** z_1, …, z_T with g_t = σ(z_t). */
  preactivations: Float64Array[];
}

/** The usual recurrence on activations: g_t = σ(W g_{t−1} + U x_t + b). */
export function runOnActivations(
  W: Matrix,
  activation: Activation,
  g0: Float64Array,
  drive: readonly Float64Array[],
): ActivationTrajectory {
  const states = [g0];
  const preactivations: Float64Array[] = [];
  let g = g0;
  for (const d of drive) {
    const z = addInto(matVec(W, g), d);
    g = applyElementwise(activation.apply, z);
    preactivations.push(z);
    states.push(g);
  }
  return { states, preactivations };
}

/** The recurrence on pre-activations: h_t = W σ(h_{t−1}) + U x_t + b. Returns h_0, …, h_T. */
export function runOnPreactivations(
  W: Matrix,
  activation: Activation,
  h0: Float64Array,
  drive: readonly Float64Array[],
): Float64Array[] {
  const states = [h0];
  let h = h0;
  for (const d of drive) {
    h = addInto(matVec(W, applyElementwise(activation.apply, h)), d);
    states.push(h);
  }
  return states;
}

/**
 * ∂g_t/∂g_0 for t = 1…T by the chain rule: J_t = D_t W · J_{t−1}, D_t = diag(σ′(z_t)),
 * so that J_T = D_T W ⋯ D_1 W with later factors on the left.
 */
export function jacobianProducts(W: Matrix, activation: Activation, preactivations: readonly Float64Array[]): Matrix[] {
  const jacobians: Matrix[] = [];
  let j = Matrix.eye(W.rows, W.columns);
  for (const z of preactivations) {
    j = scaledProduct(applyElementwise(activation.derivative, z), W, j);
    jacobians.push(j);
  }
  return jacobians;
}

/**
 * ∂g_s/∂g_0 · v for s = 1…t (t = derivatives.length) without forming any Jacobian: J_s v =
 * D_s W (J_{s−1} v), one factor at a time from the right (forward mode), D_s = diag(derivatives[s−1]).
 * O(t·n²), against O(t·n³) for the products.
 */
export function jacobianTimes(W: Matrix, derivatives: readonly Float64Array[], v: Float64Array): Float64Array[] {
  const products: Float64Array[] = [];
  let x = v;
  for (const d of derivatives) {
    const y = multiplyVector(W, x);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let i = 0; i < y.length; i++) y[i] = (d[i] as number) * (y[i] as number);
    products.push(y);
    x = y;
  }
  return products;
}

/**
 * (∂g_t/∂g_0)ᵀ · u for t = derivatives.length: J_tᵀ = Wᵀ D_1 ⋯ Wᵀ D_t, applied to u from step t
 * back to step 1 (reverse mode, a vector–Jacobian product).
 */
export function transposedJacobianTimes(W: Matrix, derivatives: readonly Float64Array[], u: Float64Array): Float64Array {
  let y: Float64Array = Float64Array.from(u);
  for (let s = derivatives.length - 1; s >= 0; s--) {
    const d = derivatives[s] as Float64Array;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let i = 0; i < y.length; i++) y[i] = (d[i] as number) * (y[i] as number);
    y = multiplyTransposedVector(W, y);
  }
  return y;
}
