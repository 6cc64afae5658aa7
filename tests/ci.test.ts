import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { BROKEN_COMMANDS } from '../fixtures/broken-registry.js';
import { BIN, runCli, temporaryDirectory, withoutTimes } from './helpers.js';

const bin = BIN;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

interface JUnitCase {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string };
}
interface JUnitSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  time: string;
  testcase: JUnitCase[];
}

/** Checks what the common JUnit schema requires and returns the suites. */
function parseJUnit(xml: string): JUnitSuite[] {
  const doc = parser.parse(xml) as { testsuites: { tests: string; failures: string; errors: string; testsuite: JUnitSuite[] } };
  const root = doc.testsuites;
  expect(root).toBeDefined();
  let tests = 0;
  let failures = 0;
  for (const suite of root.testsuite) {
    expect(suite.name).toEqual(expect.any(String));
    expect(Number(suite.tests)).toBe(suite.testcase.length);
    expect(Number(suite.failures)).toBe(suite.testcase.filter((c) => c.failure !== undefined).length);
    expect(Number(suite.errors)).toBe(suite.testcase.filter((c) => c.error !== undefined).length);
    expect(Number.isFinite(Number(suite.time))).toBe(true);
    for (const testcase of suite.testcase) {
      expect(testcase.name).toEqual(expect.any(String));
      expect(testcase.classname).toMatch(/^hwcheck\./);
      expect(Number(testcase.time)).toBeGreaterThanOrEqual(0);
    }
    tests += suite.testcase.length;
    failures += Number(suite.failures);
  }
  expect(Number(root.tests)).toBe(tests);
  expect(Number(root.failures)).toBe(failures);
  return root.testsuite;
}

