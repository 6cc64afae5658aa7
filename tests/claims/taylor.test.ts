import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import {
  ORDER_WINDOW,
  TAYLOR_DEFAULTS,
  TAYLOR_FORMULAS,
  type TaylorParams,
  decreaseClaim,
  newtonClaim,
  selectedKinds,
  taylorCommand,
  taylorStepClaim,
} from '../../src/claims/taylor.js';
import type { ClaimDefinition } from '../../src/claims/subcommand.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { UsageError } from '../../src/options.js';
import { createRng } from '../../src/num/random.js';
import { symmetricWithSpectrum } from '../../src/num/taylor.js';
import { runClaim } from '../../src/run/runner.js';
import {
  bestStepAtBoundary,
  dampedNewton,
  limitIgnoringSign,
  limitWithoutTwo,
  missingHalf,
  newtonWithoutInverse,
  newtonWrongSign,
  perturbedHessian,
} from '../../fixtures/broken-taylor.js';

const params = (overrides: Partial<TaylorParams> = {}): TaylorParams => ({ ...TAYLOR_DEFAULTS, ...overrides });
const run = (definition: ClaimDefinition<TaylorParams>, p: TaylorParams = params(), seed = 1, trials?: number): ClaimResult =>
  runClaim(bindClaim(definition, p, 'taylor'), trials === undefined ? { seed } : { seed, trials });
const figure = (result: ClaimResult, key: string) => result.example?.figures.find((f) => f.key === key)?.value;
const check = (result: ClaimResult, fragment: string) => result.checks.find((c) => c.name.includes(fragment));

describe('claim 3.1: f̂(x₀ − εg) = f(x₀) − εgᵀg + ½ε²gᵀHg, and f − f̂ = O(ε³)', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    const result = run(taylorStepClaim(), params(), seed);
    expect(result.verdict).toBe('hold');
    expect(result.worstRatio).toBeLessThanOrEqual(1);
  });

  it('compares eq (35) with the definition for every kind of H and two ε per kind', () => {
    const closed = check(run(taylorStepClaim(), params(), 1, 5), 'eq (35)');
    // 4 kinds × 2 ε × 5 trials.
    expect(closed?.count).toBe(40);
    expect(closed?.failed).toBe(0);
  });

  it.each(['log-sum-exp', 'softplus sum', 'Rosenbrock'])('measures the order of the remainder for %s within 0.02 of 3', (name) => {
    const order = figure(run(taylorStepClaim(), params(), 1, 1), `${name}.order`);
    expect(typeof order).toBe('number');
    expect(Math.abs((order as number) - 3)).toBeLessThan(0.02);
  });

  it('reports the ε range of each fit, which lies in (0, 1/‖g‖]', () => {
    const range = figure(run(taylorStepClaim(), params(), 1, 1), 'log-sum-exp.range');
    expect(range).toMatch(/^\d\.\d\de-\d+ … \d\.\d\de-\d+$/);
  });

  it('uses a fixed --epsilon for the closed-form check', () => {
    const result = run(taylorStepClaim(), params({ epsilon: 0.37 }), 1, 2);
    expect(result.verdict).toBe('hold');
    expect(figure(result, 'epsilon')).toBe(0.37);
    expect(check(result, 'eq (35)')?.count).toBe(8);
  });

  it('holds in one dimension, where Rosenbrock is left out', () => {
    const result = run(taylorStepClaim(), params({ dim: 1 }), 1, 5);
    expect(result.verdict).toBe('hold');
    expect(figure(result, 'Rosenbrock.order')).toBeUndefined();
  });
});

describe('claim 3.1 has teeth', () => {
  it('reports eq (35) without its ½ as a mismatch with the definition', () => {
    const result = run(taylorStepClaim(missingHalf), params(), 1, 3);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toContain('eq (35)');
    expect(check(result, 'ε³')?.failed).toBe(check(result, 'ε³')?.count);
  });

  it('reports a model built on a perturbed Hessian: its remainder is O(ε²), not O(ε³)', () => {
    const result = run(taylorStepClaim(perturbedHessian), params(), 1, 3);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('ε³');
    expect(Math.abs((result.failure?.check?.lhs as number) - 3)).toBeGreaterThan(ORDER_WINDOW);
    // The closed form is still right, so its own check passes.
    expect(check(result, 'eq (35)')?.failed).toBe(0);
  });
});

