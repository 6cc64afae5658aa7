import type { Matrix } from 'ml-matrix';
import { UNIT_ROUNDOFF } from '../num/compare.js';
import { centralStep, finiteDifferenceDerivative, finiteDifferenceJacobian } from '../num/diff.js';
import { dot, matVec, maxAbs, vectorNorm } from '../num/linalg.js';
import { type Rng, gaussianMatrix, gaussianVector } from '../num/random.js';
import { type SmoothFunction, logSumExp, rosenbrock, softplusSum } from '../num/smooth.js';
import {
  CONDITION_LIMIT,
  HESSIAN_KINDS,
  type HessianKind,
  type QuadraticModel,
  conditionOfSymmetric,
  difference,
  geometricSequence,
  goldenSectionMinimum,
  type RemainderPoint,
  measureOrder,
  modelGradient,
  modelScale,
  modelValue,
  randomUnitVector,
  sampleHessian,
  solveSymmetric,
  step,
  symmetricEigen,
} from '../num/taylor.js';
import { UsageError, choiceValue, integerValue, realValue } from '../options.js';
import { vectorIdentityCheck, witnessCheck } from './checks.js';
import { type ClaimDefinition, registerSubcommand } from './subcommand.js';
import { type ToleranceParams, toleranceFor, toleranceOptions } from './tolerance.js';
import { type RemainderSample, decreasePlot, remainderPlot } from './plots.js';
import type { Check, Figure, InputValue, Plot, TrialOutcome } from './types.js';

export const HESSIAN_CHOICES = ['all', ...HESSIAN_KINDS] as const;
export type HessianChoice = (typeof HESSIAN_CHOICES)[number];

export interface TaylorParams extends ToleranceParams {
  dim: number;
  /** null: each claim samples its step sizes. */
  epsilon: number | null;
  hessian: HessianChoice;
}

export const TAYLOR_DEFAULTS: TaylorParams = {
  dim: 8,
  epsilon: null,
  hessian: 'all',
  rtol: null,
  atol: null,
};

/** The formulas of Question 3 that the claims put to the test; tests swap in wrong ones. */
export interface TaylorFormulas {
  /** f̂(x₀ − εg) in closed form, eq (35). */
  modelAfterStep(f0: number, g: Float64Array, H: Matrix, epsilon: number): number;
  /** The matrix that enters the model of a smooth f at x₀: its Hessian ∇²f(x₀) (eq 31). */
  modelHessian(f: SmoothFunction, x0: Float64Array): Matrix;
  /** 3.2: the step sizes that decrease the model are 0 < ε < this (∞ when gᵀHg ≤ 0). */
  decreaseLimit(g: Float64Array, H: Matrix): number;
  /** 3.2: the step ε* = gᵀg / gᵀHg that minimises the model along −g (gᵀHg > 0). */
  bestStep(g: Float64Array, H: Matrix): number;
  /** Newton's point x₀ − H⁻¹g, eq (38). */
  newtonPoint(x0: Float64Array, g: Float64Array, H: Matrix): Float64Array;
}

export const TAYLOR_FORMULAS: TaylorFormulas = {
  // eq (35)
  modelAfterStep: (f0, g, H, epsilon) => f0 - epsilon * dot(g, g) + 0.5 * epsilon * epsilon * dot(g, matVec(H, g)),
  modelHessian: (f, x0) => f.hessian(x0),
  decreaseLimit(g, H) {
    const curvature = dot(g, matVec(H, g));
    // ε gᵀg > ½ ε² gᵀHg with ε > 0 ⇔ ε < 2gᵀg/gᵀHg when gᵀHg > 0, and always otherwise.
    // Stryker disable next-line EqualityOperator: at gᵀHg = 0 exactly, 2gᵀg/0 is +∞ as well for every g ≠ 0 (the claims never draw g = 0)
    return curvature > 0 ? (2 * dot(g, g)) / curvature : Number.POSITIVE_INFINITY;
  },
  bestStep: (g, H) => dot(g, g) / dot(g, matVec(H, g)),
  newtonPoint(x0, g, H) {
    const solved = solveSymmetric(H, g);
    if (!solved.ok) throw new Error(`Newton's point x₀ − H⁻¹g is undefined: ${solved.reason}`);
    // eq (38)
    return step(x0, -1, solved.x);
  },
};

/** The Hessian kinds a run covers: one, or all of them in turn (no indefinite 1×1 matrix exists). */
export function selectedKinds(params: TaylorParams): HessianKind[] {
  if (params.hessian !== 'all') return [params.hessian];
  return HESSIAN_KINDS.filter((kind) => kind !== 'indefinite' || params.dim >= 2);
}

/** A small multiple of unit roundoff per term of a length-n sum: the rounding model used throughout. */
const rounding = (n: number, scale: number) => 8 * (n + 2) * UNIT_ROUNDOFF * scale;

/** A check whose allowed error comes from an error model rather than from one tolerance. */
function modelledIdentity(name: string, at: string, actual: number, expected: number, allowed: number): Check {
  return { name, kind: 'identity', at, lhs: actual, rhs: expected, error: Math.abs(actual - expected), allowed };
}

function modelledBound(name: string, at: string, lhs: number, rhs: number, allowed: number): Check {
  return { name, kind: 'bound', at, lhs, rhs, error: Math.max(0, lhs - rhs), allowed };
}

/** The entry of |actual − expected| that is largest relative to its own allowance, an error model's alone. */
function modelledVectorIdentity(name: string, at: string, actual: ArrayLike<number>, expected: ArrayLike<number>, allowed: (i: number) => number): Check {
  return vectorIdentityCheck(name, at, actual, expected, { rtol: 0, atol: 0 }, allowed);
}

function logUniform(rng: Rng, low: number, high: number): number {
  return Math.exp(rng.between(Math.log(low), Math.log(high)));
}

const vector = (x: ArrayLike<number>): number[] => Array.from(x);

/** A number in a check's location, with enough digits to replay it by eye. */
const short = (x: number): string => String(Number(x.toPrecision(12)));

