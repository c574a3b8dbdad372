import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveAndCheckTensors, setRange, value, waitForState } from './support/app';
import { artifacts, type Browser, launch, open } from './support/browser';
import { serveDist } from './support/server';

/**
 * The look inside the digits CNN (#/digits, below the drawing), in Chromium on WASM after a short
 * training run: every layer in order, a clicked map shows its window sliding with the dot
 * product, softmax sums to 1, shifting moves the digit, a blob is flagged as maybe not a digit.
 * Screenshots at 1280×800 and 390×844 go to test-artifacts/ and the README's docs/.
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

const docs = resolve(import.meta.dirname, '../docs');

describe('the look inside the digits CNN, and Shapley values by hand', () => {
  it('draws every layer, opens a window animation on click, and softmax sums to 1', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page, server.url, 'digits', 'backend=wasm');
    await page.selectOption('[data-testid="train-size"]', '1000');
    await page.selectOption('[data-testid="test-size"]', '100');
    await page.fill('[data-testid="epochs"]', '1');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done', 200_000);
    await page.waitForSelector('[data-testid="layers"] .layer-row');
    const types = await page.$$eval('[data-testid="layers"] .layer-row', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.type),
    );
    expect(types).toEqual([
      'input',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Linear',
    ]);
    expect(await page.$$('[data-testid="layers"] canvas')).toHaveLength(1 + 8 * 3 + 16 * 3 + 2);
    expect(await page.$('[data-testid="colour-legend"]')).not.toBeNull();

    // Softmax: ten shares that add up to 1, the largest being the page's answer.
    expect(await value(page, 'softmax-sum')).toBeCloseTo(1, 5);
    const shares = await Promise.all(Array.from({ length: 10 }, (_, d) => value(page, `softmax-${d}`)));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const answer = Number(await page.textContent('[data-testid="prediction"]'));
    expect(shares.indexOf(Math.max(...shares))).toBe(answer);

    // A first-layer map: the 3×3 window starts over the zero padding at the top-left.
    await page.click('[data-testid="map-0-2"]');
    // It plays by itself; moving the slider pauses it.
    await setRange(page, 'window-position', 0);
    expect(await page.getAttribute('[data-testid="window-input"]', 'data-window')).toBe('-1,-1,3');
    await page.click('[data-testid="window-next"]');
    expect(await page.getAttribute('[data-testid="window-input"]', 'data-window')).toBe('-1,0,3');
    const sum = (await page.textContent('[data-testid="window-sum"]')) ?? '';
    expect(sum).toMatch(/bias .* = .*\(the layer says /);
    const [hand, layer] = [...sum.matchAll(/= (-?[\d.e+-]+)/g)]
      .map((m) => Number(m[1]))
      .slice(-1)
      .concat(Number(sum.match(/the layer says (-?[\d.e+-]+)/)?.[1]));
    expect(hand).toBeCloseTo(layer, 2);
    await page.screenshot({ path: resolve(artifacts, 'explainer-1280.png'), fullPage: false });

    // A pooled map: a 2×2 window, two cells a step.
    await page.click('[data-testid="map-2-0"]');
    await setRange(page, 'window-position', 0);
    await page.click('[data-testid="window-next"]');
    expect(await page.getAttribute('[data-testid="window-input"]', 'data-window')).toBe('0,2,2');

    // Moving the digit: the offset moves and the answers for the moved copies are listed.
    await page.click('[data-testid="shift-→"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="offset"]')?.textContent === '(1, 0)',
    );
    expect(await page.textContent('[data-testid="shifts"]')).toMatch(/\(-3, 0\) → \d/);

    // A blob is flagged, whatever the network answers.
    await page.click('text=Clear');
    const pad = await page.$('[data-testid="draw-pad"]');
    await pad?.scrollIntoViewIfNeeded();
    const box = (await pad?.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForSelector('[data-testid="digit-doubt"][data-doubtful="true"]');

    mkdirSync(docs, { recursive: true });
    await page.click('[data-testid="test-digit"]');
    await page.waitForSelector('[data-testid="digit-doubt"][data-doubtful="false"]');
    await page.click('[data-testid="map-0-3"]');
    await setRange(page, 'window-position', 300);
    for (const [name, width, height] of [
      ['1280', 1280, 800],
      ['390', 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      const layers = await page.$('section[aria-label="Inside the network, layer by layer"]');
      await layers?.scrollIntoViewIfNeeded();
      const path = resolve(artifacts, `explainer-${name}.png`);
      await page.screenshot({ path });
      copyFileSync(path, resolve(docs, `explainer-${name}.png`));
      if (name === '1280') {
        await (await page.$('[data-testid="window"]'))?.scrollIntoViewIfNeeded();
        await page.screenshot({ path: resolve(docs, 'explainer-window-1280.png') });
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow, `sideways scroll at ${width}px`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await leaveAndCheckTensors(page, 'digits');
    expect(browser.takeErrors(), 'console errors').toEqual([]);
  });

  it('#/shap: the three-player worked example matches ExactExplainer, live as a value is edited', async () => {
    const page = browser.page;
    await open(page, server.url, 'shap', 'backend=wasm');
    await page.waitForFunction(() =>
      /the same values/.test(document.querySelector('[data-testid="shapley-check"]')?.textContent ?? ''),
    );
    expect(await page.$$('[data-testid="shapley-table"] tbody tr')).toHaveLength(6);
    await page.fill('[data-testid="shapley-value-1"]', '5');
    await page.press('[data-testid="shapley-value-1"]', 'Enter');
    await page.$eval('[data-testid="shapley-value-1"]', (el) => el.dispatchEvent(new Event('change')));
    // x₂·x₃ = 15 now: x₂ and x₃ share it, x₁ keeps 2·x₁ = 2.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="shapley-1"]')?.getAttribute('data-value') === '7.5',
    );
    expect(await value(page, 'shapley-0')).toBe(2);
    await page.waitForFunction(() =>
      /the same values/.test(document.querySelector('[data-testid="shapley-check"]')?.textContent ?? ''),
    );
    expect(await page.textContent('[data-testid="waterfall-units"]')).toMatch(/log-odds/);
    expect(browser.takeErrors(), 'console errors').toEqual([]);
  });

  it('on a phone (390×844): a compact header, #/network tables fit, #/descent maps two by two, no frame after Back', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, server.url, 'network', 'backend=wasm');
    const header = (await page.locator('.site-header').boundingBox())!;
    expect(header.height, 'header height').toBeLessThan(150);
    await page.waitForSelector('[data-testid="cost-table"]');
    const tables = await page.$$eval('#app table', (all) =>
      all.map((t) => ({
        right: t.getBoundingClientRect().right,
        width: t.scrollWidth,
        text: t.textContent?.slice(0, 30),
      })),
    );
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const t of tables) expect(t.right, `table "${t.text}" fits the screen`).toBeLessThanOrEqual(390);
    await open(page, server.url, 'descent', 'backend=wasm');
    const maps = await page.$$eval('.grid-4 .contour', (all) =>
      all.map((m) => m.getBoundingClientRect().top),
    );
    expect(maps).toHaveLength(4);
    expect(Math.abs(maps[0] - maps[1]), 'two maps in a row').toBeLessThan(2);
    await page.goBack();
    await page.waitForFunction(() => window.__descent.page() === 'network');
    await page.waitForSelector('#app[data-ready="true"]');
    expect(await page.$eval('#app', (el) => getComputedStyle(el).outlineStyle)).toBe('none');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(browser.takeErrors(), 'console errors').toEqual([]);
  });
});
