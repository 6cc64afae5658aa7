import { Matrix } from '../num/matrix.js';
import { toleranceFor } from './tolerance.js';
import type { Check, Figure, InputValue, Plot } from './types.js';
import { ACTIVATION_NAMES, ACTIVATIONS, type Activation, type ActivationName } from '../num/activation.js';
import { matVec } from '../num/linalg.js';
import { type Rng, gaussianMatrix, gaussianVector } from '../num/random.js';
import { inputDrive } from '../num/rnn.js';

/** Highest power reached by claim 1.3's exploding witness, so that its norms stay far from overflow. */
export const EXPLODING_CEILING = 1e200;

/** A fully specified run of the recurrence g_t = σ(W g_{t−1} + U x_t + b). */
export interface RnnCase {
  label: string;
  W: Matrix;
  /** U x_t + b for t = 1…T. */
  drive: Float64Array[];
  g0: Float64Array;
}

export type ActivationChoice = ActivationName | 'all';
export const ACTIVATION_CHOICES: readonly ActivationChoice[] = [...ACTIVATION_NAMES, 'all'];

export function selectedActivations(choice: ActivationChoice): Activation[] {
  return choice === 'all' ? ACTIVATION_NAMES.map((name) => ACTIVATIONS[name]) : [ACTIVATIONS[choice]];
}

/** Random inputs: U x_t + b with U scaled by 1/√m, x_t, b and the initial pre-activation standard normal. */
export function randomCase(rng: Rng, label: string, activation: Activation, W: Matrix, inputDim: number, steps: number): RnnCase {
  const n = W.rows;
  const U = gaussianMatrix(rng, n, inputDim, 1 / Math.sqrt(inputDim));
  const b = gaussianVector(rng, n);
  const inputs = Array.from({ length: steps }, () => gaussianVector(rng, inputDim));
  const g0 = gaussianVector(rng, n).map(activation.apply);
  return { label, W, drive: inputDrive({ W, U, b }, inputs), g0 };
}

/**
 * Holds every pre-activation at the activation's peak z*, where |σ′| = γ: g_0 = σ(z*)·1 and
 * b = z*·1 − W g_0, so W g_{t−1} + b = z*·1 at every step and ∂g_t/∂g_0 = (γW)^t.
 * `noise` adds U x_t with x_t ~ N(0, noise²) to move slightly off the peak.
 */
export function peakCase(rng: Rng, label: string, activation: Activation, W: Matrix, steps: number, noise = 0): RnnCase {
  const n = W.rows;
  const g0 = new Float64Array(n).fill(activation.apply(activation.peak));
  const Wg = matVec(W, g0);
  const b = Float64Array.from(Wg, (v) => activation.peak - v);
  const drive = Array.from({ length: steps }, () => {
    if (noise === 0) return Float64Array.from(b);
    const x = gaussianVector(rng, n, noise);
    return Float64Array.from(b, (v, i) => v + (x[i] as number));
  });
  return { label, W, drive, g0 };
}

/**
 * Drives every unit deep into the activation's flat region: the bias is −c with
 * c = 10 + max row sum of |W|, so every pre-activation stays ≤ −10 while |σ| ≤ 1 there.
 */
export function saturatedCase(label: string, activation: Activation, W: Matrix, steps: number): RnnCase {
  let rowSum = 0;
  for (let i = 0; i < W.rows; i++) {
    let s = 0;
    for (let j = 0; j < W.columns; j++) s += Math.abs(W.get(i, j));
    rowSum = Math.max(rowSum, s);
  }
  const c = 10 + rowSum;
  const drive = Array.from({ length: steps }, () => new Float64Array(W.rows).fill(-c));
  const g0 = new Float64Array(W.rows).fill(activation.apply(-c));
  return { label, W, drive, g0 };
}

/** The n×n shift matrix (ones on the superdiagonal): nilpotent, N^n = 0, with ‖N‖ = 1. */
export function shiftMatrix(n: number): Matrix {
  const m = new Matrix(n, n);
  // Stryker disable next-line EqualityOperator: one more turn (<=) sets column n of a row stored as a typed array, which JavaScript ignores
  for (let i = 0; i + 1 < n; i++) m.set(i, i + 1, 1);
  return m;
}

/** The data that determines a case: W, every U x_t + b, and g_0 (what `--dump` records). */
export function caseInputs(c: RnnCase): Record<string, InputValue> {
  return { W: c.W.to2DArray(), drive: c.drive.map((d) => Array.from(d)), g0: Array.from(c.g0) };
}

/** Records the cases a trial ran, keyed "activation, label", for `--dump`. */
export function recordCases(cases: readonly (readonly [Activation, RnnCase])[]): Record<string, InputValue> {
  return Object.fromEntries(cases.map(([activation, c]) => [`${activation.name}, ${c.label}`, caseInputs(c)]));
}

/** What every trial of claim 1.3 starts from, by either method: empty outputs and the sizes. */
export function trialSetup(params: { activation: ActivationChoice; dim: number; steps: number; rtol: number | null; atol: number | null }) {
  const activations = selectedActivations(params.activation);
  return {
    checks: [] as Check[],
    figures: [] as Figure[],
    cases: [] as [Activation, RnnCase][],
    plots: [] as (() => Plot)[],
    activations,
    several: activations.length > 1,
    identity: toleranceFor(params, 'identity'),
    n: params.dim,
    T: params.steps,
  };
}
