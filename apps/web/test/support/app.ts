import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A readout's full-precision value (its data-value attribute). */
export async function value(page: Page, testId: string): Promise<number> {
  const raw = await page.getAttribute(`[data-testid="${testId}"]`, 'data-value');
  return Number(raw);
}

/** Waits until the page's Start/Pause/Reset bar reports `state` ('done', 'idle', ...). */
export async function waitForState(page: Page, state: string, timeout = 180_000): Promise<void> {
  await page.waitForSelector(`.run-controls[data-state="${state}"]`, { timeout });
}

/** Waits until a readout's value passes `min`. */
export async function waitForValue(
  page: Page,
  testId: string,
  min: number,
  timeout = 120_000,
): Promise<void> {
  await page.waitForFunction(
    ([id, at]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-value')) >= at,
    [testId, min] as const,
    { timeout },
  );
}

/** Range inputs cannot be filled: set the value and fire `input` as a drag would. */
export async function setRange(page: Page, testId: string, position: number): Promise<void> {
  await page.$eval(
    `[data-testid="${testId}"]`,
    (el, v) => {
      (el as HTMLInputElement).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    position,
  );
}

/**
 * Leaves the page for the home page and checks the router's account: every tensor the page
 * made was freed, so the live count is back where it was when the page was entered.
 */
export async function leaveAndCheckTensors(page: Page, pageId: string): Promise<void> {
  await page.evaluate(() => {
    location.hash = '#/';
  });
  await page.waitForFunction(() => window.__descent.page() === 'home', null, { timeout: 180_000 });
  await page.waitForSelector('#app[data-ready="true"]');
  const leave = await page.evaluate(() => window.__descent.lastLeave());
  expect(leave?.page).toBe(pageId);
  expect(leave?.after, `${pageId}: live tensors after leaving vs before entering`).toBe(leave?.before);
}

/** Asserts which tfjs backend the app runs on (it falls back silently only in the notice). */
export async function expectBackend(page: Page, backend: string): Promise<void> {
  expect(await page.evaluate(() => window.__descent.backend()), 'running backend').toBe(backend);
}

/**
 * For each canvas under `selector`, the spread (max - min) of its grey levels: a map or filter
 * drawn from a read that came back as zeros is one flat colour (spread 0).
 */
export async function canvasSpreads(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let min = 255;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) {
        min = Math.min(min, data[i]);
        max = Math.max(max, data[i]);
      }
      return max - min;
    }),
  );
}
