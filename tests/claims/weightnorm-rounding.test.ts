import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { weightnormCommand } from '../../src/claims/weightnorm.js';
import { CENTRAL_DIFFERENCE_STEP, centralStep } from '../../src/num/diff.js';
import { type TrialDump, dumpTrial } from '../../src/run/runner.js';

/**
 * The rounding allowances of claims 4.1–4.3, recomputed from each trial's --dump record. With
 * `--rtol 0 --atol 0` a check's `allowed` is its rounding model alone, so each test below states
 * that model in its own terms (what is rounded, how often, at which sizes), evaluates it on the
 * recorded inputs, and compares it with the printed `allowed` to a relative 10⁻¹².
 */

const EPS = Number.EPSILON;
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, j) => s + x * (b[j] as number), 0);
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));
const maxOf = (values: number[]) => values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);

/** The --dump records of one claim's first trials, at the given options and with no tolerance but the models. */
function records(id: string, given: Record<string, string>, trials: number): TrialDump[] {
  const claim = weightnormCommand.prepare({ ...given, rtol: '0', atol: '0' }).claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no claim ${id}`);
  return Array.from({ length: trials }, (_, trial) => dumpTrial(claim, 1, trial));
}

function allowedOf(record: TrialDump, name: string, at = ''): number {
  const check = record.checks.find((c) => c.check.startsWith(name) && c.at.startsWith(at));
  if (check === undefined) throw new Error(`no check "${name}" at "${at}"`);
  return check.allowed as number;
}

const expectRelative = (actual: number, expected: number, label: string) => {
  expect(expected, label).toBeGreaterThan(0);
  expect(Math.abs(actual - expected) / expected, `${label}: ${actual} against ${expected}`).toBeLessThan(1e-12);
};

/** λ_max/λ_min of a batch's population covariance (1/N) Σ (x_i − x̄)(x_i − x̄)ᵀ, by ml-matrix's symmetric eigensolver. */
function conditionNumber(batch: number[][]): number {
  const X = new Matrix(batch);
  const centred = X.clone().subRowVector(X.mean('column'));
  const C = centred.transpose().mmul(centred).div(X.rows);
  const values = new EigenvalueDecomposition(C, { assumeSymmetric: true }).realEigenvalues;
  return Math.max(...values) / Math.min(...values);
}

/**
 * The whitening model: the eigendecomposition of the covariance C is backward stable (d·ε
 * relative to ‖C‖), which C^{−1/2} amplifies by κ(C), and the sums over N samples add N·ε;
 * a factor 8 covers the constants of both.
 */
const whiteningError = (N: number, d: number, kappa: number) => 8 * (d * kappa + N) * EPS;

/**
 * The model of claim 4.1's comparisons: a batch whose mean and covariance are exact up to a
 * statistics error e per entry, at covariance scale s, moves BN's mean and variance along w/‖w‖
 * by about d·s·e, which shifts and scales outputs of size Y by 2·d·s·e·(1 + Y); forming
 * z = wᵀx + b over d terms and normalising over N samples rounds by (N + d)·ε relative to
 * 1 + Y + |b|/‖w‖ (the bias, seen at the unit's scale), 8 times for the constants.
 */
const equivalenceSlack = (N: number, d: number, e: number, s: number, Y: number, bias: number, w: number[]) =>
  2 * d * s * e * (1 + Y) + 8 * (N + d) * EPS * (1 + Y + Math.abs(bias) / norm(w));

describe('claim 4.1’s rounding allowances, from the recorded batches', () => {
  it('the whitened batch: BN against the unit is allowed the statistics error of whitening (κ of the raw batch) plus forming wᵀx + b', () => {
    for (const given of [{}, { dim: '3', batch: '7' }] as Record<string, string>[]) {
      for (const record of records('4.1', given, 3)) {
        const { w, bias, rawBatch, whitenedBatch } = record.inputs as { w: number[]; bias: number; rawBatch: number[][]; whitenedBatch: number[][] };
        const N = whitenedBatch.length;
        const d = w.length;
        // Y: the largest unit (w/‖w‖)ᵀx_i over the whitened batch, whose covariance scale is 1.
        const Y = maxOf(whitenedBatch.map((x) => Math.abs(dot(w, x) / norm(w))));
        const expected = equivalenceSlack(N, d, whiteningError(N, d, conditionNumber(rawBatch)), 1, Y, bias, w);
        expectRelative(allowedOf(record, 'whitened batch: BN(wᵀx + b) = (w/‖w‖)ᵀx'), expected, `${JSON.stringify(given)}, trial ${record.trial}`);
      }
    }
  });

  it('the witness batch: its allowance is the same model at the scale of Σ’s largest eigenvalue, leaving a whitening error of a nearly white Gaussian batch', () => {
    // The witness is a whitened N(0, I) batch coloured by Σ: its statistics error is that of
    // whitening the Gaussian draw (not recorded), magnified by the covariance scale λ_max(Σ).
    // Solving the allowance for that draw's condition number κ must give what a Gaussian batch
    // of N = 400 samples in d = 2 has: between 1 and 2 (its eigenvalues are 1 ± about 0.1). A
    // wrong scale or size is amplified by N/d = 200 in κ, far outside that range.
    const N = 400;
    const d = 2;
    for (const record of records('4.1', { dim: String(d), batch: String(N) }, 4)) {
      const { w, bias, witness } = record.inputs as { w: number[]; bias: number; witness: { covariance: number[][]; batch: number[][] } };
      const scale = Math.max(...new EigenvalueDecomposition(new Matrix(witness.covariance), { assumeSymmetric: true }).realEigenvalues);
      const Y = maxOf(witness.batch.map((x) => Math.abs(dot(w, x) / norm(w))));
      const allowed = allowedOf(record, 'correlated, non-centred batch: RMS mismatch');
      // allowed = 2·d·λ·e·(1 + Y) + (the forming term, which does not depend on e).
      const e = (allowed - equivalenceSlack(N, d, 0, scale, Y, bias, w)) / (2 * d * scale * (1 + Y));
      const kappa = (e / (8 * EPS) - N) / d;
      expect(kappa, `trial ${record.trial}`).toBeGreaterThan(1 - 1e-9);
      expect(kappa, `trial ${record.trial}`).toBeLessThan(2);
    }
  });
});

describe('claim 4.2’s rounding allowance of the finite differences, from the recorded problem', () => {
  it('is 2·(N + d)·ε·max(1, |L| at every stencil point) divided by the smallest step, the step following the map’s bending length', () => {
    // Only an entry |u_j| > 1 gets a step above the relative step: some trials must have one, or
    // the smallest and the largest step would be the same.
    let unequalSteps = 0;
    for (const given of [{ dim: '2', batch: '12' }, { dim: '5', batch: '40', g: '-0.3' }] as Record<string, string>[]) {
      for (const record of records('4.2', { ...given, loss: 'squared' }, 4)) {
        type Recorded = { X: number[][]; targets: number[]; bias: number; u: number[]; g: number };
        const { X, targets, bias, u, g } = (record.inputs as Record<string, Recorded>).squared as Recorded;
        const N = X.length;
        const d = u.length;
        // L(v) = (1/2N) Σ (wᵀx_i + b − y_i)² at w = g·v/‖v‖.
        const loss = (v: number[]) => {
          const w = v.map((x) => (g * x) / norm(v));
          return X.reduce((s, x, i) => s + (dot(w, x) + bias - (targets[i] as number)) ** 2, 0) / (2 * N);
        };
        // u ↦ w bends over ‖u‖, and L over 1/(|g|·max‖x_i‖) in u’s units: the shorter length sets the step.
        const inputScale = maxOf(X.map(norm));
        const length = norm(u) / Math.max(1, Math.abs(g) * inputScale);
        const relativeStep = (CENTRAL_DIFFERENCE_STEP * length) / Math.max(1, maxOf(u.map(Math.abs)));
        const steps = u.map((x) => centralStep(x, relativeStep));
        // The loss at u ± h_j e_j, each a mean of N terms of d-term sums: rounding (N + d)·ε·|L|,
        // from each of the two evaluations, divided by the difference quotient's 2h.
        const values = u.flatMap((x, j) => [+1, -1].map((sign) => Math.abs(loss(u.map((y, k) => (k === j ? x + sign * (steps[j] as number) : y))))));
        const expected = (2 * (N + d) * EPS * Math.max(1, ...values)) / Math.min(...steps);
        expectRelative(allowedOf(record, '∇_u L: (g/‖u‖)·W*·∇_w L equals finite differences'), expected, `${JSON.stringify(given)}, trial ${record.trial}`);
        if (Math.max(...steps) > 1.1 * Math.min(...steps)) unequalSteps++;
      }
    }
    expect(unequalSteps).toBeGreaterThan(0);
  });
});

/** ∇_w L of the squared error (1/2N) Σ (wᵀx_i + b − y_i)² at w: (1/N) Σ (wᵀx_i + b − y_i) x_i. */
function squaredGradient(X: number[][], targets: number[], bias: number, w: number[]): number[] {
  const gradient = w.map(() => 0);
  X.forEach((x, i) => {
    const r = dot(w, x) + bias - (targets[i] as number);
    x.forEach((xj, j) => {
      gradient[j] = (gradient[j] as number) + (r * xj) / X.length;
    });
  });
  return gradient;
}

/**
 * The model of one norm update u′ = u − η∇_u L: W*∇_w L carries an error of d·ε·‖∇_w L‖ in
 * no particular direction, which u′ keeps through the cross term 2η·uᵀ(error), i.e. a change of
 * ‖u′‖ of η·d·ε·(|g|/‖u‖)·‖∇_w L‖ (4 times for the constants); the two norms are sums of d
 * squares and u′'s entries rounded differences, (d + 4)·ε times the larger norm.
 */
const crossTerm = (d: number, lr: number, g: number, normU: number, gradientW: number[]) => 4 * d * EPS * lr * (Math.abs(g) / normU) * norm(gradientW);

interface RunRecord {
  X: number[][];
  targets: number[];
  bias: number;
  g: number;
  lr: number;
  u0: number[];
  norms: number[];
  /** The equality case's batch before whitening. */
  rawBatch?: number[][];
}

/** One run of claim 4.3's record: a loss's or the equality case's. */
function runOf(record: TrialDump, name: string): RunRecord {
  const run = (record.inputs as unknown as Record<string, RunRecord>)[name];
  if (run === undefined) throw new Error(`no run "${name}" in the record`);
  return run;
}

describe('claim 4.3’s rounding allowances, from the recorded runs', () => {
  it('the first norm update of a training run: the cross term at u₀ plus (d + 4)·ε times the larger of ‖u₀‖ and ‖u₁‖', () => {
    for (const given of [{ dim: '3', batch: '10', lr: '2' }, { dim: '8', batch: '32', g: '-1.5' }] as Record<string, string>[]) {
      for (const record of records('4.3', { ...given, loss: 'squared', steps: '1' }, 3)) {
        const { X, targets, bias, g, lr, u0, norms } = runOf(record, 'squared');
        const d = u0.length;
        const [before, after] = norms as [number, number];
        // A real gradient step lengthens u: the larger norm is ‖u₁‖, visibly.
        expect(after / before).toBeGreaterThan(1 + 1e-6);
        const w0 = u0.map((x) => (g * x) / norm(u0));
        const expected = crossTerm(d, lr, g, before, squaredGradient(X, targets, bias, w0)) + (d + 4) * EPS * Math.max(before, after);
        const label = `${JSON.stringify(given)}, trial ${record.trial}`;
        expectRelative(allowedOf(record, '‖u′‖ = ‖u‖·√(1 + c²)', 'squared, step 0'), expected, label);
        expectRelative(allowedOf(record, '‖u‖ never decreases', 'squared, step 0'), expected, label);
      }
    }
  });

  it('the equality case: the drift over T steps adds the cross term and 4·ε·‖u_{t+1}‖ of every step', () => {
    // Here ∇_w L = Ĉw ∥ w, so ∇_u L vanishes up to rounding: u_t stays u₀ to a few ulps and
    // ‖∇_w L‖ is the same at every step to about 10⁻¹⁵ of itself.
    const T = 4;
    for (const given of [{ dim: '3', batch: '10', lr: '2' }, { dim: '6', batch: '20', g: '-3' }] as Record<string, string>[]) {
      for (const record of records('4.3', { ...given, loss: 'squared', steps: String(T) }, 3)) {
        const { X, targets, bias, g, lr, u0, norms } = runOf(record, 'equality case');
        const d = u0.length;
        const gradientW = squaredGradient(X, targets, bias, u0.map((x) => (g * x) / norm(u0)));
        let drift = 0;
        for (let t = 0; t < T; t++) {
          const [before, after] = [norms[t], norms[t + 1]] as [number, number];
          const cross = crossTerm(d, lr, g, before, gradientW);
          expectRelative(allowedOf(record, '‖u′‖ = ‖u‖·√(1 + c²)', `equality case, step ${t}`), cross + (d + 4) * EPS * Math.max(before, after), `step ${t}`);
          drift += cross + 4 * EPS * after;
        }
        expectRelative(allowedOf(record, 'equality case: ‖u_T‖ = ‖u_0‖'), drift, `${JSON.stringify(given)}, trial ${record.trial}`);
      }
    }
  });

  it('the equality case’s premises: d times the whitening error (κ of the raw batch) plus forming wᵀx + b − y, 4·(N + d)·ε·(1 + |b|/|g|)', () => {
    // Ĉ = I up to the whitening error per entry, so Ĉw leaves w’s direction by at most d times
    // it; the residual wᵀx + b − y (with |wᵀx| ≈ |g| and y = b) is rounded at the scale 1 + |b|/|g|.
    for (const given of [{ dim: '3', batch: '10' }, { dim: '6', batch: '50', g: '-0.5' }] as Record<string, string>[]) {
      for (const record of records('4.3', { ...given, loss: 'squared', steps: '1' }, 3)) {
        const { rawBatch, bias, g } = runOf(record, 'equality case');
        if (rawBatch === undefined) throw new Error('no raw batch in the equality case');
        const N = rawBatch.length;
        const d = rawBatch[0]?.length as number;
        const expected = d * whiteningError(N, d, conditionNumber(rawBatch)) + 4 * (N + d) * EPS * (1 + Math.abs(bias) / Math.abs(g));
        const label = `${JSON.stringify(given)}, trial ${record.trial}`;
        expectRelative(allowedOf(record, 'equality case: ∇_w L ∥ w'), expected, label);
        expectRelative(allowedOf(record, 'equality case: ∇_u L = 0'), expected, label);
      }
    }
  });
});
