import { type Activation, applyElementwise, distanceToKinks } from '../num/activation.js';
import { CENTRAL_DIFFERENCE_STEP } from '../num/diff.js';
import { fastSpectralNorm, rowsOf, zeroMatrix } from '../num/kernels.js';
import { type LinearOperator, largestSingularValue, matrixOperator } from '../num/lanczos.js';
import { maxAbs, vectorNorm } from '../num/linalg.js';
import { Matrix } from '../num/matrix.js';
import { type Rng, gaussianMatrix, gaussianVector, randomOrthogonal } from '../num/random.js';
import { runOnActivations } from '../num/rnn.js';
import { boundCheck, identityCheck, matrixIdentityCheck, witnessCheck } from './checks.js';
import { type NormCurve, jacobianDecayPlot, witnessPlot } from './plots.js';
import {
  EXPLODING_CEILING,
  peakCase,
  randomCase,
  recordCases,
  type RnnCase,
  saturatedCase,
  selectedActivations,
  trialSetup,
} from './rnn-cases.js';
import { toleranceFor } from './tolerance.js';
import type { Check, Figure, Plot, TrialOutcome } from './types.js';
import type { VanishFormulas, VanishParams } from './vanish.js';

/**
 * Claims 1.2 and 1.3 for large n, without forming any n×n Jacobian. The full check (the default
 * up to n = 64) forms ∂g_t/∂g_0 = D_t W ⋯ D_1 W at every t (O(T·n³)), takes its exact spectral
 * norm and compares it entry by entry with a finite-difference Jacobian of 2n runs. Here:
 *
 * - Products: J_t v by the factors applied one at a time (forward mode) and J_tᵀ u backwards
 *   (reverse mode), O(t·n²) each; the formulas under test provide both.
 * - Finite differences along a random direction v (gradient checkers' fast mode): J_t v against
 *   (g_t(g_0 + hv) − g_t(g_0 − hv))/2h entry by entry at every t, and uᵀ(J_t v) through the
 *   reverse-mode product against uᵀ of the same differences at every checkpoint, so both
 *   products the norm estimates rely on are checked against the recurrence itself.
 * - Norms: Lanczos (Golub–Kahan) through those products at log-spaced checkpoints t (about two
 *   per decade, always 1 and T), each warm-started from the previous checkpoint's top vector.
 *
 * How sound the bound check stays. A Lanczos estimate is ‖J_t x‖ for a unit x, so it is never
 * above ‖J_t‖ (up to rounding, far inside the bound's tolerance): an estimate above δ^t proves
 * ‖J_t‖ > δ^t, a genuine counterexample. The converse does not hold: an estimate below δ^t does
 * not prove ‖J_t‖ ≤ δ^t, because no finite set of products certifies that a larger stretch was
 * not missed. What the run offers instead, and says in its figures:
 * - the tight cases, where ‖J_t‖ = δ^t exactly by construction: the estimate must reach δ^t there
 *   (an identity check), so the estimator is seen to find the largest stretch where it is known;
 * - the estimates' convergence (steps used, and whether each settled);
 * - the exact route, `--method full`, at any size that fits in memory.
 * The tightness reported is a lower bound on the true tightness. The witnesses of claim 1.3 need
 * the right direction of each bound: λ₁(WᵀW) > 1/γ² and "grows with t" use lower estimates
 * (sound: a lower bound above a level proves the level is exceeded); the saturated witness's decay
 * rate, which must be shown small, uses an upper bound, ‖J_t‖ ≤ Π_s max|σ′(z_s)| · ‖W‖_F^t.
 */

/** --method auto checks matrix-free above this hidden size. */
export const MATRIX_FREE_ABOVE = 64;

/** Lanczos steps at most per checkpoint, and the relative change at which an estimate has settled. */
const LANCZOS_STEPS = 10;
const LANCZOS_TOLERANCE = 1e-6;

