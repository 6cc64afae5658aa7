import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it, vi } from 'vitest';
import { spectralNorm } from '../../src/num/linalg.js';
import {
  boxMuller,
  createRng,
  gaussianMatrix,
  gaussianVector,
  matrixWithSpectralNorm,
  nonNormalMatrix,
  randomOrthogonal,
  randomPermutation,
  trialSeed,
} from '../../src/num/random.js';

// spectralNorm, wrapped in a spy that calls the real one, so that a test can count how many times
// nonNormalMatrix's bisection evaluates ‖D + sN‖.
vi.mock('../../src/num/linalg.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/num/linalg.js')>();
  return { ...actual, spectralNorm: vi.fn(actual.spectralNorm) };
});

const draws = (seed: string, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => [rng.uniform(), rng.gaussian(), rng.integer(10)]);
};

describe('seeded generator', () => {
  it('draws exactly the stream of seedrandom’s Alea (uniforms, and normals by Box–Muller over its doubles)', () => {
    for (const seed of ['hwcheck/1/1.2/0', 'abc', '', 'é'.repeat(40)]) {
      const reference = seedrandom.alea(seed);
      let spare: number | undefined;
      const referenceGaussian = () => {
        if (spare !== undefined) {
          const value = spare;
          spare = undefined;
          return value;
        }
        const [first, second] = boxMuller(reference.double(), reference.double());
        spare = second;
        return first;
      };
      const rng = createRng(seed);
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let k = 0; k < 3000; k++) {
        ours.push(k % 3 === 0 ? rng.uniform() : rng.gaussian());
        theirs.push(k % 3 === 0 ? reference.double() : referenceGaussian());
      }
      expect(ours).toEqual(theirs);
    }
  });

  it('gives the same values for the same seed', () => {
    expect(draws('abc', 50)).toEqual(draws('abc', 50));
  });

  it('gives different values for different seeds', () => {
    expect(draws('abc', 5)).not.toEqual(draws('abd', 5));
  });

  it('derives distinct trial seeds from run seed, claim id and trial index', () => {
    const seeds = new Set([trialSeed(1, '1.2', 0), trialSeed(1, '1.2', 1), trialSeed(1, '1.3', 0), trialSeed(2, '1.2', 0)]);
    expect(seeds.size).toBe(4);
    expect(trialSeed(1, '1.2', 7)).toBe(trialSeed(1, '1.2', 7));
  });

  it('keeps uniforms in [0, 1) and between() in its interval', () => {
    const rng = createRng('range');
    for (let k = 0; k < 1000; k++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const b = rng.between(-2, 3);
      expect(b >= -2 && b < 3).toBe(true);
    }
  });

  it('Box–Muller stays finite when the uniform is exactly 0', () => {
    const [a, b] = boxMuller(0, 0.25);
    expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    expect(a).toBe(0);
  });

  it('Box–Muller turns u₁ = 1 − e^{−1/2}, u₂ = 0 into (1, 0)', () => {
    const [a, b] = boxMuller(1 - Math.exp(-0.5), 0);
    expect(a).toBeCloseTo(1, 14);
    expect(b).toBe(0);
  });

  it('draws standard normals: mean 0 and variance 1 within five standard errors', () => {
    const rng = createRng('moments');
    const n = 20000;
    const xs = Array.from({ length: n }, () => rng.gaussian());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    // The variance of the sample variance of a normal is 2/(n − 1).
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / (n - 1)));
  });
});