/** ε/limit in a location: 1 ± δ spelled out, since δ may be below the digits `short` keeps. */
// Stryker disable next-line EqualityOperator: r < 1 and r <= 1 agree where r ≠ 1; |r − 1| equal to 1e-6 exactly is a rounding coincidence, and both spellings name the same ratio (r === 1 → r !== 1 is killed)
const ratioText = (r: number): string => (Math.abs(r - 1) < 1e-6 && r !== 1 ? `1 ${r < 1 ? '−' : '+'} ${Math.abs(r - 1).toExponential(2)}` : short(r));

const prefixed = (prefix: string, key: string, label: string, value: number | string | null): Figure => ({
  key,
  label: `${prefix}: ${label}`,
  value,
});

/** A random model at a random x₀ with a Hessian of the given kind. */
function randomModel(rng: Rng, kind: HessianKind, n: number, hessian = sampleHessian): QuadraticModel {
  const H = hessian(rng, kind, n);
  return { x0: gaussianVector(rng, n), f0: rng.gaussian(), g: gaussianVector(rng, n), H };
}

const recordModel = (model: QuadraticModel): Record<string, InputValue> => ({
  x0: vector(model.x0),
  f0: model.f0,
  g: vector(model.g),
  H: model.H.to2DArray(),
});

/* ─────────────────────────────── claim 3.1 ─────────────────────────────── */

/** The rows of the affine maps inside the smooth test functions: 2n + 2 (at least 4 terms, also for n = 1). */
const rowsFor = (n: number) => 2 * n + 2;

/** A family of smooth non-quadratic test functions; each call draws one (exported for tests of the Taylor test). */
export interface SmoothFamily {
  name: string;
  draw(rng: Rng): SmoothFunction;
}

/** The smooth test families of a trial (Rosenbrock needs n ≥ 2). */
function smoothFamilies(n: number): SmoothFamily[] {
  const m = rowsFor(n);
  const families: SmoothFamily[] = [
    { name: 'log-sum-exp', draw: (rng) => logSumExp(gaussianMatrix(rng, m, n, 1 / Math.sqrt(n)), gaussianVector(rng, m)) },
    {
      name: 'softplus sum',
      draw: (rng) =>
        softplusSum(
          gaussianMatrix(rng, m, n, 1 / Math.sqrt(n)),
          gaussianVector(rng, m),
          Float64Array.from({ length: m }, () => rng.between(0.5, 1.5)),
        ),
    },
  ];
  if (n >= 2) families.push({ name: 'Rosenbrock', draw: () => rosenbrock(n) });
  return families;
}

/**
 * The Taylor test fits ε where f itself is its cubic Taylor polynomial T₃ to within 1% of the
 * cubic term, |f(x₁) − T₃(ε)| ≤ 1%·|ε³D³f[g,g,g]/6|, computed from f's exact derivatives and
 * not from the formulas under test: there a correct model's remainder has order 3 to within
 * about 0.01, while a wrong model's, O(ε²), shows order 2.
 */
const QUARTIC_SHARE = 0.01;
/** Functions and starting points drawn before giving up on finding one where the cubic term rises above rounding. */
const STARTING_POINT_ATTEMPTS = 50;

/** The order of the remainder must lie within this window around 3. */
export const ORDER_WINDOW = 0.1;
/** Remainders must exceed their rounding error by this factor to enter the fit. */
export const ROUNDING_MARGIN = 1e3;
/** Halvings of ε in the Taylor test, from ε = 1/‖g‖ down. */
const TAYLOR_STEPS = 40;

export interface TaylorTest {
  f: SmoothFunction;
  order: number;
  /** Every ε tried at the accepted starting point with its remainder, and the points of the fit (for the plot). */
  samples: RemainderSample[];
  fitted: RemainderSample[];
  smallest: number;
  largest: number;
  x0: Float64Array;
}

/**
 * The Taylor test of one smooth f: the order of f(x₀ − εg) − f̂(x₀ − εg) over a geometric
 * sequence of ε. Of ε = 2⁻ᵏ/‖g‖, it keeps the run that starts at the smallest ε whose cubic
 * term is well above rounding and climbs while f stays within QUARTIC_SHARE of T₃, then fits the
 * three largest of that run. A starting point where the run is too short is redrawn.
 */
export function taylorTest(rng: Rng, family: SmoothFamily, n: number, formulas: TaylorFormulas): TaylorTest {
  for (let attempt = 0; attempt < STARTING_POINT_ATTEMPTS; attempt++) {
    // A function whose cubic term is negligible everywhere (nearly linear) is redrawn with the point.
    const f = family.draw(rng);
    const x0 = gaussianVector(rng, n);
    const f0 = f.value(x0);
    const g = f.gradient(x0);
    const gg = dot(g, g);
    const trueCurvature = dot(g, matVec(f.hessian(x0), g));
    const third = f.thirdDerivative(x0, g);
    const H = formulas.modelHessian(f, x0);
    // From the largest ε down while the cubic term stays above rounding (it shrinks like ε³);
    // the run is the tail of consecutive ε, ending at the smallest measurable one, where f ≈ T₃.
    let run: RemainderPoint[] = [];
    // Stryker disable next-line ArrayDeclaration: a stray entry has no finite ε, and the plot's series drop points without one (at most 40 samples, below the plot's thinning)
    const samples: RemainderSample[] = [];
    for (const epsilon of geometricSequence(1 / vectorNorm(g), 0.5, TAYLOR_STEPS)) {
      const x1 = step(x0, -epsilon, g);
      const value = f.value(x1);
      samples.push({ epsilon, remainder: value - formulas.modelAfterStep(f0, g, H, epsilon) });
      // Along −g: D³f[−g,−g,−g] = −D³f[g,g,g].
      const cubic = (-(epsilon ** 3) / 6) * third;
      const beyondCubic = value - (f0 - epsilon * gg + 0.5 * epsilon * epsilon * trueCurvature + cubic);
      // Both evaluations of f, the terms of the polynomials, and the rounding of x₁ itself (|g|ᵀ|x₁|·u).
      let stepRounding = 0;
      for (let i = 0; i < n; i++) stepRounding += Math.abs((g[i] as number) * (x1[i] as number));
      const scale = f.roundingScale(x1) + f.roundingScale(x0) + epsilon * gg + 0.5 * epsilon * epsilon * Math.abs(trueCurvature) + Math.abs(cubic) + stepRounding;
      const roundingError = rounding(3 * n, scale);
      // Stryker disable next-line EqualityOperator: |cubic| equal to 1000 times its rounding model exactly is a rounding coincidence
      if (Math.abs(cubic) < ROUNDING_MARGIN * roundingError) break;
      // Stryker disable next-line EqualityOperator: the right side is positive, and equality with |f − T₃| exactly is a rounding coincidence
      if (Math.abs(beyondCubic) > QUARTIC_SHARE * Math.abs(cubic) + roundingError) {
        run = [];
        continue;
      }
      run.push({ epsilon, remainder: value - formulas.modelAfterStep(f0, g, H, epsilon), rounding: roundingError });
    }
    if (run.length < 3) continue;
    // The three largest ε of the run; a correct remainder is within 1% of the cubic term there,
    // so half the margin still keeps all three.
    const measured = measureOrder(run.slice(0, 3), ROUNDING_MARGIN / 2);
    const epsilons = measured.used.map((p) => p.epsilon);
    return { f, order: measured.order, samples, fitted: measured.used, smallest: Math.min(...epsilons), largest: Math.max(...epsilons), x0 };
  }
  throw new Error(`${family.name}: in ${STARTING_POINT_ATTEMPTS} starting points, no three step sizes where the cubic term both dominates and rises above rounding`);
}

