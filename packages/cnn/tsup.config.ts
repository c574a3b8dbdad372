import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // One engine per app: tfjs-core and @descent/tensor stay external.
  external: ['@descent/tensor', '@tensorflow/tfjs-core'],
});
