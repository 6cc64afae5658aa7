import type { Rng } from '../num/random.js';
import type { EquationEntry, Instance, Statement } from './types.js';
import { entriesOf, simpleVector } from './values.js';

/** A stream of gradients g_1…g_T (vectors of length 2) and the coefficients of both methods. */
interface Stream {
  alpha: number;
  epsilon: number;
  beta: number;
  delta: number;
  v0: Float64Array;
  g: Float64Array[];
}

const DIMENSION = 2;
const round2 = (x: number) => Math.round(100 * x) / 100;

/** Case 0 starts from v_0 = 0 with ε far from 1 − α; later cases draw everything. */
function stream(rng: Rng, steps: number, k: number): Stream {
  const alpha = round2(rng.between(0.1, 0.95));
  return {
    alpha,
    epsilon: k === 0 ? round2(Math.max(0.01, (1 - alpha) / 4)) : round2(rng.between(0.01, 1)),
    beta: round2(rng.between(0.1, 0.95)),
    delta: round2(rng.between(0.05, 2)),
    v0: k === 0 ? new Float64Array(DIMENSION) : simpleVector(rng, DIMENSION),
    g: Array.from({ length: steps }, () => simpleVector(rng, DIMENSION)),
  };
}

const combine = (a: number, x: ArrayLike<number>, b: number, y: ArrayLike<number>) => Float64Array.from(x, (v, i) => a * v + b * (y[i] as number));
const scale = (a: number, x: ArrayLike<number>) => Float64Array.from(x, (v) => a * v);

/** v_t = a v_{t−1} + b g_t from v_0: v_0…v_T. */
function recursion(a: number, b: number, s: Stream): Float64Array[] {
  const states = [s.v0];
  for (const g of s.g) states.push(combine(a, states[states.length - 1] ?? s.v0, b, g));
  return states;
}

const momentum = (s: Stream) => recursion(s.alpha, s.epsilon, s);
const ema = (s: Stream) => recursion(s.beta, 1 - s.beta, s);
const streamData = (s: Stream) => ({ alpha: s.alpha, epsilon: s.epsilon, beta: s.beta, delta: s.delta, v0: entriesOf(s.v0), g: s.g.map(entriesOf) });

/**
 * A statement over the number of steps T: `evaluate` gives, for each t it applies to, the
 * value the method actually produces and the line's expression.
 */
function streamStatement(sizes: number[], evaluate: (s: Stream, rng: Rng) => { t: number; lhs: Float64Array; rhs: Float64Array }[]): Statement {
  return {
    sizes,
    cases: 12,
    sizeName: 'T',
    instance(rng, steps, k) {
      const s = stream(rng, steps, k);
      return evaluate(s, rng).map(({ t, lhs, rhs }): Instance => ({ data: streamData(s), at: `t=${t}`, lhs: Array.from(lhs), rhs: Array.from(rhs), relation: '=' }));
    },
  };
}

const times = (s: Stream, from = 1) => Array.from({ length: s.g.length - from + 1 }, (_, i) => i + from);
const at = <T>(list: readonly T[], i: number): T => {
  const value = list[i];
  if (value === undefined) throw new RangeError(`no entry ${i}`);
  return value;
};

/** Δθ_t = a Δθ_{t−1} − c g_t iterated on its own from Δθ_0. */
function updateRecursion(a: number, c: number, start: Float64Array, s: Stream): Float64Array[] {
  const updates = [start];
  for (const g of s.g) updates.push(combine(a, updates[updates.length - 1] ?? start, -c, g));
  return updates;
}

/** Two-point laws: each g_i is a_i with probability p_i, else b_i; v_0 likewise. */
interface Law {
  values: [number, number];
  p: number;
}
const mean = (law: Law) => law.p * law.values[0] + (1 - law.p) * law.values[1];

function drawLaw(rng: Rng): Law {
  return { values: [round2(rng.gaussian()), round2(rng.gaussian() + 1)], p: round2(rng.between(0.1, 0.9)) };
}

/** E[v_t] by enumerating every outcome of (v_0, g_1…g_t): the definition of the expectation. */
function enumeratedMean(beta: number, v0: Law, laws: readonly Law[]): number {
  let expectation = 0;
  const outcomes = 2 ** (laws.length + 1);
  for (let mask = 0; mask < outcomes; mask++) {
    let probability = mask & 1 ? v0.p : 1 - v0.p;
    let v = v0.values[mask & 1 ? 0 : 1];
    laws.forEach((law, i) => {
      const first = (mask >> (i + 1)) & 1;
      probability *= first ? law.p : 1 - law.p;
      v = beta * v + (1 - beta) * law.values[first ? 0 : 1];
    });
    expectation += probability * v;
  }
  return expectation;
}

