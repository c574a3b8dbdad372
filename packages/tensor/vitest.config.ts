import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The gradient registrations are extensionless ESM inside tfjs-core; let Vite resolve them.
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
    setupFiles: ['./test/setup.ts'],
    testTimeout: 300_000, // generous: on a loaded 2-core machine the heaviest tests (e.g. official MNIST) pass a minute
  },
});
