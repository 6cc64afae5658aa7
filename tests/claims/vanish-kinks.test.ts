import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { checkPasses } from '../../src/claims/checks.js';
import type { RnnCase } from '../../src/claims/rnn-cases.js';
import { VANISH_DEFAULTS, VANISH_FORMULAS, evaluate, jacobianChecks } from '../../src/claims/vanish.js';
import { evaluate as evaluateMatrixFree, finiteDifferenceChecks, checkpointTimes } from '../../src/claims/vanish-matrix-free.js';
import { ACTIVATIONS, type Activation } from '../../src/num/activation.js';
import { createRng } from '../../src/num/random.js';

/**
 * A central difference across a kink of ReLU measures the average of two slopes, not the
 * derivative: both finite-difference routes shrink their step so that no pre-activation can
 * cross a kink. Here the first pre-activation of unit 0 sits 1e-9 from the kink, well inside
 * the default step (about 6e-6): the checks hold with the margin, and the same case checked as
 * if ReLU had no kink fails, which shows the margin is what holds them.
 */
function nearKinkCase(distance: number): RnnCase {
  // z_1 = W g_0 + drive_1 with g_0 = (1, 1): unit 0 lands at `distance`, unit 1 well clear of 0.
  return {
    label: 'near a kink',
    W: new Matrix([
      [0.5, 0.1],
      [0.2, 0.4],
    ]),
    g0: Float64Array.from([1, 1]),
    drive: [Float64Array.from([-0.6 + distance, 0.3]), Float64Array.from([0.2, 0.1]), Float64Array.from([0.3, 0.2])],
  };
}

/**
 * One step through a large W (‖W‖ ≈ 5): z_1 moves by up to h·‖W‖, so the step must shrink by
 * ‖W‖ as well as by the Jacobian's growth. Unit 0 lands 1e-6 below the kink, inactive, so the
 * Jacobian D_1 W (≈ 0.5) does not show W's size: only the factor ‖W‖ keeps the stencil clear.
 */
function steepCase(): RnnCase {
  return {
    label: 'steep, near a kink',
    W: new Matrix([
      [5, 0.01],
      [0.01, 0.5],
    ]),
    g0: Float64Array.from([1, 1]),
    drive: [Float64Array.from([-5.01 - 1e-6, 0.3])],
  };
}

const relu = ACTIVATIONS.relu;
const reluWithoutKinks: Activation = { ...relu, kinks: [] };
const tolerances = { rtol: null, atol: null };

describe('finite differences next to a kink of ReLU', () => {
  it('the case is what it claims: the first pre-activation of unit 0 is 1e-9 above the kink', () => {
    const z = evaluate(nearKinkCase(1e-9), relu, VANISH_FORMULAS).preactivations[0] as Float64Array;
    expect(Math.abs((z[0] as number) - 1e-9)).toBeLessThan(1e-16);
  });

  it('full route: every Jacobian matches with the kink margin, and fails without it', () => {
    const c = nearKinkCase(1e-9);
    const evaluated = evaluate(c, relu, VANISH_FORMULAS);
    expect(jacobianChecks(c, relu, evaluated, tolerances).map(checkPasses)).toEqual([true, true, true]);
    expect(jacobianChecks(c, reluWithoutKinks, evaluated, tolerances).every(checkPasses)).toBe(false);
  });

  it('both routes: the step shrinks with ‖W‖ too, so one step through a steep W does not cross the kink', () => {
    const c = steepCase();
    const evaluated = evaluate(c, relu, VANISH_FORMULAS);
    expect(Math.abs(((evaluated.preactivations[0] as Float64Array)[0] as number) + 1e-6)).toBeLessThan(1e-14);
    expect(jacobianChecks(c, relu, evaluated, tolerances).map(checkPasses)).toEqual([true]);
    expect(jacobianChecks(c, reluWithoutKinks, evaluated, tolerances).map(checkPasses)).toEqual([false]);
    const times = checkpointTimes(1);
    const run = (activation: Activation) =>
      finiteDifferenceChecks(createRng('steep'), c, activation, evaluateMatrixFree(createRng('steep-start'), c, activation, VANISH_FORMULAS, times), VANISH_FORMULAS, VANISH_DEFAULTS);
    expect(run(relu).map(checkPasses)).toEqual([true, true]);
    expect(run(reluWithoutKinks).every(checkPasses)).toBe(false);
  });

  it('full route: pre-activations far from the kink need no shrinking (the margin is only a bound)', () => {
    const c = nearKinkCase(0.3);
    const evaluated = evaluate(c, relu, VANISH_FORMULAS);
    expect(jacobianChecks(c, relu, evaluated, tolerances).every(checkPasses)).toBe(true);
    expect(jacobianChecks(c, reluWithoutKinks, evaluated, tolerances).every(checkPasses)).toBe(true);
  });

  it('matrix-free route: the directional checks hold with the margin, and fail without it', () => {
    const c = nearKinkCase(1e-9);
    const times = checkpointTimes(c.drive.length);
    const run = (activation: Activation) => {
      const evaluated = evaluateMatrixFree(createRng('kink'), c, activation, VANISH_FORMULAS, times);
      return finiteDifferenceChecks(createRng('kink-direction'), c, activation, evaluated, VANISH_FORMULAS, VANISH_DEFAULTS);
    };
    const withMargin = run(relu);
    expect(withMargin.length).toBe(c.drive.length + times.length);
    expect(withMargin.every(checkPasses)).toBe(true);
    expect(run(reluWithoutKinks).every(checkPasses)).toBe(false);
  });
});

describe('matrix-free route: the kink margin divides by ‖W‖_F when it is above 1', () => {
  // The stencil moves z_1 by h·(W v)_0, up to 5h along a random direction v.
  it('the directional checks on the steep case hold along 12 random directions', () => {
    const c = steepCase();
    const times = checkpointTimes(1);
    for (let k = 0; k < 12; k++) {
      const evaluated = evaluateMatrixFree(createRng(`steep-start-${k}`), c, ACTIVATIONS.relu, VANISH_FORMULAS, times);
      const checks = finiteDifferenceChecks(createRng(`steep-direction-${k}`), c, ACTIVATIONS.relu, evaluated, VANISH_FORMULAS, VANISH_DEFAULTS);
      expect(checks.map(checkPasses), `direction ${k}`).toEqual([true, true]);
    }
  });
});
