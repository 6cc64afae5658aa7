import type { ChalkInstance } from 'chalk';
import type { ClaimResult } from '../claims/types.js';

/** Everything a reporter needs about one run. Plain data: it is also the --json document. */
export interface RunReport {
  tool: 'hwcheck';
  schemaVersion: 1;
  version: string;
  /** The subcommand that ran (a question's subcommand, "all", or "merge"). */
  command: string;
  seed: number;
  /** --trials when given (otherwise each claim ran its own default count). */
  trials: number | null;
  /** --trial when a single trial was replayed. */
  trial: number | null;
  /** The other options of the run. */
  options: RunOptionsRecord;
  /** The resolved parameters of each subcommand that ran, by subcommand name. */
  parameters: Record<string, Readonly<Record<string, unknown>>>;
  claims: ClaimResult[];
  summary: { hold: number; fail: number; error: number; ms: number };
}

export interface RunOptionsRecord {
  only: string | null;
  /** "i/n" when the run was one shard of n. */
  shard: string | null;
  /** --max-time in seconds. */
  maxTime: number | null;
  shrink: boolean;
  /** The run was stopped (Ctrl-C): the claims cover the trials that finished; later claims are missing. */
  interrupted?: boolean;
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

/** How a reporter renders: colours and whether wall times are shown. */
export interface RenderOptions {
  chalk: ChalkInstance;
  /** Show wall times. Off, text reports are byte-identical for the same seed and options. */
  timing: boolean;
}

export type Reporter = (report: RunReport, options: RenderOptions) => string;

/** "Question 1", from a claim id such as "1.2". */
export function questionOf(claimId: string): string {
  return claimId.split('.')[0] ?? claimId;
}