/** Checkpoints: about two per decade of t (1, 3, 10, 32, 100, …), always 1 and T. */
export function checkpointTimes(T: number): number[] {
  const times = new Set<number>([1, T]);
  // Stryker disable next-line EqualityOperator: 10^(k/2) = T only at T = 10, 100 or 1000, where one more turn adds T itself, already in the set
  for (let k = 1; 10 ** (k / 2) < T; k++) times.add(Math.round(10 ** (k / 2)));
  // round(x) ≤ T for every x < T: no time leaves [1, T].
  return [...times].sort((a, b) => a - b);
}

/** x/‖x‖ for a Gaussian draw (never 0; a zero vector would give NaN, which fails every check it reaches). */
const unit = (x: Float64Array): Float64Array => {
  const size = vectorNorm(x);
  return x.map((v) => v / size);
};

/** ‖A‖ by Lanczos from a random start, run until it settles to the last bits (for building W; at most 400 steps, and never more than A's columns). */
function lanczosNorm(rng: Rng, a: Matrix): number {
  return largestSingularValue(matrixOperator(a), gaussianVector(rng, a.columns), { maxSteps: 400, tolerance: 1e-15 }).value;
}

/** A Gaussian matrix rescaled to ‖W‖ = norm, its norm found by Lanczos (O(n²) per step, no factorisation). */
export function boundaryMatrix(rng: Rng, n: number, norm: number): Matrix {
  const g = gaussianMatrix(rng, n, n);
  return g.mul(norm / lanczosNorm(rng, g));
}

/** M ← H M H for the reflection H = I − 2uuᵀ (‖u‖ = 1): an orthogonal similarity in O(n²). */
export function reflectBothSides(rows: readonly Float64Array[], u: Float64Array): void {
  const n = rows.length;
  // M H: each row r ← r − 2(r·u)uᵀ.
  for (const row of rows) {
    let dot = 0;
    for (let j = 0; j < n; j++) dot += (row[j] as number) * (u[j] as number);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) row[j] = (row[j] as number) - 2 * dot * (u[j] as number);
  }
  // H M: M ← M − 2u(Mᵀu)ᵀ.
  const w = new Float64Array(n);
  rows.forEach((row, i) => {
    const ui = u[i] as number;
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) w[j] = (w[j] as number) + ui * (row[j] as number);
  });
  rows.forEach((row, i) => {
    const ui = 2 * (u[i] as number);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let j = 0; j < n; j++) row[j] = (row[j] as number) - ui * (w[j] as number);
  });
}

/** Reflections in the rotation that hides the triangular structure of the non-normal matrix. */
const ROTATION_REFLECTIONS = 3;

/**
 * Q (D + N) Qᵀ with ‖·‖ = norm and every eigenvalue (the entries of D) of modulus at most
 * `eigenvalueBound`: N strictly upper triangular Gaussian, the whole rescaled to the norm (the
 * full check's bisection on N's scale needs an SVD per step), D shrunk first if the rescaling
 * would push an eigenvalue past the bound. Q is a product of a few random reflections (O(n²)
 * to apply) rather than a Haar rotation: any orthogonal similarity keeps the spectrum and the
 * norm, and this one already mixes every coordinate.
 */
