import { Matrix, inverse } from '../num/matrix.js';
import { finiteDifferenceJacobian } from '../num/diff.js';
import { dot, matVec, vectorNorm } from '../num/linalg.js';
import type { Rng } from '../num/random.js';
import { logSumExp } from '../num/smooth.js';
import {
  type HessianKind,
  type QuadraticModel,
  controlledSpectrum,
  goldenSectionMinimum,
  modelValue,
  randomUnitVector,
  solveSymmetric,
  step,
  symmetricWithSpectrum,
} from '../num/taylor.js';
import type { InputValue } from '../claims/types.js';
import type { ConclusionEntry, EquationEntry, Statement } from './types.js';
import { entriesOf, rowsOf, simpleMatrix, simpleValue, simpleVector } from './values.js';

const KINDS: readonly Exclude<HessianKind, 'random'>[] = ['pd', 'indefinite', 'nd'];

/** A quadratic model with simple g, f(x₀), x₀ and a symmetric H of a chosen kind (pd for n = 1 when indefinite). */
function model(rng: Rng, n: number, k: number): { model: QuadraticModel; kind: string; epsilon: number } {
  const wanted = KINDS[k % KINDS.length] ?? 'pd';
  const kind = wanted === 'indefinite' && n < 2 ? 'pd' : wanted;
  const H = symmetricWithSpectrum(rng, controlledSpectrum(rng, kind, n)).H;
  return {
    model: { x0: simpleVector(rng, n), f0: simpleValue(rng), g: simpleVector(rng, n), H },
    kind,
    epsilon: Math.round(100 * rng.between(0.01, 1)) / 100,
  };
}

const modelData = (m: QuadraticModel, extra: Record<string, InputValue> = {}) => ({
  f0: m.f0,
  x0: entriesOf(m.x0),
  g: entriesOf(m.g),
  H: rowsOf(m.H),
  ...extra,
});

/** f̂(x₁) at x₁ = x₀ − εg by the definition (31), against the line's expression. */
function afterStep(expression: (m: QuadraticModel, epsilon: number) => number): Statement {
  return {
    sizes: [1, 2, 3, 5],
    cases: 12,
    sizeName: 'n',
    instance(rng, n, k) {
      const { model: m, kind, epsilon } = model(rng, n, k);
      const x1 = step(m.x0, -epsilon, m.g);
      return { data: modelData(m, { epsilon, H_kind: kind }), lhs: modelValue(m, x1), rhs: expression(m, epsilon), relation: '=' };
    },
  };
}

const quadraticForm = (H: Matrix, v: ArrayLike<number>) => dot(v, matVec(H, v));
const scaled = (s: number, v: ArrayLike<number>) => Float64Array.from(v, (x) => s * x);

/** The line (32): every (x₀ − εg − x₀) computed as written, in floating point. */
function line32(m: QuadraticModel, epsilon: number): number {
  const d = Float64Array.from(m.x0, (x, i) => x - epsilon * (m.g[i] as number) - x);
  return m.f0 + dot(d, m.g) + 0.5 * quadraticForm(m.H, d);
}

function line33(m: QuadraticModel, epsilon: number): number {
  const d = scaled(-epsilon, m.g);
  return m.f0 + dot(d, m.g) + 0.5 * quadraticForm(m.H, d);
}

/** A model's gradient at x by central differences of f̂ itself, never by its formula. */
function numericalGradient(m: QuadraticModel, x: Float64Array): Float64Array {
  return Float64Array.from(finiteDifferenceJacobian((y) => [modelValue(m, y)], x).getRow(0));
}

