import { Matrix } from 'ml-matrix';
import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { vectorNorm } from '../../src/num/linalg.js';
import { type TrialDump, dumpTrial } from '../../src/run/runner.js';

/**
 * The figures of claims 4.x, recomputed from the inputs the same trial recorded (--dump): losses
 * and gradient norms by hand, the training runs' norms and scales from their recorded ‖u_t‖, the
 * witness batch's offset from its recorded mean and covariance.
 */
const dumpsOf = (claim: string): TrialDump[] => {
  const prepared = findCommand('weightnorm')?.prepare({}).claims.find((c) => c.id === claim);
  if (prepared === undefined) throw new Error(`no claim ${claim}`);
  return [0, 1].map((trial) => dumpTrial(prepared, 1, trial));
};
const valueOf = (record: TrialDump, key: string) => record.figures.find((f) => f.key === key)?.value;
const labelOf = (record: TrialDump, key: string) => record.figures.find((f) => f.key === key)?.label ?? '';

describe('claim 4.2’s figures', () => {
  let records: TrialDump[] = [];
  beforeEach(() => {
    records = dumpsOf('4.2');
  });

  it('the squared-error loss and ‖∇_w L‖ at w = g·u/‖u‖, by hand from the recorded batch; ‖∇_u L‖ and the FD error from the recorded gradients', () => {
    for (const record of records) {
      const inputs = record.inputs as Record<string, Record<string, unknown>>;
      const squared = inputs.squared as { X: number[][]; targets: number[]; bias: number; u: number[]; g: number; gradientW: number[]; gradientU: number[]; finiteDifferences: number[] };
      const w = squared.u.map((x) => (squared.g * x) / vectorNorm(squared.u));
      const residuals = squared.X.map((x, i) => x.reduce((s, xj, j) => s + xj * (w[j] as number), squared.bias) - (squared.targets[i] as number));
      const loss = residuals.reduce((s, r) => s + 0.5 * r * r, 0) / residuals.length;
      expect(valueOf(record, 'squared.loss') as number).toBeCloseTo(loss, 10);
      const gradient = w.map((_, j) => residuals.reduce((s, r, i) => s + r * ((squared.X[i] as number[])[j] as number), 0) / residuals.length);
      expect(Math.max(...gradient.map((x, j) => Math.abs(x - (squared.gradientW[j] as number))))).toBeLessThan(1e-10);
      for (const loss of ['squared', 'logistic', 'softmax']) {
        const r = inputs[loss] as { g: number; gradientW: number[]; gradientU: number[]; finiteDifferences: number[] };
        expect(valueOf(record, `${loss}.gradientW`)).toBeCloseTo(vectorNorm(r.gradientW), 12);
        expect(valueOf(record, `${loss}.gradientU`)).toBeCloseTo(vectorNorm(r.gradientU), 12);
        expect(valueOf(record, `${loss}.differenceError`)).toBeCloseTo(Math.max(...r.gradientU.map((x, j) => Math.abs(x - (r.finiteDifferences[j] as number)))), 15);
        // W* removes the part of ∇_w L along u: |g|/‖u‖·‖W*∇_w L‖ ≤ |g|/‖u‖·‖∇_w L‖.
        const u = (inputs[loss] as { u: number[] }).u;
        expect(vectorNorm(r.gradientU)).toBeLessThanOrEqual((Math.abs(r.g) / vectorNorm(u)) * vectorNorm(r.gradientW) * (1 + 1e-12));
      }
    }
  });
});

