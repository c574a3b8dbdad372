import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { value } from './support/app';
import { type Browser, launch, open, relaunchIfHung, screenshot } from './support/browser';
import { serveDist } from './support/server';

let server: Awaited<ReturnType<typeof serveDist>>;

beforeAll(async () => {
  server = await serveDist();
});
afterAll(async () => {
  await server?.close();
});

/**
 * The course's dosage net, seed 5, 20 steps of plain gradient descent, on the backend named in
 * the URL: the MSE, the BCE and the three predictions after the last step.
 */
async function dosageRun(browser: Browser, backend: string): Promise<number[]> {
  await open(browser.page, server.url, 'network', `backend=${backend}`);
  expect(await browser.page.evaluate(() => window.__descent.backend())).toBe(backend);
  await browser.page.waitForSelector('[data-testid="mse"][data-value]');
  const untrained = await value(browser.page, 'mse');
  for (const target of [10, 20]) {
    await browser.page.click('[data-testid="step10"]');
    await browser.page.waitForFunction(
      (n) => document.querySelector('[data-testid="step"]')?.getAttribute('data-value') === String(n),
      target,
      { timeout: 120_000 },
    );
  }
  const predictions = await browser.page.$$eval('[data-testid="patients"] td[data-value]', (cells) =>
    cells.map((c) => Number((c as HTMLElement).dataset.value)),
  );
  const mse = await value(browser.page, 'mse');
  expect(mse, `${backend}: 20 steps lower the MSE`).toBeLessThan(untrained);
  return [mse, await value(browser.page, 'bce'), ...predictions];
}

describe('with WebGPU enabled (--enable-unsafe-webgpu, SwiftShader adapter)', () => {
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

  it('auto ranks the software WebGPU adapter below WASM, and the badge says why', async () => {
    await open(browser.page, server.url, '');
    expect(await browser.page.evaluate(() => window.__descent.backend())).toBe('wasm');
    expect(await browser.page.getAttribute('#backend-badge', 'data-backend')).toBe('wasm');
    expect(await browser.page.textContent('#backend-badge')).toMatch(
      /^WASM: WebGPU is a software adapter here \(google swiftshader\)/,
    );
    const passedOver = await browser.page.evaluate(() => window.__descent.passedOver());
    expect(passedOver.map((p) => p.name)).toEqual(['webgpu', 'webgl']);
    expect(passedOver[1].reason).toMatch(/WebGL is a software renderer here.*SwiftShader/);
    // Nothing failed: ranking a backend lower is not a fallback, so no warning.
    expect(await browser.page.evaluate(() => window.__descent.fallback())).toEqual([]);
    expect(await browser.page.$('[data-testid="notice-warning"]')).toBeNull();
    expect(browser.takeErrors()).toEqual([]);
  });

  it('still runs on the software WebGPU adapter when it is chosen by hand, and says it is software', async () => {
    await open(browser.page, server.url, '', 'backend=webgpu');
    expect(await browser.page.evaluate(() => window.__descent.backend())).toBe('webgpu');
    expect(await browser.page.getAttribute('#backend-badge', 'data-software')).toBe('true');
    expect(await browser.page.textContent('#backend-badge')).toMatch(
      /^WebGPU: software adapter, chosen by hand/,
    );
    expect(browser.takeErrors()).toEqual([]);
  });

  it('gives the same seeded training on webgpu, webgl, wasm and cpu (within float32 tolerance)', async () => {
    const runs: Record<string, number[]> = {};
    for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu'])
      runs[backend] = await dosageRun(browser, backend);
    await screenshot(browser.page, 'backend-webgpu-network');
    expect(browser.takeSyncReads(), 'synchronous GPU reads').toEqual([]);
    const [mse, bce, ...predictions] = runs.cpu;
    expect(predictions).toHaveLength(3);
    expect(mse).toBeGreaterThan(0);
    expect(bce).toBeGreaterThan(0);
    for (const backend of ['wasm', 'webgl', 'webgpu']) {
      runs[backend].forEach((v, i) => {
        expect(
          Math.abs(v - runs.cpu[i]),
          `${backend} vs cpu, value ${i}: ${v} vs ${runs.cpu[i]}`,
        ).toBeLessThan(1e-5 + 1e-4 * Math.abs(runs.cpu[i]));
      });
    }
    expect(browser.takeErrors()).toEqual([]);
  });

  it('shows a WebGPU error (as a failing shader raises) instead of computing zeros in silence', async () => {
    await open(browser.page, server.url, 'convolution', 'backend=webgpu');
    expect(await browser.page.evaluate(() => window.__descent.backend())).toBe('webgpu');
    // A buffer with no usage is invalid: the device raises a real validation error, as it does
    // for a shader that fails to compile.
    await browser.page.evaluate(async () => {
      const device = window.__descent.gpuDevice() as {
        createBuffer(d: { size: number; usage: number }): unknown;
        queue: { onSubmittedWorkDone(): Promise<void> };
      };
      device.createBuffer({ size: 4, usage: 0 });
      // Waiting on the queue sends the call to the GPU process (as the next tfjs kernel would).
      await device.queue.onSubmittedWorkDone();
    });
    const error = browser.page.locator('[data-testid="notice-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^WebGPU: WebGPU reported an error, so results may be wrong/);
    const logged = browser.takeErrors();
    expect(logged.some((e) => e.includes('WebGPU reported an error'))).toBe(true);
    expect(
      logged.every((e) => /WebGPU|createBuffer|usage/i.test(e)),
      logged.join('\n'),
    ).toBe(true);
  });

  it('trains on WebGPU: the descent playground lowers f for every optimizer', async () => {
    await open(browser.page, server.url, 'descent', 'backend=webgpu');
    const before = await value(browser.page, 'loss-sgd');
    await browser.page.click('[data-testid="start"]');
    await browser.page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]')?.getAttribute('data-value')) >= 40,
      null,
      { timeout: 120_000 },
    );
    await browser.page.click('[data-testid="pause"]');
    for (const key of ['sgd', 'momentum', 'adam', 'rmsprop']) {
      expect(await value(browser.page, `loss-${key}`), key).toBeLessThan(before);
    }
    expect(browser.takeErrors()).toEqual([]);
  });
});

