import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI tests spawn node processes; keep the default timeout generous but finite. Hooks get the
    // same: the 150 fits of weightnorm-spread's beforeAll took over 10 s on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
