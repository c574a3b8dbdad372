// "Train your DL model in less than a minute" on the small set: `descent train --dataset mnist-10k`
// (the 10,000 digits shipped with descent, 8,000 to train, 2,000 held out) with its defaults, in
// this process, timed from Node's start to the end of the held-out evaluation; then
// the same CNN's training throughput on the cpu backend against WASM, both with @descent/tensor's
// kernels, a few batches each. Needs the built packages and CLI:
//   pnpm build && node bench/mnist-minute.mjs [--cpu-batches 3]
// Prints the figures and a markdown section for bench/RESULTS.md.
import { cpus, loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { mnistDigits } from '@descent/datasets/node';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { buildImageModel, imageTrainOptions, runTrainImages } from '../apps/cli/dist/index.js';

const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const cpuBatches = flag('--cpu-batches', 3);
const wasmBatches = flag('--wasm-batches', 30);
const seconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const loadBefore = load();
const options = imageTrainOptions({ dataset: 'mnist-10k', quiet: true });
const cpu0 = seconds();
let report = '';
const sink = new Writable({
  write(chunk, _encoding, done) {
    report += chunk;
    done();
  },
});
const result = await runTrainImages(options, sink);
// performance.now() counts from the process's start: Node itself, module loading, the backend,
// the digits, training and the evaluation of the 2,000 held-out digits.
const wall = performance.now() / 1000;
const cpuTotal = seconds() - cpu0;
const loadAfter = load();
const accuracy = result.test.accuracy;
console.log(report.trim());
console.log();
console.log(
  `mnist-minute: wall ${wall.toFixed(1)} s (training ${result.seconds.toFixed(1)} s, ${Math.round(result.samplesPerSecond)} samples/s), ` +
    `process CPU ${cpuTotal.toFixed(1)} s, held-out accuracy ${(accuracy * 100).toFixed(2)}% on ${result.testImages} digits, ` +
    `goal ${accuracy >= 0.98 && wall < 60 ? 'met' : 'NOT met'} (>= 98.0% in < 60 s)`,
);

/** Samples/s of the default CNN's training steps on one backend: `batches` timed after one warm-up. */
async function throughput(backend, batches) {
  await initBackend({ backend });
  const { train } = await mnistDigits({ seed: 1, testSize: 2000 });
  const size = options.batchSize;
  const model = buildImageModel('cnn', 10, 1, { channels: options.channels });
  const optimizer = new Adam(model.trainableParameters(), { lr: 1e-3 });
  const learner = new Learner(model, { loss: 'crossEntropy', optimizer, inputShape: [1, 28, 28] });
  const data = (n, from) => ({
    X: { data: train.images.subarray(from * 784, (from + n) * 784), rows: n, cols: 784 },
    y: train.labels.subarray(from, from + n),
  });
  await learner.fit(data(size, 0), { epochs: 1, batchSize: size, shuffle: false });
  const c0 = seconds();
  const t0 = performance.now();
  await learner.fit(data(batches * size, size), { epochs: 1, batchSize: size, shuffle: false });
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = seconds() - c0;
  optimizer.dispose();
  model.dispose();
  return {
    backend: tf.getBackend(),
    batches,
    size,
    wall: (batches * size) / wallS,
    cpu: (batches * size) / cpuS,
  };
}

const wasm = await throughput('wasm', wasmBatches);
const cpu = await throughput('cpu', cpuBatches);
for (const t of [wasm, cpu]) {
  console.log(
    `${t.backend}: ${t.wall.toFixed(1)} samples/s wall, ${t.cpu.toFixed(1)} samples/s of CPU time (${t.batches} batches of ${t.size})`,
  );
}
console.log(
  `wasm / cpu: ${(wasm.cpu / cpu.cpu).toFixed(0)}× (CPU time), ${(wasm.wall / cpu.wall).toFixed(0)}× (wall)`,
);

const date = new Date().toISOString().slice(0, 10);
console.log(`
markdown for bench/RESULTS.md:

| run | wall (whole process) | training | samples/s | process CPU | held-out accuracy | load average before / after |
| --- | --- | --- | --- | --- | --- | --- |
| ${date} | ${wall.toFixed(1)} s | ${result.seconds.toFixed(1)} s | ${Math.round(result.samplesPerSecond)} | ${cpuTotal.toFixed(1)} s | ${(accuracy * 100).toFixed(2)}% | ${loadBefore} / ${loadAfter} |

| backend | samples/s (wall) | samples/s (CPU time) | batches timed |
| --- | --- | --- | --- |
| wasm (descent kernels) | ${wasm.wall.toFixed(1)} | ${wasm.cpu.toFixed(1)} | ${wasm.batches} × ${wasm.size} |
| cpu (descent's cpu kernels) | ${cpu.wall.toFixed(1)} | ${cpu.cpu.toFixed(1)} | ${cpu.batches} × ${cpu.size} |

machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, tfjs-core ${tf.version_core}`);
