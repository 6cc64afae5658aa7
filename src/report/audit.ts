import type { ChalkInstance } from 'chalk';
import type { AuditReport, AuditVerdict, ConclusionVerdict, Counterexample, EquationResult } from '../audit/types.js';
import type { InputValue } from '../claims/types.js';
import { formatNumber } from './format.js';

const WORDS: Record<ConclusionVerdict, string> = {
  holds: 'holds',
  refuted: 'refuted',
  'holds-as-corrected': 'holds as corrected',
  'not-checkable': 'not checkable',
  'not-stated': 'not stated',
};

function paint(verdict: ConclusionVerdict, text: string, chalk: ChalkInstance): string {
  switch (verdict) {
    case 'holds':
      return chalk.green(text);
    case 'refuted':
      return chalk.red.bold(text);
    case 'holds-as-corrected':
    case 'not-stated':
      return chalk.yellow(text);
    case 'not-checkable':
      return chalk.dim(text);
  }
}

/**
 * A value for people: numbers to 6 significant digits, vectors in brackets, matrices row by
 * row — on lines of their own after `indent`, or on one line with `inline`.
 */
export function formatValue(value: InputValue, indent = '', inline = false): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : formatNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const items = value as readonly InputValue[];
    if (items.every((item) => Array.isArray(item))) {
      return `[${items.map((row) => formatValue(row)).join(inline ? ', ' : `,\n${indent} `)}]`;
    }
    return `[${items.map((item) => formatValue(item)).join(', ')}]`;
  }
  return `{ ${Object.entries(value as Record<string, InputValue>)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ')} }`;
}

function counterexampleLines(c: Counterexample, indent: string): string[] {
  const where = c.at === null ? '' : `, ${c.at}`;
  const lines = [`${indent}counterexample (${c.sizeName} = ${c.size}, case ${c.case}${where}):`];
  for (const [key, value] of Object.entries(c.data)) {
    const prefix = `${indent}  ${key} = `;
    lines.push(`${prefix}${formatValue(value, ' '.repeat(prefix.length))}`);
  }
  const relation = c.relation === '=' ? '≠' : c.relation === '≤' ? '>' : '≥';
  lines.push(`${indent}  left side  = ${formatValue(c.lhs, `${indent}               `)}`);
  lines.push(`${indent}  right side = ${formatValue(c.rhs, `${indent}               `)}`);
  lines.push(`${indent}  left ${relation} right (gap ${formatNumber(c.gap)})`);
  return lines;
}

function equationLine(e: EquationResult, chalk: ChalkInstance): string[] {
  const number = `(${e.number})`.padEnd(5);
  const lines = [`  ${chalk.bold(number)} ${paint(e.verdict, WORDS[e.verdict].padEnd(19), chalk)} ${e.statement}`];
  lines.push(`        ${chalk.dim(e.reason)}`);
  if (e.counterexample !== null) {
    const c = e.counterexample;
    lines.push(
      `        ${chalk.dim(`as written it fails at ${c.sizeName} = ${c.size}${c.at === null ? '' : ` (${c.at})`}: left ${formatValue(c.lhs, '', true)} vs right ${formatValue(c.rhs, '', true)} — hwcheck audit --equation ${e.number} shows it in full`)}`,
    );
  }
  return lines;
}

/** The audit for a terminal: equations grouped by question, the conclusions, the counts. */
export function humanAudit(report: AuditReport, chalk: ChalkInstance): string {
  const lines = [chalk.bold('hwcheck audit') + chalk.dim(` · seed ${report.seed} · the numbered equations and conclusions of the written answer`), ''];
  let question = '';
  for (const e of report.equations) {
    if (e.question !== question) {
      question = e.question;
      lines.push(chalk.bold(`Question ${question}`));
    }
    lines.push(...equationLine(e, chalk));
  }
  if (report.conclusions.length > 0) {
    lines.push('', chalk.bold('Conclusions'));
    for (const c of report.conclusions) {
      lines.push(`  ${chalk.bold(c.question.padEnd(5))} ${paint(c.verdict, WORDS[c.verdict].padEnd(19), chalk)} ${c.stated ?? '(the answer does not state it)'}`);
      lines.push(`        ${chalk.dim(c.reason)}`);
    }
  }
  const s = report.summary;
  const counts = (Object.keys(WORDS) as ConclusionVerdict[])
    .filter((v): v is AuditVerdict => v in s && v !== 'not-stated')
    .map((v) => paint(v, `${s[v]} ${WORDS[v]}`, chalk));
  const conclusions = Object.entries(s.conclusions).map(([v, n]) => paint(v as ConclusionVerdict, `${n} ${WORDS[v as ConclusionVerdict]}`, chalk));
  lines.push('', `${report.equations.length} equations: ${counts.join(', ')}${conclusions.length > 0 ? ` · conclusions: ${conclusions.join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** One equation in full: statement, reading, verdict, reason, the whole counterexample. */
export function humanEquation(e: EquationResult, chalk: ChalkInstance): string {
  const lines = [
    `${chalk.bold(`Equation (${e.number})`)} · question ${e.question}`,
    `  statement:  ${e.statement}`,
    ...(e.reading === null ? [] : [`  reading:    ${e.reading}`]),
    `  verdict:    ${paint(e.verdict, WORDS[e.verdict], chalk)}`,
    `  reason:     ${e.reason}`,
    ...(e.correction === null ? [] : [`  correction: ${e.correction}`]),
    ...(e.cases > 0 ? [`  cases:      ${e.cases}`] : []),
  ];
  if (e.counterexample !== null) lines.push(...counterexampleLines(e.counterexample, '  '));
  return `${lines.join('\n')}\n`;
}
