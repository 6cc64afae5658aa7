import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { findCommand } from '../claims/index.js';
import type { PreparedClaim } from '../claims/types.js';
import { type WorkerPlan, type WorkerReply, drainChunks } from './pool.js';
import { runClaim } from './runner.js';

/**
 * A worker thread of the pool: rebuilds the run's claims from the built-in registry with the same
 * option texts the main thread validated (so with the same parameters), then takes chunks from the
 * shared counter until none is left, posting each chunk's plain-data result back (structured
 * cloning keeps NaN, ±Infinity and −0, which JSON would not).
 */
function serve(port: NonNullable<typeof parentPort>): void {
  port.once('message', (plan: WorkerPlan) => {
    const reply = (message: WorkerReply) => port.postMessage(message);
    try {
      const deadline = plan.remainingMs === null ? undefined : performance.now() + plan.remainingMs;
      const prepared = new Map<string, PreparedClaim[]>();
      const claims = plan.sources.map(({ command, given, claim }) => {
        const key = `${command}\u0000${JSON.stringify(given)}`;
        let bound = prepared.get(key);
        if (bound === undefined) {
          const registered = findCommand(command);
          if (registered === undefined) throw new Error(`no subcommand named ${command}`);
          bound = registered.prepare(given).claims;
          prepared.set(key, bound);
        }
        const found = bound.find((c) => c.id === claim);
        if (found === undefined) throw new Error(`no claim ${claim} in ${command}`);
        return found;
      });
      const onTrial = () => reply({ type: 'trial' });
      drainChunks(
        plan.chunks,
        new Int32Array(plan.next),
        deadline,
        (chunk, index) => reply({ type: 'result', chunk: index, result: runClaim(claims[chunk.source] as PreparedClaim, { seed: plan.seed, indices: chunk.indices, deadline, onTrial, plots: chunk.order === 0 }) }),
        (index) => reply({ type: 'skipped', chunk: index }),
      );
    } catch (error) {
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

if (parentPort !== null) serve(parentPort);
