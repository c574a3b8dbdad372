import { argumentError, type NamedTensorMap, type Tensor, tf } from '@descent/tensor';

/** What `clipGradNorm` returns: the clipped gradients and the norm before clipping. */
export interface ClipGradNormResult {
  /** New, clipped gradients under the same names; the caller disposes them. */
  grads: NamedTensorMap;
  /** The norm of all gradients together, before clipping. */
  totalNorm: number;
}

function checkGrads(grads: NamedTensorMap): [string, Tensor][] {
  if (grads == null || typeof grads !== 'object')
    throw argumentError('grads', 'a map of variable name to gradient', grads);
  const entries = Object.entries(grads);
  for (const [name, g] of entries) {
    if (g == null || typeof g !== 'object' || !('shape' in g) || g.isDisposed) {
      throw argumentError(`grads["${name}"]`, 'a live tensor', g);
    }
  }
  return entries;
}

function checkNormArgs(grads: NamedTensorMap, maxNorm: number, normType: number): [string, Tensor][] {
  const entries = checkGrads(grads);
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0) {
    throw argumentError('maxNorm', 'a number >= 0', maxNorm);
  }
  if (typeof normType !== 'number' || Number.isNaN(normType) || normType <= 0) {
    throw argumentError('normType', 'a number > 0 or Infinity', normType);
  }
  return entries;
}

/** The joint p-norm of all gradients as a scalar tensor (the caller disposes it). */
function jointNorm(entries: [string, Tensor][], normType: number): tf.Scalar {
  return tf.tidy(() => {
    if (normType === Infinity)
      return tf.max(tf.stack(entries.map(([, g]) => tf.max(tf.abs(g))))) as tf.Scalar;
    // sum_i ||g_i||_p^p = sum over every element of |g|^p, so the per-tensor roots cancel.
    const powered = entries.map(([, g]) =>
      tf.sum(normType === 2 ? tf.square(g) : tf.pow(tf.abs(g), normType)),
    );
    return tf.pow(tf.addN(powered), 1 / normType) as tf.Scalar;
  });
}

function checkFinite(totalNorm: number, errorIfNonfinite: boolean): void {
  if (errorIfNonfinite && !Number.isFinite(totalNorm)) {
    throw argumentError('grads', 'a finite total norm (errorIfNonfinite is set)', totalNorm);
  }
}

/**
 * Scales all gradients together so that their joint p-norm is at most `maxNorm` (PyTorch's
 * clip_grad_norm_): the norm of the per-tensor norms; `normType` Infinity takes the largest
 * |g|. The scale is min(1, maxNorm / (total + 1e-6)). Returns new tensors; `grads` is untouched.
 * Reads the norm back synchronously; on WebGPU use `clipGradNormAsync`.
 */
export function clipGradNorm(
  grads: NamedTensorMap,
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): ClipGradNormResult {
  const entries = checkNormArgs(grads, maxNorm, normType);
  if (entries.length === 0) return { grads: {}, totalNorm: 0 };
  const norm = jointNorm(entries, normType);
  const totalNorm = norm.dataSync()[0];
  norm.dispose();
  checkFinite(totalNorm, errorIfNonfinite);
  const scale = Math.min(1, maxNorm / (totalNorm + 1e-6));
  const out: NamedTensorMap = {};
  for (const [name, g] of entries) out[name] = tf.tidy(() => (scale === 1 ? tf.clone(g) : tf.mul(g, scale)));
  return { grads: out, totalNorm };
}

/**
 * `clipGradNorm` without a synchronous read: the scale is computed and applied on the device
 * (min(1, maxNorm / (total + 1e-6)) as a tensor, so an unclipped gradient is multiplied by exactly
 * 1), and only then is the norm read back, asynchronously, for `totalNorm`. With
 * `errorIfNonfinite` a non-finite norm rejects, the new tensors already disposed.
 */
export async function clipGradNormAsync(
  grads: NamedTensorMap,
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): Promise<ClipGradNormResult> {
  const entries = checkNormArgs(grads, maxNorm, normType);
  if (entries.length === 0) return { grads: {}, totalNorm: 0 };
  const norm = jointNorm(entries, normType);
  const out: NamedTensorMap = {};
  try {
    const scale = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))));
    for (const [name, g] of entries) out[name] = tf.mul(g, scale);
    scale.dispose();
    const totalNorm = (await norm.data())[0];
    checkFinite(totalNorm, errorIfNonfinite);
    return { grads: out, totalNorm };
  } catch (error) {
    tf.dispose(Object.values(out));
    throw error;
  } finally {
    norm.dispose();
  }
}

/** Clamps every gradient element to [-clipValue, clipValue]. Returns new tensors; the caller disposes them. */
export function clipGradValue(grads: NamedTensorMap, clipValue: number): NamedTensorMap {
  const entries = checkGrads(grads);
  if (typeof clipValue !== 'number' || !Number.isFinite(clipValue) || clipValue < 0) {
    throw argumentError('clipValue', 'a finite number >= 0', clipValue);
  }
  const out: NamedTensorMap = {};
  for (const [name, g] of entries) out[name] = tf.clipByValue(g, -clipValue, clipValue);
  return out;
}
