import type { Rng } from '../num/random.js';
import { type OptionSpec, UsageError, nonDefaultArguments, resolveOptions } from '../options.js';
import type { PreparedClaim, TrialOutcome } from './types.js';

/** One claim of the homework: data plus one pure trial function over validated parameters. */
export interface ClaimDefinition<P> {
  id: string;
  title: string;
  equations: readonly number[];
  /** Trials run when the user gives no --trials. */
  trials: number;
  trial(rng: Rng, params: P): TrialOutcome;
}

/** A subcommand: its options, their defaults, and the claims it runs. */
export interface Subcommand<P extends object> {
  name: string;
  /** One line for `hwcheck --help` and `hwcheck list`. */
  summary: string;
  /** Shown in the subcommand's --help. */
  description: string;
  examples: readonly string[];
  options: readonly OptionSpec[];
  defaults: P;
  claims: readonly ClaimDefinition<P>[];
  /** Checks that involve several options at once; throws UsageError. */
  validate?(params: P): void;
  /** The memory the largest trial needs, in bytes, so that impossible sizes are refused up front. */
  estimateBytes(params: P): number;
  /**
   * About how long one trial of each claim takes, in seconds: the leading terms of its cost, with
   * constants timed on the reference machine (2 cores, Node 20). Within a small factor elsewhere,
   * which is all a refusal of hours of work needs.
   */
  trialSeconds(params: P): number;
}

/** What the CLI, `list` and `all` see of a subcommand, whatever its parameter type. */
export interface RegisteredCommand {
  name: string;
  summary: string;
  description: string;
  examples: readonly string[];
  options: readonly OptionSpec[];
  claims: readonly { id: string; title: string; equations: readonly number[]; trials: number }[];
  /** Validates the given option texts and binds the parameters into runnable claims. */
  prepare(given: Readonly<Record<string, string | undefined>>): PreparedRun;
  /** About how long one trial of each claim takes with these option texts, in seconds. */
  trialSeconds(given: Readonly<Record<string, string | undefined>>): number;
  /** The memory guard's estimate for these option texts, in bytes. */
  estimateBytes(given: Readonly<Record<string, string | undefined>>): number;
}

export interface PreparedRun {
  /** The resolved parameters, for reports. */
  params: Readonly<Record<string, unknown>>;
  claims: PreparedClaim[];
}

/** Above this, a run is refused before it starts rather than crashing out of memory. */
export const MEMORY_LIMIT_BYTES = 1e9;

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toPrecision(3)} ${units[unit]}`;
}

/** A claim with its parameters bound, ready for the runner. */
export function bindClaim<P>(claim: ClaimDefinition<P>, params: P, command: string, replayArgs: readonly string[] = []): PreparedClaim {
  return {
    id: claim.id,
    command,
    title: claim.title,
    equations: claim.equations,
    trials: claim.trials,
    trial: (rng: Rng) => claim.trial(rng, params),
    replayArgs,
  };
}

export function registerSubcommand<P extends object>(subcommand: Subcommand<P>): RegisteredCommand {
  return {
    name: subcommand.name,
    summary: subcommand.summary,
    description: subcommand.description,
    examples: subcommand.examples,
    options: subcommand.options,
    claims: subcommand.claims.map(({ id, title, equations, trials }) => ({ id, title, equations, trials })),
    trialSeconds(given) {
      return subcommand.trialSeconds(resolveOptions(subcommand.options, subcommand.defaults, given));
    },
    estimateBytes(given) {
      return subcommand.estimateBytes(resolveOptions(subcommand.options, subcommand.defaults, given));
    },
    prepare(given) {
      const params = resolveOptions(subcommand.options, subcommand.defaults, given);
      subcommand.validate?.(params);
      const bytes = subcommand.estimateBytes(params);
      if (!(bytes <= MEMORY_LIMIT_BYTES)) {
        const sizes = subcommand.options
          .filter((spec) => given[spec.key] !== undefined)
          .map((spec) => `${spec.flag} ${given[spec.key]}`)
          .join(' ');
        throw new UsageError(
          `${sizes === '' ? 'these options' : sizes} would need about ${formatBytes(bytes)} of matrices per trial (limit ${formatBytes(MEMORY_LIMIT_BYTES)}); choose smaller sizes`,
        );
      }
      const replayArgs = nonDefaultArguments(subcommand.options, subcommand.defaults, params);
      return {
        params: { ...params } as Readonly<Record<string, unknown>>,
        claims: subcommand.claims.map((claim) => bindClaim(claim, params, subcommand.name, replayArgs)),
      };
    },
  };
}
