import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../src/pages/registry';
import {
  canvasSpreads,
  expectBackend,
  leaveAndCheckTensors,
  setRange,
  value,
  waitForState,
  waitForValue,
} from './support/app';
import { type Browser, launch, open, relaunchIfHung, screenshot } from './support/browser';
import { serveDist } from './support/server';

/**
 * Every page in a real Chromium on the built app: it loads without console errors, its demo
 * runs, training lowers the loss, a screenshot lands in test-artifacts/, and leaving the page
 * frees every tensor it made.
 *
 * All nine run on WebGPU, the backend the app starts on when the browser has it (SwiftShader's
 * adapter here, with --enable-unsafe-webgpu). SwiftShader runs convolutions on the CPU, very
 * slowly (about 50 ms per digit for a first layer with one input channel), so the CNN pages
 * train there on a few hundred digits, evaluate on 100, and are checked against the same seeded
 * run on WASM: equal numbers prove the WebGPU run really computed (zeros would not match).
 * Then the pages built on the Learner run on the fallbacks a browser without WebGPU gets: the
 * tabular ones on WebGL, the CNN ones on WASM at their full demo sizes.
 */
let server: Awaited<ReturnType<typeof serveDist>>;
const LN2 = Math.log(2);
const LN10 = Math.log(10);

beforeAll(async () => {
  server = await serveDist();
});
afterAll(async () => {
  await server?.close();
});

/** Opens a page on `backend` (picked in the URL unless `query` says otherwise) and checks it runs there. */
async function openOn(
  page: Page,
  hash: string,
  backend: string,
  query = `backend=${backend}`,
): Promise<void> {
  await open(page, server.url, hash, query);
  await expectBackend(page, backend);
}

async function scalingRun(page: Page): Promise<void> {
  await page.fill('[data-testid="epochs"]', '6');
  await page.click('[data-testid="start"]');
  await waitForState(page, 'done');
  const standard = await value(page, 'loss-standard');
  expect(standard).toBeGreaterThan(0);
  expect(standard).toBeLessThan(LN2);
  const raw = await page.getAttribute('[data-testid="loss-none"]', 'data-value');
  expect(raw === 'diverged' || Number(raw) > standard).toBe(true);
  expect(await value(page, 'loss-minmax')).toBeGreaterThan(0);
}

async function tabularRun(page: Page, epochs: number): Promise<void> {
  await page.fill('[data-testid="epochs"]', String(epochs));
  await page.click('[data-testid="start"]');
  await waitForState(page, 'done');
  expect(await value(page, 'epoch')).toBe(epochs);
  expect(await value(page, 'loss')).toBeGreaterThan(0);
  expect(await value(page, 'loss')).toBeLessThan(LN2);
  expect(await value(page, 'val-accuracy')).toBeGreaterThan(0.75);
  expect(await page.$('[data-testid="confusion"] svg')).not.toBeNull();
  expect(await page.$('[data-testid="roc"] svg')).not.toBeNull();
}

interface DigitsSettings {
  train: string;
  test: string;
  epochs: number;
}

/**
 * Trains the digits CNN with these settings (the page's defaults when none are given); returns
 * the last batch loss and the test accuracy.
 */
async function digitsRun(page: Page, settings?: DigitsSettings): Promise<{ loss: number; accuracy: number }> {
  if (settings) {
    await page.selectOption('[data-testid="train-size"]', settings.train);
    await page.selectOption('[data-testid="test-size"]', settings.test);
    await page.fill('[data-testid="epochs"]', String(settings.epochs));
  }
  await page.click('[data-testid="start"]');
  await waitForState(page, 'done', 200_000);
  const loss = await value(page, 'loss');
  expect(loss).toBeGreaterThan(0);
  expect(loss).toBeLessThan(LN10);
  expect(await page.textContent('[data-testid="prediction"]')).toMatch(/^\d$/);
  // Every first-layer filter is drawn from real weights: a 3×3 random kernel is never flat.
  const filters = await canvasSpreads(page, '[data-testid="filters"] canvas');
  expect(filters).toHaveLength(8);
  for (const spread of filters) expect(spread).toBeGreaterThan(0);
  // A ReLU map may be all zero for some filter, but not most of them.
  const maps = await canvasSpreads(page, '[data-testid="feature-maps"] canvas');
  expect(maps).toHaveLength(16);
  expect(maps.filter((s) => s > 0).length).toBeGreaterThan(8);
  return { loss, accuracy: await value(page, 'accuracy') };
}