export const QUESTION_3_EQUATIONS: readonly EquationEntry[] = [
  {
    number: 31,
    question: '3.1',
    statement: 'f̂(x) = f(x₀) + (x − x₀)ᵀg + ½(x − x₀)ᵀH(x − x₀), g = ∇f(x₀), H = ∇²f(x₀)',
    reading: 'that this is f’s second-order Taylor model: along x₀ + εu the remainder (f − f̂)/ε³ tends to D³f(x₀)[u,u,u]/6, for f a log-sum-exp of an affine map (limit by Richardson extrapolation from ε = 0.02 and 0.01)',
    check: {
      sizes: [1, 2, 3],
      cases: 8,
      sizeName: 'n',
      tolerance: { rtol: 1e-2, atol: 2e-3 },
      instance(rng, n) {
        const A = simpleMatrix(rng, n + 2, n);
        const b = simpleVector(rng, n + 2);
        const f = logSumExp(A, b);
        const x0 = simpleVector(rng, n);
        const u = randomUnitVector(rng, n);
        const m: QuadraticModel = { x0, f0: f.value(x0), g: f.gradient(x0), H: f.hessian(x0) };
        const coefficient = (epsilon: number) => {
          const x = step(x0, epsilon, u);
          return (f.value(x) - modelValue(m, x)) / epsilon ** 3;
        };
        // Richardson: the O(ε) term cancels in 2c(ε/2) − c(ε).
        const extrapolated = 2 * coefficient(0.01) - coefficient(0.02);
        return { data: { A: rowsOf(A), b: entriesOf(b), x0: entriesOf(x0), u: entriesOf(u) }, lhs: extrapolated, rhs: f.thirdDerivative(x0, u) / 6, relation: '=' };
      },
    },
    notes: { holds: 'f − f̂ = O(ε³) with the coefficient the third derivative predicts' },
  },
  {
    number: 32,
    question: '3.1',
    statement: 'f̂(x₁) = f(x₀) + (x₀ − εg − x₀)ᵀg + ½(x₀ − εg − x₀)ᵀH(x₀ − εg − x₀), x₁ = x₀ − εg',
    check: afterStep(line32),
    notes: { holds: 'x₁ substituted into the definition (31)' },
  },
  {
    number: 33,
    question: '3.1',
    statement: 'f̂(x₁) = f(x₀) + (−εg)ᵀg + ½(−εg)ᵀH(−εg)',
    check: afterStep(line33),
    notes: { holds: 'x₀ − εg − x₀ = −εg' },
  },
  {
    number: 34,
    question: '3.1',
    statement: 'f̂(x₁) = f(x₀) + (−εg)ᵀg + ½(−εg)ᵀH(−εg)',
    check: afterStep(line33),
    notes: { holds: 'a repetition of (33)' },
  },
  {
    number: 35,
    question: '3.1',
    statement: 'f̂(x₁) = f(x₀) − ε gᵀg + ½ ε² gᵀHg',
    check: afterStep((m, epsilon) => m.f0 - epsilon * dot(m.g, m.g) + 0.5 * epsilon ** 2 * quadraticForm(m.H, m.g)),
    notes: { holds: 'the closed form equals the model evaluated by its definition (claim 3.1)' },
  },
  {
    number: 36,
    question: '3.3',
    statement: '∇f̂(x) = g + H(x − x₀) = 0',
    reading: 'the gradient formula, at random x, against central differences of f̂ (H symmetric, as a Hessian is); setting it to 0 is the definition of the point sought',
    check: {
      sizes: [1, 2, 3, 5],
      cases: 12,
      sizeName: 'n',
      tolerance: { rtol: 1e-6, atol: 1e-8 },
      instance(rng, n, k) {
        const { model: m, kind } = model(rng, n, k);
        const x = simpleVector(rng, n);
        const formula = Float64Array.from(matVec(m.H, x.map((v, i) => v - (m.x0[i] as number))), (v, i) => v + (m.g[i] as number));
        return { data: modelData(m, { H_kind: kind, x: entriesOf(x) }), lhs: Array.from(numericalGradient(m, x)), rhs: Array.from(formula), relation: '=' };
      },
    },
    notes: { holds: 'the model’s gradient by finite differences equals g + H(x − x₀)' },
  },
  {
    number: 37,
    question: '3.3',
    statement: 'H⁻¹g + x − x₀ = 0',
    reading: 'at the point where (36) vanishes, found by an LU solve of H(x − x₀) = −g; H⁻¹g from an explicit inverse',
    check: {
      sizes: [1, 2, 3, 5],
      cases: 12,
      sizeName: 'n',
      instance(rng, n, k) {
        const { model: m, kind } = model(rng, n, k);
        const solved = solveSymmetric(m.H, scaled(-1, m.g));
        if (!solved.ok) throw new Error(`the solve refused H: ${solved.reason}`);
        const x = Float64Array.from(m.x0, (v, i) => v + (solved.x[i] as number));
        const inverseG = matVec(inverse(m.H), m.g);
        return { data: modelData(m, { H_kind: kind }), lhs: Array.from(inverseG, (v, i) => v + (x[i] as number) - (m.x0[i] as number)), rhs: Array.from({ length: n }, () => 0), relation: '=' };
      },
      tolerance: { rtol: 0, atol: 1e-10 },
    },
    notes: { holds: 'multiplying (36) by H⁻¹, which needs H invertible' },
  },
  {
    number: 38,
    question: '3.3',
    statement: 'x = x₀ − H⁻¹g',
    reading: 'that f̂’s gradient, by finite differences, vanishes at this x (scaled by 1 + ‖g‖)',
    check: {
      sizes: [1, 2, 3, 5],
      cases: 12,
      sizeName: 'n',
      tolerance: { rtol: 0, atol: 1e-7 },
      instance(rng, n, k) {
        const { model: m, kind } = model(rng, n, k);
        const x = Float64Array.from(m.x0, (v, i) => v - (matVec(inverse(m.H), m.g)[i] as number));
        const gradient = numericalGradient(m, x);
        return { data: modelData(m, { H_kind: kind }), lhs: Array.from(gradient, (v) => v / (1 + vectorNorm(m.g))), rhs: Array.from({ length: n }, () => 0), relation: '=' };
      },
    },
    notes: { holds: 'Newton’s point is a stationary point of f̂' },
  },
];

