import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI tests spawn node processes; keep the default timeout generous but finite.
    testTimeout: 60_000,
  },
});
