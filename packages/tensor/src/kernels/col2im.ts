import type { Im2ColGeometry } from './im2col';

/**
 * The adjoint of im2col: adds patch matrix rows back onto the image. `cols[j * K + k]` is tap k
 * = (kh, kw, c) of output position j = (b, oh, ow), for samples [b0, b1); each tap that lands
 * inside the image is added to `dx` there (taps in the padding are dropped). `dx` is not cleared.
 */
export function col2imAdd(
  cols: Float32Array,
  g: Im2ColGeometry,
  b0: number,
  b1: number,
  dx: Float32Array,
): void {
  const { outHeight: oh, outWidth: ow, inChannels: ci, filterHeight: fh, filterWidth: fw } = g;
  const k = fh * fw * ci;
  if (cols.length < (b1 - b0) * oh * ow * k)
    throw new Error(`col2im: cols: expected ${(b1 - b0) * oh * ow * k} floats, found ${cols.length}`);
  let row = 0;
  for (let b = b0; b < b1; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = r * g.strideHeight - g.padTop;
      for (let q = 0; q < ow; q++, row += k) {
        const c0 = q * g.strideWidth - g.padLeft;
        for (let kh = 0; kh < fh; kh++) {
          const ih = r0 + kh * g.dilationHeight;
          if (ih < 0 || ih >= g.inHeight) continue;
          const rowBase = b * g.batchStride + ih * g.rowStride;
          for (let kw = 0; kw < fw; kw++) {
            const iw = c0 + kw * g.dilationWidth;
            if (iw < 0 || iw >= g.inWidth) continue;
            let d = rowBase + iw * g.colStride;
            let s = row + (kh * fw + kw) * ci;
            for (let c = 0; c < ci; c++, d += g.channelStride) dx[d] += cols[s++];
          }
        }
      }
    }
  }
}
