import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  boundCheck,
  checkPasses,
  checkRatio,
  checkTightness,
  identityCheck,
  matrixIdentityCheck,
  vectorIdentityCheck,
  witnessCheck,
} from '../../src/claims/checks.js';

const tol = { rtol: 1e-6, atol: 1e-9 };

describe('checks', () => {
  it('an identity passes within tolerance and fails beyond it', () => {
    expect(checkPasses(identityCheck('x', 'here', 1 + 1e-7, 1, tol))).toBe(true);
    const wrong = identityCheck('x', 'here', 1.01, 1, tol);
    expect(checkPasses(wrong)).toBe(false);
    expect(checkRatio(wrong)).toBeGreaterThan(1);
  });

  it('NaN and Infinity never pass, on either side, in any kind of check', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(checkPasses(identityCheck('x', '', bad, 1, tol))).toBe(false);
      expect(checkPasses(identityCheck('x', '', 1, bad, tol))).toBe(false);
      expect(checkPasses(boundCheck('x', '', bad, 1, tol))).toBe(false);
      expect(checkPasses(boundCheck('x', '', 0, bad, tol))).toBe(false);
      expect(checkPasses(witnessCheck('x', '', bad, 1))).toBe(false);
      expect(checkPasses(witnessCheck('x', '', 0, bad))).toBe(false);
    }
  });

  it('a bound passes at equality and reports its tightness', () => {
    const attained = boundCheck('b', '', 0.81, 0.81, tol);
    expect(checkPasses(attained)).toBe(true);
    expect(checkTightness(attained)).toBe(1);
    expect(checkTightness(boundCheck('b', '', 0.2, 0.8, tol))).toBe(0.25);
    expect(checkPasses(boundCheck('b', '', 0.82, 0.81, tol))).toBe(false);
  });

  it('tightness is undefined for a zero bound and for other kinds', () => {
    expect(checkTightness(boundCheck('b', '', 0, 0, tol))).toBeNull();
    expect(checkTightness(identityCheck('i', '', 1, 1, tol))).toBeNull();
  });

  it('a witness is strict and has no tolerance', () => {
    expect(checkPasses(witnessCheck('w', '', 1, 1.5))).toBe(true);
    expect(checkPasses(witnessCheck('w', '', 1, 1))).toBe(false);
    expect(checkRatio(witnessCheck('w', '', 2, 1))).toBe(Number.POSITIVE_INFINITY);
  });

  it('a vector identity reports its worst entry, and a NaN entry first', () => {
    const check = vectorIdentityCheck('v', 't=1', [1, 2, 3], [1, 2.5, 3], tol);
    expect(check.at).toBe('t=1, entry 1');
    expect(check.lhs).toBe(2);
    expect(checkPasses(vectorIdentityCheck('v', '', [1, Number.NaN], [1, 2], tol))).toBe(false);
  });

  it('a matrix identity uses a tolerance relative to the largest entry and names the worst entry', () => {
    const expected = new Matrix([[100, 0], [0, 1]]);
    const actual = new Matrix([[100, 0], [0, 1 + 5e-5]]);
    const check = matrixIdentityCheck('m', 'case', actual, expected, tol);
    expect(check.at).toBe('case, entry (1,1)');
    expect(check.allowed).toBeCloseTo(1e-9 + 1e-4, 15);
    expect(checkPasses(check)).toBe(true);
    expect(checkPasses(matrixIdentityCheck('m', '', new Matrix([[100, 1]]), new Matrix([[100, 0]]), tol))).toBe(false);
  });

  it('a matrix identity adds the caller’s modelled slack to the tolerance', () => {
    const check = matrixIdentityCheck('m', '', new Matrix([[1 + 1e-3]]), new Matrix([[1]]), tol, 2e-3);
    expect(checkPasses(check)).toBe(true);
  });
});
