import { mlp } from '@descent/layers';
import { getLoss } from '@descent/losses';
import { initBackend, tf } from '@descent/tensor';
import { smallCases } from './small/cases.mjs';

await initBackend({ backend: process.argv[2] ?? 'wasm' });
const c = smallCases()[Number(process.argv[3] ?? 2)];
const model = mlp({
  inputs: c.cols,
  hidden: c.hidden,
  outputs: 1,
  activation: c.activation,
  sigmoidOutput: c.loss === 'bce',
  seed: 1,
});
const lossFn = getLoss(c.loss);
const vars = model.trainableParameters().map((p) => p.variable);
const B = Math.min(c.batch, c.rows);
const x = tf.tensor2d(Float32Array.from(c.X.slice(0, B * c.cols)), [B, c.cols]);
const y = tf.tensor2d(Float32Array.from(c.y.slice(0, B)), [B, 1]);
const N = Number(process.env.N ?? 5000);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const run = (what, f) => {
  for (let i = 0; i < 500; i++) f();
  const c0 = cpu();
  for (let i = 0; i < N; i++) f();
  console.log(what, (((cpu() - c0) / N) * 1000).toFixed(1), 'us cpu');
};
run('forward only', () =>
  tf.tidy(() => {
    model.forward(x);
  }),
);
run('forward+loss', () =>
  tf.tidy(() => {
    lossFn(model.forward(x), y);
  }),
);
run('variableGrads', () => {
  const { value, grads } = tf.variableGrads(() => lossFn(model.forward(x), y), vars);
  tf.dispose([value, ...Object.values(grads)]);
});
