/**
 * Monte-Carlo statistics: sample means and standard errors, and confidence half-widths
 * that hold at a stated level (exactly for Gaussian samples, rigorously for bounded ones).
 */

/** Mean, unbiased variance and standard error of the mean of independent replications. */
export interface SampleSummary {
  count: number;
  mean: number;
  /** Σ(x − mean)²/(n − 1); 0 for a single value. */
  variance: number;
  /** √(variance/n): the standard error of the mean. */
  standardError: number;
}

/** Two passes (mean, then squared deviations), so a large common offset does not cancel. */
export function summarizeSample(values: ArrayLike<number>): SampleSummary {
  const n = values.length;
  if (n === 0) throw new RangeError('summarizeSample: no values');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  let deviations = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    squares += d * d;
    // Stryker disable next-line AssignmentOperator: deviations only enters squared, and subtracting each d gives exactly the negated sum (rounding is symmetric)
    deviations += d;
  }
  // The corrected two-pass formula removes the rounding left in the mean (Chan, Golub & LeVeque).
  const variance = n > 1 ? Math.max(0, (squares - (deviations * deviations) / n) / (n - 1)) : 0;
  return { count: n, mean, variance, standardError: Math.sqrt(variance / n) };
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: relative error near 1e−15). */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma: x = ${x} is not positive`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let k = 1; k < LANCZOS.length; k++) sum += (LANCZOS[k] as number) / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1)/(a + b + 2).
 * Lentz's guards replace a c or d of exactly 0 (a convergent's numerator or denominator
 * vanishing) by a tiny number. In that range none comes near 0: over 400 000 draws of a and b
 * across e^±10, with x up to the limit, every c and d stayed above 0.75 · 2/(a + b + 2), the
 * value the first d starts from. They can reach 0 only by rounding, once a + b nears 2⁵³; the
 * claims pass a = df/2 ≤ 5·10⁶ and b = ½. The guards are kept as the method's safety net.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  // Stryker disable next-line EqualityOperator: d = 1 + z is computed exactly near 0 (Sterbenz), so |d| is 0 or at least 2⁻⁵³, never exactly 1e−300; the reversed comparison is killed
  // Stryker disable next-line ConditionalExpression: the guard never acts where the fraction is used (d stays far from 0, see above), so dropping it (false) changes nothing; the true mutant is killed
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    // Stryker disable next-line EqualityOperator: d = 1 + z is computed exactly near 0 (Sterbenz), so |d| is 0 or at least 2⁻⁵³, never exactly 1e−300; the reversed comparison is killed
    // Stryker disable next-line ConditionalExpression: the guard never acts where the fraction is used (d stays far from 0, see above), so dropping it (false) changes nothing; the true mutant is killed
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    // Stryker disable next-line EqualityOperator: c = 1 + z is computed exactly near 0 (Sterbenz), so |c| is 0 or at least 2⁻⁵³, never exactly 1e−300; the reversed comparison is killed
    // Stryker disable next-line ConditionalExpression: the guard never acts where the fraction is used (c stays far from 0, see above), so dropping it (false) changes nothing; the true mutant is killed
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    // Stryker disable next-line EqualityOperator: d = 1 + z is computed exactly near 0 (Sterbenz), so |d| is 0 or at least 2⁻⁵³, never exactly 1e−300; the reversed comparison is killed
    // Stryker disable next-line ConditionalExpression: the guard never acts where the fraction is used (d stays far from 0, see above), so dropping it (false) changes nothing; the true mutant is killed
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    // Stryker disable next-line EqualityOperator: c = 1 + z is computed exactly near 0 (Sterbenz), so |c| is 0 or at least 2⁻⁵³, never exactly 1e−300; the reversed comparison is killed
    // Stryker disable next-line ConditionalExpression: the guard never acts where the fraction is used (c stays far from 0, see above), so dropping it (false) changes nothing; the true mutant is killed
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    // Stryker disable next-line EqualityOperator: |step − 1| is 0 or at least 2⁻⁵³ ≈ 1.1e−16, never exactly 1e−16; the reversed comparison is killed
    if (Math.abs(step - 1) < 1e-16) return h;
  }
  throw new RangeError(`regularizedIncompleteBeta: no convergence at x = ${x}, a = ${a}, b = ${b}`);
}

/**
 * The regularised incomplete beta function I_x(a, b). `complement` = 1 − x may be given
 * when the caller knows it more accurately than 1 − x can be computed.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, complement = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedIncompleteBeta: a = ${a}, b = ${b} must be positive`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedIncompleteBeta: x = ${x} is outside [0, 1]`);
  // Stryker disable next-line ConditionalExpression: a shortcut: without it x = 0 gives x^a = e^(−∞) = 0 times a fraction that is exactly 1 at x = 0, so 0 as well (true is killed)
  if (x === 0) return 0;
  // Stryker disable next-line ConditionalExpression: a shortcut: without it complement = 1 − x = 0 makes (1 − x)^b = 0, and x = 1 lies past the switch, so 1 − 0 = 1 as well (true is killed)
  if (complement === 0) return 1;
  const logFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(complement);
  // The fraction converges fast on the side of the mode where x is small; use symmetry otherwise.
  // Stryker disable next-line EqualityOperator: at x equal to the switch exactly (e.g. x = ½, a = b) each side's fraction is at its own bound and converges, so <= gives the same value up to rounding; >= is killed
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(complement, b, a)) / b;
}

/** Φ⁻¹(p): the standard normal quantile (Wichura's AS 241, relative accuracy near 1e−16). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p = ${p} is outside (0, 1)`);
  const q = p - 0.5;
  // Stryker disable next-line EqualityOperator: only three doubles p near 0.075 give |q| = 0.425 exactly; there the tail formula (<) gives Φ⁻¹ two ulps from the central one, both within 3 ulps of a 40-digit reference: only rounding changes (> is killed)
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  // Stryker disable next-line EqualityOperator: outside the central branch |q| > 0.425, so q is never 0; the reversed comparison is killed
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  // Stryker disable next-line EqualityOperator: r is exactly 5 only for a few p near e⁻²⁵, where the two rational approximations differ by one ulp (up to rounding); the reversed comparison is killed
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  // Stryker disable next-line EqualityOperator: outside the central branch |q| > 0.425, so q is never 0; the reversed comparison is killed
  return q < 0 ? -value : value;
}

