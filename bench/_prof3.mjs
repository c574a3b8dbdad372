import { mlp } from '@descent/layers';
import { getLoss } from '@descent/losses';
import { Adam } from '@descent/optim';
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
const optimizer = new Adam(model.trainableParameters(), { lr: c.lr });
const lossFn = getLoss(c.loss);
const vars = model.trainableParameters().map((p) => p.variable);
const B = Math.min(c.batch, c.rows);
const xb = Float32Array.from(c.X.slice(0, B * c.cols));
const yb = Float32Array.from(c.y.slice(0, B));
const T = { make: 0, grads: 0, read: 0, opt: 0, out: 0, disp: 0 };
const N = Number(process.env.N ?? 3000);
for (let i = 0; i < N + 500; i++) {
  if (i === 500) for (const k in T) T[k] = 0;
  let t = performance.now();
  const lap = (k) => {
    const n = performance.now();
    T[k] += n - t;
    t = n;
  };
  let output;
  const { value, grads } = tf.tidy(() => {
    const x = tf.tensor2d(xb, [B, c.cols]);
    const y = tf.tensor2d(yb, [B, 1]);
    lap('make');
    return tf.variableGrads(() => {
      const o = model.forward(x);
      output = tf.keep(o);
      return lossFn(o, y);
    }, vars);
  });
  lap('grads');
  await value.data();
  lap('read');
  optimizer.step(grads);
  lap('opt');
  await output.data();
  lap('out');
  tf.dispose([value, output, ...Object.values(grads)]);
  lap('disp');
}
console.log(
  c.name,
  Object.entries(T)
    .map(([k, v]) => `${k} ${((v / N) * 1000).toFixed(1)}us`)
    .join('  '),
);