/**
 * Claim 3.1: after x₁ = x₀ − εg, f̂(x₁) = f(x₀) − εgᵀg + ½ε²gᵀHg (eq 35); and for a smooth f,
 * f(x₁) − f̂(x₁) = O(ε³).
 */
export function taylorStepClaim(formulas: TaylorFormulas = TAYLOR_FORMULAS): ClaimDefinition<TaylorParams> {
  return {
    id: '3.1',
    title: 'after x₁ = x₀ − εg the model is f̂(x₁) = f(x₀) − εgᵀg + ½ε²gᵀHg, and f − f̂ = O(ε³)',
    equations: [31, 32, 33, 34, 35],
    trials: 20,
    trial(rng: Rng, params: TaylorParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const recorded: Record<string, () => InputValue> = {};
      const plots: (() => Plot)[] = [];
      const tolerance = toleranceFor(params, 'identity');
      const n = params.dim;
      for (const kind of selectedKinds(params)) {
        const model = randomModel(rng, kind, n);
        const { x0, f0, g, H } = model;
        const epsilons = params.epsilon !== null ? [params.epsilon] : [logUniform(rng, 1e-3, 10), logUniform(rng, 1e-3, 10)];
        recorded[kind] = () => ({ ...recordModel(model), epsilon: epsilons });
        for (const epsilon of epsilons) {
          const closed = formulas.modelAfterStep(f0, g, H, epsilon);
          const x1 = step(x0, -epsilon, g);
          const byDefinition = modelValue(model, x1);
          // x₁ − x₀ differs from −εg by rounding of about u(|x₀| + ε|g|); f̂ moves by that times ‖∇f̂‖.
          const stepRounding = 4 * UNIT_ROUNDOFF * (vectorNorm(x0) + epsilon * vectorNorm(g)) * (vectorNorm(g) + epsilon * vectorNorm(matVec(H, g)));
          const allowed = tolerance.atol + tolerance.rtol * modelScale(model, x1) + stepRounding;
          checks.push(modelledIdentity('eq (35) closed form equals f̂(x₀ − εg) from its definition (31)', `${kind} H, ε = ${short(epsilon)}`, closed, byDefinition, allowed));
          if (figures.length === 0) {
            figures.push(
              { key: 'epsilon', label: `${kind} H: ε`, value: epsilon },
              { key: 'closedForm', label: `${kind} H: f̂(x₁) by eq (35)`, value: closed },
              { key: 'definition', label: `${kind} H: f̂(x₁) by eq (31)`, value: byDefinition },
            );
          }
        }
      }
      for (const f of smoothFamilies(n)) {
        const test = taylorTest(rng, f, n, formulas);
        recorded[f.name] = () => ({ ...test.f.parameters(), x0: vector(test.x0) });
        const range = `${test.smallest.toExponential(2)} … ${test.largest.toExponential(2)}`;
        checks.push(modelledIdentity('f(x₁) − f̂(x₁) shrinks like ε³ (measured order)', `${f.name}, ε = ${range}`, test.order, 3, ORDER_WINDOW));
        figures.push(
          { key: `${f.name}.order`, label: `${f.name}: measured order of f(x₁) − f̂(x₁)`, value: test.order },
          { key: `${f.name}.range`, label: `${f.name}: ε range of the fit`, value: range },
        );
        plots.push(() => remainderPlot(`${f.name}.remainder`, f.name, test.samples, test.fitted, test.order));
      }
      return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()])) };
    },
  };
}

/* ─────────────────────────────── claim 3.2 ─────────────────────────────── */

interface DirectionCase {
  /** Stable key of the case's figures: the kind, or indefinite.positive / .zero / .negative. */
  key: string;
  label: string;
  g: Float64Array;
}

/**
 * The gradients tried for one H. An indefinite H gets g = g₊ + s·g₋ built from its positive
 * and negative eigenspaces with s chosen so that gᵀHg = (1 − θ)·g₊ᵀHg₊: positive (θ = ½),
 * zero up to rounding (θ = 1) and negative (θ = 2), so both branches of the condition and
 * the border between them are exercised.
 */
