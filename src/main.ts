import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Chalk, type ChalkInstance, supportsColor } from 'chalk';
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './claims/index.js';
import type { RegisteredCommand } from './claims/subcommand.js';
import type { ClaimResult, PreparedClaim } from './claims/types.js';
import { assertWritable, deliver, resolveTargets, writeAtomically } from './io/outputs.js';
import { InvalidValue, UsageError, integerValue, invalidValue, realValue } from './options.js';
import { type HumanOptions, REPORTERS, exitCodeOf, htmlReport, humanReport, summarize, type RenderOptions, type RunReport } from './report/index.js';
import { isUtf8Terminal } from './report/plot.js';
import { type ProgressStream, createProgress } from './io/progress.js';
import { mergeReports, parseReport } from './run/merge.js';
import { dumpTrial, type Shard } from './run/runner.js';
import { selectClaims } from './run/select.js';
import { parseWorkers } from './run/pool.js';
import { TIME_LIMIT_SECONDS, estimateRun, formatSeconds } from './run/estimate.js';
import { type ClaimSource, runSessionInParallel } from './run/session.js';
import { VERSION } from './version.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  /** The terminal's width in columns, when stdout is one (sizes --plot). */
  columns?: number;
  /** stderr as a stream, for the progress bar; it draws only when this is a terminal. */
  progressStream?: ProgressStream;
  /** Aborted on Ctrl-C: the run stops between trials and reports what finished. */
  signal?: AbortSignal;
}

/** The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
export const INTERRUPTED_EXIT_CODE = 130;

export const DEFAULT_SEED = 1;

/** The options the claim-running subcommands share, as commander hands them over. */
interface CommonFlags {
  seed?: string;
  trials?: string;
  trial?: string;
  only?: string;
  shard?: string;
  maxTime?: string;
  shrink?: boolean;
  workers?: string;
  dump?: string;
  reporter?: string[];
  json?: boolean;
  color?: boolean;
  timing?: boolean;
  verbose?: boolean;
  plot?: boolean;
}

interface OutputOptions {
  reporter?: string[];
  json?: boolean;
  color?: boolean;
  timing?: boolean;
  verbose?: boolean;
  plot?: boolean;
}

function parseFlag<T>(flag: string, text: string | undefined, parse: (text: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof InvalidValue) throw invalidValue(flag, text, error.expected);
    throw error;
  }
}

function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1 && count <= 1_000_000 && index >= 1 && index <= count)) {
    throw new InvalidValue('i/n with 1 ≤ i ≤ n ≤ 1000000, such as 2/4');
  }
  return { index, count };
}

