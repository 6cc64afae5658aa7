import { Matrix } from '../num/matrix.js';
import { CENTRAL_DIFFERENCE_STEP, centralStep, finiteDifferenceJacobian } from '../num/diff.js';
import { dot, matVec, maxAbs, vectorNorm } from '../num/linalg.js';
import { type LossAndGradient, type Samples, linearOutputs, logisticLoss, samplesOf, softmaxCrossEntropy, squaredError } from '../num/losses.js';
import { logistic } from '../num/activation.js';
import { leastSquaresSlope } from '../num/stats.js';
import { type Rng, gaussianMatrix, gaussianVector, randomOrthogonal } from '../num/random.js';
import { batchCovariance, batchMean, batchNormalise, whiteningRoundingError, zcaWhiten } from '../num/whiten.js';
import { UsageError, choiceValue, integerValue, realValue } from '../options.js';
import { boundCheck, identityCheck, matrixIdentityCheck, witnessCheck } from './checks.js';
import { type ClaimDefinition, type Subcommand, registerSubcommand } from './subcommand.js';
import { type ToleranceParams, toleranceFor, toleranceOptions } from './tolerance.js';
import { type TrainingCurve, mismatchPlot, normGrowthPlots } from './plots.js';
import type { Check, Figure, InputValue, TrialOutcome } from './types.js';

export const LOSS_NAMES = ['squared', 'logistic', 'softmax'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
export type LossChoice = LossName | 'all';
export const LOSS_CHOICES: readonly LossChoice[] = [...LOSS_NAMES, 'all'];

export interface WeightNormParams extends ToleranceParams {
  /** Dimension d of the input x and of u. */
  dim: number;
  /** Batch size N (≥ d + 1, so that a batch can be whitened with its own covariance). */
  batch: number;
  /** The scale g of w = g·u/‖u‖ (non-zero). */
  g: number;
  /** Learning rate η of gradient descent on u. */
  lr: number;
  /** Gradient steps of each training run. */
  steps: number;
  loss: LossChoice;
}

export const WEIGHTNORM_DEFAULTS: WeightNormParams = {
  dim: 8,
  batch: 32,
  g: 2,
  lr: 0.5,
  steps: 300,
  loss: 'all',
  rtol: null,
  atol: null,
};

/** Classes of the softmax model, of which one row of W is weight-normalised. */
export const SOFTMAX_CLASSES = 4;

/** The formulas the claims put to the test; tests swap in wrong ones to prove the checks have teeth. */
export interface WeightNormFormulas {
  /** Batch normalisation of one unit without learned scale or shift (population variance). */
  batchNormalise(z: ArrayLike<number>): Float64Array;
  /** What claim 4.1 says BN(wᵀx + b) equals on whitened input x: (w/‖w‖)ᵀx (g = 1, no bias). */
  normalisedUnit(w: Float64Array, bias: number, x: ArrayLike<number>): number;
  /** The scalar s of ∇_u L = s W* ∇_w L: g/‖u‖, eq (56). */
  scale(u: Float64Array, g: number): number;
  /** W* = I − uuᵀ/‖u‖², the projection onto the orthogonal complement of u. */
  projection(u: Float64Array): Matrix;
  /** ‖u′‖ after u′ = u − η∇_u L, from ‖u‖ and ‖∇_u L‖: ‖u‖√(1 + c²) with c = η‖∇_u L‖/‖u‖, eq (65). */
  updatedNorm(normU: number, lr: number, normGradientU: number): number;
}

/** ‖u‖, refusing u = 0 where w = g·u/‖u‖ is undefined. */
export function directionNorm(u: ArrayLike<number>): number {
  const norm = vectorNorm(u);
  if (norm === 0) throw new Error('weight normalisation w = g·u/‖u‖ is undefined at u = 0 (‖u‖ = 0)');
  return norm;
}

/** w = g·u/‖u‖, eq (39). */
export function weightFromDirection(u: Float64Array, g: number): Float64Array {
  const norm = directionNorm(u);
  return u.map((x) => (g * x) / norm);
}

export const WEIGHTNORM_FORMULAS: WeightNormFormulas = {
  batchNormalise,
  normalisedUnit: (w, _bias, x) => dot(w, x) / vectorNorm(w),
  scale: (u, g) => g / directionNorm(u),
  projection(u) {
    const squaredNorm = directionNorm(u) ** 2;
    return new Matrix(Array.from(u, (ui, i) => Array.from(u, (uj, j) => (i === j ? 1 : 0) - (ui * uj) / squaredNorm)));
  },
  updatedNorm: (normU, lr, normGradientU) => normU * Math.hypot(1, (lr * normGradientU) / normU),
};

/** ∇_u L = s W* ∇_w L, eq (57), assembled from the formulas under test. */
export function directionGradient(formulas: WeightNormFormulas, u: Float64Array, g: number, gradientW: Float64Array): Float64Array {
  const s = formulas.scale(u, g);
  return matVec(formulas.projection(u), gradientW).map((x) => s * x);
}

// ─── Claim 4.1: BN ≡ WN on whitened input ──────────────────────────────────────────────

/** Batch sizes of the convergence fit: N, 4N, 16N, 64N, the growing prefixes of one stream of inputs. */
const RATE_SIZES = 4;
const RATE_FACTOR = 4;
/** Independent streams; the fit uses the mean squared mismatch over them at each size. */
const RATE_REPLICATES = 16;
/**
 * The band around the exponent −1/2. The squared mismatch of one batch is
 * (1 − σ̂)² + s̄² ≈ (½χ²₁ + χ²₁)/N, so ½·log of its mean over 16 streams has standard
 * deviation ≈ 0.132, and the least-squares slope over ln N = ln N₀ + k·ln 4, k = 0…3, has
 * σ ≈ 0.132/√(5·ln²4) ≈ 0.043 (0.042–0.044 in 10⁵ simulated fits, N = 3 and 32). ±0.2 is
 * ≈ 4.5σ: 3 of those 10⁵ fits fell outside, so a false failure has probability ≈ 3·10⁻⁵ per
 * trial, while the wrong exponents 0 (no convergence) and −1 are more than 10σ away.
 */
export const RATE_BAND = 0.2;

/**
 * The RMS mismatch between BN(wᵀx + b) and the unit (w/‖w‖)ᵀx on the first N_k inputs of
 * one stream of i.i.d. N(0, I) inputs, for each size N_k; rows are drawn one at a time.
 */
function streamMismatches(rng: Rng, formulas: WeightNormFormulas, w: Float64Array, bias: number, sizes: readonly number[]): number[] {
  const total = sizes[sizes.length - 1] ?? 0;
  const z = new Float64Array(total);
  const unit = new Float64Array(total);
  const x = new Float64Array(w.length);
  for (let i = 0; i < total; i++) {
    for (let j = 0; j < x.length; j++) x[j] = rng.gaussian();
    z[i] = dot(w, x) + bias;
    unit[i] = formulas.normalisedUnit(w, bias, x);
  }
  return sizes.map((size) => rmsDifference(formulas.batchNormalise(z.subarray(0, size)), unit.subarray(0, size)));
}

/** The convergence of BN towards the unit on i.i.d. N(0, I) inputs, fitted over growing batches. */
export interface MismatchFit {
  sizes: number[];
  /** Mean over the streams of the squared RMS mismatch, per size. */
  meanSquared: number[];
  /** Least-squares slope of log RMS mismatch against log N. */
  exponent: number;
}

/** Draws RATE_REPLICATES streams of i.i.d. N(0, I) inputs and fits the mismatch's exponent over N, 4N, 16N, 64N. */
export function fitMismatchExponent(rng: Rng, formulas: WeightNormFormulas, w: Float64Array, bias: number, N: number): MismatchFit {
  const sizes = Array.from({ length: RATE_SIZES }, (_, k) => N * RATE_FACTOR ** k);
  const meanSquared = sizes.map(() => 0);
  for (let r = 0; r < RATE_REPLICATES; r++) {
    streamMismatches(rng, formulas, w, bias, sizes).forEach((m, k) => {
      meanSquared[k] = (meanSquared[k] as number) + (m * m) / RATE_REPLICATES;
    });
  }
  // log √(mean square) = ½ log(mean square)
  const exponent = leastSquaresSlope(sizes.map(Math.log), meanSquared.map((m) => 0.5 * Math.log(m)));
  return { sizes, meanSquared, exponent };
}

/** BN(Xw + b) and the unit (w/‖w‖)ᵀx_i for every row x_i of a batch. */
function bothRoutes(formulas: WeightNormFormulas, X: Matrix, w: Float64Array, bias: number): { normalised: Float64Array; unit: Float64Array } {
  const rows = samplesOf(X);
  const normalised = formulas.batchNormalise(linearOutputs(rows, w, bias));
  const unit = Float64Array.from(rows, (x) => formulas.normalisedUnit(w, bias, x));
  return { normalised, unit };
}

/** The root-mean-square difference of two outputs over a batch. */
function rmsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum / a.length);
}

