import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import * as momentum from '../src/claims/momentum.js';
import * as rnnEquiv from '../src/claims/rnn-equiv.js';
import { type ClaimDefinition, bindClaim } from '../src/claims/subcommand.js';
import * as taylor from '../src/claims/taylor.js';
import type { ClaimResult } from '../src/claims/types.js';
import * as vanish from '../src/claims/vanish.js';
import * as vanishMatrixFree from '../src/claims/vanish-matrix-free.js';
import * as weightnorm from '../src/claims/weightnorm.js';
import { runClaim } from '../src/run/runner.js';
import { runCli } from './helpers.js';

/** The same shape as `value` with every number replaced by `poison` (NaN or ±Infinity). */
function poisoned(value: unknown, poison: number): unknown {
  if (typeof value === 'number') return poison;
  if (value instanceof Float64Array) return new Float64Array(value.length).fill(poison);
  if (value instanceof Matrix) return new Matrix(value.rows, value.columns).fill(poison);
  if (Array.isArray(value)) return value.map((v) => poisoned(v, poison));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisoned(v, poison)]));
  return value;
}

/** `formulas` with `key` returning poison, and a counter of how often the poisoned formula ran. */
function poison<F extends object>(formulas: F, key: keyof F, value: number): { formulas: F; calls: () => number } {
  let calls = 0;
  const original = formulas[key] as unknown as (...args: unknown[]) => unknown;
  const replaced = (...args: unknown[]) => {
    calls++;
    return poisoned(original(...args), value);
  };
  return { formulas: { ...formulas, [key]: replaced }, calls: () => calls };
}

interface Family<F extends object, P> {
  name: string;
  formulas: F;
  defaults: P;
  /** Parameter sets each claim runs under (default: the defaults alone), e.g. vanish's full and matrix-free routes. */
  variants?: P[];
  claims: ((f: F) => ClaimDefinition<P>)[];
}

const families = [
  {
    name: 'vanish',
    formulas: vanish.VANISH_FORMULAS,
    defaults: vanish.VANISH_DEFAULTS,
    // The Jacobian products run only on the full route, the Jacobian–vector products only on the matrix-free one.
    variants: [vanish.VANISH_DEFAULTS, { ...vanish.VANISH_DEFAULTS, method: 'matrix-free' }],
    claims: [vanish.vanishingClaim, vanish.explodingClaim],
  },
  { name: 'momentum', formulas: momentum.MOMENTUM_FORMULAS, defaults: momentum.MOMENTUM_DEFAULTS, claims: [momentum.equivalenceClaim, momentum.unrolledClaim, momentum.biasClaim] },
  { name: 'taylor', formulas: taylor.TAYLOR_FORMULAS, defaults: taylor.TAYLOR_DEFAULTS, claims: [taylor.taylorStepClaim, taylor.decreaseClaim, (f: taylor.TaylorFormulas) => taylor.newtonClaim(f)] },
  { name: 'weightnorm', formulas: weightnorm.WEIGHTNORM_FORMULAS, defaults: weightnorm.WEIGHTNORM_DEFAULTS, claims: [weightnorm.equivalenceClaim, weightnorm.gradientClaim, (f: weightnorm.WeightNormFormulas) => weightnorm.normGrowthClaim(f)] },
] as Family<object, object>[];

const run = (definition: ClaimDefinition<object>, params: object, command: string): ClaimResult =>
  runClaim(bindClaim(definition, params, command), { seed: 3, trials: 1 });

describe('NaN and Infinity injected into each claim’s computation', () => {
  for (const family of families) {
    for (const key of Object.keys(family.formulas) as (keyof object)[]) {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        it(`${family.name}: ${String(key)} returning ${value} never yields hold in a claim that used it`, () => {
          let used = 0;
          for (const params of family.variants ?? [family.defaults]) {
            for (const claim of family.claims) {
              const { formulas, calls } = poison(family.formulas, key, value);
              const result = run(claim(formulas), params, family.name);
              if (calls() > 0) {
                used++;
                expect(result.verdict, `${result.id} with ${String(key)} = ${value}`).not.toBe('hold');
                expect(result.failure).not.toBeNull();
              }
            }
          }
          // Every formula under test lies on some claim's path.
          expect(used).toBeGreaterThan(0);
        });
      }
    }
  }

  it('rnn-equiv: a recurrence returning NaN is an error, not a hold', () => {
    const nan: rnnEquiv.PreactivationStep = (W, activation, h, drive) => rnnEquiv.PREACTIVATION_STEP(W, activation, h, drive).map(() => Number.NaN);
    const result = run(rnnEquiv.equivalenceClaim(nan) as ClaimDefinition<object>, rnnEquiv.RNN_EQUIV_DEFAULTS, 'rnn-equiv');
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('non-finite');
  });
});

describe('numeric edge cases of real runs', () => {
  it('underflow: δ = 0.01 over 1000 steps makes δ^t and the Jacobian underflow to 0, and the claims still hold', async () => {
    const result = await runCli(['vanish', '--delta', '0.01', '--steps', '1000', '--trials', '1', '--dim', '3', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).claims.map((c: { verdict: string }) => c.verdict)).toEqual(['hold', 'hold']);
  });

  it('δ = 0: W = 0, the bound is 0 from the first step, the claim holds without a tightness', async () => {
    const report = JSON.parse((await runCli(['vanish', '--delta', '0', '--only', '1.2', '--trials', '2', '--json'])).stdout);
    expect(report.claims[0].verdict).toBe('hold');
  });

  it('a long linear recurrence cannot overflow: rnn-equiv keeps ‖W‖ < 1 for unbounded activations', async () => {
    const result = await runCli(['rnn-equiv', '--activation', 'linear', '--steps', '20000', '--trials', '2', '--json']);
    expect(result.code).toBe(0);
  });

  it('overflow in a witness: claim 1.3’s nilpotent witness at n = T = 421 stops at index 419, where 3^t is still below 10^200', async () => {
    // ‖∂g_t/∂g_0‖ = 3^t before the index, so an index of n = 650 made the products overflow and the
    // witness's checks NaN (verdict error). The index is now capped like the exploding witness's horizon.
    const result = await runCli(['vanish', '--only', '1.3', '--dim', '421', '--steps', '421', '--activation', 'linear', '--trials', '1', '--json']);
    expect(result.code).toBe(0);
    const claim = JSON.parse(result.stdout).claims[0];
    expect(claim.verdict).toBe('hold');
    expect(vanishMatrixFree.NILPOTENT_INDEX_LIMIT).toBe(419);
    expect(3 ** 419).toBeLessThanOrEqual(1e200);
    expect(3 ** 420).toBeGreaterThan(1e200);
    expect(JSON.stringify(claim)).toContain('"key":"nilpotentIndex","label":"nilpotent witness: index k (W^k = 0)","value":419');
  });

  it('a singular Hessian is a clear per-trial error, never a silent NaN', () => {
    const singular = (_rng: unknown, _kind: unknown, n: number) => Matrix.zeros(n, n);
    const result = run(taylor.newtonClaim(taylor.TAYLOR_FORMULAS, singular) as ClaimDefinition<object>, taylor.TAYLOR_DEFAULTS, 'taylor');
    expect(result.verdict).toBe('error');
    expect(result.failure?.message).toMatch(/singular/);
  });
});
