import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { ClaimDefinition } from '../../src/claims/subcommand.js';
import {
  DESCENT_STEP_LIMIT,
  NEWTON_ITERATION_LIMIT,
  type SmoothFamily,
  TAYLOR_DEFAULTS,
  TAYLOR_FORMULAS,
  type TaylorFormulas,
  type TaylorParams,
  decreaseClaim,
  newtonClaim,
  taylorStepClaim,
  taylorTest,
} from '../../src/claims/taylor.js';
import { toleranceFor } from '../../src/claims/tolerance.js';
import type { Figure } from '../../src/claims/types.js';
import { dot, matVec } from '../../src/num/linalg.js';
import { createRng } from '../../src/num/random.js';
import { symmetricWithSpectrum } from '../../src/num/taylor.js';
import type { SmoothFunction } from '../../src/num/smooth.js';
import { runClaim, runTrial, dumpTrial } from '../../src/run/runner.js';
import { newtonWrongSign } from '../../fixtures/broken-taylor.js';
import { quadraticForms, recordedNewtonFunction } from '../helpers.js';

/**
 * What claims 3.1–3.3 do with the models they draw, held to properties found by another route:
 * the Taylor test's search for a starting point, where claim 3.2 sweeps ε (the curvature scale
 * of the recorded g and H), how it treats a limit that is not a positive number, how tight its
 * allowances are, and how claim 3.3's Newton iteration and gradient descent stop.
 */

const params = (overrides: Partial<TaylorParams> = {}): TaylorParams => ({ ...TAYLOR_DEFAULTS, ...overrides });
const bind = (definition: ClaimDefinition<TaylorParams>, p: TaylorParams = params()) => bindClaim(definition, p, 'taylor');
const summary = (definition: ClaimDefinition<TaylorParams>, p: TaylorParams, trials: number) => runClaim(bind(definition, p), { seed: 1, trials });
const checkNamed = (result: ReturnType<typeof summary>, fragment: string) => result.checks.find((c) => c.name.includes(fragment));

interface Model {
  x0: number[];
  f0: number;
  g: number[];
  H: number[][];
}


/** The ε of a location "…, ε = 0.123 …". */
const epsilonAt = (at: string) => Number(/ε = ([-0-9.e+]+)/.exec(at)?.[1]);

/** The fixed sweep factors 10^{(k−8)/2}, k = 0…16. */
const FACTORS = Array.from({ length: 17 }, (_, k) => 10 ** ((k - 8) / 2));

const containsFactor = (ratios: readonly number[], factor: number) => ratios.some((r) => Math.abs(r - factor) <= 1e-9 * factor);

/* ───────────────────────── claim 3.1: the Taylor test ───────────────────────── */

/** A one-dimensional family of one function, with a rounding scale chosen by the test. */
function family(name: string, f: Omit<SmoothFunction, 'name' | 'dim' | 'parameters'>, onDraw: () => void = () => undefined): SmoothFamily {
  return {
    name,
    draw: () => {
      onDraw();
      return { name, dim: 1, parameters: () => ({}), ...f };
    },
  };
}

/** f(x) = x³/6 in one dimension: its Taylor polynomial of degree 3 is f itself. */
const cubic = (roundingScale: number) =>
  family('cubic', {
    value: (x) => (x[0] as number) ** 3 / 6,
    gradient: (x) => Float64Array.of((x[0] as number) ** 2 / 2),
    hessian: (x) => new Matrix([[x[0] as number]]),
    thirdDerivative: (_x, u) => (u[0] as number) ** 3,
    roundingScale: () => roundingScale,
    hessianLipschitz: () => 1,
  });

