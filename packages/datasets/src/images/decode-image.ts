// Node-only: pngjs inflates with node:zlib. Reached through @descent/datasets/node alone.
import { decode as decodeJpegBytes } from 'jpeg-js';
import { PNG } from 'pngjs';
import { argumentError, ImageFileError, imageFileError } from '../errors';
import type { Planes } from './planes';

/** An image file format the decoder reads. */
export type ImageFormat = 'png' | 'jpeg';

/** A decoded picture: 8-bit RGBA, row-major, 4 bytes per pixel, as both decoders give it. */
export interface DecodedImage {
  rgba: Uint8Array;
  width: number;
  height: number;
  format: ImageFormat;
  /** Bits per channel in the file (PNG 1, 2, 4, 8 or 16; JPEG 8). 16-bit PNGs are rounded to 8. */
  depth: number;
  /** The file's colour model, e.g. 'grey', 'RGB', 'palette', 'RGBA'; 'YCbCr or grey' for JPEG. */
  colour: string;
}

/** Limits on decoding a PNG or JPEG file. */
export interface DecodeOptions {
  /** PNG bit depths to accept; default every depth the PNG format allows. */
  depths?: readonly number[];
  /**
   * The most pixels (width × height) an image may declare; checked from the file's header before
   * anything is decoded, so a small file declaring a huge picture (a decompression bomb) is
   * refused at once. Default DEFAULT_MAX_PIXELS.
   */
  maxPixels?: number;
}

/**
 * 64 megapixels (8192 × 8192): above the largest phone and camera photos (48-50 MP), and well
 * under what would exhaust a laptop (decoded as RGBA and float planes it is about 0.5 GB).
 */
export const DEFAULT_MAX_PIXELS = 64 * 1024 * 1024;

/** An image whose header declares more pixels than the limit; `pixels` and `limit` say how many. */
export class ImageTooLargeError extends ImageFileError {
  override name = 'ImageTooLargeError';
  constructor(
    message: string,
    path: string,
    readonly pixels: number,
    readonly limit: number,
  ) {
    super(message, path);
  }
}

/** Validates the maxPixels option: a positive integer (Infinity is refused; pass a large number). */
export function checkMaxPixels(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PIXELS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw argumentError('maxPixels', 'a positive integer (pixels, width × height)', value);
  }
  return value;
}

