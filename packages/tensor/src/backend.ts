import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { argumentError } from './errors';
import { classifyGpu, type GpuDescription } from './software-gpu';
import { probeSpeed } from './speed-probe';

/** A tfjs backend descent can run on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** One backend tried at start-up: whether it started, and the error if not. */
export interface BackendAttempt {
  name: string;
  ok: boolean;
  error?: string;
}

/** The backend that was started, and every one tried on the way. */
export interface BackendInfo {
  /** The backend that runs from now on. */
  name: string;
  /** Every backend tried, in order, with the reason each one before `name` was skipped. */
  attempts: BackendAttempt[];
  /** True when the first choice failed and a later one took over. */
  fellBack: boolean;
}

/** Options for starting a backend: the preferences and where the WASM files are. */
export interface InitBackendOptions {
  /** One backend or an ordered list of preferences. Overridden by DESCENT_BACKEND in Node. */
  backend?: string | string[];
  /** Where the browser finds tfjs-backend-wasm's .wasm files (a URL prefix). Node needs nothing. */
  wasmPaths?: string;
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Forgetting `await initBackend()` surfaces as tfjs's advice to await `tf.ready()`, which names
 * nothing a descent user called. The engine's backend getter is where tfjs throws it; this
 * instance-level getter rethrows that one error with our function's name in front.
 */
function nameInitBackendInTfjsError(): void {
  const engine = tf.engine();
  const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(engine), 'backend')?.get;
  if (!getter || Object.getOwnPropertyDescriptor(engine, 'backend')) return;
  Object.defineProperty(engine, 'backend', {
    configurable: true,
    get() {
      try {
        return getter.call(this);
      } catch (err) {
        if (err instanceof Error && err.message.includes('has not yet been initialized')) {
          err.message = `call and await initBackend() from @descent/tensor before using tensors (tfjs: ${err.message})`;
        }
        throw err;
      }
    },
  });
}
nameInitBackendInTfjsError();

/** Node: WASM (about 5x the plain JS backend) then CPU. Browser: the GPU first. */
export const defaultBackendOrder: readonly string[] = isNode
  ? ['wasm', 'cpu']
  : ['webgpu', 'webgl', 'wasm', 'cpu'];

function requestedOrder(options: InitBackendOptions): string[] {
  const fromEnv = isNode ? process.env.DESCENT_BACKEND : undefined;
  const request = fromEnv && fromEnv.trim() !== '' ? fromEnv.split(',') : options.backend;
  if (request === undefined) return [...defaultBackendOrder];
  const list = (Array.isArray(request) ? request : [request]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new Error('backend: expected at least one backend name, found an empty list');
  return list;
}

/**
 * Starts the first backend of the preference list that really starts. `tf.setBackend` reports
 * failure by returning false, so each attempt is confirmed with `tf.getBackend()`.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  const order = requestedOrder(options);
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    if (tf.findBackendFactory(name) == null) {
      attempts.push({ name, ok: false, error: 'not registered (its package was not imported)' });
      continue;
    }
    try {
      const started = await tf.setBackend(name);
      await tf.ready();
      if (started && tf.getBackend() === name) {
        attempts.push({ name, ok: true });
        return { name, attempts, fellBack: attempts.length > 1 };
      }
      attempts.push({ name, ok: false, error: 'failed to initialise' });
    } catch (err) {
      attempts.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const tried = attempts.map((a) => `${a.name} (${a.error})`).join(', ');
  throw new Error(`backend: none of the requested backends started: ${tried}`);
}

let starting: Promise<BackendInfo> | undefined;

/** Starts the default backend once; later calls share the first start. */
export function ensureBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  starting ??= initBackend(options);
  return starting;
}

/** The runtime `descent info` reports: backend, tfjs and Node versions, WASM threads and platform. */
export interface RuntimeInfo {
  backend: string;
  tfjsCore: string;
  node?: string;
  wasmThreads?: number;
  platform: string;
}

/** What `descent info` prints: which engine runs and on how many threads. */
export function runtimeInfo(): RuntimeInfo {
  const backend = tf.getBackend();
  return {
    backend,
    tfjsCore: tf.version_core,
    node: isNode ? process.versions.node : undefined,
    wasmThreads: backend === 'wasm' ? getThreadsCount() : undefined,
    platform: isNode ? `${process.platform}-${process.arch}` : 'browser',
  };
}

/** How backends are named to a person (in reasons, badges and menus). */
export const backendLabels: Readonly<Record<BackendName, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** The backends a browser can run, in the order a person would rank them by hand. */
export const browserBackends: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

function labelOf(name: string): string {
  return backendLabels[name as BackendName] ?? name;
}

/** How the backend started in a browser: the one chosen, and those skipped or passed over. */
export interface BrowserBackendStart {
  name: string;
  /** Each backend tried before `name` that would not start, with why. */
  skipped: { name: string; reason: string }[];
  /** Backends that work but were ranked below `name` (a software GPU), with why. */
  passedOver: { name: string; reason: string }[];
  /** Set when the running backend is a GPU emulated on the CPU: callers pick smaller work. */
  software?: boolean;
  /** Why this backend runs, in a few words ("WebGPU is a software adapter here"). */
  why?: string;
}

