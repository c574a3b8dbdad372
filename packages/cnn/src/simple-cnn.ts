import { Dropout, Linear, type Module, ReLU, Sequential } from '@descent/layers';
import { argumentError, DescentArgumentError, toGenerator } from '@descent/tensor';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { Flatten } from './flatten';
import { MaxPool2d } from './max-pool2d';

/** Options of `simpleCnn`: the input shape, the number of classes and the layer sizes. */
export interface SimpleCnnOptions {
  /** One image's shape [channels, height, width]. */
  inputShape: [number, number, number];
  /** Outputs (logits): 1 for binary classification with bceWithLogits, k for crossEntropy. */
  classes: number;
  /** Output channels of each conv block. */
  channels?: number[];
  kernelSize?: number;
  /** Hidden Linear sizes between Flatten and the output layer. */
  hidden?: number | number[];
  /** Dropout probability after each hidden layer's ReLU (after Flatten when there is none). */
  dropout?: number;
  /** Conv → BatchNorm2d → ReLU → MaxPool (the conv then has no bias, BatchNorm shifts). */
  batchNorm?: boolean;
  /** One seed for every initial weight and dropout mask. */
  seed?: number;
}

const positiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/**
 * The typical CNN of the course: [conv (same padding) → ReLU → 2×2 max-pool] per entry of
 * `channels` (each block halves height and width), then Flatten → [Linear → ReLU → Dropout] per
 * hidden size → Linear to `classes` logits. A Sequential, so summary(), featureMaps() and
 * cutHead() work on it, and fromConfig rebuilds it.
 */
export function simpleCnn(options: SimpleCnnOptions): Sequential {
  if (options === null || typeof options !== 'object')
    throw argumentError('simpleCnn: options', 'an object', options);
  const {
    inputShape,
    classes,
    channels = [8, 16],
    kernelSize = 3,
    dropout,
    batchNorm = false,
    seed,
  } = options;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every(positiveInt))
    throw argumentError(
      'simpleCnn: inputShape',
      '[channels, height, width] of positive integers',
      inputShape,
    );
  if (!positiveInt(classes)) throw argumentError('simpleCnn: classes', 'a positive integer', classes);
  if (!Array.isArray(channels) || !channels.every(positiveInt))
    throw argumentError('simpleCnn: channels', 'an array of positive integers', channels);
  if (!positiveInt(kernelSize))
    throw argumentError('simpleCnn: kernelSize', 'a positive integer', kernelSize);
  const hidden = options.hidden === undefined ? [] : [options.hidden].flat();
  if (!hidden.every(positiveInt))
    throw argumentError('simpleCnn: hidden', 'positive integers', options.hidden);
  if (dropout !== undefined && (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)))
    throw argumentError('simpleCnn: dropout', 'a number in [0, 1)', dropout);
  if (typeof batchNorm !== 'boolean') throw argumentError('simpleCnn: batchNorm', 'a boolean', batchNorm);
  if (seed !== undefined && !Number.isFinite(seed))
    throw argumentError('simpleCnn: seed', 'a finite number', seed);

  const [c, h, w] = inputShape;
  if (Math.floor(Math.min(h, w) / 2 ** channels.length) < 1) {
    throw new DescentArgumentError(
      `simpleCnn: inputShape: ${channels.length} blocks halve ${h} x ${w} ${channels.length} times, ` +
        `leaving nothing; expected height and width of at least ${2 ** channels.length}, found [${inputShape.join(', ')}]`,
    );
  }
  const generator = toGenerator(seed);
  const layers: Module[] = [];
  let inChannels = c;
  for (const out of channels) {
    layers.push(
      new Conv2d(inChannels, out, kernelSize, { padding: 'same', bias: !batchNorm, seed: generator }),
    );
    if (batchNorm) layers.push(new BatchNorm2d(out));
    layers.push(new ReLU(), new MaxPool2d(2));
    inChannels = out;
  }
  const scale = 2 ** channels.length;
  let features = inChannels * Math.floor(h / scale) * Math.floor(w / scale);
  layers.push(new Flatten());
  const addDropout = () => {
    if (dropout !== undefined && dropout > 0)
      layers.push(new Dropout({ p: dropout, seed: seed === undefined ? undefined : generator.nextSeed() }));
  };
  if (hidden.length === 0) addDropout();
  for (const units of hidden) {
    layers.push(new Linear(features, units, { seed: generator }), new ReLU());
    addDropout();
    features = units;
  }
  layers.push(new Linear(features, classes, { seed: generator }));
  return new Sequential(layers);
}
