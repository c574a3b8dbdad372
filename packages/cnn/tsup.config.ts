import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // One engine per app: tfjs-core, @descent/tensor and @descent/layers (its fromConfig registry) stay external.
  external: ['@descent/tensor', '@descent/layers', '@tensorflow/tfjs-core'],
  // The backbone's files are found through import.meta.url in ESM and __filename in CJS.
  esbuildOptions(options) {
    options.logOverride = { 'empty-import-meta': 'silent' };
  },
});
