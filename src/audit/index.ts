import { performance } from 'node:perf_hooks';
import { VERSION } from '../version.js';
import { auditConclusion, auditEquation } from './engine.js';
import { QUESTION_1_CONCLUSIONS, QUESTION_1_EQUATIONS } from './question1.js';
import { QUESTION_2_EQUATIONS } from './question2.js';
import { QUESTION_3_CONCLUSIONS, QUESTION_3_EQUATIONS } from './question3.js';
import { QUESTION_4_CONCLUSIONS, QUESTION_4_EQUATIONS } from './question4.js';
import type { AuditReport, AuditVerdict, ConclusionEntry, ConclusionVerdict, EquationEntry } from './types.js';

/** Every numbered equation of the written answer, in order. */
export const EQUATIONS: readonly EquationEntry[] = [...QUESTION_1_EQUATIONS, ...QUESTION_2_EQUATIONS, ...QUESTION_3_EQUATIONS, ...QUESTION_4_EQUATIONS];

/** The prose conclusions the questions ask for. */
export const CONCLUSIONS: readonly ConclusionEntry[] = [...QUESTION_1_CONCLUSIONS, ...QUESTION_3_CONCLUSIONS, ...QUESTION_4_CONCLUSIONS];

export interface AuditOptions {
  seed: number;
  /** Audit only this equation (and no conclusions). */
  equation?: number;
}

/** Runs every check of the audit: the verdicts are computed now, never read from a file. */
export function runAudit(options: AuditOptions): AuditReport {
  const started = performance.now();
  const entries = options.equation === undefined ? EQUATIONS : EQUATIONS.filter((e) => e.number === options.equation);
  const equations = entries.map((entry) => auditEquation(entry, options.seed));
  const conclusions = options.equation === undefined ? CONCLUSIONS.map((entry) => auditConclusion(entry, options.seed)) : [];
  const counts: Record<AuditVerdict, number> = { holds: 0, refuted: 0, 'holds-as-corrected': 0, 'not-checkable': 0 };
  for (const e of equations) counts[e.verdict]++;
  const conclusionCounts: Partial<Record<ConclusionVerdict, number>> = {};
  for (const c of conclusions) conclusionCounts[c.verdict] = (conclusionCounts[c.verdict] ?? 0) + 1;
  return {
    tool: 'hwcheck',
    schemaVersion: 1,
    version: VERSION,
    command: 'audit',
    seed: options.seed,
    equations,
    conclusions,
    summary: { ...counts, conclusions: conclusionCounts, ms: performance.now() - started },
  };
}

/** 1 when the audit refuted an equation or a conclusion, else 0. */
export function auditExitCode(report: AuditReport): 0 | 1 {
  return report.equations.some((e) => e.verdict === 'refuted') || report.conclusions.some((c) => c.verdict === 'refuted') ? 1 : 0;
}
