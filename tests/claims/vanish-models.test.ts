import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { checkPasses } from '../../src/claims/checks.js';
import { findCommand } from '../../src/claims/index.js';
import { type RnnCase, randomCase } from '../../src/claims/rnn-cases.js';
import type { Check, Plot, TrialOutcome } from '../../src/claims/types.js';
import { VANISH_DEFAULTS, VANISH_FORMULAS, type VanishParams, decayRate, evaluate, explodingClaim, jacobianChecks, vanishingClaim } from '../../src/claims/vanish.js';
import {
  boundaryMatrix,
  checkpointTimes,
  evaluate as evaluateMatrixFree,
  finiteDifferenceChecks,
  frobeniusNorm,
  nonNormalMatrix,
} from '../../src/claims/vanish-matrix-free.js';
import { ACTIVATIONS, type Activation } from '../../src/num/activation.js';
import { CENTRAL_DIFFERENCE_STEP } from '../../src/num/diff.js';
import { largestSingularValue } from '../../src/num/lanczos.js';
import { createRng, gaussianVector } from '../../src/num/random.js';
import { jacobianTimes, runOnActivations, transposedJacobianTimes } from '../../src/num/rnn.js';
import { dumpTrial, runClaim } from '../../src/run/runner.js';
import { saturatedWitnessRun } from '../helpers.js';

/**
 * Claims 1.2–1.3 beyond their verdicts: the cost models of `vanish` (held to the scaling laws of
 * the work each route does, and to the arrays a trial must build), the finite-difference step
 * and rounding model at inputs the claims' own cases do not reach (a large g_0, the smallest n),
 * the witnesses' records (the exploding horizon, the "grows with t" comparisons, the saturated
 * rate), and the matrix-free route's generators and figures.
 */

const params = (overrides: Partial<VanishParams>): VanishParams => ({ ...VANISH_DEFAULTS, ...overrides });
const ROUTES = ['full', 'matrix-free'] as const;

function vanishCommand() {
  const command = findCommand('vanish');
  if (command === undefined) throw new Error('no vanish');
  return command;
}

const figureValue = (outcome: TrialOutcome, key: string) => outcome.figures?.find((f) => f.key === key)?.value;
const figureLabel = (outcome: TrialOutcome, key: string) => outcome.figures?.find((f) => f.key === key)?.label ?? '';
const checksNamed = (outcome: TrialOutcome, prefix: string): Check[] => outcome.checks.filter((c) => c.name.startsWith(prefix));
/** The t of a check location "…, t=12". */
const timeOf = (check: Check): number => Number(/t=(\d+)$/.exec(check.at)?.[1]);

describe('vanish’s time model follows the work of each route', () => {
  // Full: T products of n×n matrices (T·n³); matrix-free: Jacobian–vector products (T·n²).
  const seconds = (given: Record<string, string>) => vanishCommand().trialSeconds(given);

  it('doubling n multiplies a large trial’s time by about 8 on the full route and about 4 on the matrix-free one', () => {
    const ratio = (method: string) => seconds({ method, dim: '1600' }) / seconds({ method, dim: '800' });
    expect(ratio('full')).toBeGreaterThan(7.5);
    expect(ratio('full')).toBeLessThan(8.5);
    expect(ratio('matrix-free')).toBeGreaterThan(3.5);
    expect(ratio('matrix-free')).toBeLessThan(4.5);
    // So at large n the matrix-free route is far cheaper, and auto takes it.
    expect(seconds({ method: 'matrix-free', dim: '800' })).toBeLessThan(0.01 * seconds({ method: 'full', dim: '800' }));
    expect(seconds({ method: 'auto', dim: '800' })).toBe(seconds({ method: 'matrix-free', dim: '800' }));
  });

  it.each(ROUTES)('%s: every step costs the same, so the time is affine in T (inputs of every size)', (method) => {
    for (const given of [{ dim: '8', inputDim: '4' }, { dim: '8', inputDim: '2000' }, { dim: '2', inputDim: '5000' }]) {
      const [t10, t20, t30] = [10, 20, 30].map((T) => seconds({ method, ...given, steps: String(T) })) as [number, number, number];
      expect(t20).toBeGreaterThan(t10);
      expect(Math.abs(t10 + t30 - 2 * t20) / t20, JSON.stringify(given)).toBeLessThan(1e-12);
    }
  });

  it.each(ROUTES)('%s: a larger --input-dim costs more at every n, down to n = 2, and each extra input costs more at larger n', (method) => {
    const extra = (dim: number) => seconds({ method, dim: String(dim), inputDim: '2000' }) - seconds({ method, dim: String(dim), inputDim: '1000' });
    for (const dim of [2, 3, 8, 64]) expect(extra(dim), `n = ${dim}`).toBeGreaterThan(0);
    // Each input x_t is multiplied by U (n×m): its cost grows with n.
    expect(extra(16)).toBeGreaterThan(extra(8));
    expect(extra(8)).toBeGreaterThan(extra(2));
  });
});

