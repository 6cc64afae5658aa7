import { githubReport } from './github.js';
import { humanReport } from './human.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import type { RenderOptions, Reporter, RunReport } from './types.js';

export const REPORTER_NAMES = ['human', 'json', 'junit', 'markdown', 'github', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];
/** The reporters that render synchronously; html draws its plots asynchronously with Vega. */
export type TextReporterName = Exclude<ReporterName, 'html'>;

/** Every text reporter by the name `--reporter` takes. */
export const REPORTERS: Readonly<Record<TextReporterName, Reporter>> = {
  human: humanReport,
  json: jsonReport,
  junit: junitReport,
  markdown: markdownReport,
  github: githubReport,
};

/**
 * The self-contained HTML report with its plots as SVG. Vega and Vega-Lite take about half a
 * second to load, so the module that uses them is imported on first use only.
 */
export async function htmlReport(report: RunReport, options: Pick<RenderOptions, 'timing'>): Promise<string> {
  const { renderHtml } = await import('./html.js');
  return renderHtml(report, options);
}

export { githubReport, humanReport, jsonReport, junitReport, markdownReport };
export type { HumanOptions } from './human.js';
export { exitCodeOf, summarize, type RenderOptions, type Reporter, type RunReport } from './types.js';
