// What each training fast path of issue 7 gains, measured inside one process so that both sides
// of a comparison share the machine's load (they alternate, epoch by epoch or call by call).
//
//   pnpm build && node bench/fast-paths.mjs [--only optimizer,learner,readback,batch] [--samples 4096]
//
// 1. optimizer: `optimizer.step` alone on the MLP's and the CNN's parameters, fused update
//    (one pass over each parameter's memory) against the tfjs ops (`optimizer.fused = false`).
// 2. learner: `Learner.fit` epochs alternating fused on and off (MLP and CNN on wasm).
// 3. readback: a training step that reads the loss back every step against one that does not.
// 4. batch: throughput and held-out accuracy after a fixed number of epochs by batch size.
// Figures are the process's CPU time (wall time inflates with other jobs on the machine).
import { simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { loadMnist } from '@descent/datasets/node';
import { compile, Linear, ReLU, Sequential } from '@descent/layers';
import { compileLoss } from '@descent/losses';
import { Adam, RMSprop, SGD } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const parts = option('only', 'optimizer,learner,readback,batch').split(',');
const SAMPLES = Number(option('samples', 4096));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 2) => x.toFixed(digits);

await initBackend({ backend: 'wasm' });
const mnist = await loadMnist();
const pixels = toNCHW(mnist).data;
// A fixed shuffle: the file is grouped by digit.
const order = Int32Array.from({ length: mnist.count }, (_, i) => i);
for (let i = order.length - 1, s = 7; i > 0; i--) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  const j = s % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
function rows(from, to) {
  const X = new Float32Array((to - from) * 784);
  const y = new Float32Array(to - from);
  for (let i = from; i < to; i++) {
    X.set(pixels.subarray(order[i] * 784, (order[i] + 1) * 784), (i - from) * 784);
    y[i - from] = mnist.labels[order[i]];
  }
  return { X: { data: X, rows: to - from, cols: 784 }, y };
}

const mlp = (seed = 1) =>
  new Sequential([
    new Linear(784, 128, { seed }),
    new ReLU(),
    new Linear(128, 64, { seed: seed + 1 }),
    new ReLU(),
    new Linear(64, 10, { seed: seed + 2 }),
  ]);
const cnn = (seed = 1) => simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed });
const models = { MLP: { make: mlp }, CNN: { make: cnn, inputShape: [1, 28, 28] } };
const disposeModel = (net) => {
  for (const p of net.parameters()) p.variable.dispose();
};
const out = [];

if (parts.includes('optimizer')) {
  out.push(
    '**Optimizer step alone** (CPU ms per step, median of 60 alternating calls, batch-64 gradients of the model):',
    '',
    '| backend | model (parameters) | optimizer | tfjs ops | fused | speed-up |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  const optimizers = {
    Adam: (p) => new Adam(p),
    'SGD momentum': (p) => new SGD(p, { lr: 0.01, momentum: 0.9 }),
    RMSprop: (p) => new RMSprop(p),
  };
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    for (const [name, { make }] of Object.entries(models)) {
      const net = make();
      const params = net.parameters();
      const grads = Object.fromEntries(
        params.map((p) => [p.variable.name, tf.randomNormal(p.variable.shape, 0, 1e-3)]),
      );
      const count = params.reduce((s, p) => s + p.variable.size, 0);
      for (const [optName, build] of Object.entries(optimizers)) {
        const opt = build(params);
        const times = { true: [], false: [] };
        for (let i = 0; i < 122; i++) {
          opt.fused = i % 2 === 0;
          const c0 = cpuMs();
          opt.step(grads);
          if (i >= 2) times[opt.fused].push(cpuMs() - c0);
        }
        const ops = median(times.false);
        const fused = median(times.true);
        out.push(
          `| ${backend} | ${name} (${count.toLocaleString('en')}) | ${optName} | ${fmt(ops, 3)} | ${fmt(fused, 3)} | ${fmt(ops / fused, 1)}× |`,
        );
        opt.dispose();
      }
      tf.dispose(Object.values(grads));
      disposeModel(net);
    }
  }
  await tf.setBackend('wasm');
  out.push('');
}

