import { defineConfig } from 'tsup';

// d3-scale, d3-scale-chromatic and d3-array ship ESM only, so the CommonJS build bundles them
// (require() of ESM is not available on every Node 20); the ESM build imports them as usual.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
  },
  {
    entry: ['src/index.ts'],
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    noExternal: [/^d3-/, /^internmap$/],
  },
]);
