/**
 * npm run bench: hwcheck's benchmark (never run by npm test). It measures, after a warm-up and
 * as medians of several runs:
 *   - the linear-algebra kernels (ms and GFLOP/s), next to ml-matrix's own mmul;
 *   - every claim at its defaults and at a large workload (ms per trial, trials per second);
 *   - the matrix-free check of claims 1.2–1.3 at n = 64…512 (its cost should grow like n², the
 *     full check's like n³);
 *   - whole processes, node's start included: hwcheck --version, hwcheck all, a large vanish run,
 *     and a trial-heavy run with --workers 1 and 2;
 * and prints one table per part and the targets of issue 9 against what it measured.
 * `--json FILE` writes the same figures to FILE; `--quick` runs fewer repetitions.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/claims/index.js';
import { ACTIVATIONS, applyElementwise } from '../src/num/activation.js';
import { fastSpectralNorm, multiply, multiplyTransposedVector, multiplyVector, scaledProduct } from '../src/num/kernels.js';
import { createRng, gaussianMatrix, gaussianVector } from '../src/num/random.js';
import { jacobianTimes } from '../src/num/rnn.js';
import { runClaim } from '../src/run/runner.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonIndex = argv.indexOf('--json');
const jsonPath = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
if (jsonIndex >= 0 && (jsonPath === undefined || jsonPath.startsWith('--'))) {
  process.stderr.write('bench: --json needs a file name\n');
  process.exit(2);
}

const BIN = fileURLToPath(new URL('../../bin/hwcheck.js', import.meta.url));

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const format = (x: number, digits = 3): string => (Number.isFinite(x) ? (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(digits)) : '—');

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${rows.map(line).join('\n')}\n`);
}

/** Median ms of one call of `work`, each sample long enough (≥ 20 ms) to time, after a warm-up of ≥ 200 ms. */
function timeKernel(work: () => void): number {
  const warmUntil = performance.now() + (quick ? 50 : 200);
  let calls = 0;
  while (performance.now() < warmUntil || calls < 3) {
    work();
    calls++;
  }
  const started = performance.now();
  work();
  const once = Math.max(performance.now() - started, 1e-3);
  const repeat = Math.max(1, Math.ceil(20 / once));
  const samples: number[] = [];
  for (let s = 0; s < (quick ? 5 : 9); s++) {
    const t = performance.now();
    for (let r = 0; r < repeat; r++) work();
    samples.push((performance.now() - t) / repeat);
  }
  return median(samples);
}

// ─── Kernels ─────────────────────────────────────────────────────────────────────────────

interface KernelRow {
  kernel: string;
  n: number;
  ms: number;
  gflops: number | null;
}

function kernels(): KernelRow[] {
  const rows: KernelRow[] = [];
  const rng = createRng('bench/kernels');
  for (const n of [16, 64, 256]) {
    const a = gaussianMatrix(rng, n, n);
    const b = gaussianMatrix(rng, n, n);
    const x = gaussianVector(rng, n);
    const y = new Float64Array(n);
    const d = gaussianVector(rng, n);
    const add = (kernel: string, flops: number | null, work: () => void) => {
      const ms = timeKernel(work);
      rows.push({ kernel, n, ms, gflops: flops === null ? null : flops / (ms * 1e6) });
    };
    add('A·B (multiply)', 2 * n ** 3, () => multiply(a, b));
    add('A·B (ml-matrix mmul)', 2 * n ** 3, () => a.mmul(b));
    add('diag(d)·W·J (Jacobian step)', 2 * n ** 3 + n * n, () => scaledProduct(d, a, b));
    add('A·x', 2 * n * n, () => multiplyVector(a, x, y));
    add('Aᵀ·x', 2 * n * n, () => multiplyTransposedVector(a, x, y));
    // J_t·v for t = 1…20 through the factors (matrix-free): 20 products and 20 scalings.
    const derivatives = Array.from({ length: 20 }, () => applyElementwise(ACTIVATIONS.tanh.derivative, gaussianVector(rng, n)));
    add('J_t·v, t = 1…20 (matrix-free)', 20 * (2 * n * n + n), () => jacobianTimes(a, derivatives, x));
    if (n <= 64) add('‖A‖ (√λ₁ of the Gram matrix)', null, () => fastSpectralNorm(a));
  }
  return rows;
}

// ─── Claims ──────────────────────────────────────────────────────────────────────────────

interface ClaimRow {
  claim: string;
  workload: string;
  trials: number;
  msPerTrial: number;
  trialsPerSecond: number;
}

