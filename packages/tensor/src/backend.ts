import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendAttempt {
  name: string;
  ok: boolean;
  error?: string;
}

export interface BackendInfo {
  /** The backend that runs from now on. */
  name: string;
  /** Every backend tried, in order, with the reason each one before `name` was skipped. */
  attempts: BackendAttempt[];
  /** True when the first choice failed and a later one took over. */
  fellBack: boolean;
}

export interface InitBackendOptions {
  /** One backend or an ordered list of preferences. Overridden by DESCENT_BACKEND in Node. */
  backend?: string | string[];
  /** Where the browser finds tfjs-backend-wasm's .wasm files (a URL prefix). Node needs nothing. */
  wasmPaths?: string;
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

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
