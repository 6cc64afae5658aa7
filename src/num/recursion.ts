import { UNIT_ROUNDOFF } from './compare.js';

/**
 * v_t = a·v_{t−1} + b·g_t for t = 1…T, run coordinate by coordinate, with two running
 * quantities that error models need:
 * - rounding: a first-order bound on |computed v_t − exact v_t|. One step rounds a·v and
 *   b·g and their sum, so it errs by at most 2u(|a·v_{t−1}| + |b·g_t|) (γ₂), plus k·u|b·g_t|
 *   when the coefficient b itself carries k roundings; earlier errors are scaled by a:
 *   R_t = |a|·R_{t−1} + 2u|a·v_{t−1}| + (2 + k)u|b·g_t|.
 * - magnitude: S_t = |a|^t|v_0| + Σ |a|^{t−i}|b·g_i|, the sum of the absolute values of the
 *   terms of the unrolled form (equal to |v_t| only when nothing cancels).
 * The three sequences are stored flat, (T + 1)·n values each; `state(t)` and the like are views.
 */
export class RecursionRun {
  constructor(
    readonly dim: number,
    readonly states: Float64Array,
    readonly roundings: Float64Array,
    readonly magnitudes: Float64Array,
  ) {}

  /** v_t (v_0 at t = 0). */
  state(t: number): Float64Array {
    return this.states.subarray(t * this.dim, (t + 1) * this.dim);
  }

  /** R_t, the bound on v_t's accumulated rounding. */
  rounding(t: number): Float64Array {
    return this.roundings.subarray(t * this.dim, (t + 1) * this.dim);
  }

  /** S_t, the sum of the absolute values of v_t's unrolled terms. */
  magnitude(t: number): Float64Array {
    return this.magnitudes.subarray(t * this.dim, (t + 1) * this.dim);
  }
}

export function linearRecursion(
  a: number,
  b: number,
  v0: ArrayLike<number>,
  gradients: readonly ArrayLike<number>[],
  coefficientRoundings = 0,
): RecursionRun {
  const u = UNIT_ROUNDOFF;
  const n = v0.length;
  const size = (gradients.length + 1) * n;
  const states = new Float64Array(size);
  const roundings = new Float64Array(size);
  const magnitudes = new Float64Array(size);
  const absA = Math.abs(a);
  // Stryker disable next-line EqualityOperator: one more turn (<=) writes NaN into step 1's first entry, which the first step overwrites (or past the end, ignored)
  for (let j = 0; j < n; j++) {
    states[j] = v0[j] as number;
    magnitudes[j] = Math.abs(v0[j] as number);
  }
  gradients.forEach((g, index) => {
    if (g.length !== n) throw new RangeError(`linearRecursion: gradient of length ${g.length}, state of length ${n}`);
    const previous = index * n;
    const next = previous + n;
    // Stryker disable next-line EqualityOperator: one more turn (<=) writes NaN into the next step's first entry, which that step overwrites before reading it (or past the end, ignored)
    for (let j = 0; j < n; j++) {
      const carried = a * (states[previous + j] as number);
      const input = b * (g[j] as number);
      states[next + j] = carried + input;
      roundings[next + j] = absA * (roundings[previous + j] as number) + 2 * u * Math.abs(carried) + (2 + coefficientRoundings) * u * Math.abs(input);
      magnitudes[next + j] = absA * (magnitudes[previous + j] as number) + Math.abs(input);
    }
  });
  return new RecursionRun(n, states, roundings, magnitudes);
}

/**
 * The times at which to compare a closed form (O(t) to evaluate) with its recursion:
 * every t when T ≤ count, otherwise about `count` times, dense at the start (where
 * powers change fastest) and evenly spread after, always including 1 and T.
 */
export function checkpoints(T: number, count: number): number[] {
  if (T <= count) return Array.from({ length: T }, (_, k) => k + 1);
  const times = new Set<number>([1, T]);
  const half = Math.floor(count / 2);
  for (let k = 0; k < half; k++) {
    times.add(Math.max(1, Math.round(T ** (k / (half - 1 || 1)))));
    times.add(Math.max(1, Math.round(((k + 1) * T) / half)));
  }
  // Every time added is in [1, T]: T^(k/(half−1)) for k < half, and (k + 1)T/half ≤ T.
  return [...times].sort((x, y) => x - y);
}
