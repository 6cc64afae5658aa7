import type { Matrix } from 'ml-matrix';
import { type Activation, applyElementwise } from '../num/activation.js';
import { matVec } from '../num/linalg.js';
import { type Rng, gaussianMatrix, gaussianVector, matrixWithSpectralNorm } from '../num/random.js';
import { inputDrive, runOnActivations } from '../num/rnn.js';
import { choiceValue, integerValue } from '../options.js';
import { vectorIdentityCheck } from './checks.js';
import { ACTIVATION_CHOICES, type ActivationChoice, selectedActivations } from './rnn-cases.js';
import { type ClaimDefinition, type Subcommand, registerSubcommand } from './subcommand.js';
import { type ToleranceParams, toleranceFor, toleranceOptions } from './tolerance.js';
import type { Check, Figure, InputValue, TrialOutcome } from './types.js';

export interface RnnEquivParams extends ToleranceParams {
  activation: ActivationChoice;
  dim: number;
  inputDim: number;
  steps: number;
}

export const RNN_EQUIV_DEFAULTS: RnnEquivParams = {
  activation: 'tanh',
  dim: 8,
  inputDim: 4,
  steps: 50,
  rtol: null,
  atol: null,
};

/** The recurrence on pre-activations, h_t = W σ(h_{t−1}) + U x_t + b; tests swap in wrong ones. */
export type PreactivationStep = (W: Matrix, activation: Activation, h: Float64Array, drive: Float64Array) => Float64Array;

export const PREACTIVATION_STEP: PreactivationStep = (W, activation, h, drive) => {
  const next = matVec(W, applyElementwise(activation.apply, h));
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (let i = 0; i < next.length; i++) next[i] = (next[i] as number) + (drive[i] as number);
  return next;
};

/** Claim 1.1: started from g_0 = σ(h_0), the two recurrences satisfy g_t = σ(h_t) at every t. */
export function equivalenceClaim(step: PreactivationStep = PREACTIVATION_STEP): ClaimDefinition<RnnEquivParams> {
  return {
    id: '1.1',
    title: 'h_t = W σ(h_{t−1}) + U x_t + b and g_t = σ(W g_{t−1} + U x_t + b) agree: g_t = σ(h_t)',
    equations: [1, 2, 3],
    trials: 50,
    trial(rng: Rng, params: RnnEquivParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const recorded: Record<string, () => InputValue> = {};
      const tolerance = toleranceFor(params, 'identity');
      const activations = selectedActivations(params.activation);
      for (const activation of activations) {
        const n = params.dim;
        // Unbounded activations get a contraction (‖W‖ < 1) so that no run overflows, however long.
        const norm = activation.bounded ? rng.between(0.5, 2) : rng.between(0.5, 0.95);
        const W = matrixWithSpectralNorm(rng, n, n, norm);
        const U = gaussianMatrix(rng, n, params.inputDim, 1 / Math.sqrt(params.inputDim));
        const b = gaussianVector(rng, n);
        const inputs = Array.from({ length: params.steps }, () => gaussianVector(rng, params.inputDim));
        const drive = inputDrive({ W, U, b }, inputs);
        const h0 = gaussianVector(rng, n, 2);
        recorded[activation.name] = () => ({
          W: W.to2DArray(),
          U: U.to2DArray(),
          b: Array.from(b),
          x: inputs.map((x) => Array.from(x)),
          h0: Array.from(h0),
        });

        // Route 1: iterate the pre-activation recurrence and apply σ afterwards.
        const h = [h0];
        for (const d of drive) h.push(step(W, activation, h[h.length - 1] as Float64Array, d));
        // Route 2: iterate the usual recurrence from g_0 = σ(h_0).
        const { states: g, preactivations: z } = runOnActivations(W, activation, applyElementwise(activation.apply, h0), drive);

        let largest = 0;
        for (let t = 0; t <= params.steps; t++) {
          const sigmaH = applyElementwise(activation.apply, h[t] as Float64Array);
          const check = vectorIdentityCheck('g_t = σ(h_t)', `${activation.name}, t=${t}`, g[t] as Float64Array, sigmaH, tolerance);
          largest = Math.max(largest, check.error);
          checks.push(check);
          // The induction step: h_t is exactly the pre-activation of the usual recurrence.
          if (t > 0) checks.push(vectorIdentityCheck('h_t = W g_{t−1} + U x_t + b', `${activation.name}, t=${t}`, h[t] as Float64Array, z[t - 1] as Float64Array, tolerance));
        }
        const prefix = activations.length > 1 ? `${activation.name}: ` : '';
        figures.push(
          { key: `${activation.name}.norm`, label: `${prefix}‖W‖`, value: norm },
          { key: `${activation.name}.largestDifference`, label: `${prefix}max_t |g_t − σ(h_t)|`, value: largest },
        );
      }
      return { checks, figures, inputs: () => Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()])) };
    },
  };
}

/** The subcommand's definition; tests register variants of it with broken claims. */
export const RNN_EQUIV_SUBCOMMAND: Subcommand<RnnEquivParams> = {
  name: 'rnn-equiv',
  summary: 'claim 1.1: activation inside or outside the recurrence gives the same states',
  description:
    'Runs h_t = W σ(h_{t−1}) + U x_t + b and g_t = σ(W g_{t−1} + U x_t + b) side by side from g_0 = σ(h_0) on random weights and inputs, and checks g_t = σ(h_t) at every step.',
  examples: ['hwcheck rnn-equiv', 'hwcheck rnn-equiv --activation all --steps 200', 'hwcheck rnn-equiv --activation relu --dim 32 --json'],
  options: [
    { key: 'activation', flag: '--activation', valueName: 'name', description: `${ACTIVATION_CHOICES.join(' | ')} (default: tanh)`, parse: choiceValue(ACTIVATION_CHOICES) },
    { key: 'dim', flag: '--dim', valueName: 'n', description: 'hidden size n (default: 8)', parse: integerValue(1, 100000), shrinkTo: 1 },
    { key: 'inputDim', flag: '--input-dim', valueName: 'm', description: 'input size m (default: 4)', parse: integerValue(1, 100000), shrinkTo: 1 },
    { key: 'steps', flag: '--steps', valueName: 'T', description: 'time steps T (default: 50)', parse: integerValue(1, 100000), shrinkTo: 1 },
    ...toleranceOptions,
  ],
  defaults: RNN_EQUIV_DEFAULTS,
  claims: [equivalenceClaim()],
  trialSeconds(params) {
    // Two recurrences of T steps (products by W and U) and the entry-by-entry comparisons, per activation.
    const T = params.steps;
    const n = params.dim;
    return selectedActivations(params.activation).length * (0.001 + 3.4e-9 * T * n * (n + params.inputDim) + 3.8e-6 * T * n);
  },
  estimateBytes(params) {
    const n = params.dim;
    const T = params.steps;
    // Kept until the trial ends for --dump, for every activation: W (n×n), U (n×m), b and h_0 (n
    // each) and the inputs x_1…x_T (T×m).
    const kept = n * (n + params.inputDim) + 2 * n + T * params.inputDim;
    // While an activation runs: the drives U x_t + b and h_1…h_T (T×n each), g_0…g_T ((T+1)×n) and
    // the pre-activations z_1…z_T (T×n).
    const running = (4 * T + 1) * n;
    return 8 * (selectedActivations(params.activation).length * kept + running);
  },
};

export const rnnEquivCommand = registerSubcommand(RNN_EQUIV_SUBCOMMAND);
