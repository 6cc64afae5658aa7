import { describe, expect, it } from 'vitest';
import {
  FAMILY_FALSE_FAILURE,
  MOMENTUM_DEFAULTS,
  MOMENTUM_FORMULAS,
  type MomentumParams,
  biasClaim,
  equivalenceClaim,
  momentumUnrolledAsWritten,
  oneMinusPower,
  perCheckLevel,
  resolveEmaSetting,
  statisticalChecksPerTrial,
  unrolledClaim,
} from '../../src/claims/momentum.js';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { UsageError } from '../../src/options.js';
import { runClaim, runTrial } from '../../src/run/runner.js';
import {
  alphaNotBeta,
  correctionByOneMinusBeta,
  emaRecursiveWithoutDelta,
  emaUnrolledExponentOffByOne,
  emaUnrolledWithoutStart,
  epsilonOffByOnePercent,
  epsilonWithoutOneMinusBeta,
  expectedWithoutStart,
  momentumRecursiveWrongSign,
  momentumUnrolledWithOneMinusAlpha,
  noBiasCorrection,
} from '../../fixtures/broken-momentum.js';

type Definition = ReturnType<typeof equivalenceClaim>;

const params = (overrides: Partial<MomentumParams> = {}): MomentumParams => ({ ...MOMENTUM_DEFAULTS, ...overrides });
const run = (definition: Definition, p: MomentumParams = params(), seed = 1, trials = 3): ClaimResult =>
  runClaim(bindClaim(definition, p, 'momentum'), { seed, trials });
const figure = (result: ClaimResult, key: string) => result.example?.figures.find((f) => f.key === key)?.value;
const check = (result: ClaimResult, name: string) => result.checks.find((c) => c.name.startsWith(name));
/** Only the error model's allowance: no default relative or absolute tolerance on top. */
const modelOnly = (overrides: Partial<MomentumParams> = {}) => params({ rtol: 0, atol: 0, ...overrides });

describe('options: (β, δ) or (α, ε)', () => {
  it('defaults to β = 0.9 and δ = 0.1', () => {
    expect(resolveEmaSetting(params())).toEqual({ beta: 0.9, delta: 0.1 });
  });

  it('derives β = α and δ = ε/(1−β) from the momentum pair', () => {
    const { beta, delta } = resolveEmaSetting(params({ alpha: 0.8, epsilon: 0.04 }));
    expect(beta).toBe(0.8);
    expect(delta).toBeCloseTo(0.2, 15);
  });

  it('accepts a consistent over-determined pair, such as --beta 0.9 --alpha 0.9 --delta 0.1 --epsilon 0.01', () => {
    expect(resolveEmaSetting(params({ beta: 0.9, alpha: 0.9, delta: 0.1, epsilon: 0.01 }))).toEqual({ beta: 0.9, delta: 0.1 });
  });

  it('refuses α ≠ β and ε ≠ δ(1−β) with a one-line usage error naming the option', () => {
    expect(() => resolveEmaSetting(params({ beta: 0.9, alpha: 0.8 }))).toThrow(/^invalid value "0.8" for --alpha: expected α = β = 0.9/);
    expect(() => resolveEmaSetting(params({ delta: 0.1, epsilon: 0.02 }))).toThrow(/^invalid value "0.02" for --epsilon: expected ε = δ\(1−β\)/);
    expect(() => resolveEmaSetting(params({ delta: 0.1, epsilon: 0.02 }))).toThrow(UsageError);
  });
});

describe('resolveEmaSetting: how closely two given values must agree', () => {
  it('accepts a pair equal to 9 significant digits and refuses one that differs in the 8th', () => {
    expect(resolveEmaSetting(params({ beta: 0.9, alpha: 0.9 * (1 + 5e-10) })).beta).toBe(0.9);
    expect(() => resolveEmaSetting(params({ beta: 0.9, alpha: 0.9 * (1 + 5e-8) }))).toThrow(UsageError);
    // Relative to the larger value, so the order of the two does not matter.
    expect(resolveEmaSetting(params({ beta: 0.9 * (1 + 5e-10), alpha: 0.9 })).beta).toBe(0.9 * (1 + 5e-10));
    // ε against δ(1−β): 0.01 for δ = 0.1, β = 0.9, to 9 digits.
    expect(resolveEmaSetting(params({ delta: 0.1, epsilon: 0.01 * (1 + 5e-10) })).delta).toBe(0.1);
    expect(() => resolveEmaSetting(params({ delta: 0.1, epsilon: 0.01 * (1 + 5e-8) }))).toThrow(UsageError);
  });

  it('names the expected ε = δ(1−β) in the message, to four digits, with β from --alpha when --beta is absent', () => {
    expect(() => resolveEmaSetting(params({ alpha: 0.5, delta: 0.3, epsilon: 0.2 }))).toThrow(
      'invalid value "0.2" for --epsilon: expected ε = δ(1−β) = 0.15 for δ = 0.3 and β = 0.5 (give --epsilon or --delta alone)',
    );
  });
});

