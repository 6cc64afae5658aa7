import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { type LinearOperator, largestSingularValue, matrixOperator } from '../../src/num/lanczos.js';
import { dot } from '../../src/num/linalg.js';
import { createRng, gaussianMatrix, gaussianVector, randomOrthogonal } from '../../src/num/random.js';

/** ‖A‖ and the top right singular vector, by ml-matrix's SVD. */
function svdTop(a: Matrix): { norm: number; vector: number[] } {
  const svd = new SingularValueDecomposition(a, { autoTranspose: true });
  return { norm: svd.norm2, vector: svd.rightSingularVectors.getColumn(0) };
}

/** ‖M x‖ by ml-matrix. */
function normOfProduct(a: Matrix, x: ArrayLike<number>): number {
  return a.mmul(Matrix.columnVector(Array.from(x))).norm('frobenius');
}

function norm(x: ArrayLike<number>): number {
  return Math.hypot(...Array.from(x));
}

/**
 * The best estimate k steps can give, by another route: √λ₁ of AᵀA compressed to the Krylov space
 * span{v, AᵀA v, …, (AᵀA)^{k−1} v}, whose orthonormal basis comes from ml-matrix's QR.
 */
function krylovRitzValue(a: Matrix, start: ArrayLike<number>, k: number): number {
  const gram = a.transpose().mmul(a);
  const columns: number[][] = [Array.from(start)];
  for (let j = 1; j < k; j++) columns.push(gram.mmul(Matrix.columnVector(columns[j - 1] as number[])).getColumn(0));
  const q = new QrDecomposition(new Matrix(columns).transpose()).orthogonalMatrix.subMatrix(0, a.columns - 1, 0, k - 1);
  const compressed = q.transpose().mmul(gram).mmul(q);
  return Math.sqrt(Math.max(...new EigenvalueDecomposition(compressed).realEigenvalues));
}

