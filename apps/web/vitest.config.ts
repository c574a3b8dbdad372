import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium over the built app (test/) and unit tests cover the
// pure helpers (src/). One file at a time: two browsers at once would starve a small CI machine.
// One retry, in a browser relaunched if the last one hung (test/support/browser.ts
// `relaunchIfHung`): SwiftShader's WebGPU has hung the renderer once in four CI runs. A real
// failure fails both tries.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    retry: 1,
  },
});
