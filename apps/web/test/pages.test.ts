import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leaveAndCheckTensors, setRange, value, waitForState, waitForValue } from './support/app';
import { type Browser, launch, open, screenshot } from './support/browser';
import { serveDist } from './support/server';

/**
 * Every page in a real Chromium on the built app: it loads without console errors, its demo
 * runs, training lowers the loss, a screenshot lands in test-artifacts/, and leaving the page
 * frees every tensor it made. The light pages run on the default fallback (WebGL, SwiftShader);
 * the three that train convolutional networks on WASM, picked by URL as a user picks it in the
 * header, because SwiftShader's WebGL is ~30× slower than WASM for convolutions.
 */
let server: Awaited<ReturnType<typeof serveDist>>;
let browser: Browser;
const LN2 = Math.log(2);
const LN10 = Math.log(10);

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

describe('every page', () => {
  it('home lists the nine demos', async () => {
    await open(browser.page, server.url, '');
    expect(await browser.page.$$eval('.cards li', (items) => items.length)).toBe(9);
    expect(await browser.page.evaluate(() => window.__descent.numTensors())).toBe(0);
    await screenshot(browser.page, 'page-0-home');
  });

  it('1 two tricks: the net with an activation fits the bump, the linear stack stays a line', async () => {
    const page = browser.page;
    await open(page, server.url, 'tricks');
    await page.waitForSelector('[data-testid="loss"][data-value]');
    const before = await value(page, 'loss');
    await page.click('[data-testid="start"]');
    await waitForValue(page, 'step', 60);
    await page.click('[data-testid="pause"]');
    const after = await value(page, 'loss');
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThan(await value(page, 'loss-linear'));
    expect(await page.textContent('[data-testid="collapse"]')).toMatch(
      /efficacy = .* × dosage \+ .*one line/,
    );
    expect(Number.isFinite(await value(page, 'walk-height'))).toBe(true);
    await screenshot(page, 'page-1-tricks');
    await leaveAndCheckTensors(page, 'tricks');
  });

  it('2 gradient descent playground: every optimizer walks downhill; a click picks the start', async () => {
    const page = browser.page;
    await open(page, server.url, 'descent');
    await page.selectOption('[data-testid="function"]', 'quadratic');
    await page.waitForSelector('[data-testid="loss-sgd"][data-value]');
    const before = await value(page, 'loss-sgd');
    await page.click('[data-testid="start"]');
    await waitForValue(page, 'step', 30);
    await page.click('[data-testid="pause"]');
    for (const key of ['sgd', 'momentum', 'adam', 'rmsprop']) {
      expect(await value(page, `loss-${key}`), key).toBeLessThan(before);
    }
    await screenshot(page, 'page-2-descent');
    // Clicking the map moves the start point and resets the run.
    const map = page.locator('.contour svg').first();
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="step"]')?.getAttribute('data-value') === '0',
    );
    expect(await value(page, 'loss-sgd')).not.toBe(before);
    await leaveAndCheckTensors(page, 'descent');
  });

  it('3 a neural network at work: gradient descent lowers MSE and BCE on the three patients', async () => {
    const page = browser.page;
    await open(page, server.url, 'network');
    await page.waitForSelector('[data-testid="mse"][data-value]');
    const [mse, bce] = [await value(page, 'mse'), await value(page, 'bce')];
    await page.click('[data-testid="start"]');
    await waitForValue(page, 'step', 150);
    await page.click('[data-testid="pause"]');
    expect(await value(page, 'mse')).toBeLessThan(mse);
    expect(await value(page, 'bce')).toBeLessThan(bce);
    expect(await page.$$eval('[data-testid="patients"] tbody tr', (rows) => rows.length)).toBe(3);
    await screenshot(page, 'page-3-network');
    await leaveAndCheckTensors(page, 'network');
  });

  it('4 data scaling: scaled inputs train, raw grams and millimetres do not', async () => {
    const page = browser.page;
    await open(page, server.url, 'scaling');
    await page.fill('[data-testid="epochs"]', '6');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    const standard = await value(page, 'loss-standard');
    expect(standard).toBeLessThan(LN2);
    const raw = await page.getAttribute('[data-testid="loss-none"]', 'data-value');
    expect(raw === 'diverged' || Number(raw) > standard).toBe(true);
    await screenshot(page, 'page-4-scaling');
    await leaveAndCheckTensors(page, 'scaling');
  });

  it('5 tabular classification: penguins train to a confusion matrix and a ROC curve; a bad CSV is shown', async () => {
    const page = browser.page;
    await open(page, server.url, 'tabular');
    await page.fill('[data-testid="epochs"]', '12');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    expect(await value(page, 'loss')).toBeLessThan(LN2);
    expect(await value(page, 'val-accuracy')).toBeGreaterThan(0.75);
    expect(await page.$('[data-testid="confusion"] svg')).not.toBeNull();
    expect(await page.$('[data-testid="roc"] svg')).not.toBeNull();
    await screenshot(page, 'page-5-tabular');
    // A ragged CSV: the error names the file and the row, and is shown, not swallowed.
    await page.setInputFiles('[data-testid="csv-file"]', {
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('size,colour,label\n1,red,a\n2,blue\n3,green,b\n'),
    });
    const error = page.locator('[data-testid="notice-error"]').last();
    expect(await error.textContent()).toMatch(/broken\.csv.*row/);
    // A good CSV: its last column becomes the target.
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'yes' : 'no'}`);
    await page.setInputFiles('[data-testid="csv-file"]', {
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`a,b,answer\n${rows.join('\n')}\n`),
    });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="data-info"]')?.textContent?.includes('mine.csv'),
    );
    expect(await page.textContent('[data-testid="data-info"]')).toContain('classes no, yes');
    await leaveAndCheckTensors(page, 'tabular');
  });

  it('6 convolution by hand: the course example, cell by cell, then max pooling', async () => {
    const page = browser.page;
    await open(page, server.url, 'convolution');
    await page.click('[data-testid="next-cell"]');
    expect(await page.textContent('[data-testid="conv-output"] .cell.current')).toBe('3');
    expect(await page.textContent('[data-testid="sum-line"]')).toMatch(/= 3$/);
    await setRange(page, 'delay', 50);
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done', 60_000);
    const cells = (id: string) =>
      page.$$eval(`[data-testid="${id}"] .cell`, (c) => c.map((e) => e.textContent));
    expect(await cells('conv-output')).toEqual(['3', '2', '3', '2', '2', '4', '3', '3', '3']);
    expect(await cells('pool-output')).toEqual(['4', '2', '6', '8']);
    expect(await page.textContent('[data-testid="conv2d-check"]')).toContain('gives the same 3×3 output');
    await screenshot(page, 'page-6-convolution');
    await leaveAndCheckTensors(page, 'convolution');
  });

  it('7 CNN on digits: trains on MNIST in the page, then reads a digit', async () => {
    const page = browser.page;
    await open(page, server.url, 'digits', 'backend=wasm');
    await page.selectOption('[data-testid="train-size"]', '1000');
    await page.fill('[data-testid="epochs"]', '1');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    expect(await value(page, 'loss')).toBeLessThan(LN10);
    expect(await value(page, 'accuracy')).toBeGreaterThan(0.4);
    expect(await page.textContent('[data-testid="prediction"]')).toMatch(/^\d$/);
    expect(await page.$$eval('[data-testid="filters"] canvas', (c) => c.length)).toBe(8);
    expect(await page.$$eval('[data-testid="feature-maps"] canvas', (c) => c.length)).toBe(16);
    await screenshot(page, 'page-7-digits');
    await leaveAndCheckTensors(page, 'digits');
  });

  it('8 transfer learning: the fine-tuned backbone learns 5-9 from 10 examples each', async () => {
    const page = browser.page;
    await open(page, server.url, 'transfer', 'backend=wasm');
    await page.fill('[data-testid="epochs"]', '6');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    expect(await page.textContent('[data-testid="backbone-info"]')).toContain('digits-0-4-backbone');
    expect(await value(page, 'acc-transfer')).toBeGreaterThan(0.6);
    expect(await value(page, 'acc-scratch')).toBeGreaterThan(0.2);
    await screenshot(page, 'page-8-transfer');
    await leaveAndCheckTensors(page, 'transfer');
  });

  it('9 SHAP: bar, beeswarm and waterfall for the penguin model, a heatmap for a digit', async () => {
    const page = browser.page;
    await open(page, server.url, 'shap', 'backend=wasm');
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done');
    expect(await value(page, 'loss')).toBeLessThan(LN2);
    expect(await value(page, 'accuracy')).toBeGreaterThan(0.8);
    for (const id of ['bar', 'beeswarm', 'waterfall', 'digit-heatmap']) {
      expect(await page.$(`[data-testid="${id}"] svg`), id).not.toBeNull();
    }
    const first = await page.innerHTML('[data-testid="waterfall"]');
    await page.selectOption('[data-testid="row"]', '3');
    expect(await page.innerHTML('[data-testid="waterfall"]')).not.toBe(first);
    await screenshot(page, 'page-9-shap');
    await leaveAndCheckTensors(page, 'shap');
  });
});
