import { classifyGpu, type GpuDescription, initBackend, probeSpeed, tf } from '@descent/tensor';
import { describeWebGl, describeWebGpu } from './gpu-description';

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
  /** Each backend tried before `name` that would not start, with why. */
  skipped: { name: string; reason: string }[];
  /** Backends that work but were ranked below `name` (a software GPU), with why. */
  passedOver: { name: string; reason: string }[];
  /** The GPU adapter tfjs got, when it reports one (WebGPU only). */
  adapter?: string;
  /** Set when the running backend is a GPU emulated on the CPU: pages pick smaller defaults. */
  software?: boolean;
  /** Why this backend runs, in a few words, for the badge ("WebGPU is a software adapter here"). */
  why?: string;
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

/** What the browser says about a GPU backend's device; a string is why it has none. */
async function describeGpu(name: string): Promise<GpuDescription | string | null> {
  if (name === 'webgpu') return describeWebGpu();
  if (name === 'webgl') return describeWebGl();
  return null;
}

/**
 * Loads a backend's package (WebGPU and WebGL are imported only when tried, so a browser that
 * runs on WASM never downloads them), starts it through @descent/tensor's initBackend (which
 * confirms that tfjs really switched) and runs a quick real computation: a backend that starts
 * but cannot run shaders fails there. Returns why it cannot run, or null.
 */
async function tryStart(name: string): Promise<string | null> {
  try {
    if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
    if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  } catch (error) {
    return `its code failed to load: ${error instanceof Error ? error.message : error}`;
  }
  try {
    await initBackend({ backend: [name], wasmPaths: wasmPaths() });
    const check = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum());
    const value = (await check.data())[0];
    check.dispose();
    if (value !== 14) return `a test sum gave ${value} instead of 14`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function labelOf(name: string): string {
  return backendLabels[name] ?? name;
}

function done(start: BackendStart): BackendStart {
  current = { ...start, adapter: start.name === 'webgpu' ? adapterName() : undefined };
  return current;
}

/** The backend picked by hand: started if it can be, and marked when it is a software GPU. */
async function startChosen(name: string): Promise<BackendStart> {
  const described = await describeGpu(name);
  const reason = typeof described === 'string' ? described : await tryStart(name);
  if (reason !== null) {
    throw new Error(`no backend started (${labelOf(name)}: ${reason})`);
  }
  const software =
    described !== null && typeof described !== 'string' && classifyGpu(described).kind === 'software';
  return done({
    name,
    skipped: [],
    passedOver: [],
    software,
    why: software ? 'software adapter, chosen by hand (slow)' : undefined,
  });
}

/**
 * `auto`: the fastest backend that works, not the first. A GPU backend on a real GPU wins; one
 * on a software adapter (SwiftShader, llvmpipe: a GPU emulated on the CPU) ranks below WASM,
 * whose SIMD kernels train the demos' networks several times faster; where the browser hides
 * what its GPU is, a timed probe of a few milliseconds on both decides. CPU comes last.
 */
async function startAuto(): Promise<BackendStart> {
  const skipped: BackendStart['skipped'] = [];
  const passedOver: BackendStart['passedOver'] = [];
  const softwareGpus: string[] = [];
  for (const name of ['webgpu', 'webgl']) {
    const described = await describeGpu(name);
    if (typeof described === 'string') {
      skipped.push({ name, reason: described });
      continue;
    }
    const verdict = classifyGpu(described ?? {});
    if (verdict.kind === 'software') {
      const what = name === 'webgpu' ? 'a software adapter' : 'a software renderer';
      passedOver.push({
        name,
        reason: `${labelOf(name)} is ${what} here${verdict.name ? ` (${verdict.name})` : ''}`,
      });
      softwareGpus.push(name);
      continue;
    }
    const reason = await tryStart(name);
    if (reason !== null) {
      skipped.push({ name, reason });
      continue;
    }
    if (verdict.kind === 'hardware') return done({ name, skipped, passedOver });
    // The browser hid the GPU's details: time it against WASM.
    const gpuMs = (await probeSpeed()).ms;
    if ((await tryStart('wasm')) !== null) {
      await tryStart(name);
      return done({ name, skipped, passedOver, why: 'WASM would not start' });
    }
    const wasmMs = (await probeSpeed()).ms;
    const timing = `${labelOf(name)} ${gpuMs.toFixed(0)} ms, WASM ${wasmMs.toFixed(0)} ms in a timed probe`;
    if (gpuMs < wasmMs && (await tryStart(name)) === null) {
      return done({ name, skipped, passedOver, why: `faster: ${timing}` });
    }
    passedOver.push({ name, reason: `${labelOf(name)} was slower here (${timing})` });
    return done({ name: 'wasm', skipped, passedOver, why: passedOver[0].reason });
  }
  for (const name of ['wasm', ...softwareGpus, 'cpu']) {
    const reason = await tryStart(name);
    if (reason === null) {
      const software = softwareGpus.includes(name);
      return done({
        name,
        skipped,
        passedOver: passedOver.filter((p) => p.name !== name),
        software,
        why: passedOver.find((p) => p.name !== name)?.reason,
      });
    }
    skipped.push({ name, reason });
  }
  const tried = [...skipped].map((s) => `${labelOf(s.name)}: ${s.reason}`).join('; ');
  throw new Error(`no backend started (${tried})`);
}

/**
 * Starts the chosen backend, or for `auto` the fastest that works (see startAuto). Throws,
 * naming every failure, when nothing starts.
 */
export function startBackend(choice: BackendChoice): Promise<BackendStart> {
  return choice === 'auto' ? startAuto() : startChosen(choice);
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
