import { mlp } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { smallCases } from './small/cases.mjs';

await initBackend({ backend: process.argv[2] ?? 'wasm' });
const c = smallCases()[Number(process.argv[3] ?? 0)];
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
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
await learner.fit(data, { epochs: c.epochs / 5, batchSize: c.batch, seed: 1 });
const c0 = cpu();
const E = c.epochs * Number(process.env.K ?? 2);
await learner.fit(data, { epochs: E, batchSize: c.batch, seed: 1 });
console.log(c.name, 'cpu us/step', (((cpu() - c0) * 1000) / (E * Math.ceil(c.rows / c.batch))).toFixed(1));
