import { describe, expect, it } from 'vitest';
import { expectNoLeaks, leakGuard, tensor, tidy } from './index';

describe('leak guard', () => {
  it('passes work that cleans up after itself', async () => {
    await expectNoLeaks(() => tidy(() => tensor([1, 2]).square().sum().dataSync()[0]));
  });

  it('catches a leaked tensor and says how many', async () => {
    let leaked: ReturnType<typeof tensor> | undefined;
    await expect(
      expectNoLeaks(() => {
        leaked = tensor([1, 2]).add(1);
      }, 'step'),
    ).rejects.toThrow(/step: tensor count changed from \d+ to \d+ \(\+2\)/);
    leaked?.dispose();
  });

  it('counts the difference', () => {
    const guard = leakGuard();
    const t = tensor([1]);
    expect(guard.leaked()).toBe(1);
    t.dispose();
    expect(guard.leaked()).toBe(0);
  });
});
