import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { COMMANDS } from '../claims/index.js';
import type { ClaimResult, PreparedClaim } from '../claims/types.js';
import { InvalidValue } from '../options.js';
import { mergeClaimResults, runClaim, type Shard, trialIndices } from './runner.js';
import type { ClaimSource } from './session.js';

/**
 * Trials on worker threads. Each claim's trials are cut into contiguous chunks; the chunks of all
 * claims form one list that this thread and N − 1 workers drain together, each taking the next
 * chunk from a shared atomic counter (no round trip per chunk); each claim's chunk results are
 * then merged in trial order with the same fold that merges shards. A trial's generator depends
 * only on (seed, claim, trial index) and the fold breaks every tie by the earliest trial, so the
 * merged result is the one a single thread gives, to the last bit (only the `ms` fields, which
 * add the chunks' times, differ).
 */

/** The most threads --workers accepts. */
export const MAX_WORKERS = 256;
/** Chunks per thread and claim: enough to even out trials of unequal cost, few enough to stay cheap. */
const CHUNKS_PER_WORKER = 16;
/**
 * The most trials in a chunk. This thread runs its chunks synchronously and hears Ctrl-C only
 * between them, and a stopped run waits for the chunks in flight, so a chunk must stay short.
 */
const MAX_CHUNK_TRIALS = 16;

/** --workers: an integer from 1 to MAX_WORKERS, or `auto` for one per core. */
export function parseWorkers(text: string): number {
  if (text.trim() === 'auto') return availableParallelism();
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(value) || value < 1 || value > MAX_WORKERS) {
    throw new InvalidValue(`an integer from 1 to ${MAX_WORKERS}, or auto (one per core)`);
  }
  return value;
}

/** One chunk: some consecutive trials of one claim. */
export interface Chunk {
  /** Index of the claim among the run's sources. */
  source: number;
  /** Position among the chunks of its claim (the first one always runs, even past --max-time). */
  order: number;
  indices: number[];
}

/** Everything a worker needs, sent once: the claims by name (it rebuilds them) and the chunks. */
export interface WorkerPlan {
  sources: { command: string; given: Readonly<Record<string, string | undefined>>; claim: string }[];
  chunks: Chunk[];
  seed: number;
  /** Milliseconds left before --max-time's deadline when the plan was sent (null: none). */
  remainingMs: number | null;
  /** Int32Array[1]: the index of the next chunk to take, shared by every thread. */
  next: SharedArrayBuffer;
}

/** What a worker says: a trial done (for progress), a chunk's result, a chunk skipped, or a failure. */
export type WorkerReply =
  | { type: 'trial' }
  | { type: 'result'; chunk: number; result: ClaimResult }
  | { type: 'skipped'; chunk: number }
  | { type: 'error'; message: string };

export interface PoolRun {
  seed: number;
  trials?: number;
  shard?: Shard;
  /** performance.now() after which no new chunk starts (each claim still runs its first). */
  deadline?: number;
}

function planChunks(sources: readonly ClaimSource[], run: PoolRun, threads: number): { chunks: Chunk[]; planned: number[] } {
  const chunks: Chunk[] = [];
  const planned: number[] = [];
  sources.forEach(({ claim }, source) => {
    const indices = trialIndices(claim, { seed: run.seed, trials: run.trials, shard: run.shard });
    planned.push(indices.length);
    const size = Math.max(1, Math.min(MAX_CHUNK_TRIALS, Math.ceil(indices.length / (threads * CHUNKS_PER_WORKER))));
    for (let start = 0, order = 0; start < indices.length; start += size, order++) {
      chunks.push({ source, order, indices: indices.slice(start, start + size) });
    }
  });
  return { chunks, planned };
}

/**
 * Takes chunks from the shared counter until none is left, running each with `run` (or skipping
 * it past the deadline): the loop every thread, this one included, goes through.
 */
export function drainChunks(
  chunks: readonly Chunk[],
  next: Int32Array,
  deadline: number | undefined,
  run: (chunk: Chunk, index: number) => void,
  skipped: (index: number) => void,
  limit = Number.POSITIVE_INFINITY,
): void {
  for (let taken = 0; taken < limit; taken++) {
    const index = Atomics.add(next, 0, 1);
    if (index >= chunks.length) return;
    const chunk = chunks[index] as Chunk;
    if (chunk.order > 0 && deadline !== undefined && performance.now() > deadline) skipped(index);
    else run(chunk, index);
  }
}

/** The worker script next to this module once compiled; absent when running from the TypeScript sources. */
const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

/**
 * Threads can rebuild a claim only from the built-in registry, from the compiled worker script;
 * a custom registry (tests with deliberately broken claims) or a run from the sources drains
 * the same chunks in this thread alone, with the same merge.
 */
