// The limit: how many GFLOP/s this machine gives the kernels descent trains with, matmul and
// convolution: in Node its native kernels (oneDNN or OpenBLAS on the WASM heap), on one thread and
// on two, and the WASM SIMD kernels browsers run, on one. Two threads are two worker threads each
// running the same kernel at once, call by call: an Atomics barrier starts both workers' every
// call together, so the two truly overlap, and a pair of calls does twice the work in the slower
// call's time. Beside them, the same shapes in PyTorch (bench/torch_peak.py, each configuration
// of torch-peer.mjs), and what fraction of descent's peak the benchmark models reach. It runs V8
// with WebAssembly dynamic tiering off (turbofan.mjs), so that the kernels are timed in
// TurboFan's code.
//
//   pnpm build && node bench/peak.mjs [--runs 30] [--throughput results.json]
//
// --throughput reads `node bench/training-throughput.mjs --json results.json` and turns each
// runner's samples/s into GFLOP/s with the models' multiply-adds per training sample (counted
// below: forward, the input gradient of every layer but the first, and the weight gradient).

import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { initBackend, nativeKernelInfo, tf } from '@descent/tensor';
import { runTorch, TORCH_CONFIGS, torchPython } from './torch-peer.mjs';
import { rerunWithTurboFan } from './turbofan.mjs';

if (isMainThread) rerunWithTurboFan();

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option('runs', 30));

// Each kernel: a name, its input shapes, the op, and its floating-point operations (2 per
// multiply-add).
const KERNELS = [
  {
    name: 'matmul 512×512 · 512×512',
    shapes: [
      [512, 512],
      [512, 512],
    ],
    flops: 2 * 512 ** 3,
    kind: 'matmul',
    op: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'matmul 64×784 · 784×128 (MLP layer 1)',
    shapes: [
      [64, 784],
      [784, 128],
    ],
    flops: 2 * 64 * 784 * 128,
    kind: 'matmul',
    op: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'matmul 784×64 · 64×128 (its weight gradient)',
    shapes: [
      [64, 784],
      [64, 128],
    ],
    flops: 2 * 64 * 784 * 128,
    kind: 'matmul-transposed-a',
    op: (a, b) => tf.matMul(a, b, true, false),
  },
  {
    name: 'conv2d 3×3, 1→8 channels, 28×28, batch 64 (CNN conv 1)',
    shapes: [
      [64, 28, 28, 1],
      [3, 3, 1, 8],
    ],
    flops: 2 * 64 * 28 * 28 * 8 * 9,
    kind: 'conv',
    op: (x, f) => tf.conv2d(x, f, 1, 'same'),
  },
  {
    name: 'conv2d 3×3, 8→16 channels, 14×14, batch 64 (CNN conv 2)',
    shapes: [
      [64, 14, 14, 8],
      [3, 3, 8, 16],
    ],
    flops: 2 * 64 * 14 * 14 * 16 * 9 * 8,
    kind: 'conv',
    op: (x, f) => tf.conv2d(x, f, 1, 'same'),
  },
  {
    name: 'conv2d 3×3, 16→32 channels, 14×14, batch 64 (official CNN conv 2)',
    shapes: [
      [64, 14, 14, 16],
      [3, 3, 16, 32],
    ],
    flops: 2 * 64 * 14 * 14 * 32 * 9 * 16,
    kind: 'conv',
    op: (x, f) => tf.conv2d(x, f, 1, 'same'),
  },
];

/**
 * Waits until both workers reach it (`ctl`: [arrived, generation] in shared memory). The last to
 * arrive lets the other go; the other spins a moment (it is about to compute anyway), then sleeps.
 */
function barrier(ctl) {
  const generation = Atomics.load(ctl, 1);
  if (Atomics.add(ctl, 0, 1) === 1) {
    Atomics.store(ctl, 0, 0);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
    return;
  }
  const end = performance.now() + 5;
  while (Atomics.load(ctl, 1) === generation)
    if (performance.now() > end) Atomics.wait(ctl, 1, generation, 100);
}

/**
 * Seconds of every timed call of each kernel (one array per kernel), fresh inputs each call (as
 * training has); with `ctl`, each call starts at a barrier shared with the other worker.
 */
