import * as tf from '@tensorflow/tfjs-core';

/** The timing of `probeSpeed`: milliseconds for a few rounds of a small convolution and matmul on the current backend. */
export interface SpeedProbe {
  /** Milliseconds for the timed rounds (after one untimed round that compiles shaders). */
  ms: number;
  rounds: number;
}

/**
 * Times a few milliseconds of the work training does most (a 3×3 convolution over a batch of
 * feature maps and a dense product) on the running backend, reading the result back each
 * round so a GPU's queue is really drained. Used to choose between backends when the browser
 * does not say what its GPU is; the figure is only comparable with another probe's.
 */
export async function probeSpeed(options: { rounds?: number } = {}): Promise<SpeedProbe> {
  const rounds = options.rounds ?? 3;
  const x = tf.fill([16, 28, 28, 8], 0.5);
  const filter = tf.fill([3, 3, 8, 16], 0.1);
  const a = tf.fill([192, 192], 0.01);
  const round = async () => {
    const out = tf.tidy(() => {
      const conv = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
      return tf.add(conv.mean(), tf.matMul(a, a).mean());
    });
    await out.data();
    out.dispose();
  };
  try {
    await round();
    const start = performance.now();
    for (let i = 0; i < rounds; i++) await round();
    return { ms: performance.now() - start, rounds };
  } finally {
    tf.dispose([x, filter, a]);
  }
}
