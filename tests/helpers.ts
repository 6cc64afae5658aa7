import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix } from 'ml-matrix';
import type { RegisteredCommand } from '../src/claims/subcommand.js';
import type { PreparedClaim } from '../src/claims/types.js';
import { ACTIVATIONS } from '../src/num/activation.js';
import { runOnActivations } from '../src/num/rnn.js';
import { type SmoothFunction, logSumExp, softplusSum } from '../src/num/smooth.js';
import { type TrialDump, dumpTrial } from '../src/run/runner.js';
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

/** bin/hwcheck.js, the file `npm ci` links as the `hwcheck` command. */
export const BIN = fileURLToPath(new URL('../bin/hwcheck.js', import.meta.url));

export interface SpawnedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/hwcheck.js in a child process with NO_COLOR=1 (end-to-end: the real entry point). */
export function spawnCli(...args: string[]): SpawnedRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking, so that several runs can proceed at once. */
export function spawnCliAsync(...args: string[]): Promise<SpawnedRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The figure of a JSON claim result with this key. */
export function figureOf(claim: { example: { figures: { key: string; value: unknown }[] } | null } | undefined, key: string): unknown {
  return claim?.example?.figures.find((f) => f.key === key)?.value;
}

/**
 * The pre-activations z_1…z_T of claim 1.3's saturated witness (tanh), replayed from trial 0's
 * --dump record, with its W and the record: for tests that recompute the witness's figures by hand.
 */
export function saturatedWitnessRun(claim: PreparedClaim): { record: ReturnType<typeof dumpTrial>; W: Matrix; preactivations: Float64Array[] } {
  const record = dumpTrial(claim, 1, 0);
  const saturated = (record.inputs as { cases: Record<string, { W: number[][]; drive: number[][]; g0: number[] }> }).cases['tanh, saturated witness'];
  if (saturated === undefined) throw new Error('no saturated witness');
  const W = new Matrix(saturated.W);
  const { preactivations } = runOnActivations(W, ACTIVATIONS.tanh, Float64Array.from(saturated.g0), saturated.drive.map((d) => Float64Array.from(d)));
  return { record, W, preactivations };
}

/** gᵀg and gᵀHg of a quadratic model as --dump records it (g a list, H rows), by ml-matrix products. */
export function quadraticForms({ g, H }: { g: number[]; H: number[][] }): { gg: number; gHg: number } {
  const gg = g.reduce((s, x) => s + x * x, 0);
  const gHg = new Matrix([g]).mmul(new Matrix(H)).mmul(Matrix.columnVector(g)).get(0, 0);
  return { gg, gHg };
}

/** What claim 3.3's --dump records of one convex function (`Newton on <name>`). */
export interface NewtonRecord {
  A: number[][];
  b: number[];
  c?: number[];
  ridge: number;
  tilt: number[];
  xStar: number[];
}

/** Claim 3.3's convex function `name`, rebuilt from a trial's --dump record, with the record itself. */
export function recordedNewtonFunction(record: TrialDump, name: 'softplus sum' | 'log-sum-exp'): { recorded: NewtonRecord; f: SmoothFunction } {
  const recorded = (record.inputs as unknown as Record<string, NewtonRecord>)[`Newton on ${name}`];
  if (recorded === undefined) throw new Error(`no record of ${name}`);
  const A = new Matrix(recorded.A);
  const extra = { ridge: recorded.ridge, tilt: Float64Array.from(recorded.tilt) };
  const f = name === 'softplus sum' ? softplusSum(A, Float64Array.from(recorded.b), Float64Array.from(recorded.c ?? []), extra) : logSumExp(A, Float64Array.from(recorded.b), extra);
  return { recorded, f };
}
