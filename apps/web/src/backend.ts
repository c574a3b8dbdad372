import {
  type BackendName,
  type BrowserBackendStart,
  browserBackends,
  backendLabels as labels,
  startBrowserBackend,
  webgpuAdapterName,
  webgpuDevice,
} from '@descent/tensor';
import { describeWebGl, describeWebGpu } from './gpu-description';

export { browserBackends as backendOrder };
/** Backend names as the header shows them, looked up by any name the app meets. */
export const backendLabels: Readonly<Record<string, string>> = labels;
export type BackendChoice = 'auto' | BackendName;

export interface BackendStart extends BrowserBackendStart {
  /** The GPU adapter tfjs got, when it reports one (WebGPU only). */
  adapter?: string;
}

/** Where the built app serves tfjs-backend-wasm's binaries (see vite.config.ts). */
const wasmPaths = () => new URL('./tfjs-wasm/', document.baseURI).href;

let current: BackendStart | null = null;

/** The backend the app last started, or null before the first start. */
export function runningBackend(): BackendStart | null {
  return current;
}

/**
 * True when training runs slowly here: the plain CPU backend, or a GPU backend on a software
 * adapter (SwiftShader), which is slower than WASM for every demo's network.
 */
export function slowBackend(): boolean {
  return current === null || current.name === 'cpu' || current.software === true;
}

/**
 * Starts the chosen backend, or for `auto` the fastest that works: the order and its reasons are
 * @descent/tensor's `startBrowserBackend`; the app gives it what only a page can learn (the GPU
 * adapter and renderer) and loads WebGPU and WebGL only when tried, so a browser that runs on
 * WASM never downloads them. Throws, naming every failure, when nothing starts.
 */
export async function startBackend(choice: BackendChoice): Promise<BackendStart> {
  const start = await startBrowserBackend(choice, {
    describeGpu: (name) => (name === 'webgpu' ? describeWebGpu() : describeWebGl()),
    loadBackend: async (name) => {
      if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    },
    wasmPaths: wasmPaths(),
  });
  current = { ...start, adapter: start.name === 'webgpu' ? webgpuAdapterName() : undefined };
  return current;
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
  return webgpuDevice<GpuDevice>();
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
