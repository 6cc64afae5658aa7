/** An element-wise activation σ with its derivative and the bound γ = sup |σ′|. */
export interface Activation {
  name: ActivationName;
  apply(z: number): number;
  derivative(z: number): number;
  /** γ: the supremum of |σ′| over the real line. */
  gamma: number;
  /** A pre-activation where |σ′| equals γ, or is within rounding of it when the supremum is not attained. */
  peak: number;
  /** Points where σ is not differentiable (finite differences must not straddle them). */
  kinks: readonly number[];
  /** Whether |σ| is bounded (so a recurrence through it cannot overflow). */
  bounded: boolean;
}

export const ACTIVATION_NAMES = ['tanh', 'sigmoid', 'relu', 'softplus', 'linear'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** The logistic function, written so that neither branch overflows. */
export function logistic(z: number): number {
  // Stryker disable next-line EqualityOperator: at z = 0 both branches give exactly ½
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** softplus(z) = log(1 + eᶻ), without overflow for large z or loss of digits for very negative z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  tanh: {
    name: 'tanh',
    apply: Math.tanh,
    derivative: (z) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
    gamma: 1,
    peak: 0,
    kinks: [],
    bounded: true,
  },
  sigmoid: {
    name: 'sigmoid',
    apply: logistic,
    derivative: (z) => {
      const s = logistic(z);
      return s * (1 - s);
    },
    gamma: 0.25,
    peak: 0,
    kinks: [],
    bounded: true,
  },
  relu: {
    name: 'relu',
    // Stryker disable next-line EqualityOperator: at z = 0 both branches give 0 (only the sign of a zero could differ)
    apply: (z) => (z > 0 ? z : 0),
    // The derivative at the kink is taken as 0, the usual convention.
    derivative: (z) => (z > 0 ? 1 : 0),
    gamma: 1,
    peak: 1,
    kinks: [0],
    bounded: false,
  },
  softplus: {
    name: 'softplus',
    apply: softplus,
    derivative: logistic,
    gamma: 1,
    // σ′(40) = 1 − 4e−18 rounds to 1: the supremum is reached in double precision.
    peak: 40,
    kinks: [],
    bounded: false,
  },
  linear: {
    name: 'linear',
    apply: (z) => z,
    derivative: () => 1,
    gamma: 1,
    peak: 0,
    kinks: [],
    bounded: false,
  },
};

export function applyElementwise(f: (z: number) => number, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(z.length);
  // Stryker disable next-line EqualityOperator: one more turn (<=) reads and writes past the end of a typed array, which JavaScript ignores
  for (let i = 0; i < z.length; i++) out[i] = f(z[i] as number);
  return out;
}

/** The smallest distance from any entry of z to a kink of the activation (∞ when it has none). */
export function distanceToKinks(activation: Activation, z: ArrayLike<number>): number {
  let distance = Number.POSITIVE_INFINITY;
  for (const kink of activation.kinks) {
    for (let i = 0; i < z.length; i++) distance = Math.min(distance, Math.abs((z[i] as number) - kink));
  }
  return distance;
}
