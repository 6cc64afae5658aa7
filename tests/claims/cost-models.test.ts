import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand } from '../../src/claims/index.js';
import { formatBytes } from '../../src/claims/subcommand.js';
import { UsageError } from '../../src/options.js';

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
