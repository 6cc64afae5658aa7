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

  it('γ is 1 for tanh, ¼ for sigmoid and 1 for ReLU', () => {
    expect([ACTIVATIONS.tanh.gamma, ACTIVATIONS.sigmoid.gamma, ACTIVATIONS.relu.gamma]).toEqual([1, 0.25, 1]);
  });

  it('measures the distance of pre-activations to ReLU’s kink, and ∞ for smooth activations', () => {
    expect(distanceToKinks(ACTIVATIONS.relu, [0.5, -0.2, 3])).toBeCloseTo(0.2, 15);
    expect(distanceToKinks(ACTIVATIONS.tanh, [0])).toBe(Number.POSITIVE_INFINITY);
  });
});
