import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/num/activation.js';
import { createRng, gaussianMatrix, gaussianVector } from '../../src/num/random.js';
import { inputDrive, runOnActivations, runOnPreactivations } from '../../src/num/rnn.js';

// The recurrences, each against ml-matrix's products and a step written out here.

const column = (v: ArrayLike<number>) => Matrix.columnVector(Array.from(v));

/** A unit and its inputs, drawn afresh in each test (so no test depends on another's draws). */
function unit(seed: string) {
  const rng = createRng(seed);
  const n = 4;
  const m = 3;
  const W = gaussianMatrix(rng, n, n, 0.5);
  const U = gaussianMatrix(rng, n, m);
  const b = gaussianVector(rng, n);
  const inputs = Array.from({ length: 5 }, () => gaussianVector(rng, m));
  return { rng, n, W, U, b, inputs };
}

/** |x − y| within 1e−13 of max(1, |y|): a few ulps for the sizes here. */
const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(y)));

describe('the recurrent unit, step by step', () => {
  it('inputDrive is U x_t + b for every input', () => {
    const { W, U, b, inputs } = unit('rnn-drive');
    const drive = inputDrive({ W, U, b }, inputs);
    expect(drive).toHaveLength(inputs.length);
    drive.forEach((d, t) => {
      const expected = U.mmul(column(inputs[t] as Float64Array)).add(column(b)).getColumn(0);
      d.forEach((x, i) => close(x, expected[i] as number));
    });
  });

  it('runOnActivations: g_t = σ(W g_{t−1} + d_t), the pre-activations kept', () => {
    const { rng, n, W, U, b, inputs } = unit('rnn-activations');
    const drive = inputDrive({ W, U, b }, inputs);
    const g0 = gaussianVector(rng, n);
    const { states, preactivations } = runOnActivations(W, ACTIVATIONS.tanh, g0, drive);
    expect(states).toHaveLength(drive.length + 1);
    expect(Array.from(states[0] as Float64Array)).toEqual(Array.from(g0));
    for (let t = 1; t <= drive.length; t++) {
      const z = W.mmul(column(states[t - 1] as Float64Array)).add(column(drive[t - 1] as Float64Array)).getColumn(0);
      (preactivations[t - 1] as Float64Array).forEach((x, i) => close(x, z[i] as number));
      (states[t] as Float64Array).forEach((x, i) => close(x, Math.tanh(z[i] as number)));
    }
  });

  it('runOnPreactivations: h_t = W σ(h_{t−1}) + d_t from h_0', () => {
    const { rng, n, W, U, b, inputs } = unit('rnn-preactivations');
    const drive = inputDrive({ W, U, b }, inputs);
    const h0 = gaussianVector(rng, n);
    const states = runOnPreactivations(W, ACTIVATIONS.sigmoid, h0, drive);
    expect(states).toHaveLength(drive.length + 1);
    expect(states[0]).toBe(h0);
    for (let t = 1; t <= drive.length; t++) {
      const sigma = (states[t - 1] as Float64Array).map((x) => 1 / (1 + Math.exp(-x)));
      const expected = W.mmul(column(sigma)).add(column(drive[t - 1] as Float64Array)).getColumn(0);
      (states[t] as Float64Array).forEach((x, i) => close(x, expected[i] as number));
    }
  });
});