function directionCases(rng: Rng, kind: HessianKind, H: Matrix): DirectionCase[] {
  const n = H.rows;
  if (kind !== 'indefinite') return [{ key: kind, label: `${kind} H`, g: gaussianVector(rng, n) }];
  const { values, vectors } = symmetricEigen(H);
  const inSpan = (keep: (lambda: number) => boolean) => {
    const v = new Float64Array(n);
    values.forEach((lambda, j) => {
      if (!keep(lambda)) return;
      const c = rng.gaussian();
      // Stryker disable next-line ArithmeticOperator: subtracting negates g, which has the same distribution (c is symmetric) and the same gᵀHg, limits and verdicts
      for (let i = 0; i < n; i++) v[i] = (v[i] as number) + c * vectors.get(i, j);
    });
    return v;
  };
  // Stryker disable next-line EqualityOperator: an indefinite H's eigenvalues have magnitudes in [0.5, 5], never 0
  const positive = inSpan((lambda) => lambda > 0);
  // Stryker disable next-line EqualityOperator: an indefinite H's eigenvalues have magnitudes in [0.5, 5], never 0
  const negative = inSpan((lambda) => lambda < 0);
  const a = dot(positive, matVec(H, positive));
  const b = -dot(negative, matVec(H, negative));
  const mixed = (theta: number) => step(positive, Math.sqrt((theta * a) / b), negative);
  return [
    { key: 'indefinite.positive', label: 'indefinite H, gᵀHg > 0', g: mixed(0.5) },
    { key: 'indefinite.zero', label: 'indefinite H, gᵀHg ≈ 0', g: mixed(1) },
    { key: 'indefinite.negative', label: 'indefinite H, gᵀHg < 0', g: mixed(2) },
  ];
}

/** The boundary points sit this many rounding errors of f̂ away from the boundary. */
const BOUNDARY_MARGIN = 1e3;
/** The fixed part of the sweep: s·10^{k/2} for k = −8…8, with s the curvature scale along g. */
const SWEEP = Array.from({ length: 17 }, (_, k) => 10 ** ((k - 8) / 2));

const PREDICATE_CHECK = 'f̂(x₀ − εg) < f(x₀) exactly when the derived condition on ε holds';

