import { describe, expect, it } from 'vitest';
import { CENTRAL_DIFFERENCE_STEP, centralStep, finiteDifferenceDerivative, finiteDifferenceJacobian } from '../../src/num/diff.js';

describe('finite differences', () => {
  it('the step is ε^{1/3}·max(1, |x|) and exactly representable as (x + h) − x', () => {
    expect(CENTRAL_DIFFERENCE_STEP).toBeCloseTo(6.055e-6, 8);
    for (const x of [0, 0.3, -7, 1e6]) {
      const h = centralStep(x);
      expect(x + h - x).toBe(h);
      expect(h / (CENTRAL_DIFFERENCE_STEP * Math.max(1, Math.abs(x)))).toBeCloseTo(1, 6);
    }
  });

  it('the Jacobian of (x²y, sin x) at (1, 2) is [[4, 1], [cos 1, 0]]', () => {
    const j = finiteDifferenceJacobian(([x = 0, y = 0]) => [x * x * y, Math.sin(x)], [1, 2]);
    expect(j.rows).toBe(2);
    expect(j.columns).toBe(2);
    expect(j.get(0, 0)).toBeCloseTo(4, 8);
    expect(j.get(0, 1)).toBeCloseTo(1, 8);
    expect(j.get(1, 0)).toBeCloseTo(Math.cos(1), 8);
    expect(j.get(1, 1)).toBeCloseTo(0, 12);
  });

  it('a linear map is differentiated to rounding', () => {
    const j = finiteDifferenceJacobian(([x = 0, y = 0, z = 0]) => [2 * x - y, 3 * z], [0.5, -1, 4]);
    expect(j.to2DArray().map((row) => row.map((v) => Number(v.toFixed(9))))).toEqual([
      [2, -1, 0],
      [0, 0, 3],
    ]);
  });

  it('a smaller relative step is honoured', () => {
    const calls: number[] = [];
    finiteDifferenceJacobian((x) => {
      calls.push(x[0] as number);
      return [x[0] as number];
    }, [0], 1e-9);
    expect(calls).toEqual([1e-9, -1e-9]);
  });

  it('the scalar derivative of exp at 0 is 1', () => {
    expect(finiteDifferenceDerivative(Math.exp, 0)).toBeCloseTo(1, 9);
  });
});
