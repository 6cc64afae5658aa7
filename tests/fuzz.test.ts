import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/claims/index.js';
import { BIN, runCli } from './helpers.js';

/** Values a careless or hostile user might type after an option. */
const HOSTILE = [
  '',
  ' ',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '1e308',
  '-1e308',
  '1e-320',
  '-0',
  '0',
  '-1',
  '1',
  '2',
  '3',
  '0.5',
  '0.999999999',
  '99999999999999999999',
  '1e12',
  '1/2',
  '2/2',
  '0x10',
  ' 2',
  '2 ',
  'ü',
  '😀',
  'tanh',
  'all',
  'json',
  'junit',
  '--',
  '--json',
  '-h',
];

const BOOLEAN_FLAGS = ['--json', '--no-color', '--no-shrink', '--timing', '--no-timing', '--verbose'];
const VALUE_FLAGS = ['--seed', '--trials', '--trial', '--only', '--shard', '--reporter'];

/** Every option some subcommand takes, plus a few nobody takes. */
const SUBCOMMAND_FLAGS = [...new Set(COMMANDS.flatMap((c) => c.options.map((o) => o.flag)))];
const FLAGS = [...SUBCOMMAND_FLAGS, ...VALUE_FLAGS, ...BOOLEAN_FLAGS, '--bogus', '-x'];
const COMMAND_NAMES = [...COMMANDS.map((c) => c.name), 'all', 'list', 'frobnicate', ''];

/** Values a subcommand accepts more often than not, so that fuzzed runs also get past validation. */
const PLAUSIBLE = ['1', '2', '3', '4', '0.5', '0.9', '1e-3', 'tanh', 'relu', 'all', 'pd', 'squared', '1.x', '1/2'];

/**
 * argv: a subcommand, up to four options (mostly its own, with plausible or hostile values, each
 * perhaps without one), perhaps a `--` separator and a stray word.
 */
const argvArbitrary = fc.constantFrom(...COMMAND_NAMES).chain((command) => {
  const own = [...(COMMANDS.find((c) => c.name === command)?.options.map((o) => o.flag) ?? []), ...VALUE_FLAGS, ...BOOLEAN_FLAGS];
  const flag = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...FLAGS) });
  const value = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE) }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) });
  return fc
    .tuple(fc.array(fc.tuple(flag, fc.option(value, { nil: undefined, freq: 4 })), { maxLength: 4 }), fc.boolean(), fc.option(fc.constantFrom(...HOSTILE), { nil: undefined, freq: 3 }))
    .map(([options, separator, trailing]) => {
      const words = [command, ...options.flatMap(([f, v]) => (v === undefined ? [f] : [f, v]))];
      if (separator) words.push('--');
      if (trailing !== undefined) words.push(trailing);
      return words;
    });
});

/** Keeps every run short: each claim stops drawing trials after 50 ms (at least one trial runs). */
const bounded = (argv: string[]) =>
  COMMANDS.some((c) => c.name === argv[0]) || argv[0] === 'all' ? [argv[0] ?? '', '--max-time', '0.05', ...argv.slice(1)] : argv;

function assertWellBehaved(argv: readonly string[], code: number | null, stdout: string, stderr: string): void {
  expect([0, 1, 2], `exit code of ${JSON.stringify(argv)}`).toContain(code);
  expect(stderr, `stack trace for ${JSON.stringify(argv)}`).not.toMatch(/\n\s+at /);
  if (code === 2) {
    const lines = stderr.split('\n').filter((line) => line !== '');
    // No arguments at all prints the help instead of one line.
    if (argv.length > 0 && argv[0] !== '') {
      expect(lines, `stderr of ${JSON.stringify(argv)}`).toHaveLength(1);
      expect(lines[0]).toMatch(/^hwcheck: /);
      const named = argv.some((word) => word.trim() !== '' && (lines[0] ?? '').includes(word.trim().split(/\s/)[0] ?? word));
      expect(named, `${JSON.stringify(lines[0])} names none of ${JSON.stringify(argv)}`).toBe(true);
    }
    expect(stdout).toBe('');
  }
}

describe('the CLI under hostile arguments', () => {
  it('always ends with exit 0, 1 or 2, one named line on a usage error and never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(argvArbitrary, async (argv) => {
        const run = await runCli(bounded(argv));
        assertWellBehaved(argv, run.code, run.stdout, run.stderr);
      }),
      { numRuns: 150, seed: 20261126 },
    );
  });

  it('with plausible arguments, which mostly run claims, behaves the same', async () => {
    const plausible = fc.constantFrom(...COMMANDS.map((c) => c.name), 'all').chain((command) => {
      const own = COMMANDS.find((c) => c.name === command)?.options.map((o) => o.flag) ?? ['--only'];
      return fc.array(fc.tuple(fc.constantFrom(...own, '--seed', '--trials'), fc.constantFrom(...PLAUSIBLE)), { maxLength: 3 }).map((options) => [command, ...options.flat()]);
    });
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(plausible, async (argv) => {
        const run = await runCli(bounded(argv));
        if (run.code !== 2) ran++;
        assertWellBehaved(argv, run.code, run.stdout, run.stderr);
      }),
      { numRuns: 40, seed: 20261128 },
    );
    // The property is only worth something if many of these runs got past validation.
    expect(ran).toBeGreaterThanOrEqual(10);
  });

  it('as a process: no stack trace, no file written but the ones asked for', () => {
    const dumpOrReport = fc.constantFrom(
      [] as string[],
      ['--dump', 'trial.json', '--trial', '0'],
      ['--reporter', 'json=report.json'],
      ['--reporter', 'junit=nested/report.xml'],
    );
    fc.assert(
      fc.property(argvArbitrary, dumpOrReport, (argv, files) => {
        const cwd = mkdtempSync(join(tmpdir(), 'hwcheck-fuzz-'));
        const words = [...bounded(argv), ...files];
        const result = spawnSync(process.execPath, [BIN, ...words], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        assertWellBehaved(words, result.status, result.stdout, result.stderr);
        const written = readdirSync(cwd);
        const asked = files.filter((word) => word.endsWith('.json') || word.endsWith('.xml')).map((word) => word.replace(/^\w+=/, ''));
        for (const name of written) expect(asked, `unexpected file ${name} after ${JSON.stringify(words)}`).toContain(name);
      }),
      { numRuns: 25, seed: 20261127 },
    );
  });
});
