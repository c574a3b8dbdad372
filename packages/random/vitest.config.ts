import { defineConfig } from 'vitest/config';

// Plain numbers only: no tensor backend to start, so no setup file and one unisolated thread pool.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'threads',
    isolate: false,
    testTimeout: 300_000, // a loaded 2-core machine runs the heaviest tests (official MNIST) past a minute
  },
});