describe('vanish’s memory model counts the random inputs a trial builds', () => {
  it.each(ROUTES)('%s: m more inputs per step add at least U’s n·m and one case’s T·m numbers (8 bytes each)', (method) => {
    // randomCase draws U (n×m) and x_1…x_T (m each) before it forms U x_t + b: all are held at once.
    const bytes = (given: Record<string, string>) => vanishCommand().estimateBytes({ method, ...given });
    for (const [n, T] of [
      [40, 5],
      [8, 30],
      [2, 2],
    ] as const) {
      const at = (m: number) => bytes({ dim: String(n), steps: String(T), inputDim: String(m) });
      expect(at(2000) - at(1000), `n = ${n}, T = ${T}`).toBeGreaterThanOrEqual(8 * (n + T) * 1000);
    }
  });
});

describe('the finite-difference step scales with g_0 and the kink margin scales back', () => {
  /**
   * ReLU, g_0 = (4, 4): the step is relative to max(1, |g_0|) = 4, so the kink margin must divide
   * by the same 4. The first pre-activation of unit 0 sits 1e-9 above the kink.
   */
  const largeStartCase = (): RnnCase => ({
    label: 'large g_0 near a kink',
    W: new Matrix([
      [0.5, 0.5],
      [0.2, 0.4],
    ]),
    g0: Float64Array.from([4, 4]),
    drive: [Float64Array.from([-4 + 1e-9, -2.1]), Float64Array.from([0.2, 0.1]), Float64Array.from([0.3, 0.2])],
  });
  const relu = ACTIVATIONS.relu;
  const reluWithoutKinks: Activation = { ...relu, kinks: [] };

  it('the case is what it claims: z_1 of unit 0 is 1e-9 above the kink, unit 1 well clear', () => {
    const z = evaluate(largeStartCase(), relu, VANISH_FORMULAS).preactivations[0] as Float64Array;
    expect(Math.abs((z[0] as number) - 1e-9)).toBeLessThan(1e-15);
    expect(z[1]).toBeGreaterThan(0.1);
  });

  it('full route: every Jacobian matches with the margin, and the same case without it fails', () => {
    const c = largeStartCase();
    const evaluated = evaluate(c, relu, VANISH_FORMULAS);
    expect(jacobianChecks(c, relu, evaluated, VANISH_DEFAULTS).map(checkPasses)).toEqual([true, true, true]);
    expect(jacobianChecks(c, reluWithoutKinks, evaluated, VANISH_DEFAULTS).every(checkPasses)).toBe(false);
  });

  it.each(['a', 'b', 'c', 'd'])('matrix-free route (direction %s): the directional checks hold with the margin', (seed) => {
    const c = largeStartCase();
    const times = checkpointTimes(c.drive.length);
    const evaluated = evaluateMatrixFree(createRng(`large-start-${seed}`), c, relu, VANISH_FORMULAS, times);
    const checks = finiteDifferenceChecks(createRng(`large-start-direction-${seed}`), c, relu, evaluated, VANISH_FORMULAS, VANISH_DEFAULTS);
    expect(checks.length).toBe(c.drive.length + times.length);
    expect(checks.every(checkPasses)).toBe(true);
  });
});

