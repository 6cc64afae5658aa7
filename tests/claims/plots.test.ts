import { beforeEach, describe, expect, it } from 'vitest';
import { MOMENTUM_DEFAULTS, biasClaim } from '../../src/claims/momentum.js';
import { RNN_EQUIV_DEFAULTS, equivalenceClaim as rnnEquivalence } from '../../src/claims/rnn-equiv.js';
import { MAX_PLOT_POINTS, PARABOLA_SAMPLES, decreasePlot, jacobianDecayPlot, logSpacedIndices, remainderPlot, series, thinnedIndices, witnessPlot } from '../../src/claims/plots.js';
import { bindClaim, type ClaimDefinition } from '../../src/claims/subcommand.js';
import { TAYLOR_DEFAULTS, decreaseClaim, taylorStepClaim } from '../../src/claims/taylor.js';
import type { Figure, Plot, PlotSeries } from '../../src/claims/types.js';
import { VANISH_DEFAULTS, VANISH_FORMULAS, explodingClaim, vanishingClaim } from '../../src/claims/vanish.js';
import { WEIGHTNORM_DEFAULTS, equivalenceClaim, normGrowthClaim } from '../../src/claims/weightnorm.js';
import { runClaim, runTrial } from '../../src/run/runner.js';
import { boundOnePowerTooSmall } from '../../fixtures/broken-claims.js';

// Each describe computes its trial in beforeEach, not in its body: code run while tests are being
// collected is outside every test, so Stryker could neither activate a mutant in it nor tell
// which tests cover it (see the Reliability section of the README).

/** The plots and figures of one trial of a claim, as the runner's example would carry them. */
function trialOf<P>(definition: ClaimDefinition<P>, params: P, command: string, seed = 1, trial = 0): { plots: Plot[]; figures: Figure[] } {
  const outcome = runTrial(bindClaim(definition, params, command), seed, trial);
  return { plots: outcome.plots?.() ?? [], figures: outcome.figures ?? [] };
}

function seriesOf(plot: Plot | undefined, label: string): PlotSeries {
  const found = plot?.series.find((s) => s.label === label || s.label.startsWith(label));
  if (found === undefined) throw new Error(`no series "${label}" in ${plot?.key}: ${plot?.series.map((s) => s.label).join(', ')}`);
  return found;
}

const values = (s: PlotSeries): number[] => s.y.map((y) => y ?? Number.NaN);
const figure = (figures: Figure[], key: string) => figures.find((f) => f.key === key)?.value;

