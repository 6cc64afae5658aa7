import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant: every test that exercises src/claims and src/num
 * in-process. Tests that spawn bin/hwcheck.js run the compiled dist/, which a mutant of src/
 * never reaches, so they are left out.
 */
const ALL = ['tests/num/**/*.test.ts', 'tests/claims/**/*.test.ts', 'tests/run/**/*.test.ts', 'tests/faults.test.ts', 'tests/audit/**/*.test.ts'];
/** A group may run a subset (scripts/mutation.mjs, GROUP_TESTS): comma-separated globs. */
const subset = (process.env.HWCHECK_MUTATION_TESTS ?? '').split(',').filter((glob) => glob !== '');

export default defineConfig({
  test: {
    include: subset.length > 0 ? subset : ALL,
    // The pool's tests run trials on worker threads that load the compiled dist/ (see above).
    // The spread of a fitted statistic needs 150 fits: minutes under instrumentation (see the file).
    exclude: ['tests/run/pool.test.ts', 'tests/claims/weightnorm-spread.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
