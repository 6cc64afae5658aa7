import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import type { ClaimDefinition } from '../../src/claims/subcommand.js';
import {
  type SmoothFamily,
  TAYLOR_DEFAULTS,
  TAYLOR_FORMULAS,
  type TaylorFormulas,
  type TaylorParams,
  decreaseClaim,
  gradientDescent,
  newtonClaim,
  taylorTest,
} from '../../src/claims/taylor.js';
import { toleranceFor } from '../../src/claims/tolerance.js';
import type { Check } from '../../src/claims/types.js';
import { centralStep } from '../../src/num/diff.js';
import { type Rng, createRng } from '../../src/num/random.js';
import type { SmoothFunction } from '../../src/num/smooth.js';
import { type QuadraticModel, symmetricEigen } from '../../src/num/taylor.js';
import { dumpTrial } from '../../src/run/runner.js';
import { recordedNewtonFunction } from '../helpers.js';

/**
 * The rounding allowances of claims 3.1–3.3, each recomputed here from its own description:
 * what is rounded, over how many terms, at which sizes. Every model has the same shape,
 * 8·(m + 2)·u times the sum of the magnitudes of the terms involved, with m the length of the
 * longest sum and u = 2⁻⁵³ the unit roundoff.
 */

const U = 2 ** -53;
const rounding = (m: number, size: number) => 8 * (m + 2) * U * size;

const params = (overrides: Partial<TaylorParams> = {}): TaylorParams => ({ ...TAYLOR_DEFAULTS, ...overrides });
const bind = (definition: ClaimDefinition<TaylorParams>, p: TaylorParams = params()) => bindClaim(definition, p, 'taylor');

interface Model {
  x0: number[];
  f0: number;
  g: number[];
  H: number[][];
}

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
const maxAbs = (v: ArrayLike<number>) => Math.max(...Array.from(v, Math.abs));
const minus = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a, (x, i) => x - (b[i] as number));
const times = (H: number[][], v: ArrayLike<number>) => H.map((row) => row.reduce((s, h, j) => s + h * (v[j] as number), 0));

/** |f₀| + Σ|d_i g_i| + ½Σ|d_i H_ij d_j| with d = x − x₀: the terms of f̂(x) by its definition (31). */
function termsOf(model: Model, x: ArrayLike<number>): number {
  const d = minus(x, model.x0);
  let linear = 0;
  let curvature = 0;
  d.forEach((di, i) => {
    linear += Math.abs(di * (model.g[i] as number));
    d.forEach((dj, j) => {
      curvature += Math.abs(di * ((model.H[i] as number[])[j] as number) * dj);
    });
  });
  return Math.abs(model.f0) + linear + 0.5 * curvature;
}

