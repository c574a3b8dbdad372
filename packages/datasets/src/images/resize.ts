import { argumentError } from '../errors';
import type { Planes } from './planes';

/**
 * - `area`: each output pixel is the mean of the input area it covers, pixels cut by its edges
 *   counted by the fraction inside (PIL's BOX filter, OpenCV's INTER_AREA). Shrinking averages,
 *   so thin strokes fade instead of vanishing or aliasing; enlarging repeats pixels.
 * - `bilinear`: the value at the output pixel's centre, interpolated between the 2 × 2 nearest
 *   input centres, edges clamped (PyTorch's `interpolate(mode='bilinear', align_corners=False)`).
 *   Smooth when enlarging; when shrinking it skips pixels.
 * - `auto` (the default): area along an axis that shrinks, bilinear along one that grows.
 */
export type ResizeMethod = 'auto' | 'area' | 'bilinear';

/** Every resize method an image loader accepts. */
export const RESIZE_METHODS: readonly ResizeMethod[] = ['auto', 'area', 'bilinear'];

/** For each output index along one axis, the input indices it reads and their weights (summing to 1). */
type AxisWeights = { index: Int32Array; weight: Float64Array }[];

function areaWeights(from: number, to: number): AxisWeights {
  const scale = from / to;
  const out: AxisWeights = [];
  for (let o = 0; o < to; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    const index: number[] = [];
    const weight: number[] = [];
    for (let i = Math.floor(start); i < Math.min(Math.ceil(end), from); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-9) {
        index.push(i);
        weight.push(overlap / scale);
      }
    }
    out.push({ index: Int32Array.from(index), weight: Float64Array.from(weight) });
  }
  return out;
}

function bilinearWeights(from: number, to: number): AxisWeights {
  const scale = from / to;
  const out: AxisWeights = [];
  for (let o = 0; o < to; o++) {
    // The output pixel's centre in input coordinates, where input pixel i has its centre at i.
    const at = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), from - 1);
    const i0 = Math.floor(at);
    const i1 = Math.min(i0 + 1, from - 1);
    const t = at - i0;
    out.push(
      i1 === i0 || t === 0
        ? { index: Int32Array.of(i0), weight: Float64Array.of(1) }
        : { index: Int32Array.of(i0, i1), weight: Float64Array.of(1 - t, t) },
    );
  }
  return out;
}

function axisWeights(from: number, to: number, method: ResizeMethod): AxisWeights {
  if (method === 'area' || (method === 'auto' && to <= from)) return areaWeights(from, to);
  return bilinearWeights(from, to);
}

function checkSide(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw argumentError(name, 'a positive integer (pixels)', value);
  }
  return value;
}

/**
 * Resizes every plane to height × width. Both methods are separable, so the image is resampled
 * along its rows and then its columns, each axis by its own method under `auto`. Same size in,
 * same values out.
 */
export function resizePlanes(
  image: Planes,
  height: number,
  width: number,
  method: ResizeMethod = 'auto',
): Planes {
  checkSide('height', height);
  checkSide('width', width);
  if (!RESIZE_METHODS.includes(method)) {
    throw argumentError('method', `one of ${RESIZE_METHODS.map((m) => `'${m}'`).join(', ')}`, method);
  }
  const { data, channels, height: h, width: w } = image;
  if (data.length !== channels * h * w) {
    throw argumentError('image.data', `length ${channels * h * w} (${channels} × ${h} × ${w})`, data);
  }
  if (h === height && w === width) return { data: data.slice(), channels, height, width };
  const xs = axisWeights(w, width, method);
  const ys = axisWeights(h, height, method);
  const out = new Float32Array(channels * height * width);
  // One plane's rows resized along x, kept in float64 so the two passes round once.
  const rows = new Float64Array(h * width);
  for (let c = 0; c < channels; c++) {
    const plane = c * h * w;
    for (let y = 0; y < h; y++) {
      for (let ox = 0; ox < width; ox++) {
        const { index, weight } = xs[ox];
        let sum = 0;
        for (let k = 0; k < index.length; k++) sum += data[plane + y * w + index[k]] * weight[k];
        rows[y * width + ox] = sum;
      }
    }
    const target = c * height * width;
    for (let oy = 0; oy < height; oy++) {
      const { index, weight } = ys[oy];
      for (let ox = 0; ox < width; ox++) {
        let sum = 0;
        for (let k = 0; k < index.length; k++) sum += rows[index[k] * width + ox] * weight[k];
        out[target + oy * width + ox] = sum;
      }
    }
  }
  return { data: out, channels, height, width };
}
