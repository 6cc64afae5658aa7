import type { ClaimResult } from '../claims/types.js';
import { UsageError } from '../options.js';
import type { RunReport } from '../report/types.js';
import { mergeClaimResults } from './runner.js';

/** A JSON report read from `path`, checked to be one hwcheck wrote. */
export function parseReport(path: string, text: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`cannot merge ${path}: it is not JSON (write it with --json or --reporter json=FILE)`);
  }
  const report = data as Partial<RunReport> | null;
  if (report === null || typeof report !== 'object' || report.tool !== 'hwcheck' || report.schemaVersion !== 1 || !Array.isArray(report.claims)) {
    throw new UsageError(`cannot merge ${path}: not an hwcheck JSON report of schema version 1`);
  }
  return report as RunReport;
}

/**
 * Merges reports of shards of one run (same seed, same options, disjoint trials) into the
 * claims a single run gives. Claims keep the order in which they first appear.
 */
export function mergeReports(reports: readonly { path: string; report: RunReport }[]): ClaimResult[] {
  const [first] = reports;
  if (first === undefined) throw new UsageError('merge needs at least one report file');
  for (const { path, report } of reports) {
    if (report.seed !== first.report.seed) throw new UsageError(`cannot merge ${path}: seed ${report.seed} differs from ${first.report.seed} in ${first.path}`);
    if (report.trials !== first.report.trials) throw new UsageError(`cannot merge ${path}: --trials ${report.trials} differs from ${first.report.trials} in ${first.path}`);
    if (report.trial !== null) throw new UsageError(`cannot merge ${path}: it replays one trial (--trial ${report.trial})`);
  }
  // Shards must be distinct parts of the same split, or trials would be counted twice.
  const shards = reports.map(({ report }) => report.options?.shard ?? null);
  const counts = new Set(shards.map((s) => (s === null ? 'whole' : s.split('/')[1])));
  if (counts.size > 1 || (shards.includes(null) && reports.length > 1)) {
    throw new UsageError('cannot merge: the reports are not shards of one split (--shard i/n with the same n)');
  }
  const repeated = shards.find((s, i) => s !== null && shards.indexOf(s) !== i);
  if (repeated !== undefined) throw new UsageError(`cannot merge: shard ${repeated} appears twice`);
  const byId = new Map<string, ClaimResult[]>();
  for (const { path, report } of reports) {
    for (const claim of report.claims) {
      const parts = byId.get(claim.id) ?? [];
      const other = parts[0];
      if (other !== undefined && other.args.join(' ') !== claim.args.join(' ')) {
        throw new UsageError(`cannot merge ${path}: claim ${claim.id} ran with options "${claim.args.join(' ')}", elsewhere "${other.args.join(' ')}"`);
      }
      byId.set(claim.id, [...parts, claim]);
    }
  }
  return [...byId.values()].map((parts) => mergeClaimResults(parts, first.report.seed));
}
