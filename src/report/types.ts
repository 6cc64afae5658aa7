import type { ClaimResult } from '../claims/types.js';

/** Everything a reporter needs about one run. Plain data: it is also the --json document. */
export interface RunReport {
  tool: 'hwcheck';
  schemaVersion: 1;
  version: string;
  /** The subcommand that ran (a question's subcommand, or "all"). */
  command: string;
  seed: number;
  /** --trials when given (otherwise each claim ran its own default count). */
  trials: number | null;
  /** --trial when a single trial was replayed. */
  trial: number | null;
  /** The resolved parameters of each subcommand that ran, by subcommand name. */
  parameters: Record<string, Readonly<Record<string, unknown>>>;
  claims: ClaimResult[];
  summary: { hold: number; fail: number; error: number; ms: number };
}

export function summarize(results: readonly ClaimResult[], ms: number): RunReport['summary'] {
  return {
    hold: results.filter((r) => r.verdict === 'hold').length,
    fail: results.filter((r) => r.verdict === 'fail').length,
    error: results.filter((r) => r.verdict === 'error').length,
    ms,
  };
}

/** 0 when every claim holds, 1 otherwise (2 is reserved for usage errors). */
export function exitCodeOf(report: RunReport): 0 | 1 {
  return report.summary.fail === 0 && report.summary.error === 0 ? 0 : 1;
}