describe('claim 3.2 with a given --epsilon', () => {
  const predicate = (result: ClaimResult) => check(result, 'exactly when the derived condition')?.count ?? 0;
  const unresolved = (result: ClaimResult) => (result.example?.figures ?? []).filter((f) => f.key.endsWith('.epsilonUnresolved')).length;

  it('adds a decidable ε to the sweep of every case', () => {
    const plain = run(decreaseClaim(), params(), 1, 3);
    const given = run(decreaseClaim(), params({ epsilon: 0.37 }), 1, 3);
    expect(given.verdict).toBe('hold');
    // One more ε in every case's sweep.
    expect(predicate(given)).toBeGreaterThan(predicate(plain));
    expect(unresolved(given)).toBe(0);
  });

  it('leaves out an ε so small that x₀ − εg rounds to x₀, and says so, rather than failing the predicate on rounding', () => {
    const plain = run(decreaseClaim(), params(), 1, 3);
    const tiny = run(decreaseClaim(), params({ epsilon: 1e-300 }), 1, 3);
    expect(tiny.verdict).toBe('hold');
    expect(predicate(tiny)).toBe(predicate(plain));
    expect(unresolved(tiny)).toBeGreaterThan(0);
    // x₀ − εg is x₀ itself: the figure shows a change of exactly 0.
    for (const f of tiny.example?.figures ?? []) if (f.key.endsWith('.epsilonUnresolved')) expect(f.value).toBe(0);
  });

  it('shows ε* only where there is one: never with --hessian nd (gᵀHg < 0 in every case)', () => {
    const keys = (run(decreaseClaim(), params({ hessian: 'nd' }), 1, 2).example?.figures ?? []).map((f) => f.key);
    expect(keys.some((key) => key.endsWith('.limit'))).toBe(true);
    expect(keys.filter((key) => key.endsWith('.best') || key.endsWith('.golden') || key.endsWith('.drop'))).toEqual([]);
  });
});

describe('claim 3.2: the decrease condition and the best step', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(decreaseClaim(), params(), seed).verdict).toBe('hold');
  });

  it.each(['pd', 'indefinite', 'nd', 'random'] as const)('holds for %s H alone', (hessian) => {
    expect(run(decreaseClaim(), params({ hessian }), 1, 5).verdict).toBe('hold');
  });

  it('shows the interval and ε* for a positive-definite H: the interval ends at 2ε*, and golden-section search agrees', () => {
    const result = run(decreaseClaim(), params(), 1, 1);
    const limit = figure(result, 'pd.limit') as number;
    const best = figure(result, 'pd.best') as number;
    expect(limit).toBeCloseTo(2 * best, 12);
    expect(figure(result, 'pd.golden') as number).toBeCloseTo(best, 6);
    expect(figure(result, 'pd.drop') as number).toBeLessThan(0);
  });

  it('sweeps the boundary at a relative offset δ far below 1 but far above rounding', () => {
    const delta = figure(run(decreaseClaim(), params(), 1, 1), 'pd.offset') as number;
    expect(delta).toBeGreaterThan(1e-13);
    expect(delta).toBeLessThan(1e-6);
  });

  it('says every ε > 0 decreases the model when gᵀHg < 0', () => {
    const result = run(decreaseClaim(), params(), 1, 1);
    expect(figure(result, 'nd.curvature') as number).toBeLessThan(0);
    expect(figure(result, 'nd.limit')).toBe('every ε > 0 (gᵀHg ≤ 0)');
  });

  it('covers both signs of gᵀHg and the border between them for an indefinite H', () => {
    const result = run(decreaseClaim(), params({ hessian: 'indefinite' }), 1, 1);
    expect(figure(result, 'indefinite.positive.curvature') as number).toBeGreaterThan(0);
    const labels = result.example?.figures.map((f) => f.label) ?? [];
    expect(labels.some((l) => l.startsWith('indefinite H, gᵀHg ≈ 0'))).toBe(true);
    expect(labels.some((l) => l.startsWith('indefinite H, gᵀHg < 0'))).toBe(true);
  });

  it('adds a fixed --epsilon to the sweep', () => {
    const without = check(run(decreaseClaim(), params(), 1, 2), 'exactly when')?.count as number;
    const withEpsilon = check(run(decreaseClaim(), params({ epsilon: 0.5 }), 1, 2), 'exactly when')?.count as number;
    // One more point per gradient: pd, three indefinite, nd, random — 6 per trial.
    expect(withEpsilon - without).toBe(12);
  });
});

