// Helpers shared by the image-file tests (these and the CLI's): PNGs and JPEGs written in memory.
// Not exported from the package.
import { deflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

/** An 8-bit PNG from one [r, g, b, a] per pixel, in the colour type asked (pngjs converts). */
export function rgbaPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
  colorType: 0 | 2 | 4 | 6 = 6,
): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), 4 * (y * width + x));
  return PNG.sync.write(png, { colorType, inputColorType: 6 });
}

/** An 8-bit grey PNG from one value 0..255 per pixel. */
export const greyPng = (width: number, height: number, grey: (x: number, y: number) => number) =>
  rgbaPng(
    width,
    height,
    (x, y) => {
      const v = grey(x, y);
      return [v, v, v, 255];
    },
    0,
  );

/** A JPEG from one [r, g, b] per pixel (jpeg-js's encoder). */
export function rgbJpeg(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
  quality = 100,
): Buffer {
  const data = Buffer.alloc(4 * width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], 4 * (y * width + x));
  return encodeJpeg({ data, width, height }, quality).data;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * A PNG written by hand, for the depths pngjs cannot write (1, 2, 4 bits, palettes, and depths the
 * format does not have): `rows` are the packed scanlines without their filter byte.
 */
export function rawPng(
  width: number,
  height: number,
  depth: number,
  colourType: number,
  rows: number[][],
  palette?: number[],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([depth, colourType, 0, 0, 0], 8);
  const raw = Buffer.from(rows.flatMap((row) => [0, ...row]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(palette ? [chunk('PLTE', Uint8Array.from(palette))] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A decompression bomb: a PNG whose header declares `width` × `height` grey pixels, with every
 * row zero. The rows compress about 1000:1, so a 20000 × 20000 bomb is a file of about 400 KB.
 */
export function bombPng(width: number, height: number, rowsWritten = height): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc((width + 1) * rowsWritten), { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A small JPEG whose frame header is rewritten to declare `width` × `height` pixels. */
export function bombJpeg(width: number, height: number): Buffer {
  const jpeg = Buffer.from(rgbJpeg(16, 16, (x, y) => [x * 16, y * 16, 128]));
  for (let i = 2; i + 8 < jpeg.length; ) {
    const marker = jpeg[i + 1];
    if (marker === 0xc0 || marker === 0xc2) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('bombJpeg: no frame header in the encoded JPEG');
}