const closeTo = (actual: number, expected: number, relative: number, what: string) => {
  expect(Math.abs(actual - expected), `${what}: ${actual} against ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected));
};

/* ───────────────────────── claim 3.1: the Taylor test ───────────────────────── */

/** f(x) = c·x³/6 in one dimension, with a rounding scale chosen by the test; `reported` is the third derivative it reports. */
function cubicFamily(c: number, roundingScale: number, reported = c): SmoothFamily {
  const f: SmoothFunction = {
    name: 'cubic',
    dim: 1,
    parameters: () => ({}),
    value: (x) => (c * (x[0] as number) ** 3) / 6,
    gradient: (x) => Float64Array.of((c * (x[0] as number) ** 2) / 2),
    hessian: (x) => new Matrix([[c * (x[0] as number)]]),
    thirdDerivative: (_x, u) => reported * (u[0] as number) ** 3,
    roundingScale: () => roundingScale,
    hessianLipschitz: () => Math.abs(c),
  };
  return { name: 'cubic', draw: () => f };
}

describe('claim 3.1: where the Taylor test stops, from the terms it rounds', () => {
  /**
   * Along x₁ = x₀ − εg the test compares f(x₁) with its cubic polynomial; the rounding it
   * allows is 8·(3n + 2)·u times the sum of the magnitudes of what it computes: f at x₁ and at
   * x₀ (their rounding scales), the terms εgᵀg, ½ε²|gᵀHg| and |ε³D³f[g,g,g]/6| of the
   * polynomial, and the rounding of x₁ itself, Σ|g_i x₁_i|. The run ends at the first ε whose
   * cubic term is below 1000 times that. With f = c·x³/6 every term is known in closed form,
   * so the rounding scale S of f can be set to put the cubic term at ε₃ = 2⁻³/|g| a relative
   * 2·10⁻¹² below or above the threshold: the run then stops at ε₃, or one halving later.
   */
  const c = 3;
  const k = 3;
  const delta = 2e-12;
  const seed = 'taylor border';

  const designed = (x0: number, side: -1 | 1) => {
    const g = (c * x0 * x0) / 2;
    const curvature = g * (c * x0) * g;
    const epsilon = 0.5 ** k / Math.abs(g);
    const x1 = x0 - epsilon * g;
    const cubic = Math.abs((epsilon ** 3 * c * g ** 3) / 6);
    const others = epsilon * g * g + 0.5 * epsilon * epsilon * Math.abs(curvature) + cubic + Math.abs(g * x1);
    // |cubic| = (1 + side·δ)·1000·8·(3·1 + 2)·u·(2S + others).
    const scale = cubic / ((1 + side * delta) * 1000 * rounding(3, 1));
    return { S: (scale - others) / 2, scale, others, gg: g * g, curvature };
  };

  it('stops at the first ε whose cubic term is below 1000 times its rounding, to a relative 2·10⁻¹²', () => {
    const x0 = taylorTest(createRng(seed), cubicFamily(c, 1), 1, TAYLOR_FORMULAS).x0[0] as number;
    const below = designed(x0, -1);
    // Every term weighs: each is far more than 10⁻¹² of the total, and gᵀg and |gᵀHg| are not 1.
    expect(below.S).toBeGreaterThan(0);
    expect(below.others / below.scale).toBeGreaterThan(1e-10);
    expect(Math.abs(Math.log(below.gg))).toBeGreaterThan(0.1);
    expect(Math.abs(Math.log(Math.abs(below.curvature)))).toBeGreaterThan(0.1);
    const stopped = taylorTest(createRng(seed), cubicFamily(c, below.S), 1, TAYLOR_FORMULAS);
    expect(stopped.x0[0]).toBe(x0);
    // The run ε₀, ε₁, ε₂ and the sample ε₃ that ended it.
    expect(stopped.samples).toHaveLength(k + 1);
    expect(stopped.fitted.map((p) => p.epsilon)).toEqual(stopped.samples.slice(0, 3).map((p) => p.epsilon));
    const above = designed(x0, 1);
    const continued = taylorTest(createRng(seed), cubicFamily(c, above.S), 1, TAYLOR_FORMULAS);
    expect(continued.x0[0]).toBe(x0);
    expect(continued.samples).toHaveLength(k + 2);
  });

  it('keeps a step size where f is off its cubic polynomial by exactly 1 % of the cubic term', () => {
    // f = 1.01·x³/6 reporting the third derivative of x³/6: f − T₃ = 0.01·(cubic term) at every ε,
    // the border the run accepts (up to rounding, which the allowance covers).
    const test = taylorTest(createRng('one percent'), cubicFamily(1.01, 1, 1), 1, TAYLOR_FORMULAS);
    expect(test.fitted.map((p) => p.epsilon)).toEqual(test.samples.slice(0, 3).map((p) => p.epsilon));
    expect(Math.abs(test.order - 3)).toBeLessThan(1e-3);
  });

  it('fits the three largest ε of the run and no others: a remainder lost in rounding among them stops the fit', () => {
    // A wrong eq (35) that includes the cubic term of x³/6 for the largest ε = 1/|g| only: the
    // remainder there is rounding, so the three largest ε do not all count, and the fit refuses
    // rather than moving on to smaller ε (where the formula's error is O(ε³) again).
    const exactAtTop: TaylorFormulas = {
      ...TAYLOR_FORMULAS,
      modelAfterStep(f0, g, H, epsilon) {
        const gi = g[0] as number;
        const closed = TAYLOR_FORMULAS.modelAfterStep(f0, g, H, epsilon);
        return epsilon * Math.abs(gi) > 0.75 ? closed - (epsilon * gi) ** 3 / 6 : closed;
      },
    };
    const right = taylorTest(createRng('top'), cubicFamily(1, 1), 1, TAYLOR_FORMULAS);
    // The run is longer than three, so smaller ε would have been there to fit.
    expect(right.samples.length).toBeGreaterThan(5);
    expect(() => taylorTest(createRng('top'), cubicFamily(1, 1), 1, exactAtTop)).toThrow(/only 2 of 3 step sizes/);
  });
});

/* ───────────────────────── claim 3.2 ───────────────────────── */

/** gᵀg, Hg, gᵀHg of a recorded model. */
const forms = (model: Model) => {
  const Hg = times(model.H, model.g);
  return { gg: model.g.reduce((s, x) => s + x * x, 0), Hg, gHg: model.g.reduce((s, x, i) => s + x * (Hg[i] as number), 0) };
};

describe('claim 3.2: the rounding of φ(ε) = f̂(x₀ − εg), from the recorded models', () => {
  /**
   * φ(ε) is f̂ at x₁ = x₀ − εg by its definition: its terms, plus the rounding of x₁ itself,
   * about u(‖x₀‖ + ε‖g‖) per entry, which moves f̂ by ‖∇f̂‖ ≤ ‖g‖ + ε‖Hg‖ times that:
   * r(ε) = 8(n + 2)u·[terms of f̂(x₁) + (‖x₀‖ + ε‖g‖)(‖g‖ + ε‖Hg‖)]. The boundary ε = 2gᵀg/gᵀHg
   * is swept at limit·(1 ± δ) with δ = 1000·r(limit)/(limit·gᵀg), where φ − f(x₀) = ±δ·limit·gᵀg.
   */
  it('sets the boundary offset δ to 1000 rounding errors of φ at the limit, relative to limit·gᵀg', () => {
    let compared = 0;
    for (const trial of [0, 1, 2, 3]) {
      const record = dumpTrial(bind(decreaseClaim()), 1, trial);
      const figure = record.figures.find((f) => f.key.endsWith('.offset'));
      const label = String(figure?.label).split(': ')[0] as string;
      const model = (record.inputs as unknown as Record<string, Model>)[label] as Model;
      const n = model.g.length;
      const { gg, Hg, gHg } = forms(model);
      const limit = (2 * gg) / gHg;
      const x1 = model.x0.map((x, i) => x - limit * (model.g[i] as number));
      const r = rounding(n, termsOf(model, x1) + (norm(model.x0) + limit * norm(model.g)) * (norm(model.g) + limit * norm(Hg)));
      const expected = (1000 * r) / (limit * gg);
      // Far below its cap of 10⁻², so the model itself is what is shown.
      expect(expected).toBeLessThan(1e-4);
      closeTo(figure?.value as number, expected, 1e-12, `${label}, trial ${trial}`);
      compared++;
    }
    expect(compared).toBe(4);
  });

  it('allows ε* no lower value than at any swept ε up to the bound tolerance of f̂’s terms there', () => {
    const { rtol, atol } = toleranceFor(params(), 'bound');
    const record = dumpTrial(bind(decreaseClaim()), 1, 0);
    let compared = 0;
    for (const [label, model] of Object.entries(record.inputs as unknown as Record<string, Model>)) {
      for (const c of record.checks.filter((x) => x.check.startsWith('f̂(x₀ − ε*g) − f̂(x₀ − εg) ≤ 0') && x.at.startsWith(`${label}, ε = `))) {
        const epsilon = Number(/ε = ([-0-9.e+]+)/.exec(c.at)?.[1]);
        const x1 = model.x0.map((x, i) => x - epsilon * (model.g[i] as number));
        // ε is read from the location's 12 digits, so the terms are known to about 10⁻¹¹.
        closeTo(c.allowed as number, atol + rtol * termsOf(model, x1), 1e-10, `${label}: ${c.at}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(19);
  });
});

