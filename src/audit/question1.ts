import { Matrix } from '../num/matrix.js';
import { peakCase } from '../claims/rnn-cases.js';
import { bindClaim } from '../claims/subcommand.js';
import { VANISH_DEFAULTS, explodingClaim } from '../claims/vanish.js';
import { ACTIVATIONS, type Activation, applyElementwise } from '../num/activation.js';
import { finiteDifferenceJacobian } from '../num/diff.js';
import { largestEigenvalue, matVec, scaleRows, spectralNorm } from '../num/linalg.js';
import { type Rng, randomOrthogonal } from '../num/random.js';
import { jacobianProducts, runOnActivations, runOnPreactivations } from '../num/rnn.js';
import { formatNumber } from '../report/format.js';
import { runClaim } from '../run/runner.js';
import type { ConclusionEntry, EquationEntry, Instance, Statement } from './types.js';
import { entriesOf, rowsOf, simpleMatrix, simpleVector } from './values.js';

/** A recurrent unit with its inputs: W, every U x_t + b, and g_0. */
interface Unit {
  activation: Activation;
  W: Matrix;
  drive: Float64Array[];
  g0: Float64Array;
  /** An initial pre-activation, for the recurrence on pre-activations. */
  h0: Float64Array;
}

const FINITE_DIFFERENCE = { rtol: 1e-6, atol: 1e-8 };
const SMOOTH: readonly Activation[] = [ACTIVATIONS.tanh, ACTIVATIONS.sigmoid];
const ALL: readonly Activation[] = [ACTIVATIONS.tanh, ACTIVATIONS.sigmoid, ACTIVATIONS.relu];

/** Simple random values: W scaled by 1/√n, inputs and g_0 of order 1. */
function randomUnit(rng: Rng, activation: Activation, n: number, steps: number): Unit {
  const W = simpleMatrix(rng, n, n, 1 / Math.sqrt(n));
  const drive = Array.from({ length: steps }, () => simpleVector(rng, n));
  const h0 = simpleVector(rng, n);
  return { activation, W, drive, g0: applyElementwise(activation.apply, h0), h0 };
}

/** W = norm·Q with every pre-activation held where |σ′| = γ: the case that attains the norm bounds. */
function tightUnit(rng: Rng, activation: Activation, n: number, steps: number, norm: number): Unit {
  const c = peakCase(rng, 'tight', activation, randomOrthogonal(rng, n).mul(norm), steps);
  return { activation, W: c.W, drive: c.drive, g0: c.g0, h0: new Float64Array(n).fill(activation.peak) };
}

const unitData = (u: Unit) => ({ activation: u.activation.name, W: rowsOf(u.W), drive: u.drive.map(entriesOf), g0: entriesOf(u.g0) });

function trajectory(u: Unit) {
  return runOnActivations(u.W, u.activation, u.g0, u.drive);
}

/** ∂g_T/∂g_0 by central differences of the whole unrolled map. */
function wholeMapJacobian(u: Unit): Matrix {
  return finiteDifferenceJacobian((g0) => runOnActivations(u.W, u.activation, g0, u.drive).states.at(-1) ?? g0, u.g0);
}

/** ∂g_t/∂g_{t−1} by central differences of one step, at the trajectory's point. */
function stepJacobians(u: Unit): Matrix[] {
  const states = trajectory(u).states;
  return u.drive.map((d, t) =>
    finiteDifferenceJacobian((g) => {
      const z = matVec(u.W, g);
      return applyElementwise(u.activation.apply, z.map((v, i) => v + (d[i] as number)));
    }, states[t] ?? u.g0),
  );
}

/** The product with later factors on the left: F_T ⋯ F_1. */
function laterOnLeft(factors: readonly Matrix[], n: number): Matrix {
  return factors.reduce((product, factor) => factor.mmul(product), Matrix.eye(n, n));
}

/** diag(σ′(z_t))·W for t = 1…T. */
function analyticFactors(u: Unit): Matrix[] {
  return trajectory(u).preactivations.map((z) => scaleRows(applyElementwise(u.activation.derivative, z), u.W));
}

