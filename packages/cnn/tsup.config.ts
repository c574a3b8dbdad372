import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // One engine per app: tfjs-core, @descent/tensor and @descent/layers (its fromConfig registry) stay external.
  external: ['@descent/tensor', '@descent/layers', '@tensorflow/tfjs-core'],
});
