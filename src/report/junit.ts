import type { ClaimResult } from '../claims/types.js';
import { formatNumber, formatTightness } from './format.js';
import { type RunReport, questionOf } from './types.js';

const QUESTION_TITLES: Readonly<Record<string, string>> = {
  '1': 'Question 1: RNN activations and vanishing/exploding gradients',
  '2': 'Question 2: momentum and exponential moving averages',
  '3': 'Question 3: the second-order Taylor model',
  '4': 'Question 4: weight normalisation',
};

/** Escapes text for an XML attribute or element, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(result: ClaimResult): string {
  const name = escapeXml(`${result.id} ${result.title}`);
  const lines = [`    <testcase classname="hwcheck.${escapeXml(result.command)}" name="${name}" time="${seconds(result.ms)}">`];
  const failure = result.failure;
  if (failure !== null) {
    const element = result.verdict === 'fail' ? 'failure' : 'error';
    const body = [
      failure.message,
      `trial ${failure.trial} (seed ${failure.seed})`,
      `replay: ${failure.replay}`,
      ...(result.shrunk === null ? [] : [`smallest failing configuration: ${result.shrunk.failure.replay}`]),
    ].join('\n');
    lines.push(`      <${element} message="${escapeXml(failure.message)}" type="${failure.code}">${escapeXml(body)}</${element}>`);
  }
  const out = [
    `trials ${result.trials}, worst ratio ${formatNumber(result.worstRatio)}, tightness ${formatTightness(result.tightness)}`,
    ...result.checks.map((c) => `${c.name}: ${c.count} checks, ${c.failed} failed, worst ratio ${formatNumber(c.worstRatio)}`),
    ...(result.example?.figures ?? []).map((f) => `${f.label} = ${formatNumber(f.value)}`),
  ].join('\n');
  lines.push(`      <system-out>${escapeXml(out)}</system-out>`, '    </testcase>');
  return lines.join('\n');
}

/**
 * JUnit XML as Jenkins, GitLab and GitHub test-report actions read it: one testsuite per
 * question of the homework, one testcase per claim, failure (a counterexample) or error
 * (a trial that could not be evaluated) with the message and the replay command; times in seconds.
 */
export function junitReport(report: RunReport): string {
  const byQuestion = new Map<string, ClaimResult[]>();
  for (const result of report.claims) {
    const q = questionOf(result.id);
    byQuestion.set(q, [...(byQuestion.get(q) ?? []), result]);
  }
  const count = (results: readonly ClaimResult[], verdict: string) => results.filter((r) => r.verdict === verdict).length;
  const total = (results: readonly ClaimResult[]) => seconds(results.reduce((s, r) => s + r.ms, 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hwcheck" tests="${report.claims.length}" failures="${count(report.claims, 'fail')}" errors="${count(report.claims, 'error')}" time="${total(report.claims)}">`,
  ];
  for (const [question, results] of byQuestion) {
    lines.push(
      `  <testsuite name="${escapeXml(QUESTION_TITLES[question] ?? `Question ${question}`)}" tests="${results.length}" failures="${count(results, 'fail')}" errors="${count(results, 'error')}" skipped="0" time="${total(results)}">`,
      '    <properties>',
      `      <property name="seed" value="${report.seed}"/>`,
      `      <property name="version" value="${escapeXml(report.version)}"/>`,
      `      <property name="command" value="${escapeXml(report.command)}"/>`,
      '    </properties>',
      ...results.map(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
