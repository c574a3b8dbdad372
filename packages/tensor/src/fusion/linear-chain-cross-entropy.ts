import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { hostMemory } from '../host-memory/host-memory';
import { nativeHeap } from '../kernels/native-kernels';
import { crossEntropyRows } from './fused-cross-entropy';
import { LINEAR_CHAIN_LIMIT, type LinearLayer } from './fused-linear';
import {
  backwardLayers,
  type ChainAttrs,
  forwardLayers,
  hiddenSize,
  type Widths,
} from './linear-chain-kernels';

/** What `linearChainCrossEntropy` gives: the mean loss, each parameter's gradient, the logits if asked. */
export interface ChainStepResult {
  /** The batch's mean cross-entropy. */
  loss: number;
  /** Per layer, its weight's gradient [out, in], then its bias's [out] where it has one. The caller disposes them. */
  grads: tf.Tensor[];
  /** The last layer's output [N, C], row-major, with `keepLogits`. */
  logits?: Float32Array;
}

const usable = (t: tf.Tensor, rank: number) => t.rank === rank && t.dtype === 'float32' && !t.isDisposed;

/**
 * A training step's value and gradients for a chain of Linear layers (each with the ReLU after it,
 * or not) under cross-entropy against class indices, mean over the batch: forward, loss and
 * backward as one pass of native calls on the WASM heap, outside tfjs's tape. Through the tape the
 * same step is the chain's kernel forward (fused-linear.ts), the loss (fused-cross-entropy.ts),
 * their gradients and a copy of every tensor each keeps: a dozen kernels, whose engine bookkeeping
 * in JavaScript costs more than the MLP's products until V8 has optimized it (about 1,000 steps).
 *
 * The native calls are the chain kernels' own (forwardLayers, backwardLayers), and the loss's
 * gradient is fused-cross-entropy.ts's, so the gradients are those of the taped step to the bit;
 * the loss is summed in float64. The first layer's input gradient is not computed: nothing asks
 * for the gradient of a batch. Undefined where it does not apply (another backend, no native
 * kernels, shapes that do not chain, more than LINEAR_CHAIN_LIMIT layers, a label that is not a
 * class index): the caller then runs the step through the tape, which reports bad input.
 */
