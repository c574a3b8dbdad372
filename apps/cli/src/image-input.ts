import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

/** A picture that cannot be read as a digit: missing, not a PNG, damaged, or an unsupported depth. */
export class ImageInputError extends Error {
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

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bits per channel this reader takes: 8, and 16 (rounded to 8 by the decoder). */
export const ACCEPTED_DEPTHS = [8, 16] as const;

const colourNames: Record<number, string> = {
  0: 'grey',
  2: 'RGB',
  3: 'palette',
  4: 'grey + alpha',
  6: 'RGBA',
};

export const isPng = (bytes: Uint8Array) =>
  bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);

/**
 * Decodes PNG bytes to grey by luminance (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), with
 * transparent pixels composited over white, like a picture shown on a page. `file` names the
 * source in errors.
 */
export function decodeGreyPng(
  bytes: Uint8Array,
  file: string,
): GreyImage & { depth: number; colour: string } {
  if (!isPng(bytes)) {
    const start = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageInputError(
      `${file}: not a PNG file (expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, found ${start || 'an empty file'})`,
    );
  }
  let png: PNG & { depth: number; colorType: number };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) as typeof png;
  } catch (err) {
    throw new ImageInputError(`${file}: a damaged PNG file (${(err as Error).message})`);
  }
  const colour = colourNames[png.colorType] ?? `colour type ${png.colorType}`;
  if (!(ACCEPTED_DEPTHS as readonly number[]).includes(png.depth)) {
    throw new ImageInputError(
      `${file}: bit depth ${png.depth} (${colour}) is not supported; expected ${ACCEPTED_DEPTHS.join(' or ')} bits per channel. Re-save the image as an 8-bit PNG`,
    );
  }
  const { width, height } = png;
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const r = png.data[4 * i];
    const g = png.data[4 * i + 1];
    const b = png.data[4 * i + 2];
    const alpha = png.data[4 * i + 3] / 255;
    const luma = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    data[i] = alpha * luma + (1 - alpha);
  }
  return { data, width, height, depth: png.depth, colour };
}

/**
 * Resizes by area averaging: each output pixel is the mean of the input area it covers, pixels
 * cut by its edges counted by the fraction inside. Downscaling thus averages (no aliasing);
 * upscaling spreads each input pixel over the outputs it covers.
 */
export function resizeArea(image: GreyImage, height: number, width: number): GreyImage {
  const { data, height: h, width: w } = image;
  const out = new Float32Array(height * width);
  const sy = h / height;
  const sx = w / width;
  const xs = Array.from({ length: width }, (_, ox) => spans(ox * sx, (ox + 1) * sx, w));
  for (let oy = 0; oy < height; oy++) {
    const ys = spans(oy * sy, (oy + 1) * sy, h);
    for (let ox = 0; ox < width; ox++) {
      let sum = 0;
      for (const [y, wy] of ys) for (const [x, wx] of xs[ox]) sum += data[y * w + x] * wy * wx;
      out[oy * width + ox] = sum / (sy * sx);
    }
  }
  return { data: out, height, width };
}

/** The input cells that [from, to) overlaps, with the length of each overlap. */
function spans(from: number, to: number, size: number): [number, number][] {
  const cells: [number, number][] = [];
  for (let i = Math.floor(from); i < Math.min(Math.ceil(to), size); i++) {
    const overlap = Math.min(to, i + 1) - Math.max(from, i);
    if (overlap > 1e-9) cells.push([i, overlap]);
  }
  return cells;
}

/** The mean of the outermost ring of pixels: what the background looks like. */
export function borderMean({ data, height, width }: GreyImage): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
        sum += data[y * width + x];
        n++;
      }
    }
  }
  return sum / n;
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
  return { image: resizeArea(square, size, size), inverted };
}

/** Reads a PNG file as a 28×28 MNIST-like digit (see toDigit). */
export async function readDigitPng(file: string, size = 28): Promise<DigitInput> {
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new ImageInputError(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const grey = decodeGreyPng(bytes, file);
  const { image, inverted } = toDigit(grey, size);
  return {
    ...image,
    inverted,
    source: { width: grey.width, height: grey.height, depth: grey.depth, colour: grey.colour },
  };
}
