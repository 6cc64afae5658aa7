import { Matrix } from '../num/matrix.js';
import { ACTIVATIONS, type Activation, distanceToKinks } from '../num/activation.js';
import { CENTRAL_DIFFERENCE_STEP, centralStep, finiteDifferenceColumns } from '../num/diff.js';
import { rowsOf, zeroMatrix } from '../num/kernels.js';
import { largestEigenvalue, maxAbs, spectralNorm } from '../num/linalg.js';
import {
  type Rng,
  matrixWithSpectralNorm,
  nonNormalMatrix,
  randomOrthogonal,
  randomPermutation,
} from '../num/random.js';
import { jacobianProducts, jacobianTimes, runOnActivations, transposedJacobianTimes } from '../num/rnn.js';
import { UsageError, choiceValue, integerValue, realValue } from '../options.js';
import { boundCheck, identityCheck, matrixIdentityCheck, witnessCheck } from './checks.js';
import {
  ACTIVATION_CHOICES,
  type ActivationChoice,
  EXPLODING_CEILING,
  peakCase,
  randomCase,
  recordCases,
  type RnnCase,
  saturatedCase,
  selectedActivations,
  shiftMatrix,
  trialSetup,
} from './rnn-cases.js';
import { type ClaimDefinition, type Subcommand, registerSubcommand } from './subcommand.js';
import { type ToleranceParams, toleranceFor, toleranceOptions } from './tolerance.js';
import { type NormCurve, jacobianDecayPlot, witnessPlot } from './plots.js';
import { MATRIX_FREE_ABOVE, matrixFreeExplodingTrial, matrixFreeVanishingTrial } from './vanish-matrix-free.js';
import type { Check, Figure, Plot, TrialOutcome } from './types.js';

export interface VanishParams extends ToleranceParams {
  activation: ActivationChoice;
  /** null: the activation's own γ = sup |σ′|. */
  gamma: number | null;
  delta: number;
  dim: number;
  inputDim: number;
  steps: number;
  /** full: every ∂g_t/∂g_0 formed and its exact norm; matrix-free: products and Lanczos estimates; auto: matrix-free above n = 64. */
  method: VanishMethod;
}

export const VANISH_METHODS = ['auto', 'full', 'matrix-free'] as const;
export type VanishMethod = (typeof VANISH_METHODS)[number];

/** Whether a run checks matrix-free (see vanish-matrix-free.ts). */
export const usesMatrixFree = (params: Pick<VanishParams, 'method' | 'dim'>): boolean =>
  params.method === 'matrix-free' || (params.method === 'auto' && params.dim > MATRIX_FREE_ABOVE);

export const VANISH_DEFAULTS: VanishParams = {
  activation: 'tanh',
  gamma: null,
  delta: 0.9,
  dim: 8,
  inputDim: 4,
  steps: 30,
  method: 'auto',
  rtol: null,
  atol: null,
};

/** The two formulas the claims put to the test; tests swap in wrong ones to prove the checks have teeth. */
export interface VanishFormulas {
  /** ∂g_t/∂g_0 for t = 1…T, from the pre-activations z_1…z_T. */
  jacobians(W: Matrix, activation: Activation, preactivations: readonly Float64Array[]): Matrix[];
  /** ∂g_s/∂g_0·v for s = 1…t, t = derivatives.length, D_s = diag(derivatives[s−1]) (matrix-free, forward mode). */
  jacobianTimes(W: Matrix, derivatives: readonly Float64Array[], v: Float64Array): Float64Array[];
  /** (∂g_t/∂g_0)ᵀ·u for t = derivatives.length (matrix-free, reverse mode). */
  transposedJacobianTimes(W: Matrix, derivatives: readonly Float64Array[], u: Float64Array): Float64Array;
  /** The claimed bound on ‖∂g_t/∂g_0‖. */
  bound(delta: number, t: number): number;
}

export const VANISH_FORMULAS: VanishFormulas = {
  jacobians: jacobianProducts,
  jacobianTimes,
  transposedJacobianTimes,
  bound: (delta, t) => delta ** t,
};

const gammaOf = (params: VanishParams, activation: Activation) => params.gamma ?? activation.gamma;

interface EvaluatedCase {
  preactivations: Float64Array[];
  jacobians: Matrix[];
  norms: number[];
}

