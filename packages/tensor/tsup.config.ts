import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // tfjs-core ships its gradient and chained-op registrations only as extensionless ESM files that
  // Node cannot load, so they are bundled in; everything else of tfjs stays an external peer.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  // The CommonJS build finds its folder through __filename (src/kernels/native-kernels.ts); there
  // import.meta is empty, and saying so here keeps esbuild from warning about it.
  esbuildOptions(options, context) {
    if (context.format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
});
