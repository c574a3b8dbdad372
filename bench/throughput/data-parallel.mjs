// Data-parallel training (issue 7, "use both cores"): samples/s of descent's `Learner.fit` against
// `fitParallel` (@descent/train/node) with 2 replicas (the main thread and one worker thread),
// for the MLP (784-128-64-10 ReLU) and CNN (conv 3×3×8 → ReLU → max-pool 2 → conv 3×3×16
// → ReLU → max-pool 2 → flatten → dense 10; `official-cnn`: the same with 16 and 32 channels, the
// official MNIST recipe's), Adam, on MNIST digits, in one process: the two sides alternate, round
// after round, each fit starting from the same seeded weights.
//   node bench/throughput/data-parallel.mjs [--samples 8192] [--epochs 3] [--rounds 3]
//        [--batch 64,128] [--models mlp,cnn,official-cnn] [--workers 2]
// Each fit runs `epochs` epochs, the first a warm-up; a figure is the median of the others over
// all rounds (the load on a shared machine changes within seconds: short fits, interleaved,
// compare like with like), by wall time and by the process's CPU time (all threads: a parallel
// fit spends more CPU per sample, and the wall figure is what it buys). The load average is
// printed at the start and after each row.
// Ceiling: before each round's pair of fits, the same model trains in 2 worker threads at once,
// then in 1 (independent Learner.fit runs, no synchronisation): the 2-thread aggregate samples/s
// over the 1-thread figure (median over rounds) is the most any 2-thread data parallelism could
// gain at that moment. Where other processes hold the cores (Linux shares CPU time between
// sessions, not threads) it is near 1×, and the wall figures of that row say nothing about
// fitParallel's own merit.
// Parity: after the timed fits, one epoch of 1024 samples on each side from the same start;
// the largest relative gap of the weights and of the per-batch losses is printed.
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Conv2d, Flatten, MaxPool2d } from '@descent/cnn';
import { Linear, ReLU, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend } from '@descent/tensor';
import { Learner } from '@descent/train';
import { fitParallel } from '@descent/train/node';
import { shuffledDigits } from '../mnist-digits.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const SAMPLES = Number(args.samples ?? 8192);
const EPOCHS = Number(args.epochs ?? 3);
const ROUNDS = Number(args.rounds ?? 3);
const BATCHES = (args.batch ?? '64,128').split(',').map(Number);
const MODELS = (args.models ?? 'mlp,cnn').split(',');
const WORKERS = Number(args.workers ?? 2);
const LR = 1e-3;

const backend = await initBackend();
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The first n MNIST digits in a fixed shuffled order (the file is grouped by digit). */
async function digits(n) {
  const { X, y, n: count } = await shuffledDigits(n);
  return { X: { data: X, rows: count, cols: 784 }, y };
}

/** The CNNs' channels: issue 7's CNN, and the official MNIST recipe's (the CLI's `--dataset mnist`). */
function cnnChannels(model) {
  const channels = { cnn: [8, 16], 'official-cnn': [16, 32] }[model];
  if (!channels) throw new Error(`--models: expected mlp, cnn or official-cnn, found ${model}`);
  return channels;
}

function build(model) {
  const net =
    model === 'mlp'
      ? new Sequential([
          new Linear(784, 128, { seed: 1 }),
          new ReLU(),
          new Linear(128, 64, { seed: 2 }),
          new ReLU(),
          new Linear(64, 10, { seed: 3 }),
        ])
      : new Sequential([
          new Conv2d(1, cnnChannels(model)[0], 3, { padding: 'same', seed: 1 }),
          new ReLU(),
          new MaxPool2d(2),
          new Conv2d(...cnnChannels(model), 3, { padding: 'same', seed: 2 }),
          new ReLU(),
          new MaxPool2d(2),
          new Flatten(),
          new Linear(cnnChannels(model)[1] * 7 * 7, 10, { seed: 3 }),
        ]);
  const learner = new Learner(net, {
    loss: 'crossEntropy',
    optimizer: new Adam(net.parameters(), { lr: LR }),
    inputShape: model === 'mlp' ? undefined : [1, 28, 28],
  });
  return learner;
}

const dispose = (learner) => {
  learner.optimizer.dispose?.();
  learner.model.dispose();
};

/** The ceiling's thread: one plain fit of `samples` rows, 1 warm-up epoch then 1 timed. */
async function ceilingThread({ model, X, y, rows, batch }) {
  const learner = build(model);
  const data = { X: { data: X, rows, cols: 784 }, y };
  await learner.fit(data, { epochs: 1, batchSize: batch, seed: 2 });
  parentPort.postMessage('warm');
  await new Promise((resolve) => parentPort.once('message', resolve));
  const t0 = performance.now();
  await learner.fit(data, { epochs: 1, batchSize: batch, seed: 3 });
  parentPort.postMessage(rows / ((performance.now() - t0) / 1000));
  dispose(learner);
}

/** samples/s of `threads` independent plain fits running at once (started together after a warm-up). */
async function ceiling(model, data, batch, threads, rows = 2048) {
  const X = new Float32Array(new SharedArrayBuffer(rows * 784 * 4));
  X.set(data.X.data.subarray(0, rows * 784));
  const y = data.y.slice(0, rows);
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(import.meta.url), { workerData: { model, X, y, rows, batch } }),
  );
  const next = (w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  await Promise.all(workers.map(next));
  const rates = Promise.all(workers.map(next));
  for (const w of workers) w.postMessage('go');
  const total = (await rates).reduce((a, b) => a + b, 0);
  await Promise.all(workers.map((w) => w.terminate()));
  return total;
}

