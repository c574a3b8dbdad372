import { defineConfig } from 'vitest/config';

// Plain typed arrays only: no tensor backend to start, so no setup file.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
