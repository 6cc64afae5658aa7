import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../options.js';
import { REPORTER_NAMES, type ReporterName } from '../report/index.js';

/** Where one reporter's text goes: stdout, a file (written atomically), or appended to a file. */
export interface OutputTarget {
  reporter: ReporterName;
  /** null: stdout. */
  path: string | null;
  /** Append instead of replacing (the GitHub step summary). */
  append: boolean;
}

function parseSpec(spec: string): OutputTarget {
  const [name = '', ...rest] = spec.split('=');
  const reporter = REPORTER_NAMES.find((n) => n === name.trim());
  if (reporter === undefined) {
    throw new UsageError(`invalid value ${JSON.stringify(spec)} for --reporter: expected one of ${REPORTER_NAMES.join(', ')}, optionally followed by =FILE`);
  }
  if (rest.length === 0) return { reporter, path: null, append: false };
  const path = rest.join('=');
  if (path.trim() === '') throw new UsageError(`invalid value ${JSON.stringify(spec)} for --reporter: the file name after = is empty`);
  return { reporter, path, append: false };
}

/**
 * The outputs of a run: the --reporter specs (NAME or NAME=FILE), --json as json on stdout,
 * the human report when nothing else goes to stdout, plus the automatic GitHub outputs:
 * annotations on stdout under GitHub Actions, and the Markdown summary appended to
 * $GITHUB_STEP_SUMMARY when that is set.
 */
export function resolveTargets(specs: readonly string[], json: boolean, env: Readonly<Record<string, string | undefined>>): OutputTarget[] {
  const targets = specs.map(parseSpec);
  if (json && !targets.some((t) => t.reporter === 'json' && t.path === null)) targets.push({ reporter: 'json', path: null, append: false });
  // The human report goes to stdout unless a machine-readable report already does (annotations mix fine).
  if (!targets.some((t) => t.path === null && t.reporter !== 'github')) targets.unshift({ reporter: 'human', path: null, append: false });
  const stdoutIsHuman = targets.every((t) => t.path !== null || t.reporter === 'human' || t.reporter === 'github');
  if (env.GITHUB_ACTIONS === 'true' && stdoutIsHuman && !targets.some((t) => t.reporter === 'github')) {
    targets.push({ reporter: 'github', path: null, append: false });
  }
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary !== '') targets.push({ reporter: 'markdown', path: summary, append: true });
  const files = targets.filter((t) => t.path !== null).map((t) => resolve(t.path ?? ''));
  const repeated = files.find((file, i) => files.indexOf(file) !== i);
  if (repeated !== undefined) throw new UsageError(`invalid value for --reporter: two reports would be written to ${repeated}`);
  return targets;
}

/**
 * Fails now, before any work, if a report could not be written to `path`: the directory must
 * exist and accept a new file (probed by creating and removing one, which also catches
 * read-only file systems and holds for root), and the path must not be a directory.
 */
export function assertWritable(path: string, flag: string): void {
  const target = resolve(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    // Does not exist yet: the directory decides.
  }
  if (isDirectory) throw new UsageError(`cannot write ${flag} to ${path}: it is a directory`);
  const probe = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.probe`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'not writable';
    throw new UsageError(`cannot write ${flag} to ${path}: ${reason === 'ENOENT' ? 'its directory does not exist' : `the directory is not writable (${reason})`}`);
  }
}

/** Writes a file through a temporary file and a rename, so a reader never sees half of it. */
export function writeAtomically(path: string, text: string): void {
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function deliver(target: OutputTarget, text: string, stdout: (text: string) => void): void {
  if (target.path === null) stdout(text);
  else if (target.append) appendFileSync(target.path, text);
  else writeAtomically(target.path, text);
}