describe('a CI job: hwcheck all --reporter junit=report.xml --reporter github', () => {
  it('fails, writes a JUnit failure with the replay command and annotates, when a claim breaks', async () => {
    const dir = temporaryDirectory();
    const junit = join(dir, 'report.xml');
    const run = await runCli(['all', '--reporter', `junit=${junit}`, '--reporter', 'github', '--trials', '3', '--no-shrink'], { commands: BROKEN_COMMANDS });
    expect(run.code).toBe(1);
    const suites = parseJUnit(readFileSync(junit, 'utf8'));
    expect(suites.map((s) => s.name)).toEqual(['Question 1: RNN activations and vanishing/exploding gradients']);
    const broken = suites[0]?.testcase.find((c) => c.name.startsWith('1.2 '));
    expect(broken?.failure?.type).toBe('identity-mismatch');
    expect(broken?.failure?.['#text']).toMatch(/replay: hwcheck vanish --trials 3 --seed 1 --only 1\.2 --trial \d+|replay: hwcheck vanish --seed 1 --only 1\.2 --trial \d+/);
    expect(suites[0]?.testcase.filter((c) => c.failure !== undefined)).toHaveLength(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations[0]).toMatch(/^::error title=hwcheck 1\.2 \(vanish\) fails::identity-mismatch: .*%0Areplay: hwcheck vanish /);
    expect(annotations.at(-1)).toBe('::notice title=hwcheck all::3 claims: 2 hold, 1 fail, 0 error (seed 1)');
    // The human report still reaches the log.
    expect(run.stdout).toContain('counterexample [identity-mismatch]');
  });

  it('passes with a report free of failures when every claim holds', async () => {
    const dir = temporaryDirectory();
    const junit = join(dir, 'report.xml');
    const run = await runCli(['all', '--reporter', `junit=${junit}`, '--reporter', 'github', '--trials', '2']);
    expect(run.code).toBe(0);
    const suites = parseJUnit(readFileSync(junit, 'utf8'));
    expect(suites.flatMap((s) => s.testcase).every((c) => c.failure === undefined && c.error === undefined)).toBe(true);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([]);
  });

  it('annotates by itself under GitHub Actions and appends the Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = temporaryDirectory();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const run = await runCli(['all', '--trials', '2', '--no-shrink'], { commands: BROKEN_COMMANDS, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=hwcheck 1\.2/m);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('earlier step\n### hwcheck all: 2 of 3 claims hold (1 fail, 0 error)')).toBe(true);
    expect(markdown).toMatch(/\| 1\.2 .* \| `vanish` \| ❌ fail \| 2 \|/);
  });

  it('keeps JSON on stdout parseable under GitHub Actions (no annotations mixed in)', async () => {
    const run = await runCli(['all', '--trials', '1', '--json'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });
});

describe('report files', () => {
  it('an unwritable path is a usage error detected before any work', async () => {
    const run = await runCli(['all', '--reporter', 'junit=/nonexistent-directory/report.xml']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('hwcheck: cannot write the junit report to /nonexistent-directory/report.xml: its directory does not exist\n');
  });

  it('a directory given as a report file is a usage error', async () => {
    const dir = temporaryDirectory();
    const run = await runCli(['vanish', '--reporter', `json=${dir}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hwcheck: cannot write the json report to .*: it is a directory\n$/);
  });

  it('an unknown reporter and two reports to one file are usage errors', async () => {
    expect((await runCli(['all', '--reporter', 'xml'])).stderr).toMatch(/^hwcheck: invalid value "xml" for --reporter: expected one of human, json, junit, markdown, github/);
    const dir = temporaryDirectory();
    const twice = await runCli(['all', '--reporter', `json=${dir}/r`, '--reporter', `junit=${dir}/r`]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/two reports would be written to/);
  });

  it('a run killed midway leaves the previous report intact and no partial or temporary file', async () => {
    const dir = temporaryDirectory();
    const report = join(dir, 'report.json');
    writeFileSync(report, 'previous report\n');
    // --max-time lets a run of hours past the time guard; it is killed long before.
    const child = spawn(process.execPath, [bin, 'all', '--trials', '1000000', '--max-time', '600', '--reporter', `json=${report}`], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGKILL');
    // It was still running when killed: the kill, not an early exit, ended it.
    expect(await exited).toBe('SIGKILL');
    expect(readFileSync(report, 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes several reports in one run, each complete', async () => {
    const dir = temporaryDirectory();
    const run = await runCli(['vanish', '--trials', '2', '--reporter', `json=${dir}/r.json`, '--reporter', `markdown=${dir}/r.md`, '--reporter', `junit=${dir}/r.xml`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')).claims).toHaveLength(2);
    expect(readFileSync(`${dir}/r.md`, 'utf8')).toContain('| Claim | Subcommand | Verdict |');
    parseJUnit(readFileSync(`${dir}/r.xml`, 'utf8'));
    expect(run.stdout).toContain('2 claims: 2 hold');
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'r.md', 'r.xml']);
  });
});

describe('sharding', () => {
  it('running every shard and merging their JSON gives the unsharded claims', async () => {
    const dir = temporaryDirectory();
    const whole = await runCli(['all', '--trials', '7', '--seed', '3', '--json']);
    const files: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const shard = await runCli(['all', '--trials', '7', '--seed', '3', '--shard', `${i}/3`, '--json']);
      files.push(join(dir, `shard-${i}.json`));
      writeFileSync(files.at(-1) ?? '', shard.stdout);
    }
    const merged = await runCli(['merge', ...files, '--json']);
    expect(merged.code).toBe(0);
    const claims = (text: string) => (withoutTimes(text) as { claims: unknown[] }).claims;
    expect(claims(merged.stdout)).toEqual(claims(whole.stdout));
  });

  it('merging a broken claim’s shards keeps the earliest counterexample', async () => {
    const dir = temporaryDirectory();
    const args = ['vanish', '--only', '1.2', '--trials', '6', '--no-shrink', '--json'];
    const whole = await runCli(args, { commands: BROKEN_COMMANDS });
    const parts = [];
    for (const shard of ['2/2', '1/2']) {
      const file = join(dir, `${shard.replace('/', '-')}.json`);
      writeFileSync(file, (await runCli([...args, '--shard', shard], { commands: BROKEN_COMMANDS })).stdout);
      parts.push(file);
    }
    const merged = await runCli(['merge', ...parts, '--json'], { commands: BROKEN_COMMANDS });
    expect(merged.code).toBe(1);
    const claims = (text: string) => (withoutTimes(text) as { claims: unknown[] }).claims;
    expect(claims(merged.stdout)).toEqual(claims(whole.stdout));
  });

  it('refuses to merge a shard twice, different seeds or a file that is not a report', async () => {
    const dir = temporaryDirectory();
    const a = join(dir, 'a.json');
    writeFileSync(a, (await runCli(['vanish', '--trials', '2', '--shard', '1/2', '--json'])).stdout);
    expect((await runCli(['merge', a, a])).stderr).toBe('hwcheck: cannot merge: shard 1/2 appears twice\n');
    const b = join(dir, 'b.json');
    writeFileSync(b, (await runCli(['vanish', '--trials', '2', '--shard', '2/2', '--seed', '5', '--json'])).stdout);
    expect((await runCli(['merge', a, b])).stderr).toMatch(/^hwcheck: cannot merge .*b\.json: seed 5 differs from 1/);
    const c = join(dir, 'c.json');
    writeFileSync(c, 'not json');
    const notJson = await runCli(['merge', c]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not JSON/);
    expect((await runCli(['merge', join(dir, 'missing.json')])).stderr).toMatch(/^hwcheck: cannot read .*missing\.json: ENOENT\n$/);
  });

  it('refuses a malformed shard', async () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '']) {
      const run = await runCli(['vanish', '--shard', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^hwcheck: invalid value .* for --shard: expected i\/n/);
    }
  });
});

describe('shrinking', () => {
  it('finds a 2×2, two-step counterexample for the reversed Jacobian order', async () => {
    const run = await runCli(['vanish', '--only', '1.2', '--trials', '3', '--json'], { commands: BROKEN_COMMANDS });
    expect(run.code).toBe(1);
    const claim = JSON.parse(run.stdout).claims[0];
    expect(claim.failure.code).toBe('identity-mismatch');
    // One hidden unit makes the factors commute and one step has a single factor: neither can fail.
    expect(claim.shrunk.args).toEqual(['--dim', '2', '--input-dim', '1', '--steps', '2']);
    expect(claim.shrunk.failure.replay).toMatch(/^hwcheck vanish --dim 2 --input-dim 1 --steps 2 --seed 1 --only 1\.2 --trial \d+$/);
    const human = await runCli(['vanish', '--only', '1.2', '--trials', '3'], { commands: BROKEN_COMMANDS });
    expect(human.stdout).toMatch(/smallest failing configuration \(\d+ tried\): --dim 2 --input-dim 1 --steps 2, trial \d+/);
  });

  it('the shrunk counterexample replays as a failure', async () => {
    const run = await runCli(['vanish', '--only', '1.2', '--trials', '3', '--json'], { commands: BROKEN_COMMANDS });
    const words = (JSON.parse(run.stdout).claims[0].shrunk.failure.replay as string).split(' ').slice(1);
    const replay = await runCli([...words, '--json'], { commands: BROKEN_COMMANDS });
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).claims[0].verdict).toBe('fail');
  });

  it('is skipped with --no-shrink', async () => {
    const run = await runCli(['vanish', '--only', '1.2', '--trials', '2', '--no-shrink', '--json'], { commands: BROKEN_COMMANDS });
    expect(JSON.parse(run.stdout).claims[0].shrunk).toBeNull();
  });
});

describe('--max-time', () => {
  it('stops drawing trials, says how many ran and that the verdict covers only those', async () => {
    const run = await runCli(['vanish', '--trials', '100000', '--max-time', '0.2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\d+ trials? of 100000 \(stopped by --max-time; the verdict covers these only\)/);
    const json = JSON.parse((await runCli(['vanish', '--only', '1.2', '--trials', '100000', '--max-time', '0.1', '--json'])).stdout);
    expect(json.claims[0].plannedTrials).toBe(100000);
    expect(json.claims[0].trials).toBeLessThan(100000);
    expect(json.options.maxTime).toBe(0.1);
  });
});

describe('--dump', () => {
  it('needs --trial', async () => {
    const run = await runCli(['vanish', '--dump', 'x.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('hwcheck: --dump x.json needs --trial K: it records one trial\n');
  });

  it('writes inputs and both sides of every check, which an independent routine recomputes', async () => {
    const dir = temporaryDirectory();
    const file = join(dir, 'trial.json');
    const run = await runCli(['vanish', '--only', '1.2', '--trial', '2', '--steps', '6', '--dump', file]);
    expect(run.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const dump = JSON.parse(readFileSync(file, 'utf8'));
    expect(dump).toMatchObject({ tool: 'hwcheck', seed: 1, trial: 2 });
    const trial = dump.claims[0];
    expect(trial.trialSeed).toBe('hwcheck/1/1.2/2');
    const label = 'tanh, random W on the boundary';
    const { W, drive, g0 } = trial.inputs.cases[label] as { W: number[][]; drive: number[][]; g0: number[] };
    // Recompute ∂g_t/∂g_0 with plain arrays and its norm by power iteration on JᵀJ.
    const n = g0.length;
    let g = g0;
    let J: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    for (let t = 1; t <= drive.length; t++) {
      const z = W.map((row, i) => row.reduce((s, w, k) => s + w * (g[k] ?? 0), 0) + (drive[t - 1]?.[i] ?? 0));
      g = z.map(Math.tanh);
      const d = z.map((v) => 1 - Math.tanh(v) ** 2);
      const WJ = W.map((row) => J[0]?.map((_, j) => row.reduce((s, w, k) => s + w * (J[k]?.[j] ?? 0), 0)) ?? []);
      J = WJ.map((row, i) => row.map((v) => (d[i] ?? 0) * v));
      let v = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(n) + i * 1e-3);
      let norm = 0;
      for (let it = 0; it < 2000; it++) {
        const Jv = J.map((row) => row.reduce((s, x, k) => s + x * (v[k] ?? 0), 0));
        const JtJv = v.map((_, j) => J.reduce((s, row, i) => s + (row[j] ?? 0) * (Jv[i] ?? 0), 0));
        const length = Math.hypot(...JtJv);
        norm = Math.sqrt(length);
        v = JtJv.map((x) => x / length);
      }
      const bound = trial.checks.find((c: { kind: string; at: string }) => c.kind === 'bound' && c.at === `${label}, t=${t}`);
      expect(bound.lhs).toBeCloseTo(norm, 8);
      expect(bound.rhs).toBeCloseTo(0.9 ** t, 14);
      expect(bound.passed).toBe(true);
    }
  });
});