/** One fit; per-epoch wall and CPU seconds, the per-batch losses and the final weights. */
async function timedFit(model, data, batchSize, workers, epochs = EPOCHS) {
  const learner = build(model);
  const wall = [];
  const cpu = [];
  const losses = [];
  let w0 = 0;
  let c0 = 0;
  const clock = {
    onEpochBegin: () => {
      w0 = performance.now();
      c0 = cpuSeconds();
    },
    onEpochEnd: () => {
      wall.push((performance.now() - w0) / 1000);
      cpu.push(cpuSeconds() - c0);
    },
    onBatchEnd: (logs) => {
      losses.push(logs.loss);
    },
  };
  const options = { epochs, batchSize, seed: 1, callbacks: [clock] };
  if (workers === 1) await learner.fit(data, options);
  else await fitParallel(learner, data, { ...options, workers, imports: ['@descent/cnn'] });
  const weights = learner.model.parameters().map((p) => p.variable.dataSync().slice());
  dispose(learner);
  return { wall, cpu, losses, weights };
}

function relativeGap(a, b) {
  let worst = 0;
  a.forEach((x, i) => {
    let diff = 0;
    let scale = 1e-12;
    x.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - b[i][j]));
      scale = Math.max(scale, Math.abs(v));
    });
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

if (!isMainThread) {
  await ceilingThread(workerData);
} else {
  await main();
}

async function main() {
  const data = await digits(SAMPLES);
  const n = data.X.rows;
  const load0 = loadavg();
  console.log(
    `data-parallel training, ${n} MNIST digits, Adam, ${backend.name} backend, Node ${process.version}, ` +
      `${EPOCHS} epochs per fit (1 warm-up), ${ROUNDS} round(s); load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    'samples/s by wall time (by process CPU time, all threads); median of the timed epochs; cores used = CPU / wall time\n',
  );
  const rows = [];
  for (const model of MODELS) {
    for (const batch of BATCHES) {
      const runs = { 1: { wall: [], cpu: [] }, [WORKERS]: { wall: [], cpu: [] } };
      const ceilings = [];
      for (let round = 0; round < ROUNDS; round++) {
        ceilings.push((await ceiling(model, data, batch, WORKERS)) / (await ceiling(model, data, batch, 1)));
        for (const workers of round % 2 === 0 ? [1, WORKERS] : [WORKERS, 1]) {
          const r = await timedFit(model, data, batch, workers);
          runs[workers].wall.push(...r.wall.slice(1));
          runs[workers].cpu.push(...r.cpu.slice(1));
        }
      }
      const rate = (s) => n / median(s);
      const one = runs[1];
      const par = runs[WORKERS];
      const line = {
        model,
        batch,
        plainWall: rate(one.wall),
        plainCpu: rate(one.cpu),
        parWall: rate(par.wall),
        parCpu: rate(par.cpu),
        ceiling: median(ceilings),
      };
      rows.push(line);
      console.log(
        `${model.toUpperCase()} batch ${batch}: Learner.fit ${line.plainWall.toFixed(0)} (${line.plainCpu.toFixed(0)})  ` +
          `fitParallel ×${WORKERS} ${line.parWall.toFixed(0)} (${line.parCpu.toFixed(0)})  ` +
          `speed-up ${(line.parWall / line.plainWall).toFixed(2)}× wall; cores used ` +
          `${(line.plainWall / line.plainCpu).toFixed(2)} / ${(line.parWall / line.parCpu).toFixed(2)}; ` +
          `ceiling ${line.ceiling.toFixed(2)}×; load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }

  console.log('\nparity (1 epoch of 1024 samples, batch 64, same seed and start):');
  const small = {
    X: { data: data.X.data.subarray(0, 1024 * 784), rows: 1024, cols: 784 },
    y: data.y.subarray(0, 1024),
  };
  for (const model of MODELS) {
    const a = await timedFit(model, small, 64, 1, 1);
    const b = await timedFit(model, small, 64, WORKERS, 1);
    const lossGap = Math.max(...a.losses.map((l, i) => Math.abs(l - b.losses[i]) / Math.abs(l)));
    console.log(
      `  ${model.toUpperCase()}: weights max relative gap ${relativeGap(a.weights, b.weights).toExponential(2)}, ` +
        `batch losses ${lossGap.toExponential(2)} (${a.losses.length} steps)`,
    );
  }
  const load1 = loadavg();
  console.log(`\nload average at the end ${load1.map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| model | batch | Learner.fit | fitParallel (2 threads) | speed-up (wall) | ceiling |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.model.toUpperCase()} | ${r.batch} | ${r.plainWall.toFixed(0)} (${r.plainCpu.toFixed(0)}) | ` +
        `${r.parWall.toFixed(0)} (${r.parCpu.toFixed(0)}) | ${(r.parWall / r.plainWall).toFixed(2)}× | ${r.ceiling.toFixed(2)}× |`,
    );
  }
}
