import type { ChalkInstance } from 'chalk';
import type { CheckSummary, ClaimResult, Verdict } from '../claims/types.js';
import { formatDuration, formatNumber, formatTightness } from './format.js';
import type { RunReport } from './types.js';

export interface HumanOptions {
  chalk: ChalkInstance;
  /** Show wall times. Off, the report is byte-identical for the same seed and options. */
  timing: boolean;
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

function claimBlock(result: ClaimResult, { chalk, timing }: HumanOptions): string[] {
  const lines: string[] = [];
  lines.push(`${verdictMark(result.verdict, chalk)} ${chalk.bold(result.id.padEnd(4))} ${verdictWord(result.verdict, chalk)} ${result.title}`);
  const stats = [
    `${result.trials} trial${result.trials === 1 ? '' : 's'}`,
    `worst ratio ${formatNumber(result.worstRatio)}`,
    ...(result.tightness === null ? [] : [`tightness ${formatTightness(result.tightness)}`]),
    ...(timing ? [formatDuration(result.ms)] : []),
  ];
  lines.push(`${INDENT}${chalk.dim(stats.join(' · '))}`);
  for (const check of result.checks) lines.push(checkLine(check, chalk));
  for (const figure of result.example?.figures ?? []) {
    lines.push(`${INDENT}${chalk.dim('•')} ${figure.label} = ${chalk.cyan(formatNumber(figure.value))}`);
  }
  if (result.failure !== null) {
    const f = result.failure;
    const label = f.code === 'non-finite' || f.code === 'exception' || f.code === 'no-checks' ? 'error' : 'counterexample';
    lines.push(`${INDENT}${chalk.red(`${label} [${f.code}]`)} trial ${f.trial} (seed ${f.seed}): ${f.message}`);
    lines.push(`${INDENT}${chalk.bold('replay:')} ${f.replay}`);
  }
  return lines;
}

/** The terminal report: one block per claim, then a one-line summary. */
export function humanReport(report: RunReport, options: HumanOptions): string {
  const { chalk, timing } = options;
  const lines: string[] = [];
  const trials = report.trial !== null ? `trial ${report.trial} only` : report.trials !== null ? `${report.trials} trials per claim` : 'default trials';
  lines.push(chalk.bold(`hwcheck ${report.command}`) + chalk.dim(` · seed ${report.seed} · ${trials}`));
  if (report.command !== 'all') {
    for (const parameters of Object.values(report.parameters)) lines.push(chalk.dim(`  ${parameterLine(parameters)}`));
  }
  lines.push('');
  for (const result of report.claims) {
    lines.push(...claimBlock(result, options), '');
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