describe('random matrices', () => {
  it('gaussianMatrix has the requested shape and scale', () => {
    const m = gaussianMatrix(createRng('g'), 200, 100, 3);
    expect([m.rows, m.columns]).toEqual([200, 100]);
    const values = m.to1DArray();
    const rms = Math.sqrt(values.reduce((s, x) => s + x * x, 0) / values.length);
    expect(Math.abs(rms - 3)).toBeLessThan(0.1);
  });

  it('randomOrthogonal gives QᵀQ = I', () => {
    const q = randomOrthogonal(createRng('q'), 7);
    const identity = q.transpose().mmul(q);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(identity.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 13);
  });

  it('randomOrthogonal is sign-symmetric (the QR signs are fixed): Q₀₀ takes both signs equally often', () => {
    // Without the sign fix, a Householder Q has Q₀₀ ≤ 0 for every input.
    const rng = createRng('haar');
    const n = 4000;
    let positive = 0;
    let sumOfSquares = 0;
    for (let k = 0; k < n; k++) {
      const q00 = randomOrthogonal(rng, 3).get(0, 0);
      if (q00 > 0) positive++;
      sumOfSquares += q00 * q00;
    }
    // Binomial(n, 1/2): five standard deviations are 5·√n/2.
    expect(Math.abs(positive - n / 2)).toBeLessThan((5 * Math.sqrt(n)) / 2);
    // For a uniformly random unit vector in ℝ³, E[q₀₀²] = 1/3.
    expect(sumOfSquares / n).toBeCloseTo(1 / 3, 1);
  });

  it('randomPermutation is a permutation matrix', () => {
    const p = randomPermutation(createRng('p'), 9);
    for (let i = 0; i < 9; i++) {
      expect(p.getRow(i).reduce((s, x) => s + x, 0)).toBe(1);
      expect(p.getColumn(i).reduce((s, x) => s + x, 0)).toBe(1);
    }
    expect(p.to1DArray().every((x) => x === 0 || x === 1)).toBe(true);
  });

  it('matrixWithSpectralNorm hits the requested norm', () => {
    for (const norm of [0.25, 0.9, 3]) {
      expect(spectralNorm(matrixWithSpectralNorm(createRng(`s${norm}`), 6, 4, norm))).toBeCloseTo(norm, 12);
    }
  });

  it('nonNormalMatrix has small eigenvalues but the requested large norm', () => {
    const m = nonNormalMatrix(createRng('nn'), 6, 0.1, 5);
    expect(spectralNorm(m)).toBeCloseTo(5, 9);
    const eig = new EigenvalueDecomposition(m);
    eig.realEigenvalues.forEach((re, i) => {
      const im = eig.imaginaryEigenvalues[i] ?? 0;
      expect(Math.hypot(re, im)).toBeLessThan(0.1 + 1e-6);
    });
  });

  it('nonNormalMatrix refuses n = 1, where no matrix is non-normal (the search for its norm would never end)', () => {
    expect(() => nonNormalMatrix(createRng('one'), 1, 0.5, 2)).toThrow('needs n ≥ 2');
  });

  it('nonNormalMatrix refuses a norm below its eigenvalue bound', () => {
    expect(() => nonNormalMatrix(createRng('nn'), 3, 2, 0.5)).toThrow(RangeError);
  });

  it('matrices are ml-matrix Matrix instances', () => {
    expect(randomOrthogonal(createRng('t'), 2)).toBeInstanceOf(Matrix);
  });
});

describe('draws consumed', () => {
  // Each generator takes exactly the draws it uses, so what is drawn after it is the same
  // whatever it did with them (and a replay from a recorded seed stays in step).
  const after = (seed: string, take: (rng: ReturnType<typeof createRng>) => unknown): number => {
    const rng = createRng(seed);
    take(rng);
    return rng.uniform();
  };
  it('gaussianVector and gaussianMatrix take one normal per entry', () => {
    const normals = (count: number) => (rng: ReturnType<typeof createRng>) => {
      for (let k = 0; k < count; k++) rng.gaussian();
    };
    expect(after('count-v', (rng) => gaussianVector(rng, 5))).toBe(after('count-v', normals(5)));
    expect(after('count-m', (rng) => gaussianMatrix(rng, 3, 4))).toBe(after('count-m', normals(12)));
  });
  it('randomPermutation takes n − 1 integers (none for the last position)', () => {
    const integers = (n: number) => (rng: ReturnType<typeof createRng>) => {
      for (let i = n - 1; i > 0; i--) rng.integer(i + 1);
    };
    expect(after('count-p', (rng) => randomPermutation(rng, 6))).toBe(after('count-p', integers(6)));
  });
});

describe('degenerate sizes', () => {
  it('nonNormalMatrix with norm 0 is the zero matrix', () => {
    expect(spectralNorm(nonNormalMatrix(createRng('zero'), 4, 0, 0))).toBe(0);
  });
});