describe('claim 3.1: the Taylor test’s search for a starting point', () => {
  it('gives up on a linear function after exactly as many starting points as its message says', () => {
    let draws = 0;
    const linear = family(
      'linear',
      {
        value: (x) => 2 * (x[0] as number),
        gradient: () => Float64Array.of(2),
        hessian: () => new Matrix([[0]]),
        thirdDerivative: () => 0,
        roundingScale: (x) => Math.abs(2 * (x[0] as number)),
        hessianLipschitz: () => 0,
      },
      () => {
        draws++;
        // A search that never ends is a failure too, reported here rather than as a hang.
        if (draws > 1000) throw new Error('more than 1000 starting points drawn');
      },
    );
    let message = '';
    try {
      taylorTest(createRng('linear'), linear, 1, TAYLOR_FORMULAS);
    } catch (error) {
      message = (error as Error).message;
    }
    // No cubic term anywhere: every starting point is rejected, and the count is the one stated.
    const stated = Number(/in (\d+) starting points/.exec(message)?.[1]);
    expect(stated).toBeGreaterThan(1);
    expect(draws).toBe(stated);
  });

  it('fits a run of exactly three step sizes, the fewest the fit needs', () => {
    // A larger rounding scale stops the run earlier (the cubic term must stay 1000 times above
    // rounding); scanning it finds the run lengths 4, 3, 2, …, read off the samples taken
    // (the run plus the one sample that ended it; x³/6 equals its cubic polynomial, so no reset).
    const lengths = new Map<number, number>();
    for (let j = 0; j <= 80; j++) {
      const scale = 10 ** (j / 4);
      try {
        const test = taylorTest(createRng('cubic'), cubic(scale), 1, TAYLOR_FORMULAS);
        lengths.set(test.samples.length - 1, scale);
        if (test.samples.length - 1 === 3) {
          expect(test.fitted.map((p) => p.epsilon)).toEqual(test.samples.slice(0, 3).map((p) => p.epsilon));
          expect(Math.abs(test.order - 3)).toBeLessThan(1e-3);
        }
      } catch (error) {
        expect((error as Error).message).toMatch(/no three step sizes/);
      }
    }
    expect(lengths.has(4)).toBe(true);
    expect(lengths.has(3)).toBe(true);
    expect(lengths.has(2)).toBe(false);
  });
});

describe('claim 3.1: the fit’s ε range and the remainder plot', () => {
  it('reports the range smallest … largest, the plot’s band, three halvings apart', () => {
    const outcome = runTrial(bind(taylorStepClaim()), 1, 0);
    const plots = outcome.plots?.() ?? [];
    let ranges = 0;
    for (const name of ['log-sum-exp', 'softplus sum', 'Rosenbrock']) {
      const range = outcome.figures?.find((f) => f.key === `${name}.range`)?.value;
      const [smallest, largest] = String(range).split(' … ').map(Number) as [number, number];
      const band = plots.find((p) => p.key === `${name}.remainder`)?.band;
      expect(band, name).toBeDefined();
      // The three largest ε of the run: ε, ε/2, ε/4.
      expect(largest / smallest).toBeCloseTo(4, 2);
      expect(smallest / (band?.from as number)).toBeCloseTo(1, 2);
      expect(largest / (band?.to as number)).toBeCloseTo(1, 2);
      ranges++;
    }
    expect(ranges).toBe(3);
  });
});

describe('claim 3.1: the allowance of eq (35) scales with the size of the model’s terms', () => {
  /** eq (35) off by `share` times the identity tolerance of f̂'s terms |f₀| + εΣg_i² + ½ε²Σ|g_i H_ij g_j|. */
  const offBy = (share: number): TaylorFormulas => ({
    ...TAYLOR_FORMULAS,
    modelAfterStep(f0, g, H, epsilon) {
      let terms = 0;
      for (let i = 0; i < g.length; i++) {
        for (let j = 0; j < g.length; j++) terms += Math.abs((g[i] as number) * H.get(i, j) * (g[j] as number));
      }
      const size = Math.abs(f0) + epsilon * dot(g, g) + 0.5 * epsilon * epsilon * terms;
      const { rtol } = toleranceFor(params(), 'identity');
      return TAYLOR_FORMULAS.modelAfterStep(f0, g, H, epsilon) + share * rtol * size;
    },
  });

  it('passes an error of half the relative tolerance of that size, and fails one of three times it', () => {
    expect(checkNamed(summary(taylorStepClaim(offBy(0.5)), params(), 3), 'eq (35)')?.failed).toBe(0);
    expect(checkNamed(summary(taylorStepClaim(offBy(3)), params(), 3), 'eq (35)')?.failed).toBeGreaterThan(0);
  });
});

/* ───────────────────────── claim 3.2: the sweep ───────────────────────── */

const PREDICATE = 'exactly when the derived condition on ε holds';
const KEEPS_FALLING = 'f̂ keeps decreasing along −g';

