import { VERSION } from './version.js';

const argv = process.argv.slice(2);
// `hwcheck --version` needs none of the claims, commander or chalk: answer before loading them
// (the version printed is the same one commander's `-V, --version` prints).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { INTERRUPTED_EXIT_CODE, main } = await import('./main.js');
  // Ctrl-C stops the run between trials and prints what finished; a second Ctrl-C quits at once.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
    interrupt.abort();
  });
  // A reader that goes away (`hwcheck all | head`) is not an error of ours: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
    progressStream: process.stderr,
    signal: interrupt.signal,
  });
}
