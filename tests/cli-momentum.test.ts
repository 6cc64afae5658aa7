import { describe, expect, it } from 'vitest';
import { figureOf, spawnCli } from './helpers.js';


const hwcheck = spawnCli;

interface JsonClaim {
  id: string;
  verdict: string;
  example: { figures: { key: string; value: unknown }[] } | null;
  checks: { name: string; kind: string; count: number; worst: { trial: number } | null }[];
}


describe('hwcheck momentum on the command line', () => {
  it('holds claims 2.1, 2.2 and 2.3 at the defaults and exits 0', () => {
    const { code, stdout } = hwcheck('momentum', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { claims: JsonClaim[]; parameters: Record<string, Record<string, unknown>> };
    expect(report.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['2.1', 'hold'],
      ['2.2', 'hold'],
      ['2.3', 'hold'],
    ]);
    expect(report.parameters.momentum).toMatchObject({ steps: 200, dim: 4, samples: 2000, beta: null, delta: null });
    expect(figureOf(report.claims[0], 'beta')).toBe(0.9);
    expect(figureOf(report.claims[0], 'delta')).toBe(0.1);
  });

  it('prints the bias figures a student needs: μ, the corrected mean, the raw mean and 1−β^t, with z-scores', () => {
    const { code, stdout } = hwcheck('momentum', '--only', '2.3', '--trials', '1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ 2\.3 +hold/);
    expect(stdout).toMatch(/gaussian \(.*\), t=1 = μ -?[\d.]+ · corrected mean -?[\d.]+ \(z -?[\d.]+\) · raw mean -?[\d.]+ \(z -?[\d.]+\) · raw\/μ [\d.]+ vs 1−β\^t 0\.1/);
    expect(stdout).toContain('skewed (');
    expect(stdout).toContain('ar1 (');
    expect(stdout).toContain('level α of each statistical check');
    expect(stdout).toContain('probability that the default run (3 trials) fails by chance, at most = 1.00e-6');
  });

  it('accepts the momentum pair instead: --alpha 0.8 --epsilon 0.04 is β = 0.8, δ = 0.2', () => {
    const { code, stdout } = hwcheck('momentum', '--alpha', '0.8', '--epsilon', '0.04', '--only', '2.1', '--trials', '1', '--steps', '50', '--json');
    expect(code).toBe(0);
    const claim = (JSON.parse(stdout) as { claims: JsonClaim[] }).claims[0];
    expect(claim?.verdict).toBe('hold');
    expect(figureOf(claim, 'beta')).toBe(0.8);
    expect(figureOf(claim, 'delta')).toBeCloseTo(0.2, 14);
  });

  it('replays one trial of 2.2 with --trial, as printed in its replay command', () => {
    const full = (JSON.parse(hwcheck('momentum', '--only', '2.2', '--trials', '3', '--steps', '30', '--json').stdout) as { claims: (JsonClaim & { replay: string })[] }).claims[0];
    expect(full?.replay).toMatch(/^hwcheck momentum --steps 30 --seed 1 --only 2\.2 --trial \d$/);
    const trial = full?.checks[0]?.worst?.trial ?? -1;
    const replay = (JSON.parse(hwcheck('momentum', '--only', '2.2', '--steps', '30', '--trial', String(trial), '--json').stdout) as { claims: JsonClaim[] }).claims[0];
    expect(replay?.checks[0]?.worst).toEqual(full?.checks[0]?.worst);
  });

  it('is listed with its three claims, and `all` runs them', () => {
    expect(hwcheck('list').stdout).toMatch(/momentum — claims 2\.1–2\.3[^\n]*\n {2}2\.1 .*\n {2}2\.2 .*\n {2}2\.3 /);
    const all = JSON.parse(hwcheck('all', '--only', '2.x', '--trials', '1', '--json').stdout) as { claims: JsonClaim[] };
    expect(all.claims.map((c) => c.id)).toEqual(['2.1', '2.2', '2.3']);
  });

  it('documents its options in --help', () => {
    const { code, stdout } = hwcheck('momentum', '--help');
    expect(code).toBe(0);
    for (const flag of ['--beta <β>', '--delta <δ>', '--alpha <α>', '--epsilon <ε>', '--steps <T>', '--dim <n>', '--samples <R>', '--rtol <r>', '--atol <a>']) {
      expect(stdout).toContain(flag);
    }
  });

});
