import { Matrix } from 'ml-matrix';

/** Cube root of the double-precision machine epsilon: the step that balances truncation and rounding. */
export const CENTRAL_DIFFERENCE_STEP = Math.cbrt(Number.EPSILON);

/** The central-difference step for coordinate value x: ε^{1/3}·max(1, |x|), rounded so that x ± h is exact. */
export function centralStep(x: number, relativeStep = CENTRAL_DIFFERENCE_STEP): number {
  const h = relativeStep * Math.max(1, Math.abs(x));
  // (x + h) − x is the step actually taken once x + h is rounded.
  return x + h - x;
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
  const n = x.length;
  const point = Float64Array.from(x);
  let jacobian: Matrix | undefined;
  for (let j = 0; j < n; j++) {
    const xj = point[j] as number;
    const h = centralStep(xj, relativeStep);
    point[j] = xj + h;
    const forward = Float64Array.from(f(point));
    point[j] = xj - h;
    const backward = Float64Array.from(f(point));
    point[j] = xj;
    if (jacobian === undefined) jacobian = new Matrix(forward.length, n);
    for (let i = 0; i < forward.length; i++) {
      jacobian.set(i, j, ((forward[i] as number) - (backward[i] as number)) / (2 * h));
    }
  }
  return jacobian ?? new Matrix(0, 0);
}

/** The derivative of a scalar function by central differences. */
export function finiteDifferenceDerivative(f: (x: number) => number, x: number): number {
  const h = centralStep(x);
  return (f(x + h) - f(x - h)) / (2 * h);
}