describe('claim 3.2: where ε is swept, from the recorded g and H', () => {
  it('sweeps s·10^{k/2}, k = −8…8, with s = gᵀg/|gᵀHg|, or 1/max|H_ij| where gᵀHg is rounding noise', () => {
    let models = 0;
    let falling = 0;
    for (const trial of [0, 1]) {
      const record = dumpTrial(bind(decreaseClaim()), 1, trial);
      for (const [label, model] of Object.entries(record.inputs as unknown as Record<string, Model>)) {
        const { gg, gHg } = quadraticForms(model);
        const scale = label.includes('≈ 0') ? 1 / Math.max(...model.H.flat().map(Math.abs)) : gg / Math.abs(gHg);
        const at = (fragment: string) => record.checks.filter((c) => c.check.includes(fragment) && c.at.startsWith(`${label}, ε = `)).map((c) => epsilonAt(c.at) / scale);
        const swept = at(PREDICATE);
        for (const factor of FACTORS) expect(containsFactor(swept, factor), `${label}: ${factor}`).toBe(true);
        models++;
        // Without a minimiser along −g, f̂ is shown falling from each sweep point to the next.
        const grid = at(KEEPS_FALLING);
        if (grid.length > 0) {
          expect(grid).toHaveLength(16);
          for (const factor of FACTORS.slice(1)) expect(containsFactor(grid, factor), `${label}: ${factor}`).toBe(true);
          falling++;
        }
      }
    }
    expect(models).toBe(12);
    expect(falling).toBeGreaterThanOrEqual(6);
  });

  it('shows ε*, its golden-section estimate and the drop once per trial, for a model with gᵀHg > 0', () => {
    for (const trial of [0, 1, 2]) {
      const { figures } = dumpTrial(bind(decreaseClaim()), 1, trial);
      const best = figures.filter((f: Figure) => f.key.endsWith('.best'));
      expect(best).toHaveLength(1);
      expect(typeof best[0]?.value).toBe('number');
      expect(figures.filter((f: Figure) => f.key.endsWith('.golden'))).toHaveLength(1);
      expect(figures.filter((f: Figure) => f.key.endsWith('.offset'))).toHaveLength(1);
    }
  });
});

describe('claim 3.2 given a limit that is not a positive number', () => {
  const withLimit = (limit: number): TaylorFormulas => ({ ...TAYLOR_FORMULAS, decreaseLimit: () => limit });

  it.each([
    ['0', 0],
    ['−1', -1],
    ['+∞', Number.POSITIVE_INFINITY],
  ] as const)('a limit of %s adds no boundary points to the 17 of the sweep, and no δ', (_name, limit) => {
    const record = dumpTrial(bind(decreaseClaim(withLimit(limit))), 1, 0);
    const labels = Object.keys(record.inputs ?? {});
    expect(labels.length).toBe(6);
    for (const label of labels) {
      expect(record.checks.filter((c) => c.check.includes(PREDICATE) && c.at.startsWith(`${label}, `)), label).toHaveLength(17);
    }
    expect(record.figures.filter((f) => f.key.endsWith('.offset'))).toEqual([]);
  });

  it('a limit at ε* itself (gᵀg/gᵀHg) is wrong at ε = ε*, which the location names as ε/limit = 1', () => {
    const atBest: TaylorFormulas = { ...TAYLOR_FORMULAS, decreaseLimit: (g, H) => TAYLOR_FORMULAS.bestStep(g, H) };
    const record = dumpTrial(bind(decreaseClaim(atBest), params({ hessian: 'pd' })), 1, 0);
    const atLimit = record.checks.filter((c) => c.check.includes(PREDICATE) && c.at.endsWith('(ε/limit = 1)'));
    expect(atLimit).toHaveLength(1);
    // f̂ falls at ε* (by ½ε*gᵀg), but ε < limit is false there.
    expect(atLimit[0]?.passed).toBe(false);
    expect(atLimit[0]?.lhs).toBe(1);
    expect(atLimit[0]?.rhs).toBe(0);
  });
});

describe('claim 3.2: the allowance of dφ/dε = 0 at ε* scales with gᵀg', () => {
  /** ε* off by a relative `share` of the finite-difference tolerance: dφ/dε there is share·rtol·gᵀg. */
  const bestOffBy = (share: number): TaylorFormulas => ({
    ...TAYLOR_FORMULAS,
    bestStep: (g, H) => (dot(g, g) / dot(g, matVec(H, g))) * (1 + share * toleranceFor(params(), 'finiteDifference').rtol),
  });

  it('passes ε* off by half the tolerance and fails it off by four times', () => {
    const p = params({ hessian: 'pd' });
    expect(checkNamed(summary(decreaseClaim(bestOffBy(0.5)), p, 3), 'dφ/dε = 0')?.failed).toBe(0);
    expect(checkNamed(summary(decreaseClaim(bestOffBy(4)), p, 3), 'dφ/dε = 0')?.failed).toBeGreaterThan(0);
  });

  it('compares ε* with golden-section search to the same relative tolerance (plus the search’s resolution)', () => {
    const p = params({ hessian: 'pd' });
    expect(checkNamed(summary(decreaseClaim(bestOffBy(0.5)), p, 3), 'golden-section')?.failed).toBe(0);
    expect(checkNamed(summary(decreaseClaim(bestOffBy(4)), p, 3), 'golden-section')?.failed).toBeGreaterThan(0);
  });
});