export function nonNormalMatrix(rng: Rng, n: number, eigenvalueBound: number, norm: number): Matrix {
  const { matrix: core, rows } = zeroMatrix(n, n);
  const diagonal = Float64Array.from({ length: n }, () => rng.between(-1, 1));
  rows.forEach((row, i) => {
    // Stryker disable next-line EqualityOperator: one more turn (<=) draws one more Gaussian, stored past the end of the row (ignored): later draws shift by one, with the same law
    for (let j = i + 1; j < n; j++) row[j] = rng.gaussian();
  });
  let scale = 0;
  // Stryker disable next-line EqualityOperator: a 21st attempt needs 20 failed ones: at n = 1 (no N to absorb the norm), where every attempt gives W = ±norm, or with every entry of N some 1e-13 of D's (probability about 1e-13)
  for (let attempt = 0; attempt < 20; attempt++) {
    diagonal.forEach((d, i) => ((rows[i] as Float64Array)[i] = d));
    scale = norm / lanczosNorm(rng, core);
    const largest = maxAbs(diagonal);
    // Stryker disable next-line EqualityOperator: largest·scale equal to the bound exactly is a rounding coincidence (< only differs there; > is killed by the shrinking tests)
    if (largest * scale <= eigenvalueBound) break;
    // Shrinking D lowers ‖D + N‖ a little; try again with the margin this leaves.
    diagonal.forEach((d, i) => (diagonal[i] = (0.9 * d * eigenvalueBound) / (largest * scale)));
  }
  core.mul(scale);
  for (let k = 0; k < ROTATION_REFLECTIONS; k++) reflectBothSides(rows, unit(gaussianVector(rng, n)));
  return core;
}

/** A nilpotent W = c·P S Pᵀ: a shift S cut into blocks of at most `block` units (S^block = 0), permuted. */
export function nilpotentMatrix(rng: Rng, n: number, block: number, c: number): Matrix {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const { matrix, rows } = zeroMatrix(n, n);
  // (P S Pᵀ)[p_i][p_{i+1}] = S[i][i+1] = 1 inside a block.
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads order[n], undefined, and at most sets a property named "undefined" on a row, which no reader sees
  for (let i = 0; i + 1 < n; i++) {
    if ((i + 1) % block !== 0) (rows[order[i] as number] as Float64Array)[order[i + 1] as number] = c;
  }
  return matrix;
}

/** ‖W‖_F: an upper bound on ‖W‖ computed exactly enough to be rigorous (a sum of squares). */
export function frobeniusNorm(a: Matrix): number {
  let sum = 0;
  for (const row of rowsOf(a)) for (const x of row) sum += x * x;
  return Math.sqrt(sum) * (1 + 4 * Number.EPSILON * a.columns);
}

interface MatrixFreeEvaluation {
  preactivations: Float64Array[];
  derivatives: Float64Array[];
  times: number[];
  /** Lanczos estimates of ‖∂g_t/∂g_0‖ at `times`: each ≤ the true norm. */
  norms: number[];
  steps: number;
  settled: boolean;
}

/** J_t (t = derivatives.length) as an operator, through the formulas under test. */
function jacobianOperator(formulas: VanishFormulas, W: Matrix, derivatives: readonly Float64Array[]): LinearOperator {
  const n = W.rows;
  return {
    rows: n,
    columns: n,
    apply: (v) => formulas.jacobianTimes(W, derivatives, v).at(-1) ?? Float64Array.from(v),
    applyTransposed: (u) => formulas.transposedJacobianTimes(W, derivatives, u),
  };
}

/** Runs the case forward and estimates ‖∂g_t/∂g_0‖ at each checkpoint, warm-starting each from the last. */
export function evaluate(rng: Rng, c: RnnCase, activation: Activation, formulas: VanishFormulas, times: readonly number[]): MatrixFreeEvaluation {
  const { preactivations } = runOnActivations(c.W, activation, c.g0, c.drive);
  const derivatives = preactivations.map((z) => applyElementwise(activation.derivative, z));
  let start = gaussianVector(rng, c.W.rows);
  const norms: number[] = [];
  let steps = 0;
  let settled = true;
  for (const t of times) {
    const estimate = largestSingularValue(jacobianOperator(formulas, c.W, derivatives.slice(0, t)), start, { maxSteps: LANCZOS_STEPS, tolerance: LANCZOS_TOLERANCE });
    norms.push(estimate.value);
    steps += estimate.steps;
    settled &&= estimate.converged;
    // Past a zero Jacobian (a nilpotent W) the Ritz vector says nothing: keep the last useful start.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an estimate is 0 only when J_t = 0 or has underflowed, and then so has every later J_t' (more factors), which gives 0 in 0 steps from any start (true and >= 0 take the Ritz vector of such a run); false and <= 0 are killed
    if (estimate.value > 0) start = estimate.vector;
  }
  return { preactivations, derivatives, times: [...times], norms, steps, settled };
}