async function transferRun(
  page: Page,
  settings: { perClass: string; test: string; epochs: number },
): Promise<{ transfer: number; scratch: number }> {
  await page.selectOption('[data-testid="per-class"]', settings.perClass);
  await page.selectOption('[data-testid="test-size"]', settings.test);
  await page.fill('[data-testid="epochs"]', String(settings.epochs));
  await page.click('[data-testid="start"]');
  await waitForState(page, 'done', 200_000);
  expect(await page.textContent('[data-testid="backbone-info"]')).toContain('digits-0-4-backbone');
  return { transfer: await value(page, 'acc-transfer'), scratch: await value(page, 'acc-scratch') };
}

/** Trains and explains; checks the four plots hold real, non-zero SHAP values. */
async function shapRun(
  page: Page,
  settings: { epochs: number; nsamples: string },
): Promise<{ loss: number; accuracy: number }> {
  await page.fill('[data-testid="epochs"]', String(settings.epochs));
  await page.selectOption('[data-testid="nsamples"]', settings.nsamples);
  await page.click('[data-testid="start"]');
  await waitForState(page, 'done', 200_000);
  const loss = await value(page, 'loss');
  expect(loss).toBeLessThan(LN2);
  expect(await value(page, 'accuracy')).toBeGreaterThan(0.8);
  for (const id of ['bar', 'beeswarm', 'waterfall', 'digit-heatmap']) {
    expect(await page.$(`[data-testid="${id}"] svg`), id).not.toBeNull();
  }
  // The bar plot's mean |SHAP| per feature (in each bar's title): zeros would mean no signal.
  const bars = await page.$$eval('[data-testid="bar"] rect title', (titles) =>
    titles.map((t) => Number(t.textContent?.split(': ').pop())),
  );
  expect(bars.length).toBeGreaterThan(2);
  expect(Math.max(...bars)).toBeGreaterThan(0.01);
  // The digit heatmap colours its patches by their values: more than a couple of colours.
  const fills = await page.$$eval('[data-testid="digit-heatmap"] rect', (rects) =>
    rects.map((r) => r.getAttribute('fill')),
  );
  expect(new Set(fills).size).toBeGreaterThan(4);
  const first = await page.innerHTML('[data-testid="waterfall"]');
  await page.selectOption('[data-testid="row"]', '3');
  expect(await page.innerHTML('[data-testid="waterfall"]')).not.toBe(first);
  return { loss, accuracy: await value(page, 'accuracy') };
}

