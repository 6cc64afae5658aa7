import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import type { Figure } from '../../src/claims/types.js';
import { type TrialDump, dumpTrial } from '../../src/run/runner.js';
import { quadraticForms } from '../helpers.js';

/**
 * Claim 3.2's figures report, per recorded model, gᵀHg, the decrease interval's end 2gᵀg/gᵀHg,
 * the best step gᵀg/gᵀHg and the model's drop there. Each is recomputed here from the model the
 * trial recorded (--dump): g and H alone give all four in closed form. The checks' locations
 * spell the boundary steps as ε/limit = 1 ∓ δ, δ being too small for the 12 digits of ε.
 */
interface Model {
  g: number[];
  H: number[][];
}


const relativelyClose = (actual: unknown, expected: number, digits: number) => {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(10 ** -digits * Math.abs(expected));
};

describe('claim 3.2: figures and locations against the recorded models', () => {
  let records: TrialDump[] = [];
  beforeEach(() => {
    const claim = findCommand('taylor')?.prepare({}).claims.find((c) => c.id === '3.2');
    if (claim === undefined) throw new Error('no claim 3.2');
    records = [0, 1, 2].map((trial) => dumpTrial(claim, 1, trial));
  });

  /** The figures of one model, keyed by what follows "<model>: " in their labels. */
  const figuresOf = (figures: readonly Figure[], model: string) =>
    new Map(figures.filter((f) => f.label.startsWith(`${model}: `)).map((f) => [f.label.slice(model.length + 2).split(' = ')[0] as string, f.value]));

  it('gᵀHg, the interval’s end, ε* and the drop at ε* equal their closed forms from g and H', () => {
    let positive = 0;
    let flat = 0;
    let shownBest = 0;
    for (const record of records) {
      for (const [model, inputs] of Object.entries(record.inputs as unknown as Record<string, Model>)) {
        const { gg, gHg } = quadraticForms(inputs);
        const figures = figuresOf(record.figures, model);
        // The random Hessian is checked but not reported: its figures would say nothing new.
        if (model.startsWith('random')) {
          expect(figures.size).toBe(0);
          continue;
        }
        relativelyClose(figures.get('gᵀHg'), gHg, 9);
        const interval = [...figures.entries()].find(([label]) => label.startsWith('decrease interval'));
        expect(interval, model).toBeDefined();
        // The claim decides the sign of gᵀHg itself (≈ 0 may come out either way in rounding).
        if (typeof interval?.[1] === 'number') {
          expect(gHg, model).toBeGreaterThan(0);
          positive++;
          relativelyClose(interval?.[1], (2 * gg) / gHg, 9);
          // ε*, its golden-section estimate and the drop are shown for the first such model of a trial.
          if (figures.has('ε*')) {
            shownBest++;
            relativelyClose(figures.get('ε*'), gg / gHg, 9);
            relativelyClose(figures.get('ε* by golden-section search on f̂'), gg / gHg, 4);
            relativelyClose(figures.get('f̂(x₀ − ε*g) − f(x₀)'), -(gg * gg) / (2 * gHg), 9);
          }
        } else {
          flat++;
          expect(interval?.[1], model).toBe('every ε > 0 (gᵀHg ≤ 0)');
          expect(gHg, model).toBeLessThanOrEqual(1e-9 * gg);
        }
      }
    }
    expect(positive).toBeGreaterThan(records.length);
    expect(flat).toBeGreaterThan(0);
    expect(shownBest).toBe(records.length);
  });

  it('sweeps the interval’s end at limit·(1 ∓ δ), δ ≤ 1 %, and says so in the locations with δ to three digits', () => {
    let swept = 0;
    let boundaries = 0;
    for (const record of records) {
      const offsets = record.figures.filter((f) => f.key.endsWith('offset'));
      expect(offsets.length).toBeGreaterThan(0);
      for (const offset of offsets) {
        const model = offset.label.split(': ')[0] as string;
        const delta = offset.value as number;
        expect(delta).toBeGreaterThan(0);
        expect(delta).toBeLessThanOrEqual(1e-2);
        const text = delta < 1e-6 ? delta.toExponential(2) : null;
        const locations = record.checks.filter((c) => c.at.startsWith(`${model}, ε = `)).map((c) => c.at);
        if (text !== null) {
          // Below the limit is 1 − δ, above it 1 + δ (ε itself, to 12 digits, may not show the difference).
          const limit = record.figures.find((f) => f.label.startsWith(`${model}: decrease interval`))?.value as number;
          const stepOf = (at: string | undefined) => Number(/ε = ([0-9.e+-]+) /.exec(at ?? '')?.[1]);
          const below = locations.find((at) => at.endsWith(`(ε/limit = 1 − ${text})`));
          const above = locations.find((at) => at.endsWith(`(ε/limit = 1 + ${text})`));
          expect(stepOf(below), model).toBeCloseTo(limit * (1 - delta), 9);
          expect(stepOf(above), model).toBeCloseTo(limit * (1 + delta), 9);
          expect(stepOf(below)).toBeLessThanOrEqual(limit);
          expect(stepOf(above)).toBeGreaterThanOrEqual(limit);
          boundaries++;
        }
        // Every swept ε is named with its ratio to the limit, and that ratio is right.
        const { gg, gHg } = quadraticForms((record.inputs as unknown as Record<string, Model>)[model] as Model);
        for (const at of locations) {
          const match = /ε = ([0-9.e+-]+) \(ε\/limit = ([0-9.e+-]+)\)$/.exec(at);
          if (match === null) continue;
          relativelyClose(Number(match[2]), Number(match[1]) / ((2 * gg) / gHg), 9);
          swept++;
        }
      }
    }
    expect(swept).toBeGreaterThan(20);
    expect(boundaries).toBeGreaterThan(0);
  });
});