/** A Gaussian batch that needs whitening: correlated (mixing with singular values in [½, 2]) and off-centre (exported for its tests). */
export function rawBatch(rng: Rng, N: number, d: number): Matrix {
  const singular = Array.from({ length: d }, () => Math.exp(rng.between(-Math.LN2, Math.LN2)));
  const mixing = randomOrthogonal(rng, d).mmul(Matrix.diag(singular)).mmul(randomOrthogonal(rng, d));
  const X = gaussianMatrix(rng, N, d).mmul(mixing);
  return X.addRowVector(gaussianVector(rng, d, 2));
}

/** A weight vector whose norm is clearly not 1 (in [2, 4]) and a bias of size ½…2 with a random sign (exported for its tests). */
export function unitParameters(rng: Rng, d: number): { w: Float64Array; bias: number } {
  const direction = gaussianVector(rng, d);
  const norm = rng.between(2, 4) / vectorNorm(direction);
  // Stryker disable next-line EqualityOperator: same law — u < ½ and u ≥ ½ each have probability ½ (the tie has probability 0), so the bias's sign is drawn the same
  const bias = (rng.uniform() < 0.5 ? -1 : 1) * rng.between(0.5, 2);
  return { w: direction.map((x) => x * norm), bias };
}

function rowMatrix(v: ArrayLike<number>): Matrix {
  return new Matrix([Array.from(v)]);
}

/**
 * The rounding allowance of BN(wᵀx + b) against (w/‖w‖)ᵀx on a batch whose mean and covariance
 * are exact up to `statisticsError` (per entry, covariance scale `spread`): BN's mean and variance
 * along w/‖w‖ move by about d·spread times it, which shifts and scales outputs of size |y|; forming
 * wᵀx + b and removing b again costs (N + d)·ε·(1 + |y| + |b|/‖w‖).
 */
