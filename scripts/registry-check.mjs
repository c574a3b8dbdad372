// Proves every package installs from a registry alone and that its README example runs.
// It starts a local verdaccio on loopback (.ci/verdaccio.yaml: @descent/* only from what is
// published here, everything else from the public npm registry), publishes every package with
// the release flow's publish step (`changeset publish`), then for each package: an empty folder,
// `npm install <package>` from that registry, and the README's first ```ts/```js block run as it
// stands. A package with a `bin` and no code block runs its README's first ```sh block whose lines
// all start with the command. A README that drifts from the package fails here. Last, the
// package's smoke test from scripts/pack-smoke runs in the same folder.
//   node scripts/registry-check.mjs [short names...]   (the packages must be built)
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const packages = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((d) => join(group, d)))
  .filter((d) => existsSync(join(root, d, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);
// Packages that promise to carry no tensor library at all.
const tensorFree = new Set(['@descent/datasets', '@descent/random', '@descent/scalers', '@descent/shap']);

/** The README's example: the first ```ts/```js block, or for a command its first ```sh block of commands. */
export function readmeExample(readme, bin) {
  const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map(([, lang, body]) => ({
    lang,
    body,
  }));
  const code = blocks.find((b) => ['ts', 'js', 'typescript', 'javascript'].includes(b.lang));
  if (code) return { kind: 'module', text: code.body };
  if (bin) {
    const lines = (b) => b.body.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    const sh = blocks.find(
      (b) => b.lang === 'sh' && lines(b).length && lines(b).every((l) => l.startsWith(`${bin} `)),
    );
    if (sh) return { kind: 'shell', text: lines(sh).join('\n') };
  }
  return undefined;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the local registry did not answer at ${url} within ${ms / 1000} s`);
}

const work = mkdtempSync(join(tmpdir(), 'descent-registry-'));
const port = await freePort();
const registry = `http://127.0.0.1:${port}/`;
const npmrc = join(work, 'npmrc');
// Anonymous publishing is allowed for @descent/* only; npm still wants a token to send.
writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=local-registry-check\n`);
const env = {
  ...process.env,
  npm_config_registry: registry,
  npm_config_userconfig: npmrc,
  NPM_CONFIG_USERCONFIG: npmrc,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const verdaccio = spawn(
  join(root, 'node_modules', '.bin', 'verdaccio'),
  ['--config', join(root, '.ci', 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`],
  { env: { ...env, VERDACCIO_STORAGE_PATH: join(work, 'storage') }, stdio: ['ignore', 'inherit', 'inherit'] },
);
const stop = () => verdaccio.kill();
process.on('exit', stop);

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
let failures = 0;
try {
  await waitFor(`${registry}-/ping`, 60_000);
  console.log(`local registry at ${registry} (storage ${join(work, 'storage')})`);
  // The release flow's publish step; the packages were built by the caller (pnpm build).
  run('pnpm', ['exec', 'changeset', 'publish', '--no-git-tag'], root);
  for (const { pkg } of packages) {
    const version = run('npm', ['view', `${pkg.name}@${pkg.version}`, 'version'], root).trim();
    if (version !== pkg.version) throw new Error(`${pkg.name}@${pkg.version} is not on the local registry`);
  }
  console.log(`published ${packages.length} packages`);

  for (const { dir, pkg } of packages) {
    const short = dir.split('/')[1];
    if (only.length && !only.includes(short)) continue;
    const started = Date.now();
    const app = join(work, `use-${short}`);
    mkdirSync(app);
    try {
      const bin = pkg.bin && Object.keys(pkg.bin)[0];
      const example = readmeExample(readFileSync(join(root, dir, 'README.md'), 'utf8'), bin);
      if (!example) throw new Error(`${dir}/README.md has no \`\`\`ts or \`\`\`js example to run`);
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: `use-${short}`, private: true, type: 'module' }),
      );
      run('npm', ['install', '--loglevel=error', pkg.name], app);
      if (tensorFree.has(pkg.name) && existsSync(join(app, 'node_modules', '@tensorflow'))) {
        throw new Error(`${pkg.name} must not bring in @tensorflow, but node_modules/@tensorflow exists`);
      }
      let output;
      if (example.kind === 'module') {
        // The examples are plain JavaScript with top-level await, so they run as ES modules.
        writeFileSync(join(app, 'example.mjs'), example.text);
        output = run('node', ['example.mjs'], app);
      } else {
        writeFileSync(join(app, 'example.sh'), `set -e\n${example.text}\n`);
        output = execFileSync('bash', ['example.sh'], {
          cwd: app,
          env: { ...env, PATH: `${join(app, 'node_modules', '.bin')}:${env.PATH}` },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      }
      // Then the package's own smoke test (CommonJS builds, the ./node entries, bundle round trips).
      const smoke = join(root, 'scripts', 'pack-smoke', `${short}.mjs`);
      if (!existsSync(smoke)) throw new Error(`no smoke test at scripts/pack-smoke/${short}.mjs`);
      copyFileSync(smoke, join(app, 'smoke.mjs'));
      output += run('node', ['smoke.mjs'], app);
      const last = output.trim().split('\n').pop() ?? '';
      console.log(`ok   ${pkg.name} (${((Date.now() - started) / 1000).toFixed(1)} s) ${last.slice(0, 100)}`);
    } catch (err) {
      failures++;
      const text = (err.stderr || err.stdout || err.message).toString().trim();
      console.log(`FAIL ${pkg.name}: ${text.split('\n').slice(-15).join('\n     ')}`);
    }
  }
} catch (err) {
  failures++;
  console.log(`FAIL ${(err.stderr || err.stdout || err.message).toString().trim()}`);
} finally {
  stop();
}
if (!failures) rmSync(work, { recursive: true, force: true });
console.log(
  failures
    ? `${failures} package(s) failed the registry check (${work})`
    : `every package installs from the registry and runs its README example`,
);
process.exit(failures ? 1 : 0);
