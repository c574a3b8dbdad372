import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['./test/setup.ts'],
    testTimeout: 300_000, // generous: on a loaded 2-core machine the heaviest tests (e.g. official MNIST) pass a minute
  },
});