async function timeKernels(runs, ctl, native) {
  await initBackend({ backend: 'wasm' });
  tf.env().set('DESCENT_NATIVE_KERNELS', native);
  const out = [];
  for (const k of KERNELS) {
    const times = [];
    for (let i = 0; i <= runs; i++) {
      const [a, b] = k.shapes.map((s) => tf.randomNormal(s));
      if (ctl) barrier(ctl);
      const t0 = process.hrtime.bigint();
      // WASM kernels run synchronously: the call returns with the result computed. Reading it
      // back is not the kernel's cost: a fresh host array of the output's size, 1.6 MB for the
      // official CNN's conv 2, took 5 ms of page faults here, 2.5× the convolution itself.
      const r = k.op(a, b);
      const t = Number(process.hrtime.bigint() - t0) / 1e9;
      if (i > 0) times.push(t);
      tf.dispose([a, b, r]);
    }
    out.push(times);
  }
  return out;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/** Runs timeKernels in `count` workers at once (a barrier before every call when two). */
function inWorkers(count, native = true) {
  const barrierWords = new SharedArrayBuffer(2 * 4);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), {
            workerData: { runs: RUNS, barrier: count > 1 ? barrierWords : null, native },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

/** PyTorch's seconds per kernel in each configuration of torch-peer.mjs (one process each). */
function torchKernels() {
  const python = torchPython();
  if (!python) return { text: 'not importable by any python3 found, skipped', best: () => undefined };
  const script = new URL('./torch_peak.py', import.meta.url).pathname;
  const input = JSON.stringify(KERNELS.map((k) => ({ kind: k.kind, shapes: k.shapes, runs: RUNS })));
  const runs = TORCH_CONFIGS.map((config) => ({ config, result: runTorch(python, [script], config, input) }));
  const failed = runs.filter((r) => r.result.error);
  return {
    text: `torch ${python.version}${failed.length ? `; failed: ${failed.map((r) => `${r.config.text} (${r.result.error})`).join(', ')}` : ''}`,
    best(threads, i) {
      let best;
      for (const { config, result } of runs) {
        if (result.error || config.threads !== threads) continue;
        const seconds = result.seconds[i];
        if (!best || seconds < best.seconds) best = { seconds, config: config.text };
      }
      return best;
    },
  };
}

if (!isMainThread) {
  const ctl = workerData.barrier ? new Int32Array(workerData.barrier) : undefined;
  parentPort.postMessage(await timeKernels(workerData.runs, ctl, workerData.native));
} else {
  // Both columns run in workers, so one thread and two are timed the same way. With two, the
  // i-th calls of both workers start at the same barrier; the pair's aggregate is both calls'
  // work over the slower one's time (a pair is only done when both are).
  const [oneTimes] = await inWorkers(1);
  const one = oneTimes.map(median);
  const [ta, tb] = await inWorkers(2);
  const [wasmTimes] = await inWorkers(1, false);
  const wasmOne = wasmTimes.map(median);
  const pairTimes = ta.map((times, k) => median(times.map((t, i) => Math.max(t, tb[k][i]))));
  const gflops = (flops, s) => flops / s / 1e9;
  console.log(
    `Machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores; Node ${process.version}; load ${loadavg()[0].toFixed(2)}.`,
  );
  await initBackend({ backend: 'wasm' });
  const native = nativeKernelInfo();
  console.log(
    `descent: ${native.active ? `native kernels, ${native.library}` : `WASM kernels only (native: ${native.reason})`}; ` +
      `WASM SIMD: tfjs-backend-wasm ${tf.version_core} with @descent/tensor's kernels. Median of ${RUNS} calls.\n`,
  );
  const torch = torchKernels();
  console.log(
    "| kernel | descent 1 thread GFLOP/s | descent 2 threads GFLOP/s (a pair of calls: twice the work in the slower one's time) | 2 / 1 | WASM SIMD only, 1 thread | PyTorch 1 thread | PyTorch 2 threads (one call) |",
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const peaks = KERNELS.map((k, i) => {
    const g1 = gflops(k.flops, one[i]);
    const g2 = gflops(2 * k.flops, pairTimes[i]);
    const t1 = torch.best(1, i);
    const t2 = torch.best(2, i);
    const peer = (t) => (t ? `${gflops(k.flops, t.seconds).toFixed(1)} (${t.config})` : '–');
    console.log(
      `| ${k.name} | ${g1.toFixed(1)} | ${g2.toFixed(1)} | ${(g2 / g1).toFixed(2)}× | ${gflops(k.flops, wasmOne[i]).toFixed(1)} | ${peer(t1)} | ${peer(t2)} |`,
    );
    return { name: k.name, one: g1, two: g2 };
  });
  console.log(
    `\nPyTorch: ${torch.text} (bench/torch_peak.py: the same shapes in PyTorch's layouts, fresh inputs each call, median of ${RUNS}; each configuration of torch-peer.mjs once, the fastest per column; its 2 threads split one call).`,
  );

  // Multiply-adds per training sample: forward, input gradients (not for the first layer), weight gradients.
  const dense = (i, o, first) => i * o * (first ? 2 : 3);
  const conv = (h, w, cin, cout, first) => h * w * cin * cout * 9 * (first ? 2 : 3);
  const MODELS = {
    mlp: dense(784, 128, true) + dense(128, 64) + dense(64, 10),
    cnn: conv(28, 28, 1, 8, true) + conv(14, 14, 8, 16) + dense(7 * 7 * 16, 10),
  };
  console.log(
    `\nTraining FLOPs per sample: MLP 784-128-64-10 ${((2 * MODELS.mlp) / 1e6).toFixed(2)} M, CNN [8,16] ${((2 * MODELS.cnn) / 1e6).toFixed(2)} M.`,
  );
  const file = option('throughput', '');
  // `pnpm bench --only peak` runs no throughput first: say so rather than fail.
  if (file && !existsSync(file))
    console.log(`\n(no throughput figures at ${file}: run training-throughput.mjs --json first)`);
  else if (file) {
    const { results } = JSON.parse(readFileSync(file, 'utf8'));
    const peakOne = Math.max(...peaks.map((p) => p.one));
    const peakTwo = Math.max(...peaks.map((p) => p.two));
    console.log(
      '\n| runner | backend | model | samples/s | GFLOP/s | of the 1-thread peak | of the 2-thread peak |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results.filter((x) => x.rate && MODELS[x.model])) {
      const g = (r.rate * 2 * MODELS[r.model]) / 1e9;
      console.log(
        `| ${r.runner} | ${r.config ?? r.backend} | ${r.model} | ${Math.round(r.rate).toLocaleString('en')} | ${g.toFixed(2)} | ${((100 * g) / peakOne).toFixed(0)} % | ${((100 * g) / peakTwo).toFixed(0)} % |`,
      );
    }
  }
}
