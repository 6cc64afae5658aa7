import type { ChalkInstance } from 'chalk';
import type { CheckSummary, ClaimResult, Verdict } from '../claims/types.js';
import { formatDuration, formatNumber, formatTightness } from './format.js';
import { terminalPlot } from './plot.js';
import type { RenderOptions, RunReport } from './types.js';

export interface HumanOptions extends RenderOptions {
  /** Print each claim's full block (checks and figures); otherwise `all` prints a table. */
  verbose?: boolean;
  /** Draw each claim's plots in the terminal, this wide (in columns), in Unicode or plain ASCII. */
  plot?: { width: number; unicode: boolean };
}

const INDENT = '       ';

function verdictMark(verdict: Verdict, chalk: ChalkInstance): string {
  switch (verdict) {
    case 'hold':
      return chalk.green('✔');
    case 'fail':
      return chalk.red('✘');
    case 'error':
      return chalk.yellow('!');
  }
}

function verdictWord(verdict: Verdict, chalk: ChalkInstance): string {
  switch (verdict) {
    case 'hold':
      return chalk.green('hold ');
    case 'fail':
      return chalk.red.bold('FAIL ');
    case 'error':
      return chalk.yellow.bold('ERROR');
  }
}

function parameterLine(parameters: Readonly<Record<string, unknown>>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${key} ${value === null ? 'default' : String(value)}`)
    .join(' · ');
}

function checkLine(check: CheckSummary, chalk: ChalkInstance): string {
  const mark = check.failed === 0 ? chalk.green('✔') : chalk.red('✘');
  const counts = check.failed === 0 ? `${check.count} checks` : chalk.red(`${check.failed} of ${check.count} failed`);
  const where = (trial: number, at: string) => chalk.dim(`(trial ${trial}, ${at})`);
  const parts = [counts];
  if (check.kind === 'bound' && check.tightest !== null) {
    parts.push(`tightness ${formatTightness(check.tightness)} ${where(check.tightest.trial, check.tightest.at)}`);
  } else if (check.kind === 'identity' && check.worst !== null) {
    parts.push(`worst ratio ${formatNumber(check.worstRatio)} ${where(check.worst.trial, check.worst.at)}`);
  }
  if (check.failed > 0 && check.worst !== null) {
    parts.push(`worst: ${formatNumber(check.worst.lhs)} vs ${formatNumber(check.worst.rhs)} ${where(check.worst.trial, check.worst.at)}`);
  }
  return `${INDENT}${mark} ${check.name}  ${chalk.dim('·')} ${parts.join(chalk.dim(' · '))}`;
}

function trialCount(result: ClaimResult): string {
  const ran = `${result.trials} trial${result.trials === 1 ? '' : 's'}`;
  return result.plannedTrials > result.trials ? `${ran} of ${result.plannedTrials} (stopped by --max-time; the verdict covers these only)` : ran;
}

function failureLines(result: ClaimResult, chalk: ChalkInstance): string[] {
  const f = result.failure;
  if (f === null) return [];
  const label = result.verdict === 'fail' ? 'counterexample' : 'error';
  const lines = [
    `${INDENT}${chalk.red(`${label} [${f.code}]`)} trial ${f.trial} (seed ${f.seed}): ${f.message}`,
    `${INDENT}${chalk.bold('replay:')} ${f.replay}`,
  ];
  if (result.shrunk !== null) {
    const s = result.shrunk;
    lines.push(
      `${INDENT}${chalk.bold('smallest failing configuration')} (${s.attempts} tried): ${s.args.length === 0 ? 'the defaults' : s.args.join(' ')}, trial ${s.failure.trial}: ${s.failure.message}`,
      `${INDENT}${chalk.bold('replay:')} ${s.failure.replay}`,
    );
  }
  return lines;
}

/** The claim's plots, each after a blank line, indented under its block. */
function plotLines(result: ClaimResult, { chalk, plot }: HumanOptions): string[] {
  if (plot === undefined) return [];
  return (result.example?.plots ?? []).flatMap((p) => ['', ...terminalPlot(p, { ...plot, chalk, indent: INDENT })]);
}

function claimBlock(result: ClaimResult, options: HumanOptions): string[] {
  const { chalk, timing } = options;
  const lines: string[] = [];
  lines.push(`${verdictMark(result.verdict, chalk)} ${chalk.bold(result.id.padEnd(4))} ${verdictWord(result.verdict, chalk)} ${result.title}`);
  const stats = [
    trialCount(result),
    `worst ratio ${formatNumber(result.worstRatio)}`,
    ...(result.tightness === null ? [] : [`tightness ${formatTightness(result.tightness)}`]),
    ...(timing ? [formatDuration(result.ms)] : []),
  ];
  lines.push(`${INDENT}${chalk.dim(stats.join(' · '))}`);
  for (const check of result.checks) lines.push(checkLine(check, chalk));
  for (const figure of result.example?.figures ?? []) {
    lines.push(`${INDENT}${chalk.dim('•')} ${figure.label} = ${chalk.cyan(formatNumber(figure.value))}`);
  }
  lines.push(...failureLines(result, chalk));
  lines.push(...plotLines(result, options));
  return lines;
}

/** The summary table of `hwcheck all`: one row per claim. */
function summaryTable(report: RunReport, { chalk, timing }: RenderOptions): string[] {
  const header = ['claim', 'subcommand', 'verdict', 'trials', 'worst ratio', 'tightness', ...(timing ? ['time'] : []), 'title'];
  const rows = report.claims.map((r) => [
    r.id,
    r.command,
    r.verdict,
    r.plannedTrials > r.trials ? `${r.trials}/${r.plannedTrials}` : String(r.trials),
    formatNumber(r.worstRatio),
    formatTightness(r.tightness),
    ...(timing ? [formatDuration(r.ms)] : []),
    r.title,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = new Set([3, 4, 5, ...(timing ? [6] : [])]);
  const pad = (text: string, i: number) => (i === header.length - 1 ? text : numeric.has(i) ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0));
  const colour = (verdict: string, text: string) =>
    verdict === 'hold' ? chalk.green(text) : verdict === 'fail' ? chalk.red.bold(text) : chalk.yellow.bold(text);
  return [
    chalk.dim(header.map(pad).join('  ')),
    ...rows.map((row) => row.map((cell, i) => (i === 2 ? colour(cell, pad(cell, i)) : pad(cell, i))).join('  ')),
  ];
}

/** The terminal report: a block per claim (or, for `all`, a table and the failures), then a summary line. */
export function humanReport(report: RunReport, options: HumanOptions): string {
  const { chalk, timing } = options;
  const lines: string[] = [];
  const trials = report.trial !== null ? `trial ${report.trial} only` : report.trials !== null ? `${report.trials} trials per claim` : 'default trials';
  const shard = report.options.shard === null ? '' : ` · shard ${report.options.shard}`;
  lines.push(chalk.bold(`hwcheck ${report.command}`) + chalk.dim(` · seed ${report.seed} · ${trials}${shard}`));
  if (report.options.interrupted === true) {
    lines.push(chalk.yellow.bold('  interrupted: the verdicts cover the trials that finished; claims not reached are not listed'));
  }
  const table = report.command === 'all' || report.command === 'merge';
  if (!table) {
    for (const parameters of Object.values(report.parameters)) lines.push(chalk.dim(`  ${parameterLine(parameters)}`));
  }
  lines.push('');
  if (table) {
    lines.push(...summaryTable(report, options), '');
    for (const result of report.claims) {
      if (options.verbose === true) lines.push(...claimBlock(result, options), '');
      else if (result.verdict !== 'hold') lines.push(`${verdictMark(result.verdict, chalk)} ${chalk.bold(result.id)} ${result.title}`, ...failureLines(result, chalk), '');
    }
    if (options.verbose !== true && options.plot !== undefined) {
      // The table has no blocks to put the plots under: each claim's plots get its verdict line.
      for (const result of report.claims) {
        const plots = plotLines(result, options);
        if (plots.length > 0) lines.push(`${verdictMark(result.verdict, chalk)} ${chalk.bold(result.id)} ${result.title}`, ...plots.slice(1), '');
      }
    }
  } else {
    for (const result of report.claims) lines.push(...claimBlock(result, options), '');
  }
  const { hold, fail, error, ms } = report.summary;
  const total = report.claims.length;
  const counts = [
    chalk.green(`${hold} hold`),
    fail > 0 ? chalk.red.bold(`${fail} fail`) : `${fail} fail`,
    error > 0 ? chalk.yellow.bold(`${error} error`) : `${error} error`,
  ];
  const time = timing ? ` ${chalk.dim(`· ${formatDuration(ms)}`)}` : '';
  lines.push(`${total} claim${total === 1 ? '' : 's'}: ${counts.join(', ')}${time}`);
  return `${lines.join('\n')}\n`;
}
