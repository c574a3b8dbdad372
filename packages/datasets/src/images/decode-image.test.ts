import { describe, expect, it } from 'vitest';
import { ImageFileError } from '../errors';
import {
  DEFAULT_MAX_PIXELS,
  decodeImage,
  decodeJpeg,
  decodePng,
  ImageTooLargeError,
  jpegSize,
  toPlanes,
} from './decode-image';
import { bombJpeg, bombPng, greyPng, rawPng, rgbaPng, rgbJpeg } from './image-files-testing';

const bt601 = (r: number, g: number, b: number) => (0.299 * r + 0.587 * g + 0.114 * b) / 255;

describe('decodePng', () => {
  it('reads 8-bit grey exactly and RGB to grey by BT.601 luminance', () => {
    const grey = decodePng(
      greyPng(3, 2, (x, y) => 40 * x + 100 * y),
      'g.png',
    );
    expect([grey.width, grey.height, grey.depth, grey.colour, grey.format]).toEqual([3, 2, 8, 'grey', 'png']);
    const planes = toPlanes(grey);
    expect(Array.from(planes.data, (v) => Math.round(v * 255))).toEqual([0, 40, 80, 100, 140, 180]);

    const colours: [number, number, number][] = [
      [200, 100, 50],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    const rgb = decodePng(
      rgbaPng(4, 1, (x) => [...colours[x], 255], 2),
      'rgb.png',
    );
    expect(rgb.colour).toBe('RGB');
    const luma = toPlanes(rgb).data;
    colours.forEach(([r, g, b], i) => {
      expect(luma[i]).toBeCloseTo(bt601(r, g, b), 6);
    });
    expect(luma[1]).toBeCloseTo(0.299, 6);
  });

  it('keeps R, G and B as three planes, and composites alpha over white in both modes', () => {
    // Opaque (200, 100, 50); (0, 0, 0) at alpha 128; fully transparent red.
    const png = rgbaPng(
      3,
      1,
      (x) =>
        [
          [200, 100, 50, 255],
          [0, 0, 0, 128],
          [255, 0, 0, 0],
        ][x] as [number, number, number, number],
    );
    const rgb = toPlanes(decodePng(png, 'a.png'), false);
    expect([rgb.channels, rgb.height, rgb.width, rgb.data.length]).toEqual([3, 1, 3, 9]);
    const half = 1 - 128 / 255;
    const expected = [200 / 255, half, 1, 100 / 255, half, 1, 50 / 255, half, 1];
    expected.forEach((v, i) => {
      expect(rgb.data[i]).toBeCloseTo(v, 6);
    });
    const grey = toPlanes(decodePng(png, 'a.png')).data;
    expect(grey[0]).toBeCloseTo(bt601(200, 100, 50), 6);
    expect(grey[1]).toBeCloseTo(half, 6);
    expect(grey[2]).toBe(1);
  });

  it('reads 1-, 2- and 4-bit grey, palettes and 16-bit grey, scaled to 8 bits', () => {
    const one = decodePng(rawPng(4, 1, 1, 0, [[0b1010_0000]]), 'one.png');
    expect(Array.from(toPlanes(one).data)).toEqual([1, 0, 1, 0]);
    const two = decodePng(rawPng(4, 1, 2, 0, [[0b00_01_10_11]]), 'two.png');
    expect(Array.from(toPlanes(two).data, (v) => Math.round(v * 255))).toEqual([0, 85, 170, 255]);
    const four = decodePng(rawPng(2, 1, 4, 0, [[0x0f]]), 'four.png');
    expect(Array.from(toPlanes(four).data)).toEqual([0, 1]);
    const palette = decodePng(rawPng(2, 1, 4, 3, [[0x10]], [10, 20, 30, 200, 100, 50]), 'p.png');
    expect(palette.colour).toBe('palette');
    expect(Array.from(palette.rgba)).toEqual([200, 100, 50, 255, 10, 20, 30, 255]);
    const sixteen = decodePng(rawPng(2, 1, 16, 0, [[0, 0, 0xff, 0xff]]), 'd.png');
    expect(sixteen.depth).toBe(16);
    expect(Array.from(toPlanes(sixteen).data)).toEqual([0, 1]);
  });

  it('refuses what is not a PNG, a damaged PNG and a depth the format lacks, naming the file', () => {
    expect(() => decodePng(new TextEncoder().encode('hello, not an image'), 'notes.png')).toThrow(
      /^notes\.png: not a PNG file \(expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, found 68 65 6c 6c/,
    );
    expect(() => decodePng(new Uint8Array(0), 'empty.png')).toThrow(
      /empty\.png: not a PNG file.*an empty file/,
    );
    const cut = greyPng(8, 8, () => 0).subarray(0, 40);
    expect(() => decodePng(cut, 'cut.png')).toThrow(/^cut\.png: a damaged PNG file \(.+\)/);
    expect(() => decodePng(rawPng(4, 1, 3, 0, [[0]]), 'three.png')).toThrow(
      'three.png: a damaged PNG file (bit depth 3 with grey; the format allows 1, 2, 4, 8, 16)',
    );
    expect(() => decodePng(rawPng(4, 1, 8, 5, [[0, 0, 0, 0]]), 'five.png')).toThrow(
      'five.png: a damaged PNG file (colour type 5; expected 0, 2, 3, 4 or 6)',
    );
    const err = (() => {
      try {
        decodePng(rawPng(4, 1, 1, 0, [[0]]), 'bw.png', { depths: [8, 16] });
      } catch (e) {
        return e as ImageFileError;
      }
    })();
    expect(err).toBeInstanceOf(ImageFileError);
    expect(err?.path).toBe('bw.png');
    expect(err?.message).toMatch(
      /^bw\.png: bit depth 1 \(grey\) is not supported; expected 8 or 16 bits per channel/,
    );
  });
});

describe('decodeJpeg and decodeImage', () => {
  it('decodes a JPEG (jpeg-js) close to the colours it was written with', () => {
    const bytes = rgbJpeg(16, 8, (x) => (x < 8 ? [200, 100, 50] : [20, 40, 220]));
    const image = decodeJpeg(bytes, 'c.jpg');
    expect([image.width, image.height, image.format, image.depth]).toEqual([16, 8, 'jpeg', 8]);
    const rgb = toPlanes(image, false);
    // Flat 8 × 8 blocks at quality 100: within 3 levels of the source after the lossy round trip.
    const at = (c: number, x: number, y: number) => rgb.data[c * 128 + y * 16 + x] * 255;
    for (const [x, colour] of [
      [2, [200, 100, 50]],
      [12, [20, 40, 220]],
    ] as const) {
      colour.forEach((v, c) => {
        expect(Math.abs(at(c, x, 3) - v)).toBeLessThanOrEqual(3);
      });
    }
  });

  it('tells PNG from JPEG by their first bytes, whatever the name says', () => {
    expect(
      decodeImage(
        rgbJpeg(8, 8, () => [0, 0, 0]),
        'really-a-jpeg.png',
      ).format,
    ).toBe('jpeg');
    expect(
      decodeImage(
        greyPng(2, 2, () => 9),
        'really-a-png.jpg',
      ).format,
    ).toBe('png');
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'), 'x.jpg')).toThrow(
      /^x\.jpg: not a PNG or JPEG file \(expected the signature 89 50 4e 47 \.\.\. or ff d8 ff, found 47 49 46 38/,
    );
    const cut = rgbJpeg(16, 16, (x, y) => [x * 16, y * 16, 0]).subarray(0, 200);
    expect(() => decodeImage(cut, 'cut.jpg')).toThrow(/^cut\.jpg: a damaged JPEG file \(.+\)/);
    expect(() =>
      decodeJpeg(
        greyPng(2, 2, () => 0),
        'p.jpg',
      ),
    ).toThrow(/^p\.jpg: not a JPEG file/);
  });
});

describe('resource limits', () => {
  it('refuses a PNG bomb from its header, before inflating, naming the file, the size and the limit', () => {
    const bomb = bombPng(20000, 20000, 4);
    const start = performance.now();
    const error = (() => {
      try {
        decodePng(bomb, 'bomb.png');
      } catch (err) {
        return err as ImageTooLargeError;
      }
    })();
    expect(performance.now() - start).toBeLessThan(200);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error).toBeInstanceOf(ImageFileError);
    expect(error?.message).toBe(
      `bomb.png: expected an image of at most ${DEFAULT_MAX_PIXELS} pixels (maxPixels), found 20000 × 20000 = 400000000 pixels declared in its PNG header; raise maxPixels to read it`,
    );
    expect([error?.pixels, error?.limit]).toEqual([400000000, DEFAULT_MAX_PIXELS]);
  });

  it('applies maxPixels to PNG and JPEG alike, through decodeImage too', () => {
    const png = greyPng(10, 10, () => 0);
    const jpeg = rgbJpeg(10, 10, () => [0, 0, 0]);
    expect(decodeImage(png, 'a.png', { maxPixels: 100 }).width).toBe(10);
    expect(decodeImage(jpeg, 'a.jpg', { maxPixels: 100 }).width).toBe(10);
    expect(() => decodeImage(png, 'a.png', { maxPixels: 99 })).toThrow(
      'a.png: expected an image of at most 99 pixels (maxPixels), found 10 × 10 = 100 pixels declared in its PNG header',
    );
    expect(() => decodeImage(jpeg, 'a.jpg', { maxPixels: 99 })).toThrow(
      'a.jpg: expected an image of at most 99 pixels (maxPixels), found 10 × 10 = 100 pixels declared in its JPEG header',
    );
    expect(() => decodePng(png, 'a.png', { maxPixels: 0 })).toThrow(
      'maxPixels: expected a positive integer (pixels, width × height), found 0',
    );
  });

  it('reads the JPEG frame size before jpeg-js allocates, and refuses a rewritten one', () => {
    expect(jpegSize(rgbJpeg(7, 5, () => [0, 0, 0]))).toEqual({ width: 7, height: 5 });
    expect(() => decodeJpeg(bombJpeg(60000, 60000), 'big.jpg')).toThrow(ImageTooLargeError);
    expect(() => decodeJpeg(bombJpeg(0, 10), 'zero.jpg')).toThrow(
      'zero.jpg: a damaged JPEG file (declares 0 × 10 pixels)',
    );
    expect(() => decodeJpeg(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), 'empty.jpg')).toThrow(
      'empty.jpg: a damaged JPEG file (no frame header before the image data)',
    );
  });

  it('refuses a PNG declaring zero pixels or with no IHDR first', () => {
    expect(() => decodePng(bombPng(0, 5), 'z.png')).toThrow(
      'z.png: a damaged PNG file (declares 0 × 5 pixels)',
    );
    const signatureOnly = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(() => decodePng(signatureOnly, 's.png')).toThrow(
      's.png: a damaged PNG file (expected an IHDR chunk after the signature)',
    );
  });
});