const JVP_CHECK = '∂g_t/∂g_0·v: product of D_t·W along a random v equals finite differences';
const VJP_CHECK = 'uᵀ·∂g_t/∂g_0·v: transposed product equals finite differences (random u, v)';

/**
 * The finite-difference checks along one random direction: J_t w against the central difference
 * of the unrolled recurrence at every t, and uᵀ J_t w through the reverse-mode product at every
 * checkpoint. The step follows the full check's rules (it shrinks as the Jacobian grows, and
 * stays clear of kinks); w is the displacement actually taken, (g⁺ − g⁻)/2h, exact in floating point.
 */
export function finiteDifferenceChecks(rng: Rng, c: RnnCase, activation: Activation, evaluated: MatrixFreeEvaluation, formulas: VanishFormulas, params: VanishParams): Check[] {
  const n = c.W.rows;
  const T = c.drive.length;
  const tolerance = toleranceFor(params, 'finiteDifference');
  const v = unit(gaussianVector(rng, n));
  const scale = Math.max(1, maxAbs(c.g0));
  // The stencil must stay where g_0 ↦ g_t is nearly linear along v: the step shrinks as the
  // stretch max_t ‖J_t v‖ grows. Start from the norm estimates; if the products along the
  // direction actually taken stretch more than that, redo with the larger figure.
  let amplification = Math.max(1, ...evaluated.norms);
  let h = 0;
  let w = v;
  let plus = c.g0;
  let minus = c.g0;
  // Stryker disable next-line ArrayDeclaration: the loop below runs at least once and assigns it before any use
  let analytic: Float64Array[] = [];
  // Stryker disable next-line UpdateOperator,EqualityOperator: a third pass never fails: a stretch beyond twice the estimates occurs only in the nilpotent witness, whose J_t sends each coordinate to at most one, and the direction taken is v to within a factor 2 per coordinate, so the second pass breaks (none went past it in 3 000 runs at the sizes where g₀ ± h·v rounds coarsest)
  for (let attempt = 0; attempt < 3; attempt++) {
    const growth = amplification * scale;
    let relativeStep = CENTRAL_DIFFERENCE_STEP / growth;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: without kinks distanceToKinks is ∞ and the margin leaves the step as it is (the false and <= mutants are killed by the kink tests)
    if (activation.kinks.length > 0) {
      const margin = Math.min(...evaluated.preactivations.map((z) => distanceToKinks(activation, z)));
      relativeStep = Math.min(relativeStep, (0.25 * margin) / (growth * Math.max(1, frobeniusNorm(c.W))));
    }
    const step = relativeStep * scale;
    h = step;
    plus = c.g0.map((x, i) => x + step * (v[i] as number));
    minus = c.g0.map((x, i) => x - step * (v[i] as number));
    // The displacement actually taken, (g⁺ − g⁻)/2h: the subtraction of nearby doubles is exact.
    const lower = minus;
    w = plus.map((x, i) => (x - (lower[i] as number)) / (2 * step));
    analytic = formulas.jacobianTimes(c.W, evaluated.derivatives, w);
    const stretch = Math.max(1, ...analytic.map(vectorNorm));
    // Stryker disable next-line EqualityOperator: a stretch of exactly twice the amplification is a rounding coincidence (< only differs there); the other mutants of this line are killed
    if (stretch <= 2 * amplification || !Number.isFinite(stretch)) break;
    amplification = stretch;
  }
  const statesPlus = runOnActivations(c.W, activation, plus, c.drive).states;
  const statesMinus = runOnActivations(c.W, activation, minus, c.drive).states;
  const largestState = Math.max(1, ...evaluated.preactivations.map((z) => maxAbs(z)), maxAbs(c.g0));
  // As in the full check: g_t's rounding, amplified by the Jacobian, divided by the step.
  const roundingError = (4 * Math.sqrt(n + 2) * Number.EPSILON * largestState * amplification) / h;
  const checks: Check[] = [];
  const numerical: Float64Array[] = [];
  for (let t = 1; t <= T; t++) {
    const difference = (statesPlus[t] as Float64Array).map((x, i) => (x - ((statesMinus[t] as Float64Array)[i] as number)) / (2 * h));
    numerical.push(difference);
    checks.push(matrixIdentityCheck(JVP_CHECK, `${activation.name}, ${c.label}, t=${t}`, Matrix.columnVector(analytic[t - 1] as Float64Array), Matrix.columnVector(difference), tolerance, roundingError));
  }
  const u = unit(gaussianVector(rng, n));
  const uSize = u.reduce((sum, x) => sum + Math.abs(x), 0);
  for (const t of evaluated.times) {
    const difference = numerical[t - 1] as Float64Array;
    const transposed = formulas.transposedJacobianTimes(c.W, evaluated.derivatives.slice(0, t), u);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < n; i++) {
      lhs += (transposed[i] as number) * (w[i] as number);
      rhs += (u[i] as number) * (difference[i] as number);
    }
    // Each entry of the difference is allowed the vector check's error; uᵀ adds them with weights |u_i|.
    const allowed = uSize * (tolerance.atol + tolerance.rtol * maxAbs(difference) + roundingError);
    checks.push({ name: VJP_CHECK, kind: 'identity', at: `${activation.name}, ${c.label}, t=${t}`, lhs, rhs, error: Math.abs(lhs - rhs), allowed });
  }
  return checks;
}

