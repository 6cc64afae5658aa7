import { type Tolerance, UNIT_ROUNDOFF, allowedError } from '../num/compare.js';
import { vectorNorm } from '../num/linalg.js';
import { type LogisticProblem, batchLipschitz, logisticData, meanLogLoss, miniBatchGradient } from '../num/logistic.js';
import { type Rng, gaussianVector } from '../num/random.js';
import { checkpoints, linearRecursion } from '../num/recursion.js';
import {
  type SampleSummary,
  bonferroniLevel,
  chiSquareUpperRatio,
  empiricalBernsteinHalfWidth,
  studentQuantile,
  summarizeSample,
} from '../num/stats.js';
import { NOISE_MODELS, NOISE_NAMES, type NoiseModel, averageVariance } from '../num/streams.js';
import { UsageError, integerValue, realValue } from '../options.js';
import { vectorIdentityCheck, witnessCheck } from './checks.js';
import { type ClaimDefinition, type Subcommand, registerSubcommand } from './subcommand.js';
import { type ToleranceParams, toleranceFor, toleranceOptions } from './tolerance.js';
import { biasPlot } from './plots.js';
import type { Check, Figure, InputValue, Plot, TrialOutcome } from './types.js';

// ---------------------------------------------------------------------------------------------
// Parameters: the moving average's (β, δ), given directly or through momentum's (α, ε).

export interface MomentumParams extends ToleranceParams {
  /** null: taken from --alpha, else DEFAULT_BETA. */
  beta: number | null;
  /** null: derived from --epsilon as ε/(1−β), else DEFAULT_DELTA. */
  delta: number | null;
  alpha: number | null;
  epsilon: number | null;
  steps: number;
  dim: number;
  samples: number;
}

export const DEFAULT_BETA = 0.9;
export const DEFAULT_DELTA = 0.1;

export const MOMENTUM_DEFAULTS: MomentumParams = {
  beta: null,
  delta: null,
  alpha: null,
  epsilon: null,
  steps: 200,
  dim: 4,
  samples: 2000,
  rtol: null,
  atol: null,
};

/** The moving-average method's coefficients, from which every claim starts. */
export interface EmaSetting {
  beta: number;
  delta: number;
}

/** A number in a message or a figure's text: four significant digits. */
const describe = (x: number) => String(Number(x.toPrecision(4)));

/** Two values typed by a user for the same quantity agree when they match to 9 digits. */
const agree = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/**
 * (β, δ) from the options: β from --beta or --alpha (α = β), δ from --delta or --epsilon
 * (δ = ε/(1−β)); when both of a pair are given they must agree. Throws UsageError.
 */
export function resolveEmaSetting(params: Pick<MomentumParams, 'beta' | 'delta' | 'alpha' | 'epsilon'>): EmaSetting {
  const { alpha, epsilon } = params;
  if (alpha !== null && params.beta !== null && !agree(alpha, params.beta)) {
    throw new UsageError(
      `invalid value "${alpha}" for --alpha: expected α = β = ${params.beta} (momentum matches the moving average only when α = β; give --alpha or --beta alone)`,
    );
  }
  const beta = params.beta ?? alpha ?? DEFAULT_BETA;
  if (epsilon !== null && params.delta !== null && !agree(epsilon, params.delta * (1 - beta))) {
    throw new UsageError(
      `invalid value "${epsilon}" for --epsilon: expected ε = δ(1−β) = ${describe(params.delta * (1 - beta))} for δ = ${params.delta} and β = ${beta} (give --epsilon or --delta alone)`,
    );
  }
  const delta = params.delta ?? (epsilon !== null ? epsilon / (1 - beta) : DEFAULT_DELTA);
  return { beta, delta };
}

// ---------------------------------------------------------------------------------------------
// The formulas the claims put to the test; tests swap in wrong ones to prove the checks have teeth.

export interface MomentumFormulas {
  /** (α, ε) that make SGD with momentum reproduce SGD on the moving average (β, δ). */
  mapping(beta: number, delta: number): { alpha: number; epsilon: number };
  /** eq (17): momentum's Δθ_t from Δθ_{t−1} and g_t. */
  momentumRecursive(alpha: number, epsilon: number, previous: Float64Array, g: Float64Array): Float64Array;
  /** eq (21): the moving-average method's Δθ_t from Δθ_{t−1} and g_t. */
  emaRecursive(beta: number, delta: number, previous: Float64Array, g: Float64Array): Float64Array;
  /** eq (26) at each of `times`: v_t = β^t v_0 + Σ_{i≤t} β^{t−i}(1−β) g_i, with gradients[i−1] = g_i. */
  emaUnrolled(beta: number, v0: Float64Array, gradients: readonly Float64Array[], times: readonly number[]): Float64Array[];
  /** Momentum unrolled at each of `times`: v_t = α^t v_0 + ε Σ_{i≤t} α^{t−i} g_i. */
  momentumUnrolled(alpha: number, epsilon: number, v0: Float64Array, gradients: readonly Float64Array[], times: readonly number[]): Float64Array[];
  /** eq (29): E[v_t] for a stationary stream with mean μ. */
  expectedAverage(beta: number, v0: number, mu: number, t: number): number;
  /** eq (30) with v_0 = 0: the estimate of μ made from v_t. */
  biasCorrected(v: number, beta: number, t: number): number;
}

/** 1 − β^t as −expm1(t·ln β): full relative accuracy even when β^t is close to 1, where 1 − β**t loses digits. */
export function oneMinusPower(beta: number, t: number): number {
  return -Math.expm1(t * Math.log(beta));
}

/** Σ_{i≤t} base^{t−i}·coefficient·g_i + base^t·v_0 at each time, powers by Math.pow (never by the recursion). */
function weightedSums(
  base: number,
  coefficient: number,
  v0: Float64Array,
  gradients: readonly Float64Array[],
  times: readonly number[],
): Float64Array[] {
  const horizon = Math.max(0, ...times);
  const powers = new Float64Array(horizon + 1);
  for (let k = 0; k <= horizon; k++) powers[k] = base ** k;
  return times.map((t) => {
    const out = v0.map((v) => (powers[t] as number) * v);
    for (let i = 1; i <= t; i++) {
      const weight = (powers[t - i] as number) * coefficient;
      const g = gradients[i - 1] as Float64Array;
      // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
      for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + weight * (g[j] as number);
    }
    return out;
  });
}