const pick = <T>(list: readonly T[], k: number): T => list[k % list.length] as T;

/** A statement over hidden size n (T steps), case 0 tight when `tight` is given. */
function rnnStatement(
  evaluate: (u: Unit, n: number) => Instance | Instance[],
  options: { activations?: readonly Activation[]; steps?: number; tight?: number; tolerance?: Statement['tolerance']; sizes?: number[] } = {},
): Statement {
  const steps = options.steps ?? 3;
  return {
    sizes: options.sizes ?? [1, 2, 3, 4],
    cases: 12,
    sizeName: 'n',
    tolerance: options.tolerance,
    instance(rng, n, k) {
      const activation = pick(options.activations ?? SMOOTH, k);
      const unit = k === 0 && options.tight !== undefined ? tightUnit(rng, activation, n, steps, options.tight / activation.gamma) : randomUnit(rng, activation, n, steps);
      return evaluate(unit, n);
    },
  };
}

const productNorms = (factors: readonly Matrix[]) => factors.reduce((p, f) => p * spectralNorm(f), 1);

export const QUESTION_1_EQUATIONS: readonly EquationEntry[] = [
  {
    number: 1,
    question: '1.1',
    statement: 'g_t = σ(W g_{t−1} + U x_t + b)',
    notCheckable: 'the definition of the usual recurrence, which the induction starts from',
  },
  {
    number: 2,
    question: '1.1',
    statement: 'σ(W g_{t−1} + U x_t + b) = σ(W σ(h_{t−1}) + U x_t + b), given g_{t−1} = σ(h_{t−1})',
    reading: 'the induction hypothesis g_{t−1} = σ(h_{t−1}) is produced by running both recurrences from g_0 = σ(h_0)',
    check: rnnStatement(
      (u) => {
        const h = runOnPreactivations(u.W, u.activation, u.h0, u.drive);
        const g = runOnActivations(u.W, u.activation, applyElementwise(u.activation.apply, u.h0), u.drive).states;
        return u.drive.map((d, i) => ({
          data: { ...unitData(u), h0: entriesOf(u.h0) },
          at: `t=${i + 1}`,
          lhs: Array.from(g[i + 1] ?? []),
          rhs: Array.from(applyElementwise(u.activation.apply, matVec(u.W, applyElementwise(u.activation.apply, h[i] ?? [])).map((v, j) => v + (d[j] as number)))),
          relation: '=' as const,
        }));
      },
      { activations: ALL, steps: 5 },
    ),
    notes: { holds: 'substituting the induction hypothesis inside σ changes nothing' },
  },
  {
    number: 3,
    question: '1.1',
    statement: 'g_t = σ(h_t)',
    check: rnnStatement(
      (u) => {
        const h = runOnPreactivations(u.W, u.activation, u.h0, u.drive);
        const g = runOnActivations(u.W, u.activation, applyElementwise(u.activation.apply, u.h0), u.drive).states;
        return h.map((ht, t) => ({ data: { ...unitData(u), h0: entriesOf(u.h0) }, at: `t=${t}`, lhs: Array.from(g[t] ?? []), rhs: Array.from(applyElementwise(u.activation.apply, ht)), relation: '=' as const }));
      },
      { activations: ALL, steps: 8 },
    ),
    notes: { holds: 'both recurrences, run side by side from g_0 = σ(h_0), agree at every step (claim 1.1)' },
  },
  {
    number: 4,
    question: '1.2',
    statement: '∂g_T/∂g_0 = (∂σ_T/∂g_{T−1})(∂σ_{T−1}/∂g_{T−2}) ⋯ (∂σ_1/∂g_0)',
    check: rnnStatement((u) => ({ data: unitData(u), lhs: wholeMapJacobian(u).to2DArray(), rhs: laterOnLeft(stepJacobians(u), u.W.rows).to2DArray(), relation: '=' }), {
      tolerance: FINITE_DIFFERENCE,
    }),
    notes: { holds: 'the chain rule: finite differences of the whole map equal the product of the steps’ finite-difference Jacobians, later steps on the left' },
  },
  {
    number: 5,
    question: '1.2',
    statement: '∂g_T/∂g_0 = ∏_{t=0}^{T−1} ∂σ_{t+1}/∂g_t',
    reading: 'the product ordered as in (4), later factors on the left; multiplied left to right with increasing t it would be the reverse product, which differs once n ≥ 2',
    check: rnnStatement((u) => ({ data: unitData(u), lhs: wholeMapJacobian(u).to2DArray(), rhs: laterOnLeft(stepJacobians(u), u.W.rows).to2DArray(), relation: '=' }), {
      tolerance: FINITE_DIFFERENCE,
    }),
    notes: { holds: '(4) in product notation' },
  },
  {
    number: 6,
    question: '1.2',
    statement: '∂σ_{t+1}/∂g_t = diag(σ′_{t+1}) W',
    check: rnnStatement(
      (u) => {
        const analytic = analyticFactors(u);
        return stepJacobians(u).map((numerical, i) => ({ data: unitData(u), at: `t=${i}`, lhs: numerical.to2DArray(), rhs: (analytic[i] ?? numerical).to2DArray(), relation: '=' as const }));
      },
      { tolerance: FINITE_DIFFERENCE },
    ),
    notes: { holds: 'one step’s Jacobian by finite differences equals diag(σ′(W g_t + U x_{t+1} + b))·W' },
  },
  {
    number: 7,
    question: '1.2',
    statement: '∂g_T/∂g_0 = ∏_{t=0}^{T−1} diag(σ′_{t+1}) W',
    reading: 'the product ordered as in (4), later factors on the left',
    check: rnnStatement((u) => ({ data: unitData(u), lhs: wholeMapJacobian(u).to2DArray(), rhs: laterOnLeft(analyticFactors(u), u.W.rows).to2DArray(), relation: '=' }), {
      tolerance: FINITE_DIFFERENCE,
    }),
    notes: { holds: 'finite differences of the unrolled map equal the product of diag(σ′)·W' },
  },
  {
    number: 8,
    question: '1.2',
    statement: '‖∂g_T/∂g_0‖ = ‖∏_t diag(σ′_{t+1}) W‖',
    check: rnnStatement((u) => ({ data: unitData(u), lhs: spectralNorm(wholeMapJacobian(u)), rhs: spectralNorm(laterOnLeft(analyticFactors(u), u.W.rows)), relation: '=' }), {
      tolerance: FINITE_DIFFERENCE,
    }),
    notes: { holds: 'the norm of both sides of (7)' },
  },
  {
    number: 9,
    question: '1.2',
    statement: '‖∏_t diag(σ′_{t+1}) W‖ = ∏_t ‖diag(σ′_{t+1}) W‖',
    check: rnnStatement((u) => {
      const factors = analyticFactors(u);
      return { data: unitData(u), lhs: spectralNorm(laterOnLeft(factors, u.W.rows)), rhs: productNorms(factors), relation: '=' };
    }),
    correction: {
      text: '= replaced by ≤ (the norm is submultiplicative)',
      check: rnnStatement(
        (u) => {
          const factors = analyticFactors(u);
          return { data: unitData(u), lhs: spectralNorm(laterOnLeft(factors, u.W.rows)), rhs: productNorms(factors), relation: '≤' };
        },
        { tight: 0.9, activations: ALL },
      ),
    },
    notes: {
      'holds-as-corrected': 'the norm of a product is not the product of the norms once the factors are matrices that do not commute; only ≤ holds, which is all the argument needs',
      refuted: 'the norm of a product is not the product of the norms',
    },
  },
  {
    number: 10,
    question: '1.2',
    statement: '∏_t ‖diag(σ′_{t+1}) W‖ ≤ ∏_t ‖diag(σ′_{t+1})‖ ‖W‖',
    check: rnnStatement(
      (u) => {
        const derivatives = trajectory(u).preactivations.map((z) => applyElementwise(u.activation.derivative, z));
        const lhs = derivatives.reduce((p, d) => p * spectralNorm(scaleRows(d, u.W)), 1);
        const rhs = derivatives.reduce((p, d) => p * Math.max(...Array.from(d, Math.abs)) * spectralNorm(u.W), 1);
        return { data: unitData(u), lhs, rhs, relation: '≤' };
      },
      { tight: 0.9, activations: ALL },
    ),
    notes: { holds: 'submultiplicativity, attained when every σ′ equals γ (D = γI)' },
  },
  {
    number: 11,
    question: '1.2',
    statement: '∏_t ‖diag(σ′_{t+1})‖ ‖W‖ ≤ ∏_t |γ| √λ₁ = ∏_t |γ| |δ/γ|, under λ₁(WᵀW) ≤ δ²/γ²',
    reading: 'W drawn with λ₁(WᵀW) ≤ δ²/γ² (on the boundary in case 0, inside it otherwise); both relations of the line are checked',
    check: hypothesisStatement('='),
    correction: { text: 'the equality √λ₁ = δ/γ replaced by √λ₁ ≤ δ/γ', check: hypothesisStatement('≤') },
    notes: {
      'holds-as-corrected': '‖diag(σ′)‖ ≤ γ holds, but √λ₁ equals δ/γ only on the boundary of the hypothesis; the argument needs just ≤',
      refuted: 'the hypothesis bounds √λ₁ by δ/γ, it does not fix it',
    },
  },
  {
    number: 12,
    question: '1.2',
    statement: '‖∂g_T/∂g_0‖ ≤ ∏_t |δ| = |δ|^T',
    reading: 'W drawn with λ₁(WᵀW) ≤ δ²/γ², the bound checked at every T up to 6',
    check: boundStatement([1, 2, 3, 4], 6),
    notes: { holds: 'attained in case 0 (W = (δ/γ)Q held where σ′ = γ), so no smaller power of δ would do' },
  },
  {
    number: 13,
    question: '1.2',
    statement: 'lim_{T→∞} ‖∂g_T/∂g_0‖ = lim_{T→∞} |δ|^T = 0',
    reading: 'a limit is not computable; checked: ‖∂g_T/∂g_0‖ ≤ δ^T at T = 50, 100, 200, with δ ≤ 0.95, so both sides tend to 0',
    check: { ...boundStatement([50, 100, 200], null), sizeName: 'T' },
    notes: { holds: 'the norm stays under δ^T, which tends to 0, so its limit is 0 as well' },
  },
];

