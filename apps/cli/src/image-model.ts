import { Conv2d, Flatten, MaxPool2d, simpleCnn } from '@descent/cnn';
import { Dropout, Linear, ReLU, Sequential } from '@descent/layers';
import { toGenerator } from '@descent/tensor';

/** The image model architectures the CLI can build (`--model`). */
export const imageModels = ['cnn', 'mlp'] as const;
/** The name of an image model architecture: 'cnn' or 'mlp'. */
export type ImageModelKind = (typeof imageModels)[number];

/** One grey 28×28 digit, NCHW: what every image model here takes. */
export const DIGIT_SHAPE: [number, number, number] = [1, 28, 28];

export interface ImageModelShape {
  /** [channels, height, width] of one input image. Default DIGIT_SHAPE. */
  inputShape?: [number, number, number];
  /** The CNN's channels per conv block. Default [8, 16]. */
  channels?: number[];
  /** The CNN's hidden dense layers between the conv blocks and the output. Default none. */
  hidden?: number[];
  /** Batch norm after each of the CNN's convolutions. Default false. */
  batchNorm?: boolean;
  /** Dropout before the CNN's output layer. Default none. */
  dropout?: number;
}

/**
 * The networks `descent train` builds for images, taking [N, C, H, W]:
 * - cnn: the course's typical CNN, simpleCnn: per block conv 3×3 (same) → ReLU → max-pool 2, then
 *   Flatten → Linear(→ outputs); with [8, 16] channels on digits 9,098 parameters for 10 classes.
 *   Chosen by measurement (bench/mnist-minute.mjs);
 * - mlp: Flatten → Linear(→ 128) → ReLU → Linear(128 → outputs), the dense baseline.
 * `outputs` is 10 class scores, or 1 logit for a binary task.
 */
export function buildImageModel(
  kind: ImageModelKind,
  outputs: number,
  seed: number,
  { inputShape = DIGIT_SHAPE, channels = [8, 16], hidden, batchNorm, dropout }: ImageModelShape = {},
): Sequential {
  if (kind === 'cnn')
    return simpleCnn({ inputShape, classes: outputs, channels, hidden, batchNorm, dropout, seed });
  const g = toGenerator(seed);
  return new Sequential([
    new Flatten(),
    new Linear(inputShape[0] * inputShape[1] * inputShape[2], 128, { seed: g }),
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
