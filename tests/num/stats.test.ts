import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/num/random.js';
import {
  bonferroniLevel,
  chiSquareUpperRatio,
  empiricalBernsteinHalfWidth,
  leastSquaresSlope,
  lnGamma,
  normalQuantile,
  regularizedIncompleteBeta,
  studentHalfWidth,
  studentQuantile,
  studentUpperTail,
  summarizeSample,
} from '../../src/num/stats.js';

/** Relative difference, for comparing with reference values computed by SciPy 1.17. */
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('sample summaries', () => {
  it('gives the mean, the unbiased variance and the standard error of the mean', () => {
    const s = summarizeSample([1, 2, 3, 4]);
    expect(s.count).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.variance).toBeCloseTo(5 / 3, 15);
    expect(s.standardError).toBeCloseTo(Math.sqrt(5 / 12), 15);
  });

  it('keeps the variance exact under a large common offset (two passes, no cancellation)', () => {
    const s = summarizeSample([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]);
    expect(s.variance).toBeCloseTo(5 / 3, 6);
  });

  it('gives a zero variance for a single value and refuses an empty sample', () => {
    expect(summarizeSample([7]).variance).toBe(0);
    expect(() => summarizeSample([])).toThrow(RangeError);
  });
});

describe('special functions against SciPy', () => {
  it('ln Γ agrees to 1e−14 (and Γ(3) = 2 exactly enough)', () => {
    expect(relative(lnGamma(1000.5), 5908.674175848678)).toBeLessThan(1e-14);
    expect(relative(lnGamma(0.1), 2.252712651734206)).toBeLessThan(1e-14);
    expect(relative(lnGamma(3), Math.log(2))).toBeLessThan(1e-14);
  });

  it('the regularised incomplete beta agrees to 1e−12, including a tail of 2e−10', () => {
    expect(relative(regularizedIncompleteBeta(0.3, 2.5, 3.5), 0.29675298929566646)).toBeLessThan(1e-12);
    expect(relative(regularizedIncompleteBeta(0.98, 1000, 0.5), 2.074361672238055e-10)).toBeLessThan(1e-11);
    expect(relative(regularizedIncompleteBeta(0.999, 0.5, 0.5), 0.9798649583666235)).toBeLessThan(1e-12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('the normal quantile agrees to 1e−15 from the centre to p = 1e−300', () => {
    expect(relative(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-15);
    expect(relative(normalQuantile(1 - 1e-9), 5.997807019601637)).toBeLessThan(1e-12);
    expect(relative(normalQuantile(1e-300), -37.0470962993612)).toBeLessThan(1e-15);
    expect(relative(normalQuantile(0.3), -0.5244005127080409)).toBeLessThan(1e-15);
  });

  it('Student’s t tail agrees to 1e−13, down to 1e−9 at 1999 degrees of freedom', () => {
    expect(relative(studentUpperTail(6, 1999), 1.1682186854693418e-9)).toBeLessThan(1e-13);
    expect(relative(studentUpperTail(2.5, 7), 0.020496109292876444)).toBeLessThan(1e-13);
    expect(relative(studentUpperTail(40, 2), 0.0003122073360923703)).toBeLessThan(1e-13);
    expect(studentUpperTail(-2.5, 7)).toBeCloseTo(1 - 0.020496109292876444, 15);
  });

  it('Student’s quantile matches the closed forms for 1 (Cauchy) and 2 degrees of freedom', () => {
    for (const p of [0.6, 0.9, 0.999, 1 - 1e-9]) {
      // cot(π(1−p)) rather than tan(π(p − ½)), which loses digits as p → 1.
      expect(relative(studentQuantile(p, 1), 1 / Math.tan(Math.PI * (1 - p)))).toBeLessThan(1e-12);
      expect(relative(studentQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-12);
    }
  });

  it('Student’s quantile agrees with SciPy, and tends to the normal quantile for many degrees of freedom', () => {
    expect(relative(studentQuantile(0.975, 10), 2.228138851986274)).toBeLessThan(1e-14);
    expect(relative(studentQuantile(1 - 5e-10, 1999), 6.1388135036889)).toBeLessThan(1e-13);
    expect(relative(studentQuantile(1 - 1e-6, 3), 103.29946777942898)).toBeLessThan(1e-13);
    expect(relative(studentQuantile(1 - 5e-11, 5), 180.14909786675685)).toBeLessThan(1e-12);
    expect(studentQuantile(0.025, 10)).toBe(-studentQuantile(0.975, 10));
    expect(relative(studentQuantile(0.99, 1e7), normalQuantile(0.99))).toBeLessThan(1e-6);
  });

  it('the Chernoff variance ratio is never below the exact χ² quantile (so it is conservative)', () => {
    // SciPy: χ²_{99}(1 − 1e−6)/99 and χ²_{19}(1 − 1e−9)/19.
    expect(chiSquareUpperRatio(99, 1e-6)).toBeGreaterThanOrEqual(1.8261819729876645);
    expect(chiSquareUpperRatio(19, 1e-9)).toBeGreaterThanOrEqual(4.2925977750797095);
    expect(chiSquareUpperRatio(1999, 1e-9)).toBeLessThan(1.25);
  });

  it('Bonferroni divides the family level by the number of tests', () => {
    expect(bonferroniLevel(1e-6, 400)).toBe(2.5e-9);
    expect(() => bonferroniLevel(1e-6, 0)).toThrow(RangeError);
  });
});

/**
 * Coverage at a fixed seed. With 2000 independent intervals of nominal level 95 %, the number of
 * misses is Binomial(2000, 0.05) for an exact interval; a correct implementation lands outside
 * [50, 160] with probability 1.1e−8 (SciPy), so the fixed-seed test could only fail for a real fault.
 */
describe('confidence intervals keep their level', () => {
  const repetitions = 2000;

  it('Student’s interval misses the mean of Gaussian samples of size 10 about 5 % of the time', () => {
    const rng = createRng('stats-coverage-student');
    let misses = 0;
    for (let k = 0; k < repetitions; k++) {
      const sample = Array.from({ length: 10 }, () => 3 + 2 * rng.gaussian());
      const s = summarizeSample(sample);
      if (Math.abs(s.mean - 3) > studentHalfWidth(s, 0.05)) misses++;
    }
    expect(misses).toBeGreaterThanOrEqual(50);
    expect(misses).toBeLessThanOrEqual(160);
  });

  it('the empirical Bernstein interval covers the mean of a skewed bounded law at least as often as promised', () => {
    // U⁶ on [0, 1] has mean 1/7 and skewness ≈ 1.9; samples of 50. Misses exceed 160 with probability ≤ 4.7e−9.
    const rng = createRng('stats-coverage-bernstein');
    let misses = 0;
    for (let k = 0; k < repetitions; k++) {
      const s = summarizeSample(Array.from({ length: 50 }, () => rng.uniform() ** 6));
      if (Math.abs(s.mean - 1 / 7) > empiricalBernsteinHalfWidth(s, 1, 0.05)) misses++;
    }
    expect(misses).toBeLessThanOrEqual(160);
  });

  it('the empirical Bernstein interval is wider than Student’s for the same data: it pays for making no Gaussian assumption', () => {
    const rng = createRng('stats-width');
    const s = summarizeSample(Array.from({ length: 2000 }, () => rng.uniform() ** 6));
    expect(empiricalBernsteinHalfWidth(s, 1, 1e-9)).toBeGreaterThan(studentHalfWidth(s, 1e-9));
  });
});

describe('leastSquaresSlope', () => {
  it('is the slope of an exact line', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3.5, 6, 8.5])).toBeCloseTo(2.5, 14);
  });

  it('recovers the exponent of an exact power law on log scales', () => {
    const x = [1, 2, 4, 8].map(Math.log);
    expect(leastSquaresSlope(x, x.map((v) => 3 - 0.5 * v))).toBeCloseTo(-0.5, 14);
  });
});
