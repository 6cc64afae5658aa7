import type { Tolerance } from '../num/compare.js';
import { type OptionSpec, realValue } from '../options.js';

/**
 * Default tolerances by kind of comparison:
 * - identity: two exact routes that differ only by rounding (a few hundred ulps of slack);
 * - finiteDifference: central differences with step ε^{1/3} carry an error near ε^{2/3} ≈ 4e−11
 *   relative to the function's scale, so 1e−6 leaves ample room while a wrong formula,
 *   off by a whole term, is still far outside it;
 * - bound: lhs ≤ rhs up to rounding of rhs; the absolute part only absorbs underflow.
 */
export const DEFAULT_TOLERANCES = {
  identity: { rtol: 1e-10, atol: 1e-12 },
  finiteDifference: { rtol: 1e-6, atol: 1e-8 },
  bound: { rtol: 1e-10, atol: 1e-300 },
} as const satisfies Record<string, Tolerance>;

export type ToleranceKind = keyof typeof DEFAULT_TOLERANCES;

/** --rtol and --atol, when given, replace the default of every kind. */
export interface ToleranceParams {
  rtol: number | null;
  atol: number | null;
}

export function toleranceFor(params: ToleranceParams, kind: ToleranceKind): Tolerance {
  const base = DEFAULT_TOLERANCES[kind];
  return { rtol: params.rtol ?? base.rtol, atol: params.atol ?? base.atol };
}

export const toleranceOptions: readonly OptionSpec[] = [
  {
    key: 'rtol',
    flag: '--rtol',
    valueName: 'r',
    description: 'relative tolerance of every check (default: by kind, see README)',
    parse: realValue({ min: 0, max: 1, symbol: 'r' }),
  },
  {
    key: 'atol',
    flag: '--atol',
    valueName: 'a',
    description: 'absolute tolerance of every check (default: by kind, see README)',
    parse: realValue({ min: 0, max: 1, symbol: 'a' }),
  },
];
