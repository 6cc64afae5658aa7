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

  it('a check holds at error = allowance exactly, and not a rounding step beyond', () => {
    // |3 − 2| = 1 = 0.5 + 0.25·2, exact in binary.
    const edge = { rtol: 0.25, atol: 0.5 };
    expect(checkPasses(identityCheck('x', '', 3, 2, edge))).toBe(true);
    expect(checkRatio(identityCheck('x', '', 3, 2, edge))).toBe(1);
    expect(checkPasses(boundCheck('b', '', 3, 2, edge))).toBe(true);
    expect(checkPasses(boundCheck('b', '', 3.0000000000000004, 2, edge))).toBe(false);
  });

  it('checkRatio and checkTightness are undefined when either side is not finite', () => {
    // A bound with rhs = +∞ has error max(0, 1 − ∞) = 0: only the side test catches it.
    expect(checkRatio(boundCheck('b', '', 1, Number.POSITIVE_INFINITY, tol))).toBeNaN();
    expect(checkRatio(boundCheck('b', '', Number.NaN, 1, tol))).toBeNaN();
    expect(checkTightness(boundCheck('b', '', 1, Number.POSITIVE_INFINITY, tol))).toBeNull();
    expect(checkTightness(boundCheck('b', '', Number.NaN, 1, tol))).toBeNull();
    expect(checkTightness(boundCheck('b', '', 1, -2, tol))).toBeNull();
  });

  it('a witness that only reaches equality has ratio ∞; its error is how far lhs exceeds rhs', () => {
    expect(checkRatio(witnessCheck('w', '', 1, 1))).toBe(Number.POSITIVE_INFINITY);
    expect(checkRatio(witnessCheck('w', '', 1, 3))).toBe(0);
    expect(witnessCheck('w', '', 1, 3).error).toBe(0);
    expect(witnessCheck('w', '', 3, 1).error).toBe(2);
  });

  it('a vector identity names entry 0 when all agree, the first of equal worst entries, and nothing when empty', () => {
    expect(vectorIdentityCheck('v', 'here', [1, 2], [1, 2], tol).at).toBe('here, entry 0');
    expect(vectorIdentityCheck('v', 'here', [5], [5], tol).at).toBe('here, entry 0');
    // Both entries are off by 1 against |b| = 1: a tie, and the first is reported.
    const tie = vectorIdentityCheck('v', 'here', [2, -2], [1, -1], tol);
    expect(tie.at).toBe('here, entry 0');
    expect(tie.lhs).toBe(2);
    const empty = vectorIdentityCheck('v', 'here', [], [], tol);
    expect(empty.at).toBe('here');
    expect(checkPasses(empty)).toBe(true);
  });

  it('a vector identity adds each entry’s own modelled slack, and ranks entries by error over their whole allowance', () => {
    const zero = { rtol: 0, atol: 0 };
    // Entry 0 is off by 3 with slack 4 (ratio 0.75), entry 1 by 1 with slack 1 (ratio 1): entry 1 is the worst.
    const check = vectorIdentityCheck('v', 'here', [13, 21], [10, 20], zero, (i) => [4, 1][i] as number);
    expect(check.at).toBe('here, entry 1');
    expect(check.error).toBe(1);
    expect(check.allowed).toBe(1);
    expect(checkPasses(check)).toBe(true);
    // The slack adds to the tolerance: atol 1e-9 + rtol·20 + 0.5 for entry 1.
    const mixed = vectorIdentityCheck('v', '', [10, 20.6], [10, 20], tol, () => 0.5);
    expect(mixed.allowed).toBeCloseTo(0.5 + 1e-9 + 20e-6, 14);
    expect(checkPasses(mixed)).toBe(false);
    // A NaN slack makes its entry the one reported, and the check fails.
    const broken = vectorIdentityCheck('v', '', [1, 2, 3], [1, 2, 3], zero, (i) => (i === 1 ? Number.NaN : 0));
    expect(broken.at).toBe(', entry 1');
    expect(checkPasses(broken)).toBe(false);
    // Without slack the default adds nothing: an exact match under a zero tolerance passes, 1 ulp does not.
    expect(checkPasses(vectorIdentityCheck('v', '', [1, 2], [1, 2], zero))).toBe(true);
    expect(checkPasses(vectorIdentityCheck('v', '', [1, 2 + 2 * Number.EPSILON], [1, 2], zero))).toBe(false);
  });

  it('vector and matrix identities refuse operands of different shapes', () => {
    expect(() => vectorIdentityCheck('v', '', [1, 2], [1], tol)).toThrow(RangeError);
    expect(() => matrixIdentityCheck('m', '', new Matrix(2, 2), new Matrix(3, 2), tol)).toThrow(RangeError);
    expect(() => matrixIdentityCheck('m', '', new Matrix(2, 2), new Matrix(2, 3), tol)).toThrow(RangeError);
  });

  it('a matrix identity reports the first largest difference with both sides of that entry', () => {
    const check = matrixIdentityCheck('m', 'c', new Matrix([[1.5, 1], [0, 1]]), new Matrix([[1, 1], [0, 1]]), tol);
    expect(check.at).toBe('c, entry (0,0)');
    expect(check.lhs).toBe(1.5);
    expect(check.rhs).toBe(1);
    expect(check.error).toBe(0.5);
    const tie = matrixIdentityCheck('m', 'c', new Matrix([[0, 2], [2, 0]]), new Matrix([[0, 1], [1, 0]]), tol);
    expect(tie.at).toBe('c, entry (0,1)');
  });

  it('a NaN entry of a matrix identity is named, fails, and takes its tolerance from max|B|', () => {
    const expected = new Matrix([[1, -5], [2, 3]]);
    const check = matrixIdentityCheck('m', 'c', new Matrix([[1, -5], [2, Number.NaN]]), expected, tol);
    expect(check.at).toBe('c, entry (1,1)');
    expect(check.error).toBeNaN();
    expect(check.allowed).toBe(tol.atol + tol.rtol * 5);
    expect(checkPasses(check)).toBe(false);
    // The largest |b| sits in the first row, not the last.
    const first = matrixIdentityCheck('m', 'c', new Matrix([[Number.NaN, 0], [0, 0]]), new Matrix([[0, 7], [1, 0]]), tol);
    expect(first.at).toBe('c, entry (0,0)');
    expect(first.allowed).toBe(tol.atol + tol.rtol * 7);
    // A NaN in the reference leaves no tolerance to compare against.
    const nanReference = matrixIdentityCheck('m', 'c', new Matrix([[Number.NaN, 1]]), new Matrix([[1, Number.NaN]]), tol);
    expect(nanReference.allowed).toBeNaN();
    expect(checkPasses(nanReference)).toBe(false);
  });

  it('an empty matrix identity holds and reports zeros', () => {
    const check = matrixIdentityCheck('m', 'c', new Matrix(0, 0), new Matrix(0, 0), tol);
    expect(check.lhs).toBe(0);
    expect(check.rhs).toBe(0);
    expect(checkPasses(check)).toBe(true);
  });
});