/** Runs a case forward and evaluates ∂g_t/∂g_0 (and its spectral norm) at every t. */
export function evaluate(c: RnnCase, activation: Activation, formulas: VanishFormulas): EvaluatedCase {
  const { preactivations } = runOnActivations(c.W, activation, c.g0, c.drive);
  const jacobians = formulas.jacobians(c.W, activation, preactivations);
  return { preactivations, jacobians, norms: jacobians.map(spectralNorm) };
}

interface FiniteDifferenceJacobians {
  /** ∂g_t/∂g_0 by central differences, t = 1…T. */
  numerical: Matrix[];
  /** The rounding error the differences may carry (absolute, per entry). */
  roundingError: number;
}

/**
 * The finite-difference Jacobians of g_0 ↦ g_t for every t at once (one unrolled run per
 * perturbed coordinate). For an activation with kinks the step shrinks so that no
 * pre-activation can cross a kink inside the stencil.
 */
function finiteDifferenceJacobians(c: RnnCase, activation: Activation, evaluated: EvaluatedCase): FiniteDifferenceJacobians {
  const n = c.W.rows;
  const steps = c.drive.length;
  const amplification = Math.max(1, ...evaluated.norms);
  // The stencil must stay where g_0 ↦ g_t is nearly linear: a perturbation h of g_0 moves
  // g_t by up to h·‖∂g_t/∂g_0‖, so the step shrinks as the Jacobian grows.
  const growth = amplification * Math.max(1, maxAbs(c.g0));
  let relativeStep = CENTRAL_DIFFERENCE_STEP / growth;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without kinks distanceToKinks is ∞ and the margin leaves the step as it is (the false and <= mutants are killed by the kink tests)
  if (activation.kinks.length > 0) {
    // Nor may any pre-activation cross a kink: z_t moves by at most h·‖W‖·‖∂g_{t−1}/∂g_0‖.
    const margin = Math.min(...evaluated.preactivations.map((z) => distanceToKinks(activation, z)));
    relativeStep = Math.min(relativeStep, (0.25 * margin) / (growth * Math.max(1, spectralNorm(c.W))));
  }
  // g_0 ↦ (g_1, …, g_T) stacked, run 2n times into one buffer (the differences copy what they keep):
  // g_t = σ(W g_{t−1} + U x_t + b), the sums in the order of runOnActivations.
  const W = rowsOf(c.W);
  const out = new Float64Array(n * steps);
  const unrolled = (g0: Float64Array) => {
    for (let t = 0; t < steps; t++) {
      const drive = c.drive[t] as Float64Array;
      const previous = t === 0 ? g0 : out;
      const offset = t === 0 ? 0 : (t - 1) * n;
      for (let i = 0; i < n; i++) {
        const row = W[i] as Float64Array;
        let sum = 0;
        for (let j = 0; j < n; j++) sum += (row[j] as number) * (previous[offset + j] as number);
        out[t * n + i] = activation.apply(sum + (drive[i] as number));
      }
    }
    return out;
  };
  // Column j of the stacked Jacobian holds column j of every ∂g_t/∂g_0: scatter it as it comes.
  const numerical = Array.from({ length: steps }, () => zeroMatrix(n, n));
  finiteDifferenceColumns(unrolled, c.g0, relativeStep, (j, column) => {
    numerical.forEach(({ rows }, t) => {
      for (let i = 0; i < n; i++) (rows[i] as Float64Array)[j] = column[t * n + i] as number;
    });
  });
  // Each g_t carries rounding of about √(n+2)·ε·max|g| (a sum of n products and σ),
  // amplified by the Jacobian; the difference quotient divides it by the smallest step.
  const smallestStep = Math.min(...Array.from(c.g0, (x) => centralStep(x, relativeStep)));
  const largestState = Math.max(1, ...evaluated.preactivations.map((z) => maxAbs(z)), maxAbs(c.g0));
  const roundingError = (4 * Math.sqrt(n + 2) * Number.EPSILON * largestState * amplification) / smallestStep;
  return {
    numerical: numerical.map(({ matrix }) => matrix),
    roundingError,
  };
}

const JACOBIAN_CHECK = '∂g_t/∂g_0: product of D_t·W equals finite differences';

export function jacobianChecks(c: RnnCase, activation: Activation, evaluated: EvaluatedCase, params: ToleranceParams): Check[] {
  const tolerance = toleranceFor(params, 'finiteDifference');
  const { numerical, roundingError } = finiteDifferenceJacobians(c, activation, evaluated);
  return numerical.map((jacobian, index) =>
    matrixIdentityCheck(
      JACOBIAN_CHECK,
      `${activation.name}, ${c.label}, t=${index + 1}`,
      evaluated.jacobians[index] ?? new Matrix(0, 0),
      jacobian,
      tolerance,
      roundingError,
    ),
  );
}

