import type { Rng } from './random.js';

/**
 * Stationary scalar gradient streams g_1, g_2, … with a given mean μ and standard deviation σ:
 * every g_t has the same law, as claim 2.3 requires, but the laws differ in shape and memory.
 */
export type NoiseName = 'gaussian' | 'skewed' | 'ar1';

export const NOISE_NAMES: readonly NoiseName[] = ['gaussian', 'skewed', 'ar1'];

/** Exponent k of the skewed law: g − μ ∝ U^k − E[U^k] with U uniform on (0, 1) (k = 6, written out in `fill`). */
const SKEW_POWER = 6;
const SKEW_MEAN = 1 / (SKEW_POWER + 1);
const SKEW_SD = Math.sqrt(1 / (2 * SKEW_POWER + 1) - SKEW_MEAN ** 2);

/** Lag-one correlation of the AR(1) stream. */
export const AR1_CORRELATION = 0.8;

export interface NoiseModel {
  name: NoiseName;
  description: string;
  /** Every finite linear combination of the stream is Gaussian (Student-t intervals are then exact). */
  gaussian: boolean;
  /** Where (g − μ)/σ lies, or null when unbounded. */
  support: { low: number; high: number } | null;
  /** Corr(g_s, g_{s+k}) = phi^k (0: independent draws). */
  phi: number;
  /** Fills `out` with g_1 … g_T. */
  fill(rng: Rng, mu: number, sigma: number, out: Float64Array): void;
}

export const NOISE_MODELS: Readonly<Record<NoiseName, NoiseModel>> = {
  gaussian: {
    name: 'gaussian',
    description: 'independent Gaussian draws',
    gaussian: true,
    support: null,
    phi: 0,
    fill(rng, mu, sigma, out) {
      // Stryker disable next-line ArithmeticOperator: the Gaussian draw is symmetric about 0, so a minus sign gives a stream with the same law (only which seed yields which values changes)
      for (let t = 0; t < out.length; t++) out[t] = mu + sigma * rng.gaussian();
    },
  },
  skewed: {
    name: 'skewed',
    description: `independent draws of a standardised U^${SKEW_POWER}: bounded, skewness ≈ 1.9`,
    gaussian: false,
    support: { low: -SKEW_MEAN / SKEW_SD, high: (1 - SKEW_MEAN) / SKEW_SD },
    phi: 0,
    fill(rng, mu, sigma, out) {
      const scale = sigma / SKEW_SD;
      for (let t = 0; t < out.length; t++) {
        const x = rng.uniform();
        const cube = x * x * x;
        out[t] = mu + scale * (cube * cube - SKEW_MEAN);
      }
    },
  },
  ar1: {
    name: 'ar1',
    description: `Gaussian AR(1), correlation ${AR1_CORRELATION}, started in its stationary law`,
    gaussian: true,
    support: null,
    phi: AR1_CORRELATION,
    fill(rng, mu, sigma, out) {
      const phi = AR1_CORRELATION;
      const innovation = sigma * Math.sqrt(1 - phi * phi);
      // s_0 ~ N(0, σ²), the stationary law, so that every g_t has the same distribution.
      let s = sigma * rng.gaussian();
      for (let t = 0; t < out.length; t++) {
        // Stryker disable next-line ArithmeticOperator: the Gaussian draw is symmetric about 0, so a minus sign gives a stream with the same law (only which seed yields which values changes)
        s = phi * s + innovation * rng.gaussian();
        // Stryker disable next-line ArithmeticOperator: s is a zero-mean Gaussian process, symmetric about 0, so mu − s has the same law as mu + s
        out[t] = mu + s;
      }
    },
  },
};

/**
 * Var(v_t) for v_t = β v_{t−1} + (1−β) g_t from a fixed v_0, when Var(g) = σ² and
 * Corr(g_s, g_{s+k}) = φ^k: with a_t = Σ β^{t−i}(g_i − μ) and c_t = Cov(a_t, g_t),
 * Var(a_t) = β² Var(a_{t−1}) + σ² + 2βφ c_{t−1} and c_t = βφ c_{t−1} + σ².
 * Used only to plan the Monte-Carlo (where the bias is detectable), never as a check's reference.
 */
export function averageVariance(beta: number, phi: number, sigma: number, t: number): number {
  let variance = 0;
  let covariance = 0;
  for (let s = 1; s <= t; s++) {
    variance = beta * beta * variance + sigma * sigma + 2 * beta * phi * covariance;
    covariance = beta * phi * covariance + sigma * sigma;
  }
  return (1 - beta) ** 2 * variance;
}
