import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { ClaimDefinition } from '../../src/claims/subcommand.js';
import type { ClaimResult } from '../../src/claims/types.js';
import {
  RATE_BAND,
  WEIGHTNORM_DEFAULTS,
  WEIGHTNORM_FORMULAS,
  type WeightNormParams,
  directionNorm,
  equivalenceClaim,
  gradientClaim,
  normGrowthClaim,
  weightFromDirection,
  weightnormCommand,
} from '../../src/claims/weightnorm.js';
import { UsageError } from '../../src/options.js';
import { runClaim } from '../../src/run/runner.js';
import {
  homeworkProjection,
  identityProjection,
  normUpdateAlongU,
  normUpdateWithoutRoot,
  scaleWithoutG,
  startAtZero,
  unbiasedVarianceBatchNorm,
  unitKeepingBias,
  unnormalisedUnit,
} from '../../fixtures/broken-weightnorm.js';

const params = (overrides: Partial<WeightNormParams> = {}): WeightNormParams => ({ ...WEIGHTNORM_DEFAULTS, ...overrides });
const run = (definition: ClaimDefinition<WeightNormParams>, p: WeightNormParams = params(), seed = 1, trials?: number): ClaimResult =>
  runClaim(bindClaim(definition, p, 'weightnorm'), trials === undefined ? { seed } : { seed, trials });
const figure = (result: ClaimResult, key: string) => result.example?.figures.find((f) => f.key === key)?.value;
const check = (result: ClaimResult, fragment: string) => result.checks.find((c) => c.name.includes(fragment));

describe('claim 4.1: on whitened input, BN(wᵀx + b) = (w/‖w‖)ᵀx', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    const result = run(equivalenceClaim(), params(), seed);
    expect(result.verdict).toBe('hold');
    expect(result.worstRatio).toBeLessThanOrEqual(1);
  });

  it('checks the whitening itself: the batch mean is 0 and the batch covariance is I', () => {
    const result = run(equivalenceClaim());
    expect(check(result, 'batch mean = 0')?.failed).toBe(0);
    expect(check(result, 'batch covariance = I')?.failed).toBe(0);
    expect(check(result, 'batch covariance = I')?.count).toBe(3);
  });

  it('finds BN and the weight-normalised unit equal to rounding on the exactly whitened batch', () => {
    expect(figure(run(equivalenceClaim()), 'whitenedMismatch')).toBeLessThan(1e-13);
  });

  it('reports a fitted exponent near −1/2 and a mismatch that shrinks from N to 64N', () => {
    const result = run(equivalenceClaim());
    expect(Math.abs((figure(result, 'exponent') as number) + 0.5)).toBeLessThan(RATE_BAND);
    expect(figure(result, 'mismatchLarge') as number).toBeLessThan((figure(result, 'mismatchSmall') as number) / 4);
  });

  it('shows a clear mismatch, at least aᵀμ = 2, on a correlated, non-centred batch', () => {
    const result = run(equivalenceClaim());
    expect(figure(result, 'witnessMismatch')).toBeGreaterThanOrEqual(2);
    expect(check(result, 'mismatch exceeds')?.failed).toBe(0);
  });

  it('holds with the smallest whitenable batch, N = d + 1 = 3', () => {
    expect(run(equivalenceClaim(), params({ dim: 2, batch: 3 })).verdict).toBe('hold');
  });

  it('holds in a larger dimension', () => {
    expect(run(equivalenceClaim(), params({ dim: 20, batch: 21 }), 1, 1).verdict).toBe('hold');
  });
});

describe('claim 4.1 has teeth', () => {
  it('reports BN with the unbiased variance (N − 1) as a failure on the whitened batch', () => {
    const result = run(equivalenceClaim(unbiasedVarianceBatchNorm));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toBe('whitened batch: BN(wᵀx + b) = (w/‖w‖)ᵀx');
    expect(result.failure?.replay).toMatch(/^hwcheck weightnorm .*--only 4\.1 --trial \d+$/);
  });

  it('reports the unit without normalisation, wᵀx, as a failure', () => {
    const result = run(equivalenceClaim(unnormalisedUnit));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toBe('whitened batch: BN(wᵀx + b) = (w/‖w‖)ᵀx');
  });

  it('reports the unit that keeps the bias, (wᵀx + b)/‖w‖, as a failure', () => {
    expect(run(equivalenceClaim(unitKeepingBias)).verdict).toBe('fail');
  });
});

