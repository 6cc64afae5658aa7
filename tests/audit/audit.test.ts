import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCounterexample, satisfies } from '../../src/audit/engine.js';
import { EQUATIONS, auditExitCode, runAudit } from '../../src/audit/index.js';
import type { Instance, Side, Statement } from '../../src/audit/types.js';
import { runCli } from '../helpers.js';

const expected = JSON.parse(readFileSync(new URL('../../fixtures/audit-expected.json', import.meta.url), 'utf8')) as {
  equations: Record<string, string>;
  conclusions: Record<string, string>;
};
const report = runAudit({ seed: 1 });
const result = (n: number) => {
  const found = report.equations.find((e) => e.number === n);
  if (found === undefined) throw new Error(`no equation ${n}`);
  return found;
};

describe('the audit of the written answer', () => {
  it('gives a verdict to every numbered equation (1)–(65), in order', () => {
    expect(report.equations.map((e) => e.number)).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
  });

  it('reaches the recorded verdicts (a regression check: the verdicts are computed, the fixture only compares)', () => {
    expect(Object.fromEntries(report.equations.map((e) => [String(e.number), e.verdict]))).toEqual(expected.equations);
    expect(Object.fromEntries(report.conclusions.map((c) => [c.question, c.verdict]))).toEqual(expected.conclusions);
  });

  it('reaches the same verdicts with another seed', () => {
    const other = runAudit({ seed: 7 });
    expect(other.equations.map((e) => e.verdict)).toEqual(report.equations.map((e) => e.verdict));
  });

  it('audits the prose conclusions of 1.3, 3.2, 3.3, 4.1 and 4.3', () => {
    expect(report.conclusions.map((c) => c.question)).toEqual(['1.3', '3.2', '3.3', '4.1', '4.3']);
  });

  it('gives a counterexample for every refuted or corrected equation and none for those that hold', () => {
    for (const e of report.equations) {
      if (e.verdict === 'refuted' || e.verdict === 'holds-as-corrected') expect(e.counterexample, `(${e.number})`).not.toBeNull();
      else expect(e.counterexample, `(${e.number})`).toBeNull();
      if (e.verdict === 'holds-as-corrected') expect(e.correction, `(${e.number})`).not.toBeNull();
    }
  });

  it('finds the smallest counterexample: (9) needs two units, (27) one step', () => {
    expect(result(9).counterexample?.size).toBe(2);
    expect(result(27).counterexample?.size).toBe(1);
  });

  it('exits 1 when it refutes something, as it does here', () => {
    expect(auditExitCode(report)).toBe(1);
    expect(auditExitCode({ ...report, equations: report.equations.filter((e) => e.verdict !== 'refuted') })).toBe(0);
  });
});

