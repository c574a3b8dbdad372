import { mlp } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { smallCases } from './small/cases.mjs';

await initBackend({ backend: process.argv[2] ?? 'wasm' });
const c = smallCases()[Number(process.argv[3] ?? 1)];
const model = mlp({
  inputs: c.cols,
  hidden: c.hidden,
  outputs: 1,
  activation: c.activation,
  sigmoidOutput: c.loss === 'bce',
  seed: 1,
});
const optimizer = new Adam(model.trainableParameters(), { lr: c.lr });
const learner = new Learner(model, {
  loss: c.loss,
  optimizer,
  metrics: c.loss === 'bce' ? ['accuracy'] : ['mse'],
});
const data = { X: { data: Float32Array.from(c.X), rows: c.rows, cols: c.cols }, y: Float32Array.from(c.y) };
await learner.fit(data, { epochs: 10, batchSize: c.batch, seed: 1 });
const info = await tf.profile(async () => {
  await learner.fit(data, { epochs: 1, batchSize: c.batch, seed: 1 });
});
const counts = {};
for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
console.log('kernels per epoch', info.kernels.length, JSON.stringify(counts));
const t0 = performance.now();
await learner.fit(data, { epochs: c.epochs * 4, batchSize: c.batch, seed: 1 });
console.log('ms/step', (performance.now() - t0) / (c.epochs * 4 * Math.ceil(c.rows / c.batch)));
