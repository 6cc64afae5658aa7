import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnCli, spawnCliAsync, withoutTimes } from './helpers.js';

const badInputs = JSON.parse(readFileSync(new URL('../fixtures/bad-inputs.json', import.meta.url), 'utf8')) as {
  args: string[];
  names: string;
}[];

const hwcheck = spawnCli;

describe('hwcheck on the command line', () => {
  it('vanish --delta 0.9: claims 1.2 and 1.3 hold, 1.2 with tightness ≥ 0.99, exit 0', () => {
    const { code, stdout } = hwcheck('vanish', '--delta', '0.9', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.claims.map((c: { id: string; verdict: string }) => [c.id, c.verdict])).toEqual([
      ['1.2', 'hold'],
      ['1.3', 'hold'],
    ]);
    expect(report.claims[0].tightness).toBeGreaterThanOrEqual(0.99);
  });

  it('rnn-equiv --activation all holds, exit 0', () => {
    const { code, stdout } = hwcheck('rnn-equiv', '--activation', 'all');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ 1\.1 +hold/);
  });

  it('prints a human report with verdicts, checks, figures and a summary, without colour codes under NO_COLOR', () => {
    const { code, stdout } = hwcheck('vanish', '--trials', '2');
    expect(code).toBe(0);
    expect(stdout).toContain('hwcheck vanish · seed 1 · 2 trials per claim');
    expect(stdout).toMatch(/✔ 1\.2 +hold/);
    expect(stdout).toContain('tightness 1.0000');
    expect(stdout).toContain('exploding witness');
    expect(stdout).toContain('2 claims: 2 hold, 0 fail, 0 error');
    expect(stdout).not.toContain('\u001b[');
  });

  it('the JSON document has the documented shape', () => {
    const report = JSON.parse(hwcheck('vanish', '--trials', '2', '--json').stdout);
    expect(report).toMatchObject({ tool: 'hwcheck', schemaVersion: 1, command: 'vanish', seed: 1, trials: 2, trial: null });
    expect(typeof report.version).toBe('string');
    expect(report.parameters.vanish).toMatchObject({ delta: 0.9, activation: 'tanh', dim: 8, steps: 30 });
    const claim = report.claims[0];
    for (const key of ['id', 'command', 'title', 'verdict', 'trials', 'worstRatio', 'tightness', 'checks', 'replay', 'ms']) {
      expect(claim).toHaveProperty(key);
    }
    expect(claim.replay).toMatch(/^hwcheck vanish --seed 1 --only 1\.2 --trial \d+$/);
    expect(report.summary).toMatchObject({ hold: 2, fail: 0, error: 0 });
  });

  it('the same seed and options give the same JSON, apart from times', () => {
    const a = hwcheck('all', '--seed', '9', '--trials', '3', '--json').stdout;
    const b = hwcheck('all', '--seed', '9', '--trials', '3', '--json').stdout;
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    expect(withoutTimes(a)).not.toEqual(withoutTimes(hwcheck('all', '--seed', '10', '--trials', '3', '--json').stdout));
  });

  it('the human report is byte-identical for the same seed when times are not shown', () => {
    expect(hwcheck('vanish', '--trials', '2', '--seed', '4').stdout).toBe(hwcheck('vanish', '--trials', '2', '--seed', '4').stdout);
  });

  it('--trial K reproduces trial K’s figures', () => {
    const full = JSON.parse(hwcheck('vanish', '--only', '1.2', '--trials', '5', '--json').stdout).claims[0];
    const bound = full.checks.find((c: { kind: string }) => c.kind === 'bound');
    const k = bound.tightest.trial;
    const replay = JSON.parse(hwcheck('vanish', '--only', '1.2', '--trial', String(k), '--json').stdout).claims[0];
    expect(replay.trials).toBe(1);
    expect(replay.example.trial).toBe(k);
    expect(replay.checks.find((c: { kind: string }) => c.kind === 'bound').tightest).toEqual(bound.tightest);
  });

  it('--only selects claims by id', () => {
    const report = JSON.parse(hwcheck('all', '--only', '1.3', '--trials', '1', '--json').stdout);
    expect(report.claims.map((c: { id: string }) => c.id)).toEqual(['1.3']);
  });

  it('all runs every registered claim and list names them', () => {
    const list = JSON.parse(hwcheck('list', '--json').stdout);
    const ids = list.commands.flatMap((c: { claims: { id: string }[] }) => c.claims.map((claim) => claim.id));
    const all = hwcheck('all', '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).claims.map((c: { id: string }) => c.id)).toEqual(ids);
    expect(ids).toEqual(expect.arrayContaining(['1.1', '1.2', '1.3']));
    expect(hwcheck('list').stdout).toMatch(/^rnn-equiv — /);
  });

  it('--help and --version exit 0 and print to stdout', () => {
    const help = hwcheck('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 every claim holds');
    const vanishHelp = hwcheck('vanish', '--help');
    expect(vanishHelp.code).toBe(0);
    expect(vanishHelp.stdout).toContain('--delta <δ>');
    expect(vanishHelp.stdout).toContain('Examples:');
    const version = hwcheck('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('no arguments print the help on stderr and exit 2', () => {
    const { code, stderr, stdout } = hwcheck();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: hwcheck');
  });

  it.concurrent.each(badInputs.map((b) => [b.args.join(' '), b.args, b.names] as const))(
    'bad input `%s` exits 2 with one line naming it and no stack trace',
    async (_label, args, names) => {
      const { code, stdout, stderr } = await spawnCliAsync(...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const lines = stderr.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hwcheck: /);
      expect(lines[0]).toContain(names);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );
});
