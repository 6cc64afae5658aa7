import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import { spectralNorm, vectorNorm } from '../../src/num/linalg.js';
import { type TrialDump, dumpTrial } from '../../src/run/runner.js';

/**
 * `--trial k --dump file` records each trial's inputs so that a failure can be studied away from
 * the tool. These tests read the record of every claim back: it must be complete (no empty or
 * undefined part, every number finite, unchanged by a JSON round trip) and, where an input has a
 * property the claim relies on, the recorded matrix must have it — recomputed here from the
 * record alone.
 */
function dumps(command: string, options: Record<string, string> = {}): TrialDump[] {
  const found = findCommand(command);
  if (found === undefined) throw new Error(`no command ${command}`);
  return found.prepare(options).claims.map((claim) => dumpTrial(claim, 1, 0));
}

/** The places in a record that hold nothing: empty objects or arrays, undefined, non-finite numbers. */
function holes(value: unknown, path = '$'): string[] {
  if (value === undefined) return [`${path}: undefined`];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (Array.isArray(value)) return value.length === 0 ? [`${path}: []`] : value.flatMap((v, i) => holes(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [`${path}: {}`] : entries.flatMap(([k, v]) => holes(v, `${path}.${k}`));
  }
  return [];
}

type Rows = number[][];
const asRecord = (x: unknown) => x as Record<string, unknown>;

describe.each(['rnn-equiv', 'vanish', 'momentum', 'taylor', 'weightnorm'])('the --dump record of %s', (command) => {
  let records: TrialDump[] = [];
  beforeEach(() => {
    records = dumps(command);
  });

  it('records inputs for every claim, with no empty, undefined or non-finite part, unchanged through JSON', () => {
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record.inputs, record.claim).not.toBeNull();
      // `gamma: null` stands for "each activation's own": the one null a record may hold.
      expect(holes(record.inputs), record.claim).toEqual([]);
      expect(JSON.parse(JSON.stringify(record.inputs))).toEqual(record.inputs);
    }
  });
});

