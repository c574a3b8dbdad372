import { defineConfig } from 'vitest/config';

// Plain typed arrays only: no tensor backend to start, so no setup file. The tests share no
// state, so one unisolated thread pool skips most of the per-file start-up cost.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'threads',
    isolate: false,
  },
});