function boundChecks(name: string, c: RnnCase, activation: Activation, norms: number[], bound: (t: number) => number, params: ToleranceParams): Check[] {
  const tolerance = toleranceFor(params, 'bound');
  return norms.map((norm, index) => boundCheck(name, `${activation.name}, ${c.label}, t=${index + 1}`, norm, bound(index + 1), tolerance));
}

/** ‖∂g_T/∂g_0‖ / bound, or null when the bound is 0 (norms holds T ≥ 1 values). */
function finalRatio(norms: number[], bound: number): number | null {
  return bound > 0 ? (norms[norms.length - 1] as number) / bound : null;
}

/**
 * The geometric decay rate max_t ‖∂g_t/∂g_0‖^(1/t) of the norms at t = 1, 2, …, T (T ≥ 1): below 1,
 * it shows that the norm decays at least like rate^t.
 */
export function decayRate(norms: readonly number[]): number {
  return Math.max(...norms.map((norm, index) => norm ** (1 / (index + 1))));
}

function figure(activation: Activation, several: boolean, key: string, label: string, value: number | string | null): Figure {
  return several
    ? { key: `${activation.name}.${key}`, label: `${activation.name}: ${label}`, value }
    : { key, label, value };
}

/** Claim 1.2: λ₁(WᵀW) ≤ δ²/γ² implies ‖∂g_t/∂g_0‖ ≤ δ^t for every t. */
export function vanishingClaim(formulas: VanishFormulas = VANISH_FORMULAS): ClaimDefinition<VanishParams> {
  return {
    id: '1.2',
    title: 'λ₁(WᵀW) ≤ δ²/γ² makes ‖∂g_T/∂g_0‖ ≤ δ^T, so the gradient vanishes',
    equations: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    trials: 20,
    trial(rng: Rng, params: VanishParams): TrialOutcome {
      if (usesMatrixFree(params)) return matrixFreeVanishingTrial(rng, params, formulas);
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const cases: [Activation, RnnCase][] = [];
      const activations = selectedActivations(params.activation);
      const several = activations.length > 1;
      const name = `‖∂g_t/∂g_0‖ ≤ δ^t`;
      const plots: (() => Plot)[] = [];
      for (const activation of activations) {
        const gamma = gammaOf(params, activation);
        const norm = params.delta / gamma;
        const n = params.dim;
        const T = params.steps;
        const random = randomCase(rng, 'random W on the boundary', activation, matrixWithSpectralNorm(rng, n, n, norm), params.inputDim, T);
        const nonNormal = randomCase(rng, 'non-normal W on the boundary', activation, nonNormalMatrix(rng, n, norm / 4, norm), params.inputDim, T);
        const orthogonal = randomOrthogonal(rng, n).mul(norm);
        const tight = peakCase(rng, 'tight case', activation, orthogonal, T);
        const nearTight = peakCase(rng, 'near-tight case', activation, orthogonal, T, 0.01);
        // The premise holds with equality: λ₁(WᵀW) by a symmetric eigensolver against δ²/γ².
        checks.push(
          identityCheck(
            'premise λ₁(WᵀW) = δ²/γ² (W on the boundary)',
            `${activation.name}, random W`,
            largestEigenvalue(random.W.transpose().mmul(random.W)),
            norm * norm,
            toleranceFor(params, 'identity'),
          ),
        );
        const ratios: Record<string, number | null> = {};
        const curves: NormCurve[] = [];
        for (const c of [random, nonNormal, tight, nearTight]) {
          cases.push([activation, c]);
          const evaluated = evaluate(c, activation, formulas);
          curves.push({ label: c.label, norms: evaluated.norms });
          checks.push(...jacobianChecks(c, activation, evaluated, params));
          checks.push(...boundChecks(name, c, activation, evaluated.norms, (t) => formulas.bound(params.delta, t), params));
          ratios[c.label] = finalRatio(evaluated.norms, formulas.bound(params.delta, T));
        }
        const key = several ? `${activation.name}.jacobian` : 'jacobian';
        plots.push(() => jacobianDecayPlot(key, activation.name, params.delta, curves, (t) => formulas.bound(params.delta, t)));
        figures.push(
          figure(activation, several, 'gamma', 'γ', gamma),
          figure(activation, several, 'tightRatio', `tight case ‖∂g_T/∂g_0‖/δ^T (T=${T})`, ratios['tight case'] ?? null),
          figure(activation, several, 'nearTightRatio', 'near-tight case ‖∂g_T/∂g_0‖/δ^T', ratios['near-tight case'] ?? null),
          figure(activation, several, 'randomRatio', 'random W ‖∂g_T/∂g_0‖/δ^T', ratios['random W on the boundary'] ?? null),
        );
      }
      return {
        checks,
        figures,
        plots: () => plots.map((plot) => plot()),
        inputs: () => ({ delta: params.delta, gamma: params.gamma, cases: recordCases(cases) }),
      };
    },
  };
}

