import { mlp } from '@descent/layers';
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
const B = Math.min(c.batch, c.rows);
const x = tf.tensor2d(Float32Array.from(c.X.slice(0, B * c.cols)), [B, c.cols]);
for (let i = 0; i < 100000; i++)
  tf.tidy(() => {
    model.forward(x);
  });
