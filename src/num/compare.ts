/** u: the unit roundoff of double precision (half the machine epsilon). */
export const UNIT_ROUNDOFF = Number.EPSILON / 2;

/** A tolerance |a − b| ≤ atol + rtol·|b|, where b is the reference value. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The largest error allowed against the reference value b. */
export function allowedError(reference: number, tolerance: Tolerance): number {
  return tolerance.atol + tolerance.rtol * Math.abs(reference);
}

/**
 * error / allowed, with 0/0 read as 0 (an exact match under a zero tolerance) and any
 * non-finite input giving NaN, so that comparisons such as `ratio <= 1` fail for it.
 */
export function errorRatio(error: number, allowed: number): number {
  if (!Number.isFinite(error) || Number.isNaN(allowed) || allowed < 0) return Number.NaN;
  if (error === 0) return 0;
  return error / allowed;
}

/** True when a and b are finite and |a − b| ≤ atol + rtol·|b|. NaN and ±Infinity are never close. */
export function isClose(actual: number, reference: number, tolerance: Tolerance): boolean {
  if (!Number.isFinite(actual) || !Number.isFinite(reference)) return false;
  return Math.abs(actual - reference) <= allowedError(reference, tolerance);
}
