// One training-throughput case in its own process, so that each framework starts with a clean
// kernel registry and a cold engine:  node bench/throughput/run-case.mjs <runner> <backend> <model> [samples] [epochs]
//   runner: descent | descent-wasm | descent-ops | descent-2w | descent-tfjs-cpu | tfjs-layers | tfjs-layers+kernels | tfjs-core-loop
// 'descent-ops' is descent with the optimizer's fused update off (`optimizer.fused = false`), to
// measure what the fused update gains; 'descent-2w' is descent's `fitParallel` on two threads;
// 'descent-wasm' is descent with its native kernels (OpenBLAS) off, on the WASM kernels a browser runs;
// 'descent-tfjs-cpu' is descent with tfjs's own cpu kernels (`DESCENT_CPU_KERNELS` false), to
// measure what descent's cpu kernels gain.
//   backend: wasm | cpu;   model: mlp | cnn
// 'tfjs-layers' imports only tfjs (no @descent package), so the WASM backend lacks the
// Conv2DBackpropFilter kernel there; 'tfjs-layers+kernels' imports @descent/tensor first, which
// registers descent's WASM training kernels, and then trains the same tfjs-layers model.
// Prints one JSON line: per-epoch wall and CPU seconds (the first epoch is a warm-up).
import { loadavg } from 'node:os';
import { tfjsLayersNet } from './tfjs-layers-net.mjs';

const [runner, backend, model, samplesArg = '8192', epochsArg = '6'] = process.argv.slice(2);
const SAMPLES = Number(samplesArg);
const EPOCHS = Number(epochsArg); // including one warm-up epoch
const BATCH = 64;
const LR = 1e-3;

/**
 * Imports @descent/tensor and names the kernels of this run's backend that it adds to or replaces
 * in tfjs's registry, so that the results say which kernels a "descent" figure ran on.
 */
async function importDescentTensor() {
  const core = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  await import('@tensorflow/tfjs-backend-cpu');
  const before = new Map(core.getKernelsForBackend(backend).map((k) => [k.kernelName, k.kernelFunc]));
  const descent = await import('@descent/tensor');
  if (runner === 'descent-tfjs-cpu') descent.tf.env().set('DESCENT_CPU_KERNELS', false);
  if (runner === 'descent-wasm') descent.tf.env().set('DESCENT_NATIVE_KERNELS', false);
  // tfjs environment flags for A/B runs (throughput/wasm-flags.mjs), e.g. {"DESCENT_WASM_SIMD_MATMUL":false}.
  for (const [name, value] of Object.entries(JSON.parse(process.env.DESCENT_TF_FLAGS ?? '{}')))
    descent.tf.env().set(name, value);
  const kernels = core
    .getKernelsForBackend(backend)
    .filter((k) => before.get(k.kernelName) !== k.kernelFunc)
    .map((k) => `${k.kernelName}${before.has(k.kernelName) ? ' (replaced)' : ''}`);
  return { descent, kernels };
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The first SAMPLES MNIST digits (pixels / 255, NCHW = NHWC for one channel), in a seeded order. */
async function digits() {
  const { shuffledDigits } = await import('../mnist-digits.mjs');
  return shuffledDigits(SAMPLES);
}

/** Times epochs from callbacks: begin(epoch) / end(epoch). */
function epochClock() {
  const wall = [];
  const cpu = [];
  let w0 = 0;
  let c0 = 0;
  return {
    wall,
    cpu,
    begin() {
      w0 = performance.now();
      c0 = cpuSeconds();
    },
    end() {
      wall.push((performance.now() - w0) / 1000);
      cpu.push(cpuSeconds() - c0);
    },
  };
}

async function descent(data) {
  const { descent: tensor, kernels } = await importDescentTensor();
  const { initBackend } = tensor;
  const { Linear, ReLU, Sequential } = await import('@descent/layers');
  const { simpleCnn } = await import('@descent/cnn');
  const { Adam } = await import('@descent/optim');
  const { Learner } = await import('@descent/train');
  await initBackend({ backend });
  const net =
    model === 'mlp'
      ? new Sequential([
          new Linear(784, 128, { seed: 1 }),
          new ReLU(),
          new Linear(128, 64, { seed: 2 }),
          new ReLU(),
          new Linear(64, 10, { seed: 3 }),
        ])
      : simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 });
  const optimizer = new Adam(net.parameters(), { lr: LR });
  if (runner === 'descent-ops') optimizer.fused = false;
  const learner = new Learner(net, {
    loss: 'crossEntropy',
    optimizer,
    inputShape: model === 'mlp' ? undefined : [1, 28, 28],
  });
  const clock = epochClock();
  const fitData = { X: { data: data.X, rows: data.n, cols: 784 }, y: data.y };
  const fitOptions = {
    epochs: EPOCHS,
    batchSize: BATCH,
    seed: 1,
    callbacks: [{ onEpochBegin: () => clock.begin(), onEpochEnd: () => clock.end() }],
  };
  let result;
  if (runner === 'descent-2w') {
    // Two threads, data-parallel; process CPU time counts both.
    const { fitParallel } = await import('@descent/train/node');
    result = await fitParallel(learner, fitData, { ...fitOptions, workers: 2, imports: ['@descent/cnn'] });
  } else {
    result = await learner.fit(fitData, fitOptions);
  }
  const native = tensor.nativeKernelInfo();
  return {
    clock,
    loss: result.history.map((h) => h.loss),
    kernels,
    native: native.active ? native.library : native.reason,
  };
}

