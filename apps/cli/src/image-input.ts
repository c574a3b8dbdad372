import { readFile } from 'node:fs/promises';
import { borderMean as planesBorderMean, resizePlanes } from '@descent/datasets/images';
import {
  DEFAULT_MAX_PIXELS,
  decodeImage,
  ImageFileError,
  ImageTooLargeError,
  toPlanes,
} from '@descent/datasets/node';
import { parseNumber } from './parse';
import { UsageError } from './usage-error';

/**
 * A picture that cannot be read as a digit: missing, not a PNG or JPEG, damaged, an unsupported
 * depth, or more pixels than --max-pixels. The decoding is @descent/datasets' (the same as
 * loadImageFolder's, which training uses), so this is its error.
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
  source: { width: number; height: number; depth: number; colour: string; format: string };
  /** True when the picture had a light background and was inverted to light ink on black. */
  inverted: boolean;
}

/** Bits per channel this reader takes: 8, and 16 (rounded to 8 by the decoder). */
export const ACCEPTED_DEPTHS = [8, 16] as const;

/** `--max-pixels`'s help: the default and what it is for. */
export const MAX_PIXELS_HELP = `refuse images declaring more pixels than this, before decoding (default: ${DEFAULT_MAX_PIXELS}, 8192×8192)`;

/** `--max-pixels N`: a positive integer (pixels, width × height). */
export function parseMaxPixels(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = parseNumber('--max-pixels', raw, { integer: true, positive: true });
  if (!Number.isSafeInteger(value)) {
    throw new UsageError(`--max-pixels: expected a positive integer up to 2^53 - 1, found "${raw}"`);
  }
  return value;
}

/** Options for reading an image file to predict on. */
export interface ReadImageOptions {
  /** The most pixels the file may declare (`--max-pixels`); default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
}

/**
 * Decodes PNG or JPEG bytes (told apart by their first bytes) to grey by luminance (ITU-R BT.601:
 * 0.299 R + 0.587 G + 0.114 B), with transparent pixels composited over white, like a picture
 * shown on a page. `file` names the source in errors. The decoder is @descent/datasets'
 * decodeImage (pngjs, jpeg-js), whose header check refuses a picture over maxPixels before
 * decoding it.
 */
export function decodeGreyImage(
  bytes: Uint8Array,
  file: string,
  options: ReadImageOptions = {},
): GreyImage & { depth: number; colour: string; format: string } {
  try {
    const image = decodeImage(bytes, file, { depths: ACCEPTED_DEPTHS, maxPixels: options.maxPixels });
    const { data, height, width } = toPlanes(image, true);
    return { data, width, height, depth: image.depth, colour: image.colour, format: image.format };
  } catch (err) {
    if (err instanceof ImageTooLargeError) {
      // The library names its option; here the user raises it with the flag.
      const message = err.message
        .replace('(maxPixels)', '(--max-pixels)')
        .replace('maxPixels', '--max-pixels');
      throw new ImageInputError(message, err.path);
    }
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

/** Reads a PNG or JPEG file as a 28×28 MNIST-like digit (see toDigit). */
export async function readDigitImage(
  file: string,
  size = 28,
  options: ReadImageOptions = {},
): Promise<DigitInput> {
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'expected an image file, found a directory'
          : err.message;
    throw new ImageInputError(`${file}: ${why}`, file);
  });
  const grey = decodeGreyImage(bytes, file, options);
  const { image, inverted } = toDigit(grey, size);
  return {
    ...image,
    inverted,
    source: {
      width: grey.width,
      height: grey.height,
      depth: grey.depth,
      colour: grey.colour,
      format: grey.format,
    },
  };
}
