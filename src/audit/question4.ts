import { Matrix } from '../num/matrix.js';
import type { InputValue } from '../claims/types.js';
import { finiteDifferenceJacobian } from '../num/diff.js';
import { dot, matVec, vectorNorm } from '../num/linalg.js';
import { squaredError } from '../num/losses.js';
import type { Rng } from '../num/random.js';
import { batchMean, batchNormalise, zcaWhiten } from '../num/whiten.js';
import type { ConclusionEntry, EquationEntry, Instance, Statement } from './types.js';
import { entriesOf, rowsOf, simpleMatrix, simpleValue, simpleVector } from './values.js';

const FINITE_DIFFERENCE = { rtol: 1e-6, atol: 1e-8 };

// ─── (40)–(43): batch normalisation against weight normalisation on whitened input ──────

/** A batch of N samples in dimension d, whitened exactly with its own statistics, and a unit w, b. */
interface WhitenedUnit {
  X: Matrix;
  w: Float64Array;
  b: number;
}

function whitenedUnit(rng: Rng, d: number, k: number): WhitenedUnit {
  const N = 2 * d + 4;
  const X = zcaWhiten(simpleMatrix(rng, N, d)).whitened;
  // Case 0: a unit with ‖w‖ = 2, far from the unit norm at which the readings coincide.
  const w = k === 0 ? Float64Array.from({ length: d }, (_, j) => (j === 0 ? 2 : 0)) : simpleVector(rng, d);
  return { X, w, b: simpleValue(rng) };
}

const rowsOfBatch = (X: Matrix) => Array.from({ length: X.rows }, (_, i) => Float64Array.from(X.getRow(i)));
const unitData = (u: WhitenedUnit): Record<string, InputValue> => ({ 'whitened batch X (rows)': rowsOf(u.X), w: entriesOf(u.w), b: u.b });

/** Per-feature standard deviation of a batch (population). */
function featureDeviation(X: Matrix): Float64Array {
  const mean = batchMean(X);
  return Float64Array.from({ length: X.columns }, (_, j) => Math.sqrt(X.getColumn(j).reduce((s, x) => s + (x - (mean[j] as number)) ** 2, 0) / X.rows));
}

/** The standard deviation over the batch of the pre-activation wᵀx (population). */
function preactivationDeviation(X: Matrix, w: Float64Array): number {
  const z = rowsOfBatch(X).map((x) => dot(w, x));
  const mean = z.reduce((s, v) => s + v, 0) / z.length;
  return Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length);
}

/**
 * wᵀ((x − μ)/σ) (+ b) against (w/‖w‖)ᵀx (+ b) for every sample, with σ either the per-feature
 * standard deviation of x (as the expression (x − μ)/σ says) or the standard deviation of wᵀx.
 */
function normalisationStatement(sigma: 'feature' | 'preactivation', withBias: boolean, centred: boolean): Statement {
  return {
    sizes: [1, 2, 3],
    cases: 8,
    sizeName: 'd',
    instance(rng, d, k) {
      const u = whitenedUnit(rng, d, k);
      const mu = centred ? new Float64Array(d) : batchMean(u.X);
      const featureSigma = featureDeviation(u.X);
      const unitSigma = preactivationDeviation(u.X, u.w);
      const bias = withBias ? u.b : 0;
      const samples = rowsOfBatch(u.X);
      const lhs = samples.map((x) =>
        sigma === 'feature' ? u.w.reduce((s, wj, j) => s + (wj * ((x[j] as number) - (mu[j] as number))) / (featureSigma[j] as number), bias) : dot(u.w, x.map((v, j) => v - (mu[j] as number))) / unitSigma + bias,
      );
      const rhs = samples.map((x) => dot(u.w, x) / vectorNorm(u.w) + bias);
      return { data: unitData(u), lhs, rhs, relation: '=' };
    },
  };
}

// ─── (44)–(57): the gradient with respect to u ────────────────────────────────────────────

/** A unit w = g·u/‖u‖ trained by squared error on a small batch. */
interface DirectionProblem {
  u: Float64Array;
  g: number;
  X: Float64Array[];
  y: Float64Array;
}

