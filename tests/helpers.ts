import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredCommand } from '../src/claims/subcommand.js';
import { main } from '../src/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, plain text and a chosen environment. */
export async function runCli(args: readonly string[], options: { env?: Record<string, string>; commands?: readonly RegisteredCommand[] } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { NO_COLOR: '1', ...options.env },
      stdoutIsTTY: false,
    },
    options.commands,
  );
  return { code, stdout, stderr };
}

export function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'hwcheck-test-'));
}

/** A JSON report without the fields that measure time. */
export function withoutTimes(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'ms' || key.endsWith('Ms') ? undefined : value));
}