describe('the full route’s rounding model divides by the smallest step taken', () => {
  // Linear units, so the differences are exact but for rounding; one coordinate of g_0 is 10⁶,
  // so its step is 10⁶ times the others, while every g_t carries rounding of about ε·10⁶.
  const mixedCase = (): RnnCase => ({
    label: 'g_0 of mixed sizes',
    W: new Matrix([
      [0.3, 0.2, 0.1],
      [0.1, 0.4, 0.2],
      [0.2, 0.1, 0.3],
    ]),
    g0: Float64Array.from([1e6, 0.5, -0.3]),
    drive: Array.from({ length: 3 }, () => new Float64Array(3)),
  });

  it('every Jacobian holds, and the small steps’ columns show rounding far above ε (the model is needed)', () => {
    const c = mixedCase();
    const evaluated = evaluate(c, ACTIVATIONS.linear, VANISH_FORMULAS);
    const checks = jacobianChecks(c, ACTIVATIONS.linear, evaluated, VANISH_DEFAULTS);
    expect(checks.map(checkPasses)).toEqual([true, true, true]);
    // The rounding seen is above what the tolerances alone allow: without its model the check would fail.
    const bare = jacobianChecks(c, ACTIVATIONS.linear, evaluated, { rtol: 1e-6, atol: 1e-8 });
    const worst = Math.max(...bare.map((check) => check.error));
    expect(worst).toBeGreaterThan(1e-6);
  });

  it('names the checks t = 1…T in order', () => {
    const c = mixedCase();
    const checks = jacobianChecks(c, ACTIVATIONS.linear, evaluate(c, ACTIVATIONS.linear, VANISH_FORMULAS), VANISH_DEFAULTS);
    // Each location names the worst entry after the time: "linear, g_0 of mixed sizes, t=2, entry (i,j)".
    expect(checks.map((check) => /^linear, g_0 of mixed sizes, t=(\d+), entry /.exec(check.at)?.[1])).toEqual(['1', '2', '3']);
  });
});

describe('the rounding models at the smallest sizes, with --rtol 0 --atol 0', () => {
  // √(n+2) is the model's count of rounded terms per state: it must stay a positive number at the smallest n, 2.
  it.each([
    ['full', '2'],
    ['matrix-free', '2'],
  ])('%s, n = %s: every finite-difference check holds on its model alone', (method, dim) => {
    const run = vanishCommand().prepare({ method, dim, steps: '12', rtol: '0', atol: '0' });
    const checks = run.claims.flatMap((claim) => runClaim(claim, { seed: 1, trials: 4 }).checks).filter((c) => c.name.includes('finite differences'));
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => c.failed > 0).map((c) => `${c.name}: ${c.failed}/${c.count}, worst ratio ${c.worstRatio}`)).toEqual([]);
  });
});

describe.each(ROUTES)('claim 1.3’s exploding witness, %s route', (method) => {
  it('runs until (γ‖W‖)^t would pass 10^200, or to T: the horizon is the last such t', () => {
    // At T = 1000 the ceiling binds once γ‖W‖ = s > 10^(200/1000) ≈ 1.585 (s is drawn in [1.2, 2]).
    const horizons = ['a', 'b', 'c', 'd', 'e'].map((seed) => {
      const outcome = explodingClaim().trial(createRng(`horizon-${method}-${seed}`), params({ method, dim: 2, steps: 1000 }));
      const s = figureValue(outcome, 'explodingFactor') as number;
      const horizon = Number(/T=(\d+)/.exec(figureLabel(outcome, 'explodingNorm'))?.[1]);
      // With tanh, σ′(z*) = γ = 1, so the norm at t is s^t.
      expect(s ** horizon).toBeLessThanOrEqual(1e200);
      if (horizon < 1000) expect(s ** (horizon + 1)).toBeGreaterThan(1e200);
      else expect(horizon).toBe(1000);
      expect((figureValue(outcome, 'explodingNorm') as number) / s ** horizon).toBeCloseTo(1, 6);
      return horizon;
    });
    expect(horizons.some((h) => h < 1000)).toBe(true);
    expect(horizons.some((h) => h === 1000)).toBe(true);
  });

  it('"grows with t" compares each norm with the one at the time before (the previous checkpoint)', () => {
    const outcome = explodingClaim().trial(createRng(`grows-${method}`), params({ method, steps: 30 }));
    const norms = new Map(checksNamed(outcome, 'exploding witness: ‖∂g_t/∂g_0‖ = ').map((c) => [timeOf(c), c.lhs]));
    const times = [...norms.keys()];
    expect(times).toEqual(method === 'full' ? Array.from({ length: 30 }, (_, i) => i + 1) : checkpointTimes(30));
    const grows = checksNamed(outcome, 'exploding witness: ‖∂g_t/∂g_0‖ grows');
    expect(grows.map(timeOf)).toEqual(times.slice(1));
    grows.forEach((check, k) => {
      expect(check.lhs).toBe(norms.get(times[k] as number));
      expect(check.rhs).toBe(norms.get(times[k + 1] as number));
    });
  });

  it('the bounded tight case’s figure is its final norm, (σ′(z*)/γ)^T with γ above the activation’s own', () => {
    // tanh with γ = 2: W = Q/2 at the peak (σ′ = 1), so ‖∂g_t/∂g_0‖ = 2^−t, different at every t.
    const outcome = explodingClaim().trial(createRng(`bounded-${method}`), params({ method, gamma: 2, steps: 30 }));
    expect((figureValue(outcome, 'boundedTightness') as number) / 0.5 ** 30).toBeCloseTo(1, 9);
  });
});

