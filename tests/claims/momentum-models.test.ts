import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import {
  MOMENTUM_DEFAULTS,
  MOMENTUM_FORMULAS,
  type MomentumParams,
  biasClaim,
  intervalPlan,
  oneMinusPower,
  perCheckLevel,
  plannedHalfWidth,
  resolveEmaSetting,
} from '../../src/claims/momentum.js';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { PreparedClaim } from '../../src/claims/types.js';
import { batchLipschitz, miniBatchGradient } from '../../src/num/logistic.js';
import { empiricalBernsteinHalfWidth, summarizeSample } from '../../src/num/stats.js';
import { NOISE_MODELS } from '../../src/num/streams.js';
import { dumpTrial } from '../../src/run/runner.js';

/**
 * The models behind claims 2.1–2.3 that their verdicts alone do not pin down: how two typed
 * values must agree, the loss scale of the logistic run, where a perturbation witness says the
 * deviation is largest, and the planning and intervals of the Monte-Carlo. Each is recomputed
 * here by another route from what a trial records.
 */

const claimOf = (id: string, options: Record<string, string | undefined> = {}): PreparedClaim => {
  const given = Object.fromEntries(Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const claim = findCommand('momentum')?.prepare(given).claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no claim ${id}`);
  return claim;
};

describe('resolveEmaSetting: agreement to 9 digits, relative to the larger value, ties included', () => {
  it('accepts a pair whose difference is exactly 10⁻⁹ of the larger value (and more than 10⁻⁹ of the smaller)', () => {
    // Found by search: b − a is exactly fl(10⁻⁹·b) in floating point.
    const a = 0.5000000408701855;
    const b = 0.5000000413701855;
    expect(Math.abs(a - b)).toBe(1e-9 * b);
    expect(Math.abs(a - b)).toBeGreaterThan(1e-9 * a);
    expect(resolveEmaSetting({ beta: b, alpha: a, delta: null, epsilon: null }).beta).toBe(b);
    expect(resolveEmaSetting({ beta: a, alpha: b, delta: null, epsilon: null }).beta).toBe(a);
  });

  it('holds ε against δ(1−β) relative to their size when both are large: 5·10⁻¹⁰ apart is accepted, 5·10⁻⁹ refused', () => {
    // δ(1−β) = 10⁴ for δ = 10⁵, β = 0.9.
    const target = 1e5 * (1 - 0.9);
    expect(resolveEmaSetting({ beta: 0.9, alpha: null, delta: 1e5, epsilon: target * (1 + 5e-10) }).delta).toBe(1e5);
    expect(() => resolveEmaSetting({ beta: 0.9, alpha: null, delta: 1e5, epsilon: target * (1 + 5e-9) })).toThrow(/--epsilon/);
  });
});

describe('claim 2.1’s loss scale, recomputed from the recorded logistic problem', () => {
  const logisticOf = (options: Record<string, string | undefined>) => {
    const record = dumpTrial(claimOf('2.1', options), 1, 0);
    const inputs = record.inputs as { alpha: number; epsilon: number; beta: number; delta: number; logistic: { features: number[][]; labels: number[]; scale: number; batches: number[][] } };
    const data = { features: inputs.logistic.features.map((x) => Float64Array.from(x)), labels: Float64Array.from(inputs.logistic.labels) };
    // εL: the step times the largest curvature of a batch's loss, at the chosen scale.
    const stiffest = Math.max(...inputs.logistic.batches.map((batch) => batchLipschitz(data, batch))) * inputs.logistic.scale;
    return { ...inputs, epsilonL: inputs.epsilon * stiffest };
  };
  /** The largest root of ρ² − (1 + α + εL)ρ + α = 0: the majorant's growth per step. */
  const growth = (alpha: number, epsilonL: number) => {
    const b = 1 + alpha + epsilonL;
    return (b + Math.sqrt(b * b - 4 * alpha)) / 2;
  };

  it.each([
    [{}, 200],
    [{ beta: '0.99', steps: '300' }, 300],
  ])('%j: the error majorant grows by e^{4/T} per step, below the cap εL = 1 − β', (options, T) => {
    const { alpha, beta, epsilonL } = logisticOf(options);
    expect(growth(alpha, epsilonL) / Math.exp(4 / T)).toBeCloseTo(1, 12);
    expect(epsilonL).toBeLessThan(1 - beta);
  });

  it.each([
    [{ steps: '2' }, 2],
    [{ steps: '5', beta: '0.5' }, 5],
  ])('%j: a short run is capped at δκL = 1, i.e. εL = 1 − β, where the bound would allow faster growth', (options, T) => {
    const { alpha, beta, epsilonL } = logisticOf(options);
    expect(epsilonL / (1 - beta)).toBeCloseTo(1, 12);
    expect(growth(alpha, epsilonL)).toBeLessThan(Math.exp(4 / T));
  });
});

describe('claim 2.1’s perturbation witnesses, recomputed when the tolerance hides the perturbation', () => {
  type Inputs = { alpha: number; beta: number; delta: number; epsilon: number; theta0: number[]; gradients: number[][]; logistic: { features: number[][]; labels: number[]; scale: number; batches: number[][] } };
  /** Momentum (a, e) against the moving average (β, δ), by their definitions, on the stream or on the logistic problem. */
  function largestDeviation(inputs: Inputs, problem: 'random stream' | 'logistic regression', a: number, e: number) {
    const { beta, delta, theta0, gradients, logistic } = inputs;
    const data = { features: logistic.features.map((x) => Float64Array.from(x)), labels: Float64Array.from(logistic.labels), scale: logistic.scale };
    const start = problem === 'random stream' ? theta0 : theta0.map(() => 0);
    const gradientAt = (i: number, theta: number[]) => (problem === 'random stream' ? (gradients[i] as number[]) : Array.from(miniBatchGradient(data, logistic.batches[i] as number[], theta).gradient));
    let v = start.map(() => 0);
    let w = start.map(() => 0);
    let thetaA = [...start];
    let thetaB = [...start];
    let best = { ratio: -1, at: '', error: 0 };
    for (let i = 0; i < gradients.length; i++) {
      const gA = gradientAt(i, thetaA);
      const gB = gradientAt(i, thetaB);
      v = v.map((x, j) => a * x + e * (gA[j] as number));
      w = w.map((x, j) => beta * x + (1 - beta) * (gB[j] as number));
      thetaA = thetaA.map((x, j) => x - (v[j] as number));
      thetaB = thetaB.map((x, j) => x - delta * (w[j] as number));
      thetaB.forEach((b, j) => {
        const error = Math.abs((thetaA[j] as number) - b);
        // --rtol 1 --atol 1; the modelled rounding on top is 10¹⁴ times smaller.
        const ratio = error / (1 + Math.abs(b));
        if (ratio > best.ratio) best = { ratio, at: `${problem}, t=${i + 1}, entry ${j}`, error };
      });
    }
    return best;
  }

  it('with --rtol 1 --atol 1 the ε +1 % and α ≠ β witnesses fail, each naming the entry of largest deviation/allowance with that deviation', () => {
    // A tolerance as large as θ itself swallows a 1 % change: every ratio is below 1, and each
    // witness must still report where the deviation came closest, not a placeholder.
    const record = dumpTrial(claimOf('2.1', { rtol: '1', atol: '1', steps: '40' }), 1, 0);
    const inputs = record.inputs as Inputs;
    const { alpha, beta, epsilon } = inputs;
    for (const [name, a, e] of [
      ['ε changed by 1 %', alpha, epsilon * 1.01],
      ['α ≠ β (α = β + 0.01(1−β))', alpha + 0.01 * (1 - beta), epsilon],
    ] as const) {
      for (const problem of ['random stream', 'logistic regression'] as const) {
        const best = largestDeviation(inputs, problem, a, e);
        expect(best.ratio).toBeGreaterThan(0);
        expect(best.ratio).toBeLessThan(1);
        const witness = record.checks.find((c) => c.check.startsWith(name) && c.at.startsWith(problem));
        expect(witness?.passed, `${name}, ${problem}`).toBe(false);
        expect(witness?.at, `${name}, ${problem}`).toBe(best.at);
        expect((witness?.rhs as number) / best.error, `${name}, ${problem}`).toBeCloseTo(1, 6);
        expect((witness?.rhs as number) / (witness?.lhs as number) / best.ratio, `${name}, ${problem}`).toBeCloseTo(1, 6);
      }
    }
  });

  it('witnesses α ≠ β from T = 2 on, on both problems (the first update cannot show α)', () => {
    const record = dumpTrial(claimOf('2.1', { steps: '2' }), 1, 0);
    const witnesses = record.checks.filter((c) => c.check.startsWith('α ≠ β'));
    expect(witnesses.map((c) => c.at.split(',')[0])).toEqual(['random stream', 'logistic regression']);
    for (const w of witnesses) expect(w.passed).toBe(true);
  });
});

describe('claim 2.1’s logistic figures, against the checks of the same trial (n = 1, model only)', () => {
  it('the largest |θ_momentum − θ_EMA| is the largest error of the θ checks, not zero, and the allowance at T is that check’s', () => {
    // With one coordinate every check reports its only entry, and with --rtol 0 --atol 0 the θ
    // check allows exactly the doubled error-model bound.
    const record = dumpTrial(claimOf('2.1', { dim: '1', steps: '100', rtol: '0', atol: '0' }), 1, 0);
    const value = (key: string) => record.figures.find((f) => f.key === key)?.value as number;
    const thetaChecks = record.checks.filter((c) => c.check === 'momentum and EMA follow the same θ_t' && c.at.startsWith('logistic regression'));
    expect(thetaChecks).toHaveLength(100);
    const largest = Math.max(...thetaChecks.map((c) => Math.abs((c.lhs as number) - (c.rhs as number))));
    expect(largest).toBeGreaterThan(0);
    expect(value('logisticGap')).toBe(largest);
    expect(value('logisticAllowance')).toBe(thetaChecks.find((c) => c.at === 'logistic regression, t=100')?.allowed);
  });

  it('the logistic update and θ allowances are not vacuous: where the routes differ, the largest difference is ≥ 10⁻⁶ of its allowance', () => {
    const record = dumpTrial(claimOf('2.1', { dim: '1', steps: '100', rtol: '0', atol: '0' }), 1, 0);
    for (const name of ['momentum and EMA make the same update', 'momentum and EMA follow the same θ_t']) {
      const ratios = record.checks.filter((c) => c.check.startsWith(name) && c.at.startsWith('logistic regression')).map((c) => (c.error as number) / (c.allowed as number));
      expect(Math.max(...ratios), name).toBeGreaterThanOrEqual(1e-6);
      expect(Math.max(...ratios), name).toBeLessThanOrEqual(1);
    }
  });
});

describe('claim 2.3’s planning: the widest interval half-width a stream can show', () => {
  const alpha = () => perCheckLevel(0.9, MOMENTUM_DEFAULTS.steps);

  it('Gaussian streams: at least the half-width each trial shows, and within 30 % of it (the Chernoff factor on s²)', () => {
    const record = dumpTrial(claimOf('2.3'), 1, 0);
    const inputs = record.inputs as { beta: number; sigma: number; alpha: number; replications: Record<string, { times: number[] }> };
    expect(inputs.alpha).toBe(alpha());
    const plan = intervalPlan(inputs.alpha, MOMENTUM_DEFAULTS.samples);
    let compared = 0;
    for (const name of ['gaussian', 'ar1'] as const) {
      for (const t of inputs.replications[name]?.times ?? []) {
        const check = record.checks.find((c) => c.check.startsWith('E[v_t] = β^t v₀ + (1−β^t)μ, v₀ = 0') && c.at === `${name}, t=${t}`);
        const shown = check?.allowed as number;
        const planned = plannedHalfWidth(NOISE_MODELS[name], inputs.beta, inputs.sigma, t, plan);
        expect(planned, `${name}, t=${t}`).toBeGreaterThanOrEqual(shown);
        expect(planned, `${name}, t=${t}`).toBeLessThan(1.3 * shown);
        compared++;
      }
    }
    expect(compared).toBe(16);
  });

  it('the bounded stream: the Bernstein half-width of the two-point law on the range, whose variance is the largest any law there has', () => {
    const plan = intervalPlan(alpha(), 2000);
    const skewed = NOISE_MODELS.skewed;
    const support = skewed.support as { low: number; high: number };
    for (const sigma of [1, 2.5]) {
      for (const t of [1, 3, 20]) {
        const range = oneMinusPower(0.9, t) * sigma * (support.high - support.low);
        // Popoviciu: half the replications at each end of the range.
        const twoPoint = Float64Array.from({ length: 2000 }, (_, r) => (r % 2 === 0 ? 0 : range));
        const expected = empiricalBernsteinHalfWidth(summarizeSample(twoPoint), range, plan.alpha);
        expect(plannedHalfWidth(skewed, 0.9, sigma, t, plan) / expected, `σ = ${sigma}, t = ${t}`).toBeCloseTo(1, 9);
      }
    }
  });
});

const biasParams = (overrides: Partial<MomentumParams>): MomentumParams => ({ ...MOMENTUM_DEFAULTS, ...overrides });

describe('claim 2.3 where the bias must be made large: β = 0.5 and 20 replications', () => {
  it('μ is large enough for every stream to witness the bias at t = 1, and v₀ is still −2μ plus unit noise', () => {
    for (const trial of [0, 1, 2]) {
      const record = dumpTrial(bindClaim(biasClaim(), biasParams({ beta: 0.5, samples: 20 }), 'momentum'), 1, trial);
      const { mu, v0, sigma } = record.inputs as { mu: number; v0: number; sigma: number };
      // The plan asks β|μ| ≥ 2 × the widest interval at t = 1; with 20 replications that is far above 2.
      expect(Math.abs(mu)).toBeGreaterThan(2);
      expect(Math.abs(v0 + 2 * mu)).toBeLessThan(5 * sigma);
      for (const name of ['gaussian', 'skewed', 'ar1']) {
        const witness = record.checks.find((c) => c.check.startsWith('raw v_t is detectably biased') && c.at === `${name}, t=1`);
        expect(witness, `${name}, trial ${trial}`).toBeDefined();
        expect(witness?.passed).toBe(true);
      }
    }
  });
});

describe('claim 2.3’s interval of a wrong estimator that spreads wider than the stream’s range', () => {
  it('uses the observed spread of the estimates, not the narrower range of a right one', () => {
    // 3v_t/(1−β^t): three times the spread a correct correction can have.
    const tripled = { ...MOMENTUM_FORMULAS, biasCorrected: (v: number, beta: number, t: number) => (3 * v) / oneMinusPower(beta, t) };
    const record = dumpTrial(bindClaim(biasClaim(tripled), biasParams({}), 'momentum'), 1, 0);
    const inputs = record.inputs as { beta: number; sigma: number; alpha: number; replications: Record<string, { times: number[]; raw: number[][]; started: number[][] }> };
    const support = NOISE_MODELS.skewed.support as { low: number; high: number };
    const width = inputs.sigma * (support.high - support.low);
    const { times, raw, started } = inputs.replications.skewed as { times: number[]; raw: number[][]; started: number[][] };
    let widened = 0;
    times.forEach((t, k) => {
      const estimates = (raw[k] as number[]).map((v) => (3 * v) / oneMinusPower(inputs.beta, t));
      const spread = Math.max(...estimates) - Math.min(...estimates);
      if (spread > width) widened++;
      const expected = empiricalBernsteinHalfWidth(summarizeSample(estimates), Math.max(width, spread), inputs.alpha);
      const check = record.checks.find((c) => c.check.startsWith('corrected v_t/(1−β^t)') && c.at === `skewed, t=${t}`);
      expect((check?.allowed as number) / expected, `t=${t}`).toBeCloseTo(1, 9);
      // The runs started from v₀ ≠ 0 share the raw runs' range (1−β^t)·σ·(high − low).
      const startedValues = started[k] as number[];
      const startedRange = Math.max(oneMinusPower(inputs.beta, t) * width, Math.max(...startedValues) - Math.min(...startedValues));
      const startedCheck = record.checks.find((c) => c.check.startsWith('E[v_t] = β^t v₀ + (1−β^t)μ, v₀ ≠ 0') && c.at === `skewed, t=${t}`);
      expect((startedCheck?.allowed as number) / empiricalBernsteinHalfWidth(summarizeSample(startedValues), startedRange, inputs.alpha), `t=${t}`).toBeCloseTo(1, 9);
    });
    expect(widened).toBeGreaterThan(0);
  });
});

describe('claim 2.3’s figures, recomputed from the recorded replications', () => {
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const standardError = (xs: readonly number[]) => {
    const m = mean(xs);
    return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
  };
  /** A number printed to four significant digits matches the value it stands for. */
  const expectPrinted = (printed: string | undefined, value: number, what: string) => {
    expect(Math.abs(Number(printed) - value), what).toBeLessThanOrEqual(5.01e-4 * Math.abs(value));
  };

  it.each([[{}], [{ beta: 0.5, samples: 20 }]])('%j: the t = 1 line of every stream (means, z-scores, raw/μ against 1−β), and a second line only where a bias witness lies beyond t = 1', (overrides) => {
    const record = dumpTrial(bindClaim(biasClaim(), biasParams(overrides), 'momentum'), 1, 0);
    const inputs = record.inputs as { beta: number; mu: number; replications: Record<string, { times: number[]; raw: number[][] }> };
    const { beta, mu } = inputs;
    for (const name of ['gaussian', 'skewed', 'ar1']) {
      const raw = inputs.replications[name]?.raw[0] as number[];
      const corrected = raw.map((v) => v / (1 - beta));
      const line = String(record.figures.find((f) => f.key === `${name}.t1`)?.value);
      const numbers = /^μ (\S+) · corrected mean (\S+) \(z (\S+)\) · raw mean (\S+) \(z (\S+)\) · raw\/μ (\S+) vs 1−β\^t (\S+)$/.exec(line);
      expect(numbers, line).not.toBeNull();
      expectPrinted(numbers?.[1], mu, 'μ');
      expectPrinted(numbers?.[2], mean(corrected), 'corrected mean');
      expectPrinted(numbers?.[3], (mean(corrected) - mu) / standardError(corrected), 'corrected z');
      expectPrinted(numbers?.[4], mean(raw), 'raw mean');
      expectPrinted(numbers?.[5], (mean(raw) - mu) / standardError(raw), 'raw z');
      expectPrinted(numbers?.[6], mean(raw) / mu, 'raw/μ');
      expectPrinted(numbers?.[7], 1 - beta, '1−β');
      // The second line, at the largest t with a bias witness, only when that t is beyond 1.
      const witnessed = record.checks.filter((c) => c.check.startsWith('raw v_t is detectably biased') && c.at.startsWith(`${name}, t=`)).map((c) => Number(c.at.split('t=')[1]));
      expect(witnessed).toContain(1);
      const last = Math.max(...witnessed);
      const keys = record.figures.filter((f) => f.key.startsWith(`${name}.t`)).map((f) => f.key);
      expect(keys).toEqual(last > 1 ? [`${name}.t1`, `${name}.t${last}`] : [`${name}.t1`]);
    }
  });
});

describe('claim 2.2’s cancelling case', () => {
  it('starts v₀ on either side of zero, coordinate by coordinate', () => {
    const signs: number[] = [];
    for (const trial of [0, 1, 2]) {
      const inputs = dumpTrial(claimOf('2.2', { steps: '30' }), 1, trial).inputs as { cases: { label: string; v0: number[] }[] };
      const cancelling = inputs.cases.find((c) => c.label.startsWith('cancelling'));
      for (const start of cancelling?.v0 ?? []) signs.push(Math.sign(start));
    }
    expect(signs).toHaveLength(12);
    expect(new Set(signs)).toEqual(new Set([-1, 1]));
  });
});

describe('claim 2.1’s mini-batches', () => {
  it('one batch per step, and each new pass a uniform shuffle of the last: some point keeps its place from one pass to the next', () => {
    const inputs = dumpTrial(claimOf('2.1'), 1, 0).inputs as { logistic: { features: number[][]; batches: number[][] } };
    const { batches, features } = inputs.logistic;
    expect(batches).toHaveLength(MOMENTUM_DEFAULTS.steps);
    const size = (batches[0] as number[]).length;
    const perPass = features.length / size;
    const passes: number[][] = [];
    for (let start = 0; start + perPass <= batches.length; start += perPass) passes.push(batches.slice(start, start + perPass).flat());
    // A uniform permutation of 256 points leaves one in place on average (none with probability
    // ≈ 1/e); a shuffle that never does (Sattolo's cycles) would fail here in all 11 transitions.
    let kept = 0;
    for (let k = 1; k < passes.length; k++) kept += (passes[k] as number[]).filter((point, i) => (passes[k - 1] as number[])[i] === point).length;
    expect(passes.length).toBeGreaterThanOrEqual(12);
    expect(kept).toBeGreaterThan(0);
  });
});

describe('the momentum subcommand’s options', () => {
  it('refuses an inconsistent pair when the run is prepared, before any trial', () => {
    expect(() => findCommand('momentum')?.prepare({ beta: '0.9', alpha: '0.8' })).toThrow(/--alpha/);
    expect(() => findCommand('momentum')?.prepare({ delta: '0.1', epsilon: '0.5' })).toThrow(/--epsilon/);
  });
});
