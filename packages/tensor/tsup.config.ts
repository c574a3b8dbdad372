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
});
