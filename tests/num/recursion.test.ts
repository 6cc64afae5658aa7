import { describe, expect, it } from 'vitest';
import { checkpoints, linearRecursion } from '../../src/num/recursion.js';

describe('linear recursion v_t = a·v_{t−1} + b·g_t', () => {
  it('iterates the recursion coordinate by coordinate from v_0', () => {
    const run = linearRecursion(0.5, 2, [1, -1], [Float64Array.of(1, 0), Float64Array.of(0, 3)]);
    expect(Array.from(run.state(0))).toEqual([1, -1]);
    expect(Array.from(run.state(1))).toEqual([2.5, -0.5]);
    expect(Array.from(run.state(2))).toEqual([1.25, 5.75]);
  });

  it('refuses a gradient whose length is not the state’s', () => {
    expect(() => linearRecursion(0.5, 1, [1, 2], [Float64Array.of(1, 2), Float64Array.of(3)])).toThrow('linearRecursion: gradient of length 1, state of length 2');
  });

  it('keeps S_t per coordinate: coordinate j sums |a|^{t−i}|b g_i[j]| and |a|^t|v_0[j]|', () => {
    const run = linearRecursion(-0.5, 2, [4, -8], [Float64Array.of(1, -3), Float64Array.of(-2, 5)]);
    expect(Array.from(run.magnitude(1))).toEqual([0.5 * 4 + 2, 0.5 * 8 + 6]);
    expect(Array.from(run.magnitude(2))).toEqual([0.5 * 4 + 4, 0.5 * 10 + 10]);
  });

  it('keeps S_t, the sum of the unrolled terms’ absolute values, above |v_t| and equal to it without cancellation', () => {
    const run = linearRecursion(0.5, 1, [4], [Float64Array.of(-2), Float64Array.of(1)]);
    // v_1 = 2 − 2 = 0 while its terms have absolute values 2 and 2.
    expect(run.state(1)[0]).toBe(0);
    expect(run.magnitude(1)[0]).toBe(4);
    const positive = linearRecursion(0.5, 1, [4], [Float64Array.of(2)]);
    expect(positive.magnitude(1)[0]).toBe(positive.state(1)[0]);
  });

  it('bounds the accumulated rounding: the float run stays within R_t of an exact rational run', () => {
    // a = 1/3 and b = 2/3 are not binary fractions; the exact run is done in BigInt rationals.
    const a = 1 / 3;
    const b = 1 - a;
    const gradients = Array.from({ length: 60 }, (_, t) => Float64Array.of(Math.sin(t + 1) * 10 ** ((t % 7) - 3)));
    const run = linearRecursion(a, b, [0.1], gradients, 1);
    // Exact: the float coefficients and inputs themselves, as fractions over 2^k.
    const scale = 2n ** 700n; // fixed point: truncation at 2^−700 is far below any rounding of interest
    const exact = (x: number) => {
      const [mantissa, exponent] = frexp(x);
      return exponent >= 0 ? BigInt(mantissa) * 2n ** BigInt(exponent) * scale : (BigInt(mantissa) * scale) / 2n ** BigInt(-exponent);
    };
    let v = exact(0.1);
    const A = exact(a);
    const B = exact(b);
    let largest = 0;
    for (let t = 1; t <= gradients.length; t++) {
      v = (A * v) / scale + (B * exact((gradients[t - 1] as Float64Array)[0] as number)) / scale;
      const error = Math.abs(Number(exact(run.state(t)[0] as number) - v) / Number(scale));
      expect(error).toBeLessThanOrEqual(run.rounding(t)[0] as number);
      largest = Math.max(largest, error / (run.rounding(t)[0] as number));
    }
    // …and the bound is not vacuous: the real error reaches a visible fraction of it.
    expect(largest).toBeGreaterThan(0.01);
  });
});

/** x = mantissa·2^exponent with an integer mantissa (exact for every finite double). */
function frexp(x: number): [number, number] {
  if (x === 0) return [0, 0];
  let exponent = Math.floor(Math.log2(Math.abs(x))) - 52;
  let mantissa = x / 2 ** exponent;
  while (!Number.isInteger(mantissa)) {
    exponent -= 1;
    mantissa = x / 2 ** exponent;
  }
  return [mantissa, exponent];
}

describe('checkpoints', () => {
  it('are every time when the horizon is short, up to T = count', () => {
    expect(checkpoints(5, 10)).toEqual([1, 2, 3, 4, 5]);
    expect(checkpoints(10, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('are 1 and T alone for a count of 1 or 2, and never leave [1, T]', () => {
    expect(checkpoints(50, 1)).toEqual([1, 50]);
    expect(checkpoints(50, 2)).toEqual([1, 50]);
    for (const [T, count] of [[11, 10], [100, 3], [1000, 7], [5000, 60], [99999, 33]] as const) {
      const times = checkpoints(T, count);
      expect(Math.min(...times)).toBe(1);
      expect(Math.max(...times)).toBe(T);
      expect(new Set(times).size).toBe(times.length);
      expect(times.length).toBeLessThanOrEqual(count);
    }
  });

  it('are about `count` increasing times including 1 and T, dense at the start, when the horizon is long', () => {
    const times = checkpoints(5000, 60);
    expect(times[0]).toBe(1);
    expect(times[times.length - 1]).toBe(5000);
    expect(times.length).toBeLessThanOrEqual(61);
    expect(times.length).toBeGreaterThan(40);
    expect(times.filter((t) => t <= 10).length).toBeGreaterThanOrEqual(5);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });
});