describe('plot builders, on data given here', () => {
  it('index helpers: nothing for an empty series, every index of a short one, increasing log-spaced ones of a long one', () => {
    expect(thinnedIndices(0)).toEqual([]);
    expect(logSpacedIndices(0)).toEqual([]);
    expect(logSpacedIndices(5)).toEqual([0, 1, 2, 3, 4]);
    expect(logSpacedIndices(MAX_PLOT_POINTS)).toEqual(Array.from({ length: MAX_PLOT_POINTS }, (_, i) => i));
    const long = logSpacedIndices(100000, 30);
    expect(long[0]).toBe(0);
    expect(long.at(-1)).toBe(99999);
    for (let k = 1; k < long.length; k++) expect(long[k] as number).toBeGreaterThan(long[k - 1] as number);
  });

  it('a series stops at the shorter of its x and y', () => {
    expect(series('s', 'measured', [1, 2, 3, 4], [10, 20])).toEqual({ label: 's', role: 'measured', x: [1, 2], y: [10, 20] });
    expect(series('s', 'measured', [1, 2], [10, 20, 30])).toEqual({ label: 's', role: 'measured', x: [1, 2], y: [10, 20] });
  });

  it('norm plots draw the bound at every t up to the longest curve’s last time', () => {
    const curves = [
      { label: 'a', norms: [1, 0.5] },
      { label: 'b', norms: [0.9, 0.1, 0.01], times: [1, 4, 9] },
    ];
    for (const plot of [jacobianDecayPlot('k', 'tanh', 0.5, curves, (t) => 0.5 ** t), witnessPlot('k', 'tanh', curves, () => 1)]) {
      expect(plot.series[0]?.x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(plot.series[2]?.x).toEqual([1, 4, 9]);
      expect(plot.x).toEqual({ label: 't', scale: 'linear' });
      expect(plot.y).toEqual({ label: '‖∂g_t/∂g_0‖', scale: 'log' });
    }
    expect(jacobianDecayPlot('k', 'tanh', 0.5, curves, (t) => 0.5 ** t).series[0]?.y).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => 0.5 ** t));
    expect(jacobianDecayPlot('k', 'tanh', 0.5, [], (t) => t).series[0]?.x).toEqual([]);
  });

  it('the slope-3 line of a remainder plot passes through the geometric mean of |r|/ε³ over the fitted points', () => {
    const samples = [
      { epsilon: 0.1, remainder: -2e-3 },
      { epsilon: 0.05, remainder: -2.6e-4 },
      { epsilon: 0.025, remainder: -3e-5 },
    ];
    const fitted = samples.slice(1);
    const plot = remainderPlot('k', 'f', samples, fitted, 3.01);
    const C = Math.sqrt((2.6e-4 / 0.05 ** 3) * (3e-5 / 0.025 ** 3));
    const line = plot.series[0]?.y as number[];
    samples.forEach((p, i) => expect((line[i] as number) / (C * p.epsilon ** 3)).toBeCloseTo(1, 12));
    expect(plot.band).toEqual({ from: 0.025, to: 0.05, label: 'ε of the fit' });
    expect(plot.x).toEqual({ label: 'ε', scale: 'log' });
    expect(remainderPlot('k', 'f', samples, [], 3).band).toBeUndefined();
  });

  it('a parabola spans 0…1.3·limit when the interval is bounded, else 0…2·scale (or 0…2), in evenly spaced samples', () => {
    const phi = (e: number) => 1 - e + e * e;
    // limit = 2 (not 1, where 1.3·limit and 1.3/limit would agree).
    const bounded = decreasePlot('k', 'pd H', 1, phi, 2, 1, 1);
    const xs = bounded.series[1]?.x as number[];
    expect(xs).toHaveLength(PARABOLA_SAMPLES);
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBeCloseTo(2.6, 14);
    expect((xs[1] as number) - (xs[0] as number)).toBeCloseTo(2.6 / (PARABOLA_SAMPLES - 1), 14);
    expect(bounded.markers).toEqual([
      { x: 1, label: 'ε* = gᵀg/gᵀHg' },
      { x: 2, label: '2gᵀg/gᵀHg' },
    ]);
    expect(bounded.series[1]?.y).toEqual(xs.map(phi));
    expect(bounded.x).toEqual({ label: 'ε', scale: 'linear' });
    expect(bounded.y).toEqual({ label: 'f̂(x₀ − εg)', scale: 'linear' });
    const open = decreasePlot('k', 'nd H', 1, (e) => 1 - e, Number.POSITIVE_INFINITY, null, 3);
    expect(open.series[1]?.x.at(-1)).toBeCloseTo(6, 14);
    expect(open.markers).toEqual([]);
    expect(open.band).toEqual({ from: 0, to: 6, label: 'every ε > 0 decreases f̂ (gᵀHg ≤ 0)' });
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(decreasePlot('k', 'nd H', 1, (e) => -e, 0, Number.NaN, scale).series[1]?.x.at(-1)).toBeCloseTo(2, 14);
    // No ε* marker for a best step that is not a finite number.
    expect(decreasePlot('k', 'nd H', 1, (e) => -e, 0, Number.NaN, 1).markers).toEqual([]);
    expect(decreasePlot('k', 'nd H', 1, (e) => -e, 0, Number.POSITIVE_INFINITY, 1).markers).toEqual([]);
  });
});

