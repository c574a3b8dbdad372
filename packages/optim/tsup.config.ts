import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The engine must be the app's single copy, reached through @descent/tensor.
  external: ['@descent/tensor', '@tensorflow/tfjs-core'],
});