describe('claim 3.2 has teeth', () => {
  it('reports the limit without its factor 2 at the boundary', () => {
    const result = run(decreaseClaim(limitWithoutTwo), params(), 1, 2);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('exactly when');
  });

  it('reports a limit that ignores the sign of gᵀHg where gᵀHg < 0', () => {
    const result = run(decreaseClaim(limitIgnoringSign), params(), 1, 2);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.at).toMatch(/gᵀHg < 0|nd H|random H/);
  });

  it('reports the boundary mistaken for ε*: dφ/dε ≠ 0 there', () => {
    const result = run(decreaseClaim(bestStepAtBoundary), params(), 1, 2);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('ε*');
  });
});

describe('claim 3.3: Newton’s point', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(newtonClaim(), params(), seed).verdict).toBe('hold');
  });

  it.each([1, 2, 30])('holds at dimension %i', (dim) => {
    expect(run(newtonClaim(), params({ dim }), 1, 3).verdict).toBe('hold');
  });

  it('finds the finite-difference gradient of f̂ at the Newton point near 0 for H ≻ 0', () => {
    const result = run(newtonClaim(), params({ hessian: 'pd' }), 1, 1);
    expect(figure(result, 'minimum.gradient') as number).toBeLessThan(1e-8);
    expect(figure(result, 'minimum.descentDistance') as number).toBeLessThan(1e-9);
  });

  it('reports a descent direction at the saddle of an indefinite H, with vᵀHv < 0 and a drop of f̂', () => {
    const result = run(newtonClaim(), params({ hessian: 'indefinite' }), 1, 1);
    expect(figure(result, 'saddle.curvature') as number).toBeLessThan(0);
    expect(figure(result, 'saddle.drop') as number).toBeLessThan(0);
    expect(figure(result, 'saddle.direction')).toMatch(/^\(.+\)$/);
  });

  it('lands on a quadratic’s stationary point in one step, to rounding', () => {
    expect(figure(run(newtonClaim(), params(), 1, 1), 'quadratic.error') as number).toBeLessThan(1e-12);
  });

  it.each(['softplus sum', 'log-sum-exp'])('converges quadratically on a %s: every e_{k+1}/e_k² lies below the bound L/(2λ_min)', (name) => {
    const result = run(newtonClaim(), params(), 1, 1);
    const ratios = String(figure(result, `${name}.ratios`)).split(', ').map(Number);
    const bound = figure(result, `${name}.bound`) as number;
    expect(ratios.length).toBeGreaterThanOrEqual(1);
    for (const ratio of ratios) expect(ratio).toBeLessThanOrEqual(bound);
    const errors = String(figure(result, `${name}.errors`)).split(', ').map(Number);
    expect(errors[errors.length - 1]).toBeLessThan(1e-12);
  });

  it('reports the condition estimate of the random H', () => {
    expect(figure(run(newtonClaim(), params({ hessian: 'random' }), 1, 1), 'random.condition') as number).toBeGreaterThanOrEqual(1);
  });
});

