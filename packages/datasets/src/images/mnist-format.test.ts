import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { decodeMnist, encodeMnist, MNIST_HEADER_BYTES, MnistFormatError } from './mnist-format';

/** Three images whose pixels are (image + pixel) mod 256, labels 7, 0, 9. */
function small() {
  const count = 3;
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = (Math.floor(i / 784) + (i % 784)) % 256;
  return { images, labels: Uint8Array.from([7, 0, 9]), count };
}

describe('MNIST file format', () => {
  it('round-trips images, labels and sizes, with the header written by hand', () => {
    const bytes = encodeMnist(small());
    expect(bytes.length).toBe(16 + 3 * 784 + 3);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MNU8');
    const view = new DataView(bytes.buffer);
    expect([view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true)]).toEqual([3, 28, 28]);
    const d = decodeMnist(bytes, 'x.u8');
    expect(d.count).toBe(3);
    expect([d.channels, d.height, d.width]).toEqual([1, 28, 28]);
    expect(d.images).toEqual(small().images);
    expect(Array.from(d.labels)).toEqual([7, 0, 9]);
    expect(d.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Image 2, pixel 5 is (2 + 5) mod 256.
    expect(d.images[2 * 784 + 5]).toBe(7);
  });

  it('copies out of the input so that later changes to it do not leak in', () => {
    const bytes = encodeMnist(small());
    const d = decodeMnist(bytes, 'x.u8');
    bytes[MNIST_HEADER_BYTES] = 200;
    expect(d.images[0]).toBe(0);
    expect(d.images.buffer).not.toBe(bytes.buffer);
  });

  it('rejects a short, foreign, truncated or padded file with a message naming it', () => {
    const good = encodeMnist(small());
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 10), /16-byte header, found 10 bytes/],
      [Uint8Array.from([1, 2, 3, 4, ...good.subarray(4)]), /magic bytes .*found 01 02 03 04/],
      [good.subarray(0, good.length - 1), /expected 2371 bytes for 3 images, found 2370/],
      [Uint8Array.from([...good, 0]), /expected 2371 bytes for 3 images, found 2372/],
    ];
    for (const [bytes, pattern] of cases) {
      expect(() => decodeMnist(bytes, '/data/broken.u8')).toThrow(MnistFormatError);
      expect(() => decodeMnist(bytes, '/data/broken.u8')).toThrow(/\/data\/broken\.u8 is not a valid MNIST/);
      expect(() => decodeMnist(bytes, '/data/broken.u8')).toThrow(pattern);
    }
  });

  it('rejects other image sizes and labels outside 0..9', () => {
    const sized = encodeMnist(small());
    new DataView(sized.buffer).setUint32(8, 32, true);
    expect(() => decodeMnist(sized, 'f')).toThrow(/expected 28 x 28 images, found 32 x 28/);
    const labelled = encodeMnist(small());
    labelled[labelled.length - 2] = 10;
    expect(() => decodeMnist(labelled, 'f')).toThrow(/expected label 1 in 0..9, found 10/);
  });

  it('checks what it encodes', () => {
    const { images, labels } = small();
    expect(() => encodeMnist({ images, labels, count: 2 })).toThrow(DatasetArgumentError);
    expect(() => encodeMnist({ images: images.subarray(1), labels, count: 3 })).toThrow(/data.images/);
    expect(() => encodeMnist({ images, labels: labels.subarray(1), count: 3 })).toThrow(/data.labels/);
  });
});
