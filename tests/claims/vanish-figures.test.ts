import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import type { Check, Figure, TrialOutcome } from '../../src/claims/types.js';
import { VANISH_DEFAULTS, type VanishParams, explodingClaim, vanishingClaim } from '../../src/claims/vanish.js';
import { checkpointTimes } from '../../src/claims/vanish-matrix-free.js';
import { ACTIVATIONS } from '../../src/num/activation.js';
import { createRng } from '../../src/num/random.js';
import { saturatedWitnessRun } from '../helpers.js';

/**
 * The figures of claims 1.2 and 1.3 summarise a trial's cases: tightness ratios, the witnesses'
 * factors and final norms. Each is read back here against the checks of the same trial (the
 * norm a check compared at the last time step) and against the case's construction.
 */
const params = (overrides: Partial<VanishParams>): VanishParams => ({ ...VANISH_DEFAULTS, ...overrides });

const value = (outcome: TrialOutcome, key: string): Figure['value'] | undefined => outcome.figures?.find((f) => f.key === key)?.value;
const label = (outcome: TrialOutcome, key: string): string | undefined => outcome.figures?.find((f) => f.key === key)?.label;
const checkAt = (outcome: TrialOutcome, name: string, at: string): Check => {
  const found = outcome.checks.find((c) => c.name.startsWith(name) && c.at === at);
  if (found === undefined) throw new Error(`no check "${name}" at "${at}"`);
  return found;
};

describe.each(['full', 'matrix-free'] as const)('figures of the %s route', (method) => {
  const T = 30;
  // The last time a check is made: T itself (the matrix-free route's last checkpoint is T too, tested below).
  const last = T;

  it('1.2: each ratio is the case’s norm at t = T over δ^T, as its bound check saw it; tight ≈ 1 > near-tight > random', () => {
    const p = params({ method, steps: T });
    const outcome = vanishingClaim().trial(createRng(`figures-1.2-${method}`), p);
    const bound = p.delta ** T;
    const ratios = { tightRatio: 'tight case', nearTightRatio: 'near-tight case', randomRatio: 'random W on the boundary' };
    for (const [key, caseLabel] of Object.entries(ratios)) {
      const check = checkAt(outcome, '‖∂g_t/∂g_0‖ ≤ δ^t', `tanh, ${caseLabel}, t=${last}`);
      expect(Math.abs(check.rhs / bound - 1)).toBeLessThan(1e-12);
      expect(value(outcome, key), key).toBeCloseTo(check.lhs / bound, 12);
    }
    expect(Math.abs((value(outcome, 'tightRatio') as number) - 1)).toBeLessThan(1e-9);
    expect(value(outcome, 'nearTightRatio') as number).toBeLessThan(1);
    expect(value(outcome, 'nearTightRatio') as number).toBeGreaterThan(0.5);
    expect(value(outcome, 'randomRatio') as number).toBeLessThan(value(outcome, 'nearTightRatio') as number);
    expect(value(outcome, 'gamma')).toBe(1);
  });

  it('1.3: the tight case’s final norm, the witnesses’ factors and final norms, read from the checks', () => {
    const p = params({ method, steps: T });
    const outcome = explodingClaim().trial(createRng(`figures-1.3-${method}`), p);
    const tight = checkAt(outcome, '‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1', `tanh, tight case ‖W‖ = 1/γ, t=${last}`);
    expect(value(outcome, 'boundedTightness')).toBeCloseTo(tight.lhs, 14);
    expect(Math.abs((value(outcome, 'boundedTightness') as number) - 1)).toBeLessThan(1e-9);
    // The exploding witness: γ‖W‖ = s in [1.2, 2], and its norm at the horizon is (σ′(z*)·s)^horizon.
    const s = value(outcome, 'explodingFactor') as number;
    expect(s).toBeGreaterThanOrEqual(1.2);
    expect(s).toBeLessThanOrEqual(2);
    const horizon = Number(/T=(\d+)/.exec(label(outcome, 'explodingNorm') ?? '')?.[1]);
    expect(horizon).toBeGreaterThan(1);
    expect(horizon).toBeLessThanOrEqual(T);
    const exploding = outcome.checks.filter((c) => c.name.startsWith('exploding witness: ‖∂g_t/∂g_0‖ =') && c.at.endsWith(`t=${horizon}`));
    expect(exploding).toHaveLength(1);
    expect(value(outcome, 'explodingNorm')).toBeCloseTo(exploding[0]?.lhs as number, 6);
    expect((value(outcome, 'explodingNorm') as number) / (ACTIVATIONS.tanh.derivative(ACTIVATIONS.tanh.peak) * s) ** horizon).toBeCloseTo(1, 9);
    // The nilpotent witness: γ‖W‖ = 3 and ∂g_T/∂g_0 = 0 exactly.
    expect(value(outcome, 'nilpotentFactor')).toBe(3);
    expect(value(outcome, 'nilpotentNorm')).toBe(0);
    // The saturated witness decays at a rate far below 1, and its final norm is tiny.
    expect(value(outcome, 'saturatedRate') as number).toBeLessThan(0.01);
    expect(value(outcome, 'saturatedRate') as number).toBeGreaterThan(0);
    expect(value(outcome, 'saturatedNorm') as number).toBeLessThan(1e-100);
  });
});