/** P(T > t) for Student's t with `df` degrees of freedom: ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0. */
export function studentUpperTail(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentUpperTail: df = ${df} must be positive`);
  if (Number.isNaN(t)) return Number.NaN;
  if (t < 0) return 1 - studentUpperTail(-t, df);
  // Stryker disable next-line ConditionalExpression: the general formula also gives 0 at t = ∞ (x = df/∞ = 0, and I_0 = 0); the true version is killed
  if (t === Number.POSITIVE_INFINITY) return 0;
  const denominator = df + t * t;
  // 1 − x = t²/(df + t²) computed directly: no cancellation when x is close to 1.
  return 0.5 * regularizedIncompleteBeta(df / denominator, df / 2, 0.5, (t * t) / denominator);
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the tail, to a few ulps). */
export function studentQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentQuantile: p = ${p} is outside (0, 1)`);
  if (p < 0.5) return -studentQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const tail = 1 - p;
  // t's tail is heavier than the normal's, so the normal quantile is a lower end of the bracket.
  let low = normalQuantile(p);
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the while loop below widens any start above the root, and bisection then finds the same root up to rounding (within its 4-ulp stopping tolerance)
  let high = Math.max(1, 2 * low);
  // Stryker disable next-line EqualityOperator: >= only differs on an exact tie, which adds one doubling; bisection then finds the same root up to rounding; the reversed comparison is killed
  while (studentUpperTail(high, df) > tail) high *= 2;
  // Stryker disable next-line ConditionalExpression,UpdateOperator: bisection meets the tolerance within about 103 turns (from a bracket of width at most max(1, 2t) down to 4ε·t, t ≥ Φ⁻¹(½ + 2⁻⁵³) ≈ 2.8e−16), so the 200-turn cap never binds (k < 200 → true, k--); dropping the tolerance test only bisects further, the same root up to rounding; the false versions are killed
  // Stryker disable next-line EqualityOperator: k <= 200 moves a cap that never binds; >= in the tolerance test only differs on an exact tie (one more halving, up to rounding); the reversed comparisons are killed
  // Stryker disable next-line LogicalOperator: with || the loop runs all 200 turns, bisecting past the tolerance: the same root up to rounding
  // Stryker disable next-line ArithmeticOperator: high + low makes the loop run all 200 turns, bisecting past the tolerance (the same root up to rounding); 4ε/high and the other arithmetic mutants are killed
  for (let k = 0; k < 200 && high - low > 4 * Number.EPSILON * high; k++) {
    const mid = 0.5 * (low + high);
    // Stryker disable next-line EqualityOperator: >= only differs on an exact tie, which moves the other end; the result is the same up to rounding (within the stopping tolerance); the reversed comparison is killed
    if (studentUpperTail(mid, df) > tail) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * Half-width of the two-sided (1 − α) interval for the mean from n Gaussian replications:
 * t_{n−1}(1 − α/2)·s/√n. Exact when the replications are independent and Gaussian.
 */
export function studentHalfWidth(summary: SampleSummary, alpha: number): number {
  if (summary.count < 2) throw new RangeError('studentHalfWidth: needs at least two replications');
  return studentQuantile(1 - alpha / 2, summary.count - 1) * summary.standardError;
}

/**
 * Half-width of a two-sided (1 − α) interval for the mean of n independent replications that
 * lie in an interval of length `range`, from the empirical Bernstein bound of Maurer & Pontil
 * (2009, Thm 4) applied to each side at α/2: √(2·V·ln(4/α)/n) + 7·range·ln(4/α)/(3(n − 1)),
 * V the sample variance. It holds for any bounded distribution, however skewed.
 */
export function empiricalBernsteinHalfWidth(summary: SampleSummary, range: number, alpha: number): number {
  const n = summary.count;
  if (n < 2) throw new RangeError('empiricalBernsteinHalfWidth: needs at least two replications');
  const log = Math.log(4 / alpha);
  return Math.sqrt((2 * summary.variance * log) / n) + (7 * range * log) / (3 * (n - 1));
}

/**
 * A factor c ≥ 1 with P(s² > c·σ²) ≤ α for the sample variance s² of n = df + 1 Gaussian
 * replications, from the Chernoff bound P(χ²_df ≥ c·df) ≤ exp(−df·(c − 1 − ln c)/2).
 */
export function chiSquareUpperRatio(df: number, alpha: number): number {
  if (!(df > 0) || !(alpha > 0 && alpha < 1)) throw new RangeError(`chiSquareUpperRatio: df = ${df}, α = ${alpha}`);
  const target = (2 * Math.log(1 / alpha)) / df;
  const excess = (c: number) => c - 1 - Math.log(c);
  let low = 1;
  let high = 2;
  // Stryker disable next-line EqualityOperator: <= only differs on an exact tie, which adds one doubling; bisection then finds the same root up to rounding; the reversed comparison is killed
  while (excess(high) < target) high *= 2;
  // Stryker disable next-line ConditionalExpression,UpdateOperator: the root c lies in (high/2, high], so bisection meets the tolerance within about 52 turns and the 200-turn cap never binds (k < 200 → true, k--); dropping the tolerance test only bisects further, the same root up to rounding; the false versions are killed
  // Stryker disable next-line EqualityOperator: k <= 200 moves a cap that never binds; >= in the tolerance test only differs on an exact tie (one more halving, up to rounding); the reversed comparisons are killed
  // Stryker disable next-line LogicalOperator: with || the loop runs all 200 turns, bisecting past the tolerance: the same root up to rounding
  // Stryker disable next-line ArithmeticOperator: high ≥ 1 here, so high + low and 4ε/high only tighten the stopping test (the cap still ends the loop): the same root up to rounding; the other arithmetic mutants are killed
  for (let k = 0; k < 200 && high - low > 4 * Number.EPSILON * high; k++) {
    const mid = 0.5 * (low + high);
    // Stryker disable next-line EqualityOperator: <= only differs on an exact tie, which moves the other end; the result is the same up to rounding (within the stopping tolerance); the reversed comparison is killed
    if (excess(mid) < target) low = mid;
    else high = mid;
  }
  return high;
}

/** Bonferroni: the level of each of `count` tests so that the family errs with probability ≤ familyLevel. */
export function bonferroniLevel(familyLevel: number, count: number): number {
  if (!(count >= 1)) throw new RangeError(`bonferroniLevel: count = ${count}`);
  return familyLevel / count;
}

/** The least-squares slope of y against x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) throw new RangeError('leastSquaresSlope: needs two or more points of each');
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  return sxy / sxx;
}
