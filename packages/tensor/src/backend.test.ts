import { afterEach, describe, expect, it } from 'vitest';
import {
  type BrowserBackendEnvironment,
  type GpuDescription,
  getBackend,
  initBackend,
  runtimeInfo,
  startBrowserBackend,
} from './index';

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

const swiftShader: GpuDescription = {
  isFallbackAdapter: true,
  vendor: 'google',
  architecture: 'swiftshader',
};
const realGpu: GpuDescription = { vendor: 'nvidia', architecture: 'ampere' };
const hidden: GpuDescription = {};

/**
 * A browser stood in for: what it says about its GPUs, which backends start (a string is why one
 * does not), and each backend's probe time. Records the starts in order.
 */
function fakeBrowser(options: {
  webgpu: GpuDescription | string;
  webgl: GpuDescription | string;
  fails?: Record<string, string>;
  probeMs?: Record<string, number>;
}) {
  const starts: string[] = [];
  let running = '';
  const env: BrowserBackendEnvironment = {
    describeGpu: (name) => options[name],
    tryStart: async (name) => {
      starts.push(name);
      const reason = options.fails?.[name] ?? null;
      if (reason === null) running = name;
      return reason;
    },
    probeMs: async () => options.probeMs?.[running] ?? Number.NaN,
  };
  return { env, starts };
}

describe('startBrowserBackend: the browser order', () => {
  it('a real GPU wins: WebGPU starts first and nothing else is tried', async () => {
    const { env, starts } = fakeBrowser({ webgpu: realGpu, webgl: realGpu });
    const start = await startBrowserBackend('auto', env);
    expect(start).toEqual({ name: 'webgpu', skipped: [], passedOver: [] });
    expect(starts).toEqual(['webgpu']);
  });

  it('software adapters rank below WASM, and the reason names the adapter', async () => {
    const { env, starts } = fakeBrowser({
      webgpu: swiftShader,
      webgl: { renderer: 'ANGLE (SwiftShader Device)' },
    });
    const start = await startBrowserBackend('auto', env);
    expect(start.name).toBe('wasm');
    expect(start.software).toBe(false);
    expect(start.passedOver.map((p) => p.name)).toEqual(['webgpu', 'webgl']);
    expect(start.why).toBe('WebGPU is a software adapter here (google swiftshader)');
    expect(start.passedOver[1].reason).toMatch(/^WebGL is a software renderer here/);
    expect(starts).toEqual(['wasm']);
  });

  it('without WASM the software GPUs come before the CPU, in their order', async () => {
    const { env, starts } = fakeBrowser({
      webgpu: swiftShader,
      webgl: { renderer: 'llvmpipe' },
      fails: { wasm: 'no WebAssembly', webgpu: 'device lost' },
    });
    const start = await startBrowserBackend('auto', env);
    expect(starts).toEqual(['wasm', 'webgpu', 'webgl']);
    expect(start).toMatchObject({ name: 'webgl', software: true });
    expect(start.skipped).toEqual([
      { name: 'wasm', reason: 'no WebAssembly' },
      { name: 'webgpu', reason: 'device lost' },
    ]);
    expect(start.passedOver.map((p) => p.name)).toEqual(['webgpu']);
  });

  it("no GPU at all: WASM, and the GPUs are listed as skipped with the browser's reasons", async () => {
    const { env } = fakeBrowser({ webgpu: 'this browser has no WebGPU', webgl: 'no WebGL context' });
    const start = await startBrowserBackend('auto', env);
    expect(start.name).toBe('wasm');
    expect(start.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    expect(start.why).toBeUndefined();
  });

  it('a hidden GPU is timed against WASM: the faster one runs and the badge says why', async () => {
    const slow = fakeBrowser({ webgpu: hidden, webgl: realGpu, probeMs: { webgpu: 40, wasm: 10 } });
    const wasm = await startBrowserBackend('auto', slow.env);
    expect(wasm.name).toBe('wasm');
    expect(wasm.why).toBe('WebGPU was slower here (WebGPU 40 ms, WASM 10 ms in a timed probe)');
    expect(slow.starts).toEqual(['webgpu', 'wasm']);
    const fast = fakeBrowser({ webgpu: hidden, webgl: realGpu, probeMs: { webgpu: 5, wasm: 10 } });
    const gpu = await startBrowserBackend('auto', fast.env);
    expect(gpu).toMatchObject({ name: 'webgpu', why: 'faster: WebGPU 5 ms, WASM 10 ms in a timed probe' });
    expect(fast.starts).toEqual(['webgpu', 'wasm', 'webgpu']);
  });

  it('a GPU that fails to start is skipped for the next', async () => {
    const { env, starts } = fakeBrowser({
      webgpu: realGpu,
      webgl: realGpu,
      fails: { webgpu: 'shader failed' },
    });
    const start = await startBrowserBackend('auto', env);
    expect(start).toEqual({
      name: 'webgl',
      skipped: [{ name: 'webgpu', reason: 'shader failed' }],
      passedOver: [],
    });
    expect(starts).toEqual(['webgpu', 'webgl']);
  });

  it('throws naming every failure when nothing starts', async () => {
    const { env } = fakeBrowser({ webgpu: 'none', webgl: 'none', fails: { wasm: 'w', cpu: 'c' } });
    await expect(startBrowserBackend('auto', env)).rejects.toThrow(
      'no backend started (WebGPU: none; WebGL: none; WASM: w; CPU: c)',
    );
  });

  it('a backend chosen by hand: marked software on an emulated GPU, an error when it cannot start', async () => {
    const { env } = fakeBrowser({ webgpu: swiftShader, webgl: 'no WebGL context' });
    expect(await startBrowserBackend('webgpu', env)).toMatchObject({ name: 'webgpu', software: true });
    await expect(startBrowserBackend('webgl', env)).rejects.toThrow(
      'no backend started (WebGL: no WebGL context)',
    );
    expect(await startBrowserBackend('cpu', env)).toMatchObject({
      name: 'cpu',
      software: false,
      why: undefined,
    });
  });

  it('rejects an unknown choice and a missing describeGpu, naming the argument', async () => {
    const { env } = fakeBrowser({ webgpu: realGpu, webgl: realGpu });
    await expect(startBrowserBackend('metal' as 'auto', env)).rejects.toThrow(
      `startBrowserBackend: choice: expected 'auto' or one of webgpu, webgl, wasm, cpu, found "metal"`,
    );
    await expect(startBrowserBackend('auto', {} as BrowserBackendEnvironment)).rejects.toThrow(
      'startBrowserBackend: env.describeGpu: expected a function, found undefined',
    );
  });

  it('really starts and checks a backend when no stand-in is given (Node: WASM)', async () => {
    const start = await startBrowserBackend('auto', { describeGpu: () => 'not a browser' });
    expect(start.name).toBe('wasm');
    expect(getBackend()).toBe('wasm');
  });
});
