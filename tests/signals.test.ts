import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, temporaryDirectory } from './helpers.js';

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts hwcheck, lets it work for `afterMs`, then sends SIGINT (Ctrl-C) and collects the outcome.
 * The runs are long on purpose: --max-time lets them past the guard that refuses runs of hours.
 */
function interruptAfter(args: string[], afterMs: number, cwd?: string): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGINT'), afterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Ctrl-C (SIGINT) during a long run', () => {
  it('prints the summary of the finished trials, writes no report file and exits 130', async () => {
    const dir = temporaryDirectory();
    const run = await interruptAfter(['all', '--trials', '1000000', '--max-time', '600', '--reporter', `junit=${join(dir, 'report.xml')}`], 2000, dir);
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('interrupted: the verdicts cover the trials that finished');
    expect(run.stdout).toMatch(/1\.1 +rnn-equiv +hold +\d+\/1000000/);
    expect(run.stdout).toMatch(/\d+ claims?: \d+ hold, 0 fail, 0 error/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with --json, the document on stdout is complete, marked interrupted', async () => {
    const run = await interruptAfter(['vanish', '--trials', '1000000', '--max-time', '600', '--json'], 2000);
    expect(run.code).toBe(130);
    const report = JSON.parse(run.stdout);
    expect(report.options.interrupted).toBe(true);
    expect(report.claims[0].trials).toBeGreaterThan(0);
    expect(report.claims[0].trials).toBeLessThan(report.claims[0].plannedTrials);
  });

  it('stops worker threads too', async () => {
    const run = await interruptAfter(['momentum', '--only', '2.2', '--trials', '1000000', '--max-time', '600', '--workers', '2', '--json'], 2500);
    expect(run.code).toBe(130);
    const report = JSON.parse(run.stdout);
    expect(report.options.interrupted).toBe(true);
    expect(report.claims[0].verdict).toBe('hold');
  });
});
