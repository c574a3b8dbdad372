import { Generator, mixSeed } from '@descent/random';
import type { Callback } from '@descent/train';

export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

/**
 * Moves every image of `source` (NCHW rows) by a random whole-pixel offset in
 * [-maxShift, maxShift] on each axis, writing into `target`; pixels shifted in from outside are
 * 0 (MNIST's black background). A digit moved by a pixel or two is still the same digit, so each
 * epoch sees slightly different images and the network cannot memorise exact pixel positions.
 * The same seed gives the same shifts.
 */
export function randomShift(
  source: Float32Array,
  target: Float32Array,
  shape: ImageShape,
  maxShift: number,
  seed: number,
): void {
  const { channels, height, width } = shape;
  const size = channels * height * width;
  if (source.length % size !== 0) {
    throw new Error(
      `randomShift: source: expected a multiple of ${size} values (${channels}×${height}×${width} images), found ${source.length}`,
    );
  }
  if (target.length !== source.length) {
    throw new Error(
      `randomShift: target: expected ${source.length} values (as source), found ${target.length}`,
    );
  }
  if (!Number.isInteger(maxShift) || maxShift < 0) {
    throw new Error(`randomShift: maxShift: expected a non-negative integer, found ${maxShift}`);
  }
  const rng = new Generator(seed);
  const count = source.length / size;
  for (let n = 0; n < count; n++) {
    const dy = rng.int(-maxShift, maxShift + 1);
    const dx = rng.int(-maxShift, maxShift + 1);
    shiftImage(source, target, n * size, shape, dy, dx);
  }
}

/** One image moved down by dy and right by dx (negative: up, left). */
export function shiftImage(
  source: Float32Array,
  target: Float32Array,
  offset: number,
  { channels, height, width }: ImageShape,
  dy: number,
  dx: number,
): void {
  const plane = height * width;
  target.fill(0, offset, offset + channels * plane);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(width, width + dx);
  if (x1 <= x0) return;
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      const from = base + (y - dy) * width + (x0 - dx);
      target.set(source.subarray(from, from + (x1 - x0)), base + y * width + x0);
    }
  }
}

/** mixSeed's last part for the shifts, so that they draw from another stream than the shuffles. */
const SHIFT_STREAM = 1;

/**
 * Augmentation in place, as a fit callback: each epoch but the last begins by writing freshly
 * shifted copies of `source` into `target`, the images the fit trains on (seeded by `seed` and
 * the epoch); the last begins by writing the originals back, which the test images resemble.
 * One fit over all epochs can then see new shifts every epoch. fitParallel's workers read their
 * rows from the same buffer each step, so with `target` in shared memory they see them too.
 */
export function shiftEachEpoch(
  source: Float32Array,
  target: Float32Array,
  shape: ImageShape,
  { maxShift, seed, epochs }: { maxShift: number; seed: number; epochs: number },
): Callback {
  return {
    onEpochBegin: (epoch) => {
      if (epoch < epochs) randomShift(source, target, shape, maxShift, mixSeed(seed, epoch, SHIFT_STREAM));
      else target.set(source);
    },
  };
}
