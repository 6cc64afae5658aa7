import { Matrix } from '../num/matrix.js';
import type { InputValue } from '../claims/types.js';
import type { Rng } from '../num/random.js';

/**
 * A normal draw rounded to one decimal (and never 0): counterexamples built from such values
 * print exactly and read easily, and they are as valid as any other case.
 */
export function simpleValue(rng: Rng, scale = 1): number {
  const value = Math.round(10 * scale * rng.gaussian()) / 10;
  return value === 0 ? 0.1 : value;
}

export function simpleVector(rng: Rng, length: number, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => simpleValue(rng, scale));
}

export function simpleMatrix(rng: Rng, rows: number, columns: number, scale = 1): Matrix {
  return new Matrix(Array.from({ length: rows }, () => Array.from(simpleVector(rng, columns, scale))));
}

export const rowsOf = (m: Matrix): InputValue => m.to2DArray();
export const entriesOf = (v: ArrayLike<number>): InputValue => Array.from(v);