/** Each subcommand's large workload: the option texts a user who wants more would type. */
const LARGE: Record<string, Record<string, string>> = {
  'rnn-equiv': { dim: '128', steps: '200' },
  vanish: { dim: '64', steps: '100' },
  momentum: { dim: '64', steps: '1000', samples: '10000' },
  taylor: { dim: '64' },
  weightnorm: { dim: '64', batch: '256' },
};

function describeWorkload(given: Record<string, string>): string {
  const entries = Object.entries(given);
  return entries.length === 0 ? 'defaults' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

function measureClaims(given: (command: string) => Record<string, string>, trials: (defaultTrials: number) => number, runs: number): ClaimRow[] {
  const rows: ClaimRow[] = [];
  for (const command of COMMANDS) {
    const options = given(command.name);
    for (const claim of command.prepare(options).claims) {
      const count = trials(claim.trials);
      runClaim(claim, { seed: 99, trials: count });
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        runClaim(claim, { seed: 1 + r, trials: count });
        samples.push((performance.now() - t) / count);
      }
      const ms = median(samples);
      rows.push({ claim: claim.id, workload: describeWorkload(options), trials: count, msPerTrial: ms, trialsPerSecond: 1000 / ms });
    }
  }
  return rows;
}

// ─── The matrix-free check against n ─────────────────────────────────────────────────────

interface ScalingRow {
  method: string;
  n: number;
  steps: number;
  msPerTrial: number;
  /** This n's time over the previous n's (2× n): ≈ 4 for n², ≈ 8 for n³. */
  growth: number | null;
}

function scaling(): ScalingRow[] {
  const rows: ScalingRow[] = [];
  const vanish = COMMANDS.find((c) => c.name === 'vanish');
  if (vanish === undefined) return rows;
  const plans: [string, number[]][] = [
    ['matrix-free', [64, 128, 256, 512]],
    ['full', quick ? [32, 64] : [32, 64, 128]],
  ];
  for (const [method, sizes] of plans) {
    let previous: number | null = null;
    for (const n of sizes) {
      const claims = vanish.prepare({ dim: String(n), steps: '100', method }).claims;
      const runs = n >= 256 || (method === 'full' && n >= 128) ? 1 : quick ? 2 : 3;
      // Warm-up on the smallest size only: the code is the same at every n.
      if (previous === null) for (const claim of claims) runClaim(claim, { seed: 99, trials: 1 });
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        for (const claim of claims) runClaim(claim, { seed: 1 + r, trials: 1 });
        samples.push(performance.now() - t);
      }
      const ms = median(samples);
      rows.push({ method, n, steps: 100, msPerTrial: ms, growth: previous === null ? null : ms / previous });
      previous = ms;
    }
  }
  return rows;
}

// ─── Whole processes ─────────────────────────────────────────────────────────────────────

interface ProcessRow {
  command: string;
  runs: number;
  medianMs: number;
  minMs: number;
}