describe('claim 4.2: ∇_u L = (g/‖u‖) W* ∇_w L', () => {
  it.each([1, 2, 3])('holds at the defaults (all three losses) with seed %i', (seed) => {
    expect(run(gradientClaim(), params(), seed).verdict).toBe('hold');
  });

  it.each(['squared', 'logistic', 'softmax'] as const)('holds for the %s loss alone', (loss) => {
    const result = run(gradientClaim(), params({ loss }), 1, 10);
    expect(result.verdict).toBe('hold');
    expect(check(result, 'finite differences')?.count).toBe(10);
  });

  it('holds with a negative scale g and in dimension 2', () => {
    expect(run(gradientClaim(), params({ g: -1.5 }), 1, 10).verdict).toBe('hold');
    expect(run(gradientClaim(), params({ dim: 2, batch: 3 }), 1, 10).verdict).toBe('hold');
  });

  it('checks W* as symmetric, idempotent, of trace d − 1 and annihilating u, and ∇_u L ⊥ u', () => {
    const names = run(gradientClaim(), params(), 1, 2).checks.map((c) => c.name);
    for (const fragment of ['symmetric', 'idempotent', 'W* u = 0', 'trace W* = d − 1', '∇_u L ⊥ u']) {
      expect(names.some((name) => name.includes(fragment))).toBe(true);
    }
  });

  it('reports the gradient magnitudes and the finite-difference error as figures', () => {
    const result = run(gradientClaim());
    expect(figure(result, 'squared.gradientW')).toBeGreaterThan(0);
    expect(figure(result, 'softmax.differenceError')).toBeLessThan(1e-6);
  });
});

describe('claim 4.2 has teeth', () => {
  it('reports the identity in place of W* as a failure against finite differences and of W* u = 0', () => {
    const result = run(gradientClaim(identityProjection));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('finite differences');
    expect(check(result, 'W* u = 0')?.failed).toBeGreaterThan(0);
  });

  it('reports the written answer’s I − uᵀu/‖u‖²·I (the zero matrix) as a failure, though it is symmetric, idempotent and kills u', () => {
    const result = run(gradientClaim(homeworkProjection));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('finite differences');
    expect(check(result, 'finite differences')?.failed).toBe(check(result, 'finite differences')?.count);
    expect(check(result, 'trace W* = d − 1')?.failed).toBeGreaterThan(0);
    for (const fragment of ['symmetric', 'idempotent', 'W* u = 0', '∇_u L ⊥ u']) expect(check(result, fragment)?.failed).toBe(0);
  });

  it('reports a scale without g as a failure against finite differences', () => {
    const result = run(gradientClaim(scaleWithoutG));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('finite differences');
  });
});

describe('claim 4.3: ‖u′‖ = ‖u‖√(1 + c²) ≥ ‖u‖', () => {
  it.each([1, 2, 3])('holds at the defaults with seed %i', (seed) => {
    expect(run(normGrowthClaim(), params(), seed).verdict).toBe('hold');
  });

  it('checks the norm update and the bound at every step of every run', () => {
    const result = run(normGrowthClaim(), params({ steps: 50 }), 1, 2);
    // (3 losses + the equality case) × 50 steps × 2 trials.
    expect(check(result, '‖u′‖ = ‖u‖')?.count).toBe(4 * 50 * 2);
    expect(check(result, 'never decreases')?.count).toBe(4 * 50 * 2);
  });

  it('is tight: the equality case keeps ‖u‖ fixed, so the bound’s tightness is 1', () => {
    const result = run(normGrowthClaim());
    expect(result.tightness).toBeGreaterThan(0.999999);
    expect(check(result, 'never decreases')?.tightest?.at).toContain('equality case');
    expect(figure(result, 'equality.normEnd')).toBeCloseTo(figure(result, 'equality.normStart') as number, 12);
    expect(figure(result, 'equality.gradientW')).toBeGreaterThan(0.1);
  });

  it('shows ‖u‖ growing and the effective learning rate g/‖u‖ falling in a real training run', () => {
    const result = run(normGrowthClaim());
    expect(figure(result, 'squared.normEnd') as number).toBeGreaterThan(figure(result, 'squared.normStart') as number);
    expect(figure(result, 'squared.scaleEnd') as number).toBeLessThan(figure(result, 'squared.scaleStart') as number);
    expect(figure(result, 'squared.lossEnd') as number).toBeLessThan(figure(result, 'squared.lossStart') as number);
  });

  it('holds with a negative g, a large learning rate and a long run', () => {
    expect(run(normGrowthClaim(), params({ g: -3, lr: 20, steps: 600 }), 2, 1).verdict).toBe('hold');
  });

  it('holds with a tiny and a huge scale g, whose rounding the error model covers', () => {
    expect(run(normGrowthClaim(), params({ g: 1e-6 }), 1, 1).verdict).toBe('hold');
    expect(run(normGrowthClaim(), params({ g: 1000, lr: 100 }), 1, 1).verdict).toBe('hold');
  });
});

