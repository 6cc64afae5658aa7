import { momentumCommand } from './momentum.js';
import { rnnEquivCommand } from './rnn-equiv.js';
import type { RegisteredCommand } from './subcommand.js';
import { taylorCommand } from './taylor.js';
import { vanishCommand } from './vanish.js';
import { weightnormCommand } from './weightnorm.js';

/** Every subcommand that runs claims, in the order of the homework's questions. */
export const COMMANDS: readonly RegisteredCommand[] = [rnnEquivCommand, vanishCommand, momentumCommand, taylorCommand, weightnormCommand];

export function findCommand(name: string): RegisteredCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
