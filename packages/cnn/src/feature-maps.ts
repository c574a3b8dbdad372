import type { Sequential } from '@descent/layers';
import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import { toGrey, toRows } from './grey';
import { checkSequential, inEvalMode, leafLayers } from './layer-walk';

/** One layer's output for the input batch, as `featureMaps` records it. */
export interface FeatureMap {
  /** The layer's path in the model ('0', '3.1' in a nested Sequential). */
  name: string;
  /** Its toJSON type ('Conv2d', 'ReLU', ...). */
  type: string;
  shape: number[];
  /** The layer's output; yours to dispose (`disposeFeatureMaps`). */
  tensor: tf.Tensor;
}

/**
 * Every layer's output for `x`, layer by layer (nested Sequentials opened up): the feature maps
 * of the convolutions, the pooled maps, the flattened vector, the logits. Runs in eval mode, so
 * nothing random happens and no running statistic moves; each module's mode is restored after.
 * Each entry owns its tensor, even where a layer returned its input unchanged.
 */
export function featureMaps(model: Sequential, x: tf.Tensor): FeatureMap[] {
  checkSequential('featureMaps: model', model);
  if (!(x instanceof tf.Tensor)) throw argumentError('featureMaps: x', 'a tensor', x);
  const layers = leafLayers(model);
  // A forward hook on every leaf records the outputs in the order the layers run, which is
  // `layers`' order (a layer listed twice runs, and is recorded, twice); hooked layers keep the
  // model on its plain per-layer path.
  const tensors: tf.Tensor[] = [];
  const handles = [...new Set(layers.map(([, layer]) => layer))].map((layer) =>
    layer.registerForwardHook((_m, input, output) => {
      const taken = output === x || output === input || tensors.includes(output);
      tensors.push(tf.keep(taken ? tf.clone(output) : output));
      return undefined;
    }),
  );
  try {
    inEvalMode(model, () =>
      tf.tidy(() => {
        model.call(x);
      }),
    );
  } catch (err) {
    tf.dispose(tensors);
    throw err;
  } finally {
    for (const handle of handles) handle.remove();
  }
  return layers.map(([name, layer], i) => ({
    name,
    type: layer.toJSON().type,
    shape: tensors[i].shape.slice(),
    tensor: tensors[i],
  }));
}

/** Frees the tensors of feature maps returned by `featureMaps`. */
export function disposeFeatureMaps(maps: FeatureMap[]): void {
  tf.dispose(maps.map((m) => m.tensor));
}

/** Checks the map and the sample; returns the tensor's [N, C, H, W]. */
function checkImageMap(where: string, map: FeatureMap, sample: number): number[] {
  const name = `${where}: map ${map?.name ?? ''}`.trimEnd();
  if (!map || !(map.tensor instanceof tf.Tensor) || map.tensor.isDisposed)
    throw argumentError(name, 'a feature map with a live tensor', map?.tensor);
  if (map.tensor.rank !== 4) {
    throw new DescentArgumentError(
      `${name}: expected an image-shaped output [N, C, H, W], found [${map.tensor.shape.join(', ')}] (${map.type})`,
    );
  }
  const n = map.tensor.shape[0];
  if (!Number.isInteger(sample) || sample < 0 || sample >= n)
    throw argumentError(`${where}: sample`, `an integer in [0, ${n})`, sample);
  return map.tensor.shape.slice();
}

/** Channel images of one sample from the values of an [N, C, H, W] map (`values` may hold just that sample). */
function channelImages(
  values: Float32Array | Int32Array | Uint8Array,
  c: number,
  h: number,
  w: number,
  first = 0,
) {
  return Array.from({ length: c }, (_, ch) => {
    const offset = (first + ch) * h * w;
    return toRows(toGrey(values.subarray(offset, offset + h * w)), 0, h, w);
  });
}

/**
 * One sample's maps of an image-shaped entry ([N, C, H, W]) as C grey images in [0, 1]
 * (number[C][H][W], each channel min-max scaled on its own) for display.
 */
export function featureMapImages(map: FeatureMap, sample = 0): number[][][] {
  const [, c, h, w] = checkImageMap('featureMapImages', map, sample);
  return channelImages(map.tensor.dataSync(), c, h, w, sample * c);
}

/**
 * `featureMapImages` with an asynchronous read, for backends that cannot read back synchronously
 * (WebGPU). Only the chosen sample is read back; the map may be disposed once this returns a
 * promise.
 */
export async function featureMapImagesAsync(map: FeatureMap, sample = 0): Promise<number[][][]> {
  const [, c, h, w] = checkImageMap('featureMapImagesAsync', map, sample);
  const one = tf.slice(map.tensor, [sample, 0, 0, 0], [1, c, h, w]);
  try {
    return channelImages(await one.data(), c, h, w);
  } finally {
    one.dispose();
  }
}