/* ───────────────────────── claim 3.3 ───────────────────────── */

const newtonOf = (x0: number[], g: number[], H: number[][]) => {
  const step = solve(new Matrix(H), Matrix.columnVector(g)).to1DArray();
  return { xN: x0.map((x, i) => x - (step[i] as number)), stepNorm: Math.hypot(...step) };
};

describe('claim 3.3: allowances, perturbations and gradient descent, from the recorded models', () => {
  it('gives every check a finite allowance', () => {
    for (const trial of [0, 1]) {
      for (const definition of [taylorStepClaim(), decreaseClaim(), newtonClaim()]) {
        const { checks } = dumpTrial(bind(definition), 1, trial);
        for (const c of checks) expect(c.allowed, `${c.check} (${c.at})`).not.toBeNull();
      }
    }
  });

  it('perturbs x_N by 10⁻³…1 times max(1, ‖H⁻¹g‖)', () => {
    let models = 0;
    for (const trial of [0, 1]) {
      const record = dumpTrial(bind(newtonClaim()), 1, trial);
      for (const kind of ['pd', 'nd']) {
        const model = (record.inputs as unknown as Record<string, Model>)[kind] as Model;
        const radius = Math.max(1, newtonOf(model.x0, model.g, model.H).stepNorm);
        const norms = record.checks.filter((c) => c.check.includes('no perturbation') && c.at.startsWith(`${kind} H, `)).map((c) => Number(/‖p‖ = ([0-9.e+-]+)/.exec(c.at)?.[1]));
        expect(norms).toHaveLength(4);
        [1e-3, 1e-2, 1e-1, 1].forEach((t, i) => expect((norms[i] as number) / (t * radius)).toBeCloseTo(1, 9));
        if (radius > 1) models++;
      }
    }
    expect(models).toBeGreaterThan(0);
  });

  it('stops gradient descent within κ·ln(κ‖x₀ − x_N‖/10⁻¹⁴) steps of contraction 1 − 1/κ', () => {
    for (const trial of [0, 1, 2]) {
      const record = dumpTrial(bind(newtonClaim(), params({ hessian: 'pd' })), 1, trial);
      const model = (record.inputs as unknown as Record<string, Model>).pd as Model;
      const eigenvalues = new EigenvalueDecomposition(new Matrix(model.H)).realEigenvalues;
      const kappa = Math.max(...eigenvalues) / Math.min(...eigenvalues);
      const distance = newtonOf(model.x0, model.g, model.H).stepNorm;
      const steps = record.figures.find((f) => f.key === 'minimum.descentSteps')?.value as number;
      expect(steps).toBeGreaterThan(0);
      // The identity tolerance's 10⁻¹² of atol, a hundredth of it as the target, with room to spare.
      expect(steps).toBeLessThanOrEqual(10 * kappa * Math.log((kappa * Math.max(1, distance)) / 1e-14));
    }
  });

  it('stops gradient descent at its step limit when H is too ill-conditioned (κ = 10⁶) to reach the target, and says so', () => {
    const ill = (rng: ReturnType<typeof createRng>, _kind: string, n: number) => symmetricWithSpectrum(rng, Array.from({ length: n }, (_, i) => (i === 0 ? 1e-6 : 1))).H;
    const record = dumpTrial(bind(newtonClaim(TAYLOR_FORMULAS, ill), params({ dim: 4, hessian: 'pd' })), 1, 0);
    expect(record.figures.find((f) => f.key === 'minimum.descentSteps')?.value).toBe(DESCENT_STEP_LIMIT);
    expect(record.checks.filter((c) => c.check.includes('gradient descent')).map((c) => c.at)).toEqual([`pd H, ${DESCENT_STEP_LIMIT} steps`]);
  });

  it('shows the minimum’s figures once per trial, also when the only positive-definite H is a random one', () => {
    let shown = 0;
    for (const trial of [0, 1, 2, 3, 4, 5]) {
      const record = dumpTrial(bind(newtonClaim(), params({ hessian: 'random', dim: 1 })), 1, trial);
      const H = ((record.inputs as unknown as Record<string, Model>).random as Model).H;
      const minimum = record.figures.filter((f) => f.key.startsWith('minimum.'));
      if ((H[0] as number[])[0] as number > 0) {
        expect(minimum.map((f) => f.key)).toEqual(['minimum.gradient', 'minimum.descentSteps', 'minimum.descentDistance']);
        shown++;
      } else {
        expect(minimum).toEqual([]);
      }
    }
    expect(shown).toBeGreaterThan(0);
  });

  it('shows each figure once per trial, also when both pd H and the random H are positive definite', () => {
    let bothPositive = 0;
    for (const trial of [0, 1, 2, 3, 4, 5]) {
      const record = dumpTrial(bind(newtonClaim(), params({ dim: 1 })), 1, trial);
      const keys = record.figures.map((f) => f.key);
      expect(new Set(keys).size).toBe(keys.length);
      if ((((record.inputs as unknown as Record<string, Model>).random as Model).H[0] as number[])[0] as number > 0) bothPositive++;
    }
    expect(bothPositive).toBeGreaterThan(0);
  });
});

