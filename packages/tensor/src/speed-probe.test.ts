import { describe, expect, it } from 'vitest';
import { initBackend, memory } from './index';
import { probeSpeed } from './speed-probe';

describe('probeSpeed', () => {
  it('times real work on the running backend and frees every tensor', async () => {
    await initBackend({ backend: 'wasm' });
    const before = memory().numTensors;
    const probe = await probeSpeed({ rounds: 2 });
    expect(probe.rounds).toBe(2);
    expect(probe.ms).toBeGreaterThan(0);
    expect(Number.isFinite(probe.ms)).toBe(true);
    expect(memory().numTensors).toBe(before);
  });
});
