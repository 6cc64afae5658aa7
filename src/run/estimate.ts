import type { RegisteredCommand } from '../claims/subcommand.js';

/** A run longer than this is refused up front (or, with --max-time, run with a warning). */
export const TIME_LIMIT_SECONDS = 3600;

export interface PlannedCommand {
  command: RegisteredCommand;
  given: Readonly<Record<string, string | undefined>>;
  /** The most trials any of its selected claims will draw. */
  trials: number;
}

export interface RunEstimate {
  /** The whole run, in seconds. */
  seconds: number;
  /** The slowest single trial (one of each claim of a subcommand), in seconds. */
  trialSeconds: number;
}

/** How long a run will take, from each subcommand's cost model (see Subcommand.trialSeconds). */
export function estimateRun(planned: readonly PlannedCommand[]): RunEstimate {
  let seconds = 0;
  let trialSeconds = 0;
  for (const { command, given, trials } of planned) {
    const one = command.trialSeconds(given);
    seconds += one * trials;
    trialSeconds = Math.max(trialSeconds, one);
  }
  return { seconds, trialSeconds };
}

/** 95 s, 12 min, 2.8 h, 31 days, 1175 years, 4.2e6 years. */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 3 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  const days = seconds / 86400;
  if (days < 1000) return `${Math.round(days)} days`;
  const years = days / 365.25;
  return years < 1e4 ? `${Math.round(years)} years` : `${years.toExponential(1).replace('e+', 'e')} years`;
}
