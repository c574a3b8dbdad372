import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitForState } from './support/app';
import { type Browser, launch, open, relaunchIfHung, screenshot } from './support/browser';
import { serveDist } from './support/server';

/**
 * Every page fits a phone (390×844, an iPhone 12-14) and a laptop (1280×800): nothing makes the
 * page scroll sideways, before or after its demo ran (charts, feature maps and tables appear
 * then). Wide tables may scroll inside their own box; the page may not. Phone screenshots go
 * to test-artifacts/phone-*.png. Every chart (SVG or canvas) must have an accessible name. On auto (WASM here), with the demos cut short: this is about
 * layout, the other files check what the demos compute.
 */
const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
];
const pages = [
  '',
  'tricks',
  'descent',
  'network',
  'scaling',
  'tabular',
  'convolution',
  'digits',
  'transfer',
  'shap',
  'playground',
  'glossary',
];

let server: Awaited<ReturnType<typeof serveDist>>;
let browser: Browser;
beforeAll(async () => {
  server = await serveDist();
  browser = await launch({ webgpu: false });
});
beforeEach(async () => {
  browser = await relaunchIfHung(browser, { webgpu: false });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => {
  expect(browser.takeErrors(), 'console errors').toEqual([]);
});

/** The elements that stick out past the right edge, for the failure message. */
async function overflow(
  page: Page,
): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String((e as HTMLElement).className)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits };
  });
}

/**
 * The charts a screen reader would meet without a name: every visible SVG (not one nested in
 * another) and canvas in the page, unless hidden from assistive technology or inside a control
 * that names it. A name is an aria-label or aria-labelledby on the chart itself.
 */
async function unnamedCharts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#app svg, #app canvas')]
      .filter((el) => !el.parentElement?.closest('svg'))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 20 && box.height > 20;
      })
      .filter((el) => !el.closest('[aria-hidden="true"], button[aria-label]'))
      .filter((el) => !(el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()} in ${el.closest('section')?.getAttribute('aria-label') ?? 'the page'}`,
      ),
  );
}

/** A short run of the page's demo, so that what training draws is on the page too. */
async function shortRun(page: Page, id: string): Promise<void> {
  // The home page and the glossary run nothing.
  if (!id || id === 'glossary') return;
  if (id === 'digits') {
    await page.selectOption('[data-testid="train-size"]', '256');
    await page.selectOption('[data-testid="test-size"]', '100');
    await page.fill('[data-testid="epochs"]', '1');
  }
  if (id === 'transfer') {
    await page.selectOption('[data-testid="per-class"]', '5');
    await page.selectOption('[data-testid="test-size"]', '100');
    await page.fill('[data-testid="epochs"]', '1');
  }
  if (id === 'shap') {
    await page.fill('[data-testid="epochs"]', '2');
    await page.selectOption('[data-testid="nsamples"]', '128');
  }
  if (id === 'descent') {
    // The page's second demo, the mini-batch panel, runs to the end on its defaults (seconds).
    await page.click('[data-testid="minibatch"] [data-testid="start"]');
    await page.waitForSelector('[data-testid="minibatch"] .run-controls[data-state="done"]', {
      timeout: 120_000,
    });
  }
  await page.click('[data-testid="start"]');
  if (['digits', 'transfer', 'shap', 'scaling'].includes(id)) {
    await waitForState(page, 'done', 120_000);
  } else {
    // The animated demos run until stopped: a second of them is enough to draw everything.
    await page.waitForTimeout(1000);
    // A demo that already finished has Pause disabled: nothing to pause then. Checked and clicked
    // in one step inside the page, so a run that finishes in between is not a 30 s wait.
    await page.$eval('[data-testid="pause"]', (b) => {
      if (!(b as HTMLButtonElement).disabled) (b as HTMLButtonElement).click();
    });
  }
}

describe.each(viewports)('at $width×$height ($name)', ({ name, width, height }) => {
  it.each(pages)('page "%s" does not scroll sideways', async (id) => {
    const page = browser.page;
    await page.setViewportSize({ width, height });
    await open(page, server.url, id);
    const atRest = await overflow(page);
    expect(atRest.scrollWidth, `at rest: ${atRest.culprits.join(', ')}`).toBeLessThanOrEqual(
      atRest.innerWidth,
    );
    await shortRun(page, id);
    expect(await unnamedCharts(page), 'charts without an accessible name').toEqual([]);
    const after = await overflow(page);
    expect(after.scrollWidth, `after a run: ${after.culprits.join(', ')}`).toBeLessThanOrEqual(
      after.innerWidth,
    );
    if (!id) {
      // The check itself fails on an unnamed chart: a bare SVG added to the page is caught.
      await page.evaluate(() => {
        const bare = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        bare.setAttribute('width', '100');
        bare.setAttribute('height', '100');
        bare.id = 'bare-chart';
        document.querySelector('#app')?.append(bare);
      });
      expect(await unnamedCharts(page)).toEqual(['svg in the page']);
      await page.evaluate(() => document.querySelector('#bare-chart')?.remove());
      // The home page's number badges are round, not stretched across the card.
      const badge = (await page.locator('.card-n').first().boundingBox())!;
      expect(Math.abs(badge.width - badge.height)).toBeLessThan(2);
    }
    if (name === 'phone') await screenshot(page, `phone-${pages.indexOf(id)}-${id || 'home'}`);
  });
});