function normalisationSlack(N: number, d: number, statisticsError: number, spread: number, largestOutput: number, bias: number, w: Float64Array): number {
  return (
    2 * d * spread * statisticsError * (1 + largestOutput) +
    8 * (N + d) * Number.EPSILON * (1 + largestOutput + Math.abs(bias) / vectorNorm(w))
  );
}

const vector = (v: ArrayLike<number>): number[] => Array.from(v);

/** Claim 4.1: on a whitened batch, BN(wᵀx + b) without scale or shift is (w/‖w‖)ᵀx. */
export function equivalenceClaim(formulas: WeightNormFormulas = WEIGHTNORM_FORMULAS): ClaimDefinition<WeightNormParams> {
  return {
    id: '4.1',
    title: 'on whitened input, batch-normalising wᵀx + b gives the weight-normalised unit (w/‖w‖)ᵀx',
    equations: [39, 40, 41, 42, 43],
    trials: 3,
    trial(rng: Rng, params: WeightNormParams): TrialOutcome {
      const checks: Check[] = [];
      const identity = toleranceFor(params, 'identity');
      const d = params.dim;
      const N = params.batch;
      const { w, bias } = unitParameters(rng, d);

      // (a) A batch whitened exactly with its own statistics.
      const raw = rawBatch(rng, N, d);
      const { whitened, conditionNumber } = zcaWhiten(raw);
      const whiteningError = whiteningRoundingError(N, d, conditionNumber);
      checks.push(
        matrixIdentityCheck('exact whitening: batch mean = 0', 'whitened batch', rowMatrix(batchMean(whitened)), new Matrix(1, d), identity, whiteningError),
        matrixIdentityCheck('exact whitening: batch covariance = I', 'whitened batch', batchCovariance(whitened), Matrix.eye(d, d), identity, whiteningError),
      );
      const { normalised, unit } = bothRoutes(formulas, whitened, w, bias);
      const equalitySlack = normalisationSlack(N, d, whiteningError, 1, maxAbs(unit), bias, w);
      checks.push(matrixIdentityCheck('whitened batch: BN(wᵀx + b) = (w/‖w‖)ᵀx', 'whitened batch, every sample', rowMatrix(normalised), rowMatrix(unit), identity, equalitySlack));

      // (b) Batches of i.i.d. N(0, I) inputs are whitened only on average: the mismatch
      // shrinks as the batch grows. The fit is over the mean squared mismatch of several streams.
      const { sizes, meanSquared, exponent } = fitMismatchExponent(rng, formulas, w, bias, N);
      const rms = meanSquared.map(Math.sqrt);
      // A statistical band (see RATE_BAND), not a rounding tolerance: --rtol and --atol leave it alone.
      checks.push(
        identityCheck(`i.i.d. whitened inputs: mismatch ∝ N^(−1/2) (fitted exponent −0.5 ± ${RATE_BAND})`, `N = ${sizes.join(', ')}`, exponent, -0.5, {
          rtol: 0,
          atol: RATE_BAND,
        }),
      );

      // (c) Witness: a batch with a chosen empirical mean μ (with aᵀμ = 2, a = w/‖w‖) and
      // covariance Σ (eigenvalues in [¼, 4]) is neither centred nor white.
      const a = weightFromDirection(w, 1);
      const Q = randomOrthogonal(rng, d);
      const eigenvalues = Array.from({ length: d }, () => Math.exp(rng.between(-2 * Math.LN2, 2 * Math.LN2)));
      const colouring = Q.mmul(Matrix.diag(eigenvalues.map(Math.sqrt)));
      const sideways = gaussianVector(rng, d);
      const along = dot(sideways, a);
      const mean = Float64Array.from(a, (ai, j) => 2 * ai + (sideways[j] as number) - along * ai);
      const base = zcaWhiten(gaussianMatrix(rng, N, d));
      const coloured = base.whitened.mmul(colouring.transpose()).addRowVector(mean);
      const witness = bothRoutes(formulas, coloured, w, bias);
      const mismatch = rmsDifference(witness.normalised, witness.unit);
      // Along a, the batch has mean aᵀμ and standard deviation √(aᵀΣa); BN removes both, the unit keeps them.
      const spread = Math.sqrt(eigenvalues.reduce((sum, lambda, k) => sum + lambda * dot(Q.getColumn(k), a) ** 2, 0));
      const offset = dot(a, mean);
      const predicted = Math.hypot(1 - spread, offset);
      const witnessSlack = normalisationSlack(N, d, whiteningRoundingError(N, d, base.conditionNumber), Math.max(...eigenvalues), maxAbs(witness.unit), bias, w);
      checks.push(
        identityCheck('correlated, non-centred batch: RMS mismatch = √((1 − √(aᵀΣa))² + (aᵀμ)²)', 'coloured batch', mismatch, predicted, {
          rtol: identity.rtol,
          atol: identity.atol + witnessSlack,
        }),
        witnessCheck('correlated, non-centred batch: mismatch exceeds that of whitened i.i.d. batches', `N = ${N}`, rms[0] ?? Number.NaN, mismatch),
      );

      const figures: Figure[] = [
        { key: 'conditionNumber', label: 'κ of the raw batch covariance before whitening', value: conditionNumber },
        { key: 'whitenedMismatch', label: 'whitened batch: max |BN − (w/‖w‖)ᵀx|', value: maxAbs(Float64Array.from(normalised, (y, i) => y - (unit[i] as number))) },
        { key: 'exponent', label: 'i.i.d. N(0, I) batches: fitted exponent of the RMS mismatch', value: exponent },
        { key: 'mismatchSmall', label: `RMS mismatch at N = ${sizes[0]} (≈ √(3/2N) = ${Math.sqrt(1.5 / (sizes[0] ?? 1)).toPrecision(3)})`, value: rms[0] ?? null },
        { key: 'mismatchLarge', label: `RMS mismatch at N = ${sizes[sizes.length - 1]} (≈ √(3/2N) = ${Math.sqrt(1.5 / (sizes[sizes.length - 1] ?? 1)).toPrecision(3)})`, value: rms[rms.length - 1] ?? null },
        { key: 'witnessMismatch', label: 'correlated, non-centred batch: RMS mismatch', value: mismatch },
        { key: 'witnessOffset', label: 'correlated, non-centred batch: aᵀμ and √(aᵀΣa)', value: `${offset.toPrecision(4)} and ${spread.toPrecision(4)}` },
      ];
      const inputs = () => ({
        w: vector(w),
        bias,
        rawBatch: raw.to2DArray(),
        whitenedBatch: whitened.to2DArray(),
        convergence: {
          sizes,
          streams: RATE_REPLICATES,
          note: 'each stream draws i.i.d. N(0, I) inputs row by row; they are not recorded, only the mean squared mismatch per size',
          meanSquaredMismatch: meanSquared,
          exponent,
        },
        witness: { mean: vector(mean), covariance: colouring.mmul(colouring.transpose()).to2DArray(), batch: coloured.to2DArray() },
      });
      const plots = () => [mismatchPlot('mismatch', sizes, rms, { size: N, mismatch })];
      return { checks, figures, plots, inputs };
    },
  };
}

