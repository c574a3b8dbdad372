import type { backend_util } from '@tensorflow/tfjs-core';

/** Where each patch of a 2-D convolution reads from: sizes, steps, padding and x's memory strides. */
export interface Im2ColGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  filterHeight: number;
  filterWidth: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  /** Element strides of x along batch, row, column and channel, so NHWC and NCHW read alike. */
  batchStride: number;
  rowStride: number;
  colStride: number;
  channelStride: number;
}

export function geometryFromConvInfo(info: backend_util.Conv2DInfo): Im2ColGeometry {
  const { inHeight: h, inWidth: w, inChannels: c } = info;
  const channelsLast = info.dataFormat === 'channelsLast';
  return {
    inHeight: h,
    inWidth: w,
    inChannels: c,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    batchStride: h * w * c,
    rowStride: channelsLast ? w * c : w,
    colStride: channelsLast ? c : 1,
    channelStride: channelsLast ? 1 : h * w,
  };
}

/** Rows of the patch matrix: one per filter tap and input channel, ordered (kh, kw, ci) like a filter. */
export function patchSize(g: Im2ColGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * The output columns whose tap `offset` (kw * dilation, or kh * dilation) lands inside the input:
 * [lo, hi). Computed once per tap so the copy loop below runs without bounds checks.
 */
function validRange(
  offset: number,
  pad: number,
  stride: number,
  inSize: number,
  outSize: number,
): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - offset) / stride));
  const hi = Math.min(outSize, Math.floor((inSize - 1 + pad - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Writes the patches of samples [b0, b1) transposed: `out[k * m + j]` is tap k of output position
 * j, with j running over (b, oh, ow). This layout makes the filter gradient the plain product
 * `out [K, M] @ dy [M, Cout]`, which the WASM backend's matmul runs fastest (no transposes).
 * Padding reads as zero.
 */
export function im2colTransposed(
  x: Float32Array,
  g: Im2ColGeometry,
  b0: number,
  b1: number,
  out: Float32Array,
): void {
  const { outHeight: oh, outWidth: ow, inChannels: ci } = g;
  const m = (b1 - b0) * oh * ow;
  if (out.length < patchSize(g) * m)
    throw new Error(`im2col: out: expected ${patchSize(g) * m} floats, found ${out.length}`);
  const step = g.strideWidth * g.colStride;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const rowOffset = kh * g.dilationHeight;
    const [ohLo, ohHi] = validRange(rowOffset, g.padTop, g.strideHeight, g.inHeight, oh);
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth;
      const [owLo, owHi] = validRange(colOffset, g.padLeft, g.strideWidth, g.inWidth, ow);
      const iw0 = owLo * g.strideWidth - g.padLeft + colOffset;
      for (let c = 0; c < ci; c++) {
        let o = ((kh * g.filterWidth + kw) * ci + c) * m;
        for (let b = b0; b < b1; b++) {
          const sampleBase = b * g.batchStride + c * g.channelStride + iw0 * g.colStride;
          for (let r = 0; r < oh; r++) {
            if (r < ohLo || r >= ohHi) {
              out.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            const ih = r * g.strideHeight - g.padTop + rowOffset;
            for (let j = 0; j < owLo; j++) out[o++] = 0;
            let idx = sampleBase + ih * g.rowStride;
            for (let j = owLo; j < owHi; j++) {
              out[o++] = x[idx];
              idx += step;
            }
            for (let j = owHi; j < ow; j++) out[o++] = 0;
          }
        }
      }
    }
  }
}
