import type { Plot, PlotSeries, SeriesRole } from './types.js';

/**
 * The data of each claim's picture, built from numbers a trial has already computed (or, for
 * the parabola of 3.2, from the model by its definition). Pure functions: the reporters only draw.
 */

/** Points kept per series: enough for a smooth curve at any terminal or page width. */
export const MAX_PLOT_POINTS = 120;

/** At most `limit` indices of 0…n−1, evenly spread, the first and the last always among them. */
export function thinnedIndices(n: number, limit = MAX_PLOT_POINTS): number[] {
  // Stryker disable next-line EqualityOperator: at n = limit the spread indices round(k(n − 1)/(limit − 1)) are 0…n − 1 too
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const kept = new Set<number>();
  for (let k = 0; k < limit; k++) kept.add(Math.round((k * (n - 1)) / (limit - 1)));
  return [...kept];
}

/**
 * At most `limit` indices of 0…n−1 spread evenly on a log scale of 1 + index: dense at the start,
 * where a training run changes most, the first and the last always among them.
 */
export function logSpacedIndices(n: number, limit = MAX_PLOT_POINTS): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const kept = new Set<number>();
  // round(n^(k/(limit−1))) − 1 never decreases in k: the set keeps them in increasing order.
  for (let k = 0; k < limit; k++) kept.add(Math.round(n ** (k / (limit - 1))) - 1);
  return [...kept];
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * A series from parallel x and y values, thinned to at most MAX_PLOT_POINTS by `indices`;
 * non-finite y become null (a gap), points with a non-finite x are dropped.
 */
export function series(label: string, role: SeriesRole, x: ArrayLike<number>, y: ArrayLike<number>, indices = thinnedIndices): PlotSeries {
  const length = Math.min(x.length, y.length);
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const i of indices(length)) {
    const xi = x[i] as number;
    if (!Number.isFinite(xi)) continue;
    xs.push(xi);
    ys.push(finiteOrNull(y[i] as number));
  }
  return { label, role, x: xs, y: ys };
}

/** 1, 2, …, n. */
const steps = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** One run of the recurrence: ‖∂g_t/∂g_0‖ for t = 1…T, or at the listed times (matrix-free checkpoints). */
export interface NormCurve {
  label: string;
  norms: readonly number[];
  times?: readonly number[];
}

/** The t of each norm of a curve. */
const timesOf = (c: NormCurve): readonly number[] => c.times ?? steps(c.norms.length);

/** Claim 1.2: ‖∂g_t/∂g_0‖ against t for each case, with the claimed bound δ^t drawn beside them. */
export function jacobianDecayPlot(key: string, activation: string, delta: number, curves: readonly NormCurve[], bound: (t: number) => number): Plot {
  const T = Math.max(0, ...curves.map((c) => timesOf(c).at(-1) ?? 0));
  const t = steps(T);
  return {
    key,
    title: `‖∂g_t/∂g_0‖ under the bound δ^t (${activation}, δ = ${delta})`,
    x: { label: 't', scale: 'linear' },
    y: { label: '‖∂g_t/∂g_0‖', scale: 'log' },
    series: [series(`bound δ^t`, 'claimed', t, t.map(bound)), ...curves.map((c) => series(c.label, 'measured', timesOf(c), c.norms))],
    caption: 'The tight case (W = (δ/γ)Q held where σ′ = γ) runs along the bound; random W on the boundary sits below it.',
  };
}

/** Claim 1.3: the witnesses' ‖∂g_t/∂g_0‖ against t, and the level 1 that ‖W‖ ≤ 1/γ never exceeds. */
export function witnessPlot(key: string, activation: string, curves: readonly NormCurve[], bound: (t: number) => number): Plot {
  const T = Math.max(0, ...curves.map((c) => timesOf(c).at(-1) ?? 0));
  const t = steps(T);
  return {
    key,
    title: `‖W‖ > 1/γ can explode or vanish; ‖W‖ ≤ 1/γ stays ≤ 1 (${activation})`,
    x: { label: 't', scale: 'linear' },
    y: { label: '‖∂g_t/∂g_0‖', scale: 'log' },
    series: [series('bound 1 when ‖W‖ ≤ 1/γ', 'claimed', t, t.map(bound)), ...curves.map((c) => series(c.label, 'measured', timesOf(c), c.norms))],
    caption: 'The nilpotent witness reaches exactly 0 at t = n, which a log scale cannot show: its curve stops there.',
  };
}