describe.each(ROUTES)('claim 1.3, %s route: the saturated witness’s figures, from the recorded case', (method) => {
  it('the rate is max over t of ‖∂g_t/∂g_0‖^(1/t) (full route) and the final norm is ‖∂g_T/∂g_0‖, the Jacobians formed by hand, norms by SVD', () => {
    // T = 6 keeps ‖∂g_T/∂g_0‖ (about 10^−13 per step) clear of underflow.
    const T = 6;
    const claim = vanishCommand()
      .prepare({ method, steps: String(T) })
      .claims.find((c) => c.id === '1.3');
    if (claim === undefined) throw new Error('no claim 1.3');
    const { record, W, preactivations } = saturatedWitnessRun(claim);
    let J = Matrix.eye(W.rows);
    const norms = preactivations.map((z) => {
      J = Matrix.diag(Array.from(z, (x) => 1 - Math.tanh(x) ** 2)).mmul(W).mmul(J);
      return new SingularValueDecomposition(J).norm2;
    });
    expect(norms).toHaveLength(T);
    const final = record.figures.find((f) => f.key === 'saturatedNorm')?.value as number;
    expect(final).toBeGreaterThan(0);
    // The matrix-free figure is a Lanczos estimate: a lower bound, settled to about 1e-6.
    expect(final / (norms[T - 1] as number)).toBeCloseTo(1, method === 'full' ? 9 : 5);
    expect(final).toBeLessThanOrEqual((norms[T - 1] as number) * (1 + 1e-9));
    if (method === 'full') {
      const rates = norms.map((norm, i) => norm ** (1 / (i + 1)));
      const reported = record.figures.find((f) => f.key === 'saturatedRate')?.value as number;
      expect(reported / Math.max(...rates)).toBeCloseTo(1, 9);
      // A rate, not a norm: it bounds every norm as rate^t.
      norms.forEach((norm, i) => expect(norm).toBeLessThanOrEqual(reported ** (i + 1) * (1 + 1e-9)));
    }
  });
});

describe('matrix-free route: checks, figures and plots', () => {
  it('compares the tight case with δ^t only where δ^t has not underflowed to 0', () => {
    // 0.01^t underflows past t ≈ 161: the checkpoints 1, 3, 10, 32, 100 remain, 200 does not.
    const outcome = vanishingClaim().trial(createRng('tight-underflow'), params({ method: 'matrix-free', delta: 0.01, steps: 200, dim: 3 }));
    const tight = checksNamed(outcome, 'tight case: the estimate reaches');
    const expected = checkpointTimes(200).filter((t) => 0.01 ** t > 0);
    expect(expected.length).toBeLessThan(checkpointTimes(200).length);
    expect(tight.map(timeOf)).toEqual(expected);
  });

  it('claim 1.3 counts its Lanczos steps: at least one per estimate of a non-zero Jacobian, at most ten per estimate', () => {
    const outcome = explodingClaim().trial(createRng('steps-1.3'), params({ method: 'matrix-free', steps: 30 }));
    const checkpoints = checkpointTimes(30).length;
    const steps = figureValue(outcome, 'lanczosSteps') as number;
    // The two bounded cases are estimated at every checkpoint, never at a zero Jacobian.
    expect(steps).toBeGreaterThanOrEqual(2 * checkpoints);
    // Bounded cases, saturated witness, exploding witness (at most as many checkpoints), nilpotent one (one more).
    expect(steps).toBeLessThanOrEqual(10 * (5 * checkpoints + 1));
  });

  it('plots the nilpotent witness at increasing t (its index 4 between the checkpoints 3 and 9) and the bound 1 at every t', () => {
    const outcome = explodingClaim().trial(createRng('nilpotent-plot'), params({ method: 'matrix-free', dim: 12, steps: 9 }));
    const [plot] = outcome.plots?.() ?? [];
    const series = (label: string) => {
      const found = (plot as Plot).series.find((s) => s.label.startsWith(label));
      if (found === undefined) throw new Error(`no series ${label}`);
      return found;
    };
    expect(series('nilpotent witness').x).toEqual([1, 3, 4, 9]);
    const bound = series('bound 1');
    expect(bound.x.length).toBeGreaterThan(0);
    expect(bound.y.every((y) => y === 1)).toBe(true);
  });
});

