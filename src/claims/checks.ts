import type { Matrix } from 'ml-matrix';
import { allowedError, errorRatio, type Tolerance } from '../num/compare.js';
import { entries, maxAbs } from '../num/linalg.js';
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
 * Two routes to the same vector must agree entry by entry; the check reports the entry
 * whose error is largest relative to its own tolerance (a NaN entry wins).
 */
export function vectorIdentityCheck(
  name: string,
  at: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
): Check {
  if (actual.length !== expected.length) {
    throw new RangeError(`${name}: lengths ${actual.length} and ${expected.length} differ`);
  }
  let worst: Check | undefined;
  let worstRatio = -1;
  for (let i = 0; i < actual.length; i++) {
    const check = identityCheck(name, `${at}, entry ${i}`, actual[i] as number, expected[i] as number, tolerance);
    const ratio = errorRatio(check.error, check.allowed);
    if (Number.isNaN(ratio)) return check;
    if (ratio > worstRatio) {
      worst = check;
      worstRatio = ratio;
    }
  }
  return worst ?? identityCheck(name, at, 0, 0, tolerance);
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
  const a = entries(actual);
  const b = entries(expected);
  let worst = 0;
  let error = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs((a[k] as number) - (b[k] as number));
    if (Number.isNaN(d)) {
      worst = k;
      error = Number.NaN;
      break;
    }
    if (d > error) {
      error = d;
      worst = k;
    }
  }
  const row = Math.floor(worst / Math.max(1, expected.columns));
  const column = worst - row * expected.columns;
  return {
    name,
    kind: 'identity',
    at: `${at}, entry (${row},${column})`,
    lhs: a[worst] ?? 0,
    rhs: b[worst] ?? 0,
    error,
    allowed: allowedError(maxAbs(b), tolerance) + slack,
  };
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
