import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand } from '../../src/claims/index.js';
import { MEMORY_LIMIT_BYTES, type Subcommand, formatBytes, registerSubcommand } from '../../src/claims/subcommand.js';
import { UsageError } from '../../src/options.js';
import { dumpTrial } from '../../src/run/runner.js';

// Each subcommand carries a model of its cost: seconds per trial (the time guard) and bytes of
// matrices per trial (the memory guard). Their constants are timed by `npm run bench`, not here;
// what a test can hold them to is their shape: positive and finite, never smaller when a size
// grows, and growing when the work does. (How fast they grow depends on the method a size
// selects, e.g. claim 1.2 switches to its matrix-free check at large n.)

describe('the cost models of every subcommand', () => {
  for (const command of COMMANDS) {
    const sizes = command.options.filter((spec) => spec.shrinkTo !== undefined);
    // Called inside each test: work done while tests are collected is invisible to mutation testing.
    const defaults = () => command.prepare({}).params;

    it(`${command.name}: a trial at the defaults costs a positive, finite time well under a minute`, () => {
      const seconds = command.trialSeconds({});
      expect(Number.isFinite(seconds)).toBe(true);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(60);
    });

    for (const spec of sizes) {
      it(`${command.name}: doubling ${spec.flag} twice makes a trial strictly longer each time`, () => {
        const base = defaults()[spec.key] as number;
        const times = [1, 2, 4].map((factor) => command.trialSeconds({ [spec.key]: String(base * factor) }));
        expect(times[1]).toBeGreaterThan(times[0] as number);
        expect(times[2]).toBeGreaterThan(times[1] as number);
      });
    }

    const dim = sizes.find((spec) => spec.key === 'dim');
    if (dim !== undefined) {
      it(`${command.name}: too large a --dim is refused up front, by the option's range or by the memory guard with its estimate`, () => {
        expect(() => command.prepare({})).not.toThrow();
        let accepted = true;
        try {
          dim.parse('100000');
        } catch {
          accepted = false;
        }
        let error: unknown;
        try {
          command.prepare({ dim: '100000' });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(Error);
        if (accepted) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toMatch(/^--dim 100000 would need about [0-9.]+ (GB|TB|PB) of matrices per trial \(limit 1\.00 GB\)/);
        }
      });
    }
  }
});

/** How many numbers a --dump record holds: the inputs a trial builds, a floor under its memory. */
function numbersIn(value: unknown): number {
  if (typeof value === 'number') return 1;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + numbersIn(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, v) => sum + numbersIn(v), 0);
  return 0;
}

/** Sizes at which to compare the memory estimate with what a trial records. */
const SIZES: Readonly<Record<string, readonly Record<string, string>[]>> = {
  'rnn-equiv': [{}, { dim: '40', steps: '20' }, { inputDim: '60', steps: '30' }],
  vanish: [{}, { dim: '30', steps: '20', method: 'full' }, { dim: '80', steps: '10' }, { inputDim: '50', steps: '40' }],
  momentum: [{}, { dim: '50', steps: '100' }, { samples: '400', steps: '30' }],
  taylor: [{}, { dim: '30' }],
  weightnorm: [{}, { dim: '20', batch: '60', steps: '20' }, { steps: '40', batch: '200' }],
};

// From below, the inputs a trial records are a floor under its memory. From above, at these
// moderate sizes the working arrays (Jacobians, runs, replications) are at most a few dozen
// times the inputs: an estimate 100 times the floor would refuse sizes that fit.
describe('the memory estimate covers the inputs a trial builds, without inflating them', () => {
  for (const command of COMMANDS) {
    it.each(SIZES[command.name] ?? [{}])(`${command.name} %j: 8 bytes × the numbers in the largest --dump record ≤ estimate ≤ 100 times that`, (given) => {
      const estimate = command.estimateBytes(given);
      const recorded = Math.max(...command.prepare(given).claims.map((claim) => numbersIn(dumpTrial(claim, 1, 0).inputs)));
      expect(recorded).toBeGreaterThan(0);
      expect(estimate).toBeGreaterThanOrEqual(8 * recorded);
      expect(estimate).toBeLessThanOrEqual(100 * 8 * recorded);
    });
  }
});

