import { Conv2d, Flatten, MaxPool2d, simpleCnn } from '@descent/cnn';
import { Dropout, Linear, ReLU, Sequential } from '@descent/layers';
import { toGenerator } from '@descent/tensor';

export const imageModels = ['cnn', 'mlp'] as const;
export type ImageModelKind = (typeof imageModels)[number];

/** One grey 28×28 digit, NCHW: what every image model here takes. */
export const DIGIT_SHAPE: [number, number, number] = [1, 28, 28];

/**
 * The networks `descent train --dataset mnist` builds, both taking [N, 1, 28, 28]:
 * - cnn: the course's typical CNN, simpleCnn with two blocks: conv 3×3 (1→8, same) → ReLU →
 *   max-pool 2 → conv 3×3 (8→16, same) → ReLU → max-pool 2 → Flatten → Linear(784 → outputs);
 *   9,098 parameters for 10 digits. Chosen by measurement (bench/mnist-minute.mjs): wider or
 *   5×5 layers learned no better from 8,000 digits in the time, and ran two to five times slower;
 * - mlp: Flatten → Linear(784 → 128) → ReLU → Linear(128 → outputs), the dense baseline.
 * `outputs` is 10 class scores, or 1 logit for a binary task.
 */
export function buildImageModel(kind: ImageModelKind, outputs: number, seed: number): Sequential {
  if (kind === 'cnn')
    return simpleCnn({ inputShape: DIGIT_SHAPE, classes: outputs, channels: [8, 16], seed });
  const g = toGenerator(seed);
  return new Sequential([
    new Flatten(),
    new Linear(784, 128, { seed: g }),
    new ReLU(),
    new Linear(128, outputs, { seed: g }),
  ]);
}

/** One line for the report, e.g. `conv3×3·8 → pool → conv3×3·16 → pool → linear 10`. */
export function describeImageModel(model: Sequential): string {
  return model.layers
    .map((layer) => {
      if (layer instanceof Conv2d) return `conv${layer.kernelSize.join('×')}·${layer.outChannels}`;
      if (layer instanceof MaxPool2d) return 'pool';
      if (layer instanceof Linear) return `linear ${layer.outFeatures}`;
      if (layer instanceof Dropout) return `dropout ${layer.p}`;
      return undefined;
    })
    .filter(Boolean)
    .join(' → ');
}
