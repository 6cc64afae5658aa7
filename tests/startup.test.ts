import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { spawnCli } from './helpers.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The specifiers of a file's static `import … from '…'` statements, type-only ones left out. */
function valueImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map((match) => match[1] as string);
}

describe('start-up stays lean', () => {
  it('hwcheck --version prints the package version', () => {
    const run = spawnCli('--version');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(spawnCli('-V').stdout).toBe(`${VERSION}\n`);
  });

  it('the entry point loads nothing but the version before it knows the command', () => {
    expect(valueImports(join(SRC, 'cli.ts'))).toEqual(['./version.js']);
    expect(valueImports(join(SRC, 'version.ts')).every((specifier) => specifier.startsWith('node:'))).toBe(true);
  });

  it('source files take ml-matrix’s values from src/num/matrix.ts, never through its slow ESM entry', () => {
    const offenders = sourceFiles(SRC).filter((path) => !path.endsWith(join('num', 'matrix.ts')) && valueImports(path).includes('ml-matrix'));
    expect(offenders).toEqual([]);
  });

  it('the audit is loaded only by the audit command', () => {
    expect(valueImports(join(SRC, 'main.ts')).filter((specifier) => specifier.includes('audit'))).toEqual([]);
  });
});
