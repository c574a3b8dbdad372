// Prints what each page of the built app downloads: the shell every page shares, then per page
// the chunks it adds (its own code plus the libraries only it uses), raw and gzipped, and the
// data files it fetches. Run after `pnpm build`: node scripts/bundle-sizes.mjs [--json]
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname, '../dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const size = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};

/** A chunk and everything it imports statically. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) closure(dep, seen);
  return seen;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const shell = closure(entryKey);
const sum = (keys) =>
  [...keys].reduce(
    (t, k) => {
      const s = size(manifest[k].file);
      return { raw: t.raw + s.raw, gzip: t.gzip + s.gzip };
    },
    { raw: 0, gzip: 0 },
  );
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

const pageKeys = Object.keys(manifest).filter(
  (k) => /src\/pages\/[a-z]+\.ts$/.test(k) && manifest[k].isDynamicEntry,
);
const pageChunks = new Map(pageKeys.map((k) => [k, [...closure(k)].filter((c) => !shell.has(c))]));
const users = new Map();
for (const chunks of pageChunks.values()) for (const c of chunks) users.set(c, (users.get(c) ?? 0) + 1);

const rows = [
  {
    page: '(shell: every page)',
    ...sum(shell),
    only: sum(shell),
    later: 'the GPU backends below load on demand',
  },
];
for (const key of pageKeys) {
  const own = pageChunks.get(key);
  const lazy = new Set();
  for (const dyn of manifest[key].dynamicImports ?? []) {
    for (const k of closure(dyn)) if (!shell.has(k) && !own.includes(k)) lazy.add(k);
  }
  const assets = [...new Set([...own, ...lazy].flatMap((k) => manifest[k].assets ?? []))];
  const later = [
    lazy.size ? `${kb(sum(lazy).gzip)} gz of code on demand` : '',
    ...assets.map((a) => `${a.split('/').pop()} (${kb(statSync(join(dist, a)).size)})`),
  ].filter(Boolean);
  rows.push({
    page: key.replace('src/pages/', '#/').replace('.ts', ''),
    ...sum(own),
    only: sum(own.filter((c) => users.get(c) === 1)),
    later: later.join(', '),
  });
}
for (const [name, pattern] of [
  ['WebGPU backend', /tfjs-backend-webgpu/],
  ['WebGL backend', /tfjs-backend-webgl/],
]) {
  const key = Object.keys(manifest).find((k) => pattern.test(k));
  if (!key) continue;
  const chunks = [...closure(key)].filter((c) => !shell.has(c));
  rows.push({ page: `(${name}, on demand)`, ...sum(chunks), only: sum(chunks), later: '' });
}

if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  console.log('Sizes: what entering a page downloads, raw / gzip; "own" = chunks no other page uses.');
  console.log(
    'page'.padEnd(28),
    'raw'.padStart(10),
    'gzip'.padStart(10),
    'own gzip'.padStart(10),
    '  fetched later',
  );
  for (const r of rows) {
    console.log(
      r.page.padEnd(28),
      kb(r.raw).padStart(10),
      kb(r.gzip).padStart(10),
      kb(r.only.gzip).padStart(10),
      ' ',
      r.later,
    );
  }
}
