import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import {
  WEIGHTNORM_DEFAULTS,
  WEIGHTNORM_FORMULAS,
  type WeightNormFormulas,
  type WeightNormParams,
  fitMismatchExponent,
  gradientClaim,
  normGrowthClaim,
  randomProblem,
  unitParameters,
  weightnormCommand,
} from '../../src/claims/weightnorm.js';
import { type Rng, createRng } from '../../src/num/random.js';
import { type TrialDump, dumpTrial } from '../../src/run/runner.js';
import { identityProjection } from '../../fixtures/broken-weightnorm.js';

/**
 * The models inside claims 4.1–4.3, each held to a property reached by another route: the
 * convergence fit recomputed from the very rows and outputs it used, the generators' ranges
 * and spreads, the checks' normalisations on a W* whose answer is known, and the shape of the
 * cost model.
 */

const params = (overrides: Partial<WeightNormParams> = {}): WeightNormParams => ({ ...WEIGHTNORM_DEFAULTS, ...overrides });
const dumps = (claim: ReturnType<typeof gradientClaim>, p: WeightNormParams, trials: number): TrialDump[] =>
  Array.from({ length: trials }, (_, trial) => dumpTrial(bindClaim(claim, p, 'weightnorm'), 1, trial));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, j) => s + x * (b[j] as number), 0);
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

describe('fitMismatchExponent: the streams behind claim 4.1’s convergence fit', () => {
  it('gives BN the outputs wᵀx + b of consecutive N(0, I) rows, and averages the squared mismatch over its streams', () => {
    const draws: number[] = [];
    const base = createRng('convergence streams');
    const rng: Rng = {
      uniform: () => base.uniform(),
      between: (low, high) => base.between(low, high),
      integer: (n) => base.integer(n),
      gaussian: () => {
        const value = base.gaussian();
        draws.push(value);
        return value;
      },
    };
    // Formulas that record what they are given: the rows x (the array is reused, so copied) and the batches z.
    const rows: number[][] = [];
    const batches: number[][] = [];
    const formulas: WeightNormFormulas = {
      ...WEIGHTNORM_FORMULAS,
      batchNormalise(z) {
        batches.push(Array.from(z));
        return WEIGHTNORM_FORMULAS.batchNormalise(z);
      },
      normalisedUnit(w, bias, x) {
        rows.push(Array.from(x));
        return WEIGHTNORM_FORMULAS.normalisedUnit(w, bias, x);
      },
    };
    const w = Float64Array.from([1.5, -2, 0.5]);
    const bias = 1.25;
    const N = 5;
    const d = w.length;
    const fit = fitMismatchExponent(rng, formulas, w, bias, N);
    expect(fit.sizes).toEqual([N, 4 * N, 16 * N, 64 * N]);
    const total = 64 * N;
    const streams = batches.length / fit.sizes.length;
    expect(Number.isInteger(streams)).toBe(true);
    expect(streams).toBeGreaterThan(1);

    // Every row is d fresh draws, used once: nothing drawn is skipped, nothing is left over.
    expect(rows).toHaveLength(streams * total);
    expect(draws).toHaveLength(rows.length * d);
    rows.forEach((x, i) => expect(x).toEqual(draws.slice(i * d, (i + 1) * d)));

    // Each stream normalises the prefixes of its own outputs z_i = wᵀx_i + b.
    const unitOf = (x: number[]) => dot(w, x) / norm(w);
    const meanSquared = fit.sizes.map(() => 0);
    for (let r = 0; r < streams; r++) {
      fit.sizes.forEach((size, k) => {
        const z = batches[r * fit.sizes.length + k] as number[];
        expect(z).toHaveLength(size);
        const x = rows.slice(r * total, r * total + size);
        z.forEach((zi, i) => expect(Math.abs(zi - bias - dot(w, x[i] as number[]))).toBeLessThan(1e-12));
        // BN by hand (population variance) against the unit by hand.
        const mean = z.reduce((s, v) => s + v, 0) / size;
        const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / size);
        const squared = z.reduce((s, v, i) => s + ((v - mean) / sd - unitOf(x[i] as number[])) ** 2, 0) / size;
        meanSquared[k] = (meanSquared[k] as number) + squared / streams;
      });
    }
    fit.meanSquared.forEach((m, k) => expect(m).toBeCloseTo(meanSquared[k] as number, 12));
    // The exponent is the least-squares slope of log √(mean square) on log N.
    const xs = fit.sizes.map(Math.log);
    const ys = meanSquared.map((m) => Math.log(Math.sqrt(m)));
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
    const my = ys.reduce((s, v) => s + v, 0) / ys.length;
    const slope = xs.reduce((s, v, k) => s + (v - mx) * ((ys[k] as number) - my), 0) / xs.reduce((s, v) => s + (v - mx) ** 2, 0);
    expect(fit.exponent).toBeCloseTo(slope, 10);
  });
});

