import { Matrix } from './matrix.js';
import { rowsOf } from './kernels.js';

/** Cube root of the double-precision machine epsilon: the step that balances truncation and rounding. */
export const CENTRAL_DIFFERENCE_STEP = Math.cbrt(Number.EPSILON);

/** The central-difference step for coordinate value x: ε^{1/3}·max(1, |x|), rounded so that x ± h is exact. */
export function centralStep(x: number, relativeStep = CENTRAL_DIFFERENCE_STEP): number {
  const h = relativeStep * Math.max(1, Math.abs(x));
  // (x + h) − x is the step actually taken once x + h is rounded.
  return x + h - x;
}

/**
 * Central differences one column at a time: `visit(j, column)` receives column j of the
 * Jacobian of f at x, (f(x + h e_j) − f(x − h e_j)) / 2h, in a buffer reused for every column,
 * so that a caller can store it in whatever shape it needs without a stacked copy.
 */
export function finiteDifferenceColumns(
  f: (x: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  relativeStep: number,
  visit: (j: number, column: Float64Array) => void,
): void {
  const point = Float64Array.from(x);
  let forward: Float64Array | undefined;
  let column: Float64Array | undefined;
  for (let j = 0; j < point.length; j++) {
    const xj = point[j] as number;
    const h = centralStep(xj, relativeStep);
    point[j] = xj + h;
    // Copied: f may hand back the same buffer on every call.
    const value = f(point);
    forward ??= new Float64Array(value.length);
    forward.set(value);
    point[j] = xj - h;
    const backward = f(point);
    point[j] = xj;
    column ??= new Float64Array(forward.length);
    // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
    for (let i = 0; i < forward.length; i++) column[i] = ((forward[i] as number) - (backward[i] as number)) / (2 * h);
    visit(j, column);
  }
}

/**
 * The Jacobian of f at x by central differences: column j is (f(x + h e_j) − f(x − h e_j)) / 2h.
 * `relativeStep` scales the default step (ε^{1/3}) when a caller needs a smaller stencil,
 * for instance to stay clear of a kink.
 */
export function finiteDifferenceJacobian(
  f: (x: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  relativeStep = CENTRAL_DIFFERENCE_STEP,
): Matrix {
  let jacobian = new Matrix(0, 0);
  let rows: readonly Float64Array[] | undefined;
  finiteDifferenceColumns(f, x, relativeStep, (j, column) => {
    // The first column gives the number of rows.
    rows ??= rowsOf((jacobian = new Matrix(column.length, x.length)));
    for (let i = 0; i < column.length; i++) (rows[i] as Float64Array)[j] = column[i] as number;
  });
  return jacobian;
}

/** The derivative of a scalar function by central differences. */
export function finiteDifferenceDerivative(f: (x: number) => number, x: number): number {
  const h = centralStep(x);
  return (f(x + h) - f(x - h)) / (2 * h);
}
