import { rnnEquivCommand } from './rnn-equiv.js';
import type { RegisteredCommand } from './subcommand.js';
import { vanishCommand } from './vanish.js';

/** Every subcommand that runs claims, in the order of the homework's questions. */
export const COMMANDS: readonly RegisteredCommand[] = [rnnEquivCommand, vanishCommand];

export function findCommand(name: string): RegisteredCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
