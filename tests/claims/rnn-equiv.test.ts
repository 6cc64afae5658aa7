import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { RNN_EQUIV_DEFAULTS, type RnnEquivParams, equivalenceClaim, rnnEquivCommand } from '../../src/claims/rnn-equiv.js';
import { bindClaim } from '../../src/claims/subcommand.js';
import { runClaim } from '../../src/run/runner.js';
import { createRng } from '../../src/num/random.js';
import { UsageError } from '../../src/options.js';
import { activationAfterProduct, halfInputDrive } from '../../fixtures/broken-claims.js';

const params = (overrides: Partial<RnnEquivParams> = {}): RnnEquivParams => ({ ...RNN_EQUIV_DEFAULTS, ...overrides });
const run = (definition: ReturnType<typeof equivalenceClaim>, p: RnnEquivParams, seed = 1, trials = 10) =>
  runClaim(bindClaim(definition, p, 'rnn-equiv'), { seed, trials });

describe('claim 1.1: g_0 = σ(h_0) ⇒ g_t = σ(h_t)', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    const result = run(equivalenceClaim(), params(), seed);
    expect(result.verdict).toBe('hold');
    expect(result.checks.map((c) => c.name)).toEqual(['g_t = σ(h_t)', 'h_t = W g_{t−1} + U x_t + b']);
  });

  it('holds for every activation, with rectangular U and long runs', () => {
    const result = run(equivalenceClaim(), params({ activation: 'all', dim: 6, inputDim: 11, steps: 300 }), 4, 3);
    expect(result.verdict).toBe('hold');
    // 5 activations × 301 states × 3 trials.
    expect(result.checks[0]?.count).toBe(5 * 301 * 3);
  });

  it('compares every step, starting at t = 0', () => {
    const result = run(equivalenceClaim(), params({ steps: 7 }), 1, 1);
    expect(result.checks[0]?.count).toBe(8);
  });
});

describe('claim 1.1 has teeth', () => {
  it('reports the activation placed after the product as a failure', () => {
    const result = run(equivalenceClaim(activationAfterProduct), params());
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.at).toMatch(/^tanh, t=1/);
    expect(result.failure?.replay).toBe('hwcheck rnn-equiv --seed 1 --only 1.1 --trial 0');
  });

  it('reports a recurrence that loses half of its input as a failure', () => {
    expect(run(equivalenceClaim(halfInputDrive), params({ activation: 'relu' })).verdict).toBe('fail');
  });
});

describe('rnn-equiv options', () => {
  it.each([
    ['activation', 'foo', '--activation'],
    ['dim', '0', '--dim'],
    ['inputDim', '-1', '--input-dim'],
    ['steps', '1.5', '--steps'],
    ['atol', 'NaN', '--atol'],
  ])('refuses %s = %j naming %s', (key, value, flag) => {
    expect(() => rnnEquivCommand.prepare({ [key]: value })).toThrow(UsageError);
    expect(() => rnnEquivCommand.prepare({ [key]: value })).toThrow(flag);
  });
});

describe('what a claim 1.1 trial reports', () => {
  const trial = (overrides: Partial<RnnEquivParams>, seed = 'rnn-equiv report') => equivalenceClaim().trial(createRng(seed), params(overrides));

  it('records W, U, b, the inputs and h_0, which replay to the same states', () => {
    const outcome = trial({ dim: 3, inputDim: 5, steps: 4 });
    const record = (outcome.inputs?.() as Record<string, Record<string, number[] | number[][]>>).tanh as Record<string, number[][]>;
    expect(Object.keys(record).sort()).toEqual(['U', 'W', 'b', 'h0', 'x']);
    const W = new Matrix(record.W as number[][]);
    const U = new Matrix(record.U as number[][]);
    expect([W.rows, W.columns, U.rows, U.columns]).toEqual([3, 3, 3, 5]);
    expect(record.x).toHaveLength(4);
    // The reported ‖W‖, recomputed from the recorded W by a different route.
    const norm = outcome.figures?.find((f) => f.key === 'tanh.norm')?.value as number;
    expect(norm).toBeCloseTo(new SingularValueDecomposition(W).norm2, 10);
  });

  it('scales U by 1/√m, so U x_t has entries of unit variance whatever m is', () => {
    const record = (trial({ dim: 20, inputDim: 400, steps: 1 }).inputs?.() as Record<string, Record<string, number[][]>>).tanh as Record<string, number[][]>;
    const entries = (record.U as number[][]).flat();
    const variance = entries.reduce((s, v) => s + v * v, 0) / entries.length;
    expect(variance * 400).toBeGreaterThan(0.8);
    expect(variance * 400).toBeLessThan(1.2);
  });

  it('reports ‖W‖ and the largest |g_t − σ(h_t)| per activation, named after it when there are several', () => {
    const one = trial({});
    expect(one.figures?.map((f) => [f.key, f.label])).toEqual([
      ['tanh.norm', '‖W‖'],
      ['tanh.largestDifference', 'max_t |g_t − σ(h_t)|'],
    ]);
    // Both routes evaluate the same operations in the same order, so a correct step differs by 0;
    // a broken one shows that the figure is the largest difference over t.
    expect(one.figures?.[1]?.value).toBe(0);
    const broken = equivalenceClaim(halfInputDrive).trial(createRng('rnn-equiv report'), params({}));
    const errors = broken.checks.filter((c) => c.name === 'g_t = σ(h_t)').map((c) => c.error);
    expect(Math.max(...errors)).toBeGreaterThan(0);
    expect(broken.figures?.[1]?.value).toBe(Math.max(...errors));
    const all = trial({ activation: 'all' });
    expect(all.figures?.map((f) => f.label)).toContain('relu: ‖W‖');
    expect(all.figures?.map((f) => f.label)).toContain('softplus: max_t |g_t − σ(h_t)|');
    expect(all.figures).toHaveLength(10);
  });
});
