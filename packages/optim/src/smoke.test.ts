import { tf } from '@descent/tensor';
import { test } from 'vitest';
import { SGD, Adam } from './index';
test('smoke', () => {
  const x = tf.variable(tf.zeros([3]));
  const target = tf.tensor1d([1, 2, 3]);
  const log = (l: string) => console.log(l, tf.memory().numTensors);
  log('start');
  for (let i = 0; i < 3; i++) {
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(x, target))) as tf.Scalar, [x]);
    tf.dispose([value, grads]);
    log('vg');
  }
  const opt = new SGD([x], { lr: 0.1, momentum: 0.9 });
  for (let i = 0; i < 3; i++) {
    const g = { [x.name]: tf.ones([3]) };
    opt.step(g);
    tf.dispose(g);
    log('step');
  }
  opt.dispose();
  log('disposed');
  const opt2 = new SGD([x], { lr: 0.1 });
  for (let i = 0; i < 3; i++) {
    const g = { [x.name]: tf.ones([3]) };
    opt2.step(g);
    tf.dispose(g);
    log('step plain');
  }
});
