import { readdir, readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// parseCsv imports csv-parse's self-contained browser build, because csv-parse's Node build needs
// Node's Buffer. That build is ESM only; CommonJS users are on Node, so the CJS files take the Node
// build instead. (esbuild's alias does not apply to packages tsup marks external, hence the rewrite.)
async function useNodeCsvParseInCjs(): Promise<void> {
  for (const name of await readdir('dist')) {
    if (!name.endsWith('.cjs')) continue;
    const file = `dist/${name}`;
    const text = await readFile(file, 'utf8');
    const fixed = text.replaceAll('require("csv-parse/browser/esm/sync")', 'require("csv-parse/sync")');
    if (fixed !== text) await writeFile(file, fixed);
  }
}

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/images.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  onSuccess: useNodeCsvParseInCjs,
  // The image loader finds its data file through import.meta.url in ESM and __filename in CJS.
  esbuildOptions(options) {
    options.logOverride = { 'empty-import-meta': 'silent' };
  },
});