function directionProblem(rng: Rng, d: number): DirectionProblem {
  const N = d + 2;
  return {
    u: simpleVector(rng, d),
    g: Math.round(10 * rng.between(0.5, 3)) / 10,
    X: Array.from({ length: N }, () => simpleVector(rng, d)),
    y: simpleVector(rng, N),
  };
}

const weight = (u: ArrayLike<number>, g: number) => Float64Array.from(u, (v) => (g * v) / vectorNorm(u));
const lossOf = (p: DirectionProblem, w: ArrayLike<number>) => squaredError(p.X, p.y, w, 0);
const problemData = (p: DirectionProblem): Record<string, InputValue> => ({ u: entriesOf(p.u), g: p.g, X: p.X.map(entriesOf), y: entriesOf(p.y) });

/** ∂w/∂u by central differences of u ↦ g·u/‖u‖ (symmetric, so it is also ∇_u w in either layout). */
const weightJacobian = (p: DirectionProblem) => finiteDifferenceJacobian((u) => weight(u, p.g), p.u);
/** ∇_u L by central differences of u ↦ L(g·u/‖u‖): never from a formula. */
const directionGradient = (p: DirectionProblem) => Float64Array.from(finiteDifferenceJacobian((u) => [lossOf(p, weight(u, p.g)).value], p.u).getRow(0));
/** ∇‖u‖ by central differences. */
const normGradient = (u: Float64Array) => Float64Array.from(finiteDifferenceJacobian((v) => [vectorNorm(v)], u).getRow(0));

function gradientStatement(evaluate: (p: DirectionProblem) => { lhs: Instance['lhs']; rhs: Instance['rhs'] }, tolerance = FINITE_DIFFERENCE): Statement {
  return {
    sizes: [1, 2, 3, 4],
    cases: 10,
    sizeName: 'd',
    tolerance,
    instance(rng, d) {
      const p = directionProblem(rng, d);
      return { data: problemData(p), ...evaluate(p), relation: '=' };
    },
  };
}

const identity = (d: number) => Matrix.eye(d, d);

/**
 * g((∇_u u)‖u‖ − [term])/‖u‖² with ∇_u u = I: `term` is the matrix the line subtracts. A scalar
 * written there (uᵀu…) is read as that multiple of I, the only way to subtract it from a matrix.
 */
function quotientRule(p: DirectionProblem, term: Matrix): number[][] {
  const n = vectorNorm(p.u);
  return identity(p.u.length).mul(n).sub(term).mul(p.g / n ** 2).to2DArray();
}

const outer = (a: ArrayLike<number>, b: ArrayLike<number>) => new Matrix(Array.from(a, (x) => Array.from(b, (y) => x * y)));
const scalarTimesIdentity = (s: number, d: number) => identity(d).mul(s);

/** (g/‖u‖)·P·∇_w L for a matrix P. */
function projected(p: DirectionProblem, P: Matrix): number[] {
  const n = vectorNorm(p.u);
  return Array.from(matVec(P, lossOf(p, weight(p.u, p.g)).gradient), (v) => (p.g / n) * v);
}

/** I − [uᵀu or uuᵀ]/‖u‖². */
function projection(p: DirectionProblem, written: 'scalar' | 'outer'): Matrix {
  const d = p.u.length;
  const squared = vectorNorm(p.u) ** 2;
  const term = written === 'scalar' ? scalarTimesIdentity(dot(p.u, p.u), d) : outer(p.u, p.u);
  return identity(d).sub(term.div(squared));
}

const UU_CORRECTION = 'uᵀu read as the outer product uuᵀ';

// ─── (58)–(65): the norm after a gradient step ────────────────────────────────────────────

function stepStatement(evaluate: (p: DirectionProblem, eta: number, next: Float64Array, gradient: Float64Array) => { lhs: number; rhs: number }): Statement {
  return {
    sizes: [2, 3, 5],
    cases: 10,
    sizeName: 'd',
    tolerance: FINITE_DIFFERENCE,
    instance(rng, d) {
      const p = directionProblem(rng, d);
      const eta = Math.round(100 * rng.between(0.05, 2)) / 100;
      const gradient = directionGradient(p);
      const next = Float64Array.from(p.u, (v, i) => v - eta * (gradient[i] as number));
      return { data: { ...problemData(p), eta }, ...evaluate(p, eta, next, gradient), relation: '=' };
    },
  };
}

