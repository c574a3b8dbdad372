// The small CNN step that conv-kernels.mjs and pool-kernels.mjs time, and the CPU clock they time
// it with. `tf` is passed in: pool-kernels.mjs must capture tfjs's own kernels before
// @descent/tensor is imported, so this module imports no tensor library itself.

/** The process's CPU time in ms (single-threaded here, so it does not grow with other jobs' load). */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * tf.profile of `fit` with tfjs's clock set to this process's CPU time, so each kernel's time is
 * CPU milliseconds that other jobs' load does not inflate. The clock is put back afterwards.
 */
export async function profileOnCpuClock(tf, fit) {
  const platform = tf.env().platform;
  const wallNow = platform.now;
  platform.now = cpuMs;
  try {
    return await tf.profile(fit);
  } finally {
    platform.now = wallNow;
  }
}

const cnnShapes = { w1: [3, 3, 1, 8], b1: [8], w2: [3, 3, 8, 16], b2: [16], wd: [7 * 7 * 16, 10], bd: [10] };

/** conv-relu-maxpool x2, dense, softmax cross-entropy; `step` is one SGD step on a batch of `batch`. */
export function makeCnn(tf, batch) {
  const v = Object.fromEntries(
    Object.entries(cnnShapes).map(([name, shape]) => [
      name,
      tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', 7)),
    ]),
  );
  const images = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 8);
  const labels = Array.from({ length: batch }, (_, i) => i % 10);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const loss = () => {
    let h = tf.relu(tf.add(tf.conv2d(images, v.w1, 1, 'same'), v.b1));
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, v.w2, 1, 'same'), v.b2));
    h = tf.maxPool(h, 2, 2, 'valid');
    return tf.losses.softmaxCrossEntropy(oneHot, tf.add(tf.matMul(tf.reshape(h, [batch, -1]), v.wd), v.bd));
  };
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss);
      for (const x of Object.values(v)) x.assign(tf.sub(x, tf.mul(grads[x.name], 0.01)));
      return value.dataSync()[0];
    });
  return { step, dispose: () => tf.dispose([...Object.values(v), images, oneHot]) };
}

/**
 * CPU ms per kernel name, mean over `steps` steps of makeCnn's step (tf.profile with tfjs's clock
 * pointed at the process's CPU time), largest first.
 */
export async function kernelShare(tf, batch, steps) {
  const cnn = makeCnn(tf, batch);
  cnn.step();
  const platform = tf.env().platform;
  const wallNow = platform.now;
  platform.now = cpuMs;
  const byName = new Map();
  try {
    for (let s = 0; s < steps; s++) {
      const profile = await tf.profile(() => cnn.step());
      for (const k of profile.kernels)
        byName.set(k.name, (byName.get(k.name) ?? 0) + Number(k.kernelTimeMs) / steps);
    }
  } finally {
    platform.now = wallNow;
    cnn.dispose();
  }
  return [...byName.entries()].sort((a, b) => b[1] - a[1]);
}
