import { defineConfig } from 'tsup';

export default defineConfig({
  // main.ts is both the `descent` program and a module index.ts re-exports. Without splitting each
  // entry is bundled whole, so main.js runs main.ts's own code: it only runs itself when node
  // started that file (see isProcessEntry), which a shared chunk would never be.
  entry: ['src/main.ts', 'src/index.ts'],
  splitting: false,
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  banner: { js: '' },
});