/** (11): under the hypothesis, ∏‖D‖‖W‖ ≤ ∏γ√λ₁ and ∏γ√λ₁ (relation) ∏γ·δ/γ. */
function hypothesisStatement(relation: '=' | '≤'): Statement {
  return {
    sizes: [1, 2, 3],
    cases: 12,
    sizeName: 'n',
    instance(rng, n, k) {
      const activation = pick(ALL, k);
      const gamma = activation.gamma;
      const delta = Math.round(100 * rng.between(0.3, 0.95)) / 100;
      const share = k === 0 ? 1 : Math.round(100 * rng.between(0.3, 0.99)) / 100;
      const unit = k === 0 ? tightUnit(rng, activation, n, 3, delta / gamma) : { ...randomUnit(rng, activation, n, 3) };
      const W = k === 0 ? unit.W : unit.W.mul((share * delta) / gamma / spectralNorm(unit.W));
      const u = { ...unit, W };
      const lambda = largestEigenvalue(W.transpose().mmul(W));
      const derivatives = trajectory(u).preactivations.map((z) => applyElementwise(activation.derivative, z));
      const T = derivatives.length;
      const left = derivatives.reduce((p, d) => p * Math.max(...Array.from(d, Math.abs)) * spectralNorm(W), 1);
      const data = { ...unitData(u), delta, gamma };
      return [
        { data, at: '∏‖D‖‖W‖ ≤ ∏γ√λ₁', lhs: left, rhs: (gamma * Math.sqrt(lambda)) ** T, relation: '≤' as const },
        { data, at: '∏γ√λ₁ vs ∏γ·δ/γ', lhs: (gamma * Math.sqrt(lambda)) ** T, rhs: (gamma * (delta / gamma)) ** T, relation },
      ];
    },
  };
}

