import { readFile } from 'node:fs/promises';
import { borderMean as planesBorderMean, resizePlanes } from '@descent/datasets/images';
import { decodePng, ImageFileError, toPlanes } from '@descent/datasets/node';

/**
 * A picture that cannot be read as a digit: missing, not a PNG, damaged, or an unsupported depth.
 * The decoding is @descent/datasets' (the same as loadImageFolder's), so this is its error.
 */
export class ImageInputError extends ImageFileError {
  override name = 'ImageInputError';
}

/** A grey image, row-major, values in [0, 1]. */
export interface GreyImage {
  data: Float32Array;
  height: number;
  width: number;
}

export interface DigitInput extends GreyImage {
  /** The file's own size and bit depth, for the report. */
  source: { width: number; height: number; depth: number; colour: string };
  /** True when the picture had a light background and was inverted to light ink on black. */
  inverted: boolean;
}

/** Bits per channel this reader takes: 8, and 16 (rounded to 8 by the decoder). */
export const ACCEPTED_DEPTHS = [8, 16] as const;

/**
 * Decodes PNG bytes to grey by luminance (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), with
 * transparent pixels composited over white, like a picture shown on a page. `file` names the
 * source in errors. The decoder is @descent/datasets' decodePng (pngjs).
 */
export function decodeGreyPng(
  bytes: Uint8Array,
  file: string,
): GreyImage & { depth: number; colour: string } {
  try {
    const png = decodePng(bytes, file, { depths: ACCEPTED_DEPTHS });
    const { data, height, width } = toPlanes(png, true);
    return { data, width, height, depth: png.depth, colour: png.colour };
  } catch (err) {
    if (err instanceof ImageFileError) throw new ImageInputError(err.message, err.path);
    throw err;
  }
}

/**
 * Resizes by area averaging: each output pixel is the mean of the input area it covers, pixels
 * cut by its edges counted by the fraction inside (@descent/datasets' resizePlanes, 'area').
 */
export function resizeArea(image: GreyImage, height: number, width: number): GreyImage {
  const out = resizePlanes({ ...image, channels: 1 }, height, width, 'area');
  return { data: out.data, height, width };
}

/** The mean of the outermost ring of pixels: what the background looks like. */
export function borderMean(image: GreyImage): number {
  return planesBorderMean({ ...image, channels: 1 });
}

/** Pads the shorter side with `value` so that the image is square and its content centred. */
export function padToSquare(image: GreyImage, value: number): GreyImage {
  const { data, height, width } = image;
  const side = Math.max(height, width);
  if (height === width) return image;
  const out = new Float32Array(side * side).fill(value);
  const top = Math.floor((side - height) / 2);
  const left = Math.floor((side - width) / 2);
  for (let y = 0; y < height; y++)
    out.set(data.subarray(y * width, (y + 1) * width), (top + y) * side + left);
  return { data: out, height: side, width: side };
}

/**
 * A picture as an MNIST-like digit: grey, light ink on black, `size`×`size`. The rule for
 * inverting: MNIST digits are white strokes on a black background, while a digit drawn or
 * photographed is usually dark ink on paper. The border of a digit picture is background, so
 * when its mean is above one half the picture is inverted (v → 1 − v). A non-square picture is
 * padded with its background to a square first, so the digit keeps its proportions.
 */
export function toDigit(image: GreyImage, size = 28): { image: GreyImage; inverted: boolean } {
  const inverted = borderMean(image) > 0.5;
  const data = inverted ? image.data.map((v) => 1 - v) : image.data;
  const square = padToSquare({ ...image, data }, 0);
  // 'auto' is loadImageFolder's default too: area when shrinking, bilinear when enlarging.
  const resized = resizePlanes({ ...square, channels: 1 }, size, size, 'auto');
  return { image: { data: resized.data, height: size, width: size }, inverted };
}

/** Reads a PNG file as a 28×28 MNIST-like digit (see toDigit). */
export async function readDigitPng(file: string, size = 28): Promise<DigitInput> {
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new ImageInputError(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, file);
  });
  const grey = decodeGreyPng(bytes, file);
  const { image, inverted } = toDigit(grey, size);
  return {
    ...image,
    inverted,
    source: { width: grey.width, height: grey.height, depth: grey.depth, colour: grey.colour },
  };
}
