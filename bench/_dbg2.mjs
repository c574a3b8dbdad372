import { initBackend, tf } from '@descent/tensor';

await initBackend({ backend: 'cpu' });
const t = tf.tensor2d([[0.1], [-0.2]]);
console.log('tensor rc', tf.backend().refCount(t.dataId));
const w = tf.variable(t);
console.log('after variable rc', tf.backend().refCount(w.dataId), t.dataId === w.dataId);
const c = tf.clone(w);
console.log('after clone rc', tf.backend().refCount(w.dataId), c.dataId === w.dataId);
