import { describe, expect, it } from 'vitest';
import { RNN_EQUIV_DEFAULTS, type RnnEquivParams, equivalenceClaim, rnnEquivCommand } from '../../src/claims/rnn-equiv.js';
import { bindClaim } from '../../src/claims/subcommand.js';
import { runClaim } from '../../src/run/runner.js';
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