/** Throws ImageTooLargeError when width × height is over the limit. */
export function checkPixels(file: string, format: string, width: number, height: number, limit: number) {
  const pixels = width * height;
  if (pixels > limit) {
    throw new ImageTooLargeError(
      `${file}: expected an image of at most ${limit} pixels (maxPixels), found ${width} × ${height} = ${pixels} pixels declared in its ${format} header; raise maxPixels to read it`,
      file,
      pixels,
      limit,
    );
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** Whether the bytes start with the PNG signature. */
export const isPng = (bytes: Uint8Array) => startsWith(bytes, PNG_SIGNATURE);
/** Whether the bytes start with the JPEG signature. */
export const isJpeg = (bytes: Uint8Array) => startsWith(bytes, JPEG_SIGNATURE);

const hex = (bytes: Uint8Array) =>
  Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'an empty file';

/** The PNG colour types with their names and the bit depths the format allows for each. */
const PNG_COLOURS: Record<number, { name: string; depths: number[] }> = {
  0: { name: 'grey', depths: [1, 2, 4, 8, 16] },
  2: { name: 'RGB', depths: [8, 16] },
  3: { name: 'palette', depths: [1, 2, 4, 8] },
  4: { name: 'grey + alpha', depths: [8, 16] },
  6: { name: 'RGBA', depths: [8, 16] },
};

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

/**
 * Decodes PNG bytes with pngjs. The header is checked first, because pngjs reports a depth the
 * format does not have as "unrecognised content"; `file` names the source in every error.
 */
export function decodePng(bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodedImage {
  if (!isPng(bytes)) {
    throw imageFileError(
      file,
      `not a PNG file (expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, found ${hex(bytes)})`,
    );
  }
  const limit = checkMaxPixels(options.maxPixels);
  // IHDR is the first chunk: length (4), "IHDR" (4), width, height, then depth and colour type.
  if (bytes.length < 26 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw imageFileError(file, `a damaged PNG file (expected an IHDR chunk after the signature)`);
  }
  {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16, false);
    const height = view.getUint32(20, false);
    if (width === 0 || height === 0 || width > 2 ** 31 - 1 || height > 2 ** 31 - 1) {
      throw imageFileError(file, `a damaged PNG file (declares ${width} × ${height} pixels)`);
    }
    checkPixels(file, 'PNG', width, height, limit);
    const depth = bytes[24];
    const type = PNG_COLOURS[bytes[25]];
    if (type === undefined) {
      throw imageFileError(file, `a damaged PNG file (colour type ${bytes[25]}; expected 0, 2, 3, 4 or 6)`);
    }
    if (!type.depths.includes(depth)) {
      throw imageFileError(
        file,
        `a damaged PNG file (bit depth ${depth} with ${type.name}; the format allows ${type.depths.join(', ')})`,
      );
    }
    if (options.depths && !options.depths.includes(depth)) {
      throw imageFileError(
        file,
        `bit depth ${depth} (${type.name}) is not supported; expected ${options.depths.join(' or ')} bits per channel. Re-save the image as an 8-bit PNG`,
      );
    }
  }
  let png: PNG & { depth: number; colorType: number };
  try {
    png = PNG.sync.read(asBuffer(bytes)) as typeof png;
  } catch (err) {
    throw imageFileError(file, `a damaged PNG file (${errorText(err)})`);
  }
  const colour = PNG_COLOURS[png.colorType]?.name ?? `colour type ${png.colorType}`;
  const rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  return { rgba, width: png.width, height: png.height, format: 'png', depth: png.depth, colour };
}

/** An error's message, whatever was thrown (jpeg-js throws plain strings too). */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The width and height in a JPEG's frame header (SOF0-SOF15 but DHT, JPG and DAC), found by
 * walking the marker segments after SOI; undefined when the scan data starts before any frame.
 */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    // Fill bytes (ff ff ...) and the markers without a length (TEM, RST0-7).
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const frame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (frame) {
      if (i + 8 >= bytes.length) return undefined;
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/**
 * Decodes baseline or progressive JPEG bytes with jpeg-js (EXIF orientation is not applied). The
 * frame header's size is checked against maxPixels before jpeg-js allocates anything.
 */
export function decodeJpeg(
  bytes: Uint8Array,
  file: string,
  options: Pick<DecodeOptions, 'maxPixels'> = {},
): DecodedImage {
  if (!isJpeg(bytes)) {
    throw imageFileError(file, `not a JPEG file (expected the JPEG signature ff d8 ff, found ${hex(bytes)})`);
  }
  const limit = checkMaxPixels(options.maxPixels);
  const size = jpegSize(bytes);
  if (size === undefined) {
    throw imageFileError(file, 'a damaged JPEG file (no frame header before the image data)');
  }
  if (size.width === 0 || size.height === 0) {
    throw imageFileError(file, `a damaged JPEG file (declares ${size.width} × ${size.height} pixels)`);
  }
  checkPixels(file, 'JPEG', size.width, size.height, limit);
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = decodeJpegBytes(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      // jpeg-js's own guards, in case a later frame header disagrees with the first one.
      maxResolutionInMP: limit / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((limit * 12) / 2 ** 20)),
    });
  } catch (err) {
    throw imageFileError(file, `a damaged JPEG file (${errorText(err)})`);
  }
  if (!(image.width > 0 && image.height > 0) || image.data.length !== 4 * image.width * image.height) {
    throw imageFileError(file, `a damaged JPEG file (decoded to ${image.width} × ${image.height} pixels)`);
  }
  return {
    rgba: image.data,
    width: image.width,
    height: image.height,
    format: 'jpeg',
    depth: 8,
    colour: 'YCbCr or grey',
  };
}

/** Decodes a PNG or a JPEG, told apart by their first bytes (not by the file's extension). */
export function decodeImage(bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, file, options);
  if (isJpeg(bytes)) return decodeJpeg(bytes, file, { maxPixels: options.maxPixels });
  throw imageFileError(
    file,
    `not a PNG or JPEG file (expected the signature 89 50 4e 47 ... or ff d8 ff, found ${hex(bytes)})`,
  );
}

/**
 * The picture as float planes in [0, 1]: one grey plane by luminance (ITU-R BT.601: 0.299 R +
 * 0.587 G + 0.114 B, PIL's `convert('L')`), or R, G and B planes. Transparent pixels are
 * composited over white, as the picture would look on a page.
 */
export function toPlanes(image: DecodedImage, grey = true): Planes {
  const { rgba, width, height } = image;
  const n = width * height;
  const channels = grey ? 1 : 3;
  const data = new Float32Array(channels * n);
  for (let i = 0; i < n; i++) {
    const r = rgba[4 * i];
    const g = rgba[4 * i + 1];
    const b = rgba[4 * i + 2];
    const alpha = rgba[4 * i + 3] / 255;
    const white = 1 - alpha;
    if (grey) data[i] = (alpha * (0.299 * r + 0.587 * g + 0.114 * b)) / 255 + white;
    else {
      data[i] = (alpha * r) / 255 + white;
      data[n + i] = (alpha * g) / 255 + white;
      data[2 * n + i] = (alpha * b) / 255 + white;
    }
  }
  return { data, channels, height, width };
}
