import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { randomProblem, rawBatch } from '../../src/claims/weightnorm.js';
import { vectorNorm } from '../../src/num/linalg.js';
import { createRng } from '../../src/num/random.js';
import { dumpTrial } from '../../src/run/runner.js';

/**
 * Claims 4.x hold for every batch, weight and loss, so a generator that drew the wrong inputs
 * would still pass. These tests hold the inputs to what the claims say they are, each property
 * measured independently from the generated data: the losses evaluated by hand, the batch's
 * statistics, the ranges of the drawn norms and biases (from --dump records over several trials).
 */

const softmaxLoss = (X: number[][], labels: number[], W: number[][], biases: number[]) =>
  X.reduce((sum, x, i) => {
    const scores = W.map((row, k) => row.reduce((s, wj, j) => s + wj * (x[j] as number), biases[k] as number));
    const top = Math.max(...scores);
    const logSum = top + Math.log(scores.reduce((s, v) => s + Math.exp(v - top), 0));
    return sum + logSum - (scores[labels[i] as number] as number);
  }, 0) / X.length;

describe('randomProblem: the batch, the labels and the loss of each kind', () => {
  const d = 4;
  const N = 3000;

  it('squared error: the loss is ½·mean (wᵀx + b − y)², and the targets are a linear teacher plus noise of s.d. 0.1', () => {
    const problem = randomProblem(createRng('squared'), 'squared', d, N);
    expect(problem.loss).toBe('squared');
    expect(problem.samples).toBe(N);
    const { X, targets, bias } = problem.data() as { X: number[][]; targets: number[]; bias: number };
    expect(X).toHaveLength(N);
    expect(problem.inputScale).toBeCloseTo(Math.max(...X.map((x) => Math.hypot(...x))), 12);
    const w = [0.3, -1, 0.5, 2];
    const expected = X.reduce((sum, x, i) => sum + 0.5 * (x.reduce((s, xj, j) => s + xj * (w[j] as number), bias) - (targets[i] as number)) ** 2, 0) / N;
    expect(problem.evaluate(Float64Array.from(w)).value).toBeCloseTo(expected, 10);
    // Least squares of the targets on [X, 1]: the residual is the noise, s.d. 0.1.
    const design = new Matrix(X.map((x) => [...x, 1]));
    const fit = solve(design, Matrix.columnVector(targets));
    const residual = design.mmul(fit).sub(Matrix.columnVector(targets));
    const sd = Math.sqrt(residual.to1DArray().reduce((s, r) => s + r * r, 0) / N);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    // …and the teacher is not zero: the targets vary far more than the noise.
    const mean = targets.reduce((s, y) => s + y, 0) / N;
    expect(Math.sqrt(targets.reduce((s, y) => s + (y - mean) ** 2, 0) / N)).toBeGreaterThan(0.5);
  });

  it('logistic: labels in {0, 1}, both classes common, and the loss is mean [log(1 + e^z) − y z]', () => {
    const problem = randomProblem(createRng('logistic'), 'logistic', d, N);
    const { X, labels, bias } = problem.data() as { X: number[][]; labels: number[]; bias: number };
    expect(labels.every((y) => y === 0 || y === 1)).toBe(true);
    const ones = labels.filter((y) => y === 1).length / N;
    expect(ones).toBeGreaterThan(0.3);
    expect(ones).toBeLessThan(0.7);
    const w = [0.3, -1, 0.5, 2];
    const expected = X.reduce((sum, x, i) => {
      const z = x.reduce((s, xj, j) => s + xj * (w[j] as number), bias);
      return sum + Math.log1p(Math.exp(z)) - (labels[i] as number) * z;
    }, 0) / N;
    expect(problem.evaluate(Float64Array.from(w)).value).toBeCloseTo(expected, 10);
    // The labels follow the inputs: the best linear fit of y on [X, 1] explains a clear share of its variance.
    const design = new Matrix(X.map((x) => [...x, 1]));
    const y = Matrix.columnVector(labels);
    const residual = design.mmul(solve(design, y)).sub(y).to1DArray();
    const explained = 1 - residual.reduce((s, r) => s + r * r, 0) / (N * ones * (1 - ones));
    expect(explained).toBeGreaterThan(0.2);
  });

  it('softmax: every class is someone’s label, the labels follow the inputs, and the loss is the mean cross-entropy over W’s rows', () => {
    const problem = randomProblem(createRng('softmax'), 'softmax', d, N);
    const data = problem.data() as { X: number[][]; labels: number[]; otherRowsOfW: number[][]; biases: number[]; weightNormalisedRow: number };
    expect(data.weightNormalisedRow).toBe(0);
    const classes = data.otherRowsOfW.length + 1;
    expect(data.biases).toHaveLength(classes);
    for (let k = 0; k < classes; k++) expect(data.labels.filter((y) => y === k).length, `class ${k}`).toBeGreaterThan(N / (4 * classes));
    const w = [0.3, -1, 0.5, 2];
    expect(problem.evaluate(Float64Array.from(w)).value).toBeCloseTo(softmaxLoss(data.X, data.labels, [w, ...data.otherRowsOfW], data.biases), 10);
    // Labels from a teacher: the class means of x differ clearly (a label drawn at random would leave them ≈ 0).
    const spread = Array.from({ length: classes }, (_, k) => {
      const members = data.X.filter((_, i) => data.labels[i] === k);
      return Math.hypot(...Array.from({ length: d }, (_, j) => members.reduce((s, x) => s + (x[j] as number), 0) / members.length));
    });
    expect(Math.min(...spread)).toBeGreaterThan(0.3);
  });
});