export function threadsCanRun(sources: readonly ClaimSource[]): boolean {
  return existsSync(fileURLToPath(WORKER_SCRIPT)) && sources.every(({ command }) => COMMANDS.includes(command));
}

/** Starts the workers on the plan; resolves once every chunk a worker took has come back. */
function startWorkers(
  count: number,
  plan: WorkerPlan,
  results: (ClaimResult | 'skipped' | null)[],
  onTrial: () => void,
): { finished: (ownChunks: number, taken?: number) => Promise<void>; close: () => Promise<void> } {
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SCRIPT));
  let answered = 0;
  let failure: Error | null = null;
  let wake: () => void = () => undefined;
  for (const worker of workers) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'trial') onTrial();
      else if (reply.type === 'error') failure ??= new Error(`worker: ${reply.message}`);
      else {
        results[reply.chunk] = reply.type === 'result' ? reply.result : 'skipped';
        answered++;
      }
      wake();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake();
    });
    worker.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`worker: exited with code ${code}`);
      wake();
    });
    worker.postMessage(plan);
  }
  return {
    // Done when every chunk taken (all of them, unless the run was stopped) has an answer.
    finished: (ownChunks, taken = plan.chunks.length) =>
      new Promise<void>((resolve, reject) => {
        wake = () => {
          if (failure !== null) reject(failure);
          else if (answered + ownChunks >= taken) resolve();
        };
        wake();
      }),
    close: async () => void (await Promise.all(workers.map((worker) => worker.terminate()))),
  };
}

/**
 * Runs every claim's trials on `workers` threads (this one and workers − 1 more) and returns one
 * result per source, equal to what runClaim gives in one thread. With --max-time, a chunk that
 * would start after the deadline is skipped unless it is its claim's first.
 */
export async function runClaimsInWorkers(
  sources: readonly ClaimSource[],
  run: PoolRun,
  workers: number,
  onTrial: () => void = () => undefined,
  signal?: AbortSignal,
): Promise<ClaimResult[]> {
  const { chunks, planned } = planChunks(sources, run, workers);
  const results: (ClaimResult | 'skipped' | null)[] = chunks.map(() => null);
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  // Stopping: push the shared counter past the last chunk, so that no thread takes another one;
  // the chunks taken until then (indices below the old value) still come back.
  let taken: number | undefined;
  const stop = () => {
    taken ??= Math.min(chunks.length, Atomics.exchange(counter, 0, chunks.length));
  };
  signal?.addEventListener('abort', stop, { once: true });
  let ownChunks = 0;
  const runHere = (chunk: Chunk, index: number) => {
    ownChunks++;
    const { claim } = sources[chunk.source] as ClaimSource;
    results[index] = runClaim(claim, { seed: run.seed, indices: chunk.indices, deadline: run.deadline, onTrial, plots: chunk.order === 0 });
  };
  const skipHere = (index: number) => {
    ownChunks++;
    results[index] = 'skipped';
  };
  /** This thread's share: one chunk at a time, letting the event loop (and Ctrl-C) in between. */
  const drainHere = async () => {
    for (;;) {
      let took = false;
      drainChunks(chunks, counter, run.deadline, (chunk, index) => {
        runHere(chunk, index);
        took = true;
      }, (index) => {
        skipHere(index);
        took = true;
      }, 1);
      if (!took) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const threads = Math.min(workers - 1, Math.max(0, chunks.length - 1));
  try {
    if (threads > 0 && threadsCanRun(sources)) {
      const plan: WorkerPlan = {
        sources: sources.map(({ claim, command, given }) => ({ command: command.name, given, claim: claim.id })),
        chunks,
        seed: run.seed,
        remainingMs: run.deadline === undefined ? null : run.deadline - performance.now(),
        next,
      };
      const pool = startWorkers(threads, plan, results, onTrial);
      try {
        await drainHere();
        await pool.finished(ownChunks, taken);
      } finally {
        await pool.close();
      }
    } else {
      await drainHere();
    }
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  return sources.map(({ claim }, source) => {
    const parts: ClaimResult[] = [];
    chunks.forEach((chunk, index) => {
      const result = results[index];
      if (chunk.source === source && result !== null && result !== undefined && result !== 'skipped') parts.push(result);
    });
    // A claim with no trials at all (--shard past its trial count) is what runClaim says of it;
    // one that a stopped run never reached is left out.
    if (parts.length === 0) return taken === undefined ? runClaim(claim as PreparedClaim, { seed: run.seed, indices: [] }) : null;
    return { ...mergeClaimResults(parts, run.seed), plannedTrials: planned[source] as number };
  }).filter((result): result is ClaimResult => result !== null);
}
