import { describe, expect, it } from 'vitest';
import { BROKEN_COMMANDS } from '../../fixtures/broken-registry.js';
import { COMMANDS } from '../../src/claims/index.js';
import type { RegisteredCommand } from '../../src/claims/subcommand.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { InvalidValue } from '../../src/options.js';
import { parseWorkers, runClaimsInWorkers, threadsCanRun } from '../../src/run/pool.js';
import { type ClaimSource, runSession, runSessionInParallel } from '../../src/run/session.js';
import { spawnCliAsync, withoutTimes } from '../helpers.js';

const sourcesOf = (commands: readonly RegisteredCommand[], given: Record<string, string> = {}): ClaimSource[] =>
  commands.flatMap((command) => command.prepare(given).claims.map((claim) => ({ claim, command, given })));

/** A result as JSON without the fields that measure time. */
const untimed = (results: readonly ClaimResult[]) => withoutTimes(JSON.stringify(results));

describe('--workers', () => {
  it('accepts 1…256 and auto (one per core), and nothing else', () => {
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers('256')).toBe(256);
    expect(parseWorkers('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '257', '1.5', '-2', 'two', '', '2x']) expect(() => parseWorkers(bad)).toThrow(InvalidValue);
  });

  it('from the TypeScript sources or with a custom registry, drains the chunks in this thread', () => {
    // Workers rebuild claims from the compiled built-in registry only.
    expect(threadsCanRun(sourcesOf(BROKEN_COMMANDS))).toBe(false);
  });
});

describe('chunked runs merge to the single-thread result', () => {
  it.each([2, 3, 7])('every claim of the registry, 5 trials each, cut for %i workers', async (workers) => {
    const sources = sourcesOf(COMMANDS);
    const run = { seed: 3, trials: 5 };
    const single = runSession(sources, { ...run, shrink: false });
    expect(untimed(await runClaimsInWorkers(sources, run, workers))).toEqual(untimed(single));
  }, 120_000);

  it('a failing claim keeps its first counterexample, worst case and shrunk configuration', async () => {
    const sources = sourcesOf(BROKEN_COMMANDS, { steps: '6', dim: '3' });
    const options = { seed: 1, trials: 9, shrink: true };
    const single = runSession(sources, options);
    expect(single.some((r) => r.verdict === 'fail' && r.shrunk !== null)).toBe(true);
    expect(untimed(await runSessionInParallel(sources, { ...options, workers: 4 }))).toEqual(untimed(single));
  }, 120_000);

  it('a shard is cut into chunks the same way', async () => {
    const sources = sourcesOf(COMMANDS.filter((c) => c.name === 'rnn-equiv' || c.name === 'taylor'));
    const run = { seed: 2, trials: 11, shard: { index: 2, count: 3 } };
    expect(untimed(await runClaimsInWorkers(sources, run, 2))).toEqual(untimed(runSession(sources, { ...run, shrink: false })));
  });

  it('reports progress for every trial', async () => {
    const sources = sourcesOf(COMMANDS.filter((c) => c.name === 'rnn-equiv'));
    let done = 0;
    await runClaimsInWorkers(sources, { seed: 1, trials: 13 }, 3, () => done++);
    expect(done).toBe(13);
  });
});

describe('worker threads in the built CLI give byte-identical reports', () => {
  const report = async (...args: string[]) => {
    const run = await spawnCliAsync(...args, '--json');
    expect(run.code).toBe(0);
    return withoutTimes(run.stdout);
  };

  it('hwcheck all --workers 2 and --workers auto equal --workers 1', async () => {
    const [one, two, auto] = await Promise.all([report('all'), report('all', '--workers', '2'), report('all', '--workers', 'auto')]);
    expect(two).toEqual(one);
    expect(auto).toEqual(one);
  }, 120_000);

  it('more workers than trials, and a shard, change nothing either', async () => {
    const [one, many] = await Promise.all([report('vanish', '--trials', '7', '--shard', '2/2'), report('vanish', '--trials', '7', '--shard', '2/2', '--workers', '8')]);
    expect(many).toEqual(one);
  }, 120_000);
});
