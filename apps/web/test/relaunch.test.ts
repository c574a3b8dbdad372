import { describe, expect, it } from 'vitest';
import { launch, relaunchIfHung } from './support/browser';

describe('relaunchIfHung', () => {
  it('keeps a browser that answers and replaces one whose page is stuck', async () => {
    const first = await launch({ webgpu: false });
    expect(await relaunchIfHung(first, { webgpu: false })).toBe(first);
    // A page busy forever, as a hung renderer looks from outside.
    first.page
      .evaluate(() => {
        for (;;) {}
      })
      .catch(() => {});
    const second = await relaunchIfHung(first, { webgpu: false });
    try {
      expect(second).not.toBe(first);
      expect(await second.page.evaluate(() => 1 + 1)).toBe(2);
    } finally {
      await second.close();
    }
  });
});