/** ‖∂g_t/∂g_0‖ ≤ δ^t for W with λ₁(WᵀW) ≤ δ²/γ²; case 0 attains it. `checkEvery` limits the steps compared (null: the last only). */
function boundStatement(sizes: number[], checkEvery: number | null): Statement {
  return {
    sizes,
    cases: 10,
    sizeName: 'n',
    instance(rng, size, k) {
      const activation = pick(ALL, k);
      const n = checkEvery === null ? 3 : size;
      const T = checkEvery ?? size;
      const delta = Math.round(100 * rng.between(0.3, 0.95)) / 100;
      const unit = k === 0 ? tightUnit(rng, activation, n, T, delta / activation.gamma) : randomUnit(rng, activation, n, T);
      const W = k === 0 ? unit.W : unit.W.mul(delta / activation.gamma / spectralNorm(unit.W));
      const u = { ...unit, W };
      const norms = jacobianProducts(W, activation, trajectory(u).preactivations).map(spectralNorm);
      const data = { ...unitData(u), delta, gamma: activation.gamma };
      const steps = checkEvery === null ? [T] : norms.map((_, i) => i + 1);
      return steps.map((t) => ({ data: checkEvery === null ? { activation: activation.name, delta, n, T } : data, at: `T=${t}`, lhs: norms[t - 1] ?? Number.NaN, rhs: delta ** t, relation: '≤' as const }));
    },
  };
}

