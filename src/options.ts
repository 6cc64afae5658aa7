/** A mistake in the command line or its values: reported in one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown by a value parser; the option resolver adds the option's name and the value. */
export class InvalidValue extends Error {
  constructor(readonly expected: string) {
    super(expected);
  }
}

export function invalidValue(flag: string, text: string, expected: string): UsageError {
  return new UsageError(`invalid value ${JSON.stringify(text)} for ${flag}: expected ${expected}`);
}

/** One option of a subcommand: how it is written, parsed and shown. */
export interface OptionSpec {
  /** Property of the parameter object it fills. */
  key: string;
  /** "--dim" */
  flag: string;
  /** "n", shown as "--dim <n>" in the help. */
  valueName: string;
  description: string;
  /** Parses the text given on the command line; throws InvalidValue. */
  parse(text: string): unknown;
  /** For a size (an integer option): the smallest value shrinking may try after a failure. */
  shrinkTo?: number;
}

function parseNumber(text: string): number {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number.NaN;
  return Number(trimmed);
}

/** An integer in [min, max], written in decimal (exponent notation such as 1e3 is accepted). */
export function integerValue(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = parseNumber(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidValue(`an integer from ${min} to ${max}`);
    }
    return value;
  };
}

export interface RealRange {
  min?: number;
  max?: number;
  /** true: the bound itself is excluded. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  symbol?: string;
}

/** "a number with 0 ≤ δ < 1" and the like. */
export function describeRange(range: RealRange): string {
  const symbol = range.symbol ?? 'x';
  const left = range.min === undefined ? '' : `${range.min} ${range.minExclusive ? '<' : '≤'} `;
  const right = range.max === undefined ? '' : ` ${range.maxExclusive ? '<' : '≤'} ${range.max}`;
  if (left === '' && right === '') return 'a finite number';
  return `a number with ${left}${symbol}${right}`;
}

/** A finite real number within a range. */
export function realValue(range: RealRange): (text: string) => number {
  return (text) => {
    const value = parseNumber(text);
    const ok =
      Number.isFinite(value) &&
      (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
      (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
    if (!ok) throw new InvalidValue(describeRange(range));
    // −0 is read as 0 so that it prints and replays as 0.
    return value === 0 ? 0 : value;
  };
}

/** One of a fixed list of words. */
export function choiceValue<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    const found = choices.find((choice) => choice === text.trim().toLowerCase());
    if (found === undefined) throw new InvalidValue(`one of ${choices.join(', ')}`);
    return found;
  };
}

/**
 * Fills a parameter object from the defaults and the options given on the command line,
 * validating each value. `given` maps option keys to the raw text the user wrote.
 */
export function resolveOptions<P extends object>(
  specs: readonly OptionSpec[],
  defaults: P,
  given: Readonly<Record<string, string | undefined>>,
): P {
  const params: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const spec of specs) {
    const text = given[spec.key];
    if (text === undefined) continue;
    try {
      params[spec.key] = spec.parse(text);
    } catch (error) {
      if (error instanceof InvalidValue) throw invalidValue(spec.flag, text, error.expected);
      throw error;
    }
  }
  return params as P;
}

/** The options whose value differs from the default, as command-line words (for replay commands). */
export function nonDefaultArguments<P extends object>(specs: readonly OptionSpec[], defaults: P, params: P): string[] {
  const words: string[] = [];
  const current = params as Record<string, unknown>;
  const original = defaults as Record<string, unknown>;
  for (const spec of specs) {
    const value = current[spec.key];
    if (value === original[spec.key] || value === null || value === undefined) continue;
    words.push(spec.flag, String(value));
  }
  return words;
}
