import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh Node process (the test setup has started a backend already): a tensor op without
// `await initBackend()` must name initBackend, not only tfjs's tf.ready().
describe('a tensor op before initBackend', () => {
  it('names initBackend in the error', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `import { tensor } from ${JSON.stringify(dist)};
try { tensor([1, 2]).dispose(); console.log('no error'); } catch (err) { console.log(err.message); }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stdout).toMatch(
      /^call and await initBackend\(\) from @descent\/tensor before using tensors \(tfjs: .*tf\.ready\(\)/,
    );
  });
});
