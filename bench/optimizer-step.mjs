// One Adam step over the weights of the MLP 784-128-64-10 (109,386 of them, in six tensors), as
// Learner.fit runs it: descent's Adam (the fused step) with the WASM SIMD kernels and with the
// native addon's, and PyTorch's torch.optim.Adam (its default for-loop and foreach=True) at its
// best of torch-peer.mjs's configurations. Adam's two divisions and square root per weight bound
// it; this is what bench/RESULTS.md's "optimizer step" line comes from.
//
//   pnpm build && node bench/optimizer-step.mjs [--steps 400] [--processes 2]

import { Linear, ReLU, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, NATIVE_KERNELS_FLAG, nativeKernelInfo, tf } from '@descent/tensor';
import { fairTorch, runTorch, torchPython, triedText } from './torch-peer.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option('steps', 400);
const PROCESSES = option('processes', 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

await initBackend({ backend: 'wasm' });

/** Median µs of `STEPS` Adam steps (after 20 unmeasured), with the native kernels on or off. */
function descentStep(native) {
  tf.env().set(NATIVE_KERNELS_FLAG, native);
  const net = new Sequential([
    new Linear(784, 128, { seed: 1 }),
    new ReLU(),
    new Linear(128, 64, { seed: 2 }),
    new ReLU(),
    new Linear(64, 10, { seed: 3 }),
  ]);
  const params = net.parameters();
  const optimizer = new Adam(params);
  const grads = Object.fromEntries(
    params.map((p, i) => [p.variable.name, tf.randomNormal(p.variable.shape, 0, 0.01, 'float32', i)]),
  );
  const times = [];
  for (let s = 0; s < STEPS + 20; s++) {
    const t0 = performance.now();
    optimizer.step(grads);
    if (s >= 20) times.push((performance.now() - t0) * 1000);
  }
  tf.dispose(Object.values(grads));
  optimizer.dispose();
  for (const p of params) p.variable.dispose();
  tf.env().set(NATIVE_KERNELS_FLAG, true);
  return median(times);
}

const TORCH = `
import json, os, time, torch
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', '1')))
torch.manual_seed(0)
shapes = [(128, 784), (128,), (64, 128), (64,), (10, 64), (10,)]
out = {}
for foreach in (False, True):
    params = [torch.nn.Parameter(torch.randn(s) * 0.05) for s in shapes]
    for p in params:
        p.grad = torch.randn(p.shape) * 0.01
    opt = torch.optim.Adam(params, foreach=foreach)
    times = []
    for s in range(${STEPS} + 20):
        t0 = time.perf_counter()
        opt.step()
        if s >= 20:
            times.append((time.perf_counter() - t0) * 1e6)
    times.sort()
    out['foreach' if foreach else 'loop'] = times[len(times) // 2]
print(json.dumps(out))
`;

const native = nativeKernelInfo();
const wasmUs = descentStep(false);
const nativeUs = native.active ? descentStep(true) : undefined;
const python = torchPython();
const torch = python
  ? fairTorch(
      (config) => runTorch(python, ['-c', TORCH], config),
      (r) => -Math.min(r.loop, r.foreach),
      { processes: PROCESSES },
    )
  : undefined;
const best = torch?.best;
const torchUs = best ? Math.min(best.loop, best.foreach) : undefined;
const lines = [
  `Adam step, MLP 784-128-64-10 (109,386 weights), median of ${STEPS} steps, µs:`,
  `- descent, WASM SIMD kernels: ${wasmUs.toFixed(1)}`,
  nativeUs === undefined
    ? `- descent, native kernels: not running (${native.reason})`
    : `- descent, native kernels (${native.library}): ${nativeUs.toFixed(1)} (${(wasmUs / nativeUs).toFixed(2)}× faster than WASM)`,
  torchUs === undefined
    ? '- PyTorch: not found'
    : `- PyTorch ${python.version} at its best (${torch.config.text}, ${best.loop <= best.foreach ? 'for-loop' : 'foreach=True'}): ${torchUs.toFixed(1)}` +
      (nativeUs === undefined ? '' : `; descent native / PyTorch time: ${(nativeUs / torchUs).toFixed(2)}`),
];
if (torch)
  lines.push(
    `- PyTorch, each configuration (for-loop/foreach): ${triedText(torch.tried, (r) => `${r.loop.toFixed(0)}/${r.foreach.toFixed(0)}`)}`,
  );
console.log(lines.join('\n'));
