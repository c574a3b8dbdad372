import { argumentError, type ConvPad, DescentArgumentError, tf } from '@descent/tensor';

/** A size for both spatial dimensions (`3`) or for each (`[height, width]`), as PyTorch takes them. */
export type Size2 = number | [number, number];

/** Zero padding per side: a number, `[height, width]`, or 'valid' (none); Conv2d also takes 'same'. */
export type Padding2 = number | [number, number] | 'valid';

const isInt = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

/** `3` → `[3, 3]`; `[2, 3]` stays; anything else names the layer and the option. */
export function pair(where: string, value: unknown, min = 1): [number, number] {
  if (isInt(value, min)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && isInt(value[0], min) && isInt(value[1], min)) {
    return [value[0], value[1]];
  }
  const what = min === 0 ? 'non-negative' : 'positive';
  throw argumentError(where, `a ${what} integer or a pair [height, width] of them`, value);
}

/** Padding as `[height, width]`; 'valid' is `[0, 0]`. */
export function paddingPair(where: string, value: unknown): [number, number] {
  return value === 'valid' ? [0, 0] : pair(where, value, 0);
}

/** How a layer prints in messages: a square size as one number, like `Conv2d(1, 8, 3)`. */
export function sizeText([h, w]: [number, number]): string {
  return h === w ? String(h) : `[${h}, ${w}]`;
}

const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

/**
 * The boundary check of every image layer: a float32 tensor [N, C, H, W], with `channels` channels
 * when given. The message names the layer: `Conv2d(1, 8, 3): input: expected shape [N, 1, H, W], ...`.
 */
export function checkImages(layer: string, x: tf.Tensor, channels?: number): tf.Tensor4D {
  const where = `${layer}: input`;
  if (!(x instanceof tf.Tensor)) throw argumentError(where, 'a tensor', x);
  const { shape } = x;
  if (x.rank !== 4 || (channels !== undefined && shape[1] !== channels)) {
    const expected = `[N, ${channels ?? 'C'}, H, W]`;
    throw new DescentArgumentError(`${where}: expected shape ${expected}, found ${shapeText(shape)}`);
  }
  if (x.dtype !== 'float32') throw argumentError(where, 'a float32 tensor', x);
  return x as tf.Tensor4D;
}

/** Checks that a window of `kernel` fits the padded input, so tfjs never sees an empty output. */
export function checkWindowFits(
  layer: string,
  x: tf.Tensor4D,
  kernel: [number, number],
  padding: [number, number],
): void {
  const { shape } = x;
  const [, , h, w] = shape;
  if (!windowFits(h, w, kernel, padding)) {
    throw new DescentArgumentError(
      `${layer}: input: expected height and width of at least ${kernel[0] - 2 * padding[0]} x ${
        kernel[1] - 2 * padding[1]
      } (the kernel size minus padding), found ${h} x ${w} in shape ${shapeText(shape)}`,
    );
  }
}

/** Whether a window of `kernel` fits an image of h × w with `padding` zeros on each side. */
export function windowFits(
  h: number,
  w: number,
  kernel: [number, number],
  padding: [number, number],
): boolean {
  return h + 2 * padding[0] >= kernel[0] && w + 2 * padding[1] >= kernel[1];
}

/** tfjs's padding argument for an NHWC convolution with PyTorch's padding per side, or 'same'. */
export function convPadding(padding: [number, number] | 'same'): ConvPad {
  if (padding === 'same') return 'same';
  const [ph, pw] = padding;
  if (ph === 0 && pw === 0) return 'valid';
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}