// ─── Losses with one weight-normalised weight vector ───────────────────────────────────

/** A loss of a linear model as a function of the one weight vector w that is weight-normalised. */
export interface WeightProblem {
  loss: LossName;
  /** L and ∇_w L at w. */
  evaluate(w: Float64Array): LossAndGradient;
  /** max_i ‖x_i‖: how fast the pre-activations move with w. */
  inputScale: number;
  /** Samples in the batch. */
  samples: number;
  /** The batch, targets and fixed parameters, for `--dump`. */
  data(): Record<string, InputValue>;
}

function largestRowNorm(X: Samples): number {
  return Math.max(0, ...X.map((x) => vectorNorm(x)));
}

/** A random regression or classification problem on N Gaussian samples, labelled by a random teacher. */
export function randomProblem(rng: Rng, loss: LossName, d: number, N: number): WeightProblem {
  const batch = gaussianMatrix(rng, N, d);
  const X = samplesOf(batch);
  const inputScale = largestRowNorm(X);
  switch (loss) {
    case 'squared': {
      const teacher = gaussianVector(rng, d);
      // Stryker disable next-line ArithmeticOperator: same law — the noise is symmetric about 0, so y − 0.1·g is distributed as y + 0.1·g (the / mutant here is killed by the label-noise tests)
      const targets = linearOutputs(X, teacher, rng.gaussian()).map((y) => y + 0.1 * rng.gaussian());
      const bias = rng.gaussian();
      return {
        loss,
        inputScale,
        samples: N,
        evaluate: (w) => squaredError(X, targets, w, bias),
        data: () => ({ X: batch.to2DArray(), targets: vector(targets), bias }),
      };
    }
    case 'logistic': {
      const teacher = gaussianVector(rng, d, 2 / Math.sqrt(d));
      // Stryker disable next-line EqualityOperator: same law — u ≥ σ(z) has the probability σ(−z), the same as drawing the teacher with the other sign, which is symmetric about 0; the tie has probability 0
      const labels = linearOutputs(X, teacher, 0).map((z) => (rng.uniform() < logistic(z) ? 1 : 0));
      const bias = rng.gaussian();
      return {
        loss,
        inputScale,
        samples: N,
        evaluate: (w) => logisticLoss(X, labels, w, bias),
        data: () => ({ X: batch.to2DArray(), labels: vector(labels), bias }),
      };
    }
    case 'softmax': {
      // Row 0 of W is weight-normalised; the other rows and the biases stay fixed.
      const teacher = gaussianMatrix(rng, SOFTMAX_CLASSES, d, 2 / Math.sqrt(d));
      const labels = Array.from({ length: N }, (_, i) => {
        // The class with the highest noisy teacher score.
        let best = 0;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < SOFTMAX_CLASSES; k++) {
          // Stryker disable next-line ArithmeticOperator: same law — the score noise is symmetric about 0 (the / mutant here is killed by the softmax label tests)
          const score = dot(teacher.getRow(k), X[i] as Float64Array) + rng.gaussian() * 0.5;
          // Stryker disable next-line EqualityOperator: scores are continuous, so two never tie (> and >= pick the same class)
          if (score > bestScore) {
            bestScore = score;
            best = k;
          }
        }
        return best;
      });
      const W = gaussianMatrix(rng, SOFTMAX_CLASSES, d, 1 / Math.sqrt(d));
      const fixedRows = samplesOf(W).slice(1);
      const biases = gaussianVector(rng, SOFTMAX_CLASSES, 0.5);
      return {
        loss,
        inputScale,
        samples: N,
        evaluate(w) {
          const { value, gradient } = softmaxCrossEntropy(X, labels, [w, ...fixedRows], biases);
          return { value, gradient: gradient[0] as Float64Array };
        },
        data: () => ({ X: batch.to2DArray(), labels, otherRowsOfW: W.to2DArray().slice(1), biases: vector(biases), weightNormalisedRow: 0 }),
      };
    }
  }
}

