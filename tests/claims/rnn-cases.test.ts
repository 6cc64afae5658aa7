import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { peakCase, randomCase, recordCases, saturatedCase, shiftMatrix } from '../../src/claims/rnn-cases.js';
import { ACTIVATIONS } from '../../src/num/activation.js';
import { createRng, gaussianMatrix, gaussianVector } from '../../src/num/random.js';
import { runOnActivations } from '../../src/num/rnn.js';

// The cases claims 1.2 and 1.3 build are checked here by running them, not by reading how they
// are made: the pre-activations a case produces are what makes a bound tight or a witness valid.

describe('peakCase', () => {
  it('without noise, holds every pre-activation at the peak, where |σ′| = γ', () => {
    for (const activation of [ACTIVATIONS.tanh, ACTIVATIONS.sigmoid, ACTIVATIONS.relu]) {
      const W = gaussianMatrix(createRng('peak W'), 4, 4, 0.5);
      const c = peakCase(createRng('peak'), 'peak', activation, W, 6);
      const { preactivations } = runOnActivations(W, activation, c.g0, c.drive);
      expect(preactivations).toHaveLength(6);
      for (const z of preactivations) for (const v of z) expect(Math.abs(v - activation.peak)).toBeLessThan(1e-12);
    }
  });

  it('without noise draws nothing from the generator', () => {
    const used = createRng('peak draws');
    peakCase(used, 'peak', ACTIVATIONS.tanh, Matrix.eye(3), 5);
    expect(used.gaussian()).toBe(createRng('peak draws').gaussian());
  });

  it('with noise, adds x_t ~ N(0, noise²) to the bias of each step', () => {
    const W = gaussianMatrix(createRng('noisy W'), 3, 3, 0.5);
    const quiet = peakCase(createRng('unused'), 'quiet', ACTIVATIONS.tanh, W, 4);
    const noisy = peakCase(createRng('noise'), 'noisy', ACTIVATIONS.tanh, W, 4, 0.01);
    // The same generator, drawn the way the case documents: one N(0, noise²) vector per step.
    const replay = createRng('noise');
    noisy.drive.forEach((d, t) => {
      const x = gaussianVector(replay, 3, 0.01);
      d.forEach((v, i) => expect(v).toBeCloseTo((quiet.drive[t] as Float64Array)[i] as number + (x[i] as number), 14));
    });
    expect(noisy.drive[0]).not.toEqual(noisy.drive[1]);
  });
});

describe('saturatedCase', () => {
  it('drives every unit to −(10 + the largest row sum of |W|) and keeps every pre-activation ≤ −10', () => {
    const W = new Matrix([
      [0.5, 0],
      [1, -2],
    ]);
    const c = saturatedCase('saturated', ACTIVATIONS.tanh, W, 5);
    for (const d of c.drive) expect(Array.from(d)).toEqual([-13, -13]);
    expect(Array.from(c.g0)).toEqual([Math.tanh(-13), Math.tanh(-13)]);
    const { preactivations } = runOnActivations(W, ACTIVATIONS.tanh, c.g0, c.drive);
    for (const z of preactivations) for (const v of z) expect(v).toBeLessThanOrEqual(-10);
  });

  it('takes the largest row, wherever it is', () => {
    const W = new Matrix([
      [3, -4],
      [1, 0],
    ]);
    expect(Array.from(saturatedCase('s', ACTIVATIONS.tanh, W, 1).drive[0] as Float64Array)).toEqual([-17, -17]);
  });
});

describe('shiftMatrix', () => {
  it('has ones on the superdiagonal only, so N^n = 0 while ‖N‖ = 1', () => {
    const N = shiftMatrix(3);
    expect(N.to2DArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expect(N.mmul(N).mmul(N).to2DArray().flat().every((v) => v === 0)).toBe(true);
    expect(shiftMatrix(1).to2DArray()).toEqual([[0]]);
  });
});

describe('randomCase', () => {
  it('scales U by 1/√m, so that U(x_t − x_s) has entries of variance about 2 whatever m is', () => {
    for (const m of [4, 400]) {
      const c = randomCase(createRng(`random case ${m}`), 'random', ACTIVATIONS.tanh, Matrix.eye(8), m, 60);
      // drive_t − drive_s = U(x_t − x_s): the bias cancels.
      const differences: number[] = [];
      for (let t = 1; t < c.drive.length; t++) {
        const a = c.drive[t] as Float64Array;
        const b = c.drive[t - 1] as Float64Array;
        a.forEach((v, i) => differences.push(v - (b[i] as number)));
      }
      const variance = differences.reduce((s, d) => s + d * d, 0) / differences.length;
      expect(variance).toBeGreaterThan(1);
      expect(variance).toBeLessThan(4);
    }
  });

  it('starts from σ of a standard normal pre-activation', () => {
    const c = randomCase(createRng('random g0'), 'random', ACTIVATIONS.sigmoid, Matrix.eye(5), 2, 3);
    for (const v of c.g0) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
  });
});

describe('recordCases', () => {
  it('records W, every drive and g_0 under "activation, label", as plain arrays', () => {
    const W = new Matrix([[0.5]]);
    const c = saturatedCase('witness', ACTIVATIONS.tanh, W, 2);
    expect(recordCases([[ACTIVATIONS.tanh, c]])).toEqual({
      'tanh, witness': { W: [[0.5]], drive: [[-10.5], [-10.5]], g0: [Math.tanh(-10.5)] },
    });
  });
});
