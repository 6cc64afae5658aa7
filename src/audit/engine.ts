import type { InputValue } from '../claims/types.js';
import { createRng } from '../num/random.js';
import type {
  AuditVerdict,
  ConclusionEntry,
  ConclusionResult,
  Counterexample,
  EquationEntry,
  EquationResult,
  Instance,
  Side,
  Statement,
} from './types.js';

const DEFAULT_TOLERANCE = { rtol: 1e-9, atol: 1e-12 };

function flatten(side: Side): number[] {
  if (typeof side === 'number') return [side];
  return (side as readonly (number | readonly number[])[]).flatMap((entry) => (typeof entry === 'number' ? [entry] : [...entry]));
}

function toInput(side: Side): InputValue {
  return typeof side === 'number' ? side : (side as readonly (number | readonly number[])[]).map((e) => (typeof e === 'number' ? e : [...e]));
}

/**
 * Whether an instance satisfies its relation, and by how much it misses:
 * '=' entrywise within atol + rtol·(largest magnitude of either side), '≤' entrywise with
 * the same slack, '<' strictly. Any NaN or ±Infinity fails.
 */
export function satisfies(instance: Instance, tolerance = DEFAULT_TOLERANCE): { ok: boolean; gap: number } {
  const a = flatten(instance.lhs);
  const b = flatten(instance.rhs);
  if (a.length !== b.length) return { ok: false, gap: Number.NaN };
  if (![...a, ...b].every(Number.isFinite)) return { ok: false, gap: Number.NaN };
  const scale = Math.max(0, ...a.map(Math.abs), ...b.map(Math.abs));
  const slack = tolerance.atol + tolerance.rtol * scale;
  let gap = Number.NEGATIVE_INFINITY;
  let ok = true;
  a.forEach((x, i) => {
    const y = b[i] as number;
    const difference = instance.relation === '=' ? Math.abs(x - y) : x - y;
    gap = Math.max(gap, difference);
    if (instance.relation === '<' ? !(x < y) : difference > slack) ok = false;
  });
  return { ok, gap: a.length === 0 ? 0 : gap };
}

/** Searches a statement's cases, smallest size first, for one that breaks it. */
export function findCounterexample(statement: Statement, seed: string): { counterexample: Counterexample | null; cases: number } {
  let cases = 0;
  for (const size of statement.sizes) {
    for (let k = 0; k < statement.cases; k++) {
      cases++;
      const produced = statement.instance(createRng(`${seed}/${size}/${k}`), size, k);
      const instances: readonly Instance[] = Array.isArray(produced) ? produced : [produced as Instance];
      for (const instance of instances) {
        const { ok, gap } = satisfies(instance, statement.tolerance);
        if (!ok) {
          return {
            counterexample: {
              size,
              sizeName: statement.sizeName,
              case: k,
              at: instance.at ?? null,
              data: instance.data,
              lhs: toInput(instance.lhs),
              rhs: toInput(instance.rhs),
              relation: instance.relation,
              gap,
            },
            cases,
          };
        }
      }
    }
  }
  return { counterexample: null, cases };
}

function sizesText(statement: Statement): string {
  const sizes = statement.sizes;
  const range = sizes.length === 1 ? `${sizes[0]}` : `${sizes[0]}…${sizes[sizes.length - 1]}`;
  return `${statement.sizeName} = ${range}`;
}

const DEFAULT_NOTES: Record<AuditVerdict, string> = {
  holds: 'holds on every case tried',
  refuted: 'false as written',
  'holds-as-corrected': 'false as written; the correction holds',
  'not-checkable': 'not a checkable statement',
};

/** Evaluates one equation as written (and its correction when that is refuted). */
export function auditEquation(entry: EquationEntry, seed: number): EquationResult {
  const base = {
    number: entry.number,
    question: entry.question,
    statement: entry.statement,
    reading: entry.reading ?? null,
  };
  if (entry.check === undefined) {
    return { ...base, verdict: 'not-checkable', reason: entry.notCheckable ?? DEFAULT_NOTES['not-checkable'], counterexample: null, correction: null, cases: 0 };
  }
  const written = findCounterexample(entry.check, `hwcheck-audit/${seed}/${entry.number}`);
  const note = (verdict: AuditVerdict) => entry.notes?.[verdict] ?? DEFAULT_NOTES[verdict];
  if (written.counterexample === null) {
    return {
      ...base,
      verdict: 'holds',
      reason: `${note('holds')} (${written.cases} cases, ${sizesText(entry.check)}, none breaks it)`,
      counterexample: null,
      correction: null,
      cases: written.cases,
    };
  }
  if (entry.correction !== undefined) {
    const corrected = findCounterexample(entry.correction.check, `hwcheck-audit/${seed}/${entry.number}/corrected`);
    if (corrected.counterexample === null) {
      return {
        ...base,
        verdict: 'holds-as-corrected',
        reason: `${note('holds-as-corrected')} (${entry.correction.text}: ${corrected.cases} cases, none breaks it)`,
        counterexample: written.counterexample,
        correction: entry.correction.text,
        cases: written.cases + corrected.cases,
      };
    }
  }
  return {
    ...base,
    verdict: 'refuted',
    reason: note('refuted'),
    counterexample: written.counterexample,
    correction: entry.correction?.text ?? null,
    cases: written.cases,
  };
}

export function auditConclusion(entry: ConclusionEntry, seed: number): ConclusionResult {
  const { verdict, reason, evidence } = entry.evaluate(createRng(`hwcheck-audit/${seed}/conclusion/${entry.question}`));
  return { question: entry.question, stated: entry.stated, expected: entry.expected, verdict, reason, evidence };
}