describe('the printed counterexamples, re-checked independently', () => {
  it('(27): momentum with ε ≠ 1 − α does not follow the unrolled form with (1 − α)', () => {
    const c = result(27).counterexample;
    const data = c?.data as { alpha: number; epsilon: number; v0: number[]; g: number[][] };
    const t = Number(c?.at?.replace('t=', ''));
    const momentum = data.v0.map((v0, j) => {
      let v = v0;
      for (let s = 0; s < t; s++) v = data.alpha * v + data.epsilon * (data.g[s]?.[j] ?? 0);
      return v;
    });
    const written = data.v0.map((v0, j) => {
      let sum = data.alpha ** t * v0;
      for (let i = 1; i <= t; i++) sum += data.alpha ** (t - i) * (1 - data.alpha) * (data.g[i - 1]?.[j] ?? 0);
      return sum;
    });
    expect(momentum).toEqual((c?.lhs as number[]).map((v) => expect.closeTo(v, 12)));
    expect(written).toEqual((c?.rhs as number[]).map((v) => expect.closeTo(v, 12)));
    expect(Math.max(...momentum.map((m, j) => Math.abs(m - (written[j] ?? 0))))).toBeGreaterThan(1e-3);
  });

  it('(9): the norm of a product of the printed factors is not the product of their norms', () => {
    const c = result(9).counterexample;
    const data = c?.data as { activation: string; W: number[][]; drive: number[][]; g0: number[] };
    expect(data.activation).toBe('tanh');
    // Two hidden units: norms by the closed form for 2×2 matrices, σ₁ = √((‖A‖_F² + √(‖A‖_F⁴ − 4 det²))/2).
    const norm2 = (A: number[][]) => {
      const [[a = 0, b = 0] = [], [c2 = 0, d = 0] = []] = A;
      const frobenius = a * a + b * b + c2 * c2 + d * d;
      const det = a * d - b * c2;
      return Math.sqrt((frobenius + Math.sqrt(frobenius * frobenius - 4 * det * det)) / 2);
    };
    const multiply = (A: number[][], B: number[][]) => A.map((row) => [0, 1].map((j) => row.reduce((s, x, k) => s + x * (B[k]?.[j] ?? 0), 0)));
    let g = data.g0;
    let product = [[1, 0], [0, 1]];
    let productOfNorms = 1;
    for (const d of data.drive) {
      const z = data.W.map((row, i) => row.reduce((s, w, k) => s + w * (g[k] ?? 0), 0) + (d[i] ?? 0));
      g = z.map(Math.tanh);
      const factor = data.W.map((row, i) => row.map((w) => (1 - Math.tanh(z[i] ?? 0) ** 2) * w));
      product = multiply(factor, product);
      productOfNorms *= norm2(factor);
    }
    expect(norm2(product)).toBeCloseTo(c?.lhs as number, 10);
    expect(productOfNorms).toBeCloseTo(c?.rhs as number, 10);
    expect(productOfNorms - norm2(product)).toBeGreaterThan(1e-3);
  });

  it('(54): read as written, (g/‖u‖)(I − uᵀu/‖u‖²) is the zero matrix while w’s Jacobian is not', () => {
    const c = result(54).counterexample;
    const { u, g } = c?.data as { u: number[]; g: number };
    const squared = u.reduce((s, x) => s + x * x, 0);
    const n = Math.sqrt(squared);
    // The Jacobian of w = g u/‖u‖ from its closed form (g/‖u‖)(I − uuᵀ/‖u‖²).
    const jacobian = u.map((ui, i) => u.map((uj, j) => (g / n) * ((i === j ? 1 : 0) - (ui * uj) / squared)));
    expect(c?.rhs).toEqual(u.map(() => u.map(() => 0)));
    expect(jacobian.flat()).toEqual((c?.lhs as number[][]).flat().map((v) => expect.closeTo(v, 6)));
    expect(Math.max(...jacobian.flat().map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('(40): on the printed whitened batch the per-feature σ is 1, so the left side is wᵀx + b, not (w/‖w‖)ᵀx + b', () => {
    const c = result(40).counterexample;
    const data = c?.data as { 'whitened batch X (rows)': number[][]; w: number[]; b: number };
    const X = data['whitened batch X (rows)'];
    for (let j = 0; j < data.w.length; j++) {
      const column = X.map((row) => row[j] ?? 0);
      const mean = column.reduce((s, v) => s + v, 0) / column.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length).toBeCloseTo(1, 12);
    }
    const norm = Math.hypot(...data.w);
    const left = X.map((x) => x.reduce((s, v, j) => s + (data.w[j] ?? 0) * v, data.b));
    const right = X.map((x) => x.reduce((s, v, j) => s + ((data.w[j] ?? 0) * v) / norm, data.b));
    expect(left).toEqual((c?.lhs as number[]).map((v) => expect.closeTo(v, 9)));
    expect(right).toEqual((c?.rhs as number[]).map((v) => expect.closeTo(v, 9)));
    expect(norm).not.toBeCloseTo(1, 3);
  });
});

/** The same statement with its right side moved just beyond the tolerance (down, for an inequality). */
function perturbed(statement: Statement): Statement {
  const tolerance = statement.tolerance ?? { rtol: 1e-9, atol: 1e-12 };
  const shift = (value: number, relation: Instance['relation']) => {
    const delta = Math.max(1e-3 * Math.abs(value), 10 * (tolerance.atol + tolerance.rtol * Math.abs(value)), relation === '=' ? 1e-3 : 0);
    return relation === '=' ? value + delta : value - delta;
  };
  const move = (side: Side, relation: Instance['relation']): Side => {
    if (typeof side === 'number') return shift(side, relation);
    const entries = side as readonly (number | readonly number[])[];
    if (entries.every((e): e is number => typeof e === 'number')) return entries.map((x) => shift(x, relation));
    return entries.map((row) => (typeof row === 'number' ? [shift(row, relation)] : row.map((x) => shift(x, relation))));
  };
  return {
    ...statement,
    instance(rng, size, k) {
      const produced = statement.instance(rng, size, k);
      const instances = Array.isArray(produced) ? produced : [produced as Instance];
      return instances.map((i) => ({ ...i, rhs: move(i.rhs, i.relation) }));
    },
  };
}

describe('every equation that holds has teeth', () => {
  const holding = EQUATIONS.filter((e) => e.check !== undefined && result(e.number).verdict === 'holds');
  it.each(holding.map((e) => [e.number, e] as const))('(%i) perturbed just beyond its tolerance is refuted', (_n, entry) => {
    const check = entry.check as Statement;
    expect(findCounterexample(perturbed(check), `teeth/${entry.number}`).counterexample).not.toBeNull();
  });

  it.each(EQUATIONS.filter((e) => e.correction !== undefined).map((e) => [e.number, e] as const))(
    '(%i) its correction perturbed is refuted too',
    (_n, entry) => {
      const check = entry.correction?.check as Statement;
      expect(findCounterexample(perturbed(check), `teeth/${entry.number}/corrected`).counterexample).not.toBeNull();
    },
  );
});

describe('the comparison of the two sides', () => {
  const instance = (lhs: Side, rhs: Side, relation: Instance['relation']): Instance => ({ data: {}, lhs, rhs, relation });

  it('never accepts NaN or Infinity', () => {
    expect(satisfies(instance(Number.NaN, Number.NaN, '=')).ok).toBe(false);
    expect(satisfies(instance(1, Number.POSITIVE_INFINITY, '≤')).ok).toBe(false);
    expect(satisfies(instance([1, Number.NaN], [1, 2], '=')).ok).toBe(false);
  });

  it('compares entrywise with a tolerance relative to the larger side, strictly for <', () => {
    expect(satisfies(instance([1, 2], [1, 2 + 1e-12], '=')).ok).toBe(true);
    expect(satisfies(instance([1, 2], [1, 2.001], '=')).ok).toBe(false);
    expect(satisfies(instance(1, 1, '<')).ok).toBe(false);
    expect(satisfies(instance(1, 1, '≤')).ok).toBe(true);
    expect(satisfies(instance([[1, 2]], [[1, 2, 3]], '=')).ok).toBe(false);
  });
});

describe('hwcheck audit on the command line', () => {
  it('prints every equation grouped by question, the conclusions and the counts, and exits 1', async () => {
    const run = await runCli(['audit']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Question 1.2');
    expect(run.stdout).toMatch(/\(27\) +refuted/);
    expect(run.stdout).toMatch(/\(54\) +holds as corrected/);
    expect(run.stdout).toMatch(/Conclusions\n {2}1\.3 +holds/);
    expect(run.stdout).toMatch(/65 equations: \d+ holds, 1 refuted, \d+ holds as corrected, \d+ not checkable · conclusions: /);
  });

  it('--equation shows one equation with its whole counterexample', async () => {
    const run = await runCli(['audit', '--equation', '27']);
    expect(run.stdout).toMatch(/^Equation \(27\) · question 2\.2/);
    expect(run.stdout).toContain('counterexample (T = 1, case 0, t=1):');
    expect(run.stdout).toContain('alpha = ');
    expect(run.stdout).toContain('left ≠ right');
  });

  it('--json has the documented shape', async () => {
    const json = JSON.parse((await runCli(['audit', '--json'])).stdout);
    expect(json.equations).toHaveLength(65);
    expect(json.equations[16]).toMatchObject({ number: 17, question: '2.1', verdict: 'holds', counterexample: null });
    expect(json.equations[26]).toMatchObject({ number: 27, verdict: 'refuted' });
    expect(json.equations[26].counterexample.data).toHaveProperty('epsilon');
    expect(json.conclusions[0]).toMatchObject({ question: '1.3', verdict: 'holds' });
    expect(json.summary).toMatchObject({ holds: expect.any(Number), refuted: 1 });
  });

  it('refuses an equation number that does not exist', async () => {
    const run = await runCli(['audit', '--equation', '66']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('hwcheck: invalid value "66" for --equation: expected an equation number from 1 to 65\n');
  });
});