/** Claim 2.3, one noise model: Monte-Carlo means of v_t and v_t/(1−β^t) against E[v_t] = (1−β^t)μ and μ. */
export function biasPlot(
  key: string,
  model: string,
  beta: number,
  mu: number,
  times: readonly number[],
  rawMeans: readonly number[],
  correctedMeans: readonly number[],
  expected: (t: number) => number,
): Plot {
  return {
    key,
    title: `E[v_t] climbs to μ as (1−β^t)μ; v_t/(1−β^t) is unbiased (${model}, β = ${beta})`,
    x: { label: 't', scale: 'log' },
    y: { label: 'mean over replications', scale: 'linear' },
    series: [
      series('μ', 'reference', times, times.map(() => mu)),
      series('E[v_t] = (1−β^t)μ (v₀ = 0)', 'claimed', times, times.map(expected)),
      series('Monte-Carlo mean of v_t', 'measured', times, rawMeans),
      series('Monte-Carlo mean of v_t/(1−β^t)', 'measured', times, correctedMeans),
    ],
    caption: 'The raw average starts far from μ (biased by the factor 1−β^t); the corrected one is at μ from t = 1.',
  };
}

/** One step size of a Taylor test and the remainder f(x₀ − εg) − f̂(x₀ − εg) there. */
export interface RemainderSample {
  epsilon: number;
  remainder: number;
}

/**
 * Claim 3.1, one smooth f: |f(x₁) − f̂(x₁)| against ε on log–log axes, with the slope-3 line
 * C·ε³ through the points of the fit (C their geometric mean of |r|/ε³).
 */
export function remainderPlot(key: string, family: string, samples: readonly RemainderSample[], fitted: readonly RemainderSample[], order: number): Plot {
  const logC = fitted.reduce((sum, p) => sum + Math.log(Math.abs(p.remainder)) - 3 * Math.log(p.epsilon), 0) / Math.max(1, fitted.length);
  const epsilons = samples.map((p) => p.epsilon);
  return {
    key,
    title: `f(x₀ − εg) − f̂(x₀ − εg) shrinks like ε³ (${family}, measured order ${order.toFixed(3)})`,
    x: { label: 'ε', scale: 'log' },
    y: { label: '|f(x₁) − f̂(x₁)|', scale: 'log' },
    series: [
      series('C·ε³ (slope 3)', 'claimed', epsilons, epsilons.map((e) => Math.exp(logC + 3 * Math.log(e)))),
      series('|f(x₁) − f̂(x₁)|', 'measured', epsilons, samples.map((p) => Math.abs(p.remainder))),
    ],
    ...(fitted.length === 0 ? {} : { band: { from: Math.min(...fitted.map((p) => p.epsilon)), to: Math.max(...fitted.map((p) => p.epsilon)), label: 'ε of the fit' } }),
    caption: 'Where the cubic term dominates, each halving of ε divides the remainder by 8; ε stops where rounding would swamp it.',
  };
}

/** Samples taken of the parabola ε ↦ f̂(x₀ − εg) in claim 3.2. */
export const PARABOLA_SAMPLES = 81;

/**
 * Claim 3.2, one gradient: ε ↦ f̂(x₀ − εg) from the model's definition, the level f(x₀), the
 * decrease interval (0, 2gᵀg/gᵀHg) shaded and ε* marked when gᵀHg > 0, the whole axis otherwise.
 * `scale` is the curvature scale gᵀg/|gᵀHg| that sets the width shown when the interval is unbounded.
 */