/** What the browser can tell and do that tensor cannot (no DOM here): given by the app. */
export interface BrowserBackendEnvironment {
  /** What the browser says about the GPU behind a GPU backend; a string is why there is none. */
  describeGpu(name: 'webgpu' | 'webgl'): Promise<GpuDescription | string> | GpuDescription | string;
  /** Imports a backend's package: the GPU backends are loaded only when tried. */
  loadBackend?(name: string): Promise<unknown>;
  /** Where tfjs-backend-wasm's .wasm files are served. */
  wasmPaths?: string;
  /** Starts one backend and returns why it cannot run, or null; the default below (tests stand in). */
  tryStart?(name: string): Promise<string | null>;
  /** Milliseconds of the running backend's probe; `probeSpeed` by default. */
  probeMs?(): Promise<number>;
}

/**
 * Starts a backend by name and runs a quick real computation: a backend that starts but cannot
 * run shaders fails there. Returns why it cannot run, or null.
 */
async function startAndCheck(name: string, env: BrowserBackendEnvironment): Promise<string | null> {
  try {
    await env.loadBackend?.(name);
  } catch (error) {
    return `its code failed to load: ${error instanceof Error ? error.message : error}`;
  }
  try {
    await initBackend({ backend: [name], wasmPaths: env.wasmPaths });
    const check = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum());
    const value = (await check.data())[0];
    check.dispose();
    if (value !== 14) return `a test sum gave ${value} instead of 14`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Starts a browser's backend: the named one (marked `software` when its GPU is emulated), or for
 * `auto` the fastest that works, not the first. A GPU backend on a real GPU wins; one on a
 * software adapter (SwiftShader, llvmpipe: a GPU emulated on the CPU) ranks below WASM, whose
 * SIMD kernels train small networks several times faster; where the browser hides what its GPU
 * is, a timed probe of a few milliseconds on both decides. CPU comes last. Throws, naming every
 * failure, when nothing starts.
 */
export async function startBrowserBackend(
  choice: 'auto' | BackendName,
  env: BrowserBackendEnvironment,
): Promise<BrowserBackendStart> {
  if (choice !== 'auto' && !browserBackends.includes(choice)) {
    throw argumentError(
      'startBrowserBackend: choice',
      `'auto' or one of ${browserBackends.join(', ')}`,
      choice,
    );
  }
  if (typeof env?.describeGpu !== 'function') {
    throw argumentError('startBrowserBackend: env.describeGpu', 'a function', env?.describeGpu);
  }
  const tryStart = env.tryStart ?? ((name: string) => startAndCheck(name, env));
  const probeMs = env.probeMs ?? (async () => (await probeSpeed()).ms);
  if (choice !== 'auto') return startChosen(choice, env, tryStart);
  const skipped: BrowserBackendStart['skipped'] = [];
  const passedOver: BrowserBackendStart['passedOver'] = [];
  const softwareGpus: string[] = [];
  for (const name of ['webgpu', 'webgl'] as const) {
    const described = await env.describeGpu(name);
    if (typeof described === 'string') {
      skipped.push({ name, reason: described });
      continue;
    }
    const verdict = classifyGpu(described);
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
    if (verdict.kind === 'hardware') return { name, skipped, passedOver };
    // The browser hid the GPU's details: time it against WASM.
    const gpuMs = await probeMs();
    if ((await tryStart('wasm')) !== null) {
      await tryStart(name);
      return { name, skipped, passedOver, why: 'WASM would not start' };
    }
    const wasmMs = await probeMs();
    const timing = `${labelOf(name)} ${gpuMs.toFixed(0)} ms, WASM ${wasmMs.toFixed(0)} ms in a timed probe`;
    if (gpuMs < wasmMs && (await tryStart(name)) === null) {
      return { name, skipped, passedOver, why: `faster: ${timing}` };
    }
    passedOver.push({ name, reason: `${labelOf(name)} was slower here (${timing})` });
    return { name: 'wasm', skipped, passedOver, why: passedOver[0].reason };
  }
  for (const name of ['wasm', ...softwareGpus, 'cpu']) {
    const reason = await tryStart(name);
    if (reason === null) {
      return {
        name,
        skipped,
        passedOver: passedOver.filter((p) => p.name !== name),
        software: softwareGpus.includes(name),
        why: passedOver.find((p) => p.name !== name)?.reason,
      };
    }
    skipped.push({ name, reason });
  }
  const tried = skipped.map((s) => `${labelOf(s.name)}: ${s.reason}`).join('; ');
  throw new Error(`no backend started (${tried})`);
}

/** The backend picked by hand: started if it can be, and marked when it is a software GPU. */
async function startChosen(
  name: BackendName,
  env: BrowserBackendEnvironment,
  tryStart: (name: string) => Promise<string | null>,
): Promise<BrowserBackendStart> {
  const described = name === 'webgpu' || name === 'webgl' ? await env.describeGpu(name) : null;
  const reason = typeof described === 'string' ? described : await tryStart(name);
  if (reason !== null) throw new Error(`no backend started (${labelOf(name)}: ${reason})`);
  const software =
    described !== null && typeof described !== 'string' && classifyGpu(described).kind === 'software';
  return {
    name,
    skipped: [],
    passedOver: [],
    software,
    why: software ? 'software adapter, chosen by hand (slow)' : undefined,
  };
}