const squaredNorm = (v: ArrayLike<number>) => vectorNorm(v) ** 2;

export const QUESTION_4_EQUATIONS: readonly EquationEntry[] = [
  { number: 39, question: '4', statement: 'w = (g/‖u‖) u', notCheckable: 'the definition of weight normalisation' },
  {
    number: 40,
    question: '4.1',
    statement: 'wᵀ((x − μ)/σ) + b = (v/‖v‖)ᵀx + b',
    reading: 'x whitened exactly over a batch; μ and σ the per-feature mean and standard deviation of x, as (x − μ)/σ says; v = w (the same unit); compared sample by sample',
    check: normalisationStatement('feature', true, false),
    correction: { text: 'σ read as the standard deviation of wᵀx, which is ‖w‖ on whitened x (what (43) later sets)', check: normalisationStatement('preactivation', true, false) },
    notes: {
      'holds-as-corrected':
        'on whitened x the per-feature σ is 1, so as written the left side is wᵀx + b and differs from (w/‖w‖)ᵀx + b unless ‖w‖ = 1. Batch normalisation normalises the pre-activation wᵀx + b (and so also removes b); with σ its standard deviation the sides agree',
    },
  },
  {
    number: 41,
    question: '4.1',
    statement: 'wᵀ((x − μ)/σ) = (v/‖v‖)ᵀx',
    reading: 'as (40), without b',
    check: normalisationStatement('feature', false, false),
    correction: { text: 'σ read as the standard deviation of wᵀx (‖w‖ on whitened x)', check: normalisationStatement('preactivation', false, false) },
    notes: { 'holds-as-corrected': '(40) with b cancelled: the same reading of σ decides it' },
  },
  {
    number: 42,
    question: '4.1',
    statement: 'wᵀ(x/σ) = (v/‖v‖)ᵀx, since μ = 0',
    reading: 'as (41), with μ = 0 (the batch mean of exactly whitened x is 0)',
    check: normalisationStatement('feature', false, true),
    correction: { text: 'σ read as the standard deviation of wᵀx (‖w‖ on whitened x)', check: normalisationStatement('preactivation', false, true) },
    notes: { 'holds-as-corrected': 'μ = 0 holds; the equation still needs σ to be the spread of wᵀx, not of x' },
  },
  {
    number: 43,
    question: '4.1',
    statement: 'wᵀx = vᵀx, with σ = ‖v‖',
    reading: 'the substitution σ = ‖v‖ with v = w: the standard deviation of wᵀx over an exactly whitened batch equals ‖w‖ (after which both sides are wᵀx)',
    check: {
      sizes: [1, 2, 3],
      cases: 8,
      sizeName: 'd',
      instance(rng, d, k) {
        const u = whitenedUnit(rng, d, k);
        return { data: unitData(u), lhs: preactivationDeviation(u.X, u.w), rhs: vectorNorm(u.w), relation: '=' };
      },
    },
    notes: { holds: 'on whitened x, Var(wᵀx) = wᵀIw = ‖w‖²; the remaining identity wᵀx = vᵀx is then immediate' },
  },
  { number: 44, question: '4.2', statement: '∇_u L(u) = ∇_u L(w(g u/‖u‖))', notCheckable: 'notation: L seen as a function of u through w' },
  {
    number: 45,
    question: '4.2',
    statement: '∇_u L = ∇_u w ∇_w L',
    reading: '∇_u w is the Jacobian ∂w/∂u (symmetric here, so its layout does not matter); squared-error loss on a small batch',
    check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: Array.from(matVec(weightJacobian(p).transpose(), lossOf(p, weight(p.u, p.g)).gradient)) })),
    notes: { holds: 'the chain rule: finite differences of u ↦ L(w(u)) equal the finite-difference ∂w/∂u applied to ∇_w L' },
  },
  { number: 46, question: '4.2', statement: '∇_u w = ∇_u(g u/‖u‖)', notCheckable: 'a restatement of the definition (39)' },
  {
    number: 47,
    question: '4.2',
    statement: '∇_u w = g ∇_u(u/‖u‖)',
    check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: finiteDifferenceJacobian((u) => weight(u, 1), p.u).mul(p.g).to2DArray() })),
    notes: { holds: 'g is a constant factor' },
  },
  {
    number: 48,
    question: '4.2',
    statement: '∇_u w = g((∇_u u)‖u‖ − uᵀ(∇_u‖u‖))/‖u‖²',
    reading: 'uᵀ(∇_u‖u‖) is an inner product, a scalar, subtracted from a matrix as that multiple of I; ∇_u‖u‖ by finite differences',
    check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, scalarTimesIdentity(dot(p.u, normGradient(p.u)), p.u.length)) })),
    correction: {
      text: 'uᵀ(∇_u‖u‖) read as the outer product u(∇_u‖u‖)ᵀ',
      check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, outer(p.u, normGradient(p.u))) })),
    },
    notes: { 'holds-as-corrected': 'the quotient rule for a vector over a scalar needs the outer product u(∇‖u‖)ᵀ; as written uᵀ(∇‖u‖) = ‖u‖ and the bracket cancels to 0' },
  },
  { number: 49, question: '4.2', statement: '∇_u‖u‖ = ∇_u √(u·u)', notCheckable: 'a restatement: ‖u‖ = √(u·u) by definition' },
  {
    number: 50,
    question: '4.2',
    statement: '∇_u √(u·u) = u/√(u·u)',
    check: gradientStatement((p) => ({ lhs: Array.from(normGradient(p.u)), rhs: Array.from(p.u, (v) => v / Math.sqrt(dot(p.u, p.u))) })),
    notes: { holds: 'the gradient of the Euclidean norm, by finite differences' },
  },
  {
    number: 51,
    question: '4.2',
    statement: '∇_u‖u‖ = u/‖u‖',
    check: gradientStatement((p) => ({ lhs: Array.from(normGradient(p.u)), rhs: Array.from(p.u, (v) => v / vectorNorm(p.u)) })),
    notes: { holds: 'the same, with √(u·u) = ‖u‖' },
  },
  {
    number: 52,
    question: '4.2',
    statement: '∇_u w = g((∇_u u)‖u‖ − uᵀ(∇_u‖u‖))/‖u‖² (repeating (48))',
    reading: 'as (48)',
    check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, scalarTimesIdentity(dot(p.u, normGradient(p.u)), p.u.length)) })),
    correction: {
      text: 'uᵀ(∇_u‖u‖) read as the outer product u(∇_u‖u‖)ᵀ',
      check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, outer(p.u, normGradient(p.u))) })),
    },
    notes: { 'holds-as-corrected': 'a repetition of (48), with the same transposition' },
  },
  {
    number: 53,
    question: '4.2',
    statement: '∇_u w = g((I)‖u‖ − uᵀ(u/‖u‖))/‖u‖²',
    reading: 'uᵀ(u/‖u‖) = ‖u‖ is a scalar, subtracted as ‖u‖·I',
    check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, scalarTimesIdentity(dot(p.u, p.u) / vectorNorm(p.u), p.u.length)) })),
    correction: { text: UU_CORRECTION, check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: quotientRule(p, outer(p.u, p.u).div(vectorNorm(p.u))) })) },
    notes: { 'holds-as-corrected': 'as written the bracket is I‖u‖ − ‖u‖I = 0; with uuᵀ/‖u‖ it is the Jacobian of w' },
  },
  {
    number: 54,
    question: '4.2',
    statement: '∇_u w = (g/‖u‖)(I − uᵀu/‖u‖²)',
    reading: 'uᵀu = ‖u‖² is a scalar, so the bracket is I − I = 0',
    check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: projection(p, 'scalar').mul(p.g / vectorNorm(p.u)).to2DArray() })),
    correction: { text: UU_CORRECTION, check: gradientStatement((p) => ({ lhs: weightJacobian(p).to2DArray(), rhs: projection(p, 'outer').mul(p.g / vectorNorm(p.u)).to2DArray() })) },
    notes: { 'holds-as-corrected': 'with the outer product, (g/‖u‖)(I − uuᵀ/‖u‖²) is the Jacobian of w = g u/‖u‖' },
  },
  {
    number: 55,
    question: '4.2',
    statement: '∇_u L = ∇_u w ∇_w L',
    reading: 'as (45)',
    check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: Array.from(matVec(weightJacobian(p).transpose(), lossOf(p, weight(p.u, p.g)).gradient)) })),
    notes: { holds: 'a repetition of (45)' },
  },
  {
    number: 56,
    question: '4.2',
    statement: '∇_u L = (g/‖u‖)(I − uᵀu/‖u‖²)∇_w L',
    reading: 'uᵀu a scalar, as in (54): the right side is the zero vector',
    check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: projected(p, projection(p, 'scalar')) })),
    correction: { text: UU_CORRECTION, check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: projected(p, projection(p, 'outer')) })) },
    notes: { 'holds-as-corrected': 'with W* = I − uuᵀ/‖u‖² the formula equals finite differences of u ↦ L(g u/‖u‖) (claim 4.2)' },
  },
  {
    number: 57,
    question: '4.2',
    statement: '∇_u L = s W* ∇_w L, s = g/‖u‖, W* = I − uᵀu/‖u‖²',
    reading: 'W* as the answer defines it, with the scalar uᵀu',
    check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: projected(p, projection(p, 'scalar')) })),
    correction: { text: `${UU_CORRECTION} in W*`, check: gradientStatement((p) => ({ lhs: Array.from(directionGradient(p)), rhs: projected(p, projection(p, 'outer')) })) },
    notes: { 'holds-as-corrected': 'the form s·W*·∇_w L is right once W* is the projection I − uuᵀ/‖u‖² orthogonal to u' },
  },
  { number: 58, question: '4.3', statement: 'u′ = u − ε ∇_u L', notCheckable: 'the gradient-descent update, a definition' },
  {
    number: 59,
    question: '4.3',
    statement: '‖u′‖² = ‖u − ε∇_u L‖²',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: squaredNorm(next), rhs: squaredNorm(Float64Array.from(p.u, (v, i) => v - eta * (gradient[i] as number))) })),
    notes: { holds: 'the norm of (58)' },
  },
  {
    number: 60,
    question: '4.3',
    statement: '‖u′‖² = ‖u‖² + ‖ε∇_u L‖² − 2ε u∇_u L',
    reading: 'u∇_u L read as the inner product uᵀ∇_u L',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: squaredNorm(next), rhs: squaredNorm(p.u) + eta ** 2 * squaredNorm(gradient) - 2 * eta * dot(p.u, gradient) })),
    notes: { holds: 'expanding the square' },
  },
  {
    number: 61,
    question: '4.3',
    statement: '‖u′‖² = ‖u‖² + ‖ε∇_u L‖², because u ⊥ ∇_u L',
    reading: '∇_u L by finite differences of u ↦ L(g u/‖u‖), so the orthogonality is measured, not assumed',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: squaredNorm(next), rhs: squaredNorm(p.u) + eta ** 2 * squaredNorm(gradient) })),
    notes: { holds: 'the cross term vanishes: L depends on u only through its direction' },
  },
  {
    number: 62,
    question: '4.3',
    statement: '‖u′‖² = ‖u‖²(1 + ‖ε∇_u L‖²/‖u‖²)',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: squaredNorm(next), rhs: squaredNorm(p.u) * (1 + (eta ** 2 * squaredNorm(gradient)) / squaredNorm(p.u)) })),
    notes: { holds: 'factoring ‖u‖² out of (61)' },
  },
  {
    number: 63,
    question: '4.3',
    statement: '‖u′‖² = ‖u‖²(1 + c²), c = ε‖∇_u L‖/‖u‖',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: squaredNorm(next), rhs: squaredNorm(p.u) * (1 + ((eta * vectorNorm(gradient)) / vectorNorm(p.u)) ** 2) })),
    notes: { holds: 'with c² = ‖ε∇_u L‖²/‖u‖²' },
  },
  {
    number: 64,
    question: '4.3',
    statement: '‖u′‖ = √(‖u‖²(1 + c²))',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: vectorNorm(next), rhs: Math.sqrt(squaredNorm(p.u) * (1 + ((eta * vectorNorm(gradient)) / vectorNorm(p.u)) ** 2)) })),
    notes: { holds: 'the square root of (63)' },
  },
  {
    number: 65,
    question: '4.3',
    statement: '‖u′‖ = ‖u‖√(1 + c²)',
    check: stepStatement((p, eta, next, gradient) => ({ lhs: vectorNorm(next), rhs: vectorNorm(p.u) * Math.sqrt(1 + ((eta * vectorNorm(gradient)) / vectorNorm(p.u)) ** 2) })),
    notes: { holds: 'the new norm measured directly after the step equals the formula (claim 4.3)' },
  },
];