export function linearChainCrossEntropy(
  x: tf.Tensor,
  labels: Int32Array,
  layers: readonly LinearLayer[],
  options: { keepLogits?: boolean } = {},
): ChainStepResult | undefined {
  if (!(x instanceof tf.Tensor)) throw argumentError('linearChainCrossEntropy: x', 'a tensor', x);
  if (!(labels instanceof Int32Array))
    throw argumentError('linearChainCrossEntropy: labels', 'an Int32Array of class indices', labels);
  if (!Array.isArray(layers))
    throw argumentError('linearChainCrossEntropy: layers', 'an array of layers', layers);
  if (options === null || typeof options !== 'object')
    throw argumentError('linearChainCrossEntropy: options', 'an object', options);
  for (const key of Object.keys(options))
    if (key !== 'keepLogits') throw argumentError('linearChainCrossEntropy: options', 'only keepLogits', key);
  if (options.keepLogits !== undefined && typeof options.keepLogits !== 'boolean')
    throw argumentError('linearChainCrossEntropy: options.keepLogits', 'a boolean', options.keepLogits);
  const count = layers.length;
  if (count === 0 || count > LINEAR_CHAIN_LIMIT || !usable(x, 2)) return undefined;
  const rows = x.shape[0];
  const widths: Widths[] = [];
  for (const [l, { weight, bias, relu }] of layers.entries()) {
    const at = `linearChainCrossEntropy: layers[${l}]`;
    if (!(weight instanceof tf.Tensor)) throw argumentError(`${at}.weight`, 'a tensor', weight);
    if (bias !== null && !(bias instanceof tf.Tensor))
      throw argumentError(`${at}.bias`, 'a tensor or null', bias);
    if (typeof relu !== 'boolean') throw argumentError(`${at}.relu`, 'a boolean', relu);
    const inp = l === 0 ? (x.shape[1] as number) : widths[l - 1].out;
    if (!usable(weight, 2) || weight.shape[1] !== inp) return undefined;
    if (bias && !(usable(bias, 1) && bias.shape[0] === weight.shape[0])) return undefined;
    widths.push({ inp, out: weight.shape[0] as number });
  }
  const classes = widths[count - 1].out;
  if (labels.length !== rows || rows === 0) return undefined;
  for (const label of labels) if (!(label >= 0 && label < classes)) return undefined;
  const heap = tf.getBackend() === 'wasm' ? nativeHeap(tf.backend()) : undefined;
  const memory = hostMemory();
  if (heap == null || memory == null) return undefined;

  const attrs: ChainAttrs = { relu: layers.map((l) => l.relu), hasBias: layers.map((l) => l.bias !== null) };
  // One scratch tensor: the hidden outputs, the logits, their gradient, then each lower layer's
  // gradient at its output and each upper ReLU's masked gradient.
  const floats = (l: number) => rows * widths[l].out;
  const below = widths.map((_, l) => (l < count - 1 ? floats(l) : 0));
  const masked = widths.map((_, l) => (l > 0 && attrs.relu[l] ? floats(l) : 0));
  const g0 = count === 1 && attrs.relu[0] ? floats(0) : 0;
  const logits = rows * classes;
  const sizes = [hiddenSize(rows, widths), logits, logits, ...below, ...masked, g0];
  const scratch = memory.wrap(memory.alloc([sizes.reduce((a, b) => a + b, 0)]));
  const grads: tf.Tensor[] = [];
  try {
    const dw: tf.Tensor[] = [];
    const db: (tf.Tensor | undefined)[] = [];
    for (const [l, { inp, out }] of widths.entries()) {
      dw.push(memory.wrap(memory.alloc([out, inp])));
      grads.push(dw[l]);
      db.push(attrs.hasBias[l] ? memory.wrap(memory.alloc([out])) : undefined);
      if (db[l]) grads.push(db[l] as tf.Tensor);
    }
    // Offsets only now: an allocation may have grown the heap (offsets stay, buffers do not).
    const base = heap.offset(scratch);
    const starts: number[] = [];
    let at = base;
    for (const size of sizes) {
      starts.push(at);
      at += size * 4;
    }
    const [hidden, y, dy] = starts;
    const belowAt = below.map((size, l) => (size ? starts[3 + l] : 0));
    const maskedAt = masked.map((size, l) => (size ? starts[3 + count + l] : 0));
    const offset = (t: tf.Tensor | null | undefined) => (t ? heap.offset(t) : 0);
    const forward = {
      x: heap.offset(x),
      weights: layers.map((l) => heap.offset(l.weight)),
      biases: layers.map((l) => offset(l.bias)),
      hidden,
      y,
    };
    forwardLayers(heap, attrs, rows, widths, forward);
    // No allocation from here on, so these views stay good.
    const buffer = heap.buffer();
    const logitsView = new Float32Array(buffer, y, logits);
    const loss = crossEntropyGradient(logitsView, labels, classes, new Float32Array(buffer, dy, logits));
    backwardLayers(heap, attrs, rows, widths, {
      ...forward,
      dy,
      dw: dw.map(offset),
      db: db.map(offset),
      g0: count === 1 ? (attrs.relu[0] ? starts[starts.length - 1] : 0) : belowAt[0],
      below: belowAt,
      masked: maskedAt,
    });
    const kept = options.keepLogits ? logitsView.slice() : undefined;
    return { loss, grads, logits: kept };
  } catch (error) {
    tf.dispose(grads);
    throw error;
  } finally {
    scratch.dispose();
  }
}

/** Mean cross-entropy of `logits` [N, C] against `labels`, its gradient into `grad` (crossEntropyRows). */
function crossEntropyGradient(
  logits: Float32Array,
  labels: Int32Array,
  c: number,
  grad: Float32Array,
): number {
  const losses = new Float32Array(labels.length);
  crossEntropyRows(logits, labels, c, 1 / labels.length, losses, grad);
  // Each row's loss in float32, as the taped op keeps them; their sum in float64.
  let total = 0;
  for (const loss of losses) total += loss;
  return total / labels.length;
}