describe('claim 4.3 has teeth', () => {
  it('reports ‖u‖(1 + c²) in place of ‖u‖√(1 + c²) as a failure', () => {
    const result = run(normGrowthClaim(normUpdateWithoutRoot));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.code).toBe('identity-mismatch');
    expect(result.failure?.check?.check).toBe('‖u′‖ = ‖u‖·√(1 + c²), c = η‖∇_u L‖/‖u‖');
  });

  it('reports ‖u‖ + η‖∇_u L‖ as a failure', () => {
    expect(run(normGrowthClaim(normUpdateAlongU)).verdict).toBe('fail');
  });

  it('reports training without the projection as a failure of the norm update', () => {
    const result = run(normGrowthClaim(identityProjection));
    expect(result.verdict).toBe('fail');
    expect(check(result, '‖u′‖ = ‖u‖')?.failed).toBeGreaterThan(0);
  });

  it('reports training with the zero matrix as W* as a failure of its gradient, though ‖u‖ then never moves', () => {
    const result = run(normGrowthClaim(homeworkProjection));
    expect(result.verdict).toBe('fail');
    expect(result.failure?.check?.check).toContain('finite differences');
    expect(check(result, '‖u′‖ = ‖u‖')?.failed).toBe(0);
  });
});

describe('the degenerate point u = 0', () => {
  it('is refused by the parametrisation with a clear message', () => {
    expect(() => directionNorm(new Float64Array(3))).toThrow('undefined at u = 0');
    expect(() => weightFromDirection(new Float64Array(3), 2)).toThrow('undefined at u = 0');
    expect(() => WEIGHTNORM_FORMULAS.projection(new Float64Array(3))).toThrow('undefined at u = 0');
  });

  it('makes a training run started there an error, never a silent pass', () => {
    const result = run(normGrowthClaim(WEIGHTNORM_FORMULAS, startAtZero), params(), 1, 2);
    expect(result.verdict).toBe('error');
    expect(result.failure?.code).toBe('exception');
    expect(result.failure?.message).toContain('undefined at u = 0');
  });
});

describe('weightnorm options', () => {
  const prepare = (given: Record<string, string>) => weightnormCommand.prepare(given);

  it('binds the defaults into the claims 4.1, 4.2 and 4.3', () => {
    expect(prepare({}).claims.map((c) => c.id)).toEqual(['4.1', '4.2', '4.3']);
  });

  it('refuses --g 0 with one line explaining that the gradient would vanish identically', () => {
    expect(() => prepare({ g: '0' })).toThrow(UsageError);
    expect(() => prepare({ g: '0' })).toThrow(/--g: expected a non-zero number \(g = 0 makes w = 0/);
  });

  it('refuses a batch smaller than d + 1, which cannot be whitened', () => {
    expect(() => prepare({ dim: '8', batch: '8' })).toThrow('invalid value "8" for --batch: expected an integer ≥ d + 1 = 9');
  });

  it.each([
    ['dim', '1', '--dim'],
    ['dim', '2.5', '--dim'],
    ['batch', '2', '--batch'],
    ['g', 'abc', '--g'],
    ['g', '1e9', '--g'],
    ['lr', '0', '--lr'],
    ['lr', '-1', '--lr'],
    ['steps', '0', '--steps'],
    ['loss', 'hinge', '--loss'],
    ['rtol', '-1', '--rtol'],
  ])('refuses --%s %j with a usage error naming %s', (key, value, flag) => {
    expect(() => prepare({ [key]: value })).toThrow(UsageError);
    expect(() => prepare({ [key]: value })).toThrow(flag);
  });

  it('refuses sizes whose matrices would not fit in memory', () => {
    expect(() => prepare({ dim: '1000', batch: '1000000' })).toThrow(/would need about .* of matrices/);
  });
});
