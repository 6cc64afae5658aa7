import type { InputValue } from '../claims/types.js';
import type { Rng } from '../num/random.js';

export type AuditVerdict = 'holds' | 'refuted' | 'holds-as-corrected' | 'not-checkable';
/** A prose conclusion may also leave out what the question asked for. */
export type ConclusionVerdict = AuditVerdict | 'not-stated';

/** How the two sides of a statement relate. */
export type Relation = '=' | '≤' | '<';

/** A number, a vector or a matrix (rows). */
export type Side = number | readonly number[] | readonly (readonly number[])[];

/** One concrete case of a statement: its inputs and its two sides, each computed as written. */
export interface Instance {
  /** Every value that defines the case, printed in full in a counterexample. */
  data: Record<string, InputValue>;
  lhs: Side;
  rhs: Side;
  relation: Relation;
  /** Where in the case, when a statement holds at several places (a step t, a component…). */
  at?: string;
}

/**
 * A mathematical statement put to the test: a generator of cases, smallest size first.
 * Case 0 of each size should be the adversarial one (where an inequality is tight).
 */
export interface Statement {
  /** Sizes to search, in increasing order (a dimension, a number of steps…). */
  sizes: readonly number[];
  /** Cases per size. */
  cases: number;
  /** The name of the size in a counterexample ("n", "T"…). */
  sizeName: string;
  /** Builds case k of a size; may return several instances (one per step, say). */
  instance(rng: Rng, size: number, k: number): Instance | readonly Instance[];
  /** Identities: |lhs − rhs| ≤ atol + rtol·max|rhs| (default 1e-9, 1e-12). */
  tolerance?: { rtol: number; atol: number };
}

/** An equation of the written answer and how the audit evaluates it. */
export interface EquationEntry {
  number: number;
  /** "1.2": the homework's question and part. */
  question: string;
  /** The statement as written, restated in hwcheck's notation. */
  statement: string;
  /** The reading checked, when the notation allows several. */
  reading?: string;
  /** The statement as written; absent for a definition or a restatement. */
  check?: Statement;
  /** Why it cannot be checked (definition, notation, ellipsis). */
  notCheckable?: string;
  /** A typo-level correction that is tried when the statement as written is refuted. */
  correction?: { text: string; check: Statement };
  /** One-line explanations, by the verdict the computation reaches. */
  notes?: Partial<Record<AuditVerdict, string>>;
}

/** A counterexample found by the search: the case, its size and both sides. */
export interface Counterexample {
  size: number;
  sizeName: string;
  case: number;
  at: string | null;
  data: Record<string, InputValue>;
  lhs: InputValue;
  rhs: InputValue;
  relation: Relation;
  /** The gap: |lhs − rhs| for '=', lhs − rhs for inequalities. */
  gap: number;
}

export interface EquationResult {
  number: number;
  question: string;
  statement: string;
  reading: string | null;
  verdict: AuditVerdict;
  reason: string;
  /** Against the statement as written (also for holds-as-corrected). */
  counterexample: Counterexample | null;
  correction: string | null;
  /** Cases evaluated (for the statement as written, then the correction). */
  cases: number;
}

/** A prose conclusion of the answer: what it states and whether that is true. */
export interface ConclusionEntry {
  question: string;
  /** What the answer concludes, restated; null when it does not state the conclusion asked for. */
  stated: string | null;
  /** What the question asks to establish. */
  expected: string;
  /** Evaluates the stated claim (or, when nothing is stated, the correct one). */
  evaluate(rng: Rng): { verdict: ConclusionVerdict; reason: string; evidence: Record<string, InputValue> };
}

export interface ConclusionResult {
  question: string;
  stated: string | null;
  expected: string;
  verdict: ConclusionVerdict;
  reason: string;
  evidence: Record<string, InputValue>;
}

export interface AuditReport {
  tool: 'hwcheck';
  schemaVersion: 1;
  version: string;
  command: 'audit';
  seed: number;
  equations: EquationResult[];
  conclusions: ConclusionResult[];
  summary: Record<AuditVerdict, number> & { conclusions: Partial<Record<ConclusionVerdict, number>>; ms: number };
}