describe('unitParameters: the weight and bias of claim 4.1', () => {
  it('draws ‖w‖ uniformly in [2, 4] and |b| uniformly in [½, 2], with either sign equally often', () => {
    const rng = createRng('unit parameters');
    const n = 4000;
    const drawn = Array.from({ length: n }, () => unitParameters(rng, 3));
    const norms = drawn.map(({ w }) => norm(w));
    const sizes = drawn.map(({ bias }) => Math.abs(bias));
    for (const v of norms) expect(v >= 2 && v <= 4).toBe(true);
    for (const v of sizes) expect(v >= 0.5 && v <= 2).toBe(true);
    // Uniform laws: ‖w‖ < 3 half the time, |b| < 1 a third of the time (1/b or b² would shift these by far more than 5σ ≈ 0.04).
    const share = (flags: boolean[]) => flags.filter(Boolean).length / n;
    expect(Math.abs(share(norms.map((v) => v < 3)) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(share(sizes.map((v) => v < 1)) - 1 / 3)).toBeLessThan(0.04);
    expect(Math.abs(share(drawn.map(({ bias }) => bias < 0)) - 0.5)).toBeLessThan(0.04);
  });
});

describe('claim 4.1’s witness batch, from its --dump record', () => {
  it('has exactly the recorded mean μ (with aᵀμ = 2 and a part across a) and covariance Σ, whose eigenvalues fill [¼, 4]', () => {
    const prepared = weightnormCommand.prepare({}).claims.find((c) => c.id === '4.1');
    if (prepared === undefined) throw new Error('no claim 4.1');
    const eigenvalues: number[] = [];
    for (let trial = 0; trial < 6; trial++) {
      const inputs = dumpTrial(prepared, 1, trial).inputs as { w: number[]; witness: { mean: number[]; covariance: number[][]; batch: number[][] } };
      const { mean, covariance, batch } = inputs.witness;
      const a = inputs.w.map((x) => x / norm(inputs.w));
      expect(dot(a, mean)).toBeCloseTo(2, 12);
      const across = mean.map((m, j) => m - 2 * (a[j] as number));
      expect(norm(across)).toBeGreaterThan(0.1);
      // The batch's own mean and population covariance are μ and Σ.
      const X = new Matrix(batch);
      X.mean('column').forEach((m, j) => expect(m).toBeCloseTo(mean[j] as number, 10));
      const centred = X.clone().subRowVector(mean);
      const sampleCovariance = centred.transpose().mmul(centred).div(X.rows);
      expect(Math.max(...sampleCovariance.sub(new Matrix(covariance)).abs().to1DArray())).toBeLessThan(1e-10);
      eigenvalues.push(...new EigenvalueDecomposition(new Matrix(covariance), { assumeSymmetric: true }).realEigenvalues);
    }
    for (const lambda of eigenvalues) {
      expect(lambda).toBeGreaterThanOrEqual(0.25 * (1 - 1e-12));
      expect(lambda).toBeLessThanOrEqual(4 * (1 + 1e-12));
    }
    // 48 log-uniform eigenvalues: none below ½ or none above 2 would have probability 0.75⁴⁸ ≈ 10⁻⁶.
    expect(Math.min(...eigenvalues)).toBeLessThan(0.5);
    expect(Math.max(...eigenvalues)).toBeGreaterThan(2);
  });
});

/** The training accuracy of the least-squares linear classifier on [X, 1] with one-hot targets: how noisy the labels are. */
function linearAccuracy(X: number[][], labels: number[], classes: number): number {
  const design = new Matrix(X.map((x) => [...x, 1]));
  const targets = new Matrix(labels.map((y) => Array.from({ length: classes }, (_, k) => (k === y ? 1 : 0))));
  const scores = design.mmul(solve(design, targets));
  const correct = labels.filter((y, i) => {
    const row = scores.getRow(i);
    return row.indexOf(Math.max(...row)) === y;
  }).length;
  return correct / labels.length;
}

describe('randomProblem: labels that are informative but noisy, and the fixed rows of the softmax model', () => {
  // d = 16 concentrates the teacher's norm: ‖β‖² = (4/d)·χ²_d lies in [1.3², 2.7²] with probability 0.95.
  const d = 16;
  const N = 4000;

  it('logistic: a teacher of norm ≈ 2 leaves a linear classifier right on about 80 % of the samples, never nearly all', () => {
    for (const seed of ['logistic a', 'logistic b']) {
      const { X, labels } = randomProblem(createRng(seed), 'logistic', d, N).data() as { X: number[][]; labels: number[] };
      // E σ(‖β‖·|Z|) is 0.74–0.85 for ‖β‖ in [1.3, 2.7]; a teacher d times larger would give ≥ 0.98.
      const accuracy = linearAccuracy(X, labels, 2);
      expect(accuracy).toBeGreaterThan(0.6);
      expect(accuracy).toBeLessThan(0.9);
    }
  });

  it('softmax: teacher rows of norm ≈ 2 against score noise of s.d. ½ leave clear but imperfect labels', () => {
    for (const seed of ['softmax a', 'softmax b']) {
      const data = randomProblem(createRng(seed), 'softmax', d, N).data() as { X: number[][]; labels: number[]; otherRowsOfW: number[][] };
      // Noise of s.d. 2 (4 times too much) would leave a linear classifier right on under 65 % of the samples.
      expect(linearAccuracy(data.X, data.labels, 4)).toBeGreaterThan(0.7);
      // Between two classes j and k the label is the sign of (t_j − t_k)ᵀx plus noise of s.d. ½√2 against
      // ‖t_j − t_k‖ ≈ 2√2: a few percent of the pairs flip (about 6 % misclassified by the fit); a
      // teacher d times larger would flip almost none (≥ 98 % right).
      const pairs: number[] = [];
      for (let j = 0; j < 4; j++) {
        for (let k = j + 1; k < 4; k++) {
          const members = data.labels.flatMap((y, i) => (y === j || y === k ? [i] : []));
          pairs.push(linearAccuracy(members.map((i) => data.X[i] as number[]), members.map((i) => (data.labels[i] === j ? 0 : 1)), 2));
        }
      }
      const pairAccuracy = pairs.reduce((s, a) => s + a, 0) / pairs.length;
      expect(pairAccuracy).toBeGreaterThan(0.85);
      expect(pairAccuracy).toBeLessThan(0.965);
      // The fixed rows of W have N(0, 1/d) entries: mean square 1/d (48 entries: within ±50 % with probability > 0.999).
      const entries = data.otherRowsOfW.flat();
      expect(entries).toHaveLength(3 * d);
      const meanSquare = entries.reduce((s, v) => s + v * v, 0) / entries.length;
      expect(meanSquare).toBeGreaterThan(0.5 / d);
      expect(meanSquare).toBeLessThan(1.5 / d);
    }
  });
});

describe('the normalisations of claim 4.2’s and 4.3’s checks, on W* = I where their values are known', () => {
  it('4.2 reads ‖W* u‖/‖u‖ = 1 and uᵀ∇_u L/(|g|·‖∇_w L‖) = sign(g)·cos∠(u, ∇_w L), whatever ‖u‖ and g', () => {
    for (const record of dumps(gradientClaim(identityProjection), params({ g: -1.5 }), 3)) {
      const inputs = record.inputs as Record<string, { u: number[]; g: number; gradientW: number[] }>;
      for (const loss of ['squared', 'logistic', 'softmax']) {
        const { u, g, gradientW } = inputs[loss] as { u: number[]; g: number; gradientW: number[] };
        const lhs = (name: string) => record.checks.find((c) => c.check.startsWith(name) && c.at === loss)?.lhs;
        expect(lhs('W* u = 0')).toBeCloseTo(1, 12);
        expect(lhs('∇_u L ⊥ u')).toBeCloseTo((Math.sign(g) * dot(u, gradientW)) / (norm(u) * norm(gradientW)), 12);
      }
    }
  });

  it('4.2 keeps the orthogonality check defined where |g|·‖∇_w L‖ = 0 (g = 0, which only the CLI refuses)', () => {
    for (const record of dumps(gradientClaim(), params({ g: 0 }), 2)) {
      const checks = record.checks.filter((c) => c.check.startsWith('∇_u L ⊥ u'));
      expect(checks).toHaveLength(3);
      for (const c of checks) {
        expect(c.lhs).toBe(0);
        expect(c.passed).toBe(true);
      }
    }
  });

  it('4.3’s equality case reads ‖∇_u L‖/((|g|/‖u‖)·‖∇_w L‖) = 1 when W* = I leaves ∇_w L whole', () => {
    for (const record of dumps(normGrowthClaim(identityProjection), params({ steps: 2 }), 3)) {
      const u0 = (record.inputs as Record<string, { u0: number[] }>)['equality case']?.u0 as number[];
      // ‖u₀‖ in [½, 1]: a normalisation by |g|·‖u‖ instead would read 1/‖u₀‖² ≥ 1.
      expect(norm(u0)).toBeLessThan(1);
      expect(record.checks.find((c) => c.check.startsWith('equality case: ∇_u L = 0'))?.lhs).toBeCloseTo(1, 12);
    }
  });
});

describe('the cost model of weightnorm', () => {
  const seconds = (given: Record<string, string>) => weightnormCommand.trialSeconds(given);
  // Claims 4.1 and 4.2 do not train: their cost is what is left at T = 0 of a model linear in T.
  const withoutTraining = (given: Record<string, string>) => 2 * seconds({ ...given, steps: '1' }) - seconds({ ...given, steps: '2' });
  const perStep = (given: Record<string, string>) => seconds({ ...given, steps: '2' }) - seconds({ ...given, steps: '1' });

  it('costs a positive time for one training step, at small and large batches', () => {
    const sizes: Record<string, string>[] = [{}, { dim: '2', batch: '3' }, { dim: '100', batch: '1000' }];
    for (const given of sizes) expect(seconds({ ...given, steps: '1' })).toBeGreaterThan(0);
  });

  it('grows with N·d both in the work that does not train and in the work per training step', () => {
    for (const size of ['dim', 'batch'] as const) {
      const base = { dim: '8', batch: '64' };
      const larger = { ...base, [size]: String(2 * Number(base[size])) };
      expect(withoutTraining(larger)).toBeGreaterThan(withoutTraining(base));
      expect(perStep(larger)).toBeGreaterThan(perStep(base));
    }
  });
});