describe('every page, on WebGPU (--enable-unsafe-webgpu, SwiftShader adapter)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch({ webgpu: true });
  });
  beforeEach(async () => {
    browser = await relaunchIfHung(browser, { webgpu: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    expect(browser.takeErrors(), 'console errors').toEqual([]);
    // No page may read a GPU tensor synchronously on WebGPU.
    expect(browser.takeSyncReads(), 'synchronous GPU reads').toEqual([]);
  });

  it('home lists every page of the registry', async () => {
    await openOn(browser.page, '', 'webgpu');
    expect(await browser.page.$$eval('.cards li', (items) => items.length)).toBe(pages.length);
    expect(await browser.page.evaluate(() => window.__descent.numTensors())).toBe(0);
    await screenshot(browser.page, 'page-0-home');
  });

  it('1 two tricks: the net with an activation fits the bump, the linear stack stays a line', async () => {
    const page = browser.page;
    await openOn(page, 'tricks', 'webgpu');
    await page.waitForSelector('[data-testid="loss"][data-value]');
    const before = await value(page, 'loss');
    await page.click('[data-testid="start"]');
    // Thirty steps bend the ReLU net past the straight line; SwiftShader's WebGPU is slow per
    // kernel, and each step of the two nets and the walker runs many small ones.
    await waitForValue(page, 'step', 30);
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
    await openOn(page, 'descent', 'webgpu');
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
    // Clicking the map moves the start point and starts a fresh run from there.
    const map = page.locator('.contour svg').first();
    const box = (await map.boundingBox())!;
    const startX = page.getByLabel('Start x');
    const oldX = await startX.inputValue();
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
    const clickedX = await startX.inputValue();
    expect(clickedX).not.toBe(oldX);
    await waitForState(page, 'running');
    await waitForValue(page, 'step', 5);
    await page.click('[data-testid="pause"]');
    // Changing the function puts its own start point in the fields.
    await page.selectOption('[data-testid="function"]', 'himmelblau');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="step"]')?.getAttribute('data-value') === '0',
    );
    expect(await startX.inputValue()).not.toBe(clickedX);
    await leaveAndCheckTensors(page, 'descent');
  });

  it('2 mini-batch SGD: a constant rate, a step schedule and Adam from the same first weights', async () => {
    const page = browser.page;
    await openOn(page, 'descent', 'webgpu');
    const panel = '[data-testid="minibatch"]';
    // 266 training penguins in batches of 32: 9 steps an epoch, 36 in all; the step schedule
    // divides the rate by 10 after steps 12 and 24.
    await page.fill('[data-testid="mb-epochs"]', '4');
    await page.fill('[data-testid="mb-batch"]', '32');
    await page.selectOption('[data-testid="mb-schedule"]', 'step');
    await page.click(`${panel} [data-testid="start"]`);
    await page.waitForSelector(`${panel} .run-controls[data-state="done"]`, { timeout: 120_000 });
    expect(await value(page, 'mb-epoch')).toBe(4);
    for (const key of ['constant', 'scheduled', 'adam']) {
      const loss = await value(page, `mb-loss-${key}`);
      expect(Number.isFinite(loss) && loss > 0, `${key} loss ${loss}`).toBe(true);
      expect(await value(page, `mb-accuracy-${key}`), key).toBeGreaterThan(0.5);
    }
    // The rate each run stepped with last, read from the page: only the schedule's moved.
    expect(await value(page, 'mb-lr-constant')).toBe(1);
    expect(await value(page, 'mb-lr-scheduled')).toBeCloseTo(0.01, 8);
    expect(await value(page, 'mb-lr-adam')).toBe(0.01);
    for (const chart of ['mb-loss-chart', 'mb-lr-chart']) {
      const lines = await page.$$(`[data-testid="${chart}"] g[aria-label="line"] path`);
      expect(lines, chart).toHaveLength(3);
    }
    await screenshot(page, 'page-2-descent-minibatch');
    // Pause holds the run where it is; Resume goes on; leaving mid-run stops it and frees everything.
    await page.fill('[data-testid="mb-epochs"]', '50');
    await page.click(`${panel} [data-testid="start"]`);
    await waitForValue(page, 'mb-epoch', 1);
    await page.click(`${panel} [data-testid="pause"]`);
    await page.waitForSelector(`${panel} .run-controls[data-state="paused"]`);
    const held = await value(page, 'mb-epoch');
    await page.waitForTimeout(500);
    expect(await value(page, 'mb-epoch')).toBe(held);
    await page.click(`${panel} [data-testid="start"]`);
    await waitForValue(page, 'mb-epoch', held + 1);
    expect(await page.getAttribute(`${panel} .run-controls`, 'data-state')).toBe('running');
    await leaveAndCheckTensors(page, 'descent');
  });

  it('3 a neural network at work: gradient descent lowers MSE and BCE on the three patients', async () => {
    const page = browser.page;
    await openOn(page, 'network', 'webgpu');
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
    await openOn(page, 'scaling', 'webgpu');
    await scalingRun(page);
    await screenshot(page, 'page-4-scaling');
    await leaveAndCheckTensors(page, 'scaling');
  });

  it('5 tabular classification: penguins train to a confusion matrix and a ROC curve; a bad CSV is shown', async () => {
    const page = browser.page;
    await openOn(page, 'tabular', 'webgpu');
    await tabularRun(page, 6);
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
    // The CSV's error belonged to this page: it goes with it.
    expect(await page.$('[data-testid="notice-error"]')).toBeNull();
  });

  it('6 convolution by hand: the course example, cell by cell, then max pooling', async () => {
    const page = browser.page;
    await openOn(page, 'convolution', 'webgpu');
    await page.click('[data-testid="next-cell"]');
    expect(await page.textContent('[data-testid="conv-output"] .cell.current')).toBe('3');
    expect(await page.textContent('[data-testid="sum-line"]')).toMatch(/= 3$/);
    await setRange(page, 'delay', 50);
    await page.click('[data-testid="start"]');
    await waitForState(page, 'done', 180_000);
    const cells = (id: string) =>
      page.$$eval(`[data-testid="${id}"] .cell`, (c) => c.map((e) => e.textContent));
    expect(await cells('conv-output')).toEqual(['3', '2', '3', '2', '2', '4', '3', '3', '3']);
    expect(await cells('pool-output')).toEqual(['4', '2', '6', '8']);
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="conv2d-check"]')
        ?.textContent?.includes('Conv2d on webgpu gives the same 3×3 output'),
    );
    await screenshot(page, 'page-6-convolution');
    await leaveAndCheckTensors(page, 'convolution');
  });

  it('7 CNN on digits: trains in the page and reads a digit, with the same numbers as WASM', async () => {
    const page = browser.page;
    const small = { train: '256', test: '100', epochs: 2 };
    await openOn(page, 'digits', 'webgpu');
    const gpu = await digitsRun(page, small);
    // Sixteen Adam steps on 256 digits (one-cycle): well above chance (10%), about 45% on WASM.
    expect(gpu.accuracy).toBeGreaterThan(0.25);
    await screenshot(page, 'page-7-digits');
    await leaveAndCheckTensors(page, 'digits');
    await openOn(page, 'digits', 'wasm', 'backend=wasm');
    const wasm = await digitsRun(page, small);
    expect(Math.abs(gpu.loss - wasm.loss), `loss ${gpu.loss} vs ${wasm.loss}`).toBeLessThan(1e-3);
    expect(Math.abs(gpu.accuracy - wasm.accuracy)).toBeLessThanOrEqual(0.02);
    await leaveAndCheckTensors(page, 'digits');
  });

  it('7 CNN on digits, the default run on auto (WASM, not the software WebGPU): >= 97 % held out', async () => {
    const page = browser.page;
    await open(page, server.url, 'digits');
    await expectBackend(page, 'wasm');
    expect(await page.textContent('[data-testid="data-note"]')).toMatch(
      /10,000-digit subset.*full 60,000\/10,000 MNIST/,
    );
    expect(await page.$('[data-testid="slow-note"]')).toBeNull();
    const { accuracy } = await digitsRun(page);
    // The whole shipped set: 8,000 to train, every one of the 2,000 held out.
    expect(await value(page, 'seen')).toBe(8000 * 6);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(await value(page, 'elapsed')).toBeGreaterThan(0);
    expect(await value(page, 'images-per-second')).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="summary"]')).toMatch(/of 2,000 held-out digits right/);
    await screenshot(page, 'page-7-digits-default');
    await leaveAndCheckTensors(page, 'digits');
  });

  it('8 transfer learning: the fine-tuned backbone beats training from scratch, as on WASM', async () => {
    const page = browser.page;
    const small = { perClass: '5', test: '100', epochs: 1 };
    await openOn(page, 'transfer', 'webgpu');
    const gpu = await transferRun(page, small);
    // Chance is 20%; one epoch on 25 digits already lifts the new head well above it.
    expect(gpu.transfer).toBeGreaterThan(0.4);
    expect(gpu.transfer).toBeGreaterThan(gpu.scratch);
    await screenshot(page, 'page-8-transfer');
    await leaveAndCheckTensors(page, 'transfer');
    await openOn(page, 'transfer', 'wasm', 'backend=wasm');
    const wasm = await transferRun(page, small);
    expect(Math.abs(gpu.transfer - wasm.transfer)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(gpu.scratch - wasm.scratch)).toBeLessThanOrEqual(0.02);
    await leaveAndCheckTensors(page, 'transfer');
  });

  it('9 SHAP: bar, beeswarm and waterfall for the penguin model, a heatmap for a digit, as on WASM', async () => {
    const page = browser.page;
    const small = { epochs: 5, nsamples: '128' };
    await openOn(page, 'shap', 'webgpu');
    const gpu = await shapRun(page, small);
    await screenshot(page, 'page-9-shap');
    await leaveAndCheckTensors(page, 'shap');
    await openOn(page, 'shap', 'wasm', 'backend=wasm');
    const wasm = await shapRun(page, small);
    expect(Math.abs(gpu.loss - wasm.loss), `loss ${gpu.loss} vs ${wasm.loss}`).toBeLessThan(1e-3);
    expect(gpu.accuracy).toBe(wasm.accuracy);
    await leaveAndCheckTensors(page, 'shap');
  });
});

