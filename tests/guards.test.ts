import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/claims/index.js';
import { estimateRun, formatSeconds } from '../src/run/estimate.js';
import { runCli } from './helpers.js';

describe('resource guards: refused up front with the estimate, never an out-of-memory crash', () => {
  it('--dim 100000 (or a batch of a million) is refused with the memory it would need', async () => {
    for (const args of [['rnn-equiv', '--dim', '100000'], ['vanish', '--dim', '100000'], ['taylor', '--dim', '100000'], ['weightnorm', '--batch', '1000000', '--dim', '1000']]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^hwcheck: .*--(dim|batch) \d+.* would need about [\d.]+ [GTP]B of matrices per trial \(limit 1\.00 GB\); choose smaller sizes\n$/);
    }
  });

  it('--trials 1e12 is refused with the time it would take', async () => {
    const run = await runCli(['vanish', '--trials', '1e12']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hwcheck: invalid value "1e12" for --trials: expected an integer from 1 to 1000000 \(this run would take about [\d.e]+ years\)\n$/);
  });

  it('a run estimated above an hour is refused, naming the options and the estimate', async () => {
    const run = await runCli(['all', '--trials', '100000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hwcheck: --trials 100000: the run would take about [\d.]+ h \(estimated from the sizes and trials\); use fewer trials or smaller sizes, or bound it with --max-time SECONDS\n$/);
    expect(run.stdout).toBe('');
  });

  it('with --max-time the same run goes ahead, with a warning, and stops in time', async () => {
    const run = await runCli(['vanish', '--trials', '1000000', '--max-time', '0.2', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^hwcheck: warning: the run would take about [\d.]+ h; --max-time 0\.2 stops it after about 0 s\n$/);
    const report = JSON.parse(run.stdout);
    expect(report.claims[0].trials).toBeLessThan(report.claims[0].plannedTrials);
  });

  it('a single trial estimated above an hour is refused even with --max-time, which cannot cut a trial', async () => {
    const run = await runCli(['taylor', '--dim', '2500', '--max-time', '10']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hwcheck: --dim 2500: one trial would take about [\d.]+ h \(estimated from the sizes\); choose smaller sizes\n$/);
  });

  it('estimates the default run of every subcommand well under a minute', () => {
    for (const command of COMMANDS) {
      const trials = Math.max(...command.claims.map((c) => c.trials));
      expect(estimateRun([{ command, given: {}, trials }]).seconds, command.name).toBeLessThan(60);
    }
  });

  it('grows the full vanish check’s estimate like n³ once the size dominates', () => {
    const vanish = COMMANDS.find((c) => c.name === 'vanish');
    if (vanish === undefined) throw new Error('no vanish');
    const at = (dim: string) => estimateRun([{ command: vanish, given: { dim, method: 'full' }, trials: 1 }]).seconds;
    expect(at('128') / at('64')).toBeGreaterThan(6);
    expect(at('128') / at('64')).toBeLessThan(8);
  });

  it('formats durations for people', () => {
    expect([formatSeconds(95), formatSeconds(720), formatSeconds(3.5 * 3600), formatSeconds(31 * 86400), formatSeconds(2e12)]).toEqual([
      '95 s',
      '12 min',
      '3.5 h',
      '31 days',
      '6.3e4 years',
    ]);
  });
});