describe('claim 3.3: figures that summarise Newton’s iteration, the minimum and the saddle', () => {
  const numbers = (text: unknown) => String(text).replace(/[()]/g, '').split(', ').map(Number);

  it.each([1, 2, 3])('trial %i: errors fall quadratically to rounding and stay, within the reported bound factor', (trial) => {
    const claim = findCommand('taylor')?.prepare({}).claims.find((c) => c.id === '3.3');
    if (claim === undefined) throw new Error('no claim 3.3');
    const { figures } = dumpTrial(claim, 1, trial);
    const value = (key: string) => figures.find((f) => f.key === key)?.value;
    for (const name of ['softplus sum', 'log-sum-exp']) {
      const errors = numbers(value(`${name}.errors`));
      const ratios = numbers(value(`${name}.ratios`));
      const bound = value(`${name}.bound`) as number;
      expect(errors.length).toBeGreaterThanOrEqual(3);
      // From e₀ with (L/2μ)e₀ ≤ 0.9 the error squares each step: the floor (~1e−15) within about 7 steps,
      // then one step more to show it stays (the limit of 30 steps is only a guard).
      expect(errors.length).toBeLessThanOrEqual(12);
      // The last two errors are at rounding level: the iteration reached x* and stayed.
      for (const e of errors.slice(-2)) expect(e).toBeLessThan(1e-12);
      expect(errors[0] as number).toBeGreaterThan(1e-6);
      // A ratio e_{k+1}/e_k² for each step that left the rounding floor behind, from the leading errors (two digits shown).
      expect(ratios.length).toBeGreaterThan(0);
      expect(ratios.length).toBeLessThan(errors.length);
      ratios.forEach((r, k) => {
        // Two digits per error shown: up to ±5 % each, about ±16 % on e_{k+1}/e_k².
        expect(r / ((errors[k + 1] as number) / (errors[k] as number) ** 2)).toBeGreaterThan(0.8);
        expect(r / ((errors[k + 1] as number) / (errors[k] as number) ** 2)).toBeLessThan(1.2);
        expect(r).toBeLessThanOrEqual(bound);
      });
    }
    // The minimum (H ≻ 0): a zero gradient and gradient descent landing on it; one step solves a quadratic.
    expect(value('minimum.gradient') as number).toBeLessThan(1e-8);
    expect(value('minimum.descentDistance') as number).toBeLessThan(1e-8);
    expect(value('minimum.descentSteps') as number).toBeGreaterThan(0);
    expect(value('quadratic.error') as number).toBeLessThan(1e-12);
    // The saddle: a unit direction of negative curvature, along which f̂ drops by ½r²·vᵀHv from x_N.
    const direction = numbers(value('saddle.direction'));
    expect(Math.hypot(...direction)).toBeCloseTo(1, 2);
    const curvature = value('saddle.curvature') as number;
    expect(curvature).toBeLessThan(0);
    const dropLabel = figures.find((f) => f.key === 'saddle.drop')?.label ?? '';
    const r = Number(/x_N \+ ([0-9.]+)v/.exec(dropLabel)?.[1]);
    expect(r).toBeGreaterThan(0);
    expect((value('saddle.drop') as number) / (0.5 * r * r * curvature)).toBeCloseTo(1, 2);
    expect(value('random.condition') as number).toBeGreaterThan(1);
  });
});

describe('the smooth test functions of claims 3.1 and 3.3, from their records', () => {
  it('affine maps with entries of s.d. 1/√n, c in [½, 3/2] and a ridge in [0.3, 1]', () => {
    const claims = findCommand('taylor')?.prepare({}).claims ?? [];
    let maps = 0;
    for (const id of ['3.1', '3.3']) {
      const claim = claims.find((c) => c.id === id);
      if (claim === undefined) throw new Error(`no claim ${id}`);
      for (const trial of [0, 1]) {
        const inputs = dumpTrial(claim, 1, trial).inputs as unknown as Record<string, { A?: number[][]; c?: number[]; ridge?: number }>;
        for (const [name, f] of Object.entries(inputs)) {
          if (f.A === undefined) continue;
          maps++;
          const entries = f.A.flat();
          const n = (f.A[0] as number[]).length;
          const sd = Math.sqrt(entries.reduce((s, x) => s + x * x, 0) / entries.length);
          // 144 entries: the sample s.d. is within ±25 % of 1/√n with overwhelming probability.
          expect(sd * Math.sqrt(n), name).toBeGreaterThan(0.75);
          expect(sd * Math.sqrt(n), name).toBeLessThan(1.25);
          for (const c of f.c ?? []) {
            expect(c).toBeGreaterThanOrEqual(0.5);
            expect(c).toBeLessThanOrEqual(1.5);
          }
          if (f.ridge !== undefined) {
            expect(f.ridge).toBeGreaterThanOrEqual(0.3);
            expect(f.ridge).toBeLessThanOrEqual(1);
          }
        }
      }
    }
    expect(maps).toBe(8);
  });
});