export function selectedLosses(choice: LossChoice): LossName[] {
  return choice === 'all' ? [...LOSS_NAMES] : [choice];
}

const GRADIENT_CHECK = '∇_u L: (g/‖u‖)·W*·∇_w L equals finite differences of u ↦ L(g·u/‖u‖)';

/**
 * The formula's ∇_u L against central differences of u ↦ L(g·u/‖u‖). The step follows the
 * length over which that map bends: ‖u‖ for the direction u/‖u‖, shrunk by |g|·max‖x_i‖ for
 * the loss's own curvature in the pre-activations.
 */
function finiteDifferenceCheck(
  name: string,
  at: string,
  problem: WeightProblem,
  u: Float64Array,
  g: number,
  gradientU: Float64Array,
  params: ToleranceParams,
): { check: Check; numerical: Float64Array } {
  const norm = directionNorm(u);
  const length = norm / Math.max(1, Math.abs(g) * problem.inputScale);
  const relativeStep = (CENTRAL_DIFFERENCE_STEP * length) / Math.max(1, maxAbs(u));
  const values: number[] = [];
  const loss = (v: Float64Array) => {
    const value = problem.evaluate(weightFromDirection(v, g)).value;
    values.push(Math.abs(value));
    return [value];
  };
  const numerical = finiteDifferenceJacobian(loss, u, relativeStep);
  const smallestStep = Math.min(...Array.from(u, (x) => centralStep(x, relativeStep)));
  // Each loss is a mean of N terms each computed from a d-term sum: its rounding is at most
  // about (N + d)·ε·|L|, and the difference quotient divides it by 2h.
  const roundingError = (2 * (problem.samples + u.length) * Number.EPSILON * Math.max(1, ...values)) / smallestStep;
  const check = matrixIdentityCheck(name, at, rowMatrix(gradientU), numerical, toleranceFor(params, 'finiteDifference'), roundingError);
  return { check, numerical: Float64Array.from(numerical.getRow(0)) };
}

/** A random direction u whose norm is neither 1 nor tied to g (in [½, 3]). */
function randomDirection(rng: Rng, d: number): Float64Array {
  const u = gaussianVector(rng, d);
  const norm = rng.between(0.5, 3) / vectorNorm(u);
  return u.map((x) => x * norm);
}

function figureFor(loss: LossName, several: boolean, key: string, label: string, value: number | string | null): Figure {
  return several ? { key: `${loss}.${key}`, label: `${loss}: ${label}`, value } : { key, label, value };
}

/** Claim 4.2: ∇_u L = (g/‖u‖) W* ∇_w L with W* the projection onto u's orthogonal complement. */
export function gradientClaim(formulas: WeightNormFormulas = WEIGHTNORM_FORMULAS): ClaimDefinition<WeightNormParams> {
  return {
    id: '4.2',
    title: '∇_u L = (g/‖u‖)·W*·∇_w L with W* = I − uuᵀ/‖u‖², the projection orthogonal to u',
    equations: [44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57],
    trials: 20,
    trial(rng: Rng, params: WeightNormParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const identity = toleranceFor(params, 'identity');
      const losses = selectedLosses(params.loss);
      const several = losses.length > 1;
      const d = params.dim;
      const recorded: Record<string, () => InputValue> = {};
      for (const loss of losses) {
        const problem = randomProblem(rng, loss, d, params.batch);
        const u = randomDirection(rng, d);
        const norm = directionNorm(u);
        const { value, gradient: gradientW } = problem.evaluate(weightFromDirection(u, params.g));
        const gradientU = directionGradient(formulas, u, params.g, gradientW);
        const { check, numerical } = finiteDifferenceCheck(GRADIENT_CHECK, loss, problem, u, params.g, gradientU, params);
        checks.push(check);
        recorded[loss] = () => ({
          ...problem.data(),
          u: vector(u),
          g: params.g,
          gradientW: vector(gradientW),
          gradientU: vector(gradientU),
          finiteDifferences: vector(numerical),
        });

        // W* by direct evaluation: a symmetric idempotent of trace d − 1 that annihilates u.
        const P = formulas.projection(u);
        checks.push(
          matrixIdentityCheck('W* is symmetric: W*ᵀ = W*', loss, P.transpose(), P, identity),
          matrixIdentityCheck('W* is idempotent: W*·W* = W*', loss, P.mmul(P), P, identity),
          identityCheck('W* u = 0 (as ‖W* u‖/‖u‖)', loss, vectorNorm(matVec(P, u)) / norm, 0, identity),
          identityCheck('trace W* = d − 1 (a projection onto a hyperplane)', loss, P.trace(), d - 1, identity),
        );
        // ∇_u L ⊥ u, relative to ‖u‖·(|g|/‖u‖)·‖∇_w L‖ = |g|·‖∇_w L‖: the size W* works on, so
        // that the rounding left by W* when ∇_w L is nearly parallel to u stays at ε's scale.
        const normW = vectorNorm(gradientW);
        const scale = Math.abs(params.g) * normW;
        checks.push(identityCheck('∇_u L ⊥ u (as uᵀ∇_u L/(|g|·‖∇_w L‖))', loss, scale === 0 ? 0 : dot(gradientU, u) / scale, 0, identity));

        figures.push(
          figureFor(loss, several, 'loss', 'L', value),
          figureFor(loss, several, 'gradientW', '‖∇_w L‖', normW),
          figureFor(loss, several, 'gradientU', '‖∇_u L‖ (= (|g|/‖u‖)·‖W*∇_w L‖)', vectorNorm(gradientU)),
          figureFor(loss, several, 'differenceError', 'max |formula − finite differences|', check.error),
        );
      }
      const inputs = () => Object.fromEntries(Object.entries(recorded).map(([loss, record]) => [loss, record()]));
      return { checks, figures, inputs };
    },
  };
}

