import { EigenvalueDecomposition, Matrix, determinant } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { boundaryMatrix, frobeniusNorm, nilpotentMatrix, nonNormalMatrix, reflectBothSides } from '../../src/claims/vanish-matrix-free.js';
import { spectralNorm } from '../../src/num/linalg.js';
import { createRng, gaussianMatrix, gaussianVector } from '../../src/num/random.js';

// The matrix-free check builds its matrices without any factorisation. Its claims hold for every
// matrix with the stated properties, so a wrong generator would still let them pass: these tests
// check each generator's properties by an independent route (ml-matrix's SVD and eigenvalues,
// explicit powers and products).

const spectralRadius = (a: Matrix): number => {
  const e = new EigenvalueDecomposition(a);
  return Math.max(...e.realEigenvalues.map((re, i) => Math.hypot(re, e.imaginaryEigenvalues[i] as number)));
};

const power = (a: Matrix, k: number): Matrix => {
  let p = Matrix.eye(a.rows);
  for (let i = 0; i < k; i++) p = p.mmul(a);
  return p;
};

describe('reflectBothSides: M ← H M H with H = I − 2uuᵀ', () => {
  it.each([1, 2, 5, 9])('equals the product of the formed reflection on both sides (n = %i)', (n) => {
    const rng = createRng(`reflect-${n}`);
    const m = gaussianMatrix(rng, n, n);
    const raw = gaussianVector(rng, n);
    const size = Math.hypot(...raw);
    const u = raw.map((x) => x / size);
    const H = Matrix.eye(n).sub(Matrix.columnVector(Array.from(u)).mmul(Matrix.rowVector(Array.from(u))).mul(2));
    const expected = H.mmul(m).mmul(H);
    const rows = Array.from({ length: n }, (_, i) => Float64Array.from(m.getRow(i)));
    reflectBothSides(rows, u);
    rows.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - expected.get(i, j))).toBeLessThan(1e-13)));
  });
});

describe('boundaryMatrix: a Gaussian matrix scaled to a given norm', () => {
  it.each([
    [1, 0.5],
    [6, 0.9],
    [17, 3],
  ])('n = %i: ‖W‖ (SVD) = %f to 1e-12, and W is a dense multiple of a Gaussian draw', (n, norm) => {
    const W = boundaryMatrix(createRng(`boundary-${n}`), n, norm);
    expect(W.rows).toBe(n);
    expect(W.columns).toBe(n);
    expect(Math.abs(spectralNorm(W) / norm - 1)).toBeLessThan(1e-12);
    expect(W.to1DArray().every((x) => x !== 0)).toBe(true);
  });
});

describe('nonNormalMatrix: ‖W‖ fixed, every eigenvalue below a bound, far from normal', () => {
  // Eigenvalues of a far-from-normal matrix are ill-conditioned: a rounding of ε‖W‖ can move them
  // by about (ε‖W‖)^(1/n). The computed spectral radius is trusted only for n ≤ 3 (an error below
  // 1e-5·‖W‖); at every n the trace, Σλ, is computed to rounding and must lie within n·bound.
  const radiusError = (n: number, norm: number) => (n <= 3 ? 1e-5 * norm : Number.POSITIVE_INFINITY);
  const trace = (W: Matrix) => W.diag().reduce((sum, x) => sum + x, 0);

  it.each([
    [2, 1, 1],
    [3, 0.25, 1],
    [12, 0.9 / 4, 0.9],
    [12, 0.01, 2],
  ])('n = %i, bound %f, norm %f: the norm, the eigenvalues, the non-normality and the density', (n, bound, norm) => {
    const W = nonNormalMatrix(createRng(`non-normal-${n}-${bound}`), n, bound, norm);
    expect(Math.abs(spectralNorm(W) / norm - 1)).toBeLessThan(1e-10);
    expect(Math.abs(trace(W))).toBeLessThanOrEqual(n * bound + 1e-12 * norm);
    if (n <= 3) {
      const radius = spectralRadius(W);
      expect(radius).toBeLessThanOrEqual(bound + radiusError(n, norm));
      // Not a nilpotent or shrunk-to-nothing diagonal: the eigenvalues keep a share of the bound.
      expect(radius).toBeGreaterThan(0.05 * Math.min(bound, norm));
    }
    // Non-normal: WWᵀ ≠ WᵀW, by a margin that is a sizeable fraction of ‖W‖².
    const commutator = W.mmul(W.transpose()).sub(W.transpose().mmul(W));
    expect(commutator.norm('frobenius') / norm ** 2).toBeGreaterThan(0.05);
    // The reflections hide the triangular structure: no entry is left at zero.
    expect(W.to1DArray().every((x) => x !== 0)).toBe(true);
  });

  it.each([2, 3])('n = %i: shrinks the eigenvalues to within 15 %% of a tight bound rather than far below it', (n) => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const bound = 0.002;
      const W = nonNormalMatrix(createRng(`shrink-${n}-${seed}`), n, bound, 1);
      const radius = spectralRadius(W);
      expect(radius).toBeLessThanOrEqual(bound + radiusError(n, 1));
      expect(radius).toBeGreaterThan(0.85 * bound);
    }
  });

  it('keeps the unshrunk spectrum when the bound is loose: n = 1 gives W = ±norm', () => {
    const W = nonNormalMatrix(createRng('one'), 1, 10, 0.7);
    expect(Math.abs(W.get(0, 0))).toBeCloseTo(0.7, 14);
  });
});