export function decreasePlot(key: string, label: string, f0: number, phi: (epsilon: number) => number, limit: number, best: number | null, scale: number): Plot {
  const bounded = Number.isFinite(limit) && limit > 0;
  const width = bounded ? 1.3 * limit : 2 * (Number.isFinite(scale) && scale > 0 ? scale : 1);
  const epsilons = Array.from({ length: PARABOLA_SAMPLES }, (_, k) => (k * width) / (PARABOLA_SAMPLES - 1));
  const markers: { x: number; label: string }[] = [];
  // Stryker disable next-line ConditionalExpression: Number.isFinite(null) is false, so dropping the null test changes nothing (it narrows the type)
  if (best !== null && Number.isFinite(best)) markers.push({ x: best, label: 'ε* = gᵀg/gᵀHg' });
  if (bounded) markers.push({ x: limit, label: '2gᵀg/gᵀHg' });
  return {
    key,
    title: `f̂(x₀ − εg) against ε: the step decreases f̂ where the curve is below f(x₀) (${label})`,
    x: { label: 'ε', scale: 'linear' },
    y: { label: 'f̂(x₀ − εg)', scale: 'linear' },
    series: [series('f(x₀)', 'reference', epsilons, epsilons.map(() => f0)), series('f̂(x₀ − εg) by its definition (31)', 'measured', epsilons, epsilons.map(phi))],
    markers,
    band: bounded ? { from: 0, to: limit, label: 'decrease interval 0 < ε < 2gᵀg/gᵀHg' } : { from: 0, to: width, label: 'every ε > 0 decreases f̂ (gᵀHg ≤ 0)' },
  };
}

/**
 * Claim 4.1: the RMS mismatch between BN(wᵀx + b) and (w/‖w‖)ᵀx on i.i.d. N(0, I) batches
 * against N (log–log), beside the rate √(3/(2N)), and the mismatch of a batch that is not whitened.
 */
export function mismatchPlot(key: string, sizes: readonly number[], rms: readonly number[], witness: { size: number; mismatch: number }): Plot {
  return {
    key,
    title: 'BN(wᵀx + b) − (w/‖w‖)ᵀx shrinks like N^(−1/2) as the batch grows',
    x: { label: 'batch size N', scale: 'log' },
    y: { label: 'RMS mismatch', scale: 'log' },
    series: [
      series('√(3/(2N))', 'claimed', sizes, sizes.map((N) => Math.sqrt(1.5 / N))),
      series('i.i.d. N(0, I) batches (16 streams)', 'measured', sizes, rms),
      series('correlated, non-centred batch', 'measured', [witness.size], [witness.mismatch]),
    ],
    caption: 'An exactly whitened batch gives BN = WN to rounding; batches whitened only on average approach it like N^(−1/2).',
  };
}

/** One training run of claim 4.3: ‖u_t‖ for t = 0…T. */
export interface TrainingCurve {
  label: string;
  norms: readonly number[];
}

/** Claim 4.3: ‖u_t‖ during training (never decreasing) and the effective scale g/‖u_t‖ it implies. */
export function normGrowthPlots(g: number, curves: readonly TrainingCurve[]): Plot[] {
  const t = (c: TrainingCurve) => Array.from({ length: c.norms.length }, (_, i) => i);
  // Most of the growth happens in the first steps, where c = η‖∇_u L‖/‖u‖ is largest: a log axis of steps shows them.
  const steps = { label: 'step t', scale: 'symlog' } as const;
  return [
    {
      key: 'norm',
      title: '‖u_t‖ never decreases under gradient steps on u',
      x: steps,
      y: { label: '‖u_t‖', scale: 'linear' },
      series: curves.map((c) => series(c.label, 'measured', t(c), c.norms, logSpacedIndices)),
      caption: 'In the equality case ∇_w L ∥ w, so ∇_u L = 0 and ‖u‖ stays put.',
    },
    {
      key: 'scale',
      title: `so the effective scale g/‖u_t‖ of the step on w shrinks (g = ${g})`,
      x: steps,
      y: { label: 'g/‖u_t‖', scale: 'linear' },
      series: curves.map((c) => series(c.label, 'measured', t(c), c.norms.map((n) => g / n), logSpacedIndices)),
    },
  ];
}
