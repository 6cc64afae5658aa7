import { describe, expect, it } from 'vitest';
import { registerSubcommand } from '../src/claims/subcommand.js';
import { TAYLOR_DEFAULTS, type TaylorParams, decreaseClaim, newtonClaim, taylorCommand, taylorStepClaim } from '../src/claims/taylor.js';
import { missingHalf } from '../fixtures/broken-taylor.js';
import { figureOf, runCli, spawnCli } from './helpers.js';


const hwcheck = spawnCli;

interface JsonClaim {
  id: string;
  verdict: string;
  example: { figures: { key: string; value: number | string | null }[] } | null;
}


describe('hwcheck taylor on the command line', () => {
  it('holds at the defaults: claims 3.1, 3.2 and 3.3, exit 0, with the order, the interval, ε* and Newton’s ratios', () => {
    const { code, stdout } = hwcheck('taylor');
    expect(code).toBe(0);
    expect(stdout).toContain('hwcheck taylor · seed 1 · default trials');
    expect(stdout).toContain('dim 8 · epsilon default · hessian all');
    expect(stdout).toMatch(/✔ 3\.1 +hold/);
    expect(stdout).toMatch(/✔ 3\.2 +hold/);
    expect(stdout).toMatch(/✔ 3\.3 +hold/);
    expect(stdout).toContain('log-sum-exp: measured order of f(x₁) − f̂(x₁) = ');
    expect(stdout).toContain('pd H: decrease interval 0 < ε < 2gᵀg/gᵀHg, upper end = ');
    expect(stdout).toContain('pd H: ε* = gᵀg/gᵀHg = ');
    expect(stdout).toContain('indefinite H: descent direction v at x_N = (');
    expect(stdout).toContain('softplus sum: e_{k+1}/e_k² = ');
    expect(stdout).toContain('3 claims: 3 hold, 0 fail, 0 error');
    expect(stdout).not.toContain('\u001b[');
  });

  it('reports the parameters and the figures in JSON', () => {
    const { code, stdout } = hwcheck('taylor', '--json', '--trials', '2');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { parameters: Record<string, unknown>; claims: JsonClaim[] };
    expect(report.parameters.taylor).toMatchObject({ dim: 8, epsilon: null, hessian: 'all', rtol: null, atol: null });
    const [step, decrease] = report.claims;
    expect(Math.abs((figureOf(step, 'Rosenbrock.order') as number) - 3)).toBeLessThan(0.1);
    expect(figureOf(decrease, 'pd.limit') as number).toBeCloseTo(2 * (figureOf(decrease, 'pd.best') as number), 10);
  });

  it('runs one kind of H at another size: --hessian indefinite --dim 3', () => {
    const { code, stdout } = hwcheck('taylor', '--hessian', 'indefinite', '--dim', '3', '--trials', '3');
    expect(code).toBe(0);
    expect(stdout).toContain('hessian indefinite');
    expect(stdout).toContain('3 claims: 3 hold, 0 fail, 0 error');
  });

  it('takes a fixed --epsilon and --rtol/--atol', () => {
    const { code, stdout } = hwcheck('taylor', '--epsilon', '0.25', '--rtol', '1e-9', '--atol', '1e-11', '--trials', '2', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { parameters: Record<string, Record<string, unknown>>; claims: JsonClaim[] };
    expect(report.parameters.taylor).toMatchObject({ epsilon: 0.25, rtol: 1e-9, atol: 1e-11 });
    expect(figureOf(report.claims[0], 'epsilon')).toBe(0.25);
  });

  it('is listed and run by `all`', () => {
    const report = JSON.parse(hwcheck('all', '--only', 'taylor', '--trials', '1', '--json').stdout) as { claims: JsonClaim[] };
    expect(report.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['3.1', 'hold'],
      ['3.2', 'hold'],
      ['3.3', 'hold'],
    ]);
    expect(hwcheck('list').stdout).toMatch(/^taylor — /m);
  });

  it('a broken eq (35) exits 1 with a counterexample and a replay command', async () => {
    const broken = registerSubcommand<TaylorParams>({
      name: 'taylor',
      summary: taylorCommand.summary,
      description: taylorCommand.description,
      examples: [],
      options: taylorCommand.options,
      defaults: TAYLOR_DEFAULTS,
      claims: [taylorStepClaim(missingHalf), decreaseClaim(), newtonClaim()],
      estimateBytes: () => 0,
      trialSeconds: () => 0.01,
    });
    const { code, stdout } = await runCli(['taylor', '--only', '3.1', '--trials', '2'], { commands: [broken] });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ 3\.1 +FAIL/);
    expect(stdout).toContain('counterexample [identity-mismatch]');
    expect(stdout).toMatch(/replay: hwcheck taylor --seed 1 --only 3\.1 --trial \d+/);
  });
});
