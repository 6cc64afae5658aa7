#!/usr/bin/env node
/**
 * Mutation testing of src/claims and src/num in groups.
 *
 *   node scripts/mutation.mjs                 every group, then the summary
 *   node scripts/mutation.mjs claims-taylor   one group (or several), then the summary
 *   node scripts/mutation.mjs --incremental claims-taylor
 *                                             reuse the group's last report where code and tests are unchanged
 *   node scripts/mutation.mjs --summary       only the summary of the reports already on disk
 *   node scripts/mutation.mjs --list          the groups and their files
 *
 * A full run takes hours on two cores, so it is cut into groups: each writes its own report
 * (reports/mutation/<group>.json), a group can be rerun alone after a change, and an
 * interrupted run keeps the groups that finished. The summary reads every group's report and
 * prints the score per file and in total, then each surviving mutant with its place. It exits 1
 * when a group has no report or the total score is below the threshold in stryker.config.json
 * (thresholds.low), 2 on a usage error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const REPORTS = join(ROOT, 'reports', 'mutation');
const SCOPE = ['src/num', 'src/claims'];

/** Groups of similar test cost, the verdict logic first; every .ts file of SCOPE belongs to exactly one. */
const GROUPS = {
  verdicts: ['src/num/compare.ts', 'src/num/diff.ts', 'src/claims/checks.ts', 'src/claims/tolerance.ts'],
  'num-a': ['recursion', 'streams', 'activation', 'whiten', 'linalg', 'rnn', 'losses', 'logistic', 'matrix'].map((f) => `src/num/${f}.ts`),
  'num-b': ['lanczos', 'random', 'stats', 'taylor', 'smooth'].map((f) => `src/num/${f}.ts`),
  'num-kernels': ['src/num/kernels.ts'],
  'claims-core': ['index', 'rnn-cases', 'subcommand', 'rnn-equiv', 'types', 'plots'].map((f) => `src/claims/${f}.ts`),
  'claims-vanish': ['src/claims/vanish.ts', 'src/claims/vanish-matrix-free.ts'],
  'claims-weightnorm': ['src/claims/weightnorm.ts'],
  'claims-taylor': ['src/claims/taylor.ts'],
  'claims-momentum': ['src/claims/momentum.ts'],
};

/**
 * Groups whose code every test reaches (random draws, the kernels) run a subset of the tests:
 * otherwise each surviving mutant of random.ts costs the whole in-process suite (~40 s), and
 * the group hours. The subset is the unit tests of src/num and the claim tests that exercise the
 * group's files directly. A mutant it misses might still be caught by a test left out, so the
 * score of such a group is a lower bound. (Read by vitest.mutation.config.ts.)
 */
const GROUP_TESTS = {
  'num-b': [
    'tests/num/**/*.test.ts',
    'tests/claims/vanish-matrix-free.test.ts',
    'tests/claims/vanish-generators.test.ts',
    'tests/claims/taylor.test.ts',
    'tests/claims/momentum.test.ts',
    'tests/claims/error-models.test.ts',
  ],
  'num-kernels': [
    'tests/num/**/*.test.ts',
    'tests/claims/vanish.test.ts',
    'tests/claims/vanish-matrix-free.test.ts',
    'tests/claims/vanish-generators.test.ts',
    'tests/claims/rnn-equiv.test.ts',
    'tests/claims/error-models.test.ts',
  ],
};

function fail(message, code) {
  process.stderr.write(`mutation: ${message}\n`);
  process.exit(code);
}

/** Every file in scope is in one group, and every group's file exists. */
function checkGroups() {
  const grouped = Object.values(GROUPS).flat();
  const inScope = SCOPE.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`),
  );
  const missing = inScope.filter((f) => !grouped.includes(f));
  const stale = grouped.filter((f) => !inScope.includes(f));
  if (missing.length > 0) fail(`files in no group (add them to GROUPS in scripts/mutation.mjs): ${missing.join(', ')}`, 2);
  if (stale.length > 0) fail(`grouped files that do not exist: ${stale.join(', ')}`, 2);
}

function runGroup(name, incremental) {
  const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8'));
  delete base.$schema;
  const report = `reports/mutation/${name}.json`;
  // --incremental: Stryker reuses the group's last report for every mutant whose code and
  // covering tests are unchanged, and tests the rest (a changed line, a new or changed test).
  // Stryker also writes its incremental file at the end, so it gets a copy of the report of its
  // own: two writers on one path left a report with the tail of the old one, or interleaved.
  const previous = `reports/mutation/${name}.previous.json`;
  const reuse = incremental && existsSync(join(ROOT, report));
  if (reuse) writeFileSync(join(ROOT, previous), JSON.stringify(readReport(join(ROOT, report))));
  const config = {
    ...base,
    mutate: GROUPS[name],
    jsonReporter: { fileName: report },
    ...(reuse ? { incremental: true, incrementalFile: previous } : {}),
  };
  const file = join(ROOT, `stryker.${name}.tmp.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  process.stderr.write(`mutation: group ${name} (${GROUPS[name].length} files)\n`);
  const started = Date.now();
  try {
    const tests = GROUP_TESTS[name];
    if (tests !== undefined) process.stderr.write(`mutation: group ${name} runs only ${tests.join(', ')}\n`);
    const env = { ...process.env, HWCHECK_MUTATION_TESTS: tests === undefined ? '' : tests.join(',') };
    const run = spawnSync('npx', ['stryker', 'run', file], { cwd: ROOT, stdio: 'inherit', env });
    process.stderr.write(`mutation: group ${name} ended with ${run.status} after ${Math.round((Date.now() - started) / 1000)} s\n`);
  } finally {
    rmSync(file, { force: true });
    rmSync(join(ROOT, previous), { force: true });
  }
}

