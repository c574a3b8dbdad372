import { defineConfig } from 'tsup';

export default defineConfig({
  // parallel-worker is the worker thread of fitParallel (@descent/train/node), found beside node.js at run time.
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'parallel-worker': 'src/parallel/worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
  clean: true,
  // import.meta.url in the CJS build too: fitParallel finds its worker script beside itself.
  shims: true,
  sourcemap: true,
  target: 'es2022',
});