/** Every value in [low, high], and spread over more than `spread` of it (drawn, not fixed). */
function expectDrawnIn(values: number[], low: number, high: number, spread: number): void {
  for (const v of values) {
    expect(v).toBeGreaterThanOrEqual(low);
    expect(v).toBeLessThanOrEqual(high);
  }
  expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(spread);
}

describe('the inputs of claims 4.x over several trials (from --dump)', () => {
  const records = (claim: string) => {
    const command = findCommand('weightnorm');
    const prepared = command?.prepare({}).claims.find((c) => c.id === claim);
    if (prepared === undefined) throw new Error(`no claim ${claim}`);
    return Array.from({ length: 6 }, (_, trial) => dumpTrial(prepared, 1, trial).inputs as Record<string, unknown>);
  };

  it('4.1: ‖w‖ in [2, 4], |b| in [½, 2] with both signs, and a raw batch that needs whitening (off-centre, covariance far from I)', () => {
    const signs = new Set<number>();
    for (const inputs of records('4.1')) {
      const w = inputs.w as number[];
      const bias = inputs.bias as number;
      expect(vectorNorm(w)).toBeGreaterThanOrEqual(2);
      expect(vectorNorm(w)).toBeLessThanOrEqual(4);
      expect(Math.abs(bias)).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(bias)).toBeLessThanOrEqual(2);
      signs.add(Math.sign(bias));
      const raw = new Matrix(inputs.rawBatch as number[][]);
      const mean = raw.mean('column');
      expect(Math.hypot(...mean)).toBeGreaterThan(1);
      const centred = raw.clone().subRowVector(mean);
      const covariance = centred.transpose().mmul(centred).div(raw.rows);
      const singular = new SingularValueDecomposition(covariance).diagonal;
      expect(Math.max(...singular) / Math.min(...singular)).toBeGreaterThan(1.5);
      // Mixing singular values in [½, 2] give a population covariance with eigenvalues in [1/4, 4];
      // 32 samples in 8 dimensions spread a sample covariance's by (1 ± √(8/32))², i.e. ×0.25 to ×2.25.
      expect(Math.max(...singular)).toBeLessThan(4 * 3);
      expect(Math.min(...singular)).toBeGreaterThan(0.25 / 6);
    }
    expect([...signs].sort()).toEqual([-1, 1]);
  });

  it('4.2: each direction u has ‖u‖ in [½, 3], not tied to g', () => {
    const norms = records('4.2').flatMap((inputs) => Object.values(inputs).map((r) => vectorNorm((r as { u: number[] }).u)));
    expectDrawnIn(norms, 0.5, 3, 0.5);
  });

  it('4.3: every run starts at ‖u₀‖ in [½, 1]', () => {
    const norms = records('4.3').flatMap((inputs) => Object.values(inputs).map((r) => vectorNorm((r as { u0: number[] }).u0)));
    expectDrawnIn(norms, 0.5, 1, 0.1);
  });
});

describe('the raw batch that claim 4.1 whitens', () => {
  it('mixes with singular values spread over [½, 2]: the ratio of the largest to the smallest ranges up to 4', () => {
    // X = G·M + 1·cᵀ with G Gaussian (N×2), so X's sample covariance tends to MᵀM, whose
    // eigenvalues are M's squared singular values s₁², s₂². With ln s uniform on [−ln 2, ln 2]
    // and independent, |ln(s₁/s₂)| > ln 2 (ratio above 2) has probability ¼ per batch, and the
    // ratio never exceeds 4. N = 20 000 estimates the ratio to about 1 %.
    const ratios = Array.from({ length: 40 }, (_, k) => {
      const X = rawBatch(createRng(`raw batch ${k}`), 20000, 2);
      const centred = X.clone().subRowVector(X.mean('column'));
      // The 2×2 scatter matrix [[a, b], [b, c]]: its eigenvalues are the squared singular values.
      const scatter = centred.transpose().mmul(centred);
      const [a, b, c] = [scatter.get(0, 0), scatter.get(0, 1), scatter.get(1, 1)];
      const root = Math.hypot((a - c) / 2, b);
      return Math.sqrt(((a + c) / 2 + root) / ((a + c) / 2 - root));
    });
    expect(Math.max(...ratios)).toBeLessThan(4 * 1.05);
    expect(ratios.filter((r) => r > 2).length).toBeGreaterThanOrEqual(4);
    expect(ratios.filter((r) => r < 1.5).length).toBeGreaterThanOrEqual(4);
  });
});