/**
 * A group's report. Until the incremental file got a path of its own (see runGroup), Stryker and
 * its JSON reporter both wrote the report: a new, shorter JSON was once followed by the tail of
 * the old one. A report with such a tail is still read up to the end of its JSON value, and
 * rewritten without it.
 */
function readReport(path) {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /after JSON at position (\d+)/.exec(String(error))?.[1];
    if (at === undefined) throw error;
    const report = JSON.parse(text.slice(0, Number(at)));
    writeFileSync(path, text.slice(0, Number(at)));
    process.stderr.write(`mutation: ${path} had ${text.length - Number(at)} characters after its JSON (left from the previous report); removed\n`);
    return report;
  }
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function summary() {
  const thresholds = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')).thresholds ?? {};
  const threshold = thresholds.low ?? 90;
  const rows = [];
  const survivors = [];
  const disabled = [];
  const absent = [];
  for (const [name, files] of Object.entries(GROUPS)) {
    const path = join(REPORTS, `${name}.json`);
    if (!existsSync(path)) {
      absent.push(name);
      continue;
    }
    const report = readReport(path);
    for (const file of files) {
      const entry = report.files[file];
      if (entry === undefined) {
        // Stryker leaves out a file with nothing to mutate (types only).
        rows.push({ file, detected: 0, undetected: 0, ignored: 0, other: 0 });
        continue;
      }
      const count = { detected: 0, undetected: 0, ignored: 0, other: 0 };
      for (const mutant of entry.mutants) {
        if (DETECTED.has(mutant.status)) count.detected++;
        else if (UNDETECTED.has(mutant.status)) {
          count.undetected++;
          const line = entry.source.split('\n')[mutant.location.start.line - 1] ?? '';
          survivors.push({ file, line: mutant.location.start.line, status: mutant.status, mutator: mutant.mutatorName, replacement: mutant.replacement ?? '', code: line.trim() });
        } else if (mutant.status === 'Ignored') {
          count.ignored++;
          // A `// Stryker disable` comment: the reason written there, to list with the mutant.
          const reason = mutant.statusReason ?? '';
          if (!/ignoreStatic|excluded mutation/.test(reason)) disabled.push({ file, line: mutant.location.start.line, mutator: mutant.mutatorName, reason });
        } else count.other++;
      }
      rows.push({ file, ...count });
    }
  }
  const total = rows.reduce(
    (t, r) => ({ detected: t.detected + r.detected, undetected: t.undetected + r.undetected, ignored: t.ignored + r.ignored, other: t.other + r.other }),
    { detected: 0, undetected: 0, ignored: 0, other: 0 },
  );
  const score = (c) => (c.detected + c.undetected === 0 ? 100 : (100 * c.detected) / (c.detected + c.undetected));
  const width = Math.max(...rows.map((r) => r.file.length), 5);
  const line = (name, c) =>
    `${name.padEnd(width)}  ${score(c).toFixed(1).padStart(5)}  ${String(c.detected).padStart(6)}  ${String(c.undetected).padStart(8)}  ${String(c.ignored).padStart(7)}  ${String(c.other).padStart(6)}`;
  const out = [`${'file'.padEnd(width)}  score  killed  survived  ignored  errors`];
  for (const r of rows) out.push(line(r.file, r));
  out.push(line('total', total));
  process.stdout.write(`${out.join('\n')}\n`);
  if (survivors.length > 0) {
    process.stdout.write(`\nundetected mutants (${survivors.length}):\n`);
    for (const s of survivors) process.stdout.write(`${s.file}:${s.line} ${s.status} ${s.mutator} → ${JSON.stringify(s.replacement.slice(0, 80))}   | ${s.code.slice(0, 100)}\n`);
  }
  if (disabled.length > 0) {
    process.stdout.write(`\nmutants disabled by a comment as equivalent (${disabled.length}):\n`);
    for (const d of disabled) process.stdout.write(`${d.file}:${d.line} ${d.mutator}   | ${d.reason}\n`);
  }
  process.stdout.write(
    '\nscore = killed / (killed + survived); "killed" counts timed-out mutants, "survived" those no test reached;\n"ignored": mutants in code that runs only while modules load (ignoreStatic), of excluded mutators (StringLiteral)\nor disabled by a `// Stryker disable` comment giving the reason they are equivalent; "errors": compile and runtime errors. Neither is scored.\n',
  );
  if (absent.length > 0) {
    process.stdout.write(`no report yet for: ${absent.join(', ')} (run: node scripts/mutation.mjs ${absent.map((a) => a.split(':')[0]).filter((a, i, all) => all.indexOf(a) === i).join(' ')})\n`);
    process.exit(1);
  }
  process.exit(score(total) >= threshold ? 0 : 1);
}

const args = process.argv.slice(2);
checkGroups();
if (args.includes('--list')) {
  for (const [name, files] of Object.entries(GROUPS)) process.stdout.write(`${name}: ${files.join(' ')}\n`);
  process.exit(0);
}
if (args.includes('--summary')) summary();
const incremental = args.includes('--incremental');
const groups = args.filter((a) => a !== '--incremental');
const unknown = groups.filter((a) => !(a in GROUPS));
if (unknown.length > 0) fail(`unknown group ${JSON.stringify(unknown[0])}; the groups are ${Object.keys(GROUPS).join(', ')}`, 2);
for (const name of groups.length > 0 ? groups : Object.keys(GROUPS)) runGroup(name, incremental);
summary();
