import type { Matrix } from 'ml-matrix';
import { allowedError, errorRatio, type Tolerance } from '../num/compare.js';
import { rowsOf } from '../num/kernels.js';
import { maxAbs } from '../num/linalg.js';
import type { Check } from './types.js';

/** Two routes to the same number must agree: |actual − expected| ≤ atol + rtol·|expected|. */
export function identityCheck(name: string, at: string, actual: number, expected: number, tolerance: Tolerance): Check {
  return {
    name,
    kind: 'identity',
    at,
    lhs: actual,
    rhs: expected,
    error: Math.abs(actual - expected),
    allowed: allowedError(expected, tolerance),
  };
}

/**
 * Two routes to the same vector must agree entry by entry: |a_i − b_i| ≤ atol + rtol·|b_i| +
 * slack(i), where `slack` is an error the caller's own model predicts for entry i. The check
 * reports the entry whose error is largest relative to its own allowance (a NaN entry wins).
 */
export function vectorIdentityCheck(
  name: string,
  at: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  slack: (i: number) => number = () => 0,
): Check {
  if (actual.length !== expected.length) {
    throw new RangeError(`${name}: lengths ${actual.length} and ${expected.length} differ`);
  }
  const allowed = (i: number) => allowedError(expected[i] as number, tolerance) + slack(i);
  // Ratios first, one Check at the end: no object or string per entry.
  let worst = -1;
  let worstRatio = -1;
  for (let i = 0; i < actual.length; i++) {
    const ratio = errorRatio(Math.abs((actual[i] as number) - (expected[i] as number)), allowed(i));
    if (Number.isNaN(ratio)) {
      worst = i;
      break;
    }
    if (ratio > worstRatio) {
      worst = i;
      worstRatio = ratio;
    }
  }
  if (worst < 0) return identityCheck(name, at, 0, 0, tolerance);
  const a = actual[worst] as number;
  const b = expected[worst] as number;
  return { name, kind: 'identity', at: `${at}, entry ${worst}`, lhs: a, rhs: b, error: Math.abs(a - b), allowed: allowed(worst) };
}

/**
 * Two routes to the same matrix must agree in the max-entry norm, with a tolerance relative
 * to the largest entry of the reference: max|A − B| ≤ atol + rtol·max|B| + slack, where
 * `slack` is an error the caller's own model predicts (rounding of finite differences).
 */
export function matrixIdentityCheck(
  name: string,
  at: string,
  actual: Matrix,
  expected: Matrix,
  tolerance: Tolerance,
  slack = 0,
): Check {
  if (actual.rows !== expected.rows || actual.columns !== expected.columns) {
    throw new RangeError(`${name}: shapes ${actual.rows}×${actual.columns} and ${expected.rows}×${expected.columns} differ`);
  }
  const A = rowsOf(actual);
  const B = rowsOf(expected);
  const columns = expected.columns;
  // The first entry with the largest |a − b| (or the first NaN), and max|b| for the tolerance
  // (a NaN in B makes that difference NaN, so the search stops there first).
  let worst = 0;
  let error = 0;
  let reference = 0;
  search: for (let i = 0; i < expected.rows; i++) {
    const x = A[i] as Float64Array;
    const y = B[i] as Float64Array;
    for (let j = 0; j < columns; j++) {
      const d = Math.abs((x[j] as number) - (y[j] as number));
      if (Number.isNaN(d)) {
        worst = i * columns + j;
        error = Number.NaN;
        break search;
      }
      if (d > error) {
        error = d;
        worst = i * columns + j;
      }
      const size = Math.abs(y[j] as number);
      reference = Math.max(reference, size);
    }
  }
  const row = Math.floor(worst / Math.max(1, expected.columns));
  const column = worst - row * expected.columns;
  return {
    name,
    kind: 'identity',
    at: `${at}, entry (${row},${column})`,
    lhs: (A[row] as Float64Array | undefined)?.[column] ?? 0,
    rhs: (B[row] as Float64Array | undefined)?.[column] ?? 0,
    error,
    allowed: allowedError(Number.isNaN(error) ? maxAbsOfRows(B) : reference, tolerance) + slack,
  };
}

/** The largest |entry| over rows, NaN if an entry is NaN (as `maxAbs`). */
function maxAbsOfRows(rows: readonly Float64Array[]): number {
  let m = 0;
  // Math.max propagates NaN.
  for (const row of rows) m = Math.max(m, maxAbs(row));
  return m;
}

/** A bound lhs ≤ rhs, allowing rounding: lhs − rhs ≤ atol + rtol·|rhs|. */
export function boundCheck(name: string, at: string, lhs: number, rhs: number, tolerance: Tolerance): Check {
  return { name, kind: 'bound', at, lhs, rhs, error: Math.max(0, lhs - rhs), allowed: allowedError(rhs, tolerance) };
}

/** A witness: the strict inequality lhs < rhs that a constructed example must show. */
export function witnessCheck(name: string, at: string, lhs: number, rhs: number): Check {
  return { name, kind: 'witness', at, lhs, rhs, error: Math.max(0, lhs - rhs), allowed: 0 };
}

/** Whether a check passed. Anything non-finite fails: NaN never slips through a comparison. */
export function checkPasses(check: Check): boolean {
  if (!Number.isFinite(check.lhs) || !Number.isFinite(check.rhs)) return false;
  if (check.kind === 'witness') return check.lhs < check.rhs;
  const ratio = errorRatio(check.error, check.allowed);
  return Number.isFinite(ratio) && ratio <= 1;
}

/** error/allowed for identities and bounds; for a witness 0 when it holds and ∞ when not. */
export function checkRatio(check: Check): number {
  if (!Number.isFinite(check.lhs) || !Number.isFinite(check.rhs)) return Number.NaN;
  if (check.kind === 'witness') return check.lhs < check.rhs ? 0 : Number.POSITIVE_INFINITY;
  return errorRatio(check.error, check.allowed);
}

/** lhs/rhs of a bound, or null when it is not defined (rhs ≤ 0 or a non-finite side). */
export function checkTightness(check: Check): number | null {
  if (check.kind !== 'bound') return null;
  if (!Number.isFinite(check.lhs) || !Number.isFinite(check.rhs) || check.rhs <= 0) return null;
  return check.lhs / check.rhs;
}
