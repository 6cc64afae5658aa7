import { Matrix } from './matrix.js';
import { householderQr, multiply, rowsOf } from './kernels.js';
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

/**
 * Baagøe's Mash hash, as seedrandom's Alea seeds itself with it: each call folds the string
 * into the running state n and returns a fraction in [0, 1).
 */
function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}

/**
 * Baagøe's Alea generator, step for step the one seedrandom 3.0.5 ships (`seedrandom.alea`):
 * the same seed gives the same stream (tests compare the two). Written out here so that the
 * Monte-Carlo loops draw normals without allocating a pair per draw, and so that start-up does not
 * load seedrandom (about 15 ms) for one 30-line generator.
 */
class AleaRng implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private carry = 1;
  /** Box–Muller makes normals in pairs; the second waits here. */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: string) {
    const hash = mash();
    this.s0 = hash(' ');
    this.s1 = hash(' ');
    this.s2 = hash(' ');
    this.s0 -= hash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= hash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= hash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  /** 32 random bits as a fraction in [0, 1). */
  private next(): number {
    const t = 2091639 * this.s0 + this.carry * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.carry = t | 0;
    this.s2 = t - this.carry;
    return this.s2;
  }

  /** 53-bit doubles, as seedrandom's `double()`. */
  uniform(): number {
    return this.next() + ((this.next() * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  }

  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // boxMuller(u₁, u₂) written out, so that no pair is allocated per draw.
    const radius = Math.sqrt(-2 * Math.log1p(-this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }
}

/** A seeded Rng: Alea (53-bit doubles, fast, well mixed), identical to seedrandom's for the same seed. */
export function createRng(seed: string): Rng {
  return new AleaRng(seed);
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
  const { q, rDiagonal } = householderQr(gaussianMatrix(rng, n, n));
  const rows = rowsOf(q);
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads rDiagonal[n], undefined, which is not < 0: nothing happens
  for (let j = 0; j < n; j++) {
    // Stryker disable next-line EqualityOperator: a diagonal entry of R from a Gaussian matrix is 0 with probability 0
    if ((rDiagonal[j] as number) < 0) {
      for (const row of rows) row[j] = -(row[j] as number);
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
  // D + sN is rebuilt in one scratch matrix: the bisection evaluates it some fifty times.
  const scratch = new Matrix(n, n);
  const [D, N, S] = [rowsOf(diagonal), rowsOf(strictUpper), rowsOf(scratch)];
  const normAt = (s: number) => {
    for (let i = 0; i < n; i++) {
      const [d, u, out] = [D[i] as Float64Array, N[i] as Float64Array, S[i] as Float64Array];
      // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
      for (let j = 0; j < n; j++) out[j] = (d[j] as number) + (u[j] as number) * s;
    }
    return spectralNorm(scratch);
  };
  if (norm === 0) return new Matrix(n, n);
  if (n < 2) throw new RangeError('nonNormalMatrix: a 1×1 matrix is normal; a non-normal one needs n ≥ 2');
  if (normAt(0) > norm) throw new RangeError(`nonNormalMatrix: norm ${norm} is below the eigenvalue bound ${eigenvalueBound}`);
  let low = 0;
  let high = 1;
  // Stryker disable next-line EqualityOperator: a tie (‖D + sN‖ exactly equal to the target at a power of 2) has probability 0
  while (normAt(high) < norm) high *= 2;
  // Stryker disable next-line EqualityOperator: one more halving, or one at a tie, moves high by at most 1e-15 relative (a few ulps)
  for (let k = 0; k < 200 && high - low > 1e-15 * high; k++) {
    const mid = (low + high) / 2;
    // Stryker disable next-line EqualityOperator: a tie (‖D + sN‖ exactly equal to the target at a midpoint) has probability 0
    if (normAt(mid) < norm) low = mid;
    else high = mid;
  }
  const core = diagonal.add(strictUpper.mul(high));
  const q = randomOrthogonal(rng, n);
  return multiply(multiply(q, core), q.transpose());
}
