import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, ACTIVATION_NAMES, distanceToKinks, logistic, softplus } from '../../src/num/activation.js';
import { finiteDifferenceDerivative } from '../../src/num/diff.js';

describe('the logistic function and softplus', () => {
  it('logistic is ½ at 0, symmetric, and saturates to exactly 0 and 1 without overflow', () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(-1.7)).toBeCloseTo(1 - logistic(1.7), 15);
    expect(logistic(-3) + logistic(3)).toBeCloseTo(1, 15);
    expect(logistic(800)).toBe(1);
    expect(logistic(-800)).toBe(0);
  });

  it('logistic keeps e^z far out on the negative side, where 1/(1 + e^{−z}) would overflow to 0', () => {
    // e^{710} overflows; e^{−710} ≈ 4.48e−309 is a subnormal the stable branch still returns.
    expect(logistic(-710)).toBeGreaterThan(0);
    expect(logistic(-710) / Math.exp(-710)).toBeCloseTo(1, 10);
    expect(logistic(-30) / Math.exp(-30)).toBeCloseTo(1, 12);
  });

  it('softplus equals log(1 + eᶻ), is exact far out on both sides and never negative', () => {
    expect(softplus(0.3)).toBeCloseTo(Math.log1p(Math.exp(0.3)), 15);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(softplus(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(softplus(-1000)).toBeGreaterThanOrEqual(0);
  });
});

describe('activations', () => {
  it.each(ACTIVATION_NAMES)('%s: the derivative matches finite differences away from kinks', (name) => {
    const activation = ACTIVATIONS[name];
    for (const z of [-2.3, -0.4, 0.7, 3.1]) {
      expect(activation.derivative(z)).toBeCloseTo(finiteDifferenceDerivative(activation.apply, z), 8);
    }
  });

  it.each(ACTIVATION_NAMES)('%s: γ bounds |σ′| and the peak attains it to rounding', (name) => {
    const activation = ACTIVATIONS[name];
    for (let z = -20; z <= 20; z += 0.25) expect(Math.abs(activation.derivative(z))).toBeLessThanOrEqual(activation.gamma);
    expect(activation.derivative(activation.peak)).toBe(activation.gamma);
  });

  it('ReLU at its kink: the value 0 and the derivative 0 (the convention; the checks keep clear of kinks)', () => {
    expect(ACTIVATIONS.relu.apply(0)).toBe(0);
    expect(ACTIVATIONS.relu.derivative(0)).toBe(0);
    expect(ACTIVATIONS.relu.derivative(Number.MIN_VALUE)).toBe(1);
    expect(ACTIVATIONS.relu.apply(-Number.MIN_VALUE)).toBe(0);
  });

  it('γ is 1 for tanh, ¼ for sigmoid and 1 for ReLU', () => {
    expect([ACTIVATIONS.tanh.gamma, ACTIVATIONS.sigmoid.gamma, ACTIVATIONS.relu.gamma]).toEqual([1, 0.25, 1]);
  });

  it('measures the distance of pre-activations to ReLU’s kink, and ∞ for smooth activations', () => {
    expect(distanceToKinks(ACTIVATIONS.relu, [0.5, -0.2, 3])).toBeCloseTo(0.2, 15);
    expect(distanceToKinks(ACTIVATIONS.tanh, [0])).toBe(Number.POSITIVE_INFINITY);
  });

  it('measures the distance to a kink away from 0, and to the nearest of several kinks', () => {
    // Kinks placed off 0, and not symmetrically about it (a set symmetric about 0 would not tell
    // z − kink from z + kink): built here, since no registered activation has such kinks.
    const shifted = { ...ACTIVATIONS.relu, kinks: [1] };
    expect(distanceToKinks(shifted, [0.75])).toBeCloseTo(0.25, 15);
    const twoKinks = { ...ACTIVATIONS.relu, kinks: [-1, 2] };
    expect(distanceToKinks(twoKinks, [-0.5, 3])).toBeCloseTo(0.5, 15);
    expect(distanceToKinks(twoKinks, [2.25])).toBeCloseTo(0.25, 15);
    expect(distanceToKinks(twoKinks, [])).toBe(Number.POSITIVE_INFINITY);
  });
});