describe('draws replayed', () => {
  it('matches seedrandom’s Alea on many short seeds (its state words start on either side of 0)', () => {
    // The constructor adds 1 to a state word that the seed's hash made negative; each short seed
    // below lands on one side or the other, and any change to that fix-up changes the stream.
    for (let k = 0; k < 64; k++) {
      const seed = `seed-${k}`;
      const reference = seedrandom.alea(seed);
      const rng = createRng(seed);
      const ours = Array.from({ length: 8 }, () => rng.uniform());
      const theirs = Array.from({ length: 8 }, () => reference.double());
      expect(ours).toEqual(theirs);
    }
  });

  // For each seed, Mash's hash of the seed equals that of one of the constructor's hashes of ' ', so
  // that state word's difference is exactly 0 and must stay 0 (only a negative word gets +1).
  // Found by searches over all pairs of UTF-16 code units; the first assertion re-checks each.
  it.each([
    ['first', 's0', String.fromCharCode(0x1ec0, 0x4d16)],
    ['second', 's1', String.fromCharCode(0x8197, 0x36e5)],
  ] as const)('matches seedrandom’s Alea on a seed whose %s state word starts at exactly 0', (_, word, seed) => {
    const reference = seedrandom.alea(seed, { state: true });
    expect(reference.state()[word]).toBe(0);
    const rng = createRng(seed);
    const ours = Array.from({ length: 8 }, () => rng.uniform());
    expect(ours).toEqual(Array.from({ length: 8 }, () => reference.double()));
  });

  it('gaussianVector multiplies each normal of the stream by the scale', () => {
    const replay = createRng('vector');
    const expected = Array.from({ length: 7 }, () => 2.5 * replay.gaussian());
    expect(Array.from(gaussianVector(createRng('vector'), 7, 2.5))).toEqual(expected);
  });

  it('randomPermutation draws each of the 3! permutations equally often', () => {
    // A uniform shuffle of three items: each permutation has probability 1/6. The count of one of
    // them in n draws is Binomial(n, 1/6); five standard deviations are 5·√(n·(1/6)·(5/6)).
    const rng = createRng('shuffle');
    const n = 6000;
    const counts = new Map<string, number>();
    for (let k = 0; k < n; k++) {
      const p = randomPermutation(rng, 3);
      const key = [0, 1, 2].map((row) => p.getRow(row).indexOf(1)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) {
      expect(Math.abs(count - n / 6)).toBeLessThan(5 * Math.sqrt((n * 5) / 36));
    }
  });
});

describe('nonNormalMatrix in detail', () => {
  /** The diagonal of T, replayed: row i draws its eigenvalue, then one normal per entry right of the diagonal. */
  const replayedEigenvalues = (seed: string, n: number, bound: number): number[] => {
    const rng = createRng(seed);
    const d: number[] = [];
    for (let i = 0; i < n; i++) {
      d.push(rng.between(-bound, bound));
      for (let j = i + 1; j < n; j++) rng.gaussian();
    }
    return d;
  };
  /** tr(Wᵏ) for k = 1, 2, 3: for W = Q T Qᵀ with T triangular, tr(Wᵏ) = tr(Tᵏ) = Σ dᵢᵏ. */
  const powerTraces = (w: Matrix): number[] => {
    const w2 = w.mmul(w);
    return [w.trace(), w2.trace(), w2.mmul(w).trace()];
  };
  const sumsOfPowers = (d: number[]): number[] => [1, 2, 3].map((k) => d.reduce((s, x) => s + x ** k, 0));
  const evaluations = () => vi.mocked(spectralNorm).mock.calls.length;

  it('has the replayed eigenvalues: tr(Wᵏ) = Σ dᵢᵏ for k = 1, 2, 3', () => {
    const w = nonNormalMatrix(createRng('traces'), 4, 0.5, 3);
    const d = replayedEigenvalues('traces', 4, 0.5);
    powerTraces(w).forEach((t, k) => expect(t).toBeCloseTo(sumsOfPowers(d)[k] as number, 10));
  });

  it('works at n = 2, the smallest size with a non-normal matrix', () => {
    const w = nonNormalMatrix(createRng('two'), 2, 0.5, 3);
    expect(spectralNorm(w)).toBeCloseTo(3, 12);
    const [d0, d1] = replayedEigenvalues('two', 2, 0.5) as [number, number];
    expect(w.trace()).toBeCloseTo(d0 + d1, 12);
    // det W = det T = d₀·d₁.
    expect(w.get(0, 0) * w.get(1, 1) - w.get(0, 1) * w.get(1, 0)).toBeCloseTo(d0 * d1, 12);
  });

  it('accepts a norm equal to ‖D‖ (s = 0 meets it) and gives up after 200 halvings', () => {
    // ‖D‖ = max |dᵢ| for a diagonal D. Here ‖D + sN‖ ≥ ‖D‖ for every s, so the bisection never
    // raises its lower end and stops at its cap: 1 evaluation of ‖D‖, 1 of ‖D + N‖ (no doubling
    // needed), then at most 200 halvings.
    const d = replayedEigenvalues('tie', 3, 0.5);
    const norm = Math.max(...d.map(Math.abs));
    vi.mocked(spectralNorm).mockClear();
    const w = nonNormalMatrix(createRng('tie'), 3, 0.5, norm);
    expect(evaluations()).toBeLessThanOrEqual(202);
    expect(spectralNorm(w)).toBeCloseTo(norm, 12);
    expect(w.trace()).toBeCloseTo(d.reduce((s, x) => s + x, 0), 12);
  });

  it('stops the bisection at 1e-15 relative precision: about fifty halvings, not the cap of 200', () => {
    // Once ‖D + sN‖ ≥ norm at s = high, the bracket [0, high] halves until its width is at most
    // 1e-15·high, i.e. log₂(1e15) ≈ 50 halvings, plus the doublings of high (here ‖N‖ is of
    // order 1 and the target 40, so about log₂ 40 ≈ 5 of them).
    vi.mocked(spectralNorm).mockClear();
    const w = nonNormalMatrix(createRng('count'), 4, 0.1, 40);
    expect(evaluations()).toBeLessThan(100);
    expect(spectralNorm(w)).toBeCloseTo(40, 10);
  });

  it('hits a tiny norm when every eigenvalue is 0 (s far below 1)', () => {
    // With D = 0, ‖sN‖ = s‖N‖: the norm is linear in s and the bisection must find s = norm/‖N‖
    // to the same relative precision as any other s.
    for (const norm of [1e-10, 1e-20]) {
      const w = nonNormalMatrix(createRng(`tiny-${norm}`), 3, 0, norm);
      expect(spectralNorm(w) / norm).toBeCloseTo(1, 12);
    }
  });
});
