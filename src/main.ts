import { performance } from 'node:perf_hooks';
import { Chalk, type ChalkInstance, supportsColor } from 'chalk';
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './claims/index.js';
import type { RegisteredCommand } from './claims/subcommand.js';
import type { PreparedClaim } from './claims/types.js';
import { InvalidValue, UsageError, integerValue, invalidValue } from './options.js';
import { humanReport, jsonReport, exitCodeOf, summarize, type RunReport } from './report/index.js';
import { runClaim } from './run/runner.js';
import { selectClaims } from './run/select.js';
import { VERSION } from './version.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
}

export const DEFAULT_SEED = 1;

/** The options every claim-running subcommand shares, as commander hands them over. */
interface CommonFlags {
  seed?: string;
  trials?: string;
  trial?: string;
  only?: string;
  json?: boolean;
  color?: boolean;
  timing?: boolean;
}

interface CommonOptions {
  seed: number;
  trials: number | undefined;
  trial: number | undefined;
  only: string | undefined;
  json: boolean;
  color: boolean;
  timing: boolean | undefined;
}

function parseFlag(flag: string, text: string | undefined, parse: (text: string) => number): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof InvalidValue) throw invalidValue(flag, text, error.expected);
    throw error;
  }
}

function resolveCommon(flags: CommonFlags): CommonOptions {
  return {
    seed: parseFlag('--seed', flags.seed, integerValue(0, 2 ** 32 - 1)) ?? DEFAULT_SEED,
    trials: parseFlag('--trials', flags.trials, integerValue(1, 1_000_000)),
    trial: parseFlag('--trial', flags.trial, integerValue(0, 2 ** 31 - 1)),
    only: flags.only,
    json: flags.json === true,
    color: flags.color !== false,
    timing: flags.timing,
  };
}

function chalkFor(io: Io, wanted: boolean): ChalkInstance {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const level = wanted && !noColor && io.stdoutIsTTY && supportsColor ? supportsColor.level : 0;
  return new Chalk({ level });
}

function addCommonOptions(command: Command, { replay }: { replay: boolean }): Command {
  command
    .option('--seed <n>', `run seed, an integer ≥ 0 (default: ${DEFAULT_SEED})`)
    .option('--trials <n>', 'trials per claim (default: each claim’s own)')
    .option('--only <ids>', 'claims to run: ids (1.2), questions (1.x) or subcommands, comma-separated');
  if (replay) command.option('--trial <k>', 'replay trial k alone (as printed after a failure)');
  return command
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'plain text (also when NO_COLOR is set or stdout is not a terminal)')
    .addOption(new Option('--timing', 'show wall times (default: only on a terminal)'))
    .addOption(new Option('--no-timing', 'hide wall times'));
}

function runClaims(
  commandName: string,
  runs: readonly { command: RegisteredCommand; params: Readonly<Record<string, unknown>>; claims: PreparedClaim[] }[],
  common: CommonOptions,
  io: Io,
): number {
  const started = performance.now();
  const claims = selectClaims(
    runs.flatMap((run) => run.claims),
    common.only,
  );
  const results = claims.map((claim) => runClaim(claim, { seed: common.seed, trials: common.trials, trial: common.trial }));
  const parameters: RunReport['parameters'] = {};
  for (const run of runs) {
    if (claims.some((claim) => claim.command === run.command.name)) parameters[run.command.name] = run.params;
  }
  const report: RunReport = {
    tool: 'hwcheck',
    schemaVersion: 1,
    version: VERSION,
    command: commandName,
    seed: common.seed,
    trials: common.trials ?? null,
    trial: common.trial ?? null,
    parameters,
    claims: results,
    summary: summarize(results, performance.now() - started),
  };
  if (common.json) io.stdout(jsonReport(report));
  else io.stdout(humanReport(report, { chalk: chalkFor(io, common.color), timing: common.timing ?? io.stdoutIsTTY }));
  return exitCodeOf(report);
}

function givenOptions(command: RegisteredCommand, flags: Record<string, unknown>, options: readonly Option[]): Record<string, string | undefined> {
  const given: Record<string, string | undefined> = {};
  command.options.forEach((spec, index) => {
    const value = flags[options[index]?.attributeName() ?? spec.key];
    if (typeof value === 'string') given[spec.key] = value;
  });
  return given;
}

function listText(json: boolean): string {
  if (json) {
    const commands = COMMANDS.map((command) => ({
      name: command.name,
      summary: command.summary,
      options: command.options.map((spec) => spec.flag),
      claims: command.claims.map(({ id, title, equations, trials }) => ({ id, title, equations, trials })),
    }));
    return `${JSON.stringify({ tool: 'hwcheck', schemaVersion: 1, version: VERSION, commands }, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const command of COMMANDS) {
    lines.push(`${command.name} — ${command.summary}`);
    for (const claim of command.claims) {
      const equations = claim.equations.length > 0 ? ` [eqs ${claim.equations.join(', ')}]` : '';
      lines.push(`  ${claim.id.padEnd(4)} ${claim.title}${equations}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the commander program; each action stores its exit code in `result`. */
function buildProgram(io: Io, result: { code: number }): Command {
  const program = new Command('hwcheck')
    .description('Numerically verify the claims of a deep-learning theory homework, one seeded trial at a time.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 every claim holds · 1 some claim fails · 2 usage or input error.',
        '',
        'Examples:',
        '  hwcheck all                    every claim at its defaults (the CI job)',
        '  hwcheck vanish --delta 0.9     claims 1.2 and 1.3',
        '  hwcheck list                   the claims and the equations they cover',
        '  hwcheck <command> --help       options of one subcommand',
      ].join('\n'),
    );

  for (const registered of COMMANDS) {
    const command = program.command(registered.name).summary(registered.summary).description(registered.description);
    const options = registered.options.map((spec) => new Option(`${spec.flag} <${spec.valueName}>`, spec.description));
    for (const option of options) command.addOption(option);
    addCommonOptions(command, { replay: true });
    command.addHelpText('after', `\nExamples:\n${registered.examples.map((e) => `  ${e}`).join('\n')}\n`);
    command.action((flags: CommonFlags & Record<string, unknown>) => {
      const common = resolveCommon(flags);
      const prepared = registered.prepare(givenOptions(registered, flags, options));
      result.code = runClaims(registered.name, [{ command: registered, ...prepared }], common, io);
    });
  }

  addCommonOptions(program.command('all').summary('every claim of every subcommand, at its defaults'), { replay: false })
    .description('Runs every registered claim with its subcommand’s defaults and prints one report.')
    .addHelpText('after', '\nExamples:\n  hwcheck all\n  hwcheck all --only 1.x,momentum --json\n  hwcheck all --seed 7 --trials 100\n')
    .action((flags: CommonFlags) => {
      const common = resolveCommon(flags);
      const runs = COMMANDS.map((command) => ({ command, ...command.prepare({}) }));
      result.code = runClaims('all', runs, common, io);
    });

  program
    .command('list')
    .summary('the claims, their ids and the equations they cover')
    .option('--json', 'print one JSON document on stdout')
    .action((flags: { json?: boolean }) => {
      io.stdout(listText(flags.json === true));
      result.code = 0;
    });

  return program;
}

/** Runs the CLI on user arguments (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      io.stderr(`hwcheck: ${message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`hwcheck: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