export const QUESTION_4_CONCLUSIONS: readonly ConclusionEntry[] = [
  {
    question: '4.1',
    stated: 'in this simple case weight normalisation is equivalent to batch normalisation',
    expected: 'on whitened x, BN(wᵀx + b) (no learned scale or shift) equals (w/‖w‖)ᵀx',
    evaluate(rng) {
      let worst = 0;
      for (let k = 0; k < 20; k++) {
        const u = whitenedUnit(rng, 1 + (k % 4), k);
        const samples = rowsOfBatch(u.X);
        const normalised = batchNormalise(samples.map((x) => dot(u.w, x) + u.b));
        samples.forEach((x, i) => {
          worst = Math.max(worst, Math.abs((normalised[i] as number) - dot(u.w, x) / vectorNorm(u.w)));
        });
      }
      const holds = worst < 1e-9;
      return {
        verdict: holds ? 'holds' : 'refuted',
        reason: holds
          ? `true: on 20 exactly whitened batches BN(wᵀx + b) equals (w/‖w‖)ᵀx to ${worst.toExponential(1)}. The derivation does not show it: it normalises x instead of wᵀx + b, keeps b, and needs σ = ‖v‖, which holds only for the spread of wᵀx (see (40)–(43))`
          : `BN(wᵀx + b) and (w/‖w‖)ᵀx differ by ${worst} on whitened batches`,
        evidence: { batches: 20, largestDifference: worst },
      };
    },
  },
  {
    question: '4.3',
    stated: '√(1 + c²) > 1, so ‖u′‖ can only increase',
    expected: '‖u′‖ = ‖u‖√(1 + c²) ≥ ‖u‖, with equality exactly when ∇_u L = 0',
    evaluate(rng) {
      // Random problems: the norm never decreases after a step.
      let smallestGrowth = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 20; k++) {
        const p = directionProblem(rng, 2 + (k % 3));
        const gradient = directionGradient(p);
        const next = Float64Array.from(p.u, (v, i) => v - 0.5 * (gradient[i] as number));
        smallestGrowth = Math.min(smallestGrowth, vectorNorm(next) / vectorNorm(p.u));
      }
      // The equality case: L = ½‖w‖² has ∇_w L = w ∥ w, so ∇_u L = 0 and c = 0: √(1 + c²) = 1, not > 1.
      const p = directionProblem(rng, 3);
      const gradient = Float64Array.from(finiteDifferenceJacobian((u) => [0.5 * vectorNorm(weight(u, p.g)) ** 2], p.u).getRow(0));
      const c = (0.5 * vectorNorm(gradient)) / vectorNorm(p.u);
      const factor = Math.sqrt(1 + c * c);
      const neverDecreases = smallestGrowth >= 1 - 1e-12;
      return {
        verdict: neverDecreases ? (factor > 1 ? 'holds' : 'holds-as-corrected') : 'refuted',
        reason: neverDecreases
          ? `‖u′‖/‖u‖ ≥ ${smallestGrowth.toFixed(6)} on 20 random steps: the norm never decreases. But “√(1 + c²) > 1” is false when ∇_u L = 0: for L = ½‖w‖² (∇_w L ∥ w), c = ${c.toExponential(1)} and √(1 + c²) = ${factor}, so ‖u‖ stays put. Corrected: √(1 + c²) ≥ 1, ‖u‖ never decreases`
          : `the norm decreased: ‖u′‖/‖u‖ = ${smallestGrowth}`,
        evidence: { smallestGrowth, equalityCaseC: c, equalityCaseFactor: factor },
      };
    },
  },
];
