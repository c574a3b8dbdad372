// The chained methods (`x.add(y)`) are registered at run time by the bundled
// register_all_chained_ops; their types are module augmentations in tfjs-core's own .d.ts files.
// tsup's declaration bundle drops side-effect imports, so this puts the one import back that
// makes `tensor.add` type-check for every user of @descent/tensor.
import { readFileSync, writeFileSync } from 'node:fs';

const line = "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';\n";
for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(line)) writeFileSync(file, line + text);
}
