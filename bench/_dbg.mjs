import { SGD } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';

await initBackend({ backend: process.argv[2] ?? 'wasm' });
const x = tf.tensor2d([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const y = tf.tensor2d([[0.5], [0.1], [-0.2]]);
for (const fused of [false, true]) {
  const w = tf.variable(tf.tensor2d([[0.1], [-0.2]]));
  const b = tf.variable(tf.tensor1d([0.05]));
  const opt = new SGD([w, b], { lr: 0.1 });
  opt.fused = fused;
  const loss = () => tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), y)));
  const out = [];
  for (let t = 0; t < 4; t++) {
    const { grads, value } = tf.variableGrads(loss, [w, b]);
    opt.step(grads);
    out.push(
      value.dataSync()[0].toFixed(6) +
        ' w=' +
        Array.from(w.dataSync()).map((v) => v.toFixed(4)) +
        ' rc=' +
        tf.backend().refCount(w.dataId),
    );
    tf.dispose([value, grads]);
  }
  console.log(fused, out.join(' | '));
}