function chalkFor(io: Io, wanted: boolean): ChalkInstance {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const level = wanted && !noColor && io.stdoutIsTTY && supportsColor ? supportsColor.level : 0;
  return new Chalk({ level });
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function addOutputOptions(command: Command, { verbose }: { verbose: boolean }): Command {
  command
    .option('--reporter <name[=file]>', 'human | json | junit | markdown | github | html, to stdout or to a file (repeatable)', collect)
    .option('--json', 'print one JSON document on stdout (same as --reporter json)')
    .option('--no-color', 'plain text (also when NO_COLOR is set or stdout is not a terminal)')
    .addOption(new Option('--timing', 'show wall times in the human report (default: only on a terminal)'))
    .addOption(new Option('--no-timing', 'hide wall times'))
    .addOption(new Option('--plot', 'draw each claim’s curves under it in the terminal (default: on a terminal, when claims are shown one by one)'))
    .addOption(new Option('--no-plot', 'draw no curves'));
  if (verbose) command.option('--verbose', 'print every claim’s checks and figures after the table');
  return command;
}

function addRunOptions(command: Command, { replay }: { replay: boolean }): Command {
  command
    .option('--seed <n>', `run seed, an integer from 0 to 4294967295 (default: ${DEFAULT_SEED})`)
    .option('--trials <n>', 'trials per claim (default: each claim’s own)')
    .option('--only <ids>', 'claims to run: ids (1.2), questions (1.x) or subcommands, comma-separated')
    .option('--shard <i/n>', 'run only the trials k with k mod n = i − 1 (merge the shards with hwcheck merge)')
    .option('--max-time <seconds>', 'stop drawing new trials after this long; the verdict covers the trials that ran')
    .option('--no-shrink', 'do not look for the smallest failing configuration after a failure')
    .option('--workers <n>', 'run the trials on n worker threads, or auto for one per core; the results are the same (default: 1)');
  if (replay) {
    command
      .option('--trial <k>', 'replay trial k alone (as printed after a failure)')
      .option('--dump <file>', 'with --trial: write the trial’s inputs and both sides of every check as JSON');
  }
  return addOutputOptions(command, { verbose: !replay });
}

interface Prepared {
  command: RegisteredCommand;
  given: Readonly<Record<string, string | undefined>>;
  run: ReturnType<RegisteredCommand['prepare']>;
}

/** Columns for --plot: the terminal's width, else $COLUMNS, else 80. */
function plotWidth(io: Io): number {
  if (io.stdoutIsTTY && io.columns !== undefined && io.columns > 0) return io.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
}

/**
 * Whether the human report draws plots: always with --plot, never with --no-plot, and by
 * default only on a terminal and where claims are shown one by one (not under the `all` table).
 */
function plotStyle(report: RunReport, flags: OutputOptions, io: Io, toStdout: boolean): HumanOptions['plot'] {
  const blocks = !(report.command === 'all' || report.command === 'merge') || flags.verbose === true;
  const wanted = flags.plot ?? (toStdout && io.stdoutIsTTY && blocks);
  return wanted ? { width: toStdout ? plotWidth(io) : 100, unicode: isUtf8Terminal(io.env) } : undefined;
}

/** Renders the report with every requested reporter and writes it where it belongs. */
async function emit(report: RunReport, flags: OutputOptions, targets: ReturnType<typeof resolveTargets>, io: Io): Promise<number> {
  const render: RenderOptions = { chalk: chalkFor(io, flags.color !== false), timing: flags.timing ?? io.stdoutIsTTY };
  for (const target of targets) {
    const options = target.path === null ? render : { chalk: new Chalk({ level: 0 }), timing: true };
    const text =
      target.reporter === 'human'
        ? humanReport(report, { ...options, verbose: flags.verbose === true, plot: plotStyle(report, flags, io, target.path === null) })
        : target.reporter === 'html'
          ? await htmlReport(report, options)
          : REPORTERS[target.reporter](report, options);
    deliver(target, text, io.stdout);
  }
  return exitCodeOf(report);
}

function outputTargets(flags: OutputOptions, io: Io) {
  const targets = resolveTargets(flags.reporter ?? [], flags.json === true, io.env);
  for (const target of targets) {
    if (target.path !== null) assertWritable(target.path, target.append ? 'the GitHub step summary' : `the ${target.reporter} report`);
  }
  return targets;
}

async function runCommand(commandName: string, prepared: readonly Prepared[], flags: CommonFlags, io: Io): Promise<number> {
  const started = performance.now();
  const seed = parseFlag('--seed', flags.seed, integerValue(0, 2 ** 32 - 1)) ?? DEFAULT_SEED;
  // Up to 10¹⁵ parses, so that a refusal of too many trials can say how long they would take.
  const trials = parseFlag('--trials', flags.trials, integerValue(1, 1e15));
  const trial = parseFlag('--trial', flags.trial, integerValue(0, 2 ** 31 - 1));
  const shard = parseFlag('--shard', flags.shard, parseShard);
  const maxTime = parseFlag('--max-time', flags.maxTime, realValue({ min: 0, minExclusive: true, max: 1e6, symbol: 'seconds' }));
  const workers = parseFlag('--workers', flags.workers, parseWorkers) ?? 1;
  if (flags.dump !== undefined && trial === undefined) throw new UsageError(`--dump ${flags.dump} needs --trial K: it records one trial`);
  if (shard !== undefined && trial !== undefined) throw new UsageError(`--shard ${flags.shard} cannot be combined with --trial: a replay runs one trial`);
  const targets = outputTargets(flags, io);
  if (flags.dump !== undefined) assertWritable(flags.dump, '--dump');

  const sources: ClaimSource[] = selectClaims(
    prepared.flatMap(({ command, given, run }) => run.claims.map((claim) => ({ id: claim.id, command: claim.command, source: { claim, command, given } }))),
    flags.only,
  ).map((selected) => selected.source);

  guardTime(sources, { trials, trial, shard, maxTime, flags }, io);

  if (flags.dump !== undefined && trial !== undefined) {
    const dumps = sources.map(({ claim }) => dumpTrial(claim, seed, trial));
    writeAtomically(flags.dump, `${JSON.stringify({ tool: 'hwcheck', schemaVersion: 1, version: VERSION, seed, trial, claims: dumps }, null, 2)}\n`);
  }
  const progress = await createProgress(io.progressStream, { unicode: isUtf8Terminal(io.env) });
  let results: ClaimResult[];
  try {
    results = await runSessionInParallel(sources, { seed, trials, trial, shard, maxTimeSeconds: maxTime, shrink: flags.shrink !== false, onProgress: progress.update, workers, signal: io.signal });
  } finally {
    // The bar is cleared before anything else is printed.
    progress.stop();
  }
  const parameters: RunReport['parameters'] = {};
  for (const { command, run } of prepared) {
    if (sources.some((s) => s.command === command)) parameters[command.name] = run.params;
  }
  const report = buildReport(commandName, seed, results, parameters, started, {
    trials: trials ?? null,
    trial: trial ?? null,
    options: {
      only: flags.only ?? null,
      shard: shard === undefined ? null : `${shard.index}/${shard.count}`,
      maxTime: maxTime ?? null,
      shrink: flags.shrink !== false,
      ...(io.signal?.aborted === true ? { interrupted: true } : {}),
    },
  });
  if (io.signal?.aborted !== true) return emit(report, flags, targets, io);
  // Stopped: the summary of what finished goes to the terminal; no report file is written, since a
  // file that covers part of the run could pass for the whole of it.
  await emit(report, flags, targets.filter((target) => target.path === null), io);
  return INTERRUPTED_EXIT_CODE;
}

/** The most trials a claim may run. */
const MAX_TRIALS = 1_000_000;

/** How many trials of a claim the run draws, without listing them (there may be 10¹⁵). */
function trialCount(claim: PreparedClaim, trials: number | undefined, trial: number | undefined, shard: Shard | undefined): number {
  if (trial !== undefined) return 1;
  const total = trials ?? claim.trials;
  if (shard === undefined) return total;
  return Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count));
}

