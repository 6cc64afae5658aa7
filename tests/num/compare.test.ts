import { describe, expect, it } from 'vitest';
import { allowedError, errorRatio, isClose } from '../../src/num/compare.js';

const tol = { rtol: 1e-3, atol: 1e-6 };

describe('tolerance comparison |a − b| ≤ atol + rtol·|b|', () => {
  it('allows atol + rtol·|reference|', () => {
    expect(allowedError(-2000, tol)).toBeCloseTo(2 + 1e-6, 12);
  });

  it('accepts the boundary and rejects just beyond it', () => {
    expect(isClose(1 + 1e-3, 1, { rtol: 1e-3, atol: 0.5e-3 })).toBe(true);
    expect(isClose(1.002, 1, tol)).toBe(false);
  });

  it('accepts an error exactly equal to the allowance (the comparison is ≤, not <)', () => {
    // Exact in binary: |3 − 2| = 1 = 0.5 + 0.25·2.
    expect(isClose(3, 2, { rtol: 0.25, atol: 0.5 })).toBe(true);
    expect(isClose(3.0000000000000004, 2, { rtol: 0.25, atol: 0.5 })).toBe(false);
  });

  it('never calls NaN or ±Infinity close, not even to themselves', () => {
    expect(isClose(Number.NaN, 1, tol)).toBe(false);
    expect(isClose(1, Number.NaN, tol)).toBe(false);
    expect(isClose(Number.NaN, Number.NaN, tol)).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(false);
    expect(isClose(1, Number.NEGATIVE_INFINITY, tol)).toBe(false);
  });

  it('errorRatio reads 0/0 as 0, x/0 as ∞ and anything non-finite as NaN', () => {
    expect(errorRatio(0, 0)).toBe(0);
    expect(errorRatio(1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(errorRatio(1, 4)).toBe(0.25);
    expect(errorRatio(Number.NaN, 1)).toBeNaN();
    expect(errorRatio(Number.POSITIVE_INFINITY, 1)).toBeNaN();
    expect(errorRatio(1, Number.NaN)).toBeNaN();
    // A negative allowance is a caller's bug, not a pass.
    expect(errorRatio(1, -1)).toBeNaN();
    expect(errorRatio(0, -1)).toBeNaN();
  });
});