describe('claim 2.1: momentum with α = β, ε = δ(1−β) makes the same updates as SGD on the moving average', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    const result = run(equivalenceClaim(), params(), seed);
    expect(result.verdict).toBe('hold');
    expect(result.worstRatio).toBeLessThanOrEqual(1);
  });

  it('holds on the error model alone (no default tolerance), at β = 0.9, near 1 and near 0', () => {
    for (const beta of [0.9, 0.9999, 0.02]) expect(run(equivalenceClaim(), modelOnly({ beta }), 4, 2).verdict).toBe('hold');
  });

  it('iterating eq (17) reproduces momentum’s updates exactly, bit for bit', () => {
    expect(check(run(equivalenceClaim()), 'eq (17)')?.worstRatio).toBe(0);
  });

  it('compares every step of the random stream and of the logistic regression', () => {
    const result = run(equivalenceClaim(), params({ steps: 50 }), 1, 2);
    // 50 steps on the stream and 50 on the logistic regression, in each of 2 trials.
    expect(check(result, 'momentum and EMA make the same update')?.count).toBe(200);
    expect(check(result, 'eq (21)')?.count).toBe(100);
  });

  it('runs a real optimisation: the logistic run’s loss falls from ln 2 by more than a third', () => {
    const result = run(equivalenceClaim(), params(), 1, 1);
    expect(figure(result, 'logisticLossStart')).toBeCloseTo(Math.LN2, 12);
    expect(figure(result, 'logisticLossEnd')).toBeLessThan((2 / 3) * Math.LN2);
  });

  it('keeps the two optimisers within rounding of each other, far inside the allowance', () => {
    const result = run(equivalenceClaim(), params(), 1, 1);
    expect(figure(result, 'logisticGap')).toBeLessThan(1e-14);
    expect(figure(result, 'logisticGap') as number).toBeLessThan(figure(result, 'logisticAllowance') as number);
  });

  it('would notice ε changed by 1 %: the deviation exceeds the allowance by a factor above 10⁶', () => {
    const result = run(equivalenceClaim(), params(), 1, 1);
    expect(figure(result, 'epsilonPerturbedStream')).toBeGreaterThan(1e6);
    expect(figure(result, 'epsilonPerturbedLogistic')).toBeGreaterThan(1e6);
    expect(check(result, 'ε changed by 1 %')?.failed).toBe(0);
    expect(check(result, 'α ≠ β')?.failed).toBe(0);
  });

  it('holds for a single step, where α cannot matter yet (v₀ = 0) and is not witnessed', () => {
    const result = run(equivalenceClaim(), params({ steps: 1 }), 1, 2);
    expect(result.verdict).toBe('hold');
    expect(check(result, 'α ≠ β')).toBeUndefined();
  });

  it('holds when the momentum pair is given instead: --alpha 0.99 --epsilon 0.5', () => {
    const result = run(equivalenceClaim(), params({ alpha: 0.99, epsilon: 0.5, steps: 100 }), 1, 2);
    expect(result.verdict).toBe('hold');
    expect(figure(result, 'beta')).toBe(0.99);
    expect(figure(result, 'epsilon')).toBeCloseTo(0.5, 14);
  });
});