describe('ratios when δ^T underflows to 0', () => {
  it.each(['full', 'matrix-free'] as const)('%s: a ratio to a bound of 0 is reported as null, not ∞ or NaN', (method) => {
    // 0.01^200 = 1e−400 underflows to 0.
    const outcome = vanishingClaim().trial(createRng(`underflow-${method}`), params({ method, delta: 0.01, steps: 200, dim: 3 }));
    expect(0.01 ** 200).toBe(0);
    for (const key of ['tightRatio', 'nearTightRatio', 'randomRatio']) expect(value(outcome, key), key).toBeNull();
  });
});

describe('figures only the matrix-free route reports', () => {
  it('the Lanczos steps: at least one per estimate, at most the step limit per estimate, and whether each settled', () => {
    const T = 30;
    const times = checkpointTimes(T);
    expect(times.at(-1)).toBe(T);
    const outcome = vanishingClaim().trial(createRng('figures-lanczos'), params({ method: 'matrix-free', steps: T }));
    // Four cases, one estimate per checkpoint each, 10 steps at most per estimate.
    const estimates = 4 * times.length;
    const steps = value(outcome, 'lanczosSteps') as number;
    expect(steps).toBeGreaterThanOrEqual(estimates);
    expect(steps).toBeLessThanOrEqual(10 * estimates);
    expect(label(outcome, 'lanczosSteps')).toMatch(/^Lanczos steps \((every estimate settled|some estimates stopped at the step limit)\)$/);
    expect(value(outcome, 'method')).toBe(`matrix-free: ‖∂g_t/∂g_0‖ by Lanczos through J·v and Jᵀ·u at t = ${times.join(', ')}; finite differences along random directions`);
  });

  it('the saturated witness’s rate: max over t of (Π_s max|σ′(z_s)| · ‖W‖_F^t)^(1/t), recomputed from the recorded case', () => {
    const command = findCommand('vanish');
    const claim = command?.prepare({ method: 'matrix-free' }).claims.find((c) => c.id === '1.3');
    if (claim === undefined) throw new Error('no claim 1.3');
    const { record, W, preactivations } = saturatedWitnessRun(claim);
    const frobenius = W.norm('frobenius');
    let logUpper = 0;
    let rate = 0;
    preactivations.forEach((z, t) => {
      logUpper += Math.log(Math.max(...Array.from(z, (x) => ACTIVATIONS.tanh.derivative(x))) * frobenius);
      rate = Math.max(rate, Math.exp(logUpper / (t + 1)));
    });
    const reported = record.figures.find((f) => f.key === 'saturatedRate')?.value as number;
    expect(reported / rate).toBeCloseTo(1, 9);
    expect(reported).toBeLessThan(1);
  });

  it('names every checkpoint (7 at most: --steps stops at 1000)', () => {
    const outcome = vanishingClaim().trial(createRng('figures-times'), params({ method: 'matrix-free', steps: 1000, dim: 2 }));
    const times = checkpointTimes(1000);
    expect(times.length).toBe(7);
    expect(value(outcome, 'method')).toContain(`t = ${times.join(', ')};`);
    const long = explodingClaim().trial(createRng('figures-times-long'), params({ method: 'matrix-free', steps: 1000, dim: 2, activation: 'linear' }));
    expect(value(long, 'method')).toContain('t = 1, 3, 10, 32, 100, 316, 1000;');
  });

  it('with a nilpotent index n ≤ T the witness’ figures give the index, and with n > T half of T', () => {
    const small = explodingClaim().trial(createRng('nilpotent-index'), params({ method: 'matrix-free', dim: 5, steps: 12 }));
    expect(value(small, 'nilpotentIndex')).toBe(5);
    const equal = explodingClaim().trial(createRng('nilpotent-index-equal'), params({ method: 'matrix-free', dim: 6, steps: 6 }));
    expect(value(equal, 'nilpotentIndex')).toBe(6);
    const large = explodingClaim().trial(createRng('nilpotent-index-large'), params({ method: 'matrix-free', dim: 12, steps: 9 }));
    expect(value(large, 'nilpotentIndex')).toBe(4);
    // The index is a checkpoint of the witness even when it is not one of the log-spaced times.
    expect(large.checks.some((c) => c.at === 'tanh, nilpotent witness, t=4')).toBe(true);
  });
});
