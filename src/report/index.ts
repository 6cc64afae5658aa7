export { humanReport, type HumanOptions } from './human.js';
export { jsonReport } from './json.js';
export { exitCodeOf, summarize, type RunReport } from './types.js';