describe('largestSingularValue', () => {
  it('finds ‖A‖ of a diagonal matrix, with the top coordinate vector as Ritz vector', () => {
    // diag(3, 2, 1) from a start with a component on each axis: the Krylov space is all of R³
    // after three steps, so the estimate is ‖A‖ = 3 and the Ritz vector is ±e₁, both to rounding.
    const a = new Matrix([
      [3, 0, 0],
      [0, 2, 0],
      [0, 0, 1],
    ]);
    const estimate = largestSingularValue(matrixOperator(a), Float64Array.from([1, 1, 1]));
    expect(estimate.value).toBeCloseTo(3, 14);
    expect(Math.abs(estimate.vector[0] as number)).toBeCloseTo(1, 14);
    expect(Math.abs(estimate.vector[1] as number)).toBeLessThan(1e-13);
    expect(Math.abs(estimate.vector[2] as number)).toBeLessThan(1e-13);
    expect(estimate.steps).toBe(3);
    expect(estimate.converged).toBe(true);
  });

  it('matches the SVD norm and top singular vector of Gaussian matrices', () => {
    const rng = createRng('lanczos-gaussian');
    for (const [rows, columns] of [
      [12, 9],
      [9, 12],
      [20, 20],
    ] as const) {
      const a = gaussianMatrix(rng, rows, columns);
      const { norm: expected, vector: top } = svdTop(a);
      const estimate = largestSingularValue(matrixOperator(a), gaussianVector(rng, columns), { maxSteps: columns, tolerance: 0 });
      expect(Math.abs(estimate.value - expected)).toBeLessThan(1e-13 * expected);
      expect(norm(estimate.vector)).toBeCloseTo(1, 14);
      // The estimate is ‖A x‖ for the returned unit vector x.
      expect(Math.abs(normOfProduct(a, estimate.vector) - estimate.value)).toBeLessThan(1e-13 * expected);
      expect(Math.abs(dot(estimate.vector, top))).toBeCloseTo(1, 8);
      expect(estimate.converged).toBe(true);
    }
  });

  it('gives ‖A v‖/‖v‖ after one step, with the Ritz vector −v/‖v‖', () => {
    // After one step B is the 1×1 matrix [α] with α = ‖A v‖/‖v‖. Each of the three inverse-iteration
    // sweeps divides by α² − shift < 0 (the shift lies just above α²) and normalises, so y goes
    // 1 → −1 → 1 → −1, and the Ritz vector is −v/‖v‖.
    const rng = createRng('lanczos-one-step');
    const a = gaussianMatrix(rng, 7, 5);
    const start = gaussianVector(rng, 5);
    const size = norm(start);
    const estimate = largestSingularValue(matrixOperator(a), start, { maxSteps: 1 });
    expect(estimate.value).toBeCloseTo(normOfProduct(a, start) / size, 14);
    for (let i = 0; i < 5; i++) expect(estimate.vector[i]).toBeCloseTo(-(start[i] as number) / size, 15);
    expect(estimate.steps).toBe(1);
    expect(estimate.converged).toBe(false);
    // Two steps give the best estimate from the two-dimensional Krylov space.
    const two = largestSingularValue(matrixOperator(a), start, { maxSteps: 2 });
    expect(two.steps).toBe(2);
    expect(two.converged).toBe(false);
    expect(two.value).toBeCloseTo(krylovRitzValue(a, start, 2), 12);
  });

  it('stops at the first step whose relative change is within the tolerance', () => {
    // 100·diag(3, 2, 1): θ₁ (one step) and θ₂ (two steps) come from the Krylov compression; with a
    // tolerance above |θ₂ − θ₁|/θ₂ the run stops after two steps, which it would not with 0.
    const a = new Matrix([
      [300, 0, 0],
      [0, 200, 0],
      [0, 0, 100],
    ]);
    const start = Float64Array.from([1, 1, 1]);
    const first = krylovRitzValue(a, start, 1);
    const second = krylovRitzValue(a, start, 2);
    const change = Math.abs(second - first) / second;
    expect(change).toBeGreaterThan(1e-3);
    const estimate = largestSingularValue(matrixOperator(a), start, { tolerance: 2 * change });
    expect(estimate.steps).toBe(2);
    expect(estimate.converged).toBe(true);
    expect(estimate.value).toBeCloseTo(second, 10);
    // Half that tolerance does not stop it there: the third step closes the space (n = 3).
    expect(largestSingularValue(matrixOperator(a), start, { tolerance: change / 2 }).steps).toBe(3);
  });

  it('with tolerance 0 stops once the estimate repeats exactly, well before n steps for a separated top', () => {
    // A = Q·diag(10, s₂, …, s₃₀)·Qᵀ with the other singular values in [0, 1]: the Ritz value
    // converges like (1/10)^{2k}, so it reaches the last bits, and then repeats, within a few steps.
    const rng = createRng('lanczos-separated');
    const n = 30;
    const q = randomOrthogonal(rng, n);
    const d = Matrix.zeros(n, n);
    d.set(0, 0, 10);
    for (let i = 1; i < n; i++) d.set(i, i, rng.uniform());
    const a = q.mmul(d).mmul(q.transpose());
    const estimate = largestSingularValue(matrixOperator(a), gaussianVector(rng, n), { maxSteps: n, tolerance: 0 });
    expect(estimate.steps).toBeLessThan(n);
    expect(estimate.converged).toBe(true);
    expect(estimate.value).toBeCloseTo(10, 13);
  });

  it('keeps the estimate and Ritz vector exact when run past convergence (negative tolerance)', () => {
    // A = Q·diag(10, s₂, …, s_n)·P with the other singular values in [0, 1): ‖A‖ = 10 and the top
    // right singular vector is the first row of P. A negative tolerance never stops on the change,
    // so the run goes on for n steps, long after the top value has converged: only full
    // reorthogonalisation keeps the Lanczos vectors from drifting back towards it.
    const rng = createRng('lanczos-past-convergence');
    for (const n of [10, 30]) {
      const q = randomOrthogonal(rng, n);
      const p = randomOrthogonal(rng, n);
      const d = Matrix.zeros(n, n);
      d.set(0, 0, 10);
      for (let i = 1; i < n; i++) d.set(i, i, rng.uniform());
      const a = q.mmul(d).mmul(p);
      const estimate = largestSingularValue(matrixOperator(a), gaussianVector(rng, n), { maxSteps: n, tolerance: -1 });
      expect(estimate.steps).toBe(n);
      expect(Math.abs(estimate.value - 10)).toBeLessThan(1e-14 * 10);
      const top = p.getRow(0);
      const sign = Math.sign(dot(estimate.vector, top));
      for (let i = 0; i < n; i++) expect(Math.abs((estimate.vector[i] as number) - sign * (top[i] as number))).toBeLessThan(1e-12);
    }
  });

  it('sees a numerically closed Krylov space when the singular values fall below 1e−10·‖A‖', () => {
    // Singular values 0.7^i, i < 100: those past i ≈ 65 are below 1e−10 of the top one, so the
    // Krylov space closes (β ≤ 1e−10·θ) before n = 100 steps even when the change never stops it.
    const rng = createRng('lanczos-geometric');
    const n = 100;
    const q = randomOrthogonal(rng, n);
    const p = randomOrthogonal(rng, n);
    const d = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) d.set(i, i, 0.7 ** i);
    const a = q.mmul(d).mmul(p);
    const estimate = largestSingularValue(matrixOperator(a), gaussianVector(rng, n), { maxSteps: n, tolerance: -1 });
    expect(estimate.steps).toBeLessThan(80);
    expect(estimate.converged).toBe(true);
    expect(Math.abs(estimate.value - 1)).toBeLessThan(1e-14);
  });

  it('treats a residual exactly at the closing threshold (1e−10·θ) as a closed space', () => {
    // A = [[1, 1e−10], [0, 1]], start e₁: A e₁ = e₁ so α = 1 and θ = 1; Aᵀe₁ − e₁ = (0, 1e−10),
    // all exact, so β = 1e−10 = 1e−10·θ and the run stops after one step.
    const a = new Matrix([
      [1, 1e-10],
      [0, 1],
    ]);
    const estimate = largestSingularValue(matrixOperator(a), Float64Array.from([1, 0]));
    expect(estimate.steps).toBe(1);
    expect(estimate.converged).toBe(true);
    expect(estimate.value).toBe(1);
  });

  it('stops after one step on a scaled orthogonal map (AᵀA = s²I closes the Krylov space at once)', () => {
    const rng = createRng('lanczos-orthogonal');
    for (const scale of [1e-8, 1, 1e8]) {
      const a = randomOrthogonal(rng, 6).mul(scale);
      const estimate = largestSingularValue(matrixOperator(a), gaussianVector(rng, 6));
      expect(estimate.steps).toBe(1);
      expect(estimate.converged).toBe(true);
      expect(Math.abs(estimate.value - scale)).toBeLessThan(1e-14 * scale);
    }
  });

  it('scales with the matrix: 2^−170·A gives 2^−170 times the estimate for A', () => {
    // Scaling by a power of two is exact, and the squares (~1e−102) stay normal numbers.
    const rng = createRng('lanczos-scale');
    const a = gaussianMatrix(rng, 8, 8);
    const start = gaussianVector(rng, 8);
    const scale = 2 ** -170;
    const reference = largestSingularValue(matrixOperator(a), start);
    const scaled = largestSingularValue(matrixOperator(a.clone().mul(scale)), start);
    expect(Math.abs(reference.value - svdTop(a).norm)).toBeLessThan(1e-13 * reference.value);
    expect(Math.abs(scaled.value / scale - reference.value)).toBeLessThan(1e-13 * reference.value);
    expect(scaled.steps).toBe(reference.steps);
  });

  it('returns ‖A v‖ when α² underflows to 0', () => {
    // A = diag(2e−170, 1e−170), start e₁: α = 2e−170 but α² = 0 in doubles, so the bidiagonal
    // eigenproblem has nothing to say; the only vector seen is e₁, and ‖A e₁‖ = 2e−170 = ‖A‖.
    const a = new Matrix([
      [2e-170, 0],
      [0, 1e-170],
    ]);
    const estimate = largestSingularValue(matrixOperator(a), Float64Array.from([1, 0]));
    expect(estimate.value).toBe(2e-170);
    expect(Math.abs(estimate.vector[0] as number)).toBe(1);
    expect(estimate.steps).toBe(1);
  });

  it('returns 0, the normalised start and no step when A v = 0', () => {
    for (const a of [
      Matrix.zeros(3, 2),
      new Matrix([
        [0, 1],
        [0, 0],
      ]),
    ]) {
      const estimate = largestSingularValue(matrixOperator(a), Float64Array.from([2, 0]));
      expect(estimate.value).toBe(0);
      expect(Array.from(estimate.vector)).toEqual([1, 0]);
      expect(estimate.steps).toBe(0);
      expect(estimate.converged).toBe(true);
    }
  });

  it('keeps a lower bound at least the two-step Ritz value when α vanishes at the third step', () => {
    // A = [[1, 1, 0], [0, 1, 1], [0, 0, 0]] from e₁: every quantity is an exact integer, α₀ = α₁ =
    // β₀ = β₁ = 1 and A v₂ − β₁ u₁ = 0. BᵀB = [[1, 1], [1, 2]] has top eigenvalue φ² (φ the golden
    // ratio), so the estimate is at least φ; ‖A‖ = √3 bounds it above.
    const a = new Matrix([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    const estimate = largestSingularValue(matrixOperator(a), Float64Array.from([1, 0, 0]));
    const phi = (1 + Math.sqrt(5)) / 2;
    expect(estimate.value).toBeGreaterThanOrEqual(phi * (1 - 1e-15));
    expect(estimate.value).toBeLessThanOrEqual(Math.sqrt(3) * (1 + 1e-15));
    expect(estimate.converged).toBe(true);
    expect(estimate.steps).toBe(2);
  });

  it('returns NaN after one step when a product is not finite', () => {
    const operator: LinearOperator = {
      rows: 2,
      columns: 2,
      apply: (x) => Float64Array.from([Number.POSITIVE_INFINITY * (x[0] as number), x[1] as number]),
      applyTransposed: (y) => Float64Array.from([Number.POSITIVE_INFINITY * (y[0] as number), y[1] as number]),
    };
    const estimate = largestSingularValue(operator, Float64Array.from([3, 4]));
    expect(estimate.value).toBeNaN();
    expect(Array.from(estimate.vector)).toEqual([3 / 5, 4 / 5]);
    expect(estimate.steps).toBe(1);
    expect(estimate.converged).toBe(false);
  });

  it('rejects a zero or non-finite start vector', () => {
    const operator = matrixOperator(Matrix.eye(2));
    for (const start of [
      [0, 0],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, 1],
    ]) {
      expect(() => largestSingularValue(operator, Float64Array.from(start))).toThrow(RangeError);
    }
  });
});