/**
 * Claim 1.3: ‖W‖ > 1/γ is necessary for exploding gradients (below it ‖∂g_t/∂g_0‖ ≤ 1)
 * but not sufficient (witnesses above it both explode and vanish).
 */
export function explodingClaim(formulas: VanishFormulas = VANISH_FORMULAS): ClaimDefinition<VanishParams> {
  return {
    id: '1.3',
    title: 'λ₁(WᵀW) > δ²/γ² is necessary for exploding gradients but not sufficient',
    equations: [],
    trials: 20,
    trial(rng: Rng, params: VanishParams): TrialOutcome {
      if (usesMatrixFree(params)) return matrixFreeExplodingTrial(rng, params, formulas);
      const { checks, figures, cases, activations, several, identity, n, T, plots } = trialSetup(params);
      for (const activation of activations) {
        const gamma = gammaOf(params, activation);
        const at = (label: string) => `${activation.name}, ${label}`;
        const curves: NormCurve[] = [];

        // (a) Necessity: with ‖W‖ ≤ 1/γ the Jacobian never grows, ‖∂g_t/∂g_0‖ ≤ 1 (= δ^t at δ = 1).
        const random = randomCase(rng, 'random W with ‖W‖ = 1/γ', activation, matrixWithSpectralNorm(rng, n, n, 1 / gamma), params.inputDim, T);
        const tight = peakCase(rng, 'tight case ‖W‖ = 1/γ', activation, randomOrthogonal(rng, n).mul(1 / gamma), T);
        let boundedTightness: number | null = null;
        for (const c of [random, tight]) {
          cases.push([activation, c]);
          const evaluated = evaluate(c, activation, formulas);
          checks.push(...jacobianChecks(c, activation, evaluated, params));
          checks.push(...boundChecks('‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1', c, activation, evaluated.norms, (t) => formulas.bound(1, t), params));
          if (c === tight) {
            boundedTightness = finalRatio(evaluated.norms, formulas.bound(1, T));
            curves.push({ label: 'tight case ‖W‖ = 1/γ', norms: evaluated.norms });
          }
        }

        // (b) It can explode: W = (s/γ)Q held at the peak gives ‖∂g_t/∂g_0‖ = s^t with s > 1.
        const s = rng.between(1.2, 2);
        const exploding = peakCase(rng, 'exploding witness', activation, randomOrthogonal(rng, n).mul(s / gamma), Math.min(T, Math.floor(Math.log(EXPLODING_CEILING) / Math.log(s))));
        cases.push([activation, exploding]);
        const growth = evaluate(exploding, activation, formulas);
        curves.push({ label: `exploding witness γ‖W‖ = ${s.toPrecision(3)}`, norms: growth.norms });
        const slope = activation.derivative(activation.peak);
        checks.push(witnessCheck('witness premise: 1/γ² < λ₁(WᵀW)', at('exploding witness'), 1 / gamma ** 2, largestEigenvalue(exploding.W.transpose().mmul(exploding.W))));
        growth.norms.forEach((norm, index) => {
          const t = index + 1;
          checks.push(identityCheck('exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t', at(`exploding witness, t=${t}`), norm, (slope * s / gamma) ** t, identity));
          if (index > 0) checks.push(witnessCheck('exploding witness: ‖∂g_t/∂g_0‖ grows with t', at(`exploding witness, t=${t}`), growth.norms[index - 1] ?? 0, norm));
        });

        // (c) It need not explode: ‖W‖ = 3/γ, yet the Jacobian vanishes.
        // A nilpotent W (a shift, permuted): ∂g_t/∂g_0 = 0 exactly once t ≥ n.
        const P = randomPermutation(rng, n);
        const nilpotentW = P.mmul(shiftMatrix(n)).mmul(P.transpose()).mul(3 / gamma);
        const nilpotent = peakCase(rng, 'nilpotent witness', activation, nilpotentW, Math.max(T, n));
        cases.push([activation, nilpotent]);
        const nilpotentEvaluated = evaluate(nilpotent, activation, formulas);
        curves.push({ label: 'nilpotent witness γ‖W‖ = 3', norms: nilpotentEvaluated.norms });
        checks.push(witnessCheck('witness premise: 1/γ² < λ₁(WᵀW)', at('nilpotent witness'), 1 / gamma ** 2, largestEigenvalue(nilpotentW.transpose().mmul(nilpotentW))));
        checks.push(...jacobianChecks(nilpotent, activation, nilpotentEvaluated, params));
        nilpotentEvaluated.norms.forEach((norm, index) => {
          const t = index + 1;
          if (t >= n) checks.push(identityCheck('nilpotent witness: ∂g_t/∂g_0 = 0 for t ≥ n', at(`nilpotent witness, t=${t}`), norm, 0, identity));
        });
        figures.push(
          figure(activation, several, 'boundedTightness', `‖W‖ = 1/γ, tight case ‖∂g_T/∂g_0‖ (T=${T})`, boundedTightness),
          figure(activation, several, 'explodingFactor', 'exploding witness γ‖W‖', s),
          figure(activation, several, 'explodingNorm', `exploding witness ‖∂g_T/∂g_0‖ (T=${growth.norms.length})`, growth.norms[growth.norms.length - 1] ?? null),
          figure(activation, several, 'nilpotentFactor', 'nilpotent witness γ‖W‖', 3),
          figure(activation, several, 'nilpotentNorm', `nilpotent witness ‖∂g_T/∂g_0‖ (T=${nilpotentEvaluated.norms.length})`, nilpotentEvaluated.norms[nilpotentEvaluated.norms.length - 1] as number),
        );

        // Saturated units: ‖W‖ = 3/γ but every pre-activation sits where σ′ is tiny.
        // A linear activation has no flat region, so it has no such witness.
        if (activation.name !== 'linear') {
          const saturated = saturatedCase('saturated witness', activation, matrixWithSpectralNorm(rng, n, n, 3 / gamma), T);
          cases.push([activation, saturated]);
          const saturatedEvaluated = evaluate(saturated, activation, formulas);
          curves.push({ label: 'saturated witness γ‖W‖ = 3', norms: saturatedEvaluated.norms });
          checks.push(...jacobianChecks(saturated, activation, saturatedEvaluated, params));
          const rate = decayRate(saturatedEvaluated.norms);
          checks.push(witnessCheck('saturated witness: decay rate max_t ‖∂g_t/∂g_0‖^(1/t) < 1', at('saturated witness'), rate, 1));
          figures.push(
            figure(activation, several, 'saturatedRate', 'saturated witness (γ‖W‖ = 3) decay rate', rate),
            figure(activation, several, 'saturatedNorm', `saturated witness ‖∂g_T/∂g_0‖ (T=${T})`, saturatedEvaluated.norms[T - 1] ?? null),
          );
        }
        const key = several ? `${activation.name}.witnesses` : 'witnesses';
        plots.push(() => witnessPlot(key, activation.name, curves, (t) => formulas.bound(1, t)));
      }
      return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => ({ gamma: params.gamma, cases: recordCases(cases) }) };
    },
  };
}

