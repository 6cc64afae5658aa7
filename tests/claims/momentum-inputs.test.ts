import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { perCheckLevel } from '../../src/claims/momentum.js';
import type { PreparedClaim } from '../../src/claims/types.js';
import { empiricalBernsteinHalfWidth, studentQuantile, summarizeSample } from '../../src/num/stats.js';
import { NOISE_MODELS } from '../../src/num/streams.js';
import { dumpTrial } from '../../src/run/runner.js';

/**
 * Claims 2.x hold for every gradient stream, so wrong inputs would pass unnoticed. These tests read
 * the inputs each trial records (--dump) and hold them to what the claims say they draw: streams
 * whose noise scale spans orders of magnitude across coordinates, mini-batches that sweep the
 * data once per pass, a cancelling case whose mean crosses zero, a Monte-Carlo mean μ large
 * enough for the bias to show, started far on the other side of zero.
 */
type Inputs = Record<string, unknown>;

const claimOf = (id: string): PreparedClaim => {
  const claim = findCommand('momentum')?.prepare({}).claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no claim ${id}`);
  return claim;
};

const column = (rows: number[][], j: number) => rows.map((row) => row[j] as number);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('claim 2.1’s inputs', () => {
  let trials: Inputs[] = [];
  beforeEach(() => {
    trials = [0, 1, 2, 3].map((trial) => dumpTrial(claimOf('2.1'), 1, trial).inputs as Inputs);
  });

  it('the random stream: per coordinate a noise s.d. in [10⁻², 10²] around a mean of order 1, and the scales differ across coordinates', () => {
    const spans: number[] = [];
    for (const inputs of trials) {
      const gradients = inputs.gradients as number[][];
      const dim = (gradients[0] as number[]).length;
      const sds = Array.from({ length: dim }, (_, j) => sd(column(gradients, j)));
      // 200 draws: the sample s.d. is within ±25 % of the scale with overwhelming probability.
      for (const s of sds) {
        expect(s).toBeGreaterThan(0.75e-2);
        expect(s).toBeLessThan(1.25e2);
      }
      spans.push(Math.max(...sds) / Math.min(...sds));
      for (let j = 0; j < dim; j++) expect(Math.abs(mean(column(gradients, j)))).toBeLessThan(5 + 4 * (sds[j] as number) / Math.sqrt(gradients.length));
    }
    // log10 of the scales is uniform on [−2, 2]: over 4 trials of 4 coordinates, some span exceeds 100.
    expect(Math.max(...spans)).toBeGreaterThan(100);
  });

  it('the mini-batches: 16 distinct points each, every point exactly once per pass of 256/16 batches, a new order each pass', () => {
    for (const inputs of trials) {
      const logistic = inputs.logistic as { features: number[][]; batches: number[][] };
      const points = logistic.features.length;
      const size = (logistic.batches[0] as number[]).length;
      expect(size).toBe(16);
      const perPass = points / size;
      const passes: string[] = [];
      for (let start = 0; start + perPass <= logistic.batches.length; start += perPass) {
        const pass = logistic.batches.slice(start, start + perPass).flat();
        expect(new Set(pass).size).toBe(points);
        expect(Math.min(...pass)).toBe(0);
        expect(Math.max(...pass)).toBe(points - 1);
        passes.push(pass.join(','));
      }
      expect(passes.length).toBeGreaterThanOrEqual(10);
      expect(new Set(passes).size).toBe(passes.length);
      // Shuffled: the first pass is not the points in order.
      expect(passes[0]).not.toBe(Array.from({ length: points }, (_, i) => i).join(','));
      // The run's last batches, in an unfinished pass, are still full and distinct.
      for (const batch of logistic.batches) expect(new Set(batch).size).toBe(size);
    }
  });
});

describe('claim 2.2’s inputs', () => {
  it('the cancelling case: v₀ of size 100–200 per coordinate, gradients whose mean has the opposite sign and noise 10⁻³ of it', () => {
    for (const trial of [0, 1, 2]) {
      const inputs = dumpTrial(claimOf('2.2'), 1, trial).inputs as { cases: { label: string; beta: number; v0: number[]; gradients: number[][] }[] };
      const cancelling = inputs.cases.find((c) => c.label.startsWith('cancelling'));
      expect(cancelling).toBeDefined();
      const { v0, gradients, beta } = cancelling as { v0: number[]; gradients: number[][]; beta: number };
      v0.forEach((start, j) => {
        expect(Math.abs(start)).toBeGreaterThanOrEqual(100);
        expect(Math.abs(start)).toBeLessThanOrEqual(200);
        const g = column(gradients, j);
        const m = mean(g);
        expect(Math.sign(m)).toBe(-Math.sign(start));
        expect(sd(g) / Math.abs(m)).toBeGreaterThan(0.5e-3);
        expect(sd(g) / Math.abs(m)).toBeLessThan(2e-3);
        // E[v_t] = β^t v₀ + (1 − β^t) m is 0 at t* = ln(m/(m − v₀))/ln β: near 1/(1 − β) steps.
        const crossing = Math.log(m / (m - start)) / Math.log(beta);
        expect(crossing).toBeGreaterThan(0.8 / (1 - beta));
        expect(crossing).toBeLessThan(1.2 / (1 - beta));
      });
    }
  });
});

describe('claim 2.3’s inputs', () => {
  it('μ of either sign, at least 1 in size, and v₀ about −2μ: the raw average starts on the far side of zero', () => {
    const signs = new Set<number>();
    for (const trial of [0, 1, 2, 3, 4, 5]) {
      const inputs = dumpTrial(claimOf('2.3'), 1, trial).inputs as { mu: number; v0: number; sigma: number };
      expect(Math.abs(inputs.mu)).toBeGreaterThanOrEqual(1);
      signs.add(Math.sign(inputs.mu));
      expect(Math.abs(inputs.v0 + 2 * inputs.mu)).toBeLessThan(5 * inputs.sigma);
      expect(Math.sign(inputs.v0)).toBe(-Math.sign(inputs.mu));
    }
    expect([...signs].sort()).toEqual([-1, 1]);
  });
});

describe('claim 2.2’s figures, recomputed from the recorded cases', () => {
  it('the deepest cancellation of the cancelling case and the gap of eq (27) as written in the v₀ = 0 case', () => {
    for (const trial of [0, 1]) {
      const record = dumpTrial(claimOf('2.2'), 1, trial);
      const { cases } = record.inputs as { cases: { label: string; beta: number; alpha: number; epsilon: number; v0: number[]; gradients: number[][]; times: number[] }[] };
      const value = (key: string) => record.figures.find((f) => f.key === key)?.value as number;
      // v_t = βv_{t−1} + (1−β)g_t and S_t = βS_{t−1} + (1−β)|g_t|, from v₀ and |v₀|, at the case's times.
      const cancelling = cases.find((c) => c.label.startsWith('cancelling'));
      if (cancelling === undefined) throw new Error('no cancelling case');
      let v = [...cancelling.v0];
      let S = cancelling.v0.map(Math.abs);
      let deepest = Number.POSITIVE_INFINITY;
      const times = new Set(cancelling.times);
      cancelling.gradients.forEach((g, i) => {
        v = v.map((x, j) => cancelling.beta * x + (1 - cancelling.beta) * (g[j] as number));
        S = S.map((x, j) => cancelling.beta * x + (1 - cancelling.beta) * Math.abs(g[j] as number));
        if (times.has(i + 1)) v.forEach((x, j) => (deepest = Math.min(deepest, Math.abs(x) / (S[j] as number))));
      });
      expect(value('cancellation') / deepest).toBeCloseTo(1, 6);
      expect(value('cancellation')).toBeLessThan(0.01);
      // Momentum from v₀ = 0 with ε against the same run with (1 − α) in ε's place.
      const first = cases[0];
      if (first === undefined) throw new Error('no first case');
      expect(first.v0.every((x) => x === 0)).toBe(true);
      let right = first.v0.map(() => 0);
      let written = first.v0.map(() => 0);
      let gap = 0;
      const firstTimes = new Set(first.times);
      first.gradients.forEach((g, i) => {
        right = right.map((x, j) => first.alpha * x + first.epsilon * (g[j] as number));
        written = written.map((x, j) => first.alpha * x + (1 - first.alpha) * (g[j] as number));
        if (firstTimes.has(i + 1)) right.forEach((x, j) => (gap = Math.max(gap, Math.abs((written[j] as number) - x))));
      });
      expect(value('asWrittenGap') / gap).toBeCloseTo(1, 9);
      expect(value('asWrittenGap')).toBeGreaterThan(0);
    }
  });
});

/** Trial 0 of claim 2.3: its record, its inputs and the per-check level α of its intervals. */
function biasTrial() {
  const record = dumpTrial(claimOf('2.3'), 1, 0);
  const inputs = record.inputs as { beta: number; mu: number; sigma: number; replications: Record<string, { times: number[]; raw: number[][] }> };
  const steps = findCommand('momentum')?.prepare({}).params.steps as number;
  return { record, inputs, alpha: perCheckLevel(inputs.beta, steps) };
}

describe('claim 2.3’s intervals, recomputed from the recorded replications', () => {
  it('gaussian and AR(1) streams: mean ± t_{1−α/2, R−1}·s/√R at the per-check level α; the check compares it with E[v_t]', () => {
    const { record, inputs, alpha } = biasTrial();
    let compared = 0;
    for (const model of ['gaussian', 'ar1']) {
      const { times, raw } = inputs.replications[model] as { times: number[]; raw: number[][] };
      times.forEach((t, k) => {
        const values = raw[k] as number[];
        const R = values.length;
        const halfWidth = (studentQuantile(1 - alpha / 2, R - 1) * sd(values)) / Math.sqrt(R);
        const check = record.checks.find((c) => c.check.startsWith('E[v_t] = β^t v₀ + (1−β^t)μ, v₀ = 0') && c.at === `${model}, t=${t}`);
        expect(check, `${model}, t=${t}`).toBeDefined();
        expect((check?.lhs as number) / mean(values)).toBeCloseTo(1, 10);
        expect((check?.allowed as number) / halfWidth).toBeCloseTo(1, 9);
        expect(check?.rhs).toBeCloseTo((1 - inputs.beta ** t) * inputs.mu, 12);
        compared++;
      });
    }
    expect(compared).toBe(16);
  });
});

describe('claim 2.3’s interval for the bounded skewed stream, recomputed', () => {
  it('the empirical Bernstein half-width with range (1−β^t)·σ·(high − low), or the observed spread when wider', () => {
    const { record, inputs, alpha } = biasTrial();
    const support = NOISE_MODELS.skewed.support as { low: number; high: number };
    const { times, raw } = inputs.replications.skewed as { times: number[]; raw: number[][] };
    times.forEach((t, k) => {
      const values = raw[k] as number[];
      const range = (1 - inputs.beta ** t) * inputs.sigma * (support.high - support.low);
      const spread = Math.max(...values) - Math.min(...values);
      expect(spread).toBeLessThanOrEqual(range * (1 + 1e-12));
      const halfWidth = empiricalBernsteinHalfWidth(summarizeSample(values), Math.max(range, spread), alpha);
      const check = record.checks.find((c) => c.check.startsWith('E[v_t] = β^t v₀ + (1−β^t)μ, v₀ = 0') && c.at === `skewed, t=${t}`);
      expect((check?.allowed as number) / halfWidth, `t=${t}`).toBeCloseTo(1, 9);
    });
  });
});