describe('claim 3.2: whether gᵀHg is told apart from rounding does not depend on the length of g', () => {
  /**
   * gᵀHg is rounded with an error of a few u times its terms Σ|g_i (Hg)_i| (and max|H_ij|·gᵀg
   * bounds those): all of them scale like ‖g‖², as gᵀHg does, so the decision is the same for
   * g and for a tiny multiple of it. Trial 761047 at --dim 2 (found by a search of the draws)
   * builds its indefinite gradients from a coefficient of −6.5·10⁻⁷: g₊ + s·g₋ has length about
   * 10⁻⁶, and gᵀHg = ±½g₊ᵀHg₊ (θ = ½ and 2) is still 10¹⁰ times above its rounding.
   */
  it('sweeps a g of length 10⁻⁶ at s = gᵀg/|gᵀHg| and finds its ε*, as for any other g', () => {
    const record = dumpTrial(bind(decreaseClaim(), params({ dim: 2 })), 1, 761047);
    const inputs = record.inputs as unknown as Record<string, Model>;
    for (const label of ['indefinite H, gᵀHg > 0', 'indefinite H, gᵀHg < 0']) {
      const model = inputs[label] as Model;
      const { gg, gHg } = forms(model);
      expect(Math.sqrt(gg), label).toBeLessThan(1e-5);
      expect(Math.abs(gHg) / gg, label).toBeGreaterThan(0.1);
      const swept = record.checks.filter((c) => c.check.startsWith('f̂(x₀ − εg) < f(x₀) exactly when') && c.at.startsWith(`${label}, ε = `)).map((c) => Number(/ε = ([-0-9.e+]+)/.exec(c.at)?.[1]));
      const scale = gg / Math.abs(gHg);
      for (let k = -8; k <= 8; k++) {
        const epsilon = scale * 10 ** (k / 2);
        expect(swept.some((e) => Math.abs(e - epsilon) <= 1e-9 * epsilon), `${label}: s·10^${k / 2}`).toBe(true);
      }
    }
    expect(record.checks.filter((c) => c.check.includes('dφ/dε = 0') && c.at.startsWith('indefinite H, gᵀHg > 0'))).toHaveLength(1);
  });
});