describe('findCommand', () => {
  it('finds every registered subcommand by its name, and nothing else', () => {
    for (const command of COMMANDS) expect(findCommand(command.name)).toBe(command);
    expect(findCommand('audit')).toBeUndefined();
    expect(findCommand('')).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses the largest unit below 1000 and stops at PB', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 kB');
    expect(formatBytes(1.5e9)).toBe('1.50 GB');
    expect(formatBytes(2e18)).toBe('2.00e+3 PB');
  });
});

describe('vanish’s cost models follow the route --method auto takes', () => {
  it('auto costs what full costs up to n = 64 and what matrix-free costs above, in time and in memory', () => {
    const vanish = findCommand('vanish');
    if (vanish === undefined) throw new Error('no vanish');
    for (const [dim, route] of [
      ['64', 'full'],
      ['65', 'matrix-free'],
    ] as const) {
      expect(vanish.trialSeconds({ method: 'auto', dim })).toBe(vanish.trialSeconds({ method: route, dim }));
      expect(vanish.estimateBytes({ method: 'auto', dim })).toBe(vanish.estimateBytes({ method: route, dim }));
    }
    // The two routes cost differently at the same size, so the comparisons above can tell them apart.
    expect(vanish.trialSeconds({ method: 'full', dim: '64' })).not.toBe(vanish.trialSeconds({ method: 'matrix-free', dim: '64' }));
    expect(vanish.trialSeconds({ method: 'full', dim: '65' })).not.toBe(vanish.trialSeconds({ method: 'matrix-free', dim: '65' }));
    expect(vanish.estimateBytes({ method: 'full', dim: '65' })).not.toBe(vanish.estimateBytes({ method: 'matrix-free', dim: '65' }));
  });
});

/** A registered subcommand by name (the cost models are read through the registry, as the CLI reads them). */
function commandNamed(name: string) {
  const command = findCommand(name);
  if (command === undefined) throw new Error(`no ${name}`);
  return command;
}

