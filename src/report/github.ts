import type { RunReport } from './types.js';

/** Escapes the message of a GitHub workflow command. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property (title=…) of a GitHub workflow command. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions annotations: one `::error` per claim that failed or erred, with the
 * counterexample and the replay command, and a `::notice` with the summary.
 */
export function githubReport(report: RunReport): string {
  const lines: string[] = [];
  for (const r of report.claims) {
    if (r.failure === null) continue;
    const title = `hwcheck ${r.id} (${r.command}) ${r.verdict === 'fail' ? 'fails' : 'errs'}`;
    const message = [
      `${r.failure.code}: ${r.failure.message}`,
      `replay: ${r.failure.replay}`,
      ...(r.shrunk === null ? [] : [`smallest failing configuration: ${r.shrunk.failure.replay}`]),
    ].join('\n');
    lines.push(`::error title=${escapeProperty(title)}::${escapeData(message)}`);
  }
  const { hold, fail, error } = report.summary;
  lines.push(`::notice title=${escapeProperty(`hwcheck ${report.command}`)}::${escapeData(`${report.claims.length} claims: ${hold} hold, ${fail} fail, ${error} error (seed ${report.seed})`)}`);
  return `${lines.join('\n')}\n`;
}
