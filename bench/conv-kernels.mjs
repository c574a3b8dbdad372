// Conv2DBackpropFilter and a small-CNN training step: @descent/tensor's WASM kernel against
// tfjs's cpu backend, and where the WASM kernel's time goes. Needs the built tensor package:
//   pnpm --filter @descent/tensor build && node bench/conv-kernels.mjs [cpuRuns=5]
// Each figure is a median over timed calls after one warm-up call: cpuRuns on cpu (seconds each),
// at least 15 on wasm. Both backends run on one thread here, so the process's CPU time is the
// headline: unlike wall time it does not grow when other processes share the machine.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import ts from 'typescript';
import { initBackend, tf } from '../packages/tensor/dist/index.js';
import { cpuMs, kernelShare, makeCnn, median } from './cnn-step.mjs';

const cpuRuns = Math.max(5, Number(process.argv[2] ?? 5));
const wasmRuns = Math.max(15, cpuRuns);
const batch = 64;
const layers = [
  { label: 'conv1 3x3x1->8, 28x28', x: [batch, 28, 28, 1], filter: [3, 3, 1, 8] },
  { label: 'conv2 3x3x8->16, 14x14', x: [batch, 14, 14, 8], filter: [3, 3, 8, 16] },
];

// The kernel's own im2col, compiled from its source, so the phase profile times the shipped loops.
const im2colSource = readFileSync(
  new URL('../packages/tensor/src/kernels/im2col.ts', import.meta.url),
  'utf8',
);
const im2colJs = ts.transpileModule(im2colSource, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
const { geometryFromConvInfo, im2colTransposed, patchSize } = await import(
  `data:text/javascript;base64,${Buffer.from(im2colJs).toString('base64')}`
);

const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);

/** Medians of CPU and wall time of `fn`; `prepare` (untimed) makes fresh inputs each call. */
function timeIt(runs, fn, prepare = () => undefined, cleanup = () => {}) {
  const cpu = [];
  const wall = [];
  for (let i = 0; i <= runs; i++) {
    const input = prepare();
    const c0 = cpuMs();
    const t0 = performance.now();
    const out = fn(input);
    const t1 = performance.now();
    const c1 = cpuMs();
    cleanup(input, out);
    if (i > 0) {
      cpu.push(c1 - c0);
      wall.push(t1 - t0);
    }
  }
  return { cpu: median(cpu), wall: median(wall) };
}

const filterGradient = (x, dy, filterShape) =>
  tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape },
    );

/** Fresh x and dy per call, as in training: the matmul must not meet a tensor it has seen. */
const layerInputs = (layer) => () => ({
  x: tf.randomNormal(layer.x),
  dy: tf.randomNormal([layer.x[0], layer.x[1], layer.x[2], layer.filter[3]]),
});
const disposeAll = (input, out) => tf.dispose([input.x, input.dy, out]);

/** The im2col fallback's phases (CPU ms), run by hand with the calls that path makes. */
function profileWasmLayer(layer) {
  const backend = tf.backend();
  const matMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
  const info = tf.backend_util.computeConv2DInfo(
    layer.x,
    layer.filter,
    1,
    1,
    'same',
    undefined,
    false,
    'channelsLast',
  );
  const g = geometryFromConvInfo(info);
  const m = layer.x[0] * info.outHeight * info.outWidth;
  const k = patchSize(g);
  const phases = { alloc: [], im2col: [], matmul: [] };
  const make = layerInputs(layer);
  for (let i = 0; i <= wasmRuns; i++) {
    const { x, dy } = make();
    const dyMatrix = { dataId: dy.dataId, shape: [m, layer.filter[3]], dtype: 'float32' };
    const t0 = cpuMs();
    const cols = backend.makeOutput([k, m], 'float32');
    const t1 = cpuMs();
    im2colTransposed(backend.typedArrayFromHeap(x), g, 0, layer.x[0], backend.typedArrayFromHeap(cols));
    const t2 = cpuMs();
    const out = matMul({
      inputs: { a: cols, b: dyMatrix },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    const t3 = cpuMs();
    backend.disposeData(cols.dataId);
    backend.disposeData(out.dataId);
    const t4 = cpuMs();
    if (i > 0) {
      phases.alloc.push(t1 - t0 + (t4 - t3));
      phases.im2col.push(t2 - t1);
      phases.matmul.push(t3 - t2);
    }
    tf.dispose([x, dy]);
  }
  return { alloc: median(phases.alloc), im2col: median(phases.im2col), matmul: median(phases.matmul), m, k };
}

function timeStep(runs) {
  const cnn = makeCnn(tf, batch);
  const t = timeIt(runs, () => cnn.step());
  cnn.dispose();
  return t;
}

await initBackend({ backend: 'wasm' });
const results = {};
for (const backendName of ['wasm', 'cpu']) {
  await tf.setBackend(backendName);
  const runs = backendName === 'cpu' ? cpuRuns : wasmRuns;
  results[backendName] = {
    layers: layers.map((layer) =>
      timeIt(runs, ({ x, dy }) => filterGradient(x, dy, layer.filter), layerInputs(layer), disposeAll),
    ),
    step: timeStep(runs),
  };
}
await tf.setBackend('wasm');
const profiles = layers.map(profileWasmLayer);
const share = await kernelShare(tf, batch, 5);

const row = (label, w, c) =>
  `  ${label.padEnd(30)} ${ms(w.cpu).padStart(10)} ${ms(c.cpu).padStart(10)} ${(c.cpu / w.cpu).toFixed(0).padStart(7)}x` +
  `   (wall ${ms(w.wall)} vs ${ms(c.wall)})`;
console.log(
  `tfjs-core ${tf.version_core}, Node ${process.versions.node}, batch ${batch}; medians of ${wasmRuns} (wasm) / ` +
    `${cpuRuns} (cpu) runs; CPU time; load average ${loadavg()[0].toFixed(1)}\n`,
);
console.log(
  `  ${'Conv2DBackpropFilter'.padEnd(30)} ${'wasm'.padStart(10)} ${'cpu'.padStart(10)} ${'cpu/wasm'.padStart(8)}`,
);
layers.forEach((layer, i) => {
  console.log(row(layer.label, results.wasm.layers[i], results.cpu.layers[i]));
});
console.log(row('SGD step, small CNN', results.wasm.step, results.cpu.step));
console.log(
  '\nim2col fallback (NCHW, or output channels not a multiple of 4; NHWC otherwise runs SIMD tiles),\n' +
    'its phases, CPU ms:               alloc+free    im2col    matmul   patch matrix',
);
profiles.forEach((p, i) => {
  console.log(
    `  ${layers[i].label.padEnd(30)} ${p.alloc.toFixed(2).padStart(9)} ${p.im2col.toFixed(2).padStart(9)} ` +
      `${p.matmul.toFixed(2).padStart(9)}   [${p.k} x ${p.m}]`,
  );
});
const total = share.reduce((s, [, t]) => s + t, 0);
console.log(`\nKernels of one wasm SGD step (CPU time, mean of 5 steps; total ${ms(total)}):`);
for (const [name, t] of share.slice(0, 8)) {
  console.log(`  ${name.padEnd(28)} ${ms(t).padStart(10)} ${((100 * t) / total).toFixed(0).padStart(4)}%`);
}
