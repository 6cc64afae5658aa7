import seedrandom from 'seedrandom';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { spectralNorm } from './linalg.js';

/** A seeded source of random numbers; every random draw in hwcheck goes through one. */
export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Uniform on [low, high). */
  between(low: number, high: number): number;
  /** Standard normal. */
  gaussian(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
}

/** The seed of one trial, derived from the run seed, the claim id and the trial index. */
export function trialSeed(runSeed: number, claimId: string, trial: number): string {
  return `hwcheck/${runSeed}/${claimId}/${trial}`;
}

/**
 * Box–Muller: two independent standard normals from two uniforms on [0, 1).
 * It takes the logarithm of 1 − u₁ ∈ (0, 1], so u₁ = 0 gives 0 rather than −∞.
 */
export function boxMuller(u1: number, u2: number): [number, number] {
  const radius = Math.sqrt(-2 * Math.log1p(-u1));
  const angle = 2 * Math.PI * u2;
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
}

/** An Rng backed by seedrandom's Alea generator (53-bit doubles, fast, well mixed). */
export function createRng(seed: string): Rng {
  const next = seedrandom.alea(seed);
  let spare: number | undefined;
  const uniform = (): number => next.double();
  return {
    uniform,
    between: (low, high) => low + (high - low) * uniform(),
    integer: (n) => Math.floor(uniform() * n),
    gaussian() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const [first, second] = boxMuller(uniform(), uniform());
      spare = second;
      return first;
    },
  };
}

export function gaussianVector(rng: Rng, length: number, scale = 1): Float64Array {
  const v = new Float64Array(length);
  for (let i = 0; i < length; i++) v[i] = scale * rng.gaussian();
  return v;
}

/** A matrix with independent N(0, scale²) entries. */
export function gaussianMatrix(rng: Rng, rows: number, columns: number, scale = 1): Matrix {
  const m = new Matrix(rows, columns);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) m.set(i, j, scale * rng.gaussian());
  }
  return m;
}

/**
 * A Haar-distributed (uniformly random) orthogonal matrix: the Q of a Householder QR of a
 * Gaussian matrix, with each column's sign fixed by the sign of R's diagonal so that the
 * distribution does not depend on the QR's sign convention.
 */
export function randomOrthogonal(rng: Rng, n: number): Matrix {
  const qr = new QrDecomposition(gaussianMatrix(rng, n, n));
  const q = qr.orthogonalMatrix;
  const r = qr.upperTriangularMatrix;
  for (let j = 0; j < n; j++) {
    if (r.get(j, j) < 0) {
      for (let i = 0; i < n; i++) q.set(i, j, -q.get(i, j));
    }
  }
  return q;
}

/** A random permutation matrix (orthogonal with non-negative entries). */
export function randomPermutation(rng: Rng, n: number): Matrix {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const p = new Matrix(n, n);
  order.forEach((column, row) => p.set(row, column, 1));
  return p;
}

/** A Gaussian matrix rescaled so that its spectral norm is `norm`. */
export function matrixWithSpectralNorm(rng: Rng, rows: number, columns: number, norm: number): Matrix {
  const g = gaussianMatrix(rng, rows, columns);
  return g.mul(norm / spectralNorm(g));
}

/**
 * A non-normal matrix Q (D + N) Qᵀ: its eigenvalues are the entries of the diagonal D,
 * all of modulus at most `eigenvalueBound`, while the strictly upper-triangular N makes
 * its spectral norm exactly `norm` (so ‖W‖ is large although every eigenvalue is small).
 */
export function nonNormalMatrix(rng: Rng, n: number, eigenvalueBound: number, norm: number): Matrix {
  const t = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    t.set(i, i, rng.between(-eigenvalueBound, eigenvalueBound));
    for (let j = i + 1; j < n; j++) t.set(i, j, rng.gaussian());
  }
  const diagonal = Matrix.diag(t.diag());
  const strictUpper = t.clone().sub(diagonal);
  // Scale only the nilpotent part until ‖D + sN‖ = norm (bisection: the norm grows with s).
  const normAt = (s: number) => spectralNorm(diagonal.clone().add(strictUpper.clone().mul(s)));
  if (norm === 0) return new Matrix(n, n);
  if (normAt(0) > norm) throw new RangeError(`nonNormalMatrix: norm ${norm} is below the eigenvalue bound ${eigenvalueBound}`);
  let low = 0;
  let high = 1;
  while (normAt(high) < norm) high *= 2;
  for (let k = 0; k < 200 && high - low > 1e-15 * high; k++) {
    const mid = (low + high) / 2;
    if (normAt(mid) < norm) low = mid;
    else high = mid;
  }
  const core = diagonal.add(strictUpper.mul(high));
  const q = randomOrthogonal(rng, n);
  return q.mmul(core).mmul(q.transpose());
}