describe('without WebGPU', () => {
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

  it('falls back past the missing WebGPU and the software WebGL to WASM, and says so', async () => {
    await open(browser.page, server.url, '');
    expect(await browser.page.evaluate(() => window.__descent.backend())).toBe('wasm');
    expect(await browser.page.getAttribute('#backend-badge', 'data-backend')).toBe('wasm');
    expect(await browser.page.textContent('#backend-badge')).toMatch(
      /^WASM: WebGL is a software renderer here/,
    );
    const notice = browser.page.locator('[data-testid="notice-warning"]');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/WebGPU did not start.*fell back to WASM/);
    const skipped = await browser.page.evaluate(() => window.__descent.fallback());
    expect(skipped.map((s) => s.name)).toEqual(['webgpu']);
    await screenshot(browser.page, 'backend-fallback-wasm');
    expect(browser.takeErrors()).toEqual([]);
  });

  it('shows an error and keeps running when the chosen backend will not start', async () => {
    await open(browser.page, server.url, 'convolution', 'backend=webgpu');
    const error = browser.page.locator('[data-testid="notice-error"]');
    expect(await error.textContent()).toContain('WebGPU would not start');
    expect(await browser.page.evaluate(() => window.__descent.backend())).toBe('wasm');
    await browser.page.waitForFunction(() =>
      document
        .querySelector('[data-testid="conv2d-check"]')
        ?.textContent?.includes('Conv2d on wasm gives the same'),
    );
    expect(browser.takeErrors()).toEqual([]);
  });

  it('switches backend by hand from the header, remounting the page', async () => {
    await open(browser.page, server.url, 'convolution');
    await browser.page.selectOption('#backend-select', 'cpu');
    await browser.page.waitForFunction(() => window.__descent.backend() === 'cpu', null, {
      timeout: 180_000,
    });
    await browser.page.waitForSelector('#backend-badge[data-backend="cpu"]');
    await browser.page.waitForFunction(() =>
      document.querySelector('[data-testid="conv2d-check"]')?.textContent?.includes('Conv2d on cpu'),
    );
    expect(new URL(browser.page.url()).searchParams.get('backend')).toBe('cpu');
    expect(browser.takeErrors()).toEqual([]);
  });
});