// ─── Claim 4.3: ‖u‖ grows under gradient descent ───────────────────────────────────────

const NORM_UPDATE_CHECK = '‖u′‖ = ‖u‖·√(1 + c²), c = η‖∇_u L‖/‖u‖';
const NORM_GROWTH_CHECK = '‖u‖ never decreases: ‖u_t‖ ≤ ‖u_{t+1}‖';
const TRAINING_GRADIENT_CHECK = 'training: ∇_u L equals finite differences (first, middle and last step)';

interface TrainingRun {
  checks: Check[];
  norms: number[];
  losses: number[];
  /** The rounding that the norm updates may have accumulated over the run (absolute). */
  drift: number;
}

/** Gradient descent u ← u − η∇_u L for T steps, checking the norm update at every step. */
function train(
  formulas: WeightNormFormulas,
  problem: WeightProblem,
  label: string,
  u0: Float64Array,
  params: WeightNormParams,
  gradientChecks: boolean,
): TrainingRun {
  const identity = toleranceFor(params, 'identity');
  const bound = toleranceFor(params, 'bound');
  const checks: Check[] = [];
  const T = params.steps;
  const eta = params.lr;
  const d = u0.length;
  let u = Float64Array.from(u0);
  const norms = [directionNorm(u)];
  const losses: number[] = [];
  let drift = 0;
  const probed = new Set([0, Math.floor(T / 2), T - 1]);
  for (let t = 0; t < T; t++) {
    const norm = norms[t] as number;
    const { value, gradient: gradientW } = problem.evaluate(weightFromDirection(u, params.g));
    losses.push(value);
    const gradientU = directionGradient(formulas, u, params.g, gradientW);
    if (gradientChecks && probed.has(t)) {
      checks.push(finiteDifferenceCheck(TRAINING_GRADIENT_CHECK, `${label}, step ${t}`, problem, u, params.g, gradientU, params).check);
    }
    const normGradient = vectorNorm(gradientU);
    const predicted = formulas.updatedNorm(norm, eta, normGradient);
    u = u.map((x, j) => x - eta * (gradientU[j] as number)); // eq (58)
    const measured = directionNorm(u);
    norms.push(measured);
    // W*∇_w L is computed with an error of about d·ε·‖∇_w L‖ in no particular direction, so u′
    // keeps a cross term 2η·uᵀ(error): ‖u′‖ may differ from the formula by η·d·ε·(|g|/‖u‖)·‖∇_w L‖.
    // Both norms are themselves rounded sums of d squares, and u′'s entries are rounded
    // differences: a few ulps each, (d + 4)·ε times the larger norm. These roundings belong to
    // this step's comparison only; the drift carried to the equality case keeps its own model.
    const crossTerm = 4 * d * Number.EPSILON * eta * (Math.abs(params.g) / norm) * vectorNorm(gradientW);
    const rounding = crossTerm + (d + 4) * Number.EPSILON * Math.max(norm, measured);
    drift += crossTerm + 4 * Number.EPSILON * measured;
    checks.push(
      identityCheck(NORM_UPDATE_CHECK, `${label}, step ${t}`, measured, predicted, { rtol: identity.rtol, atol: identity.atol + rounding }),
      boundCheck(NORM_GROWTH_CHECK, `${label}, step ${t}`, norm, measured, { rtol: bound.rtol, atol: bound.atol + rounding }),
    );
  }
  losses.push(problem.evaluate(weightFromDirection(u, params.g)).value);
  return { checks, norms, losses, drift };
}

/**
 * The equality case: squared error towards constant targets y_i = b on an exactly whitened
 * batch, L(w) = (1/2N) Σ (wᵀx_i)² = ½ wᵀĈw = ½‖w‖². Its gradient ∇_w L = Ĉw = w is parallel
 * to w wherever w is, so W* removes all of it and ‖u‖ must stay put. (A teacher βw₀ would make
 * ∇_w L ∥ w only at w₀, and a large step would drift away from that point.)
 */
function equalityProblem(rng: Rng, d: number, N: number): { problem: WeightProblem; whiteningError: number; bias: number } {
  const raw = rawBatch(rng, N, d);
  const { whitened, conditionNumber } = zcaWhiten(raw);
  const X = samplesOf(whitened);
  const bias = rng.gaussian();
  const targets = new Float64Array(N).fill(bias);
  return {
    problem: {
      loss: 'squared',
      inputScale: largestRowNorm(X),
      samples: N,
      evaluate: (v) => squaredError(X, targets, v, bias),
      data: () => ({ rawBatch: raw.to2DArray(), X: whitened.to2DArray(), targets: vector(targets), bias }),
    },
    whiteningError: whiteningRoundingError(N, d, conditionNumber),
    bias,
  };
}

