// What the measuring scripts share: the built app (apps/web/dist) served on a free local port,
// Debian's Chromium launched on a fresh profile with the project's flags, and the load average.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const dist = resolve(import.meta.dirname, '../dist');
const chromiumPath = process.env.DESCENT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.gz': 'application/gzip',
};

export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Serves dist and opens Chromium; `close()` ends both and removes the profile. */
export async function openBuiltApp({ width = 1280, height = 800, profilePrefix = 'descent-' } = {}) {
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`${dist}/index.html is missing: run pnpm build first`);
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium is missing at ${chromiumPath}: bash scripts/install-chromium.sh`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
    ],
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    url: `http://127.0.0.1:${server.address().port}/`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      server.close();
    },
  };
}