function figure(activation: Activation, several: boolean, key: string, label: string, value: number | string | null): Figure {
  return several ? { key: `${activation.name}.${key}`, label: `${activation.name}: ${label}`, value } : { key, label, value };
}


/** The figures that say how this run was checked, and what a pass means. */
function methodFigures(activation: Activation, several: boolean, times: readonly number[], steps: number, settled: boolean): Figure[] {
  return [
    figure(activation, several, 'method', 'method', `matrix-free: ‖∂g_t/∂g_0‖ by Lanczos through J·v and Jᵀ·u at t = ${times.join(', ')}; finite differences along random directions`),
    figure(activation, several, 'soundness', 'what a pass means', 'each estimate is ≤ the true norm, so a bound it exceeds is truly exceeded; a pass finds no violation but is not a proof (--method full computes exact norms)'),
    figure(activation, several, 'lanczosSteps', `Lanczos steps${settled ? ' (every estimate settled)' : ' (some estimates stopped at the step limit)'}`, steps),
  ];
}

const gammaOf = (params: VanishParams, activation: Activation) => params.gamma ?? activation.gamma;

/** Claim 1.2 matrix-free: see the comment at the top of this file. */
export function matrixFreeVanishingTrial(rng: Rng, params: VanishParams, formulas: VanishFormulas): TrialOutcome {
  const checks: Check[] = [];
  const figures: Figure[] = [];
  const cases: [Activation, RnnCase][] = [];
  const activations = selectedActivations(params.activation);
  const several = activations.length > 1;
  const plots: (() => Plot)[] = [];
  const n = params.dim;
  const T = params.steps;
  const times = checkpointTimes(T);
  const bound = (t: number) => formulas.bound(params.delta, t);
  for (const activation of activations) {
    const gamma = gammaOf(params, activation);
    const norm = params.delta / gamma;
    const random = randomCase(rng, 'random W on the boundary', activation, boundaryMatrix(rng, n, norm), params.inputDim, T);
    const nonNormal = randomCase(rng, 'non-normal W on the boundary', activation, nonNormalMatrix(rng, n, norm / 4, norm), params.inputDim, T);
    const orthogonal = randomOrthogonal(rng, n).mul(norm);
    const tight = peakCase(rng, 'tight case', activation, orthogonal, T);
    const nearTight = peakCase(rng, 'near-tight case', activation, orthogonal, T, 0.01);
    // The premise with equality: W was scaled by a Lanczos norm; here the dense √λ₁ of the Gram matrix.
    checks.push(identityCheck('premise λ₁(WᵀW) = δ²/γ² (W on the boundary)', `${activation.name}, random W`, fastSpectralNorm(random.W) ** 2, norm * norm, toleranceFor(params, 'identity')));
    const curves: NormCurve[] = [];
    const ratios: Record<string, number | null> = {};
    let steps = 0;
    let settled = true;
    for (const c of [random, nonNormal, tight, nearTight]) {
      cases.push([activation, c]);
      const evaluated = evaluate(rng, c, activation, formulas, times);
      steps += evaluated.steps;
      settled &&= evaluated.settled;
      curves.push({ label: c.label, norms: evaluated.norms, times: evaluated.times });
      checks.push(...finiteDifferenceChecks(rng, c, activation, evaluated, formulas, params));
      evaluated.norms.forEach((estimate, k) => {
        const t = times[k] as number;
        checks.push(boundCheck('‖∂g_t/∂g_0‖ ≤ δ^t (Lanczos estimate ≤ the norm, at checkpoints)', `${activation.name}, ${c.label}, t=${t}`, estimate, bound(t), toleranceFor(params, 'bound')));
        // Where the norm is known to equal δ^t, the estimate must find it: the estimator's own test.
        if (c === tight && bound(t) > 0) checks.push(identityCheck('tight case: the estimate reaches ‖∂g_t/∂g_0‖ = δ^t', `${activation.name}, tight case, t=${t}`, estimate, (activation.derivative(activation.peak) * norm) ** t, toleranceFor(params, 'identity')));
      });
      // norms has one estimate per checkpoint, and T ≥ 1 is always one.
      ratios[c.label] = bound(T) > 0 ? (evaluated.norms.at(-1) as number) / bound(T) : null;
    }
    const key = several ? `${activation.name}.jacobian` : 'jacobian';
    plots.push(() => jacobianDecayPlot(key, activation.name, params.delta, curves, bound));
    figures.push(
      figure(activation, several, 'gamma', 'γ', gamma),
      figure(activation, several, 'tightRatio', `tight case ‖∂g_T/∂g_0‖/δ^T (T=${T}, estimate)`, ratios['tight case'] ?? null),
      figure(activation, several, 'nearTightRatio', 'near-tight case ‖∂g_T/∂g_0‖/δ^T (estimate)', ratios['near-tight case'] ?? null),
      figure(activation, several, 'randomRatio', 'random W ‖∂g_T/∂g_0‖/δ^T (estimate)', ratios['random W on the boundary'] ?? null),
      ...methodFigures(activation, several, times, steps, settled),
    );
  }
  return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => ({ delta: params.delta, gamma: params.gamma, method: 'matrix-free', cases: recordCases(cases) }) };
}