/** The subcommand's definition; tests register variants of it with broken claims. */
export const VANISH_SUBCOMMAND: Subcommand<VanishParams> = {
  name: 'vanish',
  summary: 'claims 1.2–1.3: vanishing and exploding gradients of a recurrent unit',
  description:
    'Checks that λ₁(WᵀW) ≤ δ²/γ² bounds ‖∂g_t/∂g_0‖ by δ^t at every step (claim 1.2: the product of D_t·W against finite differences, the bound at every t, and tight cases where it is attained), and that the reversed condition is necessary but not sufficient for explosion (claim 1.3, with witnesses).',
  examples: [
    'hwcheck vanish --delta 0.9',
    'hwcheck vanish --activation sigmoid --steps 50',
    'hwcheck vanish --activation all --json',
  ],
  options: [
    { key: 'delta', flag: '--delta', valueName: 'δ', description: 'the bound’s base, 0 ≤ δ < 1 (default: 0.9)', parse: realValue({ min: 0, max: 1, maxExclusive: true, symbol: 'δ' }) },
    { key: 'activation', flag: '--activation', valueName: 'name', description: `${ACTIVATION_CHOICES.join(' | ')} (default: tanh)`, parse: choiceValue(ACTIVATION_CHOICES) },
    { key: 'gamma', flag: '--gamma', valueName: 'γ', description: 'bound on |σ′| (default: the activation’s own: tanh 1, sigmoid 1/4, relu 1, softplus 1, linear 1)', parse: realValue({ min: 0, minExclusive: true, max: 1e6, symbol: 'γ' }) },
    { key: 'dim', flag: '--dim', valueName: 'n', description: 'hidden size n ≥ 2: a nilpotent or non-normal W needs two dimensions (default: 8)', parse: integerValue(2, 100000), shrinkTo: 2 },
    { key: 'inputDim', flag: '--input-dim', valueName: 'm', description: 'input size m (default: 4)', parse: integerValue(1, 100000), shrinkTo: 1 },
    { key: 'steps', flag: '--steps', valueName: 'T', description: 'time steps T (default: 30)', parse: integerValue(1, 1000), shrinkTo: 1 },
    {
      key: 'method',
      flag: '--method',
      valueName: 'name',
      description: `how ∂g_t/∂g_0 is checked: full (every t, exact norms, O(T·n³)), matrix-free (Jacobian–vector products, Lanczos estimates at log-spaced t, O(T·n²)) or auto (matrix-free above n = ${MATRIX_FREE_ABOVE}) (default: auto)`,
      parse: choiceValue(VANISH_METHODS),
    },
    ...toleranceOptions,
  ],
  defaults: VANISH_DEFAULTS,
  claims: [vanishingClaim(), explodingClaim()],
  validate(params) {
    if (params.gamma === null) return;
    if (params.activation === 'all') {
      throw new UsageError('--gamma cannot be combined with --activation all: each activation has its own γ');
    }
    const own = ACTIVATIONS[params.activation].gamma;
    if (params.gamma < own) {
      throw new UsageError(
        `invalid value "${params.gamma}" for --gamma: expected a number with γ ≥ ${own}, the largest |σ′| of ${params.activation} (a smaller γ breaks the premise |σ′| ≤ γ)`,
      );
    }
  },
  trialSeconds(params) {
    // Full: T products and norms of n×n matrices and 2n finite-difference runs of T steps (T·n³).
    // Matrix-free: Jacobian–vector products of T steps for each Lanczos step (T·n²).
    // Both draw T inputs of size m per case and multiply them by U (T·m·n), which dominates
    // only when m is far above n².
    const n = params.dim;
    const full = params.method === 'full' || (params.method === 'auto' && n <= 64);
    const T = params.steps;
    const perActivation = full ? 1.6e-7 * T * n ** 3 + 4e-8 * T * params.inputDim * (n + 2) : 4.3e-7 * T * n * (n + params.inputDim);
    return selectedActivations(params.activation).length * (0.02 + perActivation);
  },
  estimateBytes(params) {
    const n = params.dim;
    // U (n×m) and the inputs x_t of the cases a trial holds at once (T×m each).
    const inputs = 8 * (n * params.inputDim + 3 * params.steps * params.inputDim);
    if (usesMatrixFree(params)) {
      const T = params.steps;
      // Kept for --dump until the trial ends, per activation: claim 1.3's five cases at most (random,
      // tight, exploding, nilpotent, saturated), each an n×n W, T drives of n numbers and g_0.
      const kept = 5 * (n * n + T * n + n);
      // While one case runs: the generator's n×n work (a Gaussian matrix, then Q and R of its QR), about
      // 11 rows of T + 1 vectors (states, pre-activations and derivatives of the run, the two
      // finite-difference runs and their products), and the two Lanczos bases of a norm estimate
      // (up to 400 vectors of n each).
      const running = 3 * n * n + 11 * (T + 1) * n + 2 * Math.min(400, n) * n;
      return inputs + 8 * (selectedActivations(params.activation).length * kept + running);
    }
    // ∂g_t/∂g_0 at every t, the finite-difference Jacobians, and their copies.
    return inputs + 4 * 8 * Math.max(params.steps, n) * n * n;
  },
};

export const vanishCommand = registerSubcommand(VANISH_SUBCOMMAND);