export const MOMENTUM_FORMULAS: MomentumFormulas = {
  mapping: (beta, delta) => ({ alpha: beta, epsilon: delta * (1 - beta) }),
  momentumRecursive: (alpha, epsilon, previous, g) => previous.map((p, j) => alpha * p - epsilon * (g[j] as number)),
  emaRecursive(beta, delta, previous, g) {
    const step = delta * (1 - beta);
    return previous.map((p, j) => beta * p - step * (g[j] as number));
  },
  emaUnrolled: (beta, v0, gradients, times) => weightedSums(beta, 1 - beta, v0, gradients, times),
  momentumUnrolled: (alpha, epsilon, v0, gradients, times) => weightedSums(alpha, epsilon, v0, gradients, times),
  expectedAverage: (beta, v0, mu, t) => beta ** t * v0 + oneMinusPower(beta, t) * mu,
  biasCorrected: (v, beta, t) => v / oneMinusPower(beta, t),
};

/**
 * Eq (27) exactly as the written answer states it: v_t = α^t v_0 + Σ α^{t−i}(1−α) g_i, i.e. with
 * (1−α) where momentum has ε. It equals momentum's v_t only when ε = 1 − α; `audit` reuses it.
 */
export function momentumUnrolledAsWritten(alpha: number, v0: Float64Array, gradients: readonly Float64Array[], times: readonly number[]): Float64Array[] {
  return weightedSums(alpha, 1 - alpha, v0, gradients, times);
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

const u = UNIT_ROUNDOFF;

/**
 * Two routes to one vector agree entry by entry within atol + rtol·|expected| plus `slack`,
 * the rounding an error model predicts for that entry; the check reports the entry whose
 * error is largest relative to what it is allowed (a NaN entry first).
 */
function modelledVectorCheck(
  name: string,
  at: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  slack: ArrayLike<number> | number,
  slackFactor = 1,
): Check {
  const check = vectorIdentityCheck(name, at, actual, expected, tolerance, (j) => slackFactor * (typeof slack === 'number' ? slack : (slack[j] as number)));
  // A scalar quantity (n = 1) is named without an entry index.
  return expected.length > 1 ? check : { ...check, at };
}

/** A gradient stream g_1…g_T: a random mean per coordinate plus noise whose scale spans 10^±2 across coordinates. */
function randomStream(rng: Rng, steps: number, dim: number): Float64Array[] {
  const mean = gaussianVector(rng, dim);
  const scales = new Float64Array(dim).map(() => 10 ** rng.between(-2, 2));
  // Stryker disable next-line ArithmeticOperator: the Gaussian draw is symmetric about 0, so mean − scale·g gives a stream with the same law (the other operator changes are killed by the stream tests)
  const flat = new Float64Array(steps * dim).map((_, k) => (mean[k % dim] as number) + (scales[k % dim] as number) * rng.gaussian());
  return Array.from({ length: steps }, (_, t) => flat.subarray(t * dim, (t + 1) * dim));
}

const vectors = (list: readonly Float64Array[]): InputValue => list.map((v) => Array.from(v));

// ---------------------------------------------------------------------------------------------
// Claim 2.1: momentum ≡ moving average.

/** A 1 % change of ε, or of α relative to the gap 1 − β: the smallest perturbations the claim must notice. */
const PERTURBATION = 0.01;

/** Logistic-regression data points and mini-batch size of the real optimisation problem. */
const LOGISTIC_POINTS = 256;
const LOGISTIC_BATCH = 16;
/** The error majorant of the logistic run may grow by at most e^MAJORANT_GROWTH over the run. */
const MAJORANT_GROWTH = 4;

/**
 * The scale κ of the loss. The majorant (e_t, Θ_t) of lockStep grows per step by the largest root
 * ρ of ρ² − (1 + α + εL)ρ + α = 0; asking ρ = e^{4/T} gives εL = (ρ − 1)(ρ − α)/ρ, and κ follows
 * from the largest batch curvature. The run then moves as far as the bound can follow it: about
 * four relaxation times at β = 0.9, and still visibly at β close to 1. εL is also capped at 1 − β,
 * i.e. δκL ≤ 1, so that short runs do not overshoot along their stiffest direction.
 */
function lossScale(beta: number, delta: number, steps: number, largestCurvature: number): number {
  const rho = Math.exp(MAJORANT_GROWTH / steps);
  const product = Math.min(((rho - 1) * (rho - beta)) / rho, 1 - beta);
  return product / (delta * (1 - beta) * largestCurvature);
}

interface Deviation {
  /** Largest error/allowed over the run, with where it happened. */
  ratio: number;
  at: string;
  error: number;
  allowed: number;
}

function largestDeviation(
  label: string,
  actual: readonly Float64Array[],
  expected: readonly Float64Array[],
  allowed: (t: number, j: number) => number,
): Deviation {
  let best: Deviation = { ratio: -1, at: label, error: 0, allowed: 0 };
  for (let t = 1; t < expected.length; t++) {
    const a = actual[t] as Float64Array;
    const b = expected[t] as Float64Array;
    for (let j = 0; j < b.length; j++) {
      const error = Math.abs((a[j] as number) - (b[j] as number));
      const limit = allowed(t, j);
      const ratio = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error / limit;
      // Stryker disable next-line EqualityOperator: >= differs only when two entries tie exactly for the largest ratio, and then names the later of two equally largest deviations
      if (ratio > best.ratio) best = { ratio, at: `${label}, t=${t}, entry ${j}`, error, allowed: limit };
    }
  }
  return best;
}

interface StreamRun {
  /** Δθ_0 … Δθ_T and θ_0 … θ_T. */
  updates: Float64Array[];
  thetas: Float64Array[];
  /** Componentwise bound on the rounding of Δθ_t (not yet doubled). */
  updateRounding: Float64Array[];
}

/** SGD with momentum by its definition: v_t = α v_{t−1} + ε g_t, Δθ_t = −v_t, θ_t = θ_{t−1} + Δθ_t. */
function momentumOnStream(alpha: number, epsilon: number, theta0: Float64Array, gradients: readonly Float64Array[]): StreamRun {
  // ε is compared with the exact δ(1−β): fl(δ·fl(1−β)) carries two roundings.
  const run = linearRecursion(alpha, epsilon, new Float64Array(theta0.length), gradients, 2);
  const steps = Array.from({ length: gradients.length + 1 }, (_, t) => t);
  const updates = steps.map((t) => scaled(run.state(t), -1));
  return { updates, thetas: accumulate(theta0, updates), updateRounding: steps.map((t) => run.rounding(t)) };
}

/** SGD on the moving average by its definition: v_t = β v_{t−1} + (1−β) g_t, Δθ_t = −δ v_t. */
function averageOnStream(beta: number, delta: number, theta0: Float64Array, gradients: readonly Float64Array[]): StreamRun {
  const run = linearRecursion(beta, 1 - beta, new Float64Array(theta0.length), gradients, 1);
  const steps = Array.from({ length: gradients.length + 1 }, (_, t) => t);
  const updates = steps.map((t) => scaled(run.state(t), -delta));
  // δ scales v_t's rounding, and the product δ·v_t rounds once more.
  const updateRounding = steps.map((t) => {
    const update = updates[t] as Float64Array;
    return run.rounding(t).map((r, j) => delta * r + u * Math.abs(update[j] as number));
  });
  return { updates, thetas: accumulate(theta0, updates), updateRounding };
}

function added(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((x, j) => x + (b[j] as number));
}

function scaled(v: Float64Array, factor: number): Float64Array {
  return v.map((x) => factor * x);
}

function accumulate(theta0: Float64Array, updates: readonly Float64Array[]): Float64Array[] {
  const thetas = [Float64Array.from(theta0)];
  for (let t = 1; t < updates.length; t++) {
    const update = updates[t] as Float64Array;
    thetas.push((thetas[t - 1] as Float64Array).map((p, j) => p + (update[j] as number)));
  }
  return thetas;
}

/**
 * Bound on |θ^A_t − θ^B_t| per coordinate: the updates' differences add up, and each
 * θ_t = θ_{t−1} + Δθ_t rounds once in each route.
 */
function thetaRounding(a: StreamRun, b: StreamRun): Float64Array[] {
  const bounds = [new Float64Array((a.thetas[0] as Float64Array).length)];
  for (let t = 1; t < a.thetas.length; t++) {
    const previous = bounds[t - 1] as Float64Array;
    const ra = a.updateRounding[t] as Float64Array;
    const rb = b.updateRounding[t] as Float64Array;
    const ta = a.thetas[t] as Float64Array;
    const tb = b.thetas[t] as Float64Array;
    bounds.push(previous.map((p, j) => p + (ra[j] as number) + (rb[j] as number) + u * (Math.abs(ta[j] as number) + Math.abs(tb[j] as number))));
  }
  return bounds;
}

interface LockStepRun {
  /** θ_0 … θ_T of momentum (A) and of the moving-average method (B). */
  thetasA: Float64Array[];
  thetasB: Float64Array[];
  updatesA: Float64Array[];
  updatesB: Float64Array[];
  /** Bounds on ‖Δθ^A_t − Δθ^B_t‖₂ and ‖θ^A_t − θ^B_t‖₂ (not yet doubled). */
  updateBound: number[];
  thetaBound: number[];
}

/**
 * Both optimisers on the same mini-batches, each taking the gradient at its own θ. The error
 * model propagates, in 2-norms, e_t ≥ ‖v_t − δ w_t‖ (momentum's v, the average w):
 *   e_t = α e_{t−1} + ε (L_t ‖θ^A_{t−1} − θ^B_{t−1}‖ + ρ^A_t + ρ^B_t) + local rounding,
 * with L_t the batch gradient's Lipschitz constant and ρ the gradients' own rounding; it
 * ignores the contraction of the dynamics, hence the loss scale chosen by lossScale.
 */
function lockStep(problem: LogisticProblem, batches: readonly number[][], lipschitz: readonly number[], alpha: number, epsilon: number, beta: number, delta: number): LockStepRun {
  // Stryker disable next-line OptionalChaining: the logistic problem always has LOGISTIC_POINTS > 0 points, so features[0] exists
  const dim = problem.features[0]?.length ?? 0;
  let thetaA = new Float64Array(dim);
  let thetaB = new Float64Array(dim);
  const velocity = new Float64Array(dim);
  const average = new Float64Array(dim);
  const run: LockStepRun = { thetasA: [thetaA], thetasB: [thetaB], updatesA: [new Float64Array(dim)], updatesB: [new Float64Array(dim)], updateBound: [0], thetaBound: [0] };
  let gap = 0;
  let thetaGap = 0;
  batches.forEach((batch, index) => {
    const gA = miniBatchGradient(problem, batch, thetaA);
    const gB = miniBatchGradient(problem, batch, thetaB);
    const momentumInput = epsilon * vectorNorm(gA.gradient);
    const local =
      2 * u * (alpha * vectorNorm(velocity) + momentumInput) +
      2 * u * momentumInput + // ε against the exact δ(1−β)
      delta * (2 * u * beta * vectorNorm(average) + 3 * u * (1 - beta) * vectorNorm(gB.gradient));
    gap = alpha * gap + epsilon * ((lipschitz[index] as number) * thetaGap + gA.roundingBound + gB.roundingBound) + local;
    const updateA = new Float64Array(dim);
    const updateB = new Float64Array(dim);
    const nextA = new Float64Array(dim);
    const nextB = new Float64Array(dim);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of typed arrays, which JavaScript ignores
    for (let j = 0; j < dim; j++) {
      velocity[j] = alpha * (velocity[j] as number) + epsilon * (gA.gradient[j] as number);
      average[j] = beta * (average[j] as number) + (1 - beta) * (gB.gradient[j] as number);
      updateA[j] = -(velocity[j] as number);
      updateB[j] = -delta * (average[j] as number);
      nextA[j] = (thetaA[j] as number) + (updateA[j] as number);
      nextB[j] = (thetaB[j] as number) + (updateB[j] as number);
    }
    const updateBound = gap + u * vectorNorm(updateB);
    thetaA = nextA;
    thetaB = nextB;
    thetaGap = thetaGap + updateBound + u * (vectorNorm(thetaA) + vectorNorm(thetaB));
    run.thetasA.push(thetaA);
    run.thetasB.push(thetaB);
    run.updatesA.push(updateA);
    run.updatesB.push(updateB);
    run.updateBound.push(updateBound);
    run.thetaBound.push(thetaGap);
  });
  return run;
}

/** Mini-batches drawn without replacement within each pass over the data. */
function miniBatches(rng: Rng, points: number, size: number, steps: number): number[][] {
  const batches: number[][] = [];
  const order = Array.from({ length: points }, (_, i) => i);
  let next = points;
  while (batches.length < steps) {
    if (next + size > points) {
      // Stryker disable next-line EqualityOperator: same law — one more turn (i = 0) swaps the first point with itself; its draw only shifts which later values the seed yields (the other mutants of this bound are killed by the pass tests)
      for (let i = points - 1; i > 0; i--) {
        const j = rng.integer(i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      next = 0;
    }
    batches.push(order.slice(next, next + size));
    next += size;
  }
  return batches;
}

const SAME_UPDATE = 'momentum and EMA make the same update Δθ_t (α = β, ε = δ(1−β))';
const SAME_THETA = 'momentum and EMA follow the same θ_t';
const EQ17 = 'eq (17) Δθ_t = αΔθ_{t−1} − εg_t reproduces momentum’s two-variable recursion';
const EQ21 = 'eq (21) Δθ_t = βΔθ_{t−1} − δ(1−β)g_t reproduces the EMA’s two-variable recursion';
const EPSILON_PERTURBED = 'ε changed by 1 % breaks the lock-step (difference beyond the tolerance)';
const ALPHA_PERTURBED = 'α ≠ β (α = β + 0.01(1−β)) breaks the lock-step (difference beyond the tolerance)';

/** Claim 2.1: with α = β and ε = δ(1−β) the two methods make identical updates (eqs 14–21). */
export function equivalenceClaim(formulas: MomentumFormulas = MOMENTUM_FORMULAS): ClaimDefinition<MomentumParams> {
  return {
    id: '2.1',
    title: 'SGD with momentum (α, ε) and SGD on a moving average (β, δ) make the same updates when α = β, ε = δ(1−β)',
    equations: [14, 15, 16, 17, 18, 19, 20, 21],
    trials: 8,
    trial(rng: Rng, params: MomentumParams): TrialOutcome {
      const { beta, delta } = resolveEmaSetting(params);
      const { alpha, epsilon } = formulas.mapping(beta, delta);
      const tolerance = toleranceFor(params, 'identity');
      const T = params.steps;
      const dim = params.dim;
      const checks: Check[] = [];

      // Random gradient stream: eqs (17) and (21) against the definitions, then momentum against EMA.
      const gradients = randomStream(rng, T, dim);
      const theta0 = gaussianVector(rng, dim);
      const momentum = momentumOnStream(alpha, epsilon, theta0, gradients);
      const average = averageOnStream(beta, delta, theta0, gradients);
      // Stryker disable next-line UnaryOperator: only this run's rounding bound is used, and it depends on the coefficient's size, not its sign
      const eq21Run = linearRecursion(beta, -(delta * (1 - beta)), new Float64Array(dim), gradients, 2);
      const thetaBounds = thetaRounding(momentum, average);
      let previous17: Float64Array = new Float64Array(dim);
      let previous21: Float64Array = new Float64Array(dim);
      for (let t = 1; t <= T; t++) {
        const g = gradients[t - 1] as Float64Array;
        const at = `random stream, t=${t}`;
        const update17 = formulas.momentumRecursive(alpha, epsilon, previous17, g);
        const update21 = formulas.emaRecursive(beta, delta, previous21, g);
        const momentumRounding = momentum.updateRounding[t] as Float64Array;
        const averageRounding = average.updateRounding[t] as Float64Array;
        // Each route is within its own running rounding bound of the exact value; the bounds add, doubled.
        checks.push(
          modelledVectorCheck(EQ17, at, update17, momentum.updates[t] as Float64Array, tolerance, momentumRounding, 4),
          modelledVectorCheck(EQ21, at, update21, average.updates[t] as Float64Array, tolerance, added(averageRounding, eq21Run.rounding(t)), 2),
          modelledVectorCheck(SAME_UPDATE, at, momentum.updates[t] as Float64Array, average.updates[t] as Float64Array, tolerance, added(momentumRounding, averageRounding), 2),
          modelledVectorCheck(SAME_THETA, at, momentum.thetas[t] as Float64Array, average.thetas[t] as Float64Array, tolerance, thetaBounds[t] as Float64Array, 2),
        );
        previous17 = update17;
        previous21 = update21;
      }
      // The same comparison must fail as soon as the mapping is perturbed.
      const streamWitness = (name: string, a: number, e: number) => {
        const perturbed = momentumOnStream(a, e, theta0, gradients);
        const bounds = thetaRounding(perturbed, average);
        const worst = largestDeviation('random stream', perturbed.thetas, average.thetas, (t, j) => allowedError((average.thetas[t] as Float64Array)[j] as number, tolerance) + 2 * ((bounds[t] as Float64Array)[j] as number));
        checks.push(witnessCheck(name, worst.at, worst.allowed, worst.error));
        return worst.ratio;
      };
      const streamEpsilonRatio = streamWitness(EPSILON_PERTURBED, alpha, epsilon * (1 + PERTURBATION));
      // From v₀ = 0 the first update is −εg_1 whatever α is: α can only show from t = 2 on.
      if (T >= 2) streamWitness(ALPHA_PERTURBED, alpha + PERTURBATION * (1 - beta), epsilon);

      // A real noisy optimisation: mini-batch logistic regression, the gradient taken at each method's own θ.
      const data = logisticData(rng, LOGISTIC_POINTS, dim);
      const batches = miniBatches(rng, LOGISTIC_POINTS, LOGISTIC_BATCH, T);
      const curvature = batches.map((batch) => batchLipschitz(data, batch));
      const problem: LogisticProblem = { ...data, scale: lossScale(beta, delta, T, Math.max(...curvature)) };
      const lipschitz = curvature.map((c) => c * problem.scale);
      const lock = lockStep(problem, batches, lipschitz, alpha, epsilon, beta, delta);
      let largestGap = 0;
      for (let t = 1; t <= T; t++) {
        const at = `logistic regression, t=${t}`;
        checks.push(
          modelledVectorCheck(SAME_UPDATE, at, lock.updatesA[t] as Float64Array, lock.updatesB[t] as Float64Array, tolerance, 2 * (lock.updateBound[t] as number)),
          modelledVectorCheck(SAME_THETA, at, lock.thetasA[t] as Float64Array, lock.thetasB[t] as Float64Array, tolerance, 2 * (lock.thetaBound[t] as number)),
        );
        for (let j = 0; j < dim; j++) {
          largestGap = Math.max(largestGap, Math.abs(((lock.thetasA[t] as Float64Array)[j] as number) - ((lock.thetasB[t] as Float64Array)[j] as number)));
        }
      }
      const logisticWitness = (name: string, a: number, e: number) => {
        const perturbed = lockStep(problem, batches, lipschitz, a, e, beta, delta);
        const worst = largestDeviation('logistic regression', perturbed.thetasA, perturbed.thetasB, (t, j) => allowedError((perturbed.thetasB[t] as Float64Array)[j] as number, tolerance) + 2 * (perturbed.thetaBound[t] as number));
        checks.push(witnessCheck(name, worst.at, worst.allowed, worst.error));
        return worst.ratio;
      };
      const logisticEpsilonRatio = logisticWitness(EPSILON_PERTURBED, alpha, epsilon * (1 + PERTURBATION));
      if (T >= 2) logisticWitness(ALPHA_PERTURBED, alpha + PERTURBATION * (1 - beta), epsilon);

      const thetaT = lock.thetasB[T] as Float64Array;
      const figures: Figure[] = [
        { key: 'beta', label: 'β', value: beta },
        { key: 'delta', label: 'δ', value: delta },
        { key: 'alpha', label: 'α (from the mapping)', value: alpha },
        { key: 'epsilon', label: 'ε (from the mapping)', value: epsilon },
        { key: 'logisticLossStart', label: `logistic regression (${LOGISTIC_POINTS} points, batches of ${LOGISTIC_BATCH}): log-loss at θ_0`, value: meanLogLoss(data, lock.thetasB[0] as Float64Array) },
        { key: 'logisticLossEnd', label: `log-loss at θ_T (T=${T})`, value: meanLogLoss(data, thetaT) },
        { key: 'logisticGap', label: 'logistic regression: max_t |θ_momentum − θ_EMA| (every coordinate)', value: largestGap },
        { key: 'logisticAllowance', label: 'error-model allowance for it at T', value: 2 * (lock.thetaBound[T] as number) },
        { key: 'epsilonPerturbedStream', label: 'ε +1 %: largest deviation / allowance, random stream', value: streamEpsilonRatio },
        { key: 'epsilonPerturbedLogistic', label: 'ε +1 %: largest deviation / allowance, logistic regression', value: logisticEpsilonRatio },
      ];
      return {
        checks,
        figures,
        inputs: () => ({
          beta,
          delta,
          alpha,
          epsilon,
          theta0: Array.from(theta0),
          gradients: vectors(gradients),
          logistic: { features: vectors(data.features), labels: Array.from(data.labels), scale: problem.scale, batches },
        }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Claim 2.2: the unrolled forms.

/** β of the stress case: close enough to 1 that every one of thousands of terms matters. */
const NEAR_ONE_BETA = 1 - 1e-4;
const LONG_HORIZON = 5000;
/** Closed forms cost O(t) each: compare at every t up to this many steps, at about this many times beyond. */
const CHECKPOINTS = 300;
const LONG_CHECKPOINTS = 60;

interface UnrolledCase {
  label: string;
  beta: number;
  alpha: number;
  epsilon: number;
  /** The average's v_0; momentum starts from δ·v_0, the matching state (Δθ_0 agrees). */
  v0: Float64Array;
  gradients: Float64Array[];
  times: number[];
  /** Record how deep the cancellation |v_t|/S_t goes (the cancelling case). */
  cancelling?: boolean;
}

const UNROLLED_EMA = 'eq (26) unrolled EMA v_t = β^t v₀ + Σβ^(t−i)(1−β)g_i equals the recursion';
const UNROLLED_MOMENTUM = 'unrolled momentum v_t = α^t v₀ + εΣα^(t−i)g_i equals the recursion';

/**
 * Error model of closed form against recursion, per coordinate (first order, doubled):
 * - the recursion's own running bound R_t (see linearRecursion);
 * - the closed form sums t + 1 terms, each a power (≤ 2u from Math.pow) times two factors:
 *   recursive summation errs by ≤ (t + 5)u·S_t, S_t the sum of the terms' absolute values.
 * Measuring against S_t rather than |v_t| is what keeps cancellation (|v_t| ≪ S_t, as when the
 * v₀ term and the gradients' sum nearly cancel, or when thousands of zero-mean terms add up at
 * β close to 1) from being mistaken for an error; R_t grows like u/(1−β) there and is included.
 */
function unrolledSlack(t: number, magnitude: Float64Array, rounding: Float64Array): Float64Array {
  return magnitude.map((m, j) => 2 * ((t + 5) * u * m + (rounding[j] as number)));
}

/** Claim 2.2: the unrolled forms of the moving average (eq 26) and of momentum match their recursions. */
export function unrolledClaim(formulas: MomentumFormulas = MOMENTUM_FORMULAS): ClaimDefinition<MomentumParams> {
  return {
    id: '2.2',
    title: 'unrolled forms: v_t = β^t v₀ + Σ β^(t−i)(1−β) g_i, and v_t = α^t v₀ + ε Σ α^(t−i) g_i for momentum',
    equations: [22, 23, 24, 25, 26],
    trials: 6,
    trial(rng: Rng, params: MomentumParams): TrialOutcome {
      const { beta, delta } = resolveEmaSetting(params);
      const { alpha, epsilon } = formulas.mapping(beta, delta);
      const tolerance = toleranceFor(params, 'identity');
      const T = params.steps;
      const dim = params.dim;
      const times = checkpoints(T, CHECKPOINTS);

      // Cancelling case: v₀ and the gradients' mean have opposite signs, sized so that E[v_t]
      // crosses zero near t* ≈ 1/(1−β); the noise is 10⁻³ of the mean.
      const crossing = Math.min(T, Math.max(1, Math.round(1 / (1 - beta))));
      // Stryker disable next-line EqualityOperator: u < ½, u ≤ ½ and u ≥ ½ each have probability ½, so the signs of v₀ have the same law
      const start = Float64Array.from({ length: dim }, () => (rng.uniform() < 0.5 ? -1 : 1) * 100 * (1 + rng.uniform()));
      const crossingMean = start.map((v) => (-v * beta ** crossing) / oneMinusPower(beta, crossing));
      // Stryker disable next-line ArithmeticOperator: same law — the Gaussian draw is symmetric about 0, so m − 1e-3·|m|·g has the law of m + 1e-3·|m|·g (the other operator changes are killed by the cancelling-case tests)
      const cancelling = Array.from({ length: T }, () => Float64Array.from(crossingMean, (m) => m + 1e-3 * Math.abs(m) * rng.gaussian()));

      const nearBeta = Math.max(beta, NEAR_ONE_BETA);
      const near = formulas.mapping(nearBeta, delta);
      const longHorizon = Math.max(T, LONG_HORIZON);
      const cases: UnrolledCase[] = [
        { label: 'v₀ = 0', beta, alpha, epsilon, v0: new Float64Array(dim), gradients: randomStream(rng, T, dim), times },
        { label: 'v₀ ≠ 0', beta, alpha, epsilon, v0: gaussianVector(rng, dim, 10), gradients: randomStream(rng, T, dim), times },
        { label: 'cancelling v₀ and Σg', beta, alpha, epsilon, v0: start, gradients: cancelling, times, cancelling: true },
        {
          label: `β = ${nearBeta}, ${longHorizon} steps`,
          beta: nearBeta,
          alpha: near.alpha,
          epsilon: near.epsilon,
          v0: gaussianVector(rng, dim, 10),
          gradients: randomStream(rng, longHorizon, dim),
          times: checkpoints(longHorizon, LONG_CHECKPOINTS),
        },
      ];

      const checks: Check[] = [];
      let deepestCancellation = Number.POSITIVE_INFINITY;
      let asWrittenGap = 0;
      for (const c of cases) {
        const average = linearRecursion(c.beta, 1 - c.beta, c.v0, c.gradients, 1);
        const v0Momentum = c.v0.map((v) => delta * v);
        const momentum = linearRecursion(c.alpha, c.epsilon, v0Momentum, c.gradients);
        const closedAverage = formulas.emaUnrolled(c.beta, c.v0, c.gradients, c.times);
        const closedMomentum = formulas.momentumUnrolled(c.alpha, c.epsilon, v0Momentum, c.gradients, c.times);
        const asWritten = c === cases[0] ? momentumUnrolledAsWritten(c.alpha, v0Momentum, c.gradients, c.times) : [];
        c.times.forEach((t, k) => {
          const at = `${c.label}, t=${t}`;
          const averageState = average.state(t);
          const momentumState = momentum.state(t);
          checks.push(
            modelledVectorCheck(UNROLLED_EMA, at, closedAverage[k] as Float64Array, averageState, tolerance, unrolledSlack(t, average.magnitude(t), average.rounding(t))),
            modelledVectorCheck(UNROLLED_MOMENTUM, at, closedMomentum[k] as Float64Array, momentumState, tolerance, unrolledSlack(t, momentum.magnitude(t), momentum.rounding(t))),
          );
          if (c.cancelling === true) {
            averageState.forEach((v, j) => {
              deepestCancellation = Math.min(deepestCancellation, Math.abs(v) / (average.magnitude(t)[j] as number));
            });
          }
          const written = asWritten[k];
          if (written !== undefined) written.forEach((w, j) => (asWrittenGap = Math.max(asWrittenGap, Math.abs(w - (momentumState[j] as number)))));
        });
      }
      const figures: Figure[] = [
        { key: 'cancellation', label: 'cancelling case: smallest |v_t| / Σ|terms| (how deep the cancellation goes)', value: deepestCancellation },
        { key: 'nearOneBeta', label: 'stress case β (close to 1)', value: nearBeta },
        { key: 'longHorizon', label: 'stress case horizon (steps)', value: longHorizon },
        { key: 'asWrittenGap', label: `eq (27) as written, (1−α) = ${describe(1 - alpha)} in place of ε = ${describe(epsilon)}: largest |difference| from momentum's v_t (v₀ = 0 case)`, value: asWrittenGap },
      ];
      return {
        checks,
        figures,
        inputs: () => ({
          delta,
          cases: cases.map((c) => ({ label: c.label, beta: c.beta, alpha: c.alpha, epsilon: c.epsilon, v0: Array.from(c.v0), gradients: vectors(c.gradients), times: c.times })),
        }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Claim 2.3: the bias of the moving average and its correction, by Monte-Carlo.

/** Probability that the default run of claim 2.3 reports a failure although the claim holds. */
export const FAMILY_FALSE_FAILURE = 1e-6;
const BIAS_TRIALS = 3;
/** The Monte-Carlo horizon: where β^t has fallen to 10⁻³, at most --steps. */
const MC_FADE = 1e-3;
const MC_TIMES = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

export function monteCarloHorizon(beta: number, steps: number): number {
  return Math.min(steps, Math.max(1, Math.ceil(Math.log(MC_FADE) / Math.log(beta))));
}

export function monteCarloTimes(beta: number, steps: number): number[] {
  const horizon = monteCarloHorizon(beta, steps);
  return [...MC_TIMES.filter((t) => t < horizon), horizon];
}

/**
 * Statistical checks one trial of claim 2.3 may make, for Bonferroni: per stream and time,
 * E[v_t] with v₀ = 0 and with v₀ ≠ 0, the corrected estimator, and a bias witness that counts
 * twice (a missed witness needs its estimate outside its interval or, for Gaussian streams,
 * the sample variance above its Chernoff bound — each given the per-check level).
 */
export function statisticalChecksPerTrial(beta: number, steps: number): number {
  return NOISE_NAMES.length * monteCarloTimes(beta, steps).length * 5;
}

/** The level α of each statistical check: the default run then fails by chance with probability ≤ 1e−6. */
export function perCheckLevel(beta: number, steps: number): number {
  return bonferroniLevel(FAMILY_FALSE_FAILURE, BIAS_TRIALS * statisticalChecksPerTrial(beta, steps));
}

interface Interval {
  summary: SampleSummary;
  halfWidth: number;
}

/** What every interval of one trial shares: its level α and the quantiles that follow from α and n. */
export interface IntervalPlan {
  alpha: number;
  samples: number;
  /** t_{n−1}(1 − α/2). */
  critical: number;
  /** c with P(s² > c·σ²) ≤ α (Chernoff). */
  varianceRatio: number;
}

/** The quantiles every interval of a trial at level α over `samples` replications uses (exported for tests). */
export function intervalPlan(alpha: number, samples: number): IntervalPlan {
  return { alpha, samples, critical: studentQuantile(1 - alpha / 2, samples - 1), varianceRatio: chiSquareUpperRatio(samples - 1, alpha) };
}

/**
 * The (1 − α) interval for a mean over independent replications: Student's t (exact, since a
 * linear function of a Gaussian stream is Gaussian) or, for the bounded skewed stream, the
 * empirical Bernstein bound (valid for any bounded law, however skewed).
 */
function meanInterval(values: Float64Array, model: NoiseModel, range: number, plan: IntervalPlan): Interval {
  const summary = summarizeSample(values);
  if (model.gaussian) return { summary, halfWidth: plan.critical * summary.standardError };
  // The observed spread can only be narrower than the true range; a wrong estimator may widen it.
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const x of values) {
    low = Math.min(low, x);
    high = Math.max(high, x);
  }
  return { summary, halfWidth: empiricalBernsteinHalfWidth(summary, Math.max(range, high - low), plan.alpha) };
}

/**
 * The largest half-width the raw mean's interval can have at time t (with probability ≥ 1 − α),
 * used to plan where the bias β^t|μ| is sure to be seen: Student's t with the sample variance at
 * its Chernoff bound, or the Bernstein width with the largest variance a bounded law allows.
 * Exported for tests.
 */
export function plannedHalfWidth(model: NoiseModel, beta: number, sigma: number, t: number, plan: IntervalPlan): number {
  const n = plan.samples;
  if (model.support === null) {
    const sd = Math.sqrt(averageVariance(beta, model.phi, sigma, t) * plan.varianceRatio);
    return (plan.critical * sd) / Math.sqrt(n);
  }
  const range = oneMinusPower(beta, t) * sigma * (model.support.high - model.support.low);
  const largestVariance = (n * range * range) / (4 * (n - 1));
  return empiricalBernsteinHalfWidth({ count: n, mean: 0, variance: largestVariance, standardError: 0 }, range, plan.alpha);
}

const EXPECTED_ZERO = 'E[v_t] = β^t v₀ + (1−β^t)μ, v₀ = 0 (Monte-Carlo mean within its interval)';
const EXPECTED_START = 'E[v_t] = β^t v₀ + (1−β^t)μ, v₀ ≠ 0 (Monte-Carlo mean within its interval)';
const CORRECTED = 'corrected v_t/(1−β^t) is within its interval of μ (v₀ = 0)';
const BIASED = 'raw v_t is detectably biased: |mean − μ| beyond its half-width (small t)';

/** A Monte-Carlo mean against its predicted value, allowed the interval's half-width. */
function statisticalCheck(name: string, at: string, interval: Interval, predicted: number): Check {
  const { mean } = interval.summary;
  return { name, kind: 'identity', at, lhs: mean, rhs: predicted, error: Math.abs(mean - predicted), allowed: interval.halfWidth };
}

/** Claim 2.3: E[v_t] = β^t v₀ + (1−β^t)μ, so v_t/(1−β^t) is unbiased and v_t is not (eqs 28–30). */
export function biasClaim(formulas: MomentumFormulas = MOMENTUM_FORMULAS): ClaimDefinition<MomentumParams> {
  return {
    id: '2.3',
    title: 'E[v_t] = β^t v₀ + (1−β^t)μ: v_t is biased by (1−β^t) and v_t/(1−β^t) is unbiased (Monte-Carlo)',
    equations: [28, 29, 30],
    trials: BIAS_TRIALS,
    trial(rng: Rng, params: MomentumParams): TrialOutcome {
      const { beta } = resolveEmaSetting(params);
      const n = params.samples;
      const alpha = perCheckLevel(beta, params.steps);
      const plan = intervalPlan(alpha, n);
      const times = monteCarloTimes(beta, params.steps);
      const horizon = times[times.length - 1] as number;
      const sigma = 1;
      const models = NOISE_NAMES.map((name) => NOISE_MODELS[name]);

      // |μ| is at least large enough for the bias at t = 1, β|μ|, to be twice the widest interval.
      const needed = Math.max(...models.map((m) => (2 * plannedHalfWidth(m, beta, sigma, 1, plan)) / beta));
      // Stryker disable next-line EqualityOperator: u < ½, u ≤ ½ and u ≥ ½ each have probability ½, so the sign of μ has the same law
      const mu = (rng.uniform() < 0.5 ? -1 : 1) * Math.max(1 + rng.uniform(), 1.1 * needed);
      // Stryker disable next-line ArithmeticOperator: the Gaussian draw is symmetric about 0, so −2μ − g has the same law as −2μ + g (−2/μ is killed by the test at large |μ|)
      const v0 = -2 * mu + rng.gaussian();

      const checks: Check[] = [];
      const figures: Figure[] = [
        { key: 'mu', label: 'μ (σ = 1)', value: mu },
        { key: 'v0', label: 'v₀ of the v₀ ≠ 0 runs', value: v0 },
        { key: 'level', label: 'level α of each statistical check (two-sided interval, confidence 1 − α)', value: alpha },
        { key: 'checksPerTrial', label: 'statistical checks per trial (Bonferroni count; witnesses count twice)', value: statisticalChecksPerTrial(beta, params.steps) },
        { key: 'falseFailure', label: `probability that the default run (${BIAS_TRIALS} trials) fails by chance, at most`, value: FAMILY_FALSE_FAILURE },
      ];
      // The replications, converted to JSON arrays only if --dump asks for them.
      const recorded: Record<string, () => InputValue> = {};
      const plots: (() => Plot)[] = [];
      for (const model of models) {
        // Independent replications: each runs its own stream, so the standard error is taken
        // across replications and the stream's correlation in time needs no modelling.
        const raw = times.map(() => new Float64Array(n));
        const started = times.map(() => new Float64Array(n));
        const stream = new Float64Array(horizon);
        // Stryker disable next-line EqualityOperator: one more turn (<=) writes its replication past the end of typed arrays (ignored); its draws only shift which later values the seed yields, not their law
        for (let r = 0; r < n; r++) {
          model.fill(rng, mu, sigma, stream);
          let v = 0;
          let w = v0;
          let k = 0;
          for (let t = 1; t <= horizon; t++) {
            const g = stream[t - 1] as number;
            v = beta * v + (1 - beta) * g;
            w = beta * w + (1 - beta) * g;
            if (t === times[k]) {
              (raw[k] as Float64Array)[r] = v;
              (started[k] as Float64Array)[r] = w;
              k++;
            }
          }
        }
        // Stryker disable next-line ArithmeticOperator: σ = 1 here, so dividing by it is multiplying by it (high + low is killed by the interval tests)
        const width = model.support === null ? 0 : sigma * (model.support.high - model.support.low);
        const lines: { t: number; line: string; witness: boolean }[] = [];
        const rawMeans: number[] = [];
        const correctedMeans: number[] = [];
        times.forEach((t, k) => {
          const at = `${model.name}, t=${t}`;
          const fraction = oneMinusPower(beta, t);
          const rawValues = raw[k] as Float64Array;
          const corrected = rawValues.map((v) => formulas.biasCorrected(v, beta, t));
          const rawInterval = meanInterval(rawValues, model, fraction * width, plan);
          const startedInterval = meanInterval(started[k] as Float64Array, model, fraction * width, plan);
          const correctedInterval = meanInterval(corrected, model, width, plan);
          checks.push(
            statisticalCheck(EXPECTED_ZERO, at, rawInterval, formulas.expectedAverage(beta, 0, mu, t)),
            statisticalCheck(EXPECTED_START, at, startedInterval, formulas.expectedAverage(beta, v0, mu, t)),
            statisticalCheck(CORRECTED, at, correctedInterval, mu),
          );
          rawMeans.push(rawInterval.summary.mean);
          correctedMeans.push(correctedInterval.summary.mean);
          const zCorrected = (correctedInterval.summary.mean - mu) / correctedInterval.summary.standardError;
          const zRaw = (rawInterval.summary.mean - mu) / rawInterval.summary.standardError;
          const line = `μ ${describe(mu)} · corrected mean ${describe(correctedInterval.summary.mean)} (z ${describe(zCorrected)}) · raw mean ${describe(rawInterval.summary.mean)} (z ${describe(zRaw)}) · raw/μ ${describe(rawInterval.summary.mean / mu)} vs 1−β^t ${describe(fraction)}`;
          // Witness only where the bias β^t|μ| is at least twice the widest interval the plan allows.
          // Stryker disable next-line EqualityOperator: > differs only when β^t|μ| equals the planned bound exactly, which a continuous draw of μ reaches with probability 0
          const witness = beta ** t * Math.abs(mu) >= 2 * plannedHalfWidth(model, beta, sigma, t, plan);
          if (witness) checks.push(witnessCheck(BIASED, at, rawInterval.halfWidth, Math.abs(rawInterval.summary.mean - mu)));
          lines.push({ t, line, witness });
        });
        // Shown: t = 1, and the largest t at which the bias is still witnessed.
        const first = lines[0];
        const lastWitness = lines.filter((l) => l.witness).pop();
        // Stryker disable next-line ConditionalExpression: the times are never empty (they end with the horizon ≥ 1), so the first line always exists
        if (first !== undefined) figures.push({ key: `${model.name}.t1`, label: `${model.name} (${model.description}), t=1`, value: first.line });
        // Stryker disable next-line ConditionalExpression: every stream has a bias witness at t = 1 (|μ| is chosen for it), so lastWitness always exists; the other changes are killed by the figure tests
        if (lastWitness !== undefined && lastWitness.t !== 1) {
          figures.push({ key: `${model.name}.t${lastWitness.t}`, label: `${model.name}, t=${lastWitness.t} (largest t with a bias witness)`, value: lastWitness.line });
        }
        recorded[model.name] = () => ({ times, raw: vectors(raw), started: vectors(started) });
        plots.push(() => biasPlot(model.name, `${model.name}: ${model.description}`, beta, mu, times, rawMeans, correctedMeans, (t) => formulas.expectedAverage(beta, 0, mu, t)));
      }
      return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => ({ beta, mu, sigma, v0, alpha, replications: Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()])) }) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The subcommand.

/** The subcommand's definition; tests register variants of it with broken claims. */
export const MOMENTUM_SUBCOMMAND: Subcommand<MomentumParams> = {
  name: 'momentum',
  summary: 'claims 2.1–2.3: momentum ≡ moving average, the unrolled forms, the bias and its correction',
  description:
    'Checks that SGD with momentum (α, ε) and SGD on an exponential moving average (β, δ) make identical updates when α = β and ε = δ(1−β), on random gradient streams and on mini-batch logistic regression (claim 2.1, eqs 17 and 21 included); that the unrolled forms equal their recursions, with v₀ = 0 and v₀ ≠ 0, under cancellation and at β close to 1 (claim 2.2); and, by Monte-Carlo with a stated confidence level, that E[v_t] = β^t v₀ + (1−β^t)μ, so that v_t/(1−β^t) is unbiased while v_t is biased (claim 2.3). Give (β, δ) or (α, ε): the other pair is derived.',
  examples: ['hwcheck momentum', 'hwcheck momentum --beta 0.99 --delta 0.5 --steps 1000', 'hwcheck momentum --alpha 0.9 --epsilon 0.01 --samples 10000 --json'],
  options: [
    { key: 'beta', flag: '--beta', valueName: 'β', description: `moving-average coefficient, 0 < β < 1 (default: ${DEFAULT_BETA}, or --alpha)`, parse: realValue({ min: 0, minExclusive: true, max: 1, maxExclusive: true, symbol: 'β' }) },
    { key: 'delta', flag: '--delta', valueName: 'δ', description: `moving-average step, δ > 0 (default: ${DEFAULT_DELTA}, or ε/(1−β) from --epsilon)`, parse: realValue({ min: 0, minExclusive: true, max: 1e6, symbol: 'δ' }) },
    { key: 'alpha', flag: '--alpha', valueName: 'α', description: 'momentum coefficient, 0 < α < 1; sets β = α', parse: realValue({ min: 0, minExclusive: true, max: 1, maxExclusive: true, symbol: 'α' }) },
    { key: 'epsilon', flag: '--epsilon', valueName: 'ε', description: 'momentum step, ε > 0; sets δ = ε/(1−β)', parse: realValue({ min: 0, minExclusive: true, max: 1e6, symbol: 'ε' }) },
    { key: 'steps', flag: '--steps', valueName: 'T', description: `steps of every run; the Monte-Carlo stops earlier, once β^t < ${MC_FADE} (default: ${MOMENTUM_DEFAULTS.steps})`, parse: integerValue(1, 100000), shrinkTo: 1 },
    { key: 'dim', flag: '--dim', valueName: 'n', description: `dimension of θ and of the gradients in claims 2.1–2.2 (default: ${MOMENTUM_DEFAULTS.dim})`, parse: integerValue(1, 10000), shrinkTo: 1 },
    { key: 'samples', flag: '--samples', valueName: 'R', description: `independent Monte-Carlo replications per stream in claim 2.3 (default: ${MOMENTUM_DEFAULTS.samples})`, parse: integerValue(20, 10000000), shrinkTo: 20 },
    ...toleranceOptions,
  ],
  defaults: MOMENTUM_DEFAULTS,
  claims: [equivalenceClaim(), unrolledClaim(), biasClaim()],
  // Stryker disable next-line BlockStatement: prepare() calls estimateBytes right after, which resolves (β, δ) too and throws the same UsageError
  validate(params) {
    resolveEmaSetting(params);
  },
  trialSeconds(params) {
    // 2.1–2.2: recursions, closed forms and their error bounds over T steps in `dim` coordinates,
    // plus per-step work on the logistic regression; 2.3: R replications of a few streams.
    const T = params.steps;
    return 0.05 + 9.5e-6 * T * params.dim + 2.65e-4 * T + 2.7e-5 * params.samples;
  },
  estimateBytes(params) {
    const { beta } = resolveEmaSetting(params);
    const longHorizon = Math.max(params.steps, LONG_HORIZON);
    // 2.1 and 2.2 keep every state, bound and gradient of their runs; 2.3 keeps its replications.
    const trajectories = 24 * (longHorizon + 1) * params.dim + LOGISTIC_POINTS * params.dim;
    const replications = 2 * params.samples * monteCarloTimes(beta, params.steps).length + monteCarloHorizon(beta, params.steps);
    return 8 * (trajectories + replications);
  },
};

export const momentumCommand = registerSubcommand(MOMENTUM_SUBCOMMAND);
