import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectBackend, leaveAndCheckTensors, value, waitForState } from './support/app';
import { artifacts, type Browser, launch, open, screenshot } from './support/browser';
import { serveDist } from './support/server';

/**
 * The Playground page in Chromium on WASM (the backend of a laptop without a GPU): the
 * boundary changes as the network trains, − and + change the network, the boundary of a
 * 2-[8,8]-1 net keeps redrawing at a fluid rate while it trains (the frames per second are
 * printed and written to test-artifacts/playground-fps.json), every chart has a name, the page
 * fits a phone, and leaving frees every tensor.
 */
let server: Awaited<ReturnType<typeof serveDist>>;
let browser: Browser;
beforeAll(async () => {
  server = await serveDist();
  browser = await launch({ webgpu: false });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => {
  expect(browser.takeErrors(), 'console errors').toEqual([]);
});

/** The boundary heat map's pixels, to tell whether it changed. */
async function boundaryPixels(page: Page): Promise<number[]> {
  return page.$eval('[data-testid="boundary"] canvas.boundary-heat', (c) => {
    const canvas = c as HTMLCanvasElement;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

const nodeCount = (page: Page) => page.$$eval('[data-testid="network"] canvas.net-node', (n) => n.length);

/** Clicks a − / + button and waits until the network has the expected number of nodes. */
async function clickTo(page: Page, testId: string, nodes: number): Promise<void> {
  await page.click(`[data-testid="${testId}"]`);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="network"] canvas.net-node').length === n,
    nodes,
  );
}

/** Loads the page afresh (a hash change alone would keep the last test's network). */
async function openPlayground(page: Page): Promise<void> {
  await page.goto('about:blank');
  await open(page, server.url, 'playground', 'backend=wasm');
  await expectBackend(page, 'wasm');
  await page.waitForSelector('[data-testid="boundary"][data-frames]');
}

describe('the Playground page on WASM', () => {
  it('trains: the boundary changes, the losses fall, Step steps', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await openPlayground(page);
    // Circle, x₁ and x₂, 4 and 2 tanh neurons: 2 + 4 + 2 + 1 nodes.
    expect(await nodeCount(page)).toBe(9);
    const before = await boundaryPixels(page);
    const firstLoss = await value(page, 'train-loss');
    await page.click('[data-testid="step"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) > 0,
    );
    await page.click('[data-testid="start"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) >= 40,
      null,
      { timeout: 120_000 },
    );
    await page.click('[data-testid="pause"]');
    await waitForState(page, 'paused');
    const after = await boundaryPixels(page);
    const changed = after.filter((v, i) => Math.abs(v - before[i]) > 8).length;
    expect(changed, 'boundary pixels that changed').toBeGreaterThan(after.length / 10);
    expect(await value(page, 'train-loss')).toBeLessThan(firstLoss);
    expect(await page.textContent('#boundary-summary')).toMatch(/After .* epochs the network puts \d+ %/);
    await screenshot(page, 'playground-1280');
  });

  it('− and + change the network; every chart has a name and a summary', async () => {
    const page = browser.page;
    await clickTo(page, 'layer-plus', 11);
    expect(await value(page, 'layer-count')).toBe(3);
    await clickTo(page, 'neuron-plus-2', 12);
    await clickTo(page, 'neuron-minus-0', 11);
    await clickTo(page, 'layer-minus', 8);
    expect(await value(page, 'layer-count')).toBe(2);
    // One edge per weight: 2×3 + 3×2 + 2×1.
    expect(await page.$$eval('[data-testid="network"] line', (l) => l.length)).toBe(14);
    const unnamed = await page.$$eval('main svg, main canvas', (charts) =>
      charts
        .filter((c) => !c.closest('[aria-hidden="true"]') && c.getAttribute('aria-hidden') !== 'true')
        .filter((c) => !c.closest('[role="img"][aria-label]'))
        .map((c) => c.outerHTML.slice(0, 80)),
    );
    expect(unnamed, 'charts without an accessible name').toEqual([]);
    const described = await page.$$eval('main [role="img"]', (charts) =>
      charts.map((c) => {
        const id = c.getAttribute('aria-describedby');
        return {
          label: c.getAttribute('aria-label'),
          summary: id ? document.getElementById(id)?.textContent : '',
        };
      }),
    );
    expect(described.length).toBeGreaterThanOrEqual(3);
    for (const d of described) {
      expect(d.label?.length, 'name').toBeGreaterThan(10);
      expect(d.summary?.length, `summary of ${d.label}`).toBeGreaterThan(20);
    }
  });

  it('stays fluid: the boundary of a 2-[8,8]-1 net redraws at a measured rate while it trains', async () => {
    const page = browser.page;
    await openPlayground(page);
    for (let n = 9; n < 13; n++) await clickTo(page, 'neuron-plus-0', n + 1);
    for (let n = 13; n < 19; n++) await clickTo(page, 'neuron-plus-1', n + 1);
    expect(await nodeCount(page)).toBe(2 + 8 + 8 + 1);
    await page.click('[data-testid="start"]');
    await page.waitForTimeout(1500);
    const frames = () =>
      page.$eval('[data-testid="boundary"]', (b) => Number((b as HTMLElement).dataset.frames));
    const [f0, t0] = [await frames(), Date.now()];
    await page.waitForTimeout(6000);
    const [f1, t1] = [await frames(), Date.now()];
    await page.click('[data-testid="pause"]');
    const fps = ((f1 - f0) * 1000) / (t1 - t0);
    console.log(`playground: 2-[8,8]-1 on WASM, boundary ${fps.toFixed(1)} frames per second`);
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(
      join(artifacts, 'playground-fps.json'),
      `${JSON.stringify({ net: '2-[8,8]-1', backend: 'wasm', fps }, null, 2)}\n`,
    );
    // A modest floor: this runs on a shared, loaded machine; the README gives the figures measured.
    expect(fps).toBeGreaterThan(2);
  });

  it('the memorizing preset: test loss rises while train loss falls, and the page says so', async () => {
    const page = browser.page;
    await page.click('[data-testid="preset-memorize"]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="network"] canvas.net-node').length === 7 + 24 + 1,
    );
    await page.click('[data-testid="start"]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="lesson"]')?.textContent ?? '').includes('memorizing'),
      null,
      {
        timeout: 150_000,
      },
    );
    await page.click('[data-testid="pause"]');
    expect(await value(page, 'test-loss')).toBeGreaterThan(await value(page, 'train-loss'));
  });

  it('fits a phone: the controls stack, the boundary stays in view, nothing scrolls sideways', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await openPlayground(page);
    const layout = await page.evaluate(() => {
      const box = document.querySelector('[data-testid="boundary"]')!.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        width: box.width,
        left: box.left,
        right: box.right,
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.width).toBeGreaterThan(250);
    expect(layout.right).toBeLessThanOrEqual(390);
    await page.click('[data-testid="start"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) >= 30,
      null,
      { timeout: 120_000 },
    );
    await page.click('[data-testid="pause"]');
    await waitForState(page, 'paused');
    await screenshot(page, 'playground-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    await leaveAndCheckTensors(page, 'playground');
  });

  it('#/tabular draws the boundary for a two-column CSV, and frees its tensors', async () => {
    const page = browser.page;
    await open(page, server.url, 'tabular', 'backend=wasm');
    expect(await page.isVisible('[data-testid="tabular-boundary"]')).toBe(false);
    // Two numeric columns, the class on which side of the line x + y = 1 a point lies.
    const rows = Array.from({ length: 120 }, (_, i) => {
      const [x, y] = [((i * 37) % 101) / 50, ((i * 59) % 97) / 48];
      return `${x},${y},${x + y > 1.9 ? 'above' : 'below'}`;
    });
    await page.setInputFiles('[data-testid="csv-file"]', {
      name: 'two.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`x,y,side\n${rows.join('\n')}\n`),
    });
    await page.waitForSelector('[data-testid="tabular-boundary"]', { state: 'visible' });
    await page.fill('[data-testid="epochs"]', '15');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    const spread = await page.$eval('[data-testid="tabular-boundary"] canvas.boundary-heat', (c) => {
      const canvas = c as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let [lo, hi] = [255, 0];
      for (let i = 0; i < data.length; i += 4) [lo, hi] = [Math.min(lo, data[i]), Math.max(hi, data[i])];
      return hi - lo;
    });
    expect(spread, 'the boundary shows both classes').toBeGreaterThan(60);
    expect(await page.textContent('#tabular-boundary-summary')).toMatch(/After epoch 15/);
    expect(await value(page, 'val-accuracy')).toBeGreaterThan(0.8);
    await screenshot(page, 'tabular-boundary');
    await leaveAndCheckTensors(page, 'tabular');
  });
});

describe('the Playground page on WebGPU (--enable-unsafe-webgpu, SwiftShader adapter)', () => {
  it('steps and trains with asynchronous reads only, and frees every tensor', async () => {
    const gpu = await launch({ webgpu: true });
    try {
      const page = gpu.page;
      await open(page, server.url, 'playground', 'backend=webgpu');
      await expectBackend(page, 'webgpu');
      await page.waitForSelector('[data-testid="boundary"][data-frames]');
      await page.click('[data-testid="step"]');
      await page.click('[data-testid="start"]');
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) >= 2,
        null,
        { timeout: 120_000 },
      );
      await page.click('[data-testid="pause"]');
      expect(Number.isFinite(await value(page, 'test-loss'))).toBe(true);
      await leaveAndCheckTensors(page, 'playground');
      expect(gpu.takeErrors(), 'console errors').toEqual([]);
      expect(gpu.takeSyncReads(), 'synchronous GPU reads').toEqual([]);
    } finally {
      await gpu.close();
    }
  });
});