/* ───────────────────────── claim 3.3 ───────────────────────── */

/** An Rng that keeps every normal it hands out, so a trial's unrecorded draws can be found again. */
function recordingRng(seed: string): { rng: Rng; normals: number[] } {
  const source = createRng(seed);
  const normals: number[] = [];
  const rng: Rng = {
    uniform: () => source.uniform(),
    between: (low, high) => source.between(low, high),
    integer: (count) => source.integer(count),
    gaussian: () => {
      const z = source.gaussian();
      normals.push(z);
      return z;
    },
  };
  return { rng, normals };
}

/**
 * One trial of claim 3.3 replayed draw by draw. Per kind of H it draws x₀, f₀ and g (recorded),
 * then the probe point of eq (36), then four perturbation directions (drawn for every H), then
 * x* and the start of the quadratic step: all standard normals, found in the log right after
 * the recorded x₀, f₀, g.
 */
function replayNewton(seed: string, p: TaylorParams) {
  const { rng, normals } = recordingRng(seed);
  const outcome = bind(newtonClaim(), p).trial(rng);
  const inputs = outcome.inputs?.() as unknown as Record<string, Model>;
  const same = (from: number, values: readonly number[]) => values.every((v, j) => normals[from + j] === v);
  const kinds = ['pd', 'indefinite', 'nd', 'random'].map((kind) => {
    const model = inputs[kind] as Model;
    const n = model.g.length;
    const at = normals.findIndex((_, i) => same(i, model.x0) && normals[i + n] === model.f0 && same(i + n + 1, model.g));
    expect(at, kind).toBeGreaterThanOrEqual(0);
    const checks = outcome.checks.filter((c) => c.at.startsWith(`${kind} H`));
    let next = at + 2 * n + 1;
    const take = () => {
      next += n;
      return normals.slice(next - n, next);
    };
    const probe = take();
    const directions = [take(), take(), take(), take()];
    const xStar = take();
    const start = take();
    return { kind, model, checks, probe, directions, xStar, start };
  });
  return kinds;
}

const quadratic = (model: Model): QuadraticModel => ({ x0: Float64Array.from(model.x0), f0: model.f0, g: Float64Array.from(model.g), H: new Matrix(model.H) });

