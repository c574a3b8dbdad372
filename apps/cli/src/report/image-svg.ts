/**
 * An image as the model sees it, drawn with SVG rectangles (one per run of equal pixels in a row),
 * so the report needs no image files. Values are in [0, 1]; channels 1 (grey) or 3 (RGB), HWC.
 */
export function imageSvg(
  pixels: ArrayLike<number>,
  height: number,
  width: number,
  channels = 1,
  { scale = 8, title = 'the input image' }: { scale?: number; title?: string } = {},
): string {
  const colour = (i: number) => {
    const c = [0, 1, 2].map((k) => {
      const v = pixels[i * channels + (channels === 1 ? 0 : k)];
      return Math.round(255 * Math.min(1, Math.max(0, v)));
    });
    return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  };
  let rects = '';
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      const fill = colour(y * width + x);
      let end = x + 1;
      while (end < width && colour(y * width + end) === fill) end++;
      rects += `<rect x="${x * scale}" y="${y * scale}" width="${(end - x) * scale}" height="${scale}" fill="${fill}"/>`;
      x = end;
    }
  }
  const w = width * scale;
  const h = height * scale;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" shape-rendering="crispEdges"><title>${title}</title>${rects}<rect width="${w}" height="${h}" fill="none" stroke="#666"/></svg>`;
}
