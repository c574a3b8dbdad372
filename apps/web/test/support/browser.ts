import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DESCENT_CHROMIUM ?? '/usr/lib/chromium/chromium';
export const artifacts = resolve(import.meta.dirname, '../../test-artifacts');

/** Fails loudly (never skips) when the browser is missing, with the way to install it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the web app's end-to-end tests need it. ` +
        'Install it with: bash scripts/install-chromium.sh (Debian: apt-get install chromium). ' +
        'Do not use `npx playwright install`.',
    );
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors since the last `takeErrors()`. */
  takeErrors(): string[];
  /**
   * tfjs-backend-webgpu's warning that something read a GPU tensor synchronously (it fakes the
   * read through a canvas: slow, and zeros under SwiftShader), since the last call. It warns once
   * per document, so the first page that reads synchronously after a load is the one caught.
   */
  takeSyncReads(): string[];
  close(): Promise<void>;
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/**
 * `browser` itself when its page still answers, otherwise a freshly launched one (the old one
 * closed as far as it lets itself be). SwiftShader's WebGPU has been seen to hang the renderer
 * (a screenshot that never came back, once in four CI runs); without this every later test in
 * the file timed out behind it. Called before each test; a hung test itself still fails.
 */
export async function relaunchIfHung(browser: Browser, options: { webgpu: boolean }): Promise<Browser> {
  try {
    await within(
      browser.page.evaluate(() => 1),
      10_000,
      'page',
    );
    return browser;
  } catch {
    await within(browser.close(), 15_000, 'closing the hung browser').catch(() => {});
    return launch(options);
  }
}

/** Debian's Chromium through playwright-core, headless, with a fresh profile each time. */
export async function launch({ webgpu }: { webgpu: boolean }): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'descent-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
  ];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let errors: string[] = [];
  let syncReads: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    if (message.type() === 'warning' && /synchronously reading data from GPU/.test(message.text())) {
      syncReads.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return {
    context,
    page,
    takeErrors() {
      const taken = errors;
      errors = [];
      return taken;
    },
    takeSyncReads() {
      const taken = syncReads;
      syncReads = [];
      return taken;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the app at `hash` and waits until the page has mounted. */
export async function open(page: Page, base: string, hash: string, query = ''): Promise<void> {
  await page.goto(`${base}${query ? `?${query}` : ''}#/${hash}`);
  await page.waitForFunction(() => window.__descent?.ready === true, null, { timeout: 180_000 });
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 180_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