describe('plot data helpers', () => {
  it('thins a long series to at most the limit, keeping the first and last points in order', () => {
    const kept = thinnedIndices(1000, 50);
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(999);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });

  it('keeps every point of a short series', () => {
    expect(thinnedIndices(7, 50)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('spaces indices on a log scale for training runs: every one of the first steps is kept', () => {
    const kept = logSpacedIndices(10_001, 100);
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(kept[kept.length - 1]).toBe(10_000);
  });

  it('turns non-finite values into gaps (null) and drops points without a finite x', () => {
    const s = series('s', 'measured', [0, 1, Number.NaN, 3], [1, Number.POSITIVE_INFINITY, 2, Number.NaN]);
    expect(s.x).toEqual([0, 1, 3]);
    expect(s.y).toEqual([1, null, null]);
  });

  it('caps every series at MAX_PLOT_POINTS', () => {
    const n = 5 * MAX_PLOT_POINTS;
    const s = series('s', 'measured', Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => i * i));
    expect(s.x.length).toBeLessThanOrEqual(MAX_PLOT_POINTS);
    // Thinning picks points, it never moves them.
    s.x.forEach((x, i) => expect(s.y[i]).toBe(x * x));
  });
});

describe('claim 1.2 plot: ‖∂g_t/∂g_0‖ under δ^t', () => {
  const params = { ...VANISH_DEFAULTS, steps: 12, dim: 5 };
  let plot: Plot | undefined;
  beforeEach(() => {
    plot = trialOf(vanishingClaim(), params, 'vanish').plots[0];
  });

  it('draws the claimed bound δ^t at every t = 1…T on a log scale', () => {
    expect(plot?.y.scale).toBe('log');
    const bound = seriesOf(plot, 'bound δ^t');
    expect(bound.role).toBe('claimed');
    expect(bound.x).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    bound.x.forEach((t, i) => expect(bound.y[i]).toBeCloseTo(0.9 ** t, 14));
  });

  it('the tight case runs along the bound (ratio 1) and random W stays below it at every t', () => {
    const bound = values(seriesOf(plot, 'bound δ^t'));
    values(seriesOf(plot, 'tight case')).forEach((y, i) => expect(y / (bound[i] as number)).toBeCloseTo(1, 9));
    for (const label of ['random W on the boundary', 'non-normal W on the boundary', 'near-tight case']) {
      values(seriesOf(plot, label)).forEach((y, i) => expect(y).toBeLessThanOrEqual((bound[i] as number) * (1 + 1e-10)));
    }
    expect(values(seriesOf(plot, 'random W on the boundary')).at(-1)).toBeLessThan(0.01 * (bound.at(-1) as number));
  });

  it('draws the bound from the formula under test, so a wrong bound shows beside the curves', () => {
    const [broken] = trialOf(vanishingClaim(boundOnePowerTooSmall), params, 'vanish').plots;
    const bound = seriesOf(broken, 'bound δ^t');
    bound.x.forEach((t, i) => expect(bound.y[i]).toBeCloseTo(0.9 ** (t + 1), 14));
    // The tight case now sits above the drawn bound: the picture shows the failure too.
    expect(values(seriesOf(broken, 'tight case'))[0]).toBeGreaterThan(bound.y[0] as number);
  });

  it('has one plot per activation with --activation all, keyed by the activation', () => {
    const { plots } = trialOf(vanishingClaim(), { ...params, activation: 'all' }, 'vanish');
    expect(plots.map((p) => p.key)).toEqual(['tanh.jacobian', 'sigmoid.jacobian', 'relu.jacobian', 'softplus.jacobian', 'linear.jacobian']);
  });
});

describe('claim 1.3 plot: the witnesses', () => {
  const params = { ...VANISH_DEFAULTS, steps: 12, dim: 5 };
  let plot: Plot | undefined;
  let figures: Figure[] = [];
  beforeEach(() => {
    const tried = trialOf(explodingClaim(), params, 'vanish');
    plot = tried.plots[0];
    figures = tried.figures;
  });

  it('shows the exploding witness growing like (γ‖W‖)^t', () => {
    const s = Number(figure(figures, 'explodingFactor'));
    const exploding = seriesOf(plot, 'exploding witness');
    exploding.x.forEach((t, i) => expect((exploding.y[i] as number) / s ** t).toBeCloseTo(1, 9));
  });

  it('shows the nilpotent witness at exactly 0 from t = n on, and the saturated one decaying', () => {
    const nilpotent = seriesOf(plot, 'nilpotent witness');
    nilpotent.x.forEach((t, i) => {
      if (t >= params.dim) expect(nilpotent.y[i]).toBe(0);
    });
    const saturated = values(seriesOf(plot, 'saturated witness'));
    expect(saturated.at(-1)).toBeLessThan(1e-10);
  });

  it('draws the level 1 that ‖W‖ = 1/γ reaches and never exceeds', () => {
    expect(values(seriesOf(plot, 'bound 1')).every((y) => y === 1)).toBe(true);
    values(seriesOf(plot, 'tight case ‖W‖ = 1/γ')).forEach((y) => expect(y).toBeCloseTo(1, 9));
  });
});

describe('claim 2.3 plot: E[v_t] climbs to μ(1−β^t), the corrected mean sits at μ', () => {
  const params = { ...MOMENTUM_DEFAULTS, samples: 400 };
  let plots: Plot[] = [];
  let mu = Number.NaN;
  beforeEach(() => {
    const tried = trialOf(biasClaim(), params, 'momentum');
    plots = tried.plots;
    mu = Number(figure(tried.figures, 'mu'));
  });

  it('has a plot per noise model with t on a log axis', () => {
    expect(plots.map((p) => p.key)).toEqual(['gaussian', 'skewed', 'ar1']);
    expect(plots.every((p) => p.x.scale === 'log')).toBe(true);
  });

  it('draws μ itself as the reference line, at the same times', () => {
    for (const plot of plots) {
      const reference = seriesOf(plot, 'μ');
      expect(reference.role).toBe('reference');
      expect(reference.x).toEqual(seriesOf(plot, 'E[v_t]').x);
      expect(reference.y).toEqual(reference.x.map(() => mu));
    }
  });

  it('draws the claimed E[v_t] = (1−β^t)μ, computed here from β and μ', () => {
    const claimed = seriesOf(plots[0], 'E[v_t]');
    claimed.x.forEach((t, i) => expect(claimed.y[i]).toBeCloseTo((1 - 0.9 ** t) * mu, 12));
  });

  it('the raw mean starts near βμ away from μ, the corrected mean near μ', () => {
    for (const plot of plots) {
      const raw = values(seriesOf(plot, 'Monte-Carlo mean of v_t'));
      const corrected = values(seriesOf(plot, 'Monte-Carlo mean of v_t/(1−β^t)'));
      // At t = 1: E[v_1] = 0.1μ, E[v_1/0.1] = μ; 400 replications put both within 0.5 of their mean
      // with overwhelming probability (standard errors below 0.05 for σ = 1).
      expect(Math.abs((raw[0] as number) - 0.1 * mu)).toBeLessThan(0.5);
      expect(Math.abs((corrected[0] as number) - mu)).toBeLessThan(0.5 + 0.1 * Math.abs(mu));
      expect(Math.abs((raw[0] as number) - mu)).toBeGreaterThan(0.5 * Math.abs(mu));
    }
  });
});

describe('claim 3.1 plot: the remainder against ε on log–log axes', () => {
  let plots: Plot[] = [];
  let figures: Figure[] = [];
  beforeEach(() => {
    ({ plots, figures } = trialOf(taylorStepClaim(), TAYLOR_DEFAULTS, 'taylor'));
  });

  it('has one plot per smooth family, both axes on log scales', () => {
    expect(plots.map((p) => p.key)).toEqual(['log-sum-exp.remainder', 'softplus sum.remainder', 'Rosenbrock.remainder']);
    expect(plots.every((p) => p.x.scale === 'log' && p.y.scale === 'log')).toBe(true);
  });

  it('draws a claimed line of slope exactly 3 and a measured curve whose slope over the fit is the measured order', () => {
    for (const plot of plots) {
      const claimed = seriesOf(plot, 'C·ε³');
      const slope = (s: PlotSeries, i: number, j: number) =>
        (Math.log(s.y[j] as number) - Math.log(s.y[i] as number)) / (Math.log(s.x[j] as number) - Math.log(s.x[i] as number));
      expect(slope(claimed, 0, claimed.x.length - 1)).toBeCloseTo(3, 9);
      const measured = seriesOf(plot, '|f(x₁) − f̂(x₁)|');
      const band = plot.band;
      expect(band).toBeDefined();
      const inFit = measured.x.map((e, i) => [e, i] as const).filter(([e]) => e >= (band?.from ?? 0) && e <= (band?.to ?? 0));
      expect(inFit.length).toBe(3);
      const family = plot.key.replace('.remainder', '');
      const order = Number(figure(figures, `${family}.order`));
      const first = inFit[0]?.[1] as number;
      const last = inFit[inFit.length - 1]?.[1] as number;
      // Two end points of the three fitted: within 0.05 of the least-squares order.
      expect(Math.abs(slope(measured, first, last) - order)).toBeLessThan(0.05);
    }
  });
});

describe('claim 3.2 plot: the parabola ε ↦ f̂(x₀ − εg)', () => {
  let plots: Plot[] = [];
  let figures: Figure[] = [];
  beforeEach(() => {
    ({ plots, figures } = trialOf(decreaseClaim(), TAYLOR_DEFAULTS, 'taylor'));
  });
  const byKey = (key: string) => plots.find((p) => p.key === key);

  it('has a parabola for each kind of H but the random one', () => {
    expect(plots.map((p) => p.key)).toEqual(['pd.parabola', 'indefinite.parabola', 'nd.parabola']);
  });

  it('marks ε* and 2gᵀg/gᵀHg for positive curvature, shading the interval where the curve is below f(x₀)', () => {
    const plot = byKey('pd.parabola');
    const limit = Number(figure(figures, 'pd.limit'));
    const best = Number(figure(figures, 'pd.best'));
    expect(plot?.markers?.map((m) => m.x)).toEqual([best, limit]);
    expect(plot?.band).toMatchObject({ from: 0, to: limit });
    const f0 = seriesOf(plot, 'f(x₀)').y[0] as number;
    const curve = seriesOf(plot, 'f̂(x₀ − εg)');
    curve.x.forEach((epsilon, i) => {
      const y = curve.y[i] as number;
      // Away from both ends of the interval the sign of f̂ − f(x₀) is unambiguous.
      if (epsilon > 0.01 * limit && epsilon < 0.99 * limit) expect(y).toBeLessThan(f0);
      if (epsilon > 1.01 * limit) expect(y).toBeGreaterThan(f0);
    });
    // The lowest sample is the one nearest ε*.
    const lowest = curve.x[values(curve).indexOf(Math.min(...values(curve)))] as number;
    const spacing = (curve.x[1] as number) - (curve.x[0] as number);
    expect(Math.abs(lowest - best)).toBeLessThanOrEqual(spacing);
  });

  it('shades the whole axis and marks nothing when gᵀHg ≤ 0: the curve only falls', () => {
    const plot = byKey('nd.parabola');
    expect(plot?.markers).toEqual([]);
    expect(plot?.band?.label).toContain('every ε > 0');
    const curve = values(seriesOf(plot, 'f̂(x₀ − εg)'));
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1] as number);
  });
});