/** A starting direction with ‖u₀‖ in [½, 1]: small enough that the growth of ‖u‖ shows. */
function startingDirection(rng: Rng, d: number): Float64Array {
  const u = gaussianVector(rng, d);
  const norm = rng.between(0.5, 1) / vectorNorm(u);
  return u.map((x) => x * norm);
}

/** Where training starts; tests replace it to start at the undefined point u = 0. */
export type StartingPoint = (rng: Rng, d: number) => Float64Array;

/** Claim 4.3: after u′ = u − η∇_u L, ‖u′‖ = ‖u‖√(1 + c²) ≥ ‖u‖, with equality iff ∇_u L = 0. */
export function normGrowthClaim(
  formulas: WeightNormFormulas = WEIGHTNORM_FORMULAS,
  start: StartingPoint = startingDirection,
): ClaimDefinition<WeightNormParams> {
  return {
    id: '4.3',
    title: 'a gradient step on u gives ‖u′‖ = ‖u‖√(1 + c²) ≥ ‖u‖, c = η‖∇_u L‖/‖u‖: ‖u‖ never decreases',
    equations: [58, 59, 60, 61, 62, 63, 64, 65],
    trials: 3,
    trial(rng: Rng, params: WeightNormParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const identity = toleranceFor(params, 'identity');
      const losses = selectedLosses(params.loss);
      const several = losses.length > 1;
      const d = params.dim;
      const T = params.steps;
      const g = params.g;
      const recorded: Record<string, () => InputValue> = {};
      const curves: TrainingCurve[] = [];
      for (const loss of losses) {
        const problem = randomProblem(rng, loss, d, params.batch);
        const u0 = start(rng, d);
        const run = train(formulas, problem, loss, u0, params, true);
        checks.push(...run.checks);
        curves.push({ label: `${loss} loss`, norms: run.norms });
        recorded[loss] = () => ({ ...problem.data(), g, lr: params.lr, u0: vector(u0), norms: run.norms, losses: run.losses });
        const first = run.norms[0] as number;
        const last = run.norms[T] as number;
        figures.push(
          figureFor(loss, several, 'normStart', '‖u‖ at step 0', first),
          figureFor(loss, several, 'normEnd', `‖u‖ at step ${T}`, last),
          figureFor(loss, several, 'scaleStart', 'g/‖u‖ at step 0', g / first),
          figureFor(loss, several, 'scaleEnd', `g/‖u‖ at step ${T}`, g / last),
          figureFor(loss, several, 'lossStart', 'L at step 0', run.losses[0] ?? null),
          figureFor(loss, several, 'lossEnd', `L at step ${T}`, run.losses[T] ?? null),
        );
      }

      // The equality case: ∇_w L ∥ w, so ∇_u L = 0 and ‖u‖ stays put at every step.
      const u0 = start(rng, d);
      const w0 = weightFromDirection(u0, g);
      const { problem, whiteningError, bias } = equalityProblem(rng, d, params.batch);
      const { gradient: gradientW } = problem.evaluate(w0);
      const normW = vectorNorm(gradientW);
      const w0Hat = weightFromDirection(w0, 1);
      const parallel = dot(gradientW, w0Hat);
      const across = vectorNorm(gradientW.map((x, j) => x - parallel * (w0Hat[j] as number)));
      // Ĉ = I up to the whitening error, so ∇_w L leaves the direction of w by at most d times it;
      // forming wᵀx + b − y with |wᵀx| ≈ |g| and |b| = |y| adds (N + d)·ε·(1 + |b|/|g|) relative to ‖∇_w L‖.
      const equalityTolerance = {
        rtol: identity.rtol,
        atol: identity.atol + d * whiteningError + 4 * (params.batch + d) * Number.EPSILON * (1 + Math.abs(bias) / Math.abs(g)),
      };
      const gradientU = directionGradient(formulas, u0, g, gradientW);
      checks.push(
        witnessCheck('equality case: ∇_w L ≠ 0 (w is not a stationary point)', 'equality case', 0, normW),
        identityCheck('equality case: ∇_w L ∥ w (as |sin∠(∇_w L, w)|)', 'equality case', across / normW, 0, equalityTolerance),
        identityCheck('equality case: ∇_u L = 0 (as ‖∇_u L‖/((|g|/‖u‖)·‖∇_w L‖))', 'equality case', vectorNorm(gradientU) / ((Math.abs(g) / directionNorm(u0)) * normW), 0, equalityTolerance),
      );
      const run = train(formulas, problem, 'equality case', u0, params, false);
      checks.push(...run.checks);
      recorded['equality case'] = () => ({ ...problem.data(), g, lr: params.lr, u0: vector(u0), norms: run.norms });
      const first = run.norms[0] as number;
      const last = run.norms[T] as number;
      // Each step may move ‖u‖ by its rounding allowance (see train), which T steps add up.
      checks.push(identityCheck('equality case: ‖u_T‖ = ‖u_0‖', `equality case, T = ${T}`, last, first, { rtol: identity.rtol, atol: identity.atol + run.drift }));
      figures.push(
        { key: 'equality.normStart', label: 'equality case (∇_w L ∥ w): ‖u‖ at step 0', value: first },
        { key: 'equality.normEnd', label: `equality case: ‖u‖ at step ${T}`, value: last },
        { key: 'equality.gradientW', label: 'equality case: ‖∇_w L‖ (removed entirely by W*)', value: normW },
      );
      curves.push({ label: 'equality case (∇_w L ∥ w)', norms: run.norms });
      const inputs = () => Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()]));
      return { checks, figures, plots: () => normGrowthPlots(g, curves), inputs };
    },
  };
}

