import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['./test/setup.ts'],
    testTimeout: 300_000, // a loaded 2-core machine runs the heaviest tests (official MNIST) past a minute
  },
});
