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

describe('sample summaries remove the rounding left in the mean', () => {
  it('gives the exact variance u² of three neighbours 1 + u, 1 + 2u, 1 + 3u (u = 2⁻⁵²)', () => {
    // The sum rounds (ties to even) to 3 + 8u, so the mean rounds to 1 + 3u instead of 1 + 2u.
    // The deviations are −2u, −u, 0: squares = 5u², their sum = −3u, and the corrected formula
    // gives (5u² − 9u²/3)/2 = u², the true variance of three points spaced u apart.
    const u = Number.EPSILON;
    expect(summarizeSample([1 + u, 1 + 2 * u, 1 + 3 * u]).variance).toBe(u * u);
  });
});

describe('argument checks', () => {
  it('ln Γ refuses zero, negative and NaN arguments', () => {
    for (const x of [0, -1, Number.NaN]) expect(() => lnGamma(x)).toThrow(`lnGamma: x = ${x} is not positive`);
  });

  it('the incomplete beta refuses non-positive shapes and x outside [0, 1]', () => {
    // x = 0 would otherwise return before ln Γ could object to the shape.
    expect(() => regularizedIncompleteBeta(0, 0, 2)).toThrow('regularizedIncompleteBeta: a = 0, b = 2 must be positive');
    expect(() => regularizedIncompleteBeta(0, 2, 0)).toThrow('regularizedIncompleteBeta: a = 2, b = 0 must be positive');
    expect(() => regularizedIncompleteBeta(0.3, -1, 2)).toThrow('regularizedIncompleteBeta: a = -1, b = 2 must be positive');
    expect(() => regularizedIncompleteBeta(0.3, 2, Number.NaN)).toThrow('must be positive');
    for (const x of [-0.1, 1.5, Number.NaN]) {
      expect(() => regularizedIncompleteBeta(x, 2, 3)).toThrow(`regularizedIncompleteBeta: x = ${x} is outside [0, 1]`);
    }
  });

  it('the normal quantile refuses p outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => normalQuantile(p)).toThrow(`normalQuantile: p = ${p} is outside`);
  });

  it('Student’s tail refuses a non-positive df and returns NaN for a NaN t', () => {
    for (const df of [0, -1, Number.NaN]) expect(() => studentUpperTail(1, df)).toThrow(`studentUpperTail: df = ${df} must be positive`);
    expect(studentUpperTail(Number.NaN, 3)).toBeNaN();
  });

  it('Student’s tail at t = 0 is ½, since the law is symmetric about 0', () => {
    for (const df of [1, 7]) expect(studentUpperTail(0, df)).toBe(0.5);
  });

  it('Student’s quantile refuses p outside (0, 1), naming the p it was given', () => {
    for (const p of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => studentQuantile(p, 3)).toThrow(`studentQuantile: p = ${p} is outside`);
  });

  it('the χ² ratio refuses a non-positive df and a level outside (0, 1)', () => {
    for (const [df, alpha] of [
      [0, 0.05],
      [-1, 0.05],
      [Number.NaN, 0.05],
      [5, 0],
      [5, 1],
      [5, -0.1],
      [5, 1.5],
      [5, Number.NaN],
    ] as const) {
      expect(() => chiSquareUpperRatio(df, alpha)).toThrow(`chiSquareUpperRatio: df = ${df}, α = ${alpha}`);
    }
  });

  it('half-widths need two replications, and work with exactly two', () => {
    const one = summarizeSample([3]);
    expect(() => studentHalfWidth(one, 0.05)).toThrow('studentHalfWidth: needs at least two replications');
    expect(() => empiricalBernsteinHalfWidth(one, 1, 0.05)).toThrow('empiricalBernsteinHalfWidth: needs at least two replications');
    // [0, 2]: mean 1, variance 2, standard error √(2/2) = 1, and t with 1 degree of freedom is
    // Cauchy, whose 0.975 quantile is cot(π·0.025).
    const two = summarizeSample([0, 2]);
    expect(two.standardError).toBe(1);
    expect(relative(studentHalfWidth(two, 0.05), 1 / Math.tan(Math.PI * 0.025))).toBeLessThan(1e-12);
    expect(Number.isFinite(empiricalBernsteinHalfWidth(two, 2, 0.05))).toBe(true);
  });

  it('Bonferroni accepts a single test, which keeps the family level', () => {
    expect(bonferroniLevel(0.05, 1)).toBe(0.05);
  });

  it('the least-squares slope refuses unequal lengths and a single point, and takes two points', () => {
    expect(() => leastSquaresSlope([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => leastSquaresSlope([1], [1])).toThrow(RangeError);
    expect(leastSquaresSlope([1, 3], [2, 8])).toBe(3);
  });
});

describe('closed forms and identities', () => {
  it('ln Γ near 0 satisfies ln Γ(x) = ln Γ(1 + x) − ln x', () => {
    for (const x of [1e-8, 1e-4]) expect(relative(lnGamma(x), lnGamma(1 + x) - Math.log(x))).toBeLessThan(1e-14);
  });

  it('the incomplete beta keeps its relative accuracy far below the mode: I_x(1, b) = 1 − (1 − x)^b', () => {
    // At x = 1e−10 the value is about 1e−9; computing it as 1 − I_{1−x}(b, 1) would lose most digits.
    const x = 1e-10;
    const exact = -Math.expm1(10 * Math.log1p(-x));
    expect(relative(regularizedIncompleteBeta(x, 1, 10), exact)).toBeLessThan(1e-12);
  });

  it('the incomplete beta still converges when the fraction needs its very last turn: I_½(a, a) = ½', () => {
    // By symmetry I_½(a, a) = ½ for every a. At this a (found by scanning) the continued fraction
    // converges on its 10000th and last allowed turn; ln Γ of 1.8e10 cancels down to about 1e−5.
    const a = 9044002082.653177;
    expect(Math.abs(regularizedIncompleteBeta(0.5, a, a) - 0.5)).toBeLessThan(1e-4);
  });

  it('Student’s median is 0 and its quantile stays accurate just above the centre', () => {
    expect(studentQuantile(0.5, 3) === 0).toBe(true);
    // p − ½ is exact here, so the closed forms for 1 and 2 degrees of freedom are accurate.
    const p = 0.5 + 1e-6;
    expect(relative(studentQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)))).toBeLessThan(1e-9);
    expect(relative(studentQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-9);
  });

  it('the empirical Bernstein half-width follows its formula, worked by hand', () => {
    // α = 4e⁻⁴ makes ln(4/α) = 4. n = 5, V = 10, range 12: √(2·10·4/5) + 7·12·4/(3·4) = 4 + 28 = 32.
    // n = 2, V = 1, range 3: √(2·1·4/2) + 7·3·4/(3·1) = 2 + 28 = 30.
    const alpha = 4 * Math.exp(-4);
    const summary = (count: number, variance: number) => ({ count, mean: 0, variance, standardError: Math.sqrt(variance / count) });
    expect(relative(empiricalBernsteinHalfWidth(summary(5, 10), 12, alpha), 32)).toBeLessThan(1e-12);
    expect(relative(empiricalBernsteinHalfWidth(summary(2, 1), 3, alpha), 30)).toBeLessThan(1e-12);
  });

  it('the least-squares slope of an exact line ignores a large intercept', () => {
    // y = 1e9 + 2x at x = 0, 1, 3 (mean 4/3, not a double): the slope is exactly 2.
    expect(relative(leastSquaresSlope([0, 1, 3], [1e9, 1e9 + 2, 1e9 + 6]), 2)).toBeLessThan(1e-12);
  });
});
