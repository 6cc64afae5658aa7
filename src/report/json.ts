import type { RunReport } from './types.js';

/** The --json document: the report itself, pretty-printed. Non-finite numbers become null. */
export function jsonReport(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