describe('matrix-free generators', () => {
  it.each([100, 150])('boundaryMatrix (n = %i) runs Lanczos until ‖W‖ settles to the last bits (SVD, 5e-15)', (n) => {
    for (const seed of ['a', 'b']) {
      const W = boundaryMatrix(createRng(`boundary-bits-${n}-${seed}`), n, 0.9);
      const exact = new SingularValueDecomposition(W, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).norm2;
      // A Lanczos estimate stopped at a relative change of 1e-12 is off by 1e-14 to 1e-13 at these sizes.
      expect(Math.abs(exact / 0.9 - 1), seed).toBeLessThan(5e-15);
    }
  });

  it('nonNormalMatrix leaves D alone when the bound is loose, so W stays far from normal', () => {
    // Eigenvalues of modulus ≤ ‖W‖ always meet a bound of 10‖W‖: nothing to shrink, and nothing to grow.
    for (const n of [3, 8]) {
      const W = nonNormalMatrix(createRng(`loose-${n}`), n, 10, 1);
      const commutator = W.mmul(W.transpose()).sub(W.transpose().mmul(W));
      expect(commutator.norm('frobenius'), `n = ${n}`).toBeGreaterThan(0.05);
    }
  });

  it('nonNormalMatrix at n = 1 with a bound below the norm returns W = ±norm (no diagonal meets both)', () => {
    const W = nonNormalMatrix(createRng('one-tight'), 1, 0.25, 1);
    expect(Math.abs(W.get(0, 0))).toBeCloseTo(1, 12);
  });

  it('nonNormalMatrix draws eigenvalues of both signs: the trace takes either sign over 20 draws', () => {
    const traces = Array.from({ length: 20 }, (_, k) => {
      const W = nonNormalMatrix(createRng(`signs-${k}`), 3, 1, 1);
      return W.get(0, 0) + W.get(1, 1) + W.get(2, 2);
    });
    expect(traces.some((t) => t > 0)).toBe(true);
    expect(traces.some((t) => t < 0)).toBe(true);
  });

  it('claim 1.2’s non-normal case keeps every eigenvalue within δ/(4γ), from the recorded W (n = 3, 6 trials)', () => {
    const claim = vanishCommand()
      .prepare({ method: 'matrix-free', dim: '3', steps: '5' })
      .claims.find((c) => c.id === '1.2');
    if (claim === undefined) throw new Error('no claim 1.2');
    for (let trial = 0; trial < 6; trial++) {
      const cases = (dumpTrial(claim, 1, trial).inputs as { cases: Record<string, { W: number[][] }> }).cases;
      const W = new Matrix(cases['tanh, non-normal W on the boundary']?.W ?? []);
      const e = new EigenvalueDecomposition(W);
      const radius = Math.max(...e.realEigenvalues.map((re, i) => Math.hypot(re, e.imaginaryEigenvalues[i] as number)));
      // Eigenvalues of a 3×3 matrix are computed to within 1e-5 of its norm (see vanish-generators.test.ts).
      expect(radius, `trial ${trial}`).toBeLessThanOrEqual(0.9 / 4 + 1e-5 * 0.9);
    }
  });

  it('frobeniusNorm’s upward margin grows with the number of terms summed', () => {
    // Rows of ones: ‖·‖_F = 2 and 8 exactly, yet the bound must stay strictly above, more so for more terms.
    const margin = (columns: number, exact: number) => frobeniusNorm(new Matrix([new Array<number>(columns).fill(1)])) / exact - 1;
    expect(margin(4, 2)).toBeGreaterThan(0);
    expect(margin(64, 8)).toBeGreaterThan(margin(4, 2));
    expect(margin(64, 8)).toBeLessThanOrEqual(4 * 64 * Number.EPSILON * 1.01);
  });
});