describe('claim 4.3’s figures', () => {
  it('start and end of ‖u‖, g/‖u‖ and L, from each run’s recorded norms and losses; the equality case stays put', () => {
    for (const record of dumpsOf('4.3')) {
      const inputs = record.inputs as Record<string, { g: number; norms: number[]; losses?: number[] }>;
      for (const loss of ['squared', 'logistic', 'softmax']) {
        const run = inputs[loss] as { g: number; norms: number[]; losses: number[] };
        expect(valueOf(record, `${loss}.normStart`)).toBe(run.norms[0]);
        expect(valueOf(record, `${loss}.normEnd`)).toBe(run.norms.at(-1));
        expect(labelOf(record, `${loss}.normEnd`)).toBe(`${loss}: ‖u‖ at step ${run.norms.length - 1}`);
        expect(valueOf(record, `${loss}.scaleStart`)).toBeCloseTo(run.g / (run.norms[0] as number), 14);
        expect(valueOf(record, `${loss}.scaleEnd`)).toBeCloseTo(run.g / (run.norms.at(-1) as number), 14);
        expect(valueOf(record, `${loss}.lossStart`)).toBe(run.losses[0]);
        expect(valueOf(record, `${loss}.lossEnd`)).toBe(run.losses.at(-1));
        // Training lowers the loss and grows ‖u‖.
        expect(run.losses.at(-1) as number).toBeLessThan(run.losses[0] as number);
        expect(run.norms.at(-1) as number).toBeGreaterThan(run.norms[0] as number);
      }
      const equality = inputs['equality case'] as { norms: number[] };
      expect(valueOf(record, 'equality.normStart')).toBe(equality.norms[0]);
      expect(valueOf(record, 'equality.normEnd')).toBe(equality.norms.at(-1));
      expect(Math.abs((equality.norms.at(-1) as number) / (equality.norms[0] as number) - 1)).toBeLessThan(1e-12);
      // ∇_w L = w on the whitened batch, so ‖∇_w L‖ = |g| = 2.
      expect(valueOf(record, 'equality.gradientW')).toBeCloseTo(2, 12);
    }
  });
});

describe('claim 4.1’s figures', () => {
  it('the witness batch’s aᵀμ and √(aᵀΣa) from its recorded mean and covariance, and the rates at the ends of the fit', () => {
    for (const record of dumpsOf('4.1')) {
      const inputs = record.inputs as { w: number[]; witness: { mean: number[]; covariance: number[][] }; convergence: { sizes: number[]; meanSquaredMismatch: number[]; exponent: number } };
      const a = inputs.w.map((x) => x / vectorNorm(inputs.w));
      const offset = a.reduce((s, x, j) => s + x * (inputs.witness.mean[j] as number), 0);
      const spread = Math.sqrt(new Matrix([a]).mmul(new Matrix(inputs.witness.covariance)).mmul(Matrix.columnVector(a)).get(0, 0));
      expect(valueOf(record, 'witnessOffset')).toBe(`${offset.toPrecision(4)} and ${spread.toPrecision(4)}`);
      const { sizes, meanSquaredMismatch, exponent } = inputs.convergence;
      expect(valueOf(record, 'exponent')).toBe(exponent);
      expect(valueOf(record, 'mismatchSmall')).toBeCloseTo(Math.sqrt(meanSquaredMismatch[0] as number), 14);
      expect(valueOf(record, 'mismatchLarge')).toBeCloseTo(Math.sqrt(meanSquaredMismatch.at(-1) as number), 14);
      expect(labelOf(record, 'mismatchSmall')).toBe(`RMS mismatch at N = ${sizes[0]} (≈ √(3/2N) = ${Math.sqrt(1.5 / (sizes[0] as number)).toPrecision(3)})`);
      expect(labelOf(record, 'mismatchLarge')).toBe(`RMS mismatch at N = ${sizes.at(-1)} (≈ √(3/2N) = ${Math.sqrt(1.5 / (sizes.at(-1) as number)).toPrecision(3)})`);
      expect(valueOf(record, 'whitenedMismatch') as number).toBeLessThan(1e-12);
      expect(valueOf(record, 'conditionNumber') as number).toBeGreaterThan(1);
    }
  });
});

describe('claim 4.3’s equality case, from its record', () => {
  it('records its raw and whitened batch and constant targets; the whitened batch has mean 0 and covariance I', () => {
    for (const record of dumpsOf('4.3')) {
      const equality = (record.inputs as Record<string, { rawBatch?: number[][]; X?: number[][]; targets?: number[]; bias?: number }>)['equality case'];
      expect(equality?.rawBatch?.length).toBeGreaterThan(0);
      expect(equality?.targets?.every((y) => y === equality.bias)).toBe(true);
      const X = new Matrix(equality?.X ?? []);
      expect(X.rows).toBe(equality?.rawBatch?.length);
      for (const m of X.mean('column')) expect(Math.abs(m)).toBeLessThan(1e-12);
      const covariance = X.transpose().mmul(X).div(X.rows);
      const identity = Matrix.eye(X.columns);
      expect(Math.max(...covariance.sub(identity).to1DArray().map(Math.abs))).toBeLessThan(1e-10);
    }
  });
});
