import { describe, expect, it } from 'vitest';
import { registerSubcommand } from '../src/claims/subcommand.js';
import { WEIGHTNORM_SUBCOMMAND, equivalenceClaim, gradientClaim, normGrowthClaim } from '../src/claims/weightnorm.js';
import { homeworkProjection } from '../fixtures/broken-weightnorm.js';
import { figureOf, runCli, spawnCli } from './helpers.js';


const hwcheck = spawnCli;

interface JsonFigure {
  key: string;
  value: number | string | null;
}
interface JsonClaim {
  id: string;
  verdict: string;
  tightness: number | null;
  example: { figures: JsonFigure[] } | null;
}


describe('hwcheck weightnorm on the command line', () => {
  it('holds at the defaults: claims 4.1, 4.2 and 4.3, exit 0, with figures and no colour codes', () => {
    const { code, stdout } = hwcheck('weightnorm');
    expect(code).toBe(0);
    expect(stdout).toContain('hwcheck weightnorm · seed 1 · default trials');
    expect(stdout).toMatch(/✔ 4\.1 +hold/);
    expect(stdout).toMatch(/✔ 4\.2 +hold/);
    expect(stdout).toMatch(/✔ 4\.3 +hold/);
    expect(stdout).toContain('fitted exponent of the RMS mismatch');
    expect(stdout).toContain('equality case: ‖u‖ at step 300');
    expect(stdout).toContain('3 claims: 3 hold, 0 fail, 0 error');
    expect(stdout).not.toContain('\u001b[');
  });

  it('reports the parameters, a fitted exponent near −1/2 and a tightness of 1 in JSON', () => {
    const { code, stdout } = hwcheck('weightnorm', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { parameters: Record<string, unknown>; claims: JsonClaim[] };
    expect(report.parameters.weightnorm).toMatchObject({ dim: 8, batch: 32, g: 2, lr: 0.5, steps: 300, loss: 'all' });
    expect(report.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['4.1', 'hold'],
      ['4.2', 'hold'],
      ['4.3', 'hold'],
    ]);
    expect(Math.abs((figureOf(report.claims[0], 'exponent') as number) + 0.5)).toBeLessThan(0.2);
    expect(report.claims[2]?.tightness).toBeGreaterThan(0.999999);
  });

  it('runs one loss with its options: --loss softmax --g -1.5 --lr 2 --steps 40', () => {
    const { code, stdout } = hwcheck('weightnorm', '--loss', 'softmax', '--g', '-1.5', '--lr', '2', '--steps', '40', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { claims: JsonClaim[] };
    expect(report.claims.every((c) => c.verdict === 'hold')).toBe(true);
    expect(figureOf(report.claims[2], 'normEnd') as number).toBeGreaterThan(figureOf(report.claims[2], 'normStart') as number);
  });

  it('replays one trial of one claim with --only and --trial', () => {
    const { code, stdout } = hwcheck('weightnorm', '--only', '4.3', '--trial', '2', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { claims: (JsonClaim & { trials: number })[] };
    expect(report.claims.map((c) => [c.id, c.trials])).toEqual([['4.3', 1]]);
  });

  it('is part of `hwcheck all`', () => {
    const { code, stdout } = hwcheck('all', '--trials', '1', '--json');
    expect(code).toBe(0);
    const ids = (JSON.parse(stdout) as { claims: JsonClaim[] }).claims.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['4.1', '4.2', '4.3']));
  });

});

describe('a broken weightnorm formula on the command line', () => {
  const broken = registerSubcommand({
    ...WEIGHTNORM_SUBCOMMAND,
    claims: [equivalenceClaim(homeworkProjection), gradientClaim(homeworkProjection), normGrowthClaim(homeworkProjection)],
  });

  it('the written answer’s W* = I − uᵀu/‖u‖²·I fails 4.2 and 4.3 with a counterexample and exit 1', async () => {
    const run = await runCli(['weightnorm', '--trials', '2', '--no-shrink'], { commands: [broken] });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✔ 4\.1 +hold/);
    expect(run.stdout).toMatch(/✘ 4\.2 +FAIL/);
    expect(run.stdout).toMatch(/✘ 4\.3 +FAIL/);
    expect(run.stdout).toContain('counterexample [identity-mismatch]');
    expect(run.stdout).toContain('finite differences');
  });
});