describe('the Learner pages on the fallbacks: WebGL (no WebGPU), WASM for the CNNs at full size', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch({ webgpu: false });
  });
  beforeEach(async () => {
    browser = await relaunchIfHung(browser, { webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    expect(browser.takeErrors(), 'console errors').toEqual([]);
  });

  it('4 data scaling on WebGL', async () => {
    await openOn(browser.page, 'scaling', 'webgl');
    await scalingRun(browser.page);
    await leaveAndCheckTensors(browser.page, 'scaling');
  });

  it('5 tabular classification on WebGL', async () => {
    await openOn(browser.page, 'tabular', 'webgl');
    await tabularRun(browser.page, 12);
    await leaveAndCheckTensors(browser.page, 'tabular');
  });

  it('8 transfer learning on WASM: the backbone learns 5-9 from 10 examples each', async () => {
    const page = browser.page;
    await openOn(page, 'transfer', 'wasm', 'backend=wasm');
    const { transfer, scratch } = await transferRun(page, { perClass: '10', test: '500', epochs: 6 });
    expect(transfer).toBeGreaterThan(0.6);
    expect(scratch).toBeGreaterThan(0.2);
    await leaveAndCheckTensors(page, 'transfer');
  });

  it('9 SHAP on WASM: the full demo (30 epochs, automatic coalition count)', async () => {
    const page = browser.page;
    await openOn(page, 'shap', 'wasm', 'backend=wasm');
    await shapRun(page, { epochs: 30, nsamples: 'auto' });
    await leaveAndCheckTensors(page, 'shap');
  });
});