const one = (checks: Check[], fragment: string): Check => {
  const found = checks.filter((c) => c.name.includes(fragment));
  expect(found, fragment).toHaveLength(1);
  return found[0] as Check;
};

describe('claim 3.3: allowances around Newton’s point, replayed from the trial’s draws', () => {
  /**
   * Central differences of the quadratic f̂ have no truncation error; what is left is the
   * rounding of f̂ at x ± h e_j, 8(n + 2)u·2·(terms of f̂(x)), divided by the smallest step
   * h_j = ∛ε_mach·max(1, |x_j|) taken. eq (36) at a random probe x allows the tolerance of
   * ∇f̂'s terms, max|g| + max|λ|·max|x − x₀|, plus that. At x_N the solve's own error
   * κ·8(n + 2)u·max|x_N − x₀| moves ∇f̂ by max|λ| times it. Perturbing x_N by p changes f̂ within
   * the tolerance of the terms of f̂(x_N + p) plus max|λ|·(solve error)·‖p‖. One Newton step on a
   * quadratic lands within κ·8(n + 2)u·(max|start| + max|x*|) of x*. Gradient descent's limit is
   * compared with x_N to the identity tolerance plus the bound it reached plus √n·(solve error).
   */
  const verify = (p: TaylorParams) => {
    const fd = toleranceFor(p, 'finiteDifference');
    const identity = toleranceFor(p, 'identity');
    const bound = toleranceFor(p, 'bound');
    let descents = 0;
    let perturbed = 0;
    for (const seed of ['newton replay 1', 'newton replay 2']) {
      for (const { kind, model, checks, probe, directions, xStar, start } of replayNewton(seed, p)) {
        const n = model.g.length;
        const magnitudes = new EigenvalueDecomposition(new Matrix(model.H)).realEigenvalues.map(Math.abs);
        const largest = Math.max(...magnitudes);
        const condition = largest / Math.min(...magnitudes);
        const finiteDifferenceRounding = (x: readonly number[]) => rounding(n, 2 * termsOf(model, x)) / Math.min(...x.map((xi) => centralStep(xi)));

        const probeSize = maxAbs(model.g) + largest * maxAbs(minus(probe, model.x0));
        closeTo(one(checks, 'eq (36)').allowed, fd.atol + fd.rtol * probeSize + finiteDifferenceRounding(probe), 1e-12, `${kind}: eq (36)`);

        const xN = Array.from(TAYLOR_FORMULAS.newtonPoint(Float64Array.from(model.x0), Float64Array.from(model.g), new Matrix(model.H)));
        const d = minus(xN, model.x0);
        const solveError = rounding(n, condition * maxAbs(d));
        const newtonSize = maxAbs(model.g) + largest * maxAbs(d);
        closeTo(one(checks, '∇f̂ = 0 there').allowed, fd.atol + fd.rtol * newtonSize + finiteDifferenceRounding(xN) + largest * solveError, 1e-12, `${kind}: ∇f̂(x_N)`);

        // Drawn for every H; only a definite one is perturbed (a saddle is shown by its eigenvectors).
        const perturbations = checks.filter((c) => c.name.includes('no perturbation'));
        expect([0, 4]).toContain(perturbations.length);
        const radius = Math.max(1, norm(d));
        [1e-3, 1e-2, 1e-1, 1].slice(0, perturbations.length).forEach((t, j) => {
          const v = directions[j] as number[];
          const pj = v.map((vi) => t * radius * (vi / norm(v)));
          const moved = xN.map((x, i) => x + (pj[i] as number));
          closeTo((perturbations[j] as Check).allowed, bound.atol + bound.rtol * termsOf(model, moved) + largest * solveError * norm(pj), 1e-12, `${kind}: perturbation ${t}`);
          perturbed++;
        });

        const landing = one(checks, 'lands on a quadratic');
        const entry = Number(/entry (\d+)/.exec(landing.at)?.[1]);
        expect(landing.rhs).toBe(xStar[entry]);
        const reach = rounding(n, condition * (maxAbs(start) + maxAbs(xStar)));
        closeTo(landing.allowed, identity.atol + identity.rtol * Math.abs(xStar[entry] as number) + reach, 1e-12, `${kind}: one step`);

        const descent = checks.filter((c) => c.name.includes('gradient descent on f̂ converges'));
        if (descent.length > 0) {
          const values = symmetricEigen(new Matrix(model.H)).values;
          const tolerance = identity.atol + identity.rtol * Math.max(1, maxAbs(xN));
          const run = gradientDescent(quadratic(model), values[0] as number, values[n - 1] as number, 0.01 * tolerance);
          expect((descent[0] as Check).at).toBe(`${kind} H, ${run.steps} steps`);
          closeTo((descent[0] as Check).allowed, tolerance + run.distanceBound + Math.sqrt(n) * solveError, 1e-12, `${kind}: gradient descent`);
          descents++;
        }
      }
    }
    expect(descents).toBeGreaterThanOrEqual(2);
    // pd and nd H in both trials at least.
    expect(perturbed).toBeGreaterThanOrEqual(16);
  };

  it('at the default tolerances', () => verify(params()));
  it('with --rtol 0 --atol 0, the rounding models alone', () => verify(params({ rtol: 0, atol: 0 })));
});