// ─── The subcommand ────────────────────────────────────────────────────────────────────

/** The subcommand's definition; tests register variants of it with broken claims. */
export const WEIGHTNORM_SUBCOMMAND: Subcommand<WeightNormParams> = {
  name: 'weightnorm',
  summary: 'claims 4.1–4.3: weight normalisation against batch normalisation, its gradient, the growth of ‖u‖',
  description:
    'Checks that batch normalisation of wᵀx + b equals (w/‖w‖)ᵀx on an exactly whitened batch, with the mismatch on i.i.d. Gaussian batches shrinking like N^(−1/2) and a witness on non-whitened input (claim 4.1); that ∇_u L = (g/‖u‖)(I − uuᵀ/‖u‖²)∇_w L against finite differences for squared error, logistic and softmax cross-entropy losses, with the projection’s identities (claim 4.2); and that every gradient step on u gives ‖u′‖ = ‖u‖√(1 + c²) ≥ ‖u‖ over real training runs, with an equality case (claim 4.3).',
  examples: ['hwcheck weightnorm', 'hwcheck weightnorm --loss softmax --lr 1 --steps 500', 'hwcheck weightnorm --dim 20 --batch 64 --g -1.5 --json'],
  options: [
    { key: 'dim', flag: '--dim', valueName: 'd', description: 'input dimension d, at least 2 (default: 8)', parse: integerValue(2, 1000), shrinkTo: 2 },
    { key: 'batch', flag: '--batch', valueName: 'N', description: 'batch size N, at least d + 1 (default: 32)', parse: integerValue(3, 1000000), shrinkTo: 3 },
    { key: 'g', flag: '--g', valueName: 'g', description: 'the scale g of w = g·u/‖u‖, non-zero (default: 2)', parse: realValue({ min: -1000, max: 1000, symbol: 'g' }) },
    { key: 'lr', flag: '--lr', valueName: 'η', description: 'learning rate η of gradient descent on u (default: 0.5)', parse: realValue({ min: 0, minExclusive: true, max: 1000, symbol: 'η' }) },
    { key: 'steps', flag: '--steps', valueName: 'T', description: 'gradient steps per training run (default: 300)', parse: integerValue(1, 100000), shrinkTo: 1 },
    { key: 'loss', flag: '--loss', valueName: 'name', description: `${LOSS_CHOICES.join(' | ')} (default: all)`, parse: choiceValue(LOSS_CHOICES) },
    ...toleranceOptions,
  ],
  defaults: WEIGHTNORM_DEFAULTS,
  claims: [equivalenceClaim(), gradientClaim(), normGrowthClaim()],
  validate(params) {
    if (params.g === 0) {
      throw new UsageError('invalid value "0" for --g: expected a non-zero number (g = 0 makes w = 0 and ∇_u L identically 0, so no claim could be tested)');
    }
    if (params.batch < params.dim + 1) {
      throw new UsageError(
        `invalid value "${params.batch}" for --batch: expected an integer ≥ d + 1 = ${params.dim + 1} (a batch is whitened with its own covariance, which needs d + 1 samples)`,
      );
    }
  },
  trialSeconds(params) {
    // 4.1 and 4.2: whitening and finite differences over batches of up to 64N samples (N·d);
    // 4.3: T training steps on N samples of d features, for each loss.
    const Nd = params.batch * params.dim;
    return 0.02 + 2.2e-4 * Nd + 1.1e-6 * params.steps * Nd;
  },
  estimateBytes(params) {
    const N = params.batch;
    const d = params.dim;
    // N×d matrices, most in claim 4.3: the batch and its rows for each of the three losses, the
    // equality case's raw batch, whitened batch and rows (9, all kept for --dump), and at most 5
    // more at once: the unmixed draws and the centred copy while the raw batch is drawn and
    // whitened, or the 5 batches --dump copies into its record. (Claims 4.1 and 4.2 keep fewer.)
    const batches = 14 * N * d;
    // Claim 4.1's convergence fit, one stream at a time: z and the unit for each of its 64N
    // inputs (drawn row by row, never stored as a matrix), and BN of the largest prefix.
    const stream = 3 * N * RATE_FACTOR ** (RATE_SIZES - 1);
    // Claim 4.3 keeps ‖u_t‖ of its four runs and L_t of three of them, t = 0…T.
    const runs = 7 * (params.steps + 1);
    // d×d: the two random rotations (each with its Gaussian draw), the diagonal and the two
    // products of a raw batch's mixing; later the covariance, eigenvectors and C^{−1/2}.
    const squares = 8 * d * d;
    return 8 * (batches + stream + runs + squares);
  },
};

export const weightnormCommand = registerSubcommand(WEIGHTNORM_SUBCOMMAND);
