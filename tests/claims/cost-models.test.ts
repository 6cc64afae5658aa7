import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand } from '../../src/claims/index.js';
import { formatBytes } from '../../src/claims/subcommand.js';
import { UsageError } from '../../src/options.js';
import { dumpTrial } from '../../src/run/runner.js';

// Each subcommand carries a model of its cost: seconds per trial (the time guard) and bytes of
// matrices per trial (the memory guard). Their constants are timed by `npm run bench`, not here;
// what a test can hold them to is their shape: positive and finite, never smaller when a size
// grows, and growing when the work does. (How fast they grow depends on the method a size
// selects, e.g. claim 1.2 switches to its matrix-free check at large n.)

describe('the cost models of every subcommand', () => {
  for (const command of COMMANDS) {
    const sizes = command.options.filter((spec) => spec.shrinkTo !== undefined);
    // Called inside each test: work done while tests are collected is invisible to mutation testing.
    const defaults = () => command.prepare({}).params;

    it(`${command.name}: a trial at the defaults costs a positive, finite time well under a minute`, () => {
      const seconds = command.trialSeconds({});
      expect(Number.isFinite(seconds)).toBe(true);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(60);
    });

    for (const spec of sizes) {
      it(`${command.name}: doubling ${spec.flag} twice makes a trial strictly longer each time`, () => {
        const base = defaults()[spec.key] as number;
        const times = [1, 2, 4].map((factor) => command.trialSeconds({ [spec.key]: String(base * factor) }));
        expect(times[1]).toBeGreaterThan(times[0] as number);
        expect(times[2]).toBeGreaterThan(times[1] as number);
      });
    }

    const dim = sizes.find((spec) => spec.key === 'dim');
    if (dim !== undefined) {
      it(`${command.name}: too large a --dim is refused up front, by the option's range or by the memory guard with its estimate`, () => {
        expect(() => command.prepare({})).not.toThrow();
        let accepted = true;
        try {
          dim.parse('100000');
        } catch {
          accepted = false;
        }
        let error: unknown;
        try {
          command.prepare({ dim: '100000' });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(Error);
        if (accepted) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toMatch(/^--dim 100000 would need about [0-9.]+ (GB|TB|PB) of matrices per trial \(limit 1\.00 GB\)/);
        }
      });
    }
  }
});

/** How many numbers a --dump record holds: the inputs a trial builds, a floor under its memory. */
function numbersIn(value: unknown): number {
  if (typeof value === 'number') return 1;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + numbersIn(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, v) => sum + numbersIn(v), 0);
  return 0;
}

/** Sizes at which to compare the memory estimate with what a trial records. */
const SIZES: Readonly<Record<string, readonly Record<string, string>[]>> = {
  'rnn-equiv': [{}, { dim: '40', steps: '20' }, { inputDim: '60', steps: '30' }],
  vanish: [{}, { dim: '30', steps: '20', method: 'full' }, { dim: '80', steps: '10' }, { inputDim: '50', steps: '40' }],
  momentum: [{}, { dim: '50', steps: '100' }, { samples: '400', steps: '30' }],
  taylor: [{}, { dim: '30' }],
  weightnorm: [{}, { dim: '20', batch: '60', steps: '20' }, { steps: '40', batch: '200' }],
};

// From below, the inputs a trial records are a floor under its memory. From above, at these
// moderate sizes the working arrays (Jacobians, runs, replications) are at most a few dozen
// times the inputs: an estimate 100 times the floor would refuse sizes that fit.
describe('the memory estimate covers the inputs a trial builds, without inflating them', () => {
  for (const command of COMMANDS) {
    it.each(SIZES[command.name] ?? [{}])(`${command.name} %j: 8 bytes × the numbers in the largest --dump record ≤ estimate ≤ 100 times that`, (given) => {
      const estimate = command.estimateBytes(given);
      const recorded = Math.max(...command.prepare(given).claims.map((claim) => numbersIn(dumpTrial(claim, 1, 0).inputs)));
      expect(recorded).toBeGreaterThan(0);
      expect(estimate).toBeGreaterThanOrEqual(8 * recorded);
      expect(estimate).toBeLessThanOrEqual(100 * 8 * recorded);
    });
  }
});

describe('findCommand', () => {
  it('finds every registered subcommand by its name, and nothing else', () => {
    for (const command of COMMANDS) expect(findCommand(command.name)).toBe(command);
    expect(findCommand('audit')).toBeUndefined();
    expect(findCommand('')).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses the largest unit below 1000 and stops at PB', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 kB');
    expect(formatBytes(1.5e9)).toBe('1.50 GB');
    expect(formatBytes(2e18)).toBe('2.00e+3 PB');
  });
});

describe('vanish’s cost models follow the route --method auto takes', () => {
  it('auto costs what full costs up to n = 64 and what matrix-free costs above, in time and in memory', () => {
    const vanish = findCommand('vanish');
    if (vanish === undefined) throw new Error('no vanish');
    for (const [dim, route] of [
      ['64', 'full'],
      ['65', 'matrix-free'],
    ] as const) {
      expect(vanish.trialSeconds({ method: 'auto', dim })).toBe(vanish.trialSeconds({ method: route, dim }));
      expect(vanish.estimateBytes({ method: 'auto', dim })).toBe(vanish.estimateBytes({ method: route, dim }));
    }
    // The two routes cost differently at the same size, so the comparisons above can tell them apart.
    expect(vanish.trialSeconds({ method: 'full', dim: '64' })).not.toBe(vanish.trialSeconds({ method: 'matrix-free', dim: '64' }));
    expect(vanish.trialSeconds({ method: 'full', dim: '65' })).not.toBe(vanish.trialSeconds({ method: 'matrix-free', dim: '65' }));
    expect(vanish.estimateBytes({ method: 'full', dim: '65' })).not.toBe(vanish.estimateBytes({ method: 'matrix-free', dim: '65' }));
  });
});
