import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Keep class names (esbuild would otherwise emit `_StandardScaler` for classes that refer to
  // themselves), so `scaler.constructor.name` and printed objects read as users expect.
  keepNames: true,
});
