import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { biasClaim, equivalenceClaim as momentumEquivalence, unrolledClaim } from '../../src/claims/momentum.js';
import { equivalenceClaim as rnnEquivalence } from '../../src/claims/rnn-equiv.js';
import type { ClaimDefinition } from '../../src/claims/subcommand.js';
import { decreaseClaim, newtonClaim, taylorStepClaim } from '../../src/claims/taylor.js';
import { explodingClaim, vanishingClaim } from '../../src/claims/vanish.js';
import { equivalenceClaim as weightnormEquivalence, gradientClaim, normGrowthClaim } from '../../src/claims/weightnorm.js';

/**
 * Each claim names the equations of the homework it checks; the audit and `hwcheck list` rely on
 * them. The registered commands build their claims once, when their modules load; here each
 * factory is called afresh, and must give the same id, title, trial count and equations (claim 1.3
 * names none: the written answer numbers no equation for it).
 */
const FACTORIES: Record<string, (() => ClaimDefinition<never>)[]> = {
  'rnn-equiv': [rnnEquivalence as () => ClaimDefinition<never>],
  vanish: [vanishingClaim, explodingClaim] as (() => ClaimDefinition<never>)[],
  momentum: [momentumEquivalence, unrolledClaim, biasClaim] as (() => ClaimDefinition<never>)[],
  taylor: [taylorStepClaim, decreaseClaim, newtonClaim] as (() => ClaimDefinition<never>)[],
  weightnorm: [weightnormEquivalence, gradientClaim, normGrowthClaim] as (() => ClaimDefinition<never>)[],
};

describe('the equations each claim checks', () => {
  it.each(Object.keys(FACTORIES))('%s: fresh definitions match the registered ones', (name) => {
    const command = findCommand(name);
    const fresh = (FACTORIES[name] ?? []).map((factory) => factory());
    expect(fresh.map(({ id, title, equations, trials }) => ({ id, title, equations, trials }))).toEqual(command?.claims);
    for (const claim of fresh) expect(claim.equations.every((e) => Number.isInteger(e) && e > 0), claim.id).toBe(true);
    // Recorded as well: after a deliberate change, review and update with -u.
    expect(fresh.map((claim) => `${claim.id}: ${claim.equations.join(', ')}`)).toMatchSnapshot();
    expect(fresh.flatMap((claim) => claim.equations).length).toBeGreaterThan(0);
  });
});