/**
 * Refuses, before any work, a run that would take more than an hour (a single trial, always; the
 * whole run, unless --max-time bounds it, in which case it only warns), and too many trials,
 * saying how long they would take.
 */
function guardTime(
  sources: readonly ClaimSource[],
  run: { trials: number | undefined; trial: number | undefined; shard: Shard | undefined; maxTime: number | undefined; flags: CommonFlags },
  io: Io,
): void {
  const planned = [...new Set(sources.map((s) => s.command))].map((command) => {
    const mine = sources.filter((s) => s.command === command);
    return {
      command,
      given: mine[0]?.given ?? {},
      trials: Math.max(...mine.map((s) => trialCount(s.claim, run.trials, run.trial, run.shard))),
    };
  });
  const estimate = estimateRun(planned);
  if (run.trials !== undefined && run.trials > MAX_TRIALS) {
    throw new UsageError(
      `invalid value ${JSON.stringify(run.flags.trials)} for --trials: expected an integer from 1 to ${MAX_TRIALS} (this run would take about ${formatSeconds(estimate.seconds)})`,
    );
  }
  if (estimate.seconds <= TIME_LIMIT_SECONDS) return;
  const given = [...new Set(sources.flatMap(({ command, given }) => command.options.filter((o) => given[o.key] !== undefined).map((o) => `${o.flag} ${given[o.key]}`)))];
  const trialsText = run.trials === undefined ? '' : `--trials ${run.flags.trials}`;
  const what = [...given, trialsText].filter((w) => w !== '').join(' ') || 'these options';
  if (estimate.trialSeconds > TIME_LIMIT_SECONDS) {
    throw new UsageError(`${what}: one trial would take about ${formatSeconds(estimate.trialSeconds)} (estimated from the sizes); choose smaller sizes`);
  }
  if (run.maxTime === undefined) {
    throw new UsageError(`${what}: the run would take about ${formatSeconds(estimate.seconds)} (estimated from the sizes and trials); use fewer trials or smaller sizes, or bound it with --max-time SECONDS`);
  }
  io.stderr(`hwcheck: warning: the run would take about ${formatSeconds(estimate.seconds)}; --max-time ${run.maxTime} stops it after about ${formatSeconds(run.maxTime)}\n`);
}

