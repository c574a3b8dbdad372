import { argumentError, type RandomSource, tf, toGenerator } from '@descent/tensor';

/** Makes a fresh float32 tensor of `shape`; random ones draw from `source` (seed, Generator, or global). */
export type Initializer = (shape: number[], source?: RandomSource) => tf.Tensor;

/** A nonlinearity whose recommended gain `calculateGain` knows. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu';

const nonlinearities: readonly Nonlinearity[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu'];

/** PyTorch's spellings, accepted as they are: `calculateGain('leaky_relu')`, `mode: 'fan_out'`. */
const pytorchSpellings: Record<string, string> = {
  leaky_relu: 'leakyRelu',
  fan_in: 'fanIn',
  fan_out: 'fanOut',
};
const fromPyTorch = <T extends string>(name: T | string): T => (pytorchSpellings[name] ?? name) as T;

function checkShape(shape: number[]): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw argumentError('shape', 'an array of non-negative integers', shape);
  }
}

function checkFinite(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw argumentError(name, 'a finite number', value);
}

/** PyTorch's recommended gain for a nonlinearity; `param` is leaky ReLU's negative slope (0.01). */
export function calculateGain(nonlinearity: Nonlinearity | 'leaky_relu', param = 0.01): number {
  switch (fromPyTorch<Nonlinearity>(nonlinearity)) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
      checkFinite('param', param);
      return Math.sqrt(2 / (1 + param * param));
    default:
      throw argumentError(
        'nonlinearity',
        `one of ${nonlinearities.join(', ')} (or 'leaky_relu')`,
        nonlinearity,
      );
  }
}

/**
 * fan_in and fan_out as PyTorch computes them: a weight is [out, in, ...kernel], so
 * fanIn = in * prod(kernel) and fanOut = out * prod(kernel). Linear and conv weights both fit.
 */
export function computeFans(shape: number[]): { fanIn: number; fanOut: number } {
  checkShape(shape);
  if (shape.length < 2) {
    throw argumentError('shape', 'at least 2 dimensions ([out, in, ...kernel]) to compute fans', shape);
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function uniformTensor(shape: number[], low: number, high: number, source: RandomSource): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', toGenerator(source).nextSeed());
}

function normalTensor(shape: number[], mean: number, std: number, source: RandomSource): tf.Tensor {
  return tf.randomNormal(shape, mean, std, 'float32', toGenerator(source).nextSeed());
}

/** Options of the Xavier (Glorot) initialisers: the gain, default 1. */
export interface XavierOptions {
  gain?: number;
}

function xavierStd(shape: number[], options: XavierOptions): number {
  const { gain = 1 } = options;
  checkFinite('gain', gain);
  const { fanIn, fanOut } = computeFans(shape);
  return gain * Math.sqrt(2 / Math.max(1, fanIn + fanOut));
}

/** Glorot uniform: U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(
  shape: number[],
  source?: RandomSource,
  options: XavierOptions = {},
): tf.Tensor {
  const bound = Math.sqrt(3) * xavierStd(shape, options);
  return uniformTensor(shape, -bound, bound, source);
}

/** Glorot normal: N(0, std²) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal(shape: number[], source?: RandomSource, options: XavierOptions = {}): tf.Tensor {
  return normalTensor(shape, 0, xavierStd(shape, options), source);
}

/** Options of the Kaiming (He) initialisers: the negative slope, fan mode and nonlinearity. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (only used with `nonlinearity: 'leakyRelu'`). */
  a?: number;
  /** 'fanIn' keeps the forward variance, 'fanOut' the backward one. */
  mode?: 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity | 'leaky_relu';
}

function kaimingStd(shape: number[], options: KaimingOptions): number {
  const { a = 0, nonlinearity = 'leakyRelu' } = options;
  const mode = fromPyTorch<'fanIn' | 'fanOut'>(options.mode ?? 'fanIn');
  if (mode !== 'fanIn' && mode !== 'fanOut') throw argumentError('mode', "'fanIn' or 'fanOut'", mode);
  checkFinite('a', a);
  const fans = computeFans(shape);
  return calculateGain(nonlinearity, a) / Math.sqrt(Math.max(1, fans[mode]));
}

/** He uniform: U(-b, b) with b = gain * sqrt(3 / fan); PyTorch's defaults (a = 0, fanIn, leaky ReLU). */
export function kaimingUniform(
  shape: number[],
  source?: RandomSource,
  options: KaimingOptions = {},
): tf.Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, options);
  return uniformTensor(shape, -bound, bound, source);
}

/** He normal: N(0, std²) with std = gain / sqrt(fan). */
export function kaimingNormal(
  shape: number[],
  source?: RandomSource,
  options: KaimingOptions = {},
): tf.Tensor {
  return normalTensor(shape, 0, kaimingStd(shape, options), source);
}

/** Returns a float32 tensor of zeros of the given shape. */
export function zeros(shape: number[]): tf.Tensor {
  checkShape(shape);
  return tf.zeros(shape, 'float32');
}

/** Returns a float32 tensor of ones of the given shape. */
export function ones(shape: number[]): tf.Tensor {
  checkShape(shape);
  return tf.ones(shape, 'float32');
}

/** An initialiser filling every element with `value`. */
export function constant(value: number): Initializer {
  checkFinite('value', value);
  return (shape) => {
    checkShape(shape);
    return tf.fill(shape, value, 'float32');
  };
}

/** U(low, high). */
export function uniform(low = 0, high = 1): Initializer {
  checkFinite('low', low);
  checkFinite('high', high);
  if (!(low < high)) throw argumentError('high', `a number greater than low (${low})`, high);
  return (shape, source) => {
    checkShape(shape);
    return uniformTensor(shape, low, high, source);
  };
}

/** N(mean, std²). */
export function normal(mean = 0, std = 1): Initializer {
  checkFinite('mean', mean);
  checkFinite('std', std);
  if (!(std > 0)) throw argumentError('std', 'a positive number', std);
  return (shape, source) => {
    checkShape(shape);
    return normalTensor(shape, mean, std, source);
  };
}