describe('claim 3.3 with a singular or ill-conditioned H', () => {
  const singular = () => symmetricWithSpectrum(createRng('singular'), [2, 1, 0, -1]).H;

  it('gives a clear error, not a silent NaN, when H is singular', () => {
    const result = run(newtonClaim(TAYLOR_FORMULAS, () => singular()), params({ dim: 4, hessian: 'pd' }), 1, 2);
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('exception');
    expect(result.failure?.message).toMatch(/pd H is singular to working precision \(condition estimate .+\): Newton's point x₀ − H⁻¹g is undefined/);
  });

  it('makes the default formula refuse a singular H with the reason', () => {
    expect(() => TAYLOR_FORMULAS.newtonPoint(new Float64Array(4), Float64Array.of(1, 1, 1, 1), singular())).toThrow(/singular/);
  });

  it('holds for an ill-conditioned but invertible H (κ = 1e6), with tolerances scaled by κ', () => {
    const ill = (rng: ReturnType<typeof createRng>, kind: string, n: number) => {
      const sign = kind === 'nd' ? -1 : 1;
      const eigenvalues = Array.from({ length: n }, (_, i) => sign * (i === 0 ? 1e-6 : 1) * (kind === 'indefinite' && i % 2 === 1 ? -1 : 1));
      return symmetricWithSpectrum(rng, eigenvalues).H;
    };
    const result = run(newtonClaim(TAYLOR_FORMULAS, ill), params({ dim: 4 }), 1, 2);
    expect(result.verdict).toBe('hold');
  });
});

describe('claim 3.3 has teeth', () => {
  it.each([
    ['the wrong sign x₀ + H⁻¹g', newtonWrongSign],
    ['H instead of H⁻¹', newtonWithoutInverse],
    ['a damped step x₀ − ½H⁻¹g', dampedNewton],
  ] as const)('reports %s: ∇f̂ ≠ 0 at the point it gives', (_label, formulas) => {
    const result = run(newtonClaim(formulas), params(), 1, 2);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toContain('∇f̂ = 0');
  });

  it('reports Newton iterations on a perturbed Hessian: the error exceeds the quadratic bound', () => {
    const result = run(newtonClaim(perturbedHessian), params(), 1, 2);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('bound-exceeded');
    expect(result.failure?.check?.check).toContain('e_{k+1}');
  });

  it('a broken formula fails only the claim that tests it', () => {
    expect(run(newtonClaim(missingHalf), params(), 1, 2).verdict).toBe('hold');
    expect(run(taylorStepClaim(newtonWrongSign), params(), 1, 2).verdict).toBe('hold');
  });
});

describe('the taylor subcommand', () => {
  it('covers every kind by default, and leaves out indefinite at n = 1', () => {
    expect(selectedKinds(params())).toEqual(['pd', 'indefinite', 'nd', 'random']);
    expect(selectedKinds(params({ dim: 1 }))).toEqual(['pd', 'nd', 'random']);
    expect(selectedKinds(params({ dim: 2 }))).toEqual(['pd', 'indefinite', 'nd', 'random']);
    expect(selectedKinds(params({ hessian: 'nd' }))).toEqual(['nd']);
  });

  it('refuses --hessian indefinite with --dim 1 in one line naming the option', () => {
    expect(() => taylorCommand.prepare({ hessian: 'indefinite', dim: '1' })).toThrow(UsageError);
    expect(() => taylorCommand.prepare({ hessian: 'indefinite', dim: '1' })).toThrow(/--hessian/);
    // Only that pair: indefinite from n = 2, and every other kind at n = 1.
    expect(() => taylorCommand.prepare({ hessian: 'indefinite', dim: '2' })).not.toThrow();
    expect(() => taylorCommand.prepare({ hessian: 'pd', dim: '1' })).not.toThrow();
    expect(() => taylorCommand.prepare({ dim: '1' })).not.toThrow();
  });

  it.each([
    [{ epsilon: '-1' }, /--epsilon: expected a number with 0 < ε ≤ 1000000/],
    [{ epsilon: '0' }, /--epsilon/],
    [{ hessian: 'foo' }, /--hessian: expected one of all, pd, indefinite, nd, random/],
    [{ dim: '0' }, /--dim: expected an integer from 1 to 100000/],
  ])('refuses %o', (given, message) => {
    expect(() => taylorCommand.prepare(given)).toThrow(message);
  });

  it('the same trial seed gives the same outcome', () => {
    const claim = newtonClaim();
    const a = claim.trial(createRng('same'), params());
    const b = claim.trial(createRng('same'), params());
    expect(a.checks).toEqual(b.checks);
    expect(a.figures).toEqual(b.figures);
  });

  it('records each trial’s inputs for --dump, matrices as rows', () => {
    const outcome = decreaseClaim().trial(createRng('dump'), params({ hessian: 'pd', dim: 3 }));
    const inputs = outcome.inputs?.() as Record<string, { H: number[][]; g: number[] }>;
    const H = new Matrix(inputs['pd H']?.H ?? []);
    expect(H.rows).toBe(3);
    expect(inputs['pd H']?.g).toHaveLength(3);
  });
});
