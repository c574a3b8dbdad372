import { palette } from '../ui/charts';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface DosageWeights {
  w1: [number, number];
  b1: [number, number];
  w2: [number, number];
  b2: number;
}

/**
 * The 1-2-1 network with its current weights: line width grows with |w|, negative weights are
 * dashed (so the sign does not rely on colour), the upper path blue and the lower path orange
 * as in the curves beside it.
 */
export function networkDiagram(w: DosageWeights): SVGSVGElement {
  const svg = el('svg', {
    viewBox: '0 0 460 215',
    width: 460,
    height: 215,
    role: 'img',
    'aria-label': `Network weights: upper path ${w.w1[0].toFixed(2)} then ${w.w2[0].toFixed(2)}, lower path ${w.w1[1].toFixed(2)} then ${w.w2[1].toFixed(2)}, output bias ${w.b2.toFixed(2)}`,
  }) as SVGSVGElement;
  const input = { x: 50, y: 102 };
  const hidden = [
    { x: 230, y: 45 },
    { x: 230, y: 160 },
  ];
  const output = { x: 410, y: 102 };
  const colors = [palette.blue, palette.orange];
  const edge = (a: { x: number; y: number }, b: { x: number; y: number }, weight: number, color: string) => {
    svg.append(
      el('line', {
        x1: a.x,
        y1: a.y,
        x2: b.x,
        y2: b.y,
        stroke: color,
        'stroke-width': Math.min(10, 1 + 2 * Math.abs(weight)),
        'stroke-dasharray': weight < 0 ? '7,4' : '',
        'stroke-linecap': 'round',
      }),
    );
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2 - 8;
    svg.append(
      el(
        'text',
        { x: mx, y: my, 'text-anchor': 'middle', 'font-size': 13, fill: '#1d2330', 'font-weight': 600 },
        weight.toFixed(2),
      ),
    );
  };
  hidden.forEach((node, i) => {
    edge(input, node, w.w1[i], colors[i]);
    edge(node, output, w.w2[i], colors[i]);
  });
  const circle = (p: { x: number; y: number }, label: string, sub: string) => {
    svg.append(el('circle', { cx: p.x, cy: p.y, r: 30, fill: '#fff', stroke: '#1d2330', 'stroke-width': 2 }));
    svg.append(
      el('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 700 }, label),
    );
    svg.append(
      el('text', { x: p.x, y: p.y + 46, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6475' }, sub),
    );
  };
  circle(input, 'dose', 'input');
  hidden.forEach((node, i) => {
    circle(node, 'softplus', `bias ${w.b1[i].toFixed(2)}`);
  });
  circle(output, 'Σ', `bias ${w.b2.toFixed(2)}`);
  return svg;
}
