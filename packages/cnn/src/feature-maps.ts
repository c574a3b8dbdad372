import type { Sequential } from '@descent/layers';
import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import { toGrey, toRows } from './grey';
import { checkSequential, inEvalMode, leafLayers } from './layer-walk';

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
  const tensors = inEvalMode(model, () =>
    tf.tidy(() => {
      const outputs: tf.Tensor[] = [];
      let h = x;
      for (const [, layer] of layers) {
        h = layer.forward(h);
        outputs.push(h === x || outputs.includes(h) ? tf.clone(h) : h);
      }
      return outputs;
    }),
  );
  return layers.map(([name, layer], i) => ({
    name,
    type: layer.toJSON().type,
    shape: tensors[i].shape.slice(),
    tensor: tensors[i],
  }));
}

export function disposeFeatureMaps(maps: FeatureMap[]): void {
  tf.dispose(maps.map((m) => m.tensor));
}

/**
 * One sample's maps of an image-shaped entry ([N, C, H, W]) as C grey images in [0, 1]
 * (number[C][H][W], each channel min-max scaled on its own) for display.
 */
export function featureMapImages(map: FeatureMap, sample = 0): number[][][] {
  const where = `featureMapImages: map ${map?.name ?? ''}`.trimEnd();
  if (!map || !(map.tensor instanceof tf.Tensor) || map.tensor.isDisposed)
    throw argumentError(where, 'a feature map with a live tensor', map?.tensor);
  if (map.tensor.rank !== 4) {
    throw new DescentArgumentError(
      `${where}: expected an image-shaped output [N, C, H, W], found [${map.tensor.shape.join(', ')}] (${map.type})`,
    );
  }
  const [n, c, h, w] = map.tensor.shape;
  if (!Number.isInteger(sample) || sample < 0 || sample >= n)
    throw argumentError('featureMapImages: sample', `an integer in [0, ${n})`, sample);
  const data = map.tensor.dataSync();
  return Array.from({ length: c }, (_, ch) => {
    const offset = (sample * c + ch) * h * w;
    return toRows(toGrey(data.subarray(offset, offset + h * w)), 0, h, w);
  });
}