function buildReport(
  command: string,
  seed: number,
  claims: ClaimResult[],
  parameters: RunReport['parameters'],
  started: number,
  rest: Pick<RunReport, 'trials' | 'trial' | 'options'>,
): RunReport {
  return {
    tool: 'hwcheck',
    schemaVersion: 1,
    version: VERSION,
    command,
    seed,
    ...rest,
    parameters,
    claims,
    summary: summarize(claims, performance.now() - started),
  };
}

function givenOptions(command: RegisteredCommand, flags: Record<string, unknown>, options: readonly Option[]): Record<string, string | undefined> {
  const given: Record<string, string | undefined> = {};
  command.options.forEach((spec, index) => {
    const value = flags[options[index]?.attributeName() ?? spec.key];
    if (typeof value === 'string') given[spec.key] = value;
  });
  return given;
}

function listText(commands: readonly RegisteredCommand[], json: boolean): string {
  if (json) {
    const described = commands.map((command) => ({
      name: command.name,
      summary: command.summary,
      options: command.options.map((spec) => spec.flag),
      claims: command.claims.map(({ id, title, equations, trials }) => ({ id, title, equations, trials })),
    }));
    return `${JSON.stringify({ tool: 'hwcheck', schemaVersion: 1, version: VERSION, commands: described }, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const command of commands) {
    lines.push(`${command.name} — ${command.summary}`);
    for (const claim of command.claims) {
      const equations = claim.equations.length > 0 ? ` [eqs ${claim.equations.join(', ')}]` : '';
      lines.push(`  ${claim.id.padEnd(4)} ${claim.title}${equations}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the commander program over a registry; each action stores its exit code in `result`. */
function buildProgram(io: Io, result: { code: number }, commands: readonly RegisteredCommand[]): Command {
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
        '  hwcheck all                    every claim at its defaults',
        '  hwcheck vanish --delta 0.9     claims 1.2 and 1.3',
        '  hwcheck all --reporter junit=report.xml --reporter github     in CI',
        '  hwcheck list                   the claims and the equations they cover',
        '  hwcheck <command> --help       options of one subcommand',
      ].join('\n'),
    );

  for (const registered of commands) {
    const command = program.command(registered.name).summary(registered.summary).description(registered.description);
    const options = registered.options.map((spec) => new Option(`${spec.flag} <${spec.valueName}>`, spec.description));
    for (const option of options) command.addOption(option);
    addRunOptions(command, { replay: true });
    command.addHelpText('after', `\nExamples:\n${registered.examples.map((e) => `  ${e}`).join('\n')}\n`);
    command.action(async (flags: CommonFlags & Record<string, unknown>) => {
      const given = givenOptions(registered, flags, options);
      result.code = await runCommand(registered.name, [{ command: registered, given, run: registered.prepare(given) }], flags, io);
    });
  }

  addRunOptions(program.command('all').summary('every claim of every subcommand, at its defaults'), { replay: false })
    .description('Runs every registered claim with its subcommand’s defaults and prints one table.')
    .addHelpText(
      'after',
      '\nExamples:\n  hwcheck all\n  hwcheck all --only 1.x,momentum --json\n  hwcheck all --reporter junit=report.xml --reporter github\n  hwcheck all --shard 1/2 --json > a.json; hwcheck all --shard 2/2 --json > b.json; hwcheck merge a.json b.json\n',
    )
    .action(async (flags: CommonFlags) => {
      const prepared = commands.map((command) => ({ command, given: {}, run: command.prepare({}) }));
      result.code = await runCommand('all', prepared, flags, io);
    });

  addOutputOptions(program.command('merge').summary('merge the JSON reports of shards into one report'), { verbose: true })
    .argument('<files...>', 'JSON reports of the shards of one run (--shard i/n)')
    .description('Merges JSON reports of shards (same seed and options, --shard i/n) into the report one run over all their trials gives.')
    .addHelpText('after', '\nExample:\n  hwcheck all --shard 1/2 --json > a.json\n  hwcheck all --shard 2/2 --json > b.json\n  hwcheck merge a.json b.json --reporter junit=report.xml\n')
    .action(async (files: string[], flags: OutputOptions) => {
      const started = performance.now();
      const targets = outputTargets(flags, io);
      const reports = files.map((path) => {
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${path}: ${error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'}`);
        }
        return { path, report: parseReport(path, text) };
      });
      const claims = mergeReports(reports);
      const first = reports[0]?.report;
      const report = buildReport('merge', first?.seed ?? DEFAULT_SEED, claims, first?.parameters ?? {}, started, {
        trials: first?.trials ?? null,
        trial: null,
        options: { only: first?.options?.only ?? null, shard: null, maxTime: first?.options?.maxTime ?? null, shrink: first?.options?.shrink ?? true },
      });
      result.code = await emit(report, flags, targets, io);
    });

  program
    .command('audit')
    .summary('a computed verdict for every numbered equation of the written answer')
    .description(
      'Evaluates each numbered equation of the written answer as written, on random and adversarial cases (smallest first): holds, refuted (with the smallest counterexample found), holds as corrected (false as written, true after a typo-level correction), or not checkable (a definition or notation). Prose conclusions are audited too.',
    )
    .option('--equation <n>', 'show one equation in full, with its whole counterexample')
    .option('--seed <n>', `seed of the cases, an integer from 0 to 4294967295 (default: ${DEFAULT_SEED})`)
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'plain text (also when NO_COLOR is set or stdout is not a terminal)')
    .addHelpText('after', '\nExit codes: 0 nothing refuted · 1 the audit refuted an equation or a conclusion · 2 usage error.\n\nExamples:\n  hwcheck audit\n  hwcheck audit --equation 27\n  hwcheck audit --json\n')
    .action(async (flags: { equation?: string; seed?: string; json?: boolean; color?: boolean }) => {
      // Loaded here: no other command needs the audit's hundred-odd statements.
      const [{ EQUATIONS, auditExitCode, runAudit }, { humanAudit, humanEquation }] = await Promise.all([import('./audit/index.js'), import('./report/audit.js')]);
      const seed = parseFlag('--seed', flags.seed, integerValue(0, 2 ** 32 - 1)) ?? DEFAULT_SEED;
      const numbers = EQUATIONS.map((e) => e.number);
      const equation = parseFlag('--equation', flags.equation, (text) => {
        const value = integerValue(1, Number.MAX_SAFE_INTEGER)(text);
        if (!numbers.includes(value)) throw new InvalidValue(`an equation number from ${Math.min(...numbers)} to ${Math.max(...numbers)}`);
        return value;
      });
      const report = runAudit({ seed, equation });
      const chalk = chalkFor(io, flags.color !== false);
      const only = report.equations[0];
      if (flags.json === true) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout(equation !== undefined && only !== undefined ? humanEquation(only, chalk) : humanAudit(report, chalk));
      result.code = auditExitCode(report);
    });

  program
    .command('list')
    .summary('the claims, their ids and the equations they cover')
    .option('--json', 'print one JSON document on stdout')
    .action((flags: { json?: boolean }) => {
      io.stdout(listText(commands, flags.json === true));
      result.code = 0;
    });

  return program;
}

/**
 * Runs the CLI on user arguments (without node and script) and returns the exit code.
 * `commands` is the registry; tests pass one holding a deliberately broken claim.
 */
export async function main(argv: readonly string[], io: Io, commands: readonly RegisteredCommand[] = COMMANDS): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result, commands);
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