/** Claim 3.2: the step decreases the model iff gᵀHg ≤ 0 or 0 < ε < 2gᵀg/gᵀHg; ε* = gᵀg/gᵀHg is the best step. */
export function decreaseClaim(formulas: TaylorFormulas = TAYLOR_FORMULAS): ClaimDefinition<TaylorParams> {
  return {
    id: '3.2',
    title: 'the step decreases f̂ iff gᵀHg ≤ 0 or 0 < ε < 2gᵀg/gᵀHg; ε* = gᵀg/gᵀHg is the best step',
    equations: [35],
    trials: 20,
    trial(rng: Rng, params: TaylorParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const recorded: Record<string, () => InputValue> = {};
      const fd = toleranceFor(params, 'finiteDifference');
      const bound = toleranceFor(params, 'bound');
      const n = params.dim;
      let shownBest = false;
      const plots: (() => Plot)[] = [];
      const plotted = new Set<HessianKind>();
      for (const kind of selectedKinds(params)) {
        const H = sampleHessian(rng, kind, n);
        const largestEntry = maxAbs(H.to1DArray());
        const x0 = gaussianVector(rng, n);
        const f0 = rng.gaussian();
        for (const { key, label, g } of directionCases(rng, kind, H)) {
          const model: QuadraticModel = { x0, f0, g, H };
          recorded[label] = () => recordModel(model);
          // φ(ε) = f̂(x₀ − εg) from the definition (31), never from eq (35).
          const phi = (epsilon: number) => modelValue(model, step(x0, -epsilon, g));
          const phiRounding = (epsilon: number) => {
            // Stryker disable next-line UnaryOperator: f̂'s terms |d_i g_i| and |d_i H_ij d_j| are even in d = x₁ − x₀, so x₀ + εg gives the same allowance up to the rounding of x₁ (a few ulps)
            const x1 = step(x0, -epsilon, g);
            return rounding(n, modelScale(model, x1) + (vectorNorm(x0) + epsilon * vectorNorm(g)) * (vectorNorm(g) + epsilon * vectorNorm(matVec(H, g))));
          };
          const gg = dot(g, g);
          const Hg = matVec(H, g);
          const curvature = dot(g, Hg);
          let curvatureSize = 0;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: Σ|g_i(Hg)_i| ≤ n·max|H_ij|·gᵀg, so without it the threshold below drops at most n + 1 times: the rounding noise of the gᵀHg ≈ 0 case stays over 4000 times below even that (400 000 draws at n = 2), and any other gᵀHg lies between the two only if it falls within about 10⁻¹⁰ of 0 relative to its terms, a rounding coincidence; i <= n is killed
          for (let i = 0; i < n; i++) curvatureSize += Math.abs((g[i] as number) * (Hg[i] as number));
          // Below this, the sign of gᵀHg is rounding noise and the boundary 2gᵀg/gᵀHg is not resolved.
          // Stryker disable next-line EqualityOperator: |gᵀHg| equal to its threshold exactly is a rounding coincidence
          const resolved = Math.abs(curvature) > BOUNDARY_MARGIN * rounding(n, curvatureSize + largestEntry * gg);
          const scale = resolved ? gg / Math.abs(curvature) : 1 / largestEntry;
          const limit = formulas.decreaseLimit(g, H);

          const sweep = SWEEP.map((k) => k * scale);
          let offset: number | null = null;
          if (Number.isFinite(limit) && limit > 0 && resolved) {
            // Just inside and just outside: f̂(x₁) − f(x₀) = ±δ·ε·gᵀg there, far above rounding.
            offset = Math.min(1e-2, (BOUNDARY_MARGIN * phiRounding(limit)) / (limit * gg));
            sweep.push(limit * (1 - offset), limit * (1 + offset));
          }
          // A given --epsilon is checked where the predicate is decidable: where f̂(x₀ − εg) − f(x₀),
          // measured from the definition, is clear of its rounding (a tiny ε leaves x₁ = x₀, and an ε
          // at the boundary leaves a change of zero, either of which rounding alone would decide).
          if (params.epsilon !== null) {
            // Stryker disable next-line EqualityOperator: a change equal to 1000 times its rounding model exactly is a rounding coincidence
            if (Math.abs(phi(params.epsilon) - f0) > BOUNDARY_MARGIN * phiRounding(params.epsilon)) sweep.push(params.epsilon);
            else figures.push(prefixed(label, `${key}.epsilonUnresolved`, `--epsilon ${short(params.epsilon)} not checked: f̂(x₁) − f(x₀) is within rounding there`, phi(params.epsilon) - f0));
          }
          for (const epsilon of sweep) {
            // Stryker disable next-line EqualityOperator: every ε checked leaves f̂(x₁) − f(x₀) far from 0 (the sweep by its design, a given --epsilon by the test above), so φ(ε) = f(x₀) exactly is a rounding coincidence
            const decreases = phi(epsilon) < f0;
            // Stryker disable next-line EqualityOperator,ConditionalExpression: every swept ε is positive (s > 0, boundary points only for limit > 0, --epsilon > 0), so ε > 0 may become true or ε ≥ 0; the mutants of ε < limit are killed by tests
            const condition = epsilon > 0 && epsilon < limit;
            const where = Number.isFinite(limit) ? `${label}, ε = ${short(epsilon)} (ε/limit = ${ratioText(epsilon / limit)})` : `${label}, ε = ${short(epsilon)}`;
            // Two booleans must agree exactly: the sweep keeps every ε far enough from the boundary.
            checks.push(modelledIdentity(PREDICATE_CHECK, where, decreases ? 1 : 0, condition ? 1 : 0, 0));
          }

          let best: number | null = null;
          let golden: number | null = null;
          // Stryker disable next-line EqualityOperator: resolved implies |gᵀHg| > 0, so gᵀHg = 0 never reaches this test
          if (curvature > 0 && resolved) {
            best = formulas.bestStep(g, H);
            // dφ/dε at ε* by central differences of φ: zero at a minimiser.
            const h = centralStep(best);
            const slope = finiteDifferenceDerivative(phi, best);
            checks.push(modelledIdentity('ε* = gᵀg/gᵀHg: dφ/dε = 0 there (finite differences of f̂ along −g)', `${label}, ε* = ${short(best)}`, slope, 0, fd.atol + fd.rtol * gg + phiRounding(best) / h));
            // An independent 1-D minimisation: φ is a convex parabola with φ(0) = f(x₀) and φ'(0) < 0,
            // so its minimiser lies in (0, B) once φ(B) > f(x₀).
            let top = 1;
            // Stryker disable next-line EqualityOperator,ConditionalExpression: a convex parabola with resolved curvature exceeds f(x₀) long before 1e300 (a power of 2, never equal to it); φ(top) = f(x₀) exactly is a rounding coincidence, and either bracket holds the minimiser
            while (phi(top) <= f0 && top < 1e300) top *= 2;
            golden = goldenSectionMinimum(phi, 0, top);
            // Near its minimum φ is flat: values within rounding r are indistinguishable over |ε − ε*| ≤ √(2r/φ'').
            const resolution = Math.sqrt((2 * phiRounding(golden)) / curvature);
            checks.push(modelledIdentity('ε* = gᵀg/gᵀHg equals a golden-section minimisation of f̂ along −g', `${label}`, golden, best, fd.atol + fd.rtol * Math.abs(best) + 4 * resolution));
            const atBest = phi(best);
            for (const epsilon of sweep) {
              checks.push(
                // Stryker disable next-line UnaryOperator: f̂'s terms |d_i g_i| and |d_i H_ij d_j| are even in d = x − x₀, so x₀ + εg gives the same allowance up to the rounding of the point (a few ulps)
                modelledBound('f̂(x₀ − ε*g) − f̂(x₀ − εg) ≤ 0 at every swept ε', `${label}, ε = ${short(epsilon)}`, atBest - phi(epsilon), 0, bound.atol + bound.rtol * modelScale(model, step(x0, -epsilon, g))),
              );
            }
          } else {
            // No minimiser along −g: the model keeps falling as ε grows.
            const grid = SWEEP.map((k) => k * scale);
            for (let k = 1; k < grid.length; k++) {
              checks.push(witnessCheck('gᵀHg ≤ 0 (or ≈ 0): f̂ keeps decreasing along −g as ε grows', `${label}, ε = ${short(grid[k] as number)}`, phi(grid[k] as number), phi(grid[k - 1] as number)));
            }
          }
          // One parabola per kind of H (its first gradient), drawn from the model's definition.
          if (kind !== 'random' && !plotted.has(kind)) {
            plotted.add(kind);
            plots.push(() => decreasePlot(`${kind}.parabola`, label, f0, phi, limit, best, scale));
          }
          if (kind !== 'random') {
            figures.push(prefixed(label, `${key}.curvature`, 'gᵀHg', curvature));
            figures.push(
              Number.isFinite(limit)
                ? prefixed(label, `${key}.limit`, 'decrease interval 0 < ε < 2gᵀg/gᵀHg, upper end', limit)
                : prefixed(label, `${key}.limit`, 'decrease interval', 'every ε > 0 (gᵀHg ≤ 0)'),
            );
          }
          if (best !== null && !shownBest) {
            shownBest = true;
            figures.push(
              prefixed(label, `${key}.best`, 'ε* = gᵀg/gᵀHg', best),
              prefixed(label, `${key}.golden`, 'ε* by golden-section search on f̂', golden),
              prefixed(label, `${key}.drop`, 'f̂(x₀ − ε*g) − f(x₀)', phi(best) - f0),
            );
            if (offset !== null) figures.push(prefixed(label, `${key}.offset`, 'boundary swept at ε = limit·(1 ± δ), δ', offset));
          }
        }
      }
      return { checks, figures, plots: () => plots.map((plot) => plot()), inputs: () => Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()])) };
    },
  };
}

/* ─────────────────────────────── claim 3.3 ─────────────────────────────── */

/** Draws a symmetric H of a kind; tests inject singular ones. */
export type HessianSampler = (rng: Rng, kind: HessianKind, n: number) => Matrix;

/** The gradient of x ↦ f̂(x) by central differences, and the rounding error it may carry. */
function finiteDifferenceModelGradient(model: QuadraticModel, x: Float64Array): { gradient: Float64Array; rounding: number } {
  const n = x.length;
  const jacobian = finiteDifferenceJacobian((point) => [modelValue(model, point)], x);
  const smallestStep = Math.min(...Array.from(x, (xi) => centralStep(xi)));
  // f̂ is quadratic, so central differences have no truncation error: only rounding of f̂ over 2h.
  return { gradient: Float64Array.from(jacobian.getRow(0)), rounding: rounding(n, 2 * modelScale(model, x)) / smallestStep };
}

/** Steps of gradient descent allowed before giving up (the a-posteriori bound then says how far it got). */
export const DESCENT_STEP_LIMIT = 20_000;

