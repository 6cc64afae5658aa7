import type { ClaimResult } from '../claims/types.js';
import { formatDuration, formatNumber, formatTightness } from './format.js';
import type { RenderOptions, RunReport } from './types.js';

const VERDICT: Readonly<Record<ClaimResult['verdict'], string>> = { hold: '✅ hold', fail: '❌ fail', error: '⚠️ error' };

/** Text for a table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** A Markdown summary: a table of claims, then the counterexamples. Suits $GITHUB_STEP_SUMMARY. */
export function markdownReport(report: RunReport, { timing }: Pick<RenderOptions, 'timing'>): string {
  const { hold, fail, error } = report.summary;
  const lines = [
    `### hwcheck ${report.command}: ${hold} of ${report.claims.length} claims hold${fail + error > 0 ? ` (${fail} fail, ${error} error)` : ''}`,
    '',
    `Seed ${report.seed}${report.options.shard === null ? '' : `, shard ${report.options.shard}`}.`,
    '',
    `| Claim | Subcommand | Verdict | Trials | Worst ratio | Tightness |${timing ? ' Time |' : ''}`,
    `| --- | --- | --- | ---: | ---: | ---: |${timing ? ' ---: |' : ''}`,
    ...report.claims.map(
      (r) =>
        `| ${cell(`${r.id} ${r.title}`)} | \`${r.command}\` | ${VERDICT[r.verdict]} | ${r.trials} | ${formatNumber(r.worstRatio)} | ${formatTightness(r.tightness)} |${timing ? ` ${formatDuration(r.ms)} |` : ''}`,
    ),
  ];
  for (const r of report.claims) {
    if (r.failure === null) continue;
    lines.push(
      '',
      `**${r.id}** \`${r.failure.code}\` in trial ${r.failure.trial}: ${cell(r.failure.message)}`,
      '',
      '```sh',
      r.failure.replay,
      ...(r.shrunk === null ? [] : [`# smallest failing configuration found by shrinking:`, r.shrunk.failure.replay]),
      '```',
    );
  }
  return `${lines.join('\n')}\n`;
}