function timeProcess(args: string[], runs: number): ProcessRow {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    samples.push(performance.now() - t);
    if (result.status !== 0) throw new Error(`hwcheck ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  }
  return { command: `hwcheck ${args.join(' ')}`, runs, medianMs: median(samples), minMs: Math.min(...samples) };
}

/**
 * What the machine gives two threads at once: the same process run alone, then two copies at the
 * same time. On a free 2-core machine two copies take as long as one (capacity 2); a shared or
 * hyper-threaded one gives less, and no --workers speed-up can beat it.
 */
async function parallelCapacity(args: string[]): Promise<{ aloneMs: number; twoAtOnceMs: number; capacity: number }> {
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`hwcheck ${args.join(' ')} exited with ${code}`))));
    });
  let t = performance.now();
  await once();
  const aloneMs = performance.now() - t;
  t = performance.now();
  await Promise.all([once(), once()]);
  const twoAtOnceMs = performance.now() - t;
  return { aloneMs, twoAtOnceMs, capacity: (2 * aloneMs) / twoAtOnceMs };
}

// ─── Main ────────────────────────────────────────────────────────────────────────────────

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memoryGB: Number((totalmem() / 1e9).toFixed(1)),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
process.stdout.write(`hwcheck benchmark · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGB} GB · Node ${machine.node} · ${machine.platform}${quick ? ' · --quick' : ''}\n`);

const kernelRows = kernels();
table(
  'Kernels (median ms per call after a warm-up; GFLOP/s = floating-point operations / time)',
  ['kernel', 'n', 'ms', 'GFLOP/s'],
  kernelRows.map((r) => [r.kernel, String(r.n), format(r.ms), r.gflops === null ? '—' : format(r.gflops)]),
);

const claimRuns = quick ? 3 : 5;
const defaults = measureClaims(() => ({}), (t) => t, claimRuns);
const large = measureClaims((name) => LARGE[name] ?? {}, (t) => Math.max(1, Math.min(t, 5)), quick ? 1 : 3);
table(
  'Claims (median ms per trial after a warm-up run; defaults and a large workload)',
  ['claim', 'workload', 'trials', 'ms/trial', 'trials/s'],
  [...defaults, ...large].map((r) => [r.claim, r.workload, String(r.trials), format(r.msPerTrial), format(r.trialsPerSecond)]),
);

const scalingRows = scaling();
table(
  'Claims 1.2 + 1.3, one trial each, T = 100 (growth: time over the time at n/2; n² gives 4, n³ gives 8)',
  ['method', 'n', 'ms/trial', 'growth'],
  scalingRows.map((r) => [r.method, String(r.n), format(r.msPerTrial), r.growth === null ? '' : `×${format(r.growth, 2)}`]),
);

const heavy = ['weightnorm', '--only', '4.1', '--trials', quick ? '100' : '300'];
const processes = [
  timeProcess(['--version'], quick ? 5 : 11),
  timeProcess(['all'], quick ? 3 : 7),
  timeProcess(['vanish', '--dim', '512', '--steps', '100', '--trials', '1'], quick ? 1 : 3),
  timeProcess([...heavy, '--workers', '1'], quick ? 1 : 3),
  timeProcess([...heavy, '--workers', '2'], quick ? 1 : 3),
];
table(
  'Whole processes (node start included; median and fastest of the runs)',
  ['command', 'runs', 'median ms', 'min ms'],
  processes.map((p) => [p.command, String(p.runs), format(p.medianMs), format(p.minMs)]),
);

const capacity = await parallelCapacity([...heavy, '--workers', '1']);
process.stdout.write(
  `\nParallel capacity of this machine: one \`${heavy.join(' ')}\` alone ${format(capacity.aloneMs)} ms, two at once ${format(capacity.twoAtOnceMs)} ms: ×${format(capacity.capacity, 3)} the work per unit of time (a free 2-core machine gives ×2)\n`,
);

const [version, all, vanish512, oneWorker, twoWorkers] = processes as [ProcessRow, ProcessRow, ProcessRow, ProcessRow, ProcessRow];
const product64 = kernelRows.find((r) => r.kernel === 'A·B (multiply)' && r.n === 64);
const matvec64 = kernelRows.find((r) => r.kernel === 'A·x' && r.n === 64);
const jacobian64 = kernelRows.find((r) => r.kernel.startsWith('diag(d)') && r.n === 64);
const freeRows = scalingRows.filter((r) => r.method === 'matrix-free' && r.growth !== null);
const speedUp = oneWorker.medianMs / twoWorkers.medianMs;
const targets = [
  { target: 'hwcheck all ≤ 1000 ms', measured: `${format(all.medianMs)} ms`, met: all.medianMs <= 1000 },
  { target: 'A·B, A·x, Jacobian step ≥ 1.5 GFLOP/s at n = 64', measured: [product64, matvec64, jacobian64].map((r) => format(r?.gflops ?? Number.NaN)).join(', '), met: [product64, matvec64, jacobian64].every((r) => (r?.gflops ?? 0) >= 1.5) },
  { target: 'vanish --dim 512 --steps 100 --trials 1 ≤ 5000 ms', measured: `${format(vanish512.medianMs)} ms`, met: vanish512.medianMs <= 5000 },
  { target: 'matrix-free cost grows like n² (×≈4 per doubling)', measured: freeRows.map((r) => `×${format(r.growth ?? Number.NaN, 2)}`).join(', '), met: freeRows.every((r) => (r.growth ?? 99) < 6) },
  { target: 'hwcheck --version ≤ 150 ms', measured: `${format(version.medianMs)} ms`, met: version.medianMs <= 150 },
  { target: `--workers 2 ≥ 1.7× faster (${heavy.join(' ')})`, measured: `×${format(speedUp, 3)} (machine: ×${format(capacity.capacity, 3)})`, met: speedUp >= 1.7 },
];
table(
  'Targets of issue 9',
  ['target', 'measured', 'met'],
  targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'no']),
);

if (jsonPath !== undefined) {
  const document = { tool: 'hwcheck-bench', machine, quick, kernels: kernelRows, claims: [...defaults, ...large], scaling: scalingRows, processes, parallelCapacity: capacity, workersSpeedUp: speedUp, targets };
  writeFileSync(jsonPath, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`\nwrote ${jsonPath}\n`);
}