describe('recorded inputs have the properties their claims rely on', () => {
  it('claim 1.2: every recorded W has ‖W‖ = δ/γ (γ = 1 for tanh)', () => {
    for (const method of ['full', 'matrix-free']) {
      const record = dumps('vanish', { method }).find((r) => r.claim === '1.2');
      const inputs = asRecord(record?.inputs);
      expect(inputs.delta).toBe(0.9);
      const cases = Object.entries(asRecord(inputs.cases));
      expect(cases.map(([label]) => label)).toEqual(['tanh, random W on the boundary', 'tanh, non-normal W on the boundary', 'tanh, tight case', 'tanh, near-tight case']);
      for (const [label, c] of cases) expect(spectralNorm(new Matrix(asRecord(c).W as Rows)), `${method}: ${label}`).toBeCloseTo(0.9, 10);
    }
  });

  it('claim 1.3: ‖W‖ = 1/γ for the bounded cases, W^n = 0 for the nilpotent witness, the recorded factor for the exploding one', () => {
    for (const method of ['full', 'matrix-free']) {
      const record = dumps('vanish', { method }).find((r) => r.claim === '1.3');
      const cases = asRecord(asRecord(record?.inputs).cases);
      const W = (label: string) => new Matrix(asRecord(cases[`tanh, ${label}`]).W as Rows);
      expect(spectralNorm(W('random W with ‖W‖ = 1/γ'))).toBeCloseTo(1, 10);
      expect(spectralNorm(W('tight case ‖W‖ = 1/γ'))).toBeCloseTo(1, 10);
      const factor = record?.figures.find((f) => f.key === 'explodingFactor')?.value as number;
      expect(factor).toBeGreaterThan(1);
      expect(spectralNorm(W('exploding witness'))).toBeCloseTo(factor, 10);
      const nilpotent = W('nilpotent witness');
      expect(spectralNorm(nilpotent)).toBeCloseTo(3, 10);
      let power = Matrix.eye(nilpotent.rows);
      for (let k = 0; k < nilpotent.rows; k++) power = power.mmul(nilpotent);
      expect(power.to1DArray().every((x) => x === 0)).toBe(true);
      expect(spectralNorm(W('saturated witness'))).toBeCloseTo(3, 10);
    }
  });

  it('claim 1.3 with sigmoid (γ = ¼): ‖W‖ = 1/γ = 4 for the bounded cases and 3/γ = 12 for the nilpotent and saturated witnesses', () => {
    for (const method of ['full', 'matrix-free']) {
      const record = dumps('vanish', { method, activation: 'sigmoid' }).find((r) => r.claim === '1.3');
      const cases = asRecord(asRecord(record?.inputs).cases);
      const norm = (label: string) => spectralNorm(new Matrix(asRecord(cases[`sigmoid, ${label}`]).W as Rows));
      expect(norm('random W with ‖W‖ = 1/γ'), method).toBeCloseTo(4, 9);
      expect(norm('tight case ‖W‖ = 1/γ'), method).toBeCloseTo(4, 9);
      expect(norm('nilpotent witness'), method).toBeCloseTo(12, 9);
      expect(norm('saturated witness'), method).toBeCloseTo(12, 9);
      const factor = record?.figures.find((f) => f.key === 'explodingFactor')?.value as number;
      expect(norm('exploding witness') / (4 * factor), method).toBeCloseTo(1, 9);
      // The witnesses' premise compares 1/γ² = 16 with λ₁(WᵀW).
      const premises = record?.checks.filter((c) => c.check.startsWith('witness premise')) ?? [];
      expect(premises.length).toBe(2);
      for (const premise of premises) expect(premise.lhs).toBe(16);
    }
  });

  it('claims 3.x: each recorded H is symmetric with the spectrum its kind names', () => {
    let checked = 0;
    for (const record of dumps('taylor')) {
      for (const [label, model] of Object.entries(asRecord(record.inputs))) {
        const H = asRecord(model).H as Rows | undefined;
        if (H === undefined) continue;
        const m = new Matrix(H);
        checked++;
        expect(m.isSymmetric(), `${record.claim} ${label}`).toBe(true);
        const eigenvalues = new EigenvalueDecomposition(m).realEigenvalues;
        const magnitudes = eigenvalues.map(Math.abs);
        if (!label.startsWith('random')) {
          expect(Math.min(...magnitudes), `${record.claim} ${label}`).toBeGreaterThanOrEqual(0.5 - 1e-9);
          expect(Math.max(...magnitudes), `${record.claim} ${label}`).toBeLessThanOrEqual(5 + 1e-9);
        }
        if (label.startsWith('pd')) expect(Math.min(...eigenvalues)).toBeGreaterThan(0);
        if (label.startsWith('nd')) expect(Math.max(...eigenvalues)).toBeLessThan(0);
        if (label.startsWith('indefinite')) expect(Math.min(...eigenvalues) * Math.max(...eigenvalues)).toBeLessThan(0);
      }
    }
    // Four kinds in 3.1 and 3.3, six models in 3.2: a renamed field would leave this at 0.
    expect(checked).toBeGreaterThanOrEqual(14);
  });

  it('claim 4.3: each recorded run starts at ‖u₀‖ and its recorded norms never decrease', () => {
    const record = dumps('weightnorm').find((r) => r.claim === '4.3');
    const runs = Object.entries(asRecord(record?.inputs));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const [label, run] of runs) {
      const { u0, norms } = asRecord(run) as { u0?: number[]; norms?: number[] };
      if (u0 === undefined || norms === undefined) continue;
      checked++;
      expect(norms[0], label).toBeCloseTo(vectorNorm(u0), 14);
      // Up to the rounding of a norm (the equality case keeps ‖u‖ constant, to the last bits).
      for (let t = 1; t < norms.length; t++) expect(norms[t] as number, `${label}, step ${t}`).toBeGreaterThanOrEqual((norms[t - 1] as number) * (1 - 1e-14));
      if (!label.startsWith('equality')) expect(norms.at(-1) as number, label).toBeGreaterThan((norms[0] as number) * (1 + 1e-6));
    }
    expect(checked).toBe(runs.length);
  });
});
