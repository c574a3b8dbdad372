import { defineConfig } from 'vitest/config';

// Plain typed arrays only: no tensor backend to start, so no setup file. The tests share no
// state, so one unisolated thread pool skips most of the per-file start-up cost. CI runs every
// package's suite beside the browser tests on two cores, where 5 s (the default) timed out.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'threads',
    isolate: false,
    testTimeout: 300_000, // generous: on a loaded 2-core machine the heaviest tests (e.g. official MNIST) pass a minute
  },
});