describe('matrix-free route: the finite-difference step and its rounding allowance', () => {
  // The step rule: relative step ∛ε/(A·s) with s = max(1, |g_0|∞) and A = max(1, the norm
  // estimates), times s: an absolute step h = ∛ε/A (linear units have no kinks to keep clear of).
  // The rounding allowance of each J_t·v check is 4√(n+2)·ε·L·A/h, with L = max(1, |z_t|∞, |g_0|∞),
  // so with --rtol 0 --atol 0 it is the whole allowance: 4√(n+2)·ε·L·A²/∛ε.
  const exact = { ...VANISH_DEFAULTS, rtol: 0, atol: 0 };
  const linear = ACTIVATIONS.linear;
  const jvpChecks = (checks: Check[]) => checks.filter((c) => c.name.startsWith('∂g_t/∂g_0·v'));
  const modelAllowance = (n: number, largest: number, amplification: number) =>
    (4 * Math.sqrt(n + 2) * Number.EPSILON * largest * amplification * amplification) / CENTRAL_DIFFERENCE_STEP;
  const largestState = (c: RnnCase, preactivations: readonly Float64Array[]) =>
    Math.max(1, ...preactivations.map((z) => Math.max(...Array.from(z, Math.abs))), ...Array.from(c.g0, Math.abs));

  it('a large g_0 does not shrink the absolute step: the allowance is the model’s with h = ∛ε', () => {
    // ‖W‖ < 1, so every norm estimate is below 1 and A = 1; |g_0|∞ = 1000 sets L (and s).
    const c: RnnCase = {
      label: 'large g_0, contraction',
      W: new Matrix([
        [0.5, 0.1],
        [0.2, 0.3],
      ]),
      g0: Float64Array.from([1000, -400]),
      drive: Array.from({ length: 3 }, () => new Float64Array(2)),
    };
    const evaluated = evaluateMatrixFree(createRng('large-g0'), c, linear, VANISH_FORMULAS, checkpointTimes(3));
    expect(Math.max(...evaluated.norms)).toBeLessThan(1);
    const checks = jvpChecks(finiteDifferenceChecks(createRng('large-g0-direction'), c, linear, evaluated, VANISH_FORMULAS, exact));
    expect(checks).toHaveLength(3);
    const expected = modelAllowance(2, largestState(c, evaluated.preactivations), 1);
    expect(largestState(c, evaluated.preactivations)).toBe(1000);
    for (const check of checks) expect(Math.abs(check.allowed / expected - 1), check.at).toBeLessThan(1e-12);
  });

  it('when the direction taken stretches less than the norm estimates, the step keeps the estimates’ amplification', () => {
    // W = diag(2, 1/2): ‖J_t‖ = 2^t, so the estimates at the checkpoints t = 1 and 3 are 2 and 8,
    // while a random unit v stretches to 8|v_0| < 8 at most: within twice the estimate, no retry.
    const c: RnnCase = {
      label: 'diagonal, one direction growing',
      W: new Matrix([
        [2, 0],
        [0, 0.5],
      ]),
      g0: new Float64Array(2),
      drive: Array.from({ length: 3 }, () => new Float64Array(2)),
    };
    const evaluated = evaluateMatrixFree(createRng('diagonal'), c, linear, VANISH_FORMULAS, checkpointTimes(3));
    expect(evaluated.norms).toHaveLength(2);
    expect(Math.abs((evaluated.norms[1] as number) / 8 - 1)).toBeLessThan(1e-12);
    const A = Math.max(1, ...evaluated.norms);
    const jvp = jvpChecks(finiteDifferenceChecks(createRng('diagonal-direction'), c, linear, evaluated, VANISH_FORMULAS, exact));
    expect(jvp).toHaveLength(3);
    for (const check of jvp) expect(Math.abs(check.allowed / modelAllowance(2, 1, A) - 1), check.at).toBeLessThan(1e-12);
  });
});

