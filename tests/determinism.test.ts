import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCliAsync, temporaryDirectory, withoutTimes } from './helpers.js';

/** The JSON report as text without the fields that measure time: what must not change. */
const stable = (json: string) => JSON.stringify(withoutTimes(json));

describe('determinism: the same seed and options give the same report', () => {
  it('across 20 runs in a row', async () => {
    const first = stable((await runCli(['all', '--seed', '11', '--trials', '3', '--json'])).stdout);
    for (let k = 1; k < 20; k++) {
      expect(stable((await runCli(['all', '--seed', '11', '--trials', '3', '--json'])).stdout), `run ${k + 1}`).toBe(first);
    }
  });

  it('across --workers 1, 2 and 3 (real worker threads, in the built CLI)', async () => {
    const runs = await Promise.all(['1', '2', '3'].map((workers) => spawnCliAsync('all', '--seed', '12', '--trials', '6', '--workers', workers, '--json')));
    for (const run of runs) expect(run.code).toBe(0);
    const [one, ...others] = runs.map((run) => stable(run.stdout));
    for (const other of others) expect(other).toBe(one);
  });

  it('across shard splits: 2 shards and 3 shards, merged, equal the whole run', async () => {
    const dir = temporaryDirectory();
    const whole = (withoutTimes((await runCli(['all', '--seed', '13', '--trials', '7', '--json'])).stdout) as { claims: unknown }).claims;
    for (const count of [2, 3]) {
      const files: string[] = [];
      for (let i = 1; i <= count; i++) {
        const file = join(dir, `split-${count}-${i}.json`);
        writeFileSync(file, (await runCli(['all', '--seed', '13', '--trials', '7', '--shard', `${i}/${count}`, '--json'])).stdout);
        files.push(file);
      }
      const merged = (withoutTimes((await runCli(['merge', ...files, '--json'])).stdout) as { claims: unknown }).claims;
      expect(merged, `${count} shards`).toEqual(whole);
    }
  });

  it('the human report is byte-identical across runs when times are hidden (as when piped)', async () => {
    const a = await runCli(['all', '--seed', '14', '--trials', '2']);
    const b = await runCli(['all', '--seed', '14', '--trials', '2']);
    expect(a.stdout).toBe(b.stdout);
  });
});