describe('claim 2.1 has teeth', () => {
  it.each([
    ['ε off by 1 %', epsilonOffByOnePercent],
    ['α ≠ β (moved by 1 % of 1 − β)', alphaNotBeta],
    ['ε = δ, without the factor 1 − β', epsilonWithoutOneMinusBeta],
  ])('reports the mapping with %s as a divergence of the updates', (_label, formulas) => {
    const result = run(equivalenceClaim(formulas), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toContain('same update');
    expect(result.failure?.replay).toMatch(/^hwcheck momentum .*--only 2\.1 --trial 0$/);
  });

  it('reports the mapping error on the logistic regression as well as on the random stream', () => {
    const result = run(equivalenceClaim(epsilonOffByOnePercent), params(), 1, 1);
    const worst = check(result, 'momentum and EMA follow the same θ_t');
    // Every step of both problems diverges, in the one trial run.
    expect(worst?.failed).toBe(2 * MOMENTUM_DEFAULTS.steps);
  });

  it('reports eq (17) with the gradient’s sign flipped', () => {
    const result = run(equivalenceClaim(momentumRecursiveWrongSign), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('eq (17)');
  });

  it('reports eq (21) without δ', () => {
    const result = run(equivalenceClaim(emaRecursiveWithoutDelta), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('eq (21)');
  });
});

describe('claim 2.2: the unrolled forms equal their recursions', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(unrolledClaim(), params(), seed).verdict).toBe('hold');
  });

  it('holds on the error model alone, under deep cancellation and at β = 0.9999 over 5000 steps', () => {
    const result = run(unrolledClaim(), modelOnly(), 2, 3);
    expect(result.verdict).toBe('hold');
    // The cancelling case really cancels: |v_t| falls below 10⁻³ of the sum of its terms' sizes.
    expect(figure(result, 'cancellation')).toBeLessThan(1e-3);
    expect(figure(result, 'nearOneBeta')).toBe(0.9999);
    expect(figure(result, 'longHorizon')).toBe(5000);
    expect(result.checks.some((c) => c.worst?.at.startsWith('β = 0.9999'))).toBe(true);
  });

  it('holds on the error model alone at β close to 0 and at β = 0.999999 over 2000 steps', () => {
    expect(run(unrolledClaim(), modelOnly({ beta: 0.01 }), 1, 2).verdict).toBe('hold');
    expect(run(unrolledClaim(), modelOnly({ beta: 0.999999, steps: 2000 }), 1, 1).verdict).toBe('hold');
  });

  it('checks every t of the ordinary cases and about 60 times of the long one', () => {
    const result = run(unrolledClaim(), params({ steps: 40 }), 1, 1);
    const count = check(result, 'eq (26)')?.count ?? 0;
    expect(count).toBeGreaterThan(3 * 40 + 40);
    expect(count).toBeLessThanOrEqual(3 * 40 + 61);
  });

  it('shows how far eq (27) as written is from momentum when ε ≠ 1 − α', () => {
    expect(figure(run(unrolledClaim(), params(), 1, 1), 'asWrittenGap')).toBeGreaterThan(1);
  });
});