if (parts.includes('learner')) {
  const data = rows(0, SAMPLES);
  out.push(
    `**Learner.fit with and without the fused update** (wasm, batch 64, Adam, ${SAMPLES} samples per epoch; epochs alternate; samples/s by CPU time, median of 4 epochs each after a warm-up):`,
    '',
    '| model | tfjs ops | fused | speed-up |',
    '| --- | --- | --- | --- |',
  );
  for (const [name, { make, inputShape }] of Object.entries(models)) {
    const net = make();
    const optimizer = new Adam(net.parameters());
    const learner = new Learner(net, { loss: 'crossEntropy', optimizer, inputShape });
    const times = { true: [], false: [] };
    let c0 = 0;
    await learner.fit(data, {
      epochs: 9,
      batchSize: 64,
      callbacks: [
        {
          onEpochBegin: (epoch) => {
            optimizer.fused = epoch % 2 === 0;
            c0 = cpuMs();
          },
          onEpochEnd: (logs) => {
            if (logs.epoch > 1) times[optimizer.fused].push(cpuMs() - c0);
          },
        },
      ],
    });
    const ops = (SAMPLES * 1000) / median(times.false);
    const fused = (SAMPLES * 1000) / median(times.true);
    out.push(
      `| ${name} | ${Math.round(ops).toLocaleString('en')} | ${Math.round(fused).toLocaleString('en')} | ${fmt(fused / ops)}× |`,
    );
    optimizer.dispose();
    disposeModel(net);
  }
  out.push('');
}

if (parts.includes('readback')) {
  // The Learner's step, written out: compiled forward and loss, gradients, fused Adam; reading
  // the loss back (dataSync) every step or not at all.
  const data = rows(0, 64 * 40);
  const loss = compileLoss('crossEntropy');
  out.push(
    '**Reading the loss back every step** (wasm, batch 64, CPU ms per step, median of 40 alternating steps):',
    '',
    '| model | no read-back | read-back every step | difference |',
    '| --- | --- | --- | --- |',
  );
  for (const [name, { make, inputShape }] of Object.entries(models)) {
    const net = make();
    const compiled = compile(net);
    const vars = net.parameters().map((p) => p.variable);
    const opt = new Adam(net.parameters());
    const times = { true: [], false: [] };
    for (let i = 0; i < 82; i++) {
      const read = i % 2 === 1;
      const b = i % 40;
      const c0 = cpuMs();
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor(data.X.data.subarray(b * 64 * 784, (b + 1) * 64 * 784), [
          64,
          ...(inputShape ?? [784]),
        ]);
        const y = tf.tensor1d(Int32Array.from(data.y.subarray(b * 64, (b + 1) * 64)), 'int32');
        return tf.variableGrads(() => loss(compiled.forward(x), y), vars);
      });
      if (read) value.dataSync();
      opt.step(grads);
      tf.dispose([value, ...Object.values(grads)]);
      if (i >= 2) times[read].push(cpuMs() - c0);
    }
    const without = median(times.false);
    const withRead = median(times.true);
    out.push(`| ${name} | ${fmt(without)} | ${fmt(withRead)} | ${fmt(withRead - without, 3)} ms |`);
    opt.dispose();
    disposeModel(net);
  }
  out.push('');
}

if (parts.includes('batch')) {
  const epochs = Number(option('batch-epochs', 3));
  const train = rows(0, 8192);
  const test = rows(8192, mnist.count);
  out.push(
    `**Batch size** (wasm, Adam lr 1e-3, ${epochs} epochs on 8192 digits, accuracy on the other ${mnist.count - 8192}; samples/s by CPU time, median epoch):`,
    '',
    '| model | batch | samples/s | test accuracy |',
    '| --- | --- | --- | --- |',
  );
  for (const [name, { make, inputShape }] of Object.entries(models)) {
    for (const batchSize of [32, 64, 128, 256]) {
      const net = make(5);
      const optimizer = new Adam(net.parameters());
      const learner = new Learner(net, {
        loss: 'crossEntropy',
        optimizer,
        inputShape,
        metrics: ['accuracy'],
      });
      const times = [];
      let c0 = 0;
      await learner.fit(train, {
        epochs,
        batchSize,
        seed: 3,
        callbacks: [{ onEpochBegin: () => (c0 = cpuMs()), onEpochEnd: () => times.push(cpuMs() - c0) }],
      });
      const { accuracy } = learner.evaluate(test);
      out.push(
        `| ${name} | ${batchSize} | ${Math.round((8192 * 1000) / median(times)).toLocaleString('en')} | ${fmt(100 * accuracy, 1)} % |`,
      );
      optimizer.dispose();
      disposeModel(net);
    }
  }
  out.push('');
}

console.log(out.join('\n').trim());