export interface Descent {
  x: Float64Array;
  steps: number;
  /** A bound on ‖x − x_N‖ in exact arithmetic: (‖∇f̂(x)‖ + its rounding) / λ_min. */
  distanceBound: number;
}

/**
 * Gradient descent on f̂ with step 1/λ_max from x₀, until the a-posteriori bound
 * ‖x − x*‖ ≤ ‖∇f̂(x)‖/λ_min of a strongly convex quadratic is below `target` (exported for tests of that bound).
 */
export function gradientDescent(model: QuadraticModel, lowest: number, highest: number, target: number): Descent {
  const n = model.x0.length;
  let x: Float64Array = Float64Array.from(model.x0);
  let gradient = modelGradient(model, x);
  const bound = (point: Float64Array, residual: Float64Array) =>
    (vectorNorm(residual) + rounding(n, vectorNorm(model.g) + highest * vectorNorm(difference(point, model.x0)))) / lowest;
  let steps = 0;
  let distanceBound = bound(x, gradient);
  // Stryker disable next-line EqualityOperator: a bound equal to the target exactly is a rounding coincidence (steps ≤ the limit is killed by a test)
  while (distanceBound > target && steps < DESCENT_STEP_LIMIT) {
    x = step(x, -1 / highest, gradient);
    gradient = modelGradient(model, x);
    distanceBound = bound(x, gradient);
    steps++;
  }
  return { x, steps, distanceBound };
}

/** Newton iterations on a smooth strictly convex f with a known minimiser. */
interface NewtonRun {
  errors: number[];
  ratios: number[];
  bound: number;
  floor: number;
}

/** Newton steps allowed on a convex test function: a guard, since from its start the iteration reaches rounding in about 7. */
export const NEWTON_ITERATION_LIMIT = 30;

interface ConvexCase {
  f: SmoothFunction;
  xStar: Float64Array;
  /** ‖t‖: the size of the gradient's terms at x*, which cancel to 0 there. */
  tiltSize: number;
  /** μ: ∇²f ⪰ μI everywhere, since φ is convex. */
  ridge: number;
}

/**
 * A smooth strictly convex f with a known minimiser x*: f = φ + ½μ‖x‖² − tᵀx with the tilt
 * t = ∇φ(x*) + μx*, so that ∇f(x*) = 0 exactly (up to the rounding of t).
 */
function convexCase(rng: Rng, name: 'softplus sum' | 'log-sum-exp', n: number): ConvexCase {
  const m = rowsFor(n);
  const A = gaussianMatrix(rng, m, n, 1 / Math.sqrt(n));
  const b = gaussianVector(rng, m);
  const c = Float64Array.from({ length: m }, () => rng.between(0.5, 1.5));
  const ridge = rng.between(0.3, 1);
  const xStar = gaussianVector(rng, n);
  const base = name === 'softplus sum' ? softplusSum(A, b, c) : logSumExp(A, b);
  const tilt = step(base.gradient(xStar), ridge, xStar);
  const f = name === 'softplus sum' ? softplusSum(A, b, c, { ridge, tilt }) : logSumExp(A, b, { ridge, tilt });
  return { f, xStar, tiltSize: vectorNorm(tilt), ridge };
}

/**
 * Newton's iteration from a start inside its region of guaranteed convergence. With L the
 * Hessian's Lipschitz constant, x_{k+1} − x* = H_k⁻¹[∇f(x*) − ∇f(x_k) − H_k(x* − x_k)] gives
 * e_{k+1} ≤ L/(2λ_min(H_k)) · e_k², the bound checked at every step (λ_min of the true Hessian).
 */
function newtonIteration(rng: Rng, { f, xStar, tiltSize, ridge }: ConvexCase, formulas: TaylorFormulas, tolerance: { rtol: number; atol: number }, checks: Check[]): NewtonRun {
  const n = f.dim;
  const L = f.hessianLipschitz();
  // Stryker disable next-line ConditionalExpression: both convex families (softplus sum, log-sum-exp) have a Lipschitz constant
  if (L === null) throw new Error(`${f.name}: no Lipschitz constant for the Hessian`);
  const atMinimum = symmetricEigen(f.hessian(xStar)).values;
  const lowest = atMinimum[0] as number;
  const highest = atMinimum[n - 1] as number;
  // Where the minimiser of the rounded f can sit: the rounding of ∇f (terms of size ‖t‖ + λ_max‖x*‖)
  // divided by λ_min, plus the κ·u error of a solve.
  const xSize = 1 + vectorNorm(xStar);
  const floor = rounding(n + rowsFor(n), tiltSize + highest * xSize) / lowest + rounding(n, (highest / lowest) * xSize);
  // Everywhere L/(2λ_min) ≤ L/(2μ), so from e₀ = 1.8μ/L the bound gives (L/2μ)e_{k+1} ≤ ((L/2μ)e_k)²
  // starting at 0.9: convergence is guaranteed, and quadratic from the first steps.
  const start = Math.min(1, (1.8 * ridge) / L);
  let x: Float64Array = step(xStar, start, randomUnitVector(rng, n));
  const errors = [vectorNorm(difference(x, xStar))];
  const ratios: number[] = [];
  let largestBound = 0;
  // Iterate until the error is at the floor, then one step more: it must stay there.
  let stepsAtFloor = 0;
  for (let k = 0; k < NEWTON_ITERATION_LIMIT && stepsAtFloor < 2; k++) {
    const e = errors[k] as number;
    const next = formulas.newtonPoint(x, f.gradient(x), formulas.modelHessian(f, x));
    const smallest = symmetricEigen(f.hessian(x)).values[0] as number;
    const factor = L / (2 * smallest);
    largestBound = Math.max(largestBound, factor);
    const eNext = vectorNorm(difference(next, xStar));
    // The bound plus the rounding floor below which no iteration can go.
    const limit = factor * e * e + floor;
    checks.push(modelledBound('Newton on a smooth convex f: e_{k+1} ≤ L/(2λ_min)·e_k² (+ rounding floor)', `${f.name}, k=${k}`, eNext, limit, tolerance.atol + tolerance.rtol * limit));
    errors.push(eNext);
    // Stryker disable next-line EqualityOperator: an error equal to 100 times the floor exactly is a rounding coincidence
    if (eNext > 100 * floor) ratios.push(eNext / (e * e));
    x = next;
    // Stryker disable next-line EqualityOperator: an error equal to the floor exactly is a rounding coincidence
    if (eNext <= floor) stepsAtFloor++;
    // Stryker disable next-line EqualityOperator: an error of exactly 10⁶·e₀ is a rounding coincidence
    if (!(eNext <= 1e6 * (errors[0] as number))) break;
  }
  const last = errors[errors.length - 1] as number;
  checks.push(modelledIdentity('Newton on a smooth convex f reaches its minimiser and stays', `${f.name}, after ${errors.length - 1} steps`, last, 0, floor));
  return { errors, ratios, bound: largestBound, floor };
}

