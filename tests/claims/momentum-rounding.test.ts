import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { intervalPlan } from '../../src/claims/momentum.js';
import type { PreparedClaim } from '../../src/claims/types.js';
import { UNIT_ROUNDOFF } from '../../src/num/compare.js';
import { batchLipschitz, miniBatchGradient } from '../../src/num/logistic.js';
import { dumpTrial } from '../../src/run/runner.js';

/**
 * The rounding models of claims 2.1 and 2.2, worked out again here from a trial's recorded
 * inputs. With --rtol 0 --atol 0 a check's `allowed` (printed by --json) is its modelled
 * rounding alone, so every allowance can be compared with the model, term by term, to 1e-12.
 * Also: where a vector check names its worst entry, the figure of the deepest cancellation,
 * and the Student quantile of claim 2.3's Gaussian intervals.
 */

const u = UNIT_ROUNDOFF;

const claimOf = (id: string, options: Record<string, string>): PreparedClaim => {
  const claim = findCommand('momentum')?.prepare(options).claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no claim ${id}`);
  return claim;
};

const norm = (x: readonly number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/** A vector check's location "<where>, t=<t>, entry <j>", split up; it must name an entry. */
function located(at: string): { where: string; t: number; j: number } {
  const match = /^(.*), t=(\d+), entry (\d+)$/.exec(at);
  if (match === null) throw new Error(`no entry named in "${at}"`);
  return { where: match[1] as string, t: Number(match[2]), j: Number(match[3]) };
}

const expectRelative = (actual: number, expected: number, what: string) => {
  expect(expected, what).toBeGreaterThan(0);
  expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(1e-12 * expected);
};

/**
 * A linear recursion v_t = a·v_{t−1} + b·g_t run by hand, with its rounding bound and its
 * sum of absolute terms. One step rounds the two products and their sum (2u on each product's
 * size), and a coefficient b that carries k roundings of its own adds k·u|b·g_t|:
 *   R_t = a R_{t−1} + 2u|a v_{t−1}| + (2 + k)u|b g_t|,   S_t = a S_{t−1} + |b g_t|,  S_0 = |v_0|.
 * (a > 0 in every run here.)
 */
function recursionByHand(a: number, b: number, v0: readonly number[], gradients: readonly number[][], k: number) {
  const states = [v0.slice()];
  const roundings = [v0.map(() => 0)];
  const sums = [v0.map(Math.abs)];
  gradients.forEach((g, i) => {
    const v = states[i] as number[];
    const carried = v.map((x) => a * x);
    const input = g.map((x) => b * x);
    states.push(carried.map((c, j) => c + (input[j] as number)));
    roundings.push((roundings[i] as number[]).map((r, j) => a * r + 2 * u * Math.abs(carried[j] as number) + (2 + k) * u * Math.abs(input[j] as number)));
    sums.push((sums[i] as number[]).map((s, j) => a * s + Math.abs(input[j] as number)));
  });
  return { states, roundings, sums };
}

/** Claim 2.1's record (a type, not an interface: a record's inputs cast only to a type with an index signature). */
type EquivalenceInputs = {
  alpha: number;
  beta: number;
  delta: number;
  epsilon: number;
  theta0: number[];
  gradients: number[][];
  logistic: { features: number[][]; labels: number[]; scale: number; batches: number[][] };
};

/** θ_t = θ_{t−1} + Δθ_t from θ_0. */
const accumulated = (theta0: readonly number[], updates: readonly number[][]) => {
  const thetas = [theta0.slice()];
  for (let t = 1; t < updates.length; t++) thetas.push((thetas[t - 1] as number[]).map((p, j) => p + ((updates[t] as number[])[j] as number)));
  return thetas;
};

describe('claim 2.1 on the random stream: every allowance is its rounding model (--rtol 0 --atol 0)', () => {
  it('eq (17), eq (21), the same update and the same θ at every t, and the two perturbation witnesses', () => {
    const record = dumpTrial(claimOf('2.1', { dim: '3', steps: '25', rtol: '0', atol: '0' }), 1, 0);
    const { alpha, beta, delta, epsilon, theta0, gradients } = record.inputs as EquivalenceInputs;
    const zero = theta0.map(() => 0);

    // Momentum v_t = αv_{t−1} + εg_t, Δθ = −v: ε = fl(δ·fl(1−β)) is two roundings from the exact δ(1−β), so k = 2.
    const momentumRun = (a: number, e: number) => {
      const run = recursionByHand(a, e, zero, gradients, 2);
      const updates = run.states.map((v) => v.map((x) => -1 * x));
      return { updates, thetas: accumulated(theta0, updates), rounding: run.roundings };
    };
    // The average w_t = βw_{t−1} + (1−β)g_t (1−β rounded once, k = 1), Δθ = −δ w_t: δ scales
    // w_t's bound and the product δ·w_t rounds once more, B_t = δR_t + u|δ w_t|.
    const averageRun = recursionByHand(beta, 1 - beta, zero, gradients, 1);
    const averageUpdates = averageRun.states.map((w) => w.map((x) => -delta * x));
    const averageThetas = accumulated(theta0, averageUpdates);
    const averageRounding = averageRun.roundings.map((r, t) => r.map((x, j) => delta * x + u * Math.abs((averageUpdates[t] as number[])[j] as number)));
    // Eq (21) as its own recursion Δθ_t = βΔθ_{t−1} − δ(1−β)g_t, the coefficient two roundings off.
    const eq21Rounding = recursionByHand(beta, delta * (1 - beta), zero, gradients, 2).roundings;
    // |θ^A_t − θ^B_t|: the update bounds add up, and each θ_t = θ_{t−1} + Δθ_t rounds once per route.
    const thetaBound = (rounding: number[][], thetas: number[][]) => {
      const bounds = [zero.slice()];
      for (let t = 1; t < thetas.length; t++) {
        bounds.push((bounds[t - 1] as number[]).map((p, j) => p + ((rounding[t] as number[])[j] as number) + ((averageRounding[t] as number[])[j] as number) + u * (Math.abs((thetas[t] as number[])[j] as number) + Math.abs((averageThetas[t] as number[])[j] as number))));
      }
      return bounds;
    };
    const momentum = momentumRun(alpha, epsilon);
    const momentumTheta = thetaBound(momentum.rounding, momentum.thetas);

    // Two routes, each within its own bound of the exact value: the bounds add, then doubled.
    const models: Record<string, { allowed: (t: number, j: number) => number; expected: (t: number, j: number) => number }> = {
      // Eq (17) run by the formula and by the definition: the same operations, each within R^A_t.
      'eq (17)': { allowed: (t, j) => 2 * (2 * ((momentum.rounding[t] as number[])[j] as number)), expected: (t, j) => (momentum.updates[t] as number[])[j] as number },
      'eq (21)': {
        allowed: (t, j) => 2 * (((averageRounding[t] as number[])[j] as number) + ((eq21Rounding[t] as number[])[j] as number)),
        expected: (t, j) => (averageUpdates[t] as number[])[j] as number,
      },
      'momentum and EMA make the same update': {
        allowed: (t, j) => 2 * (((momentum.rounding[t] as number[])[j] as number) + ((averageRounding[t] as number[])[j] as number)),
        expected: (t, j) => (averageUpdates[t] as number[])[j] as number,
      },
      'momentum and EMA follow the same θ_t': { allowed: (t, j) => 2 * ((momentumTheta[t] as number[])[j] as number), expected: (t, j) => (averageThetas[t] as number[])[j] as number },
    };
    let compared = 0;
    for (const [prefix, model] of Object.entries(models)) {
      const checks = record.checks.filter((c) => c.check.startsWith(prefix) && c.at.startsWith('random stream'));
      expect(checks, prefix).toHaveLength(25);
      for (const check of checks) {
        const { t, j } = located(check.at);
        expect(check.rhs, `${prefix} at ${check.at}`).toBe(model.expected(t, j));
        expectRelative(check.allowed as number, model.allowed(t, j), `${prefix} at ${check.at}`);
        compared++;
      }
    }
    expect(compared).toBe(100);

    // The witnesses: momentum with ε made 1 % larger, or α = β + 0.01(1−β), against the average;
    // each reports the entry where |θ^A − θ^B| / (its doubled θ bound) is largest.
    for (const [prefix, a, e] of [
      ['ε changed by 1 %', alpha, epsilon * (1 + 0.01)],
      ['α ≠ β', alpha + 0.01 * (1 - beta), epsilon],
    ] as const) {
      const perturbed = momentumRun(a, e);
      const bounds = thetaBound(perturbed.rounding, perturbed.thetas);
      let best = { ratio: -1, at: '', allowed: 0, error: 0 };
      for (let t = 1; t <= 25; t++) {
        for (let j = 0; j < 3; j++) {
          const error = Math.abs(((perturbed.thetas[t] as number[])[j] as number) - ((averageThetas[t] as number[])[j] as number));
          const allowed = 2 * ((bounds[t] as number[])[j] as number);
          if (error / allowed > best.ratio) best = { ratio: error / allowed, at: `random stream, t=${t}, entry ${j}`, allowed, error };
        }
      }
      const witness = record.checks.find((c) => c.check.startsWith(prefix) && c.at.startsWith('random stream'));
      expect(witness?.at, prefix).toBe(best.at);
      expectRelative(witness?.lhs as number, best.allowed, `${prefix}: allowance`);
      expectRelative(witness?.rhs as number, best.error, `${prefix}: deviation`);
    }
  });
});

describe('claim 2.1 on logistic regression: the lock-step error majorant (--rtol 0 --atol 0)', () => {
  it.each([
    [{ dim: '3', steps: '30' }],
    [{ dim: '2', steps: '20', beta: '0.5', delta: '0.3' }],
  ])('%j: the same update is allowed 2U_t and the same θ 2Θ_t, recomputed step by step', (options) => {
    const record = dumpTrial(claimOf('2.1', { ...options, rtol: '0', atol: '0' }), 1, 0);
    const { alpha, beta, delta, epsilon, logistic } = record.inputs as EquivalenceInputs;
    const data = { features: logistic.features.map((x) => Float64Array.from(x)), labels: Float64Array.from(logistic.labels), scale: logistic.scale };
    const dim = logistic.features[0]?.length ?? 0;
    let thetaA = new Array<number>(dim).fill(0);
    let thetaB = new Array<number>(dim).fill(0);
    let velocity = new Array<number>(dim).fill(0);
    let average = new Array<number>(dim).fill(0);
    // e_t bounds ‖v_t − δw_t‖ (momentum's velocity against δ times the average), Θ_t bounds ‖θ^A_t − θ^B_t‖:
    //   e_t = α e_{t−1} + ε (L_t Θ_{t−1} + ρ^A_t + ρ^B_t) + local_t, with L_t = κ × the batch's
    //   Lipschitz bound and ρ each gradient's own rounding bound; local_t is this step's rounding:
    //   2u(α‖v_{t−1}‖ + ε‖g^A‖) for v = αv + εg, 2uε‖g^A‖ for ε against the exact δ(1−β), and
    //   δ(2uβ‖w_{t−1}‖ + 3u(1−β)‖g^B‖) for w = βw + (1−β)g (1−β itself rounded) scaled by δ;
    //   U_t = e_t + u‖Δθ^B_t‖ (the product δ·w rounds); Θ_t = Θ_{t−1} + U_t + u(‖θ^A_t‖ + ‖θ^B_t‖).
    let e = 0;
    let big = 0;
    const updateBound = [0];
    const thetaBound = [0];
    const thetasB = [thetaB];
    logistic.batches.forEach((batch) => {
      const gA = miniBatchGradient(data, batch, thetaA);
      const gB = miniBatchGradient(data, batch, thetaB);
      const L = data.scale * batchLipschitz(data, batch);
      const gANorm = norm(Array.from(gA.gradient));
      const local = 2 * u * (alpha * norm(velocity) + epsilon * gANorm) + 2 * u * epsilon * gANorm + delta * (2 * u * beta * norm(average) + 3 * u * (1 - beta) * norm(Array.from(gB.gradient)));
      e = alpha * e + epsilon * (L * big + gA.roundingBound + gB.roundingBound) + local;
      velocity = velocity.map((v, j) => alpha * v + epsilon * (gA.gradient[j] as number));
      average = average.map((w, j) => beta * w + (1 - beta) * (gB.gradient[j] as number));
      const updateB = average.map((w) => -delta * w);
      thetaA = thetaA.map((x, j) => x + -(velocity[j] as number));
      thetaB = thetaB.map((x, j) => x + (updateB[j] as number));
      const U = e + u * norm(updateB);
      big = big + U + u * (norm(thetaA) + norm(thetaB));
      updateBound.push(U);
      thetaBound.push(big);
      thetasB.push(thetaB);
    });
    const T = logistic.batches.length;
    for (const [prefix, bound] of [
      ['momentum and EMA make the same update', updateBound],
      ['momentum and EMA follow the same θ_t', thetaBound],
    ] as const) {
      const checks = record.checks.filter((c) => c.check.startsWith(prefix) && c.at.startsWith('logistic regression'));
      expect(checks, prefix).toHaveLength(T);
      for (const check of checks) {
        const { t, j } = located(check.at);
        if (prefix.endsWith('θ_t')) expect(check.rhs, check.at).toBe((thetasB[t] as number[])[j]);
        expectRelative(check.allowed as number, 2 * (bound[t] as number), `${prefix} at ${check.at}`);
      }
    }
  });
});

describe('claim 2.2: the closed forms are allowed 2((t + 5)u S_t + R_t) (--rtol 0 --atol 0)', () => {
  it('in every case, for the average and for momentum, at the entry each check names', () => {
    const record = dumpTrial(claimOf('2.2', { dim: '2', steps: '20', rtol: '0', atol: '0' }), 1, 0);
    const { delta, cases } = record.inputs as { delta: number; cases: { label: string; beta: number; alpha: number; epsilon: number; v0: number[]; gradients: number[][]; times: number[] }[] };
    // Summing t + 1 terms, each a power (2u from Math.pow) times two factors, errs by at most
    // (t + 5)u·S_t, S_t the sum of the terms' absolute values; the recursion's own bound R_t adds.
    let compared = 0;
    for (const c of cases) {
      const runs = {
        // The average: coefficient 1 − β rounded once.
        'eq (26) unrolled EMA': recursionByHand(c.beta, 1 - c.beta, c.v0, c.gradients, 1),
        // Momentum from δ·v₀, coefficients taken as given.
        'unrolled momentum': recursionByHand(c.alpha, c.epsilon, c.v0.map((v) => delta * v), c.gradients, 0),
      };
      for (const [prefix, run] of Object.entries(runs)) {
        const checks = record.checks.filter((check) => check.check.startsWith(prefix) && check.at.startsWith(`${c.label}, t=`));
        expect(checks, `${prefix}, ${c.label}`).toHaveLength(c.times.length);
        for (const check of checks) {
          const { where, t, j } = located(check.at);
          expect(where).toBe(c.label);
          expect(check.rhs, check.at).toBe((run.states[t] as number[])[j]);
          const slack = 2 * ((t + 5) * u * ((run.sums[t] as number[])[j] as number) + ((run.roundings[t] as number[])[j] as number));
          expectRelative(check.allowed as number, slack, `${prefix} at ${check.at}`);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('claim 2.2’s deepest cancellation is the cancelling case’s alone', () => {
  it('even in a trial where the v₀ ≠ 0 case comes closer to zero (n = 8, trial 3)', () => {
    const record = dumpTrial(claimOf('2.2', { dim: '8' }), 1, 3);
    const { cases } = record.inputs as { cases: { label: string; beta: number; v0: number[]; gradients: number[][]; times: number[] }[] };
    // min over the case's times and entries of |v_t| / S_t, for v_t = βv_{t−1} + (1−β)g_t.
    const deepest = (c: (typeof cases)[number]) => {
      const run = recursionByHand(c.beta, 1 - c.beta, c.v0, c.gradients, 1);
      let smallest = Number.POSITIVE_INFINITY;
      for (const t of c.times) (run.states[t] as number[]).forEach((v, j) => (smallest = Math.min(smallest, Math.abs(v) / ((run.sums[t] as number[])[j] as number))));
      return smallest;
    };
    const cancelling = cases.find((c) => c.label.startsWith('cancelling'));
    if (cancelling === undefined) throw new Error('no cancelling case');
    const others = Math.min(...cases.filter((c) => c !== cancelling).map(deepest));
    const figure = record.figures.find((f) => f.key === 'cancellation')?.value as number;
    expect(Math.abs(figure / deepest(cancelling) - 1)).toBeLessThan(1e-9);
    // What makes this trial a test: another case dips deeper than the cancelling one.
    expect(others).toBeLessThan(0.5 * deepest(cancelling));
  });
});

describe('claim 2.3’s Gaussian intervals use Student’s t with n − 1 degrees of freedom', () => {
  /**
   * P(|T| > c) for Student's t with an odd number ν of degrees of freedom, in closed form:
   * with θ = atan(c/√ν), P(|T| ≤ c) = (2/π)[θ + sin θ (cos θ + (2/3)cos³θ + … + (2·4⋯(ν−3))/(3·5⋯(ν−2)) cos^(ν−2)θ)].
   */
  const twoSidedTail = (c: number, nu: number) => {
    const theta = Math.atan(c / Math.sqrt(nu));
    // The bracketed sum has (ν − 1)/2 terms: none for ν = 1.
    let term = Math.cos(theta);
    let sum = nu >= 3 ? term : 0;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= ((k - 1) / k) * Math.cos(theta) ** 2;
      sum += term;
    }
    // 1 − 2θ/π = 2φ/π with φ = atan(√ν/c): keeps the digits the subtraction would lose.
    return (2 / Math.PI) * (Math.atan(Math.sqrt(nu) / c) - Math.sin(theta) * sum);
  };

  it('the closed form is right where it is known: ν = 1 (Cauchy) and ν = 3 at c = √3', () => {
    expect(twoSidedTail(1, 1)).toBeCloseTo(0.5, 14);
    // ν = 3, c = √3: θ = π/4, P(|T| ≤ c) = (2/π)(π/4 + ½) = ½ + 1/π.
    expect(twoSidedTail(Math.sqrt(3), 3)).toBeCloseTo(0.5 - 1 / Math.PI, 14);
  });

  it('20 replications: the t = 1 half-width over the standard error is the two-sided α quantile with 19 degrees of freedom', () => {
    const record = dumpTrial(claimOf('2.3', { samples: '20' }), 1, 0);
    const inputs = record.inputs as { alpha: number; replications: Record<string, { raw: number[][] }> };
    const raw = inputs.replications.gaussian?.raw[0] as number[];
    const mean = raw.reduce((s, x) => s + x, 0) / raw.length;
    const standardError = Math.sqrt(raw.reduce((s, x) => s + (x - mean) ** 2, 0) / (raw.length - 1) / raw.length);
    const check = record.checks.find((c) => c.check.startsWith('E[v_t] = β^t v₀ + (1−β^t)μ, v₀ = 0') && c.at === 'gaussian, t=1');
    const critical = (check?.allowed as number) / standardError;
    expect(Math.abs(twoSidedTail(critical, 19) / inputs.alpha - 1)).toBeLessThan(1e-5);
    expect(Math.abs(twoSidedTail(intervalPlan(inputs.alpha, 20).critical, 19) / inputs.alpha - 1)).toBeLessThan(1e-5);
  });
});

describe('claim 2.3’s planned half-width bounds the sample variance with n − 1 degrees of freedom', () => {
  it('the variance factor c solves the Chernoff bound exp(−(n − 1)(c − 1 − ln c)/2) = α', () => {
    // s² of n Gaussian replications is σ²·χ²_{n−1}/(n − 1); P(χ²_df ≥ c·df) ≤ exp(−df(c − 1 − ln c)/2).
    for (const [alpha, n] of [
      [0.01, 20],
      [1e-4, 200],
      [0.05, 2000],
    ] as const) {
      const { varianceRatio: c } = intervalPlan(alpha, n);
      expect(c).toBeGreaterThan(1);
      expect(Math.abs(((n - 1) * (c - 1 - Math.log(c))) / 2 / Math.log(1 / alpha) - 1), `α = ${alpha}, n = ${n}`).toBeLessThan(1e-9);
    }
  });
});
