import { initBackend, tf } from '@descent/tensor';

await initBackend({ backend: process.argv[2] ?? 'wasm' });
const x = tf.variable(tf.tensor2d([[1, 2, 3]]));
const hostOp = tf.customGrad((a, save) => {
  const v = a.dataSync();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * 2;
  save([a]);
  return {
    value: tf.tensor(out, a.shape),
    gradFunc: (dy) => {
      const d = dy.dataSync();
      const g = new Float32Array(d.length);
      for (let i = 0; i < d.length; i++) g[i] = 2 * d[i];
      return tf.tensor(g, dy.shape);
    },
  };
});
const hostOpNoSave = tf.customGrad((a) => {
  const v = a.dataSync();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * 2;
  return {
    value: tf.tensor(out, a.shape),
    gradFunc: (dy) => {
      const d = dy.dataSync();
      const g = new Float32Array(d.length);
      for (let i = 0; i < d.length; i++) g[i] = 2 * d[i];
      return tf.tensor(g, dy.shape);
    },
  };
});
function time(label, chain, f) {
  for (let i = 0; i < 2000; i++) f(chain);
  const N = 20000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) f(chain);
  console.log(label, ((((performance.now() - t0) / N) * 1000) / chain).toFixed(2), 'us per op');
}
const chainOps = (op) => (k) => {
  const { value, grads } = tf.variableGrads(() => {
    let y = x;
    for (let i = 0; i < k; i++) y = op(y);
    return tf.sum(y);
  }, [x]);
  tf.dispose([value, ...Object.values(grads)]);
};
// variableGrads with ops + sum; subtract a baseline with k=1? measure k=10 and k=1
for (const [name, op] of [
  ['tf.mul', (y) => tf.mul(y, 2)],
  ['custom', hostOp],
  ['custom-nosave', hostOpNoSave],
]) {
  const f = (k) => tf.tidy(() => chainOps(op)(k));
  const t = (k) => {
    for (let i = 0; i < 1000; i++) f(k);
    const N = 5000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) f(k);
    return ((performance.now() - t0) / N) * 1000;
  };
  const t1 = t(1),
    t11 = t(11);
  console.log(
    name,
    'base(k=1)',
    t1.toFixed(1),
    'us; per extra op fwd+bwd',
    ((t11 - t1) / 10).toFixed(2),
    'us',
  );
}
