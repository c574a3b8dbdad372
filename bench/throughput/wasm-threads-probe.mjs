// Can tfjs's threaded WASM build run in Node? (issue 22: intra-op threading of the big kernels.)
//
//   node bench/throughput/wasm-threads-probe.mjs
//
// tfjs-backend-wasm 4.22 never picks its threaded-SIMD binary in Node: its
// WASM_HAS_MULTITHREAD_SUPPORT flag answers false under IS_NODE (tfjs issue 3830). Forcing the
// flag on fails next, because the pthread workers are made from Blob URLs, which Node's
// worker_threads refuses (ERR_WORKER_PATH), and the module's source is posted to them as a Blob
// whose code names rollup's closure variables (commonjsGlobal, require$$0…, _scriptDir).
//
// The shim below gets past both: a Worker class that writes each Blob to a file, prepends the
// missing names, and forwards worker_threads' events. With it the threaded module loads and all
// 8 pthread workers report `loaded`; ops run and give right answers. But XNNPACK's pthreadpool
// stays at 1 thread: getThreadsCount() is 1 after initWithThreadsCount(2), no worker is ever
// sent a `run`, and PThread.runningWorkers stays empty. So no op is split across threads; the
// reason is inside the compiled module, out of reach of a JavaScript shim. The script prints
// what it sees, so a later tfjs can be re-checked with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as threads from 'node:worker_threads';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const dir = mkdtempSync(join(tmpdir(), 'tfjs-wasm-threads-'));
const blobs = new Map();
const createObjectURL = URL.createObjectURL;
URL.createObjectURL = (blob) => {
  const url = createObjectURL(blob);
  blobs.set(url, blob);
  return url;
};
let files = 0;
async function blobFile(blob, prefix = () => '') {
  const path = join(dir, `script-${files++}.js`);
  writeFileSync(path, prefix(path) + (await blob.text()));
  return path;
}
// The names the module's source uses from the bundle around it, supplied in the worker.
const closure = (path) =>
  `var commonjsGlobal = globalThis, require$$0 = require("fs"), require$$1 = require("path"), ` +
  `require$$3 = require("perf_hooks"), require$$4 = require("os"), _scriptDir = ${JSON.stringify(path)}, ` +
  `__dirname = ${JSON.stringify(dir)};\n`;
const seen = { load: 0, loaded: 0, run: 0 };

/** A browser-style Worker over worker_threads, for emscripten's pthread pool. */
class FileWorker {
  constructor(url) {
    this.listeners = [];
    this.ready = blobFile(blobs.get(url)).then((file) => {
      this.worker = new threads.Worker(file);
      this.worker.on('message', (m) => m?.cmd === 'loaded' && seen.loaded++);
      for (const [event, fn] of this.listeners) this.worker.on(event, fn);
    });
  }
  on(event, fn) {
    this.listeners.push([event, fn]);
    this.worker?.on(event, fn);
  }
  postMessage(message, transfer) {
    if (message?.cmd in seen) seen[message.cmd]++;
    this.ready = this.ready.then(async () => {
      const msg =
        message?.cmd === 'load' && message.urlOrBlob instanceof Blob
          ? { ...message, urlOrBlob: await blobFile(message.urlOrBlob, closure) }
          : message;
      this.worker.postMessage(msg, transfer);
    });
  }
  terminate() {
    return this.ready.then(() => this.worker.terminate());
  }
  ref() {}
  unref() {}
}
// The module assigns worker_threads' Worker to the global; keep ours in place.
Object.defineProperty(globalThis, 'Worker', { get: () => FileWorker, set: () => {}, configurable: true });

await import('@tensorflow/tfjs-backend-wasm');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
setThreadsCount(2);
const started = await tf.setBackend('wasm').catch((err) => `failed: ${err.message}`);
console.log(`threaded-SIMD module started: ${started}`);
const wasm = tf.backend().wasm;
const a = tf.tensor2d([
  [1, 2],
  [3, 4],
]);
const product = tf.matMul(a, a);
console.log(`matMul right: ${JSON.stringify(Array.from(product.dataSync())) === '[7,10,15,22]'}`);
tf.dispose([a, product]);
console.log(`pthread workers: ${seen.load} sent load, ${seen.loaded} loaded, ${seen.run} sent run`);
console.log(
  `XNNPACK threads: getThreadsCount() ${getThreadsCount()} (asked for 2); running workers ${wasm.PThread?.runningWorkers?.length ?? 'n/a'}`,
);
process.exit(0);
