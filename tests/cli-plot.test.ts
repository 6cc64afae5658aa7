import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { runCli } from './helpers.js';

/** Runs the CLI in-process as if stdout were a terminal of the given width. */
async function onTerminal(args: string[], env: Record<string, string> = {}, columns = 100): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => undefined,
    env: { NO_COLOR: '1', LANG: 'en_GB.UTF-8', ...env },
    stdoutIsTTY: true,
    columns,
  });
  return { code, stdout };
}

const JACOBIAN_TITLE = '‖∂g_t/∂g_0‖ under the bound δ^t (tanh, δ = 0.9)';
const SMALL = ['--trials', '1', '--steps', '8', '--dim', '4'];

describe('--plot: curves in the terminal', () => {
  it('shows the decay under the bound for hwcheck vanish --delta 0.9 --plot, under the claim’s verdict', async () => {
    const run = await runCli(['vanish', '--delta', '0.9', '--plot', ...SMALL], { env: { LANG: 'C.UTF-8' } });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const verdict = lines.findIndex((line) => line.startsWith('✔ 1.2'));
    const title = lines.findIndex((line) => line.includes(JACOBIAN_TITLE));
    const next = lines.findIndex((line) => line.startsWith('✔ 1.3'));
    expect(verdict).toBeGreaterThanOrEqual(0);
    expect(title).toBeGreaterThan(verdict);
    expect(title).toBeLessThan(next);
    expect(run.stdout).toContain('‖∂g_t/∂g_0‖ (log scale)');
    expect(run.stdout).toMatch(/·· bound δ\^t {3}── random W on the boundary/);
  });

  it('draws in plain ASCII when the terminal is not UTF-8 (snapshot, NO_COLOR)', async () => {
    const run = await runCli(['vanish', '--only', '1.2', '--plot', ...SMALL], { env: { LANG: 'C' } });
    const plot = run.stdout.slice(run.stdout.indexOf(JACOBIAN_TITLE));
    expect(plot).toMatchSnapshot();
    const chart = plot.split('\n').slice(2, 13).join('\n');
    expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('draws nothing into a pipe unless --plot is given', async () => {
    const run = await runCli(['vanish', ...SMALL]);
    expect(run.stdout).not.toContain(JACOBIAN_TITLE);
  });

  it('draws by default on a terminal where claims are shown one by one, and not with --no-plot', async () => {
    expect((await onTerminal(['vanish', ...SMALL])).stdout).toContain(JACOBIAN_TITLE);
    expect((await onTerminal(['vanish', '--no-plot', ...SMALL])).stdout).not.toContain(JACOBIAN_TITLE);
  });

  it('keeps the all table short on a terminal; with --plot each claim’s plots follow the table', async () => {
    expect((await onTerminal(['all', '--only', '1.2', '--trials', '1'])).stdout).not.toContain(JACOBIAN_TITLE);
    const run = await runCli(['all', '--only', '1.2,2.3,4.1', '--trials', '1', '--plot']);
    const table = run.stdout.indexOf('claim  subcommand');
    expect(table).toBeGreaterThanOrEqual(0);
    for (const title of [JACOBIAN_TITLE, 'E[v_t] climbs to μ as (1−β^t)μ', 'BN(wᵀx + b) − (w/‖w‖)ᵀx shrinks like N^(−1/2)']) {
      expect(run.stdout.indexOf(title)).toBeGreaterThan(table);
    }
    expect(run.stdout).toMatch(/✔ 1\.2 λ₁\(WᵀW\) ≤ δ²\/γ².*\n {7}‖∂g_t\/∂g_0‖ under the bound/);
  });

  it('sizes the chart to the terminal width', async () => {
    for (const columns of [60, 140]) {
      const { stdout } = await onTerminal(['vanish', '--only', '1.2', ...SMALL], {}, columns);
      const chart = stdout.split('\n').filter((line) => /[┤┼└]/.test(line));
      expect(chart.length).toBeGreaterThan(10);
      for (const line of chart) expect([...line].length).toBeLessThanOrEqual(columns);
      expect(Math.max(...chart.map((line) => [...line].length))).toBeGreaterThan(Math.min(columns, 128) - 15);
    }
  });

  it('leaves the JSON document alone: plots are data there, never drawings', async () => {
    const run = await runCli(['vanish', '--only', '1.2', '--json', '--plot', ...SMALL]);
    const report = JSON.parse(run.stdout);
    expect(report.claims[0].example.plots[0].key).toBe('jacobian');
    expect(run.stdout).not.toContain('┤');
  });

  it('draws a plot per claim that has one for every subcommand', async () => {
    const runs = await Promise.all([
      runCli(['momentum', '--only', '2.3', '--trials', '1', '--plot']),
      runCli(['taylor', '--only', '3.1,3.2', '--trials', '1', '--plot']),
      runCli(['weightnorm', '--only', '4.1,4.3', '--trials', '1', '--steps', '20', '--plot']),
    ]);
    const text = runs.map((r) => r.stdout).join('\n');
    for (const title of [
      'E[v_t] climbs to μ as (1−β^t)μ',
      'shrinks like ε³ (log-sum-exp',
      'f̂(x₀ − εg) against ε',
      'shrinks like N^(−1/2)',
      '‖u_t‖ never decreases under gradient steps on u',
      'so the effective scale g/‖u_t‖',
    ]) {
      expect(text).toContain(title);
    }
  });
});