const NEWTON_GRADIENT_CHECK = 'Newton point x₀ − H⁻¹g: ∇f̂ = 0 there (finite differences of f̂)';

/**
 * Claim 3.3: ∇f̂ = g + H(x − x₀) vanishes at Newton's point x₀ − H⁻¹g (36–38); it is the
 * minimiser for H ≻ 0 (a saddle or maximum otherwise); one step solves a quadratic; iterated,
 * it converges quadratically on a smooth strictly convex f.
 */
export function newtonClaim(formulas: TaylorFormulas = TAYLOR_FORMULAS, hessian: HessianSampler = sampleHessian): ClaimDefinition<TaylorParams> {
  return {
    id: '3.3',
    title: "∇f̂ = 0 at Newton's point x₀ − H⁻¹g: the minimiser for H ≻ 0, exact on quadratics, quadratic convergence",
    equations: [36, 37, 38],
    trials: 20,
    trial(rng: Rng, params: TaylorParams): TrialOutcome {
      const checks: Check[] = [];
      const figures: Figure[] = [];
      const recorded: Record<string, () => InputValue> = {};
      const fd = toleranceFor(params, 'finiteDifference');
      const identity = toleranceFor(params, 'identity');
      const bound = toleranceFor(params, 'bound');
      const n = params.dim;
      for (const kind of selectedKinds(params)) {
        const model = randomModel(rng, kind, n, hessian);
        const { x0, g, H } = model;
        recorded[kind] = () => recordModel(model);
        const eigen = symmetricEigen(H);
        const { condition, smallest, largest } = conditionOfSymmetric(eigen.values);
        // Stryker disable next-line EqualityOperator: a condition estimate equal to the limit exactly is a rounding coincidence
        if (!(condition <= CONDITION_LIMIT)) {
          throw new Error(
            `${kind} H is singular to working precision (condition estimate ${condition.toExponential(2)}, smallest |λ| ${smallest.toExponential(2)}): Newton's point x₀ − H⁻¹g is undefined and f̂ has no unique stationary point`,
          );
        }
        if (kind === 'random') figures.push({ key: 'random.condition', label: 'random H: condition estimate κ(H)', value: condition });

        // eq (36) itself: the gradient of the model at a random point, analytic against finite differences.
        const probe = gaussianVector(rng, n);
        const numerical = finiteDifferenceModelGradient(model, probe);
        const analytic = modelGradient(model, probe);
        const gradientSize = maxAbs(g) + largest * maxAbs(difference(probe, x0));
        checks.push(modelledVectorIdentity('eq (36): ∇f̂(x) = g + H(x − x₀) against finite differences', `${kind} H`, analytic, numerical.gradient, () => fd.atol + fd.rtol * gradientSize + numerical.rounding));

        const xN = formulas.newtonPoint(x0, g, H);
        const d = difference(xN, x0);
        const atNewton = finiteDifferenceModelGradient(model, xN);
        // The solve leaves an error of about κ·n·u·|d| in x_N, which moves ∇f̂ by ‖H‖ times that.
        const solveError = rounding(n, condition * maxAbs(d));
        const sizeAtNewton = maxAbs(g) + largest * maxAbs(d);
        checks.push(
          modelledVectorIdentity(NEWTON_GRADIENT_CHECK, `${kind} H`, atNewton.gradient, new Float64Array(n), () => fd.atol + fd.rtol * sizeAtNewton + atNewton.rounding + largest * solveError),
        );
        const fN = modelValue(model, xN);
        const radius = Math.max(1, vectorNorm(d));
        const perturbations = [1e-3, 1e-2, 1e-1, 1].map((t) => step(new Float64Array(n), t * radius, randomUnitVector(rng, n)));
        const lowest = eigen.values[0] as number;
        const highest = eigen.values[n - 1] as number;
        const allowedChange = (p: Float64Array) => bound.atol + bound.rtol * modelScale(model, step(xN, 1, p)) + largest * solveError * vectorNorm(p);
        // Stryker disable next-line EqualityOperator: a zero eigenvalue is refused above as singular (condition ∞), so lowest is never 0 here
        if (lowest > 0) {
          for (const p of perturbations) {
            checks.push(modelledBound('H ≻ 0: no perturbation lowers f̂ below f̂(x_N)', `${kind} H, ‖p‖ = ${short(vectorNorm(p))}`, fN - modelValue(model, step(xN, 1, p)), 0, allowedChange(p)));
          }
          // Run until the a-posteriori bound is 1% of the identity tolerance, then compare: the
          // allowed error is that tolerance plus the bound actually reached and x_N's solve error.
          const allowed = identity.atol + identity.rtol * Math.max(1, maxAbs(xN));
          const descent = gradientDescent(model, lowest, highest, 0.01 * allowed);
          const distance = vectorNorm(difference(descent.x, xN));
          checks.push(
            modelledIdentity(
              'H ≻ 0: gradient descent on f̂ converges to the Newton point',
              `${kind} H, ${descent.steps} steps`,
              distance,
              0,
              allowed + descent.distanceBound + solveError * Math.sqrt(n),
            ),
          );
          if (figures.every((fig) => !fig.key.startsWith('minimum.'))) {
            figures.push(
              { key: 'minimum.gradient', label: `${kind} H: max |∇f̂(x_N)| by finite differences`, value: maxAbs(atNewton.gradient) },
              { key: 'minimum.descentSteps', label: `${kind} H: gradient descent steps (step 1/λ_max)`, value: descent.steps },
              { key: 'minimum.descentDistance', label: `${kind} H: ‖x_GD − x_N‖`, value: distance },
            );
          }
        } else if (
          // Stryker disable next-line EqualityOperator: a zero eigenvalue is refused above as singular (condition ∞), so highest is never 0 here
          highest < 0
        ) {
          for (const p of perturbations) {
            checks.push(modelledBound('H ≺ 0: no perturbation raises f̂ above f̂(x_N) (a maximum)', `${kind} H, ‖p‖ = ${short(vectorNorm(p))}`, modelValue(model, step(xN, 1, p)) - fN, 0, allowedChange(p)));
          }
        } else {
          // A saddle: along the eigenvector of the most negative eigenvalue f̂ falls, along the most positive it rises.
          const down = eigen.vectors.getColumn(0);
          const up = eigen.vectors.getColumn(n - 1);
          const fallen = modelValue(model, step(xN, radius, down));
          const risen = modelValue(model, step(xN, radius, up));
          checks.push(witnessCheck('H indefinite: a descent direction at x_N (a saddle, not a minimum)', `${kind} H`, fallen, fN));
          checks.push(witnessCheck('H indefinite: an ascent direction at x_N (a saddle, not a maximum)', `${kind} H`, fN, risen));
          if (figures.every((fig) => !fig.key.startsWith('saddle.'))) {
            figures.push(
              { key: 'saddle.direction', label: `${kind} H: descent direction v at x_N`, value: `(${down.map((v) => Number(v.toPrecision(3))).join(', ')})` },
              { key: 'saddle.curvature', label: `${kind} H: vᵀHv`, value: dot(down, matVec(H, down)) },
              { key: 'saddle.drop', label: `${kind} H: f̂(x_N + ${Number(radius.toPrecision(3))}v) − f̂(x_N)`, value: fallen - fN },
            );
          }
        }

        // One Newton step on a quadratic f with stationary point x* lands on x*.
        const xStar = gaussianVector(rng, n);
        const start = gaussianVector(rng, n);
        const quadraticGradient = matVec(H, difference(start, xStar));
        const landed = formulas.newtonPoint(start, quadraticGradient, H);
        const reach = rounding(n, condition * (maxAbs(start) + maxAbs(xStar)));
        checks.push(
          modelledVectorIdentity('one Newton step lands on a quadratic’s stationary point', `${kind} H`, landed, xStar, (i) => identity.atol + identity.rtol * Math.abs(xStar[i] as number) + reach),
        );
        if (figures.every((fig) => fig.key !== 'quadratic.error')) {
          figures.push({ key: 'quadratic.error', label: `${kind} H, quadratic f: ‖x₁ − x*‖ after one step`, value: vectorNorm(difference(landed, xStar)) });
        }
      }

      for (const name of ['softplus sum', 'log-sum-exp'] as const) {
        const convex = convexCase(rng, name, n);
        const run = newtonIteration(rng, convex, formulas, bound, checks);
        recorded[`Newton on ${name}`] = () => ({ ...convex.f.parameters(), xStar: vector(convex.xStar) });
        figures.push(
          { key: `${name}.errors`, label: `${name}: Newton errors e_k`, value: run.errors.map((e) => e.toExponential(1)).join(', ') },
          { key: `${name}.ratios`, label: `${name}: e_{k+1}/e_k²`, value: run.ratios.map((r) => r.toPrecision(3)).join(', ') },
          { key: `${name}.bound`, label: `${name}: largest bound factor L/(2λ_min(H_k))`, value: run.bound },
        );
      }
      return { checks, figures, inputs: () => Object.fromEntries(Object.entries(recorded).map(([name, record]) => [name, record()])) };
    },
  };
}

