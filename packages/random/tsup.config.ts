import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Keep class names (esbuild would otherwise rename classes that refer to themselves), so
  // `generator.constructor.name` and error names read as written.
  keepNames: true,
});