async function tfjsLayers(data, withKernels) {
  const registered = withKernels ? await importDescentTensor() : undefined;
  const tf = registered ? registered.descent.tf : await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  await import('@tensorflow/tfjs-backend-cpu');
  const tfl = await import('@tensorflow/tfjs-layers');
  await tf.setBackend(backend);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`backend ${backend} did not start`);
  const net = tfjsLayersNet(tfl, model);
  net.compile({ optimizer: tf.train.adam(LR), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(data.X, model === 'mlp' ? [data.n, 784] : [data.n, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), 10);
  const clock = epochClock();
  const history = await net.fit(x, y, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: true,
    verbose: 0,
    callbacks: { onEpochBegin: async () => clock.begin(), onEpochEnd: async () => clock.end() },
  });
  return { clock, loss: history.history.loss, kernels: registered?.kernels };
}

/** A hand-written tfjs-core loop: slice a batch, optimizer.minimize, read the loss. */
async function tfjsCoreLoop(data) {
  const { tf, initBackend } = await import('@descent/tensor');
  await initBackend({ backend });
  const init = (shape, fanIn) =>
    tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', 1));
  let forward;
  let vars;
  if (model === 'mlp') {
    const w = [init([784, 128], 784), init([128, 64], 128), init([64, 10], 64)];
    const b = [init([128], 784), init([64], 128), init([10], 64)];
    vars = [...w, ...b];
    forward = (x) =>
      tf.add(
        tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w[0]), b[0])), w[1]), b[1])), w[2]),
        b[2],
      );
  } else {
    const f1 = init([3, 3, 1, 8], 9);
    const c1 = init([8], 9);
    const f2 = init([3, 3, 8, 16], 72);
    const c2 = init([16], 72);
    const w = init([784, 10], 784);
    const b = init([10], 784);
    vars = [f1, c1, f2, c2, w, b];
    forward = (x) => {
      const h1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, f1, 1, 'same'), c1)), 2, 2, 'valid');
      const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, f2, 1, 'same'), c2)), 2, 2, 'valid');
      return tf.add(tf.matMul(tf.reshape(h2, [-1, 784]), w), b);
    };
  }
  const opt = tf.train.adam(LR);
  const shape = model === 'mlp' ? [784] : [28, 28, 1];
  const clock = epochClock();
  const losses = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    clock.begin();
    let sum = 0;
    for (let start = 0; start < data.n; start += BATCH) {
      const n = Math.min(BATCH, data.n - start);
      const loss = tf.tidy(() => {
        const x = tf.tensor(data.X.subarray(start * 784, (start + n) * 784), [n, ...shape]);
        const y = tf.oneHot(tf.tensor1d(Int32Array.from(data.y.subarray(start, start + n)), 'int32'), 10);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, vars);
      });
      sum += loss.dataSync()[0] * n;
      loss.dispose();
    }
    losses.push(sum / data.n);
    clock.end();
  }
  return { clock, loss: losses };
}

const load = loadavg()[0];
try {
  const data = await digits();
  const run = runner.startsWith('descent')
    ? descent
    : runner === 'tfjs-layers'
      ? (d) => tfjsLayers(d, false)
      : runner === 'tfjs-layers+kernels'
        ? (d) => tfjsLayers(d, true)
        : runner === 'tfjs-core-loop'
          ? tfjsCoreLoop
          : null;
  if (!run) throw new Error(`unknown runner ${runner}`);
  const { clock, loss, kernels, native } = await run(data);
  const wall = clock.wall;
  console.log(
    JSON.stringify({
      runner,
      backend,
      model,
      samples: data.n,
      wall,
      cpu: clock.cpu,
      loss,
      kernels,
      native,
      load: [load, loadavg()[0]],
    }),
  );
} catch (error) {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  console.log(JSON.stringify({ runner, backend, model, error: message, load: [load, loadavg()[0]] }));
}