describe('matrix-free route: Lanczos warm starts', () => {
  it('each checkpoint after the first starts from the previous one’s top vector, and so settles in fewer steps than from the random start', () => {
    const n = 40;
    const T = 100;
    const tanh = ACTIVATIONS.tanh;
    const rng = createRng('warm-start-case');
    const c = randomCase(rng, 'random W', tanh, boundaryMatrix(rng, n, 0.95), 4, T);
    const times = checkpointTimes(T);
    const evaluated = evaluateMatrixFree(createRng('warm-start'), c, tanh, VANISH_FORMULAS, times);
    // Cold starts: every checkpoint from the random vector the run draws first, through the same
    // products J_t·v and J_tᵀ·u, with the same step limit (10) and settling threshold (1e-6).
    const start = gaussianVector(createRng('warm-start'), n);
    let cold = 0;
    times.forEach((t, k) => {
      const derivatives = evaluated.derivatives.slice(0, t);
      const operator = {
        rows: n,
        columns: n,
        apply: (v: Float64Array) => jacobianTimes(c.W, derivatives, v).at(-1) as Float64Array,
        applyTransposed: (u: Float64Array) => transposedJacobianTimes(c.W, derivatives, u),
      };
      const estimate = largestSingularValue(operator, start, { maxSteps: 10, tolerance: 1e-6 });
      // Either start finds the same top singular value, to the settling threshold.
      expect(Math.abs(estimate.value / (evaluated.norms[k] as number) - 1), `t = ${t}`).toBeLessThan(1e-5);
      cold += estimate.steps;
    });
    expect(evaluated.steps).toBeLessThan(cold);
  });
});

describe('claim 1.3, matrix-free route: the saturated witness’s rate bound, from the recorded case', () => {
  it('is max_t (Π_{s≤t} max|σ′(z_s)|·‖W‖_F)^(1/t), the t-th root of the running product', () => {
    const claim = vanishCommand()
      .prepare({ method: 'matrix-free', steps: '8' })
      .claims.find((c) => c.id === '1.3');
    if (claim === undefined) throw new Error('no claim 1.3');
    let laterMaxima = 0;
    for (let trial = 0; trial < 6; trial++) {
      const record = dumpTrial(claim, 1, trial);
      const saturated = (record.inputs as { cases: Record<string, { W: number[][]; drive: number[][]; g0: number[] }> }).cases['tanh, saturated witness'];
      if (saturated === undefined) throw new Error('no saturated witness');
      const W = new Matrix(saturated.W);
      const { preactivations } = runOnActivations(W, ACTIVATIONS.tanh, Float64Array.from(saturated.g0), saturated.drive.map((d) => Float64Array.from(d)));
      // The factor of step s bounds ‖D_s W‖ from above: the largest σ′(z_s) times the Frobenius bound.
      // Deep in saturation every z_s is the same up to rounding, so the roots differ only in their
      // last bits: the sum of logs and the roots are taken in the same order, and must agree exactly.
      const frobenius = frobeniusNorm(W);
      let logProduct = 0;
      const roots = preactivations.map((z, index) => {
        logProduct += Math.log(Math.max(...Array.from(z, (x) => ACTIVATIONS.tanh.derivative(x))) * frobenius);
        return Math.exp(logProduct / (index + 1));
      });
      const rate = Math.max(...roots);
      if (rate > (roots[0] as number)) laterMaxima++;
      expect(record.figures.find((f) => f.key === 'saturatedRate')?.value, `trial ${trial}`).toBe(rate);
    }
    // Trials where a later root is the largest tell the t-th root from other powers.
    expect(laterMaxima).toBeGreaterThan(0);
  });
});

describe('decayRate: the largest t-th root of ‖∂g_t/∂g_0‖ over t = 1, 2, …', () => {
  it('takes the t-th root of the norm at t, and the largest over t wherever it falls', () => {
    // Roots 0.1, √0.04 = 0.2 and ∛0.001 = 0.1: the rate is set at t = 2, not t = 1.
    expect(decayRate([0.1, 0.04, 0.001])).toBeCloseTo(0.2, 14);
    // A single norm is its own rate; zero norms (a vanished Jacobian) give 0.
    expect(decayRate([0.3])).toBe(0.3);
    expect(decayRate([0, 0])).toBe(0);
    // Norms of exactly r^t give r at every t.
    expect(decayRate([0.5, 0.25, 0.125, 0.0625])).toBeCloseTo(0.5, 14);
  });
});