describe('claim 2.2 has teeth', () => {
  it('reports momentum unrolled with (1−α) in place of ε — eq (27) as written — when ε ≠ 1 − α', () => {
    const result = run(unrolledClaim(momentumUnrolledWithOneMinusAlpha), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('unrolled momentum');
  });

  it('accepts that same form when δ = 1, where ε = 1 − α and the two coincide', () => {
    expect(run(unrolledClaim(momentumUnrolledWithOneMinusAlpha), params({ delta: 1 }), 1, 1).verdict).toBe('hold');
  });

  it('reports eq (26) without the β^t v₀ term, in the v₀ ≠ 0 case', () => {
    const result = run(unrolledClaim(emaUnrolledWithoutStart), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.at).toMatch(/^v₀ ≠ 0/);
  });

  it('reports eq (26) with every power one too high', () => {
    expect(run(unrolledClaim(emaUnrolledExponentOffByOne), params(), 1, 1).verdict).toBe('fail');
  });
});

describe('eq (27) as written, exported for the audit', () => {
  it('equals momentum’s unrolled form exactly when ε = 1 − α, and differs otherwise', () => {
    const v0 = Float64Array.of(1, -2);
    const gradients = [Float64Array.of(0.5, 1), Float64Array.of(-1, 2), Float64Array.of(3, 0)];
    const asWritten = momentumUnrolledAsWritten(0.7, v0, gradients, [1, 2, 3]);
    const correct = MOMENTUM_FORMULAS.momentumUnrolled(0.7, 1 - 0.7, v0, gradients, [1, 2, 3]);
    expect(asWritten).toEqual(correct);
    const other = MOMENTUM_FORMULAS.momentumUnrolled(0.7, 0.03, v0, gradients, [3]);
    expect(Math.abs((other[0]?.[0] ?? 0) - (asWritten[2]?.[0] ?? 0))).toBeGreaterThan(0.1);
  });
});

describe('claim 2.3: E[v_t] = β^t v₀ + (1−β^t)μ, the bias and its correction (Monte-Carlo)', () => {
  // Each run's false-failure probability is at most 1e−6 by construction (Bonferroni), and the
  // seeds are fixed: these tests are deterministic.
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(biasClaim(), params(), seed).verdict).toBe('hold');
  });

  it('holds for β near 0 and near 1, few samples, and the momentum pair', () => {
    for (const overrides of [{ beta: 0.05 }, { beta: 0.999, steps: 100 }, { samples: 50 }, { alpha: 0.5, epsilon: 0.2 }]) {
      expect(run(biasClaim(), params(overrides), 1, 1).verdict).toBe('hold');
    }
  });

  it('bounds the default run’s false-failure probability by 10⁻⁶: per-check level × checks × trials', () => {
    const { steps } = MOMENTUM_DEFAULTS;
    const perTrial = statisticalChecksPerTrial(0.9, steps);
    expect(perCheckLevel(0.9, steps) * perTrial * biasClaim().trials).toBeLessThanOrEqual(FAMILY_FALSE_FAILURE * (1 + 1e-12));
    expect(FAMILY_FALSE_FAILURE).toBeLessThanOrEqual(1e-6);
    // The Bonferroni count covers what a trial really does: three checks per stream and time, plus
    // the witnesses, each counted twice.
    const outcome = runTrial(bindClaim(biasClaim(), params(), 'momentum'), 1, 0);
    const witnesses = outcome.checks.filter((c) => c.kind === 'witness').length;
    const identities = outcome.checks.filter((c) => c.kind === 'identity').length;
    expect(identities + 2 * witnesses).toBeLessThanOrEqual(perTrial);
    expect(outcome.figures?.find((f) => f.key === 'level')?.value).toBe(perCheckLevel(0.9, steps));
  });

  it('detects the bias at small t on every stream, and shows the bias factor next to 1−β^t', () => {
    const result = run(biasClaim(), params(), 1, 1);
    const biased = check(result, 'raw v_t is detectably biased');
    expect(biased?.count).toBeGreaterThanOrEqual(3);
    expect(biased?.failed).toBe(0);
    for (const noise of ['gaussian', 'skewed', 'ar1']) {
      const line = figure(result, `${noise}.t1`);
      expect(line).toMatch(/raw\/μ 0\.\d+ vs 1−β\^t 0\.1$/);
      expect(line).toMatch(/corrected mean .* \(z -?\d/);
    }
  });

  it('measures each bias witness as |raw mean − μ| against the raw interval’s half-width', () => {
    const outcome = runTrial(bindClaim(biasClaim(), params(), 'momentum'), 1, 0);
    const mu = Number(outcome.figures?.find((f) => f.key === 'mu')?.value);
    const witnesses = outcome.checks.filter((c) => c.name.startsWith('raw v_t is detectably biased'));
    expect(witnesses.length).toBeGreaterThan(0);
    for (const w of witnesses) {
      // The raw mean and its half-width, from the check of E[v_t] (v₀ = 0) at the same stream and t.
      const raw = outcome.checks.find((c) => c.at === w.at && c.name.includes('v₀ = 0 (Monte-Carlo'));
      expect(raw).toBeDefined();
      expect(w.lhs).toBe(raw?.allowed);
      expect(w.rhs).toBe(Math.abs((raw?.lhs as number) - mu));
      expect(w.lhs).toBeLessThan(w.rhs);
    }
  });

  it('reports the raw mean at t = 1 near (1−β)μ, ten times too small, with a huge z-score', () => {
    const result = run(biasClaim(), params(), 1, 1);
    const line = String(figure(result, 'gaussian.t1'));
    const factor = Number(/raw\/μ ([\d.]+)/.exec(line)?.[1]);
    expect(Math.abs(factor - oneMinusPower(0.9, 1))).toBeLessThan(0.01);
    const zRaw = Number(/raw mean [-\d.e]+ \(z ([-\d.e]+)\)/.exec(line)?.[1]);
    expect(Math.abs(zRaw)).toBeGreaterThan(100);
  });
});

describe('claim 2.3 has teeth', () => {
  it('reports the uncorrected estimator v_t as biased: outside its interval of μ', () => {
    const result = run(biasClaim(noBiasCorrection), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('corrected');
  });

  it('reports a correction by 1 − β instead of 1 − β^t', () => {
    const result = run(biasClaim(correctionByOneMinusBeta), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('corrected');
  });

  it('reports E[v_t] without the β^t v₀ term, in the v₀ ≠ 0 runs', () => {
    const result = run(biasClaim(expectedWithoutStart), params(), 1, 1);
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('v₀ ≠ 0');
  });
});

describe('1 − β^t', () => {
  it('keeps full relative accuracy where β^t is within 10⁻⁸ of 1, unlike 1 − β**t', () => {
    // β = 1 − 9007·2⁻⁵³ and t = 10⁴; the exact value comes from β^t in 300-bit fixed point.
    const scale = 2n ** 300n;
    let power = scale;
    let base = scale - 9007n * 2n ** 247n;
    for (let n = 10000n; n > 0n; n >>= 1n) {
      if (n & 1n) power = (power * base) / scale;
      base = (base * base) / scale;
    }
    const exact = Number(((scale - power) * 2n ** 200n) / scale) / 2 ** 200;
    const beta = 1 - 9007 * 2 ** -53;
    expect(Math.abs(oneMinusPower(beta, 10000) / exact - 1)).toBeLessThan(1e-15);
    expect(Math.abs((1 - beta ** 10000) / exact - 1)).toBeGreaterThan(1e-10);
  });
});
