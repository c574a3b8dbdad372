import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The gradient registrations are extensionless ESM inside tfjs-core; let Vite resolve them.
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
  },
});
