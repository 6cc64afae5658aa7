import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/num/random.js';
import { summarizeSample } from '../../src/num/stats.js';
import { AR1_CORRELATION, NOISE_MODELS, averageVariance } from '../../src/num/streams.js';

/** Tolerances: with 200 000 draws the standard error of a mean is ≈ 0.0022σ (0.006σ for AR(1)), so 0.03 is > 5 SE. */
const draws = 200_000;

function stream(name: keyof typeof NOISE_MODELS, seed: string, mu = 2, sigma = 3): Float64Array {
  const out = new Float64Array(draws);
  NOISE_MODELS[name].fill(createRng(seed), mu, sigma, out);
  return out;
}

describe('stationary gradient streams', () => {
  it.each(['gaussian', 'skewed', 'ar1'] as const)('%s has the requested mean and standard deviation', (name) => {
    const s = summarizeSample(stream(name, `streams-${name}`));
    expect(Math.abs(s.mean - 2) / 3).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s.variance) / 3 - 1)).toBeLessThan(0.03);
  });

  it('the skewed stream is skewed (≈ 1.9) and stays within its stated support', () => {
    const g = stream('skewed', 'streams-skew', 0, 1);
    const s = summarizeSample(g);
    let third = 0;
    for (const x of g) third += ((x - s.mean) / Math.sqrt(s.variance)) ** 3;
    expect(third / draws).toBeGreaterThan(1.7);
    expect(third / draws).toBeLessThan(2.1);
    const support = NOISE_MODELS.skewed.support;
    expect(support).not.toBeNull();
    expect(g.reduce((m, x) => Math.min(m, x), Infinity)).toBeGreaterThanOrEqual(support?.low ?? 0);
    expect(g.reduce((m, x) => Math.max(m, x), -Infinity)).toBeLessThanOrEqual(support?.high ?? 0);
  });

  it('the AR(1) stream is correlated at lag one by φ, and stationary from its first value', () => {
    const g = stream('ar1', 'streams-ar1', 0, 1);
    let lag = 0;
    for (let t = 1; t < draws; t++) lag += (g[t] as number) * (g[t - 1] as number);
    expect(Math.abs(lag / (draws - 1) - AR1_CORRELATION)).toBeLessThan(0.03);
    // First values of many independent streams have the stationary variance σ² = 1.
    const rng = createRng('streams-ar1-start');
    const first = Float64Array.from({ length: 20_000 }, () => {
      const out = new Float64Array(1);
      NOISE_MODELS.ar1.fill(rng, 0, 1, out);
      return out[0] as number;
    });
    expect(Math.abs(summarizeSample(first).variance - 1)).toBeLessThan(0.05);
  });
});

describe('draws consumed by a stream', () => {
  // A stream of length n takes exactly its n draws (plus the AR(1) stream's stationary start), so
  // what is drawn after it does not depend on how the stream was drawn. Normal draws come in
  // pairs (the second is kept for the next call), so the check draws a normal as well as a
  // uniform after the stream, and n is odd and even.
  it.each([
    ['gaussian', 'gaussian', 0],
    ['skewed', 'uniform', 0],
    ['ar1', 'gaussian', 1],
  ] as const)('%s takes one %s draw per value (+%i)', (name, kind, extra) => {
    for (const n of [1, 2, 7]) {
      const rng = createRng(`streams-count-${name}-${n}`);
      NOISE_MODELS[name].fill(rng, 0, 1, new Float64Array(n));
      const replay = createRng(`streams-count-${name}-${n}`);
      for (let k = 0; k < n + extra; k++) replay[kind]();
      expect([rng.gaussian(), rng.uniform()]).toEqual([replay.gaussian(), replay.uniform()]);
    }
  });
});

describe('variance of the moving average', () => {
  it('for independent draws is (1−β)²σ²(1 − β^{2t})/(1 − β²)', () => {
    const beta = 0.9;
    for (const t of [1, 5, 40]) {
      expect(averageVariance(beta, 0, 2, t)).toBeCloseTo((1 - beta) ** 2 * 4 * ((1 - beta ** (2 * t)) / (1 - beta * beta)), 12);
    }
  });

  it('for a correlated stream equals the double sum (1−β)² Σ_i Σ_j β^{t−i}β^{t−j} σ² φ^{|i−j|}', () => {
    const [beta, phi, t] = [0.8, 0.6, 12];
    let sum = 0;
    for (let i = 1; i <= t; i++) for (let j = 1; j <= t; j++) sum += beta ** (t - i) * beta ** (t - j) * phi ** Math.abs(i - j);
    expect(averageVariance(beta, phi, 1, t)).toBeCloseTo((1 - beta) ** 2 * sum, 12);
    // …and scales with σ²: σ = 3 gives 9 times as much.
    expect(averageVariance(beta, phi, 3, t) / ((1 - beta) ** 2 * 9 * sum)).toBeCloseTo(1, 12);
  });
});
