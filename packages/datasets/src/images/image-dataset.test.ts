import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { checkImageDataset, gatherImages, type ImageDataset, toNCHW } from './image-dataset';

/** Four 2 x 3 single-channel images; pixel p of image i is 10 * i + p. */
function tiny(): ImageDataset<Uint8Array, Uint8Array> {
  const images = Uint8Array.from({ length: 24 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
  return {
    images,
    labels: Uint8Array.from([0, 1, 2, 1]),
    count: 4,
    channels: 1,
    height: 2,
    width: 3,
    classes: ['a', 'b', 'c'],
  };
}

describe('image datasets', () => {
  it('toNCHW scales bytes by 1/255 and passes floats through without a copy', () => {
    const { data, shape } = toNCHW(tiny());
    expect(shape).toEqual([4, 1, 2, 3]);
    expect(data).toBeInstanceOf(Float32Array);
    expect(data[13]).toBeCloseTo(21 / 255, 7);
    const floats = { ...tiny(), images: new Float32Array(24).fill(0.5) };
    expect(toNCHW(floats).data).toBe(floats.images);
  });

  it('gatherImages picks images in order, scales pixels and relabels', () => {
    const out = gatherImages(tiny(), [3, 0, 3], { scale: 0.5, relabel: [2, 0, 1], classes: ['x', 'y', 'z'] });
    expect(out.count).toBe(3);
    expect(Array.from(out.images.subarray(0, 6))).toEqual([15, 15.5, 16, 16.5, 17, 17.5]);
    expect(Array.from(out.images.subarray(6, 12))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(Array.from(out.labels)).toEqual([0, 2, 0]);
    expect(out.classes).toEqual(['x', 'y', 'z']);
    expect(() => gatherImages(tiny(), [4])).toThrow(/indices\[0\]: expected an integer index in \[0, 4\)/);
    expect(() => gatherImages(tiny(), [1], { relabel: [0, -1, 1] })).toThrow(/relabel\[1\]/);
  });

  it('checkImageDataset names the part that disagrees', () => {
    expect(checkImageDataset('d', tiny()).count).toBe(4);
    expect(() => checkImageDataset('d', { ...tiny(), count: 5 })).toThrow(
      /d.images: expected length 30 \(shape \[5, 1, 2, 3\]\), found length 24/,
    );
    expect(() => checkImageDataset('d', { ...tiny(), labels: Uint8Array.from([0, 1, 2]) })).toThrow(
      /d.labels: expected length 4/,
    );
    expect(() => checkImageDataset('d', { ...tiny(), classes: ['a', 'b'] })).toThrow(
      /d.labels\[2\]: expected a class index in 0..1, found 2/,
    );
    expect(() => checkImageDataset('d', { ...tiny(), height: 0 })).toThrow(DatasetArgumentError);
    expect(() => checkImageDataset('d', null)).toThrow(/d: expected an ImageDataset object/);
  });
});