/** The inputs one trial of a momentum claim records with --dump, at the given options. */
function momentumRecord(id: string, given: Record<string, string>): Record<string, unknown> {
  const claim = commandNamed('momentum')
    .prepare(given)
    .claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no claim ${id}`);
  return dumpTrial(claim, 1, 0).inputs as Record<string, unknown>;
}

describe('momentum’s time model follows the work it counts', () => {
  // 2.1–2.2: T steps of recursions and closed forms in `dim` coordinates, plus the logistic run;
  // 2.3: R replications.
  const seconds = (given: Record<string, string>) => commandNamed('momentum').trialSeconds(given);

  it('every step costs the same, so the time is affine in T with a positive slope, at every --dim', () => {
    for (const dim of ['1', '8', '1000']) {
      const [t10, t20, t30] = [10, 20, 30].map((T) => seconds({ dim, steps: String(T) })) as [number, number, number];
      expect(t20, `dim ${dim}`).toBeGreaterThan(t10);
      expect(Math.abs(t10 + t30 - 2 * t20) / t20, `dim ${dim}`).toBeLessThan(1e-12);
    }
  });

  it('the work of a step grows linearly with --dim: every coordinate of θ costs the same', () => {
    const perStep = (dim: number) => seconds({ dim: String(dim), steps: '200' }) - seconds({ dim: String(dim), steps: '100' });
    const [p1, p2, p3] = [100, 200, 300].map(perStep) as [number, number, number];
    expect(p2).toBeGreaterThan(p1);
    expect(Math.abs(p1 + p3 - 2 * p2) / p2).toBeLessThan(1e-9);
  });

  it('every replication costs the same, so the time is affine in --samples with a positive slope', () => {
    const [t1, t2, t3] = [1000, 2000, 3000].map((R) => seconds({ samples: String(R) })) as [number, number, number];
    expect(t2).toBeGreaterThan(t1);
    expect(Math.abs(t1 + t3 - 2 * t2) / t2).toBeLessThan(1e-12);
  });
});

describe('momentum’s memory model counts the arrays a trial holds', () => {
  const bytes = (given: Record<string, string>) => commandNamed('momentum').estimateBytes(given);
  /** Numbers per coordinate of θ in claim `id`'s record at T steps (the record is linear in --dim). */
  const recordedPerDim = (id: string, steps: number) =>
    (numbersIn(momentumRecord(id, { dim: '4', steps: String(steps), samples: '20' })) - numbersIn(momentumRecord(id, { dim: '2', steps: String(steps), samples: '20' }))) / 2;

  it('counts whole numbers of 8 bytes each', () => {
    const sizes: Record<string, string>[] = [{}, { dim: '3', steps: '7', samples: '21' }, { beta: '0.5', dim: '1', steps: '20000', samples: '20' }, { beta: '0.999', samples: '100000' }];
    for (const given of sizes) {
      const estimate = bytes(given);
      expect(estimate, JSON.stringify(given)).toBeGreaterThan(0);
      expect(Number.isInteger(estimate / 8), JSON.stringify(given)).toBe(true);
    }
  });

  it('is linear in --dim, and each coordinate costs at least what claims 2.1 and 2.2 record per coordinate', () => {
    for (const steps of ['20', '20000']) {
      const at = (dim: number) => bytes({ dim: String(dim), steps, samples: '20' });
      expect(at(2) + at(6), `T = ${steps}`).toBe(2 * at(4));
    }
    const perDim = (bytes({ dim: '4', steps: '20', samples: '20' }) - bytes({ dim: '2', steps: '20', samples: '20' })) / 2;
    for (const id of ['2.1', '2.2']) expect(perDim, id).toBeGreaterThanOrEqual(8 * recordedPerDim(id, 20));
  });

  it('past the stress case’s horizon, every run keeps its T + 1 states: per coordinate, what does not grow with T covers θ₀ and the logistic features', () => {
    // Above LONG_HORIZON every run of claims 2.1–2.2 takes T steps, so the cost of a coordinate is affine in T.
    const perDim = (steps: number) => (bytes({ dim: '4', steps: String(steps), samples: '20' }) - bytes({ dim: '2', steps: String(steps), samples: '20' })) / 2;
    const [a, b, c] = [20000, 40000, 60000].map(perDim) as [number, number, number];
    expect(b).toBeGreaterThan(a);
    expect(a + c).toBe(2 * b);
    const perStep = (b - a) / 20000;
    const atNoStep = a - 20000 * perStep;
    // Claim 2.1 records per coordinate θ₀, the gradient of each step and the logistic features:
    // extrapolated to T = 0, what is left does not depend on T.
    const [r40, r80] = [40, 80].map((T) => recordedPerDim('2.1', T)) as [number, number];
    const recordedPerStep = (r80 - r40) / 40;
    expect(recordedPerStep).toBeGreaterThan(0);
    expect(perStep).toBeGreaterThanOrEqual(8 * recordedPerStep);
    expect(atNoStep).toBeGreaterThanOrEqual(8 * (r40 - 40 * recordedPerStep));
  });

  // Claim 2.3 runs its three streams in turn; each holds v_t from v₀ = 0 and from v₀ ≠ 0 at every
  // checkpoint time for every replication, and one stream of `horizon` draws reused by each replication.
  const streamRecord = (given: Record<string, string>) => {
    const replications = momentumRecord('2.3', { ...given, samples: '20' }).replications as Record<string, { times: number[]; raw: number[][]; started: number[][] }>;
    const stream = replications.gaussian;
    if (stream === undefined) throw new Error('no Gaussian stream in the record of claim 2.3');
    return stream;
  };

  it('is linear in --samples, and each replication costs at least what claim 2.3 records of it for one stream', () => {
    for (const given of [{ beta: '0.5', steps: '200' }, { beta: '0.9', steps: '200' }, { beta: '0.99', steps: '1000' }, { beta: '0.99', steps: '30' }]) {
      const at = (samples: number) => bytes({ ...given, samples: String(samples) });
      expect(at(20) + at(60), JSON.stringify(given)).toBe(2 * at(40));
      const perReplication = (at(60) - at(20)) / 40;
      const stream = streamRecord(given);
      const recorded = (numbersIn(stream.raw) + numbersIn(stream.started)) / 20;
      expect(recorded, JSON.stringify(given)).toBeGreaterThan(1);
      expect(perReplication, JSON.stringify(given)).toBeGreaterThanOrEqual(8 * recorded);
    }
  });

  it('also counts the stream the replications run through: a longer Monte-Carlo horizon costs 8 bytes or more per step', () => {
    // Same T and dim, so the runs of claims 2.1–2.2 are the same; β sets where the Monte-Carlo stops.
    const withoutReplications = (beta: string) => 2 * bytes({ beta, steps: '1000', samples: '20' }) - bytes({ beta, steps: '1000', samples: '40' });
    const horizon = (beta: string) => Math.max(...streamRecord({ beta, steps: '1000' }).times);
    expect(horizon('0.99')).toBeGreaterThan(horizon('0.5'));
    expect(withoutReplications('0.99') - withoutReplications('0.5')).toBeGreaterThanOrEqual(8 * (horizon('0.99') - horizon('0.5')));
  });
});

describe('taylor’s time model: n² for the finite differences and Taylor tests, n³ for the decompositions', () => {
  const seconds = (n: number) => commandNamed('taylor').trialSeconds({ dim: String(n) });
  const second = (n: number) => seconds(n + 2) - 2 * seconds(n + 1) + seconds(n);
  const third = (n: number) => seconds(n + 3) - 3 * seconds(n + 2) + 3 * seconds(n + 1) - seconds(n);

  it('grows at every n ≥ 1', () => {
    for (const n of [1, 2, 3, 4, 5, 8, 13, 100, 1000, 10000]) expect(seconds(n + 1), `n = ${n}`).toBeGreaterThan(seconds(n));
  });

  it('is a cubic in n: the third difference is positive and the same at every n', () => {
    const d3 = third(1);
    expect(d3).toBeGreaterThan(0);
    for (const n of [2, 3, 5, 10, 50]) expect(Math.abs(third(n) - d3) / d3, `n = ${n}`).toBeLessThan(1e-6);
  });

  it('its n² part is positive and leads at n = 1; its n³ part takes over at large n', () => {
    // s(n) = a + b·n + c·n² + d·n³ gives Δ³ = 6d and Δ²(1) = 2c + 12d.
    const d = third(1) / 6;
    const c = (second(1) - 12 * d) / 2;
    expect(c).toBeGreaterThan(d);
    const ratio = seconds(20000) / seconds(10000);
    expect(ratio).toBeGreaterThan(7.5);
    expect(ratio).toBeLessThan(8.5);
  });
});

describe('the memory guard of a subcommand', () => {
  // A subcommand whose estimate is set by the test: the guard is the only thing that can refuse it.
  const withEstimateSpec = (bytes: number): Subcommand<{ dim: number }> => ({
    name: 'probe',
    summary: 'a probe of the memory guard',
    description: '',
    examples: [],
    options: [{ key: 'dim', flag: '--dim', valueName: 'n', description: 'size', parse: Number }],
    defaults: { dim: 1 },
    claims: [],
    estimateBytes: () => bytes,
    trialSeconds: () => 0,
  });
  const withEstimate = (bytes: number) => registerSubcommand(withEstimateSpec(bytes));

  it('shows each claim’s id, title, equations and trial count, and nothing of its code', () => {
    const probe = registerSubcommand<{ dim: number }>({
      ...withEstimateSpec(1),
      claims: [{ id: '9.9', title: 'a probe claim', equations: [1, 2], trials: 3, trial: () => ({ checks: [] }) }],
    });
    expect(probe.claims).toEqual([{ id: '9.9', title: 'a probe claim', equations: [1, 2], trials: 3 }]);
  });

  it('accepts exactly the limit and refuses a byte more', () => {
    expect(() => withEstimate(MEMORY_LIMIT_BYTES).prepare({})).not.toThrow();
    expect(() => withEstimate(MEMORY_LIMIT_BYTES + 1).prepare({})).toThrow(UsageError);
  });

  it('names the sizes given, or "these options" when the defaults alone are too large', () => {
    expect(() => withEstimate(2e9).prepare({})).toThrow(/^these options would need about 2\.00 GB of matrices per trial \(limit 1\.00 GB\)/);
    expect(() => withEstimate(2e9).prepare({ dim: '5' })).toThrow(/^--dim 5 would need about 2\.00 GB/);
  });
});

describe('rnn-equiv’s time model follows the work it counts', () => {
  const seconds = (given: Record<string, string>) => (findCommand('rnn-equiv')?.trialSeconds(given) ?? Number.NaN);
  it('is affine in T with a positive slope, and the cost of a step grows with n', () => {
    for (const dim of ['2', '8', '64']) {
      const [t10, t20, t30] = [10, 20, 30].map((T) => seconds({ dim, steps: String(T) })) as [number, number, number];
      expect(t20).toBeGreaterThan(t10);
      expect(Math.abs(t10 + t30 - 2 * t20) / t20).toBeLessThan(1e-12);
    }
    const perStep = (dim: number) => seconds({ dim: String(dim), steps: '20' }) - seconds({ dim: String(dim), steps: '10' });
    for (const dim of [1, 2, 8, 64]) expect(perStep(2 * dim), `n = ${dim}`).toBeGreaterThan(perStep(dim));
    // At large n the products by W (n² per step) dominate: doubling n more than doubles a step.
    expect(perStep(2000) / perStep(1000)).toBeGreaterThan(2.5);
  });
});

describe('weightnorm’s memory model counts the arrays a trial holds', () => {
  const bytes = (given: Record<string, string>) => commandNamed('weightnorm').estimateBytes(given);

  it('is 8 bytes for each number of the N×d batches, the convergence stream, the recorded runs and the d×d matrices', () => {
    for (const [N, d, T] of [
      [3, 2, 1],
      [20, 5, 10],
      [32, 8, 300],
      [1000, 3, 7],
    ] as const) {
      // N×d: in claim 4.3, the batch and its rows for each of 3 losses, the equality case's raw
      // batch, whitened batch and rows (9 kept), plus 5 at once: the draws and the centred copy
      // while whitening, or the 5 batches copied into the --dump record.
      const batches = (3 * 2 + 3 + 5) * N * d;
      // Claim 4.1's fit runs one stream at a time over 4³·N = 64N inputs: z, the unit, BN of the longest prefix.
      const stream = 3 * 64 * N;
      // Claim 4.3's norms ‖u_0‖…‖u_T‖ of 4 runs (3 losses and the equality case) and losses L_0…L_T of the 3 losses.
      const runs = (4 + 3) * (T + 1);
      // d×d: 2 rotations with their Gaussian draws (4), the diagonal and 2 products of the mixing (3), one more.
      const squares = (4 + 3 + 1) * d * d;
      expect(bytes({ batch: String(N), dim: String(d), steps: String(T) }), `N = ${N}, d = ${d}, T = ${T}`).toBe(8 * (batches + stream + runs + squares));
    }
  });

  it('grows with T by the 7 numbers per step that claim 4.3 records: ‖u_t‖ of four runs and L_t of three', () => {
    const recorded = (steps: number) => {
      const claim = commandNamed('weightnorm')
        .prepare({ dim: '2', batch: '3', steps: String(steps) })
        .claims.find((c) => c.id === '4.3');
      if (claim === undefined) throw new Error('no claim 4.3');
      const runs = Object.values(dumpTrial(claim, 1, 0).inputs as Record<string, { norms: number[]; losses?: number[] }>);
      return runs.reduce((sum, run) => sum + run.norms.length + (run.losses?.length ?? 0), 0);
    };
    const perStep = (recorded(30) - recorded(10)) / 20;
    expect(perStep).toBe(7);
    expect(bytes({ steps: '30' }) - bytes({ steps: '10' })).toBe(8 * 20 * perStep);
  });
});

describe('rnn-equiv’s memory model counts the arrays a trial holds', () => {
  // Kept until the trial ends, for --dump, per activation: W (n×n), U (n×m), b (n), x_1…x_T (T×m)
  // and h_0 (n): the numbers of the record. Held while one activation runs: the drives U x_t + b
  // (T×n), h_1…h_T (T×n), g_0…g_T ((T+1)×n) and z_1…z_T (T×n).
  const sizes: Record<string, string>[] = [{}, { dim: '3', inputDim: '7', steps: '5' }, { activation: 'all', dim: '4', inputDim: '2', steps: '3' }];
  it.each(sizes)('%j: 8 bytes × (the numbers recorded + (4T + 1)·n)', (given) => {
    const command = commandNamed('rnn-equiv');
    const run = command.prepare(given);
    const { dim: n, inputDim: m, steps: T } = run.params as { dim: number; inputDim: number; steps: number };
    const activations = given.activation === 'all' ? 5 : 1;
    const recorded = numbersIn(dumpTrial(run.claims[0] as (typeof run.claims)[number], 1, 0).inputs);
    expect(recorded).toBe(activations * (n * n + n * m + n + T * m + n));
    const running = T * n + T * n + (T + 1) * n + T * n;
    expect(command.estimateBytes(given)).toBe(8 * (recorded + running));
  });
});

describe('vanish’s matrix-free memory model counts the arrays a trial holds', () => {
  // Kept until the trial ends, for --dump, per activation: claim 1.3's cases (random, tight,
  // exploding, nilpotent, saturated), each W (n×n), its T drives (n each) and g_0 (n): the numbers
  // of the record. Held while one case runs: the generator's n×n work (a Gaussian matrix, Q and R),
  // 11 rows of T + 1 vectors of n, the two Lanczos bases of a norm estimate (≤ 400 vectors of n),
  // and the random cases' U (n×m) and inputs, counted three times (T×m each).
  const sizes: Record<string, string>[] = [
    { method: 'matrix-free', dim: '3', steps: '4' },
    { method: 'matrix-free', dim: '6', inputDim: '3', steps: '2' },
    { method: 'matrix-free', activation: 'sigmoid', dim: '5', steps: '3' },
  ];
  it.each(sizes)('%j: 8 bytes × (claim 1.3’s record + the running arrays)', (given) => {
    const command = commandNamed('vanish');
    const run = command.prepare(given);
    const { dim: n, inputDim: m, steps: T } = run.params as { dim: number; inputDim: number; steps: number };
    const claim = run.claims.find((c) => c.id === '1.3');
    if (claim === undefined) throw new Error('no claim 1.3');
    const recorded = numbersIn(dumpTrial(claim, 1, 0).inputs);
    // Five cases of n² + T·n + n numbers; nothing else in the record but its few scalars.
    expect(recorded - 5 * (n * n + T * n + n)).toBeGreaterThanOrEqual(0);
    expect(recorded - 5 * (n * n + T * n + n)).toBeLessThan(5);
    const running = 3 * n * n + 11 * (T + 1) * n + 2 * Math.min(400, n) * n + n * m + 3 * T * m;
    expect(command.estimateBytes(given)).toBe(8 * (5 * (n * n + T * n + n) + running));
  });

  it('keeps five cases for each activation, and Lanczos bases of at most 400 vectors', () => {
    const bytes = (given: Record<string, string>) => commandNamed('vanish').estimateBytes({ method: 'matrix-free', steps: '1', inputDim: '1', ...given });
    const one = bytes({ dim: '10' });
    const all = bytes({ dim: '10', activation: 'all' });
    // Four more activations add four more sets of five cases: 4 · 5 · (n² + T·n + n) numbers.
    expect(all - one).toBe(8 * 4 * 5 * (100 + 10 + 10));
    // Above 400 the bases stop growing with n: 2·400·n instead of 2n².
    const perDim = (dim: number) => bytes({ dim: String(dim + 1) }) - bytes({ dim: String(dim) });
    expect(perDim(500) - perDim(499)).toBe(8 * (5 * 2 + 3 * 2));
    expect(perDim(300) - perDim(299)).toBe(8 * (5 * 2 + 3 * 2 + 2 * 2));
  });
});
