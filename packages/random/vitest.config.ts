import { defineConfig } from 'vitest/config';

// Plain numbers only: no tensor backend to start, so no setup file and one unisolated thread pool.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'threads',
    isolate: false,
    testTimeout: 300_000, // generous: on a loaded 2-core machine the heaviest tests (e.g. official MNIST) pass a minute
  },
});