describe('claim 3.3: allowances around Newton’s point, against a point moved on purpose', () => {
  /** Newton's point moved by H⁻¹(c·e₁), so that ∇f̂ there is c·e₁ with c = share·rtol·(max|g| + max|λ|·max|H⁻¹g|). */
  const gradientOffBy = (share: number): TaylorFormulas => ({
    ...TAYLOR_FORMULAS,
    newtonPoint(x0, g, H) {
      const xN = TAYLOR_FORMULAS.newtonPoint(x0, g, H);
      const largest = Math.max(...new EigenvalueDecomposition(H).realEigenvalues.map(Math.abs));
      const size = Math.max(...Array.from(g, Math.abs)) + largest * Math.max(...Array.from(xN, (x, i) => Math.abs(x - (x0[i] as number))));
      const c = share * toleranceFor(params(), 'finiteDifference').rtol * size;
      const moved = solve(H, Matrix.columnVector(Array.from(xN, (_, i) => (i === 0 ? c : 0)))).to1DArray();
      return xN.map((x, i) => x + (moved[i] as number));
    },
  });

  it('∇f̂ = 0 at x_N allows the finite-difference tolerance of the gradient’s terms: half of it passes, four times fails', () => {
    const p = params({ hessian: 'pd' });
    expect(checkNamed(summary(newtonClaim(gradientOffBy(0.5)), p, 3), '∇f̂ = 0 there')?.failed).toBe(0);
    expect(checkNamed(summary(newtonClaim(gradientOffBy(4)), p, 3), '∇f̂ = 0 there')?.failed).toBeGreaterThan(0);
  });

  /** Newton's point moved along e₁ by share·rtol·max(1, max|x_N|). */
  const pointOffBy = (share: number): TaylorFormulas => ({
    ...TAYLOR_FORMULAS,
    newtonPoint(x0, g, H) {
      const xN = TAYLOR_FORMULAS.newtonPoint(x0, g, H);
      const c = share * toleranceFor(params(), 'identity').rtol * Math.max(1, ...Array.from(xN, Math.abs));
      return xN.map((x, i) => (i === 0 ? x + c : x));
    },
  });

  it('gradient descent’s limit is compared with x_N to the identity tolerance of max(1, |x_N|): half of it passes, four times fails', () => {
    const p = params({ hessian: 'pd' });
    // Five trials: among them an x_N with an entry above 2, where max(1, |x_N|) differs from 1 by more than the factor 2 of slack.
    expect(checkNamed(summary(newtonClaim(pointOffBy(0.5)), p, 5), 'gradient descent on f̂ converges')?.failed).toBe(0);
    expect(checkNamed(summary(newtonClaim(pointOffBy(4)), p, 5), 'gradient descent on f̂ converges')?.failed).toBeGreaterThan(0);
  });

  /** Every entry of Newton's point scaled by 1 + share·rtol: off by share·rtol·|x_i| entry by entry. */
  const relativelyOffBy = (share: number): TaylorFormulas => ({
    ...TAYLOR_FORMULAS,
    newtonPoint: (x0, g, H) => TAYLOR_FORMULAS.newtonPoint(x0, g, H).map((x) => x * (1 + share * toleranceFor(params(), 'identity').rtol)),
  });

  it('one step on a quadratic lands on x* to the identity tolerance entry by entry: half of it passes, four times fails', () => {
    const p = params({ hessian: 'pd' });
    expect(checkNamed(summary(newtonClaim(relativelyOffBy(0.5)), p, 3), 'lands on a quadratic')?.failed).toBe(0);
    expect(checkNamed(summary(newtonClaim(relativelyOffBy(4)), p, 3), 'lands on a quadratic')?.failed).toBeGreaterThan(0);
  });
});