describe('claim 4.1 plot: the mismatch shrinking with the batch', () => {
  let plot: Plot | undefined;
  let figures: Figure[] = [];
  beforeEach(() => {
    const tried = trialOf(equivalenceClaim(), WEIGHTNORM_DEFAULTS, 'weightnorm');
    plot = tried.plots[0];
    figures = tried.figures;
  });

  it('draws the measured RMS mismatch at N, 4N, 16N, 64N beside √(3/(2N)) on log–log axes', () => {
    expect(plot?.x.scale).toBe('log');
    const measured = seriesOf(plot, 'i.i.d.');
    const N = WEIGHTNORM_DEFAULTS.batch;
    expect(measured.x).toEqual([N, 4 * N, 16 * N, 64 * N]);
    expect(measured.y[0]).toBeCloseTo(Number(figure(figures, 'mismatchSmall')), 14);
    expect(measured.y[3]).toBeCloseTo(Number(figure(figures, 'mismatchLarge')), 14);
    const claimed = seriesOf(plot, '√(3/(2N))');
    claimed.x.forEach((n, i) => expect(claimed.y[i]).toBeCloseTo(Math.sqrt(1.5 / n), 14));
  });

  it('shows the non-whitened batch far above every whitened i.i.d. mismatch', () => {
    const witness = seriesOf(plot, 'correlated, non-centred batch');
    expect(witness.y[0]).toBeCloseTo(Number(figure(figures, 'witnessMismatch')), 14);
    expect(witness.y[0]).toBeGreaterThan(Math.max(...values(seriesOf(plot, 'i.i.d.'))));
  });
});