/** The longest nilpotent block of claim 1.3's witness: 3^t ≤ EXPLODING_CEILING for t below it (419). */
export const NILPOTENT_INDEX_LIMIT = Math.floor(Math.log(EXPLODING_CEILING) / Math.log(3));

/** Claim 1.3 matrix-free: see the comment at the top of this file. */
export function matrixFreeExplodingTrial(rng: Rng, params: VanishParams, formulas: VanishFormulas): TrialOutcome {
  const { checks, figures, cases, activations, several, identity, n, T, plots } = trialSetup(params);
  const times = checkpointTimes(T);
  for (const activation of activations) {
    const gamma = gammaOf(params, activation);
    const at = (label: string) => `${activation.name}, ${label}`;
    const curves: NormCurve[] = [];
    let steps = 0;
    let settled = true;
    const run = (c: RnnCase, caseTimes: readonly number[]) => {
      cases.push([activation, c]);
      const evaluated = evaluate(rng, c, activation, formulas, caseTimes);
      steps += evaluated.steps;
      settled &&= evaluated.settled;
      return evaluated;
    };

    // (a) Necessity: with ‖W‖ = 1/γ the estimates stay ≤ 1 (a violation would be genuine).
    const random = randomCase(rng, 'random W with ‖W‖ = 1/γ', activation, boundaryMatrix(rng, n, 1 / gamma), params.inputDim, T);
    const tight = peakCase(rng, 'tight case ‖W‖ = 1/γ', activation, randomOrthogonal(rng, n).mul(1 / gamma), T);
    let boundedTightness: number | null = null;
    for (const c of [random, tight]) {
      const evaluated = run(c, times);
      checks.push(...finiteDifferenceChecks(rng, c, activation, evaluated, formulas, params));
      evaluated.norms.forEach((estimate, k) => {
        const t = times[k] as number;
        checks.push(boundCheck('‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1 (Lanczos estimate, at checkpoints)', `${activation.name}, ${c.label}, t=${t}`, estimate, formulas.bound(1, t), toleranceFor(params, 'bound')));
      });
      if (c === tight) {
        boundedTightness = evaluated.norms.at(-1) ?? null;
        curves.push({ label: 'tight case ‖W‖ = 1/γ', norms: evaluated.norms, times: evaluated.times });
      }
    }

    // (b) It can explode: W = (s/γ)Q held at the peak; every estimate is a lower bound, so growth it shows is real.
    const s = rng.between(1.2, 2);
    const horizon = Math.min(T, Math.floor(Math.log(EXPLODING_CEILING) / Math.log(s)));
    const exploding = peakCase(rng, 'exploding witness', activation, randomOrthogonal(rng, n).mul(s / gamma), horizon);
    const growthTimes = checkpointTimes(horizon);
    const growth = run(exploding, growthTimes);
    curves.push({ label: `exploding witness γ‖W‖ = ${s.toPrecision(3)}`, norms: growth.norms, times: growth.times });
    const slope = activation.derivative(activation.peak);
    checks.push(witnessCheck('witness premise: 1/γ² < λ₁(WᵀW) (Lanczos estimate ≤ λ₁)', at('exploding witness'), 1 / gamma ** 2, lanczosNorm(rng, exploding.W) ** 2));
    growth.norms.forEach((estimate, k) => {
      const t = growthTimes[k] as number;
      checks.push(identityCheck('exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t', at(`exploding witness, t=${t}`), estimate, ((slope * s) / gamma) ** t, identity));
      if (k > 0) checks.push(witnessCheck('exploding witness: ‖∂g_t/∂g_0‖ grows with t (checkpoints)', at(`exploding witness, t=${t}`), growth.norms[k - 1] ?? 0, estimate));
    });

    // (c) It need not explode: a nilpotent W with ‖W‖ = 3/γ; cut into blocks when n > T so that it vanishes within the run,
    // and never longer than 3^t stays below the exploding witness's ceiling: ‖∂g_t/∂g_0‖ = 3^t before the index, and
    // at n = T = 650 the products overflowed (3^650 > 10^308), which made the witness's checks NaN.
    const block = Math.min(n <= T ? n : Math.max(1, Math.floor(T / 2)), NILPOTENT_INDEX_LIMIT);
    const nilpotentW = nilpotentMatrix(rng, n, block, 3 / gamma);
    const nilpotent = peakCase(rng, 'nilpotent witness', activation, nilpotentW, T);
    // block ≤ T (it is n ≤ T, or ⌊T/2⌋), so every time is in range.
    const nilpotentTimes = [...new Set([...times, block])].sort((a, b) => a - b);
    const nilpotentEvaluated = run(nilpotent, nilpotentTimes);
    curves.push({ label: 'nilpotent witness γ‖W‖ = 3', norms: nilpotentEvaluated.norms, times: nilpotentEvaluated.times });
    checks.push(witnessCheck('witness premise: 1/γ² < λ₁(WᵀW) (Lanczos estimate ≤ λ₁)', at('nilpotent witness'), 1 / gamma ** 2, lanczosNorm(rng, nilpotentW) ** 2));
    checks.push(...finiteDifferenceChecks(rng, nilpotent, activation, nilpotentEvaluated, formulas, params));
    nilpotentEvaluated.norms.forEach((estimate, k) => {
      const t = nilpotentTimes[k] as number;
      // J_t v = 0 for a random v means J_t = 0 (with probability 1): exactly zero products, no rounding.
      if (t >= block) checks.push(identityCheck('nilpotent witness: ∂g_t/∂g_0 = 0 once t reaches its index', at(`nilpotent witness, t=${t}`), estimate, 0, identity));
    });
    figures.push(
      figure(activation, several, 'boundedTightness', `‖W‖ = 1/γ, tight case ‖∂g_T/∂g_0‖ (T=${T}, estimate)`, boundedTightness),
      figure(activation, several, 'explodingFactor', 'exploding witness γ‖W‖', s),
      figure(activation, several, 'explodingNorm', `exploding witness ‖∂g_T/∂g_0‖ (T=${horizon}, estimate)`, growth.norms.at(-1) ?? null),
      figure(activation, several, 'nilpotentFactor', 'nilpotent witness γ‖W‖', 3),
      figure(activation, several, 'nilpotentIndex', 'nilpotent witness: index k (W^k = 0)', block),
      figure(activation, several, 'nilpotentNorm', `nilpotent witness ‖∂g_T/∂g_0‖ (T=${T}, estimate)`, nilpotentEvaluated.norms.at(-1) as number),
    );

    // Saturated units: ‖W‖ = 3/γ, every pre-activation where σ′ is tiny. The decay rate must be shown
    // small, so it is bounded from above: ‖J_t‖ ≤ Π_s max|σ′(z_s)| · ‖W‖_F^t.
    if (activation.name !== 'linear') {
      const saturated = saturatedCase('saturated witness', activation, boundaryMatrix(rng, n, 3 / gamma), T);
      const saturatedEvaluated = run(saturated, times);
      curves.push({ label: 'saturated witness γ‖W‖ = 3', norms: saturatedEvaluated.norms, times: saturatedEvaluated.times });
      checks.push(...finiteDifferenceChecks(rng, saturated, activation, saturatedEvaluated, formulas, params));
      const frobenius = frobeniusNorm(saturated.W);
      let logUpper = 0;
      let rate = 0;
      saturatedEvaluated.derivatives.forEach((d, index) => {
        logUpper += Math.log(maxAbs(d) * frobenius);
        rate = Math.max(rate, Math.exp(logUpper / (index + 1)));
      });
      checks.push(witnessCheck('saturated witness: decay rate max_t ‖∂g_t/∂g_0‖^(1/t) < 1 (bounded above by Π max|σ′|·‖W‖_F)', at('saturated witness'), rate, 1));
      figures.push(
        figure(activation, several, 'saturatedRate', 'saturated witness (γ‖W‖ = 3) decay rate, upper bound', rate),
        figure(activation, several, 'saturatedNorm', `saturated witness ‖∂g_T/∂g_0‖ (T=${T}, estimate)`, saturatedEvaluated.norms.at(-1) ?? null),
      );
    }
    figures.push(...methodFigures(activation, several, times, steps, settled));
    const key = several ? `${activation.name}.witnesses` : 'witnesses';
    plots.push(() => witnessPlot(key, activation.name, curves, (t) => formulas.bound(1, t)));
  }
  return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => ({ gamma: params.gamma, method: 'matrix-free', cases: recordCases(cases) }) };
}
