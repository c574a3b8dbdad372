// Proves each package stands alone: pack it, install the tarball with only its declared
// dependencies into an empty folder outside the workspace, and run a small smoke test there.
// Sibling @descent packages come from their own tarballs (they are not on the registry yet);
// everything else comes from the npm registry.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((d) => join(group, d)))
  .filter((d) => existsSync(join(root, d, 'package.json')))
  .filter((d) => !JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).private);
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'descent-packs-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const tarballs = {};
for (const dir of dirs) {
  const { name } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const out = run('pnpm', ['pack', '--pack-destination', tarballDir], join(root, dir)).trim().split('\n');
  tarballs[name] = out[out.length - 1].trim();
}

// Packages that promise to carry no tensor library at all.
const tensorFree = new Set(['@descent/datasets', '@descent/random', '@descent/scalers', '@descent/shap']);
let failures = 0;
for (const dir of dirs) {
  const { name } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const short = dir.split('/')[1];
  if (only.length && !only.includes(short)) continue;
  const smoke = join(root, 'scripts', 'pack-smoke', `${short}.mjs`);
  const app = join(work, `use-${short}`);
  mkdirSync(app);
  const overrides = Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, `file:${t}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: `use-${short}`,
        private: true,
        type: 'module',
        dependencies: { [name]: `file:${tarballs[name]}` },
        overrides,
      },
      null,
      2,
    ),
  );
  const started = Date.now();
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
    if (tensorFree.has(name) && existsSync(join(app, 'node_modules', '@tensorflow'))) {
      throw new Error(`${name} must not bring in @tensorflow, but node_modules/@tensorflow exists`);
    }
    if (!existsSync(smoke)) throw new Error(`no smoke test at scripts/pack-smoke/${short}.mjs`);
    copyFileSync(smoke, join(app, 'smoke.mjs'));
    const output = run('node', ['smoke.mjs'], app).trim();
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s) ${output.split('\n').pop()}`);
  } catch (err) {
    failures++;
    console.log(
      `FAIL ${name}: ${(err.stderr || err.stdout || err.message).toString().trim().split('\n').slice(-15).join('\n     ')}`,
    );
  }
}
console.log(
  failures
    ? `${failures} package(s) failed the stand-alone check (${work})`
    : `all packages stand alone (${work})`,
);
process.exit(failures ? 1 : 0);