describe('claim 3.3: the a-posteriori bound of gradient descent on a hand-built quadratic', () => {
  it('is (‖∇f̂(x)‖ + 8(n + 2)u·(‖g‖ + λ_max‖x − x₀‖))/λ_min at the point it stops', () => {
    // f̂(x) = g·x + ½xᵀdiag(1, 4)x with g = (1, 2): its minimiser is (−1, −½). ∇f̂ = g + H(x − x₀)
    // is evaluated with a rounding of 8(n + 2)u times its terms, ‖g‖ + λ_max‖x − x₀‖.
    const model: QuadraticModel = { x0: Float64Array.of(0, 0), f0: 0, g: Float64Array.of(1, 2), H: new Matrix([[1, 0], [0, 4]]) };
    for (const target of [1e-3, 0]) {
      const run = gradientDescent(model, 1, 4, target);
      const x = Array.from(run.x);
      const residual = [1 + (x[0] as number), 2 + 4 * (x[1] as number)];
      const expected = (norm(residual) + rounding(2, Math.sqrt(5) + 4 * norm(x))) / 1;
      closeTo(run.distanceBound, expected, 1e-12, `target ${target}`);
      expect(norm(minus(x, [-1, -0.5]))).toBeLessThanOrEqual(run.distanceBound);
    }
  });
});

describe('claim 3.3: the rounding floor of Newton’s iteration, from the recorded convex functions', () => {
  /**
   * At x* the gradient's terms have size ‖t‖ + λ_max‖x*‖ (the tilt and the Hessian's share),
   * rounded over the m rows of the affine map plus the n entries: 8(m + n + 2)u times that,
   * divided by λ_min, is where the minimiser of the rounded f can sit; a solve adds
   * 8(n + 2)u·κ(1 + ‖x*‖). Both use the Hessian at x*, with 1 + ‖x*‖ in place of ‖x*‖.
   */
  it('allows the final error exactly that floor', () => {
    let cases = 0;
    for (const trial of [0, 1]) {
      const record = dumpTrial(bind(newtonClaim()), 1, trial);
      for (const name of ['softplus sum', 'log-sum-exp'] as const) {
        const { recorded, f } = recordedNewtonFunction(record, name);
        const eigenvalues = new EigenvalueDecomposition(f.hessian(Float64Array.from(recorded.xStar))).realEigenvalues;
        const lowest = Math.min(...eigenvalues);
        const highest = Math.max(...eigenvalues);
        const n = recorded.xStar.length;
        const m = recorded.A.length;
        const xSize = 1 + norm(recorded.xStar);
        const floor = rounding(m + n, norm(recorded.tilt) + highest * xSize) / lowest + rounding(n, (highest / lowest) * xSize);
        const reached = record.checks.filter((c) => c.check.includes('reaches its minimiser') && c.at.startsWith(`${name}, `));
        expect(reached).toHaveLength(1);
        closeTo(reached[0]?.allowed as number, floor, 1e-10, `${name}, trial ${trial}`);
        cases++;
      }
    }
    expect(cases).toBe(4);
  });
});
