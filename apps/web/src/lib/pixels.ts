import { h } from '../ui/dom';

/** A grey image (rows of values in [0, 1]) as a pixelated canvas, `scale` screen pixels per pixel. */
export function greyCanvas(image: number[][], scale = 6, label?: string): HTMLCanvasElement {
  const height = image.length;
  const width = image[0]?.length ?? 0;
  const canvas = h('canvas', {
    class: 'pixels',
    attrs: { width, height, role: 'img', 'aria-label': label ?? `${width}×${height} image` },
    style: { width: `${width * scale}px`, height: `${height * scale}px` },
  });
  const ctx = canvas.getContext('2d');
  if (!ctx || width === 0) return canvas;
  const pixels = ctx.createImageData(width, height);
  image.forEach((row, y) => {
    row.forEach((v, x) => {
      const g = Math.round(255 * Math.min(1, Math.max(0, v)));
      const i = 4 * (y * width + x);
      pixels.data[i] = g;
      pixels.data[i + 1] = g;
      pixels.data[i + 2] = g;
      pixels.data[i + 3] = 255;
    });
  });
  ctx.putImageData(pixels, 0, 0);
  return canvas;
}

/** Row-major flat pixels → rows. */
export function toRows(flat: ArrayLike<number>, width: number, height: number, offset = 0): number[][] {
  return Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => flat[offset + y * width + x]),
  );
}

/** Labelled thumbnails in a wrapping row. */
export function thumbs(items: { image: number[][]; caption: string }[], scale = 6): HTMLElement {
  return h(
    'div',
    { class: 'thumbs' },
    items.map((item) =>
      h('figure', {}, greyCanvas(item.image, scale, item.caption), h('figcaption', { text: item.caption })),
    ),
  );
}