describe('nilpotentMatrix: c times a permuted shift cut into blocks', () => {
  it.each([
    [7, 3, 2],
    [6, 6, 0.5],
    [9, 1, 1.5],
    [10, 4, 3],
  ])('n = %i, block %i, c = %f: W^block = 0, W^(block−1) ≠ 0, ‖W‖ = c, one c per row and column at most', (n, block, c) => {
    const W = nilpotentMatrix(createRng(`nilpotent-${n}-${block}`), n, block, c);
    expect(power(W, block).to1DArray().every((x) => x === 0)).toBe(true);
    if (block > 1) expect(power(W, block - 1).to1DArray().some((x) => x !== 0)).toBe(true);
    const entries = W.to1DArray();
    expect(entries.every((x) => x === 0 || x === c)).toBe(true);
    // n − 1 links of the shift, less the n − 1 ÷ block cuts between blocks.
    expect(entries.filter((x) => x !== 0).length).toBe(n - 1 - Math.floor((n - 1) / block));
    for (let i = 0; i < n; i++) {
      expect(W.getRow(i).filter((x) => x !== 0).length).toBeLessThanOrEqual(1);
      expect(W.getColumn(i).filter((x) => x !== 0).length).toBeLessThanOrEqual(1);
    }
    if (block > 1) expect(spectralNorm(W)).toBeCloseTo(c, 12);
  });

  it('draws the permutation uniformly: the six orders of a 3-cycle chain each come up about 1/6 of the time', () => {
    const rng = createRng('nilpotent-orders');
    const counts = new Map<string, number>();
    const draws = 1200;
    for (let k = 0; k < draws; k++) {
      const key = nilpotentMatrix(rng, 3, 3, 1).to1DArray().join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Binomial(1200, 1/6): mean 200, sd ≈ 12.9; ±60 is more than 4.6 sd.
    for (const count of counts.values()) expect(Math.abs(count - draws / 6)).toBeLessThan(60);
  });
});

describe('frobeniusNorm: an upper bound on ‖W‖ rounded upwards', () => {
  it('is just above the exact Frobenius norm, by at most 4εn of it', () => {
    const a = new Matrix([
      [3, 0],
      [0, 4],
    ]);
    // √(9 + 16) = 5 exactly in floating point.
    const value = frobeniusNorm(a);
    expect(value).toBeGreaterThan(5);
    expect(value).toBeLessThanOrEqual(5 * (1 + 8 * Number.EPSILON));
    const g = gaussianMatrix(createRng('frobenius'), 30, 30);
    const exact = Math.sqrt(g.to1DArray().reduce((sum, x) => sum + x * x, 0));
    expect(frobeniusNorm(g)).toBeGreaterThanOrEqual(exact);
    expect(frobeniusNorm(g)).toBeLessThanOrEqual(exact * (1 + 121 * Number.EPSILON));
    expect(frobeniusNorm(g)).toBeGreaterThanOrEqual(spectralNorm(g));
  });
});

describe('nonNormalMatrix replayed draw by draw: W = Q (D + N) Qᵀ·scale with Q = H₃H₂H₁', () => {
  it.each([2, 5, 9])('n = %i: the recipe formed explicitly, three reflections, gives the same W (det Q = −1)', (n) => {
    const norm = 0.8;
    const W = nonNormalMatrix(createRng(`replay-${n}`), n, 10, norm);
    // The draws in order: D's diagonal (uniform in [−1, 1]), N's strictly upper entries row by row,
    // the start of the Lanczos run that measures ‖D + N‖ (one run: a bound of 10 is never binding,
    // as every |d_i| ≤ ‖D + N‖), then the three reflection directions.
    const rng = createRng(`replay-${n}`);
    const M = new Matrix(n, n);
    for (let i = 0; i < n; i++) M.set(i, i, rng.between(-1, 1));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) M.set(i, j, rng.gaussian());
    gaussianVector(rng, n);
    let Q = Matrix.eye(n);
    for (let k = 0; k < 3; k++) {
      const u = gaussianVector(rng, n);
      const size = Math.hypot(...u);
      const column = Matrix.columnVector(Array.from(u, (x) => x / size));
      Q = Matrix.eye(n).sub(column.mmul(column.transpose()).mul(2)).mmul(Q);
    }
    const scale = norm / spectralNorm(M);
    const expected = Q.mmul(M).mmul(Q.transpose()).mul(scale);
    // A product of three reflections reverses orientation.
    expect(determinant(Q)).toBeCloseTo(-1, 12);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(W.get(i, j) - expected.get(i, j)), `(${i},${j})`).toBeLessThan(1e-12 * norm);
  });
});
