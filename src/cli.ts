import { VERSION } from './version.js';

const argv = process.argv.slice(2);
// `hwcheck --version` needs none of the claims, commander or chalk: answer before loading them
// (the version printed is the same one commander's `-V, --version` prints).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
    progressStream: process.stderr,
  });
}
