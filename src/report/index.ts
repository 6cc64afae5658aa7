import { githubReport } from './github.js';
import { humanReport } from './human.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import type { Reporter } from './types.js';

export const REPORTER_NAMES = ['human', 'json', 'junit', 'markdown', 'github'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** Every reporter by the name `--reporter` takes. */
export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  human: humanReport,
  json: jsonReport,
  junit: junitReport,
  markdown: markdownReport,
  github: githubReport,
};

export { githubReport, humanReport, jsonReport, junitReport, markdownReport };
export type { HumanOptions } from './human.js';
export { exitCodeOf, summarize, type RenderOptions, type Reporter, type RunReport } from './types.js';