/** Conclusion 1.3, evaluated by running claim 1.3's witnesses. */
export const QUESTION_1_CONCLUSIONS: readonly ConclusionEntry[] = [
  {
    question: '1.3',
    stated:
      'the reversed condition (largest eigenvalue above δ²/γ²) is necessary for exploding gradients but not sufficient, “since the condition is a lower bound”; the answer attaches the eigenvalue to the gradient of the hidden state rather than to WᵀW',
    expected: 'λ₁(WᵀW) > δ²/γ² (in the limit ‖W‖ > 1/γ) is necessary but not sufficient for exploding gradients',
    evaluate(rng) {
      const seed = Math.floor(rng.uniform() * 2 ** 32);
      const result = runClaim(bindClaim(explodingClaim(), VANISH_DEFAULTS, 'vanish'), { seed, trials: 3 });
      const figure = (key: string) => result.example?.figures.find((f) => f.key === key)?.value ?? null;
      const evidence = {
        claim: '1.3',
        verdict: result.verdict,
        boundedTightness: figure('boundedTightness'),
        explodingFactor: figure('explodingFactor'),
        explodingNorm: figure('explodingNorm'),
        nilpotentFactor: figure('nilpotentFactor'),
        nilpotentNorm: figure('nilpotentNorm'),
      };
      if (result.verdict !== 'hold') return { verdict: 'refuted', reason: `claim 1.3 did not hold when checked (${result.verdict})`, evidence };
      const number = (v: unknown) => (typeof v === 'number' || typeof v === 'string' || v === null ? formatNumber(v) : String(v));
      return {
        verdict: 'holds',
        reason:
          `true as stated: with ‖W‖ ≤ 1/γ the Jacobian norm never exceeds 1 (reached: ${number(evidence.boundedTightness)}); ` +
          `above it, γ‖W‖ = ${number(evidence.explodingFactor)} explodes (‖∂g_30/∂g_0‖ = ${number(evidence.explodingNorm)}) while a nilpotent W with γ‖W‖ = 3 vanishes (${number(evidence.nilpotentNorm)}). ` +
          'Imprecise: the eigenvalue in question is λ₁(WᵀW), a property of the weights, not of the gradient, and “a lower bound” is not the reason — saturation and nilpotent weights are.',
        evidence,
      };
    },
  },
];
