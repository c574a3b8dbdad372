import { fmt, h } from '../ui/dom';
import { type ArchitectureRow, diverging, type Stage, stageTitle } from './explainer-recipe';

/** Drawing for the look inside the digits CNN: coloured maps, the colour legend, the architecture. */

/** Channel `ch` of a [C, H, W] stage as a canvas in the shared colour scale, `scale` screen pixels a pixel. */
export function mapCanvas(
  stage: Stage,
  ch: number,
  range: number,
  scale: number,
  label: string,
): HTMLCanvasElement {
  const [, height, width] = stage.shape;
  const canvas = h('canvas', {
    class: 'pixels',
    attrs: { width, height, role: 'img', 'aria-label': label },
    style: { width: `${width * scale}px`, height: `${height * scale}px` },
  });
  paintMap(
    canvas,
    stage.values.subarray(ch * height * width, (ch + 1) * height * width),
    width,
    height,
    range,
  );
  return canvas;
}

/** Paints values (row-major) into a canvas of the same pixel size; NaN paints grey (not computed yet). */
export function paintMap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height: number,
  range: number,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = values[i];
    const rgb = Number.isNaN(v) ? [200, 200, 200] : diverging(v, range);
    image.data.set([...rgb, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

/** The colour scale's legend: a bar from −range (blue) through 0 (white) to +range (vermillion). */
export function colourLegend(range: number): HTMLElement {
  const canvas = h('canvas', {
    class: 'legend-bar',
    attrs: { width: 101, height: 1, 'aria-hidden': 'true' },
    style: { width: '202px', height: '14px' },
  });
  paintMap(
    canvas,
    Array.from({ length: 101 }, (_, i) => ((i - 50) / 50) * range),
    101,
    1,
    range,
  );
  return h(
    'figure',
    {
      class: 'colour-legend',
      attrs: {
        'data-testid': 'colour-legend',
        role: 'img',
        'aria-label': `Colour scale shared by every map: blue for −${fmt(range)}, white for 0, vermillion for +${fmt(range)}`,
      },
    },
    h('span', { text: `−${fmt(range)}` }),
    canvas,
    h('span', { text: `+${fmt(range)}` }),
    h('figcaption', {
      text: 'One colour scale for every layer: blue below zero, white at zero, vermillion above.',
    }),
  );
}

/** A 1-D stage (the flattened vector, the logits) as a strip of coloured cells. */
export function vectorStrip(stage: Stage, range: number, label: string): HTMLCanvasElement {
  const n = stage.values.length;
  const canvas = h('canvas', {
    class: 'pixels vector-strip',
    attrs: { width: n, height: 1, role: 'img', 'aria-label': label },
    style: { width: `${Math.min(392, n * 24)}px`, height: '16px' },
  });
  paintMap(canvas, stage.values, n, 1, range);
  return canvas;
}

const boxColour: Record<string, string> = {
  input: '#dddddd',
  Conv2d: '#E69F00',
  ReLU: '#56B4E9',
  MaxPool2d: '#009E73',
  Flatten: '#bbbbbb',
  Linear: '#CC79A7',
  softmax: '#F0E442',
};

/**
 * "A typical CNN" drawn: one box per layer, as tall as its maps and as deep as its channels (on a
 * square-root scale, so the small ones stay visible), with its shape and parameter count.
 */
export function architectureSvg(rows: ArchitectureRow[]): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const el = <K extends keyof SVGElementTagNameMap>(
    tag: K,
    attrs: Record<string, string | number>,
    text?: string,
  ) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const step = 92;
  const width = rows.length * step + 10;
  const height = 190;
  const total = rows.reduce((a, r) => a + r.parameters, 0);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `The digits CNN, layer by layer: ${rows.map((r) => stageTitle(r)).join(', then ')}; ${total.toLocaleString('en-US')} parameters in all.`,
    'data-testid': 'architecture',
  });
  rows.forEach((row, i) => {
    const x = 8 + i * step;
    const side = row.shape.length === 3 ? row.shape[1] : Math.min(28, Math.sqrt(row.shape[0]) * 2);
    const boxH = 20 + side * 2.6;
    const boxW = 14 + Math.sqrt(row.shape.length === 3 ? row.shape[0] : 1) * 8;
    const y = 90 - boxH / 2;
    svg.append(
      el('rect', {
        x,
        y,
        width: boxW,
        height: boxH,
        fill: boxColour[row.type] ?? '#ccc',
        stroke: '#333',
        rx: 2,
      }),
      el('text', { x, y: 166, 'font-size': 11 }, stageTitle(row).split(' ').slice(0, -1).join(' ')),
      el('text', { x, y: 178, 'font-size': 11 }, row.shape.join('×')),
      el(
        'text',
        { x, y: 14, 'font-size': 11 },
        row.parameters > 0 ? `${row.parameters.toLocaleString('en-US')} w` : '',
      ),
    );
    if (i > 0) svg.append(el('line', { x1: x - 10, x2: x - 3, y1: 90, y2: 90, stroke: '#333' }));
  });
  return svg;
}