describe('claim 4.3 plots: ‖u‖ during training and g/‖u‖', () => {
  let norms: Plot | undefined;
  let scales: Plot | undefined;
  let figures: Figure[] = [];
  beforeEach(() => {
    const tried = trialOf(normGrowthClaim(), WEIGHTNORM_DEFAULTS, 'weightnorm');
    [norms, scales] = tried.plots;
    figures = tried.figures;
  });

  it('‖u_t‖ never decreases along any run, and stays put in the equality case', () => {
    for (const s of norms?.series ?? []) {
      const y = values(s);
      for (let i = 1; i < y.length; i++) expect(y[i]).toBeGreaterThanOrEqual((y[i - 1] as number) * (1 - 1e-12));
    }
    const equality = values(seriesOf(norms, 'equality case'));
    expect(Math.max(...equality) / Math.min(...equality)).toBeCloseTo(1, 12);
  });

  it('starts and ends at the figures of the run, over steps 0…T on a log axis that shows step 0', () => {
    const squared = seriesOf(norms, 'squared loss');
    expect(norms?.x.scale).toBe('symlog');
    expect(squared.x[0]).toBe(0);
    expect(squared.x.at(-1)).toBe(WEIGHTNORM_DEFAULTS.steps);
    expect(squared.y[0]).toBe(figure(figures, 'squared.normStart'));
    expect(squared.y.at(-1)).toBe(figure(figures, 'squared.normEnd'));
  });

  it('the effective scale is g/‖u_t‖ at every drawn step', () => {
    const norm = seriesOf(norms, 'logistic loss');
    const scale = seriesOf(scales, 'logistic loss');
    expect(scale.x).toEqual(norm.x);
    scale.y.forEach((y, i) => expect(y).toBeCloseTo(WEIGHTNORM_DEFAULTS.g / (norm.y[i] as number), 14));
  });
});

describe('the runner carries the example trial’s plots', () => {
  const params = { ...VANISH_DEFAULTS, steps: 5, dim: 3 };

  it('puts the plots of the first trial run in ClaimResult.example, the same for the same seed', () => {
    const result = runClaim(bindClaim(vanishingClaim(), params, 'vanish'), { seed: 1, trials: 2 });
    expect(result.example?.plots?.map((p) => p.key)).toEqual(['jacobian']);
    expect(result.example?.plots).toEqual(trialOf(vanishingClaim(), params, 'vanish', 1, 0).plots);
    const again = runClaim(bindClaim(vanishingClaim({ ...VANISH_FORMULAS }), params, 'vanish'), { seed: 1, trials: 2 });
    expect(again.example?.plots).toEqual(result.example?.plots);
  });

  it('gives an empty list for a claim that draws nothing', () => {
    const result = runClaim(bindClaim(rnnEquivalence(), RNN_EQUIV_DEFAULTS, 'rnn-equiv'), { seed: 1, trials: 1 });
    expect(result.example?.plots).toEqual([]);
  });
});
