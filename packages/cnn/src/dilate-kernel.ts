import { tf } from '@descent/tensor';

/**
 * A dilated ("à trous") convolution's kernel as an ordinary one: `dilation - 1` zeros between
 * neighbouring taps, so a 3×3 kernel with dilation 2 becomes a 5×5 one that sees a 5×5 window
 * with 9 weights. Built from reshape, pad and slice, so the weight gets its gradient through it
 * (tfjs's own dilated conv2d has no gradient) and any stride works. [o, i, kh, kw] →
 * [o, i, (kh - 1)·dh + 1, (kw - 1)·dw + 1].
 */
export function dilateKernel(weight: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return weight;
  const [o, i, kh, kw] = weight.shape;
  return tf.tidy(() => {
    // Along the last axis, then (transposed) along the height.
    const wide = spreadLastAxis(tf.reshape<tf.Rank.R2>(weight, [o * i * kh, kw]), dw);
    const kwd = wide.shape[1];
    const flipped = tf.reshape<tf.Rank.R2>(tf.transpose(tf.reshape(wide, [o * i, kh, kwd]), [0, 2, 1]), [
      o * i * kwd,
      kh,
    ]);
    const tall = spreadLastAxis(flipped, dh);
    const khd = tall.shape[1];
    return tf.reshape(tf.transpose(tf.reshape(tall, [o * i, kwd, khd]), [0, 2, 1]), [o, i, khd, kwd]);
  });
}

/** [a, k] → [a, (k - 1)·d + 1]: each row's values d apart, zeros between. */
function spreadLastAxis(t: tf.Tensor2D, d: number): tf.Tensor2D {
  if (d === 1) return t;
  const [a, k] = t.shape;
  const padded = tf.pad(tf.reshape(t, [a, k, 1]), [
    [0, 0],
    [0, 0],
    [0, d - 1],
  ]);
  return tf.slice(tf.reshape<tf.Rank.R2>(padded, [a, k * d]), [0, 0], [a, (k - 1) * d + 1]);
}
