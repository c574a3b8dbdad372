import type { TestFunction } from '@descent/datasets';
import * as Plot from '@observablehq/plot';
import { h } from '../ui/dom';

const SVG = 'http://www.w3.org/2000/svg';
let clipIds = 0;

/** Contour levels spread evenly in log space for functions that span decades (Rosenbrock). */
function shaped(fn: TestFunction): (x: number, y: number) => number {
  const f = fn.f;
  return (x, y) => {
    const v = f(x, y);
    return Math.sign(v) * Math.log1p(Math.abs(v));
  };
}

/**
 * One optimizer's map: the function's filled contours drawn once by Observable Plot, and the
 * trajectory as an SVG path on top that moves each frame without redrawing the contours.
 */
export class ContourPanel {
  readonly el: HTMLElement;
  private readonly box: HTMLElement;
  private path: SVGPathElement | null = null;
  private head: SVGCircleElement | null = null;
  private sx: ((v: number) => number) | null = null;
  private sy: ((v: number) => number) | null = null;
  private invert: ((px: number, py: number) => [number, number]) | null = null;
  private readonly caption: HTMLElement;

  constructor(
    private readonly title: string,
    private readonly color: string,
    private readonly onPick: (x: number, y: number) => void,
  ) {
    this.box = h('div', { class: 'contour' });
    this.caption = h('p', { class: 'note' });
    this.el = h(
      'section',
      { class: 'panel', attrs: { 'aria-label': `${title} trajectory` } },
      h('h2', {}, h('span', { class: 'swatch', style: { background: color } }), ` ${title}`),
      this.box,
      this.caption,
    );
  }

  setFunction(fn: TestFunction, start: [number, number]): void {
    const plot = Plot.plot({
      width: 270,
      height: 260,
      marginLeft: 36,
      marginBottom: 30,
      style: { background: 'transparent', fontSize: '11px' },
      x: { domain: fn.domain.x, label: 'x' },
      y: { domain: fn.domain.y, label: 'y' },
      color: { type: 'linear', scheme: 'viridis' },
      marks: [
        Plot.contour({
          value: shaped(fn),
          x1: fn.domain.x[0],
          x2: fn.domain.x[1],
          y1: fn.domain.y[0],
          y2: fn.domain.y[1],
          fill: 'value',
          stroke: 'white',
          strokeOpacity: 0.35,
          thresholds: 18,
        }),
        Plot.dot(fn.minima, { x: '0', y: '1', symbol: 'star', r: 6, fill: 'white', stroke: 'black' }),
        Plot.dot(fn.saddlePoints, { x: '0', y: '1', symbol: 'times', r: 5, stroke: 'white', strokeWidth: 2 }),
        Plot.dot([start], { x: '0', y: '1', r: 5, fill: 'white', stroke: 'black' }),
      ],
    });
    type Continuous = Plot.Scale & { apply(v: number): number; invert(v: number): number };
    const sx = plot.scale('x') as Continuous;
    const sy = plot.scale('y') as Continuous;
    this.sx = (v) => sx.apply(v);
    this.sy = (v) => sy.apply(v);
    this.invert = (px, py) => [sx.invert(px), sy.invert(py)];
    this.path = document.createElementNS(SVG, 'path');
    this.path.setAttribute('fill', 'none');
    this.path.setAttribute('stroke', this.color);
    this.path.setAttribute('stroke-width', '2.5');
    this.path.setAttribute('stroke-linejoin', 'round');
    // A white halo under the line keeps it readable over every contour colour.
    const halo = this.path.cloneNode() as SVGPathElement;
    halo.setAttribute('stroke', 'white');
    halo.setAttribute('stroke-width', '5');
    halo.setAttribute('stroke-opacity', '0.8');
    this.head = document.createElementNS(SVG, 'circle');
    this.head.setAttribute('r', '5');
    this.head.setAttribute('fill', this.color);
    this.head.setAttribute('stroke', 'white');
    this.head.setAttribute('stroke-width', '2');
    // The paths stay inside the map's frame: a walk off the saddle would otherwise be drawn over
    // the panel's heading.
    const clip = document.createElementNS(SVG, 'clipPath');
    clip.id = `descent-clip-${++clipIds}`;
    const [x0, x1] = fn.domain.x.map((v) => sx.apply(v));
    const [y0, y1] = fn.domain.y.map((v) => sy.apply(v));
    const frame = document.createElementNS(SVG, 'rect');
    for (const [k, v] of Object.entries({
      x: Math.min(x0, x1),
      y: Math.min(y0, y1),
      width: Math.abs(x1 - x0),
      height: Math.abs(y1 - y0),
    }))
      frame.setAttribute(k, String(v));
    clip.append(frame);
    const layer = document.createElementNS(SVG, 'g');
    layer.setAttribute('clip-path', `url(#${clip.id})`);
    layer.append(halo, this.path, this.head);
    plot.append(clip, layer);
    this.halo = halo;
    plot.style.cursor = 'crosshair';
    plot.setAttribute('role', 'img');
    plot.setAttribute('aria-label', `Contour map of ${fn.name}; click to start the optimizers from there`);
    plot.addEventListener('click', (event) => {
      const point = this.toData(plot as unknown as SVGSVGElement, event as MouseEvent);
      if (point) this.onPick(...point);
    });
    this.box.replaceChildren(plot);
  }

  private halo: SVGPathElement | null = null;

  private toData(svg: SVGSVGElement, event: MouseEvent): [number, number] | null {
    const matrix = svg.getScreenCTM();
    if (!matrix || !this.invert) return null;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return this.invert(p.x, p.y);
  }

  setPath(points: [number, number][], diverged: boolean): void {
    if (!this.path || !this.sx || !this.sy || !this.head) return;
    const sx = this.sx;
    const sy = this.sy;
    // Clamp to a band around the plot so a runaway optimizer does not produce huge coordinates.
    const clamp = (v: number) => Math.max(-2000, Math.min(2000, v));
    const d = points.map(
      ([x, y], i) => `${i ? 'L' : 'M'}${clamp(sx(x)).toFixed(1)},${clamp(sy(y)).toFixed(1)}`,
    );
    this.path.setAttribute('d', d.join(''));
    this.halo?.setAttribute('d', d.join(''));
    const [x, y] = points[points.length - 1];
    this.head.setAttribute('cx', String(clamp(sx(x))));
    this.head.setAttribute('cy', String(clamp(sy(y))));
    this.caption.textContent = diverged
      ? `${this.title} diverged: try a smaller learning rate.`
      : `${points.length - 1} steps, now at (${x.toFixed(3)}, ${y.toFixed(3)})`;
  }
}
