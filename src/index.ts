/** hwcheck's public API: the registered claims, the runner and the report types. */
export { COMMANDS, findCommand } from './claims/index.js';
export { registerSubcommand, type ClaimDefinition, type RegisteredCommand, type Subcommand } from './claims/subcommand.js';
export type * from './claims/types.js';
export { runClaim, runTrial, replayCommand, type RunOptions } from './run/runner.js';
export { selectClaims } from './run/select.js';
export { humanReport, jsonReport, type RunReport } from './report/index.js';
export { main, type Io } from './main.js';
export { UsageError } from './options.js';