describe('claim 3.3: Newton’s iteration on the convex test functions', () => {
  const errorsOf = (figures: readonly Figure[], name: string) => String(figures.find((f) => f.key === `${name}.errors`)?.value).split(', ').map(Number);

  it('names the number of steps taken in the location of “reaches its minimiser”', () => {
    const record = dumpTrial(bind(newtonClaim()), 1, 0);
    for (const name of ['softplus sum', 'log-sum-exp']) {
      const steps = errorsOf(record.figures, name).length - 1;
      const reached = record.checks.filter((c) => c.check.includes('reaches its minimiser') && c.at.startsWith(`${name}`));
      expect(reached.map((c) => c.at)).toEqual([`${name}, after ${steps} steps`]);
    }
  });

  it('stops a diverging iteration (x + H⁻¹∇f) at the first error above 10⁶ times the first', () => {
    const record = dumpTrial(bind(newtonClaim(newtonWrongSign)), 1, 0);
    for (const name of ['softplus sum', 'log-sum-exp']) {
      const errors = errorsOf(record.figures, name);
      const first = errors[0] as number;
      expect(errors.length, name).toBeLessThan(31);
      expect(errors[errors.length - 1] as number).toBeGreaterThan(1e6 * first);
      for (const e of errors.slice(0, -1)) expect(e).toBeLessThanOrEqual(1e6 * first);
      expect(record.checks.filter((c) => c.check.includes('e_{k+1}') && c.at.startsWith(`${name}, `))).toHaveLength(errors.length - 1);
    }
  });

  it('reports a largest bound factor L/(2λ_min) between L/(2(λ_min(∇²f(x*)) + L·e₀)) and L/(2μ)', () => {
    let cases = 0;
    for (const trial of [0, 1, 2, 3]) {
      const record = dumpTrial(bind(newtonClaim()), 1, trial);
      for (const name of ['softplus sum', 'log-sum-exp'] as const) {
        const { recorded, f } = recordedNewtonFunction(record, name);
        const L = f.hessianLipschitz() as number;
        const atMinimum = Math.min(...new EigenvalueDecomposition(f.hessian(Float64Array.from(recorded.xStar))).realEigenvalues);
        const bound = record.figures.find((fig) => fig.key === `${name}.bound`)?.value as number;
        const e0 = errorsOf(record.figures, name)[0] as number;
        // ∇²f ⪰ μI everywhere; near x* its smallest eigenvalue moves by at most L times the distance.
        expect(bound).toBeLessThanOrEqual((L / (2 * recorded.ridge)) * (1 + 1e-9));
        expect(bound).toBeGreaterThanOrEqual((L / (2 * (atMinimum + L * e0 * 1.05))) * (1 - 1e-9));
        cases++;
      }
    }
    expect(cases).toBe(8);
  });

  it('fails the quadratic bound where a Newton step lands 10⁻⁹ off its point, once the error is that small', () => {
    const offset = Float64Array.from({ length: 8 }, (_, i) => (i === 0 ? 1e-9 : 0));
    const off: TaylorFormulas = {
      ...TAYLOR_FORMULAS,
      newtonPoint: (x0, g, H) => TAYLOR_FORMULAS.newtonPoint(x0, g, H).map((x, i) => x + (offset[i] ?? 0)),
    };
    const bound = checkNamed(summary(newtonClaim(off), params(), 1), 'e_{k+1} ≤ L/(2λ_min)');
    expect(bound?.failed).toBeGreaterThan(0);
    // Never at the floor, never diverging: the iteration runs to its step limit.
    const record = dumpTrial(bind(newtonClaim(off)), 1, 0);
    for (const name of ['softplus sum', 'log-sum-exp']) {
      expect(errorsOf(record.figures, name)).toHaveLength(NEWTON_ITERATION_LIMIT + 1);
      expect(record.checks.filter((c) => c.check.includes('e_{k+1}') && c.at.startsWith(`${name}, `))).toHaveLength(NEWTON_ITERATION_LIMIT);
    }
  });
});
