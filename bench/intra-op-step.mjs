// Where one descent Learner step goes, kernel by kernel, for bench/intra-op-probe.mjs: the MLP
// 784-128-64-10 or the CNN [8,16] at batch 64 with Adam on WASM, as bench/step-profile.mjs
// measures it (a real `Learner.fit` over `steps` batches of random MNIST-shaped rows; the step's
// CPU time is the median of 5 fits; tf.profile runs one more with tfjs's clock pointed at the
// process's CPU time, so that other jobs on the machine inflate neither figure much).

import { simpleCnn } from '@descent/cnn';
import { Linear, ReLU, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { cpuMs, median, profileOnCpuClock } from './cnn-step.mjs';

const BATCH = 64;

const nets = {
  mlp: () =>
    new Sequential([
      new Linear(784, 128, { seed: 1 }),
      new ReLU(),
      new Linear(128, 64, { seed: 2 }),
      new ReLU(),
      new Linear(64, 10, { seed: 3 }),
    ]),
  cnn: () => simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 }),
};

/**
 * One step of `model` ('mlp' or 'cnn'): `stepMs`, its CPU ms, and `byKey`, the CPU ms per step
 * of each kernel keyed as "Name [shape] [shape]" (one key sums every call with those shapes).
 */
export async function profileStep(model, steps) {
  const n = steps * BATCH;
  const data = {
    X: { data: Float32Array.from({ length: n * 784 }, () => Math.random()), rows: n, cols: 784 },
    y: Float32Array.from({ length: n }, (_, i) => i % 10),
  };
  const net = nets[model]();
  const learner = new Learner(net, {
    loss: 'crossEntropy',
    optimizer: new Adam(net.parameters()),
    ...(model === 'cnn' ? { inputShape: [1, 28, 28] } : {}),
  });
  const fit = () => learner.fit(data, { epochs: 1, batchSize: BATCH, seed: 1 });
  await fit();
  const cpu = [];
  for (let r = 0; r < 5; r++) {
    const c0 = cpuMs();
    await fit();
    cpu.push((cpuMs() - c0) / steps);
  }
  const profile = await profileOnCpuClock(tf, fit);
  const byKey = new Map();
  for (const k of profile.kernels) {
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
    byKey.set(key, (byKey.get(key) ?? 0) + Number(k.kernelTimeMs) / steps);
  }
  for (const p of net.parameters()) p.variable.dispose();
  learner.optimizer.dispose();
  return { stepMs: median(cpu), byKey };
}