/** A statement about expectations of the moving average, with exact means (no sampling). */
function expectationStatement(stationary: boolean, evaluate: (beta: number, v0: Law, laws: readonly Law[], t: number) => { lhs: number; rhs: number }): Statement {
  return {
    sizes: [1, 2, 3, 5],
    cases: 10,
    sizeName: 'T',
    instance(rng, steps) {
      const beta = round2(rng.between(0.1, 0.95));
      const v0 = drawLaw(rng);
      const first = drawLaw(rng);
      const laws = Array.from({ length: steps }, (_, i) => (stationary || i === 0 ? first : drawLaw(rng)));
      const { lhs, rhs } = evaluate(beta, v0, laws, steps);
      return { data: { beta, v0: { values: v0.values, p: v0.p }, g: laws.map((l) => ({ values: l.values, p: l.p })) }, lhs, rhs, relation: '=' };
    },
  };
}

const geometricWeights = (beta: number, t: number) => Array.from({ length: t }, (_, i) => beta ** (t - (i + 1)) * (1 - beta));
const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

export const QUESTION_2_EQUATIONS: readonly EquationEntry[] = [
  { number: 14, question: '2.1', statement: 'Δθ_t = −v_t', notCheckable: 'the update rule of momentum, as the question defines it' },
  {
    number: 15,
    question: '2.1',
    statement: 'Δθ_t = −(α v_{t−1} + ε g_t)',
    check: streamStatement([1, 2, 5], (s) => {
      const v = momentum(s);
      return times(s).map((t) => ({ t, lhs: scale(-1, at(v, t)), rhs: scale(-1, combine(s.alpha, at(v, t - 1), s.epsilon, at(s.g, t - 1))) }));
    }),
    notes: { holds: 'the momentum recursion substituted into Δθ_t = −v_t' },
  },
  {
    number: 16,
    question: '2.1',
    statement: 'Δθ_t = −(α(−Δθ_{t−1}) + ε g_t)',
    check: streamStatement([1, 2, 5], (s) => {
      const v = momentum(s);
      const update = v.map((x) => scale(-1, x));
      return times(s).map((t) => ({ t, lhs: at(update, t), rhs: scale(-1, combine(s.alpha, scale(-1, at(update, t - 1)), s.epsilon, at(s.g, t - 1))) }));
    }),
    notes: { holds: 'v_{t−1} = −Δθ_{t−1}' },
  },
  {
    number: 17,
    question: '2.1',
    statement: 'Δθ_t = α Δθ_{t−1} − ε g_t',
    check: streamStatement([1, 2, 5, 20], (s) => {
      const fromVelocity = momentum(s).map((x) => scale(-1, x));
      const iterated = updateRecursion(s.alpha, s.epsilon, scale(-1, s.v0), s);
      return times(s).map((t) => ({ t, lhs: at(fromVelocity, t), rhs: at(iterated, t) }));
    }),
    notes: { holds: 'iterating (17) on its own reproduces the updates of momentum at every step' },
  },
  { number: 18, question: '2.1', statement: 'Δθ_t = −δ v_t', notCheckable: 'the update rule of the moving-average method, as the question defines it' },
  {
    number: 19,
    question: '2.1',
    statement: 'Δθ_t = −δ(β v_{t−1} + (1−β) q_t)',
    reading: 'q_t is defined nowhere: as written it is an arbitrary vector',
    check: streamStatement([1, 2], (s, rng) => {
      const v = ema(s);
      return times(s).map((t) => {
        const q = simpleVector(rng, DIMENSION);
        return { t, lhs: scale(-s.delta, at(v, t)), rhs: scale(-s.delta, combine(s.beta, at(v, t - 1), 1 - s.beta, q)) };
      });
    }),
    correction: {
      text: 'q_t read as g_t',
      check: streamStatement([1, 2, 5], (s) => {
        const v = ema(s);
        return times(s).map((t) => ({ t, lhs: scale(-s.delta, at(v, t)), rhs: scale(-s.delta, combine(s.beta, at(v, t - 1), 1 - s.beta, at(s.g, t - 1))) }));
      }),
    },
    notes: { 'holds-as-corrected': 'a typo: with g_t in place of q_t the line is the moving-average recursion substituted into Δθ_t = −δ v_t' },
  },
  {
    number: 20,
    question: '2.1',
    statement: 'Δθ_t = −δ(β(−Δθ_{t−1}/δ) + (1−β) g_t)',
    check: streamStatement([1, 2, 5], (s) => {
      const update = ema(s).map((x) => scale(-s.delta, x));
      return times(s).map((t) => ({ t, lhs: at(update, t), rhs: scale(-s.delta, combine(s.beta, scale(-1 / s.delta, at(update, t - 1)), 1 - s.beta, at(s.g, t - 1))) }));
    }),
    notes: { holds: 'v_{t−1} = −Δθ_{t−1}/δ' },
  },
  {
    number: 21,
    question: '2.1',
    statement: 'Δθ_t = β Δθ_{t−1} − δ(1−β) g_t',
    check: streamStatement([1, 2, 5, 20], (s) => {
      const fromAverage = ema(s).map((x) => scale(-s.delta, x));
      const iterated = updateRecursion(s.beta, s.delta * (1 - s.beta), scale(-s.delta, s.v0), s);
      return times(s).map((t) => ({ t, lhs: at(fromAverage, t), rhs: at(iterated, t) }));
    }),
    notes: { holds: 'iterating (21) on its own reproduces the moving-average updates; with α = β and ε = δ(1−β) it is (17)' },
  },
  { number: 22, question: '2.2', statement: 'v_t = β v_{t−1} + (1−β) g_t', notCheckable: 'the moving-average recursion, as the question defines it' },
  {
    number: 23,
    question: '2.2',
    statement: 'v_t = β(β v_{t−2} + (1−β) g_{t−1}) + (1−β) g_t',
    check: streamStatement([2, 3, 5], (s) => {
      const v = ema(s);
      return times(s, 2).map((t) => ({
        t,
        lhs: at(v, t),
        rhs: combine(s.beta, combine(s.beta, at(v, t - 2), 1 - s.beta, at(s.g, t - 2)), 1 - s.beta, at(s.g, t - 1)),
      }));
    }),
    notes: { holds: 'one unrolling of the recursion' },
  },
  {
    number: 24,
    question: '2.2',
    statement: 'v_t = β(β(β v_{t−3} + (1−β) g_{t−2}) + (1−β) g_{t−1}) + (1−β) g_t',
    check: streamStatement([3, 4, 6], (s) => {
      const v = ema(s);
      const b = s.beta;
      return times(s, 3).map((t) => ({
        t,
        lhs: at(v, t),
        rhs: combine(b, combine(b, combine(b, at(v, t - 3), 1 - b, at(s.g, t - 3)), 1 - b, at(s.g, t - 2)), 1 - b, at(s.g, t - 1)),
      }));
    }),
    notes: { holds: 'two unrollings of the recursion' },
  },
  { number: 25, question: '2.2', statement: '⋮', notCheckable: 'an ellipsis: the unrolling continues' },
  {
    number: 26,
    question: '2.2',
    statement: 'v_t = β^t v_0 + Σ_{i=1}^t β^{t−i}(1−β) g_i',
    check: streamStatement([1, 2, 5, 30], (s) => {
      const v = ema(s);
      return times(s).map((t) => {
        let closed = scale(s.beta ** t, s.v0);
        for (let i = 1; i <= t; i++) closed = combine(1, closed, s.beta ** (t - i) * (1 - s.beta), at(s.g, i - 1));
        return { t, lhs: at(v, t), rhs: closed };
      });
    }),
    notes: { holds: 'the closed form equals the recursion, with v_0 ≠ 0 as well as v_0 = 0 (claim 2.2)' },
  },
  {
    number: 27,
    question: '2.2',
    statement: 'momentum: v_t = α^t v_0 + Σ_{i=1}^t α^{t−i}(1−α) g_i',
    check: streamStatement([1, 2, 5], (s) => {
      const v = momentum(s);
      return times(s).map((t) => {
        let closed = scale(s.alpha ** t, s.v0);
        for (let i = 1; i <= t; i++) closed = combine(1, closed, s.alpha ** (t - i) * (1 - s.alpha), at(s.g, i - 1));
        return { t, lhs: at(v, t), rhs: closed };
      });
    }),
    notes: {
      refuted:
        'momentum adds ε g_t, not (1−α) g_t: its unrolled form is v_t = α^t v_0 + ε Σ α^{t−i} g_i, and with α = β, ε = δ(1−β) it is δ times (26); (27) holds only when ε = 1 − α',
    },
  },
  {
    number: 28,
    question: '2.3',
    statement: 'E[v_t] = β^t E[v_0] + Σ_{i=1}^t β^{t−i}(1−β) E[g_i]',
    reading: 'g_i independent two-point random variables (not identically distributed), v_0 random too; E by exact enumeration of every outcome',
    check: expectationStatement(false, (beta, v0, laws, t) => ({
      lhs: enumeratedMean(beta, v0, laws),
      rhs: beta ** t * mean(v0) + sum(geometricWeights(beta, t).map((w, i) => w * mean(at(laws, i)))),
    })),
    notes: { holds: 'linearity of expectation, term by term' },
  },
  {
    number: 29,
    question: '2.3',
    statement: 'E[v_t] = β^t E[v_0] + E[g_t] Σ_{i=1}^t β^{t−i}(1−β)',
    reading: 'g_i independent and identically distributed two-point variables (the stationarity the question assumes)',
    check: expectationStatement(true, (beta, v0, laws, t) => ({
      lhs: enumeratedMean(beta, v0, laws),
      rhs: beta ** t * mean(v0) + mean(at(laws, t - 1)) * sum(geometricWeights(beta, t)),
    })),
    notes: { holds: 'stationarity makes every E[g_i] equal to E[g_t]' },
  },
  {
    number: 30,
    question: '2.3',
    statement: 'E[g_t] = (E[v_t] − β^t E[v_0]) / Σ_{i=1}^t β^{t−i}(1−β)',
    reading: 'as (29); the denominator equals 1 − β^t, so with v_0 = 0 this is the bias-corrected estimate v_t/(1 − β^t)',
    check: expectationStatement(true, (beta, v0, laws, t) => ({
      lhs: mean(at(laws, t - 1)),
      rhs: (enumeratedMean(beta, v0, laws) - beta ** t * mean(v0)) / sum(geometricWeights(beta, t)),
    })),
    notes: { holds: '(29) solved for E[g_t]' },
  },
];
