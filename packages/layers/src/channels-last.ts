import { tf } from '@descent/tensor';
import { Dropout } from './dropout';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import { hasForwardHooks, type Module } from './module';
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/**
 * A layer that can also run on images stored channels-last ([N, H, W, C]), as PyTorch's
 * `memory_format=torch.channels_last` does. Image layers speak NCHW at their API, but tfjs
 * convolves and pools channels-last, so a chain of them run one by one transposes at every layer;
 * Sequential instead runs a chain of such layers on NHWC tensors with one transpose in and one out.
 * Implement both members on a Module: the API (parameters, configs, state dicts) stays NCHW.
 */
export interface ChannelsLastLayer {
  /**
   * `forward` for channels-last images: `x` is the NCHW input transposed to [N, H, W, C]. A 4-D
   * result is read as [N, H', W', C'] (the NCHW result transposed); any other result must be
   * exactly what `forward` returns (e.g. [N, C] features). Error messages should name NCHW shapes.
   */
  forwardChannelsLast(x: tf.Tensor): tf.Tensor;
  /** The plain `forward` transposes to channels-last itself (a convolution): a run is worth starting here. */
  readonly prefersChannelsLast?: boolean;
  /**
   * Max pooling: relu(max(x)) = max(relu(x)) exactly, gradients included, so a ReLU just before it
   * may run after it, on a quarter of the values for 2×2 windows.
   */
  readonly commutesWithReLU?: boolean;
}

const has = (o: object, key: string) => Object.hasOwn(o, key);

/**
 * The layer as a ChannelsLastLayer, or null. A layer with forward hooks (summary's, featureMaps')
 * or whose `forward` a subclass overrode below the class that defines forwardChannelsLast would be
 * bypassed by the fast path, so such a layer takes the plain one.
 */
export function channelsLastLayer(layer: Module): (Module & ChannelsLastLayer) | null {
  const candidate = layer as Module & Partial<ChannelsLastLayer>;
  if (typeof candidate.forwardChannelsLast !== 'function' || hasForwardHooks(layer)) return null;
  let owner: object | null = Object.getPrototypeOf(layer);
  while (owner !== null && !has(owner, 'forwardChannelsLast')) owner = Object.getPrototypeOf(owner);
  if (owner === null || (owner as Module).forward !== layer.forward) return null;
  return candidate as Module & ChannelsLastLayer;
}

const elementwise: readonly unknown[] = [ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Identity];

/**
 * Whether `forward` gives the same values whatever the order of the elements: the built-in
 * elementwise activations, and Dropout where it draws no mask (its masks would differ by layout).
 * Exact classes only, and no hooks, since a subclass or hook may depend on the shape.
 */
export function isLayoutAgnostic(layer: Module): boolean {
  if (hasForwardHooks(layer)) return false;
  const type = layer.constructor;
  if (elementwise.includes(type)) return true;
  return type === Dropout && (!layer.training || (layer as Dropout).p === 0);
}

/** Whether NCHW ↔ NHWC moves no data: one channel, or a 1×1 image. */
const sameOrder = ([, a, b, c]: number[]) => a === 1 || b * c === 1;

/** [N, C, H, W] → [N, H, W, C]; a reshape where the order of the values does not change. */
export function toChannelsLast(x: tf.Tensor): tf.Tensor {
  const [n, c, h, w] = x.shape;
  return sameOrder(x.shape) ? tf.reshape(x, [n, h, w, c]) : tf.transpose(x, [0, 2, 3, 1]);
}

/** [N, H, W, C] → [N, C, H, W]; a reshape where the order of the values does not change. */
export function toChannelsFirst(x: tf.Tensor): tf.Tensor {
  const [n, h, w, c] = x.shape;
  return sameOrder([n, c, h, w]) ? tf.reshape(x, [n, c, h, w]) : tf.transpose(x, [0, 3, 1, 2]);
}

/** A channels-last run from `start` pays only if one of its layers works channels-last anyway. */
function worthRun(layers: readonly Module[], start: number): boolean {
  for (let i = start; i < layers.length; i++) {
    const layer = channelsLastLayer(layers[i]);
    if (layer?.prefersChannelsLast) return true;
    if (!layer && !isLayoutAgnostic(layers[i])) return false;
  }
  return false;
}

/**
 * Runs `layers` one after another on `x`. With `channelsLast`, a 4-D float32 tensor meeting a run
 * of ChannelsLastLayers (elementwise activations between them included) that holds a convolution
 * is transposed to NHWC once, goes through the run's forwardChannelsLast methods, and comes back
 * to NCHW once where the run ends; a ReLU just before a max pool runs after it. The values are
 * those of the plain path up to float rounding; without `channelsLast`, this is the plain path.
 */
export function forwardLayers(layers: readonly Module[], x: tf.Tensor, channelsLast = true): tf.Tensor {
  let h = x;
  let nhwc = false;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    if (!channelsLast) {
      h = layer.call(h);
      continue;
    }
    const fast = channelsLastLayer(layer);
    if (nhwc) {
      if (fast) {
        h = fast.forwardChannelsLast(h);
        nhwc = h.rank === 4;
        continue;
      }
      if (isLayoutAgnostic(layer)) {
        const next = i + 1 < layers.length ? channelsLastLayer(layers[i + 1]) : null;
        if (Object.getPrototypeOf(layer) === ReLU.prototype && next?.commutesWithReLU) {
          h = layer.call(next.forwardChannelsLast(h));
          nhwc = h.rank === 4;
          i++;
        } else {
          h = layer.call(h);
        }
        continue;
      }
      h = toChannelsFirst(h);
      nhwc = false;
    } else if (fast && h.rank === 4 && h.dtype === 'float32' && worthRun(layers, i)) {
      h = toChannelsLast(h);
      nhwc = true;
      i--;
      continue;
    }
    h = layer.call(h);
  }
  return nhwc ? toChannelsFirst(h) : h;
}