/** The sign of f̂(x₀ − εg) − f(x₀) evaluated directly, against the condition on ε. */
function decreaseSweep(rng: Rng): { agree: number; total: number; example: Record<string, number | string> } {
  let agree = 0;
  let total = 0;
  let example: Record<string, number | string> = {};
  for (const kind of KINDS) {
    for (let k = 0; k < 10; k++) {
      const n = 3;
      const H = symmetricWithSpectrum(rng, controlledSpectrum(rng, kind, n)).H;
      const m: QuadraticModel = { x0: simpleVector(rng, n), f0: simpleValue(rng), g: simpleVector(rng, n), H };
      const curvature = quadraticForm(H, m.g);
      const gg = dot(m.g, m.g);
      const limit = curvature > 0 ? (2 * gg) / curvature : Number.POSITIVE_INFINITY;
      const steps = Number.isFinite(limit) ? [limit * 0.01, limit * 0.5, limit * (1 - 1e-6), limit * (1 + 1e-6), limit * 2] : [1e-3, 1, 1e3];
      for (const epsilon of steps) {
        const decreases = modelValue(m, step(m.x0, -epsilon, m.g)) < m.f0;
        const predicted = curvature <= 0 || epsilon < limit;
        total++;
        if (decreases === predicted) agree++;
      }
      if (kind === 'pd' && k === 0) {
        const best = goldenSectionMinimum((e) => modelValue(m, step(m.x0, -e, m.g)), 0, limit);
        example = { H_kind: kind, 'gᵀg': gg, 'gᵀHg': curvature, 'upper end 2gᵀg/gᵀHg': limit, 'ε* (golden section)': best, 'ε* = gᵀg/gᵀHg': gg / curvature };
      }
    }
  }
  return { agree, total, example };
}

export const QUESTION_3_CONCLUSIONS: readonly ConclusionEntry[] = [
  {
    question: '3.2',
    stated: null,
    expected: 'the condition on ε for the step to decrease f̂: any ε > 0 when gᵀHg ≤ 0, otherwise exactly 0 < ε < 2gᵀg/gᵀHg (best ε* = gᵀg/gᵀHg)',
    evaluate(rng) {
      const { agree, total, example } = decreaseSweep(rng);
      const digits = (v: number | string | undefined) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v);
      const holds = agree === total;
      return {
        verdict: holds ? 'not-stated' : 'refuted',
        reason: holds
          ? `the answer describes the terms of (35) but gives no condition on ε. The condition, checked now on ${total} steps across its boundary for positive-definite, indefinite and negative-definite H, agrees with the direct evaluation every time; for instance gᵀg = ${digits(example['gᵀg'])}, gᵀHg = ${digits(example['gᵀHg'])}: the step decreases f̂ exactly for 0 < ε < ${digits(example['upper end 2gᵀg/gᵀHg'])}, best at ε* = ${digits(example['ε* = gᵀg/gᵀHg'])} (golden section: ${digits(example['ε* (golden section)'])})`
          : `the expected condition disagreed with direct evaluation in ${total - agree} of ${total} steps`,
        evidence: { agreements: agree, steps: total, example },
      };
    },
  },
  {
    question: '3.3',
    stated: 'setting ∇f̂ = 0 gives a second-order method, x = x₀ − H⁻¹g (Newton’s step), which uses the curvature and is usually damped by a step ε',
    expected: 'Newton’s step x₀ − H⁻¹g, the minimiser of f̂ when H ≻ 0 (a saddle or maximum otherwise)',
    evaluate(rng) {
      const n = 3;
      const saddle = symmetricWithSpectrum(rng, controlledSpectrum(rng, 'indefinite', n));
      const m: QuadraticModel = { x0: simpleVector(rng, n), f0: simpleValue(rng), g: simpleVector(rng, n), H: saddle.H };
      const x = Float64Array.from(m.x0, (v, i) => v - (matVec(inverse(m.H), m.g)[i] as number));
      const gradient = vectorNorm(numericalGradient(m, x));
      // The last column of Q belongs to a negative eigenvalue: moving along it lowers f̂.
      const direction = Float64Array.from(saddle.Q.getColumn(n - 1));
      const change = modelValue(m, step(x, 0.5, direction)) - modelValue(m, x);
      const holds = gradient < 1e-6 * (1 + vectorNorm(m.g));
      return {
        verdict: holds ? 'holds' : 'refuted',
        reason: holds
          ? `true: at x₀ − H⁻¹g the finite-difference gradient of f̂ is ${gradient.toExponential(1)}. Not said: it minimises f̂ only when H ≻ 0 — for an indefinite H it is a saddle (here a step of 0.5 along an eigenvector of a negative eigenvalue changes f̂ by ${change.toPrecision(3)})`
          : `the gradient of f̂ at x₀ − H⁻¹g is ${gradient}, not 0`,
        evidence: { gradientNorm: gradient, descentDirection: Array.from(direction), change },
      };
    },
  },
];