export const taylorCommand = registerSubcommand<TaylorParams>({
  name: 'taylor',
  summary: 'claims 3.1–3.3: the second-order Taylor model, the step-size condition, Newton’s step',
  description:
    'Checks the value of the quadratic model after a gradient step (eq 35) against its definition and the O(ε³) remainder on smooth functions (claim 3.1), the condition 0 < ε < 2gᵀg/gᵀHg for the step to decrease the model and the best step ε* = gᵀg/gᵀHg (claim 3.2), and that Newton’s point x₀ − H⁻¹g zeroes the model’s gradient, minimises it when H ≻ 0, solves a quadratic in one step and converges quadratically (claim 3.3). H has a chosen spectrum H = QΛQᵀ.',
  examples: ['hwcheck taylor', 'hwcheck taylor --hessian indefinite --dim 20', 'hwcheck taylor --epsilon 0.3 --only 3.2'],
  options: [
    { key: 'dim', flag: '--dim', valueName: 'n', description: 'dimension n of x (default: 8)', parse: integerValue(1, 100000), shrinkTo: 2 },
    {
      key: 'epsilon',
      flag: '--epsilon',
      valueName: 'ε',
      description: 'a fixed step size ε > 0 for the closed-form check (3.1), added to the sweep of 3.2 (default: sampled)',
      parse: realValue({ min: 0, minExclusive: true, max: 1e6, symbol: 'ε' }),
    },
    {
      key: 'hessian',
      flag: '--hessian',
      valueName: 'kind',
      description: 'pd | indefinite | nd (eigenvalue magnitudes in [0.5, 5]) | random (symmetric Gaussian) | all, each in turn (default: all)',
      parse: choiceValue(HESSIAN_CHOICES),
    },
    ...toleranceOptions,
  ],
  defaults: TAYLOR_DEFAULTS,
  claims: [taylorStepClaim(), decreaseClaim(), newtonClaim()],
  validate(params) {
    if (params.hessian === 'indefinite' && params.dim < 2) {
      throw new UsageError('invalid value "indefinite" for --hessian: expected pd, nd, random or all with --dim 1 (a 1×1 matrix cannot be indefinite)');
    }
  },
  trialSeconds(params) {
    // Finite-difference gradients and Taylor tests (n² each, many of them), and the
    // eigen-decompositions and solves (n³), which take over for large n.
    const n = params.dim;
    return 0.01 + 2e-4 * n * n + 1e-6 * n ** 3;
  },
  estimateBytes(params) {
    // H, Q and the eigenvectors, the affine maps (2n × n) of two test functions, their Hessians and copies.
    return 8 * 16 * params.dim * params.dim;
  },
});
