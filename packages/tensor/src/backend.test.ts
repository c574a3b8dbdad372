import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, initBackend, runtimeInfo } from './index';

describe('initBackend', () => {
  const saved = process.env.DESCENT_BACKEND;
  afterEach(async () => {
    if (saved === undefined) delete process.env.DESCENT_BACKEND;
    else process.env.DESCENT_BACKEND = saved;
    await initBackend();
  });

  it('starts WASM by default in Node', async () => {
    delete process.env.DESCENT_BACKEND;
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(getBackend()).toBe('wasm');
    expect(info.fellBack).toBe(false);
  });

  it('falls back past a backend that is not available and says why', async () => {
    delete process.env.DESCENT_BACKEND;
    const info = await initBackend({ backend: ['webgpu', 'cpu'] });
    expect(info.name).toBe('cpu');
    expect(info.fellBack).toBe(true);
    expect(info.attempts[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(info.attempts[0].error).toMatch(/not registered/);
  });

  it('lets DESCENT_BACKEND override the option', async () => {
    process.env.DESCENT_BACKEND = 'cpu';
    const info = await initBackend({ backend: 'wasm' });
    expect(info.name).toBe('cpu');
  });

  it('throws naming every backend tried when none starts', async () => {
    delete process.env.DESCENT_BACKEND;
    await expect(initBackend({ backend: ['nope'] })).rejects.toThrow(/nope \(not registered/);
  });

  it('reports the runtime', () => {
    const info = runtimeInfo();
    expect(info.tfjsCore).toBe('4.22.0');
    expect(info.node).toBe(process.versions.node);
  });
});
