import { initBackend, tf } from '@descent/tensor';

export const backendOrder = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = 'auto' | (typeof backendOrder)[number];

export const backendLabels: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export interface BackendStart {
  name: string;
  /** Each backend tried before `name`, with why it did not start. */
  skipped: { name: string; reason: string }[];
  /** The GPU adapter tfjs got, when it reports one (WebGPU only). */
  adapter?: string;
}

/** Where the built app serves tfjs-backend-wasm's binaries (see vite.config.ts). */
const wasmPaths = () => new URL('./tfjs-wasm/', document.baseURI).href;

/**
 * Makes a backend's package available before tfjs tries it. WebGPU is imported only when the
 * browser offers an adapter, and both GPU packages only when they are wanted, so a browser that
 * runs on WASM never downloads them. Returns why the backend cannot run, or null.
 */
async function prepare(name: string): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
    let adapter: unknown = null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (error) {
      return `requesting a GPU adapter failed: ${error instanceof Error ? error.message : error}`;
    }
    if (!adapter) return 'no WebGPU adapter is available (no usable GPU, or WebGPU is disabled)';
    await import('@tensorflow/tfjs-backend-webgpu');
    return null;
  }
  if (name === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
    return null;
  }
  return null;
}

/**
 * Starts the chosen backend, or the first that works in the order WebGPU → WebGL → WASM → CPU.
 * Each candidate goes through @descent/tensor's initBackend, which confirms that tfjs really
 * switched. Throws, naming every failure, when nothing starts.
 */
export async function startBackend(choice: BackendChoice): Promise<BackendStart> {
  const order: string[] = choice === 'auto' ? [...backendOrder] : [choice];
  const skipped: BackendStart['skipped'] = [];
  for (const name of order) {
    let reason: string | null;
    try {
      reason = await prepare(name);
    } catch (error) {
      reason = `its code failed to load: ${error instanceof Error ? error.message : error}`;
    }
    if (reason === null) {
      try {
        const info = await initBackend({ backend: [name], wasmPaths: wasmPaths() });
        // A quick real computation: a backend that starts but cannot run shaders fails here.
        const check = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum());
        const value = (await check.data())[0];
        check.dispose();
        if (value !== 14) throw new Error(`a test sum gave ${value} instead of 14`);
        return { name: info.name, skipped, adapter: adapterName() };
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
    }
    skipped.push({ name, reason });
  }
  const tried = skipped.map((s) => `${backendLabels[s.name] ?? s.name}: ${s.reason}`).join('; ');
  throw new Error(`no backend started (${tried})`);
}

function adapterName(): string | undefined {
  const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } };
  const info = backend.adapterInfo;
  if (!info) return undefined;
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || undefined;
}

/** The parts of a GPUDevice used here (the app does not depend on @webgpu/types). */
interface GpuDevice {
  addEventListener(
    type: 'uncapturederror',
    listener: (event: Event & { error?: { message?: string } }) => void,
  ): void;
  lost: Promise<{ reason?: string; message?: string }>;
}

/** The running WebGPU backend's device, or null on any other backend. */
export function gpuDevice(): GpuDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GpuDevice }).device ?? null;
}

const watched = new WeakSet<object>();

/**
 * tfjs does not listen for WebGPU's own errors: a shader that fails to compile, or a lost device,
 * only prints a console warning while the results silently come out as zeros. Reports them
 * instead: each distinct first line once, at most three, so one broken shader does not flood.
 */
export function watchGpuErrors(report: (message: string) => void): void {
  const device = gpuDevice();
  if (!device || watched.has(device)) return;
  watched.add(device);
  const seen = new Set<string>();
  device.addEventListener('uncapturederror', (event) => {
    const first = (event.error?.message ?? 'an unknown error').split('\n')[0];
    if (seen.has(first) || seen.size >= 3) return;
    seen.add(first);
    report(`WebGPU reported an error, so results may be wrong (try WebGL in the Backend menu): ${first}`);
  });
  void device.lost.then((info) => {
    // 'destroyed' is tfjs disposing the backend on purpose.
    if (info.reason === 'destroyed') return;
    report(
      `the WebGPU device was lost (${info.message || info.reason || 'no reason given'}); reload the page or switch to WebGL in the Backend menu`,
    );
  });
}
