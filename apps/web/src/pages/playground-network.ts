import { palette } from '../ui/charts';
import { button } from '../ui/controls';
import { h } from '../ui/dom';
import { drawHeat, heatCanvas } from '../ui/heat-map';
import { type FeatureName, featureLabels } from './playground-data';
import type { GridOutputs, Weights } from './playground-recipe';

/**
 * The network as TensorFlow Playground draws it: a column of input features, a column per
 * hidden layer, the output; each node a small heat map of its output over the square, each
 * weight an edge coloured by sign (blue +, orange −) and as thick as it is large. The − / +
 * buttons above a column remove or add a neuron; those beside "hidden layers" a layer.
 */

const NODE = 34;
const COL = 88;
const ROW = 42;
const TOP = 30;
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface NetworkShape {
  features: FeatureName[];
  hidden: number[];
}

export interface NetworkView {
  el: HTMLElement;
  summary: HTMLElement;
  /** The − / + buttons for whole hidden layers, with their count. */
  layerBar: HTMLElement;
  /** Rebuilds the columns for a new shape (after +/− or a feature change). */
  setShape(shape: NetworkShape): void;
  /** Paints every node's heat map and the edges for the current weights. */
  paint(inputs: Float32Array[], outputs: GridOutputs, weights: Weights, probability: boolean): void;
}

export function networkView(options: {
  gridSize: number;
  limits: { layers: number; neurons: number };
  onShape(hidden: number[]): void;
}): NetworkView {
  const { gridSize, limits } = options;
  let shape: NetworkShape = { features: [], hidden: [] };
  let nodes: HTMLCanvasElement[][] = [];
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('net-edges');
  const canvasBox = h('div', { class: 'net-nodes' });
  const heads = h('div', { class: 'net-heads' });
  const stage = h('div', { class: 'net-stage' }, svg, canvasBox, heads);
  const layerCount = h('span', { class: 'net-count', attrs: { 'data-testid': 'layer-count' } });
  const layerButtons = h(
    'div',
    { class: 'net-layers' },
    button('−', () => change(shape.hidden.slice(0, -1)), {
      testId: 'layer-minus',
      title: 'Remove a hidden layer',
    }),
    button('+', () => change([...shape.hidden, 2]), { testId: 'layer-plus', title: 'Add a hidden layer' }),
    layerCount,
  );
  const summary = h('p', { class: 'note chart-summary', attrs: { id: 'network-summary' } });
  const el = h(
    'figure',
    {
      class: 'network',
      attrs: {
        role: 'img',
        'aria-label':
          'The network: input features, hidden neurons and output, each drawn as a heat map of its output; weights as coloured edges',
        'aria-describedby': 'network-summary',
        'data-testid': 'network',
      },
    },
    h('div', { class: 'scroll-x' }, stage),
  );

  function change(hidden: number[]): void {
    if (hidden.length > limits.layers) return;
    options.onShape(hidden);
  }

  const widths = () => [shape.features.length, ...shape.hidden, 1];
  const nodeX = (c: number) => 48 + c * COL;
  const nodeY = (c: number, j: number) => {
    const tallest = Math.max(...widths());
    return TOP + ((tallest - widths()[c]) * ROW) / 2 + j * ROW;
  };

  function setShape(next: NetworkShape): void {
    shape = { features: [...next.features], hidden: [...next.hidden] };
    const w = widths();
    const width = nodeX(w.length - 1) + NODE + 8;
    const height = TOP + Math.max(...w) * ROW;
    stage.style.width = `${width}px`;
    stage.style.height = `${height}px`;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.replaceChildren();
    nodes = w.map((count, c) =>
      Array.from({ length: count }, (_, j) => {
        const canvas = heatCanvas(gridSize, 'net-node');
        canvas.style.left = `${nodeX(c)}px`;
        canvas.style.top = `${nodeY(c, j)}px`;
        return canvas;
      }),
    );
    canvasBox.replaceChildren(...nodes.flat());
    const labels = shape.features.map((f, j) =>
      h('span', {
        class: 'net-label',
        text: featureLabels[f],
        style: { left: '0px', top: `${nodeY(0, j) + 10}px` },
      }),
    );
    const columnHeads = shape.hidden.map((_, l) =>
      h(
        'div',
        { class: 'net-head', style: { left: `${nodeX(l + 1) - 20}px` } },
        button('−', () => change(shape.hidden.map((n, i) => (i === l ? Math.max(1, n - 1) : n))), {
          testId: `neuron-minus-${l}`,
          title: `Remove a neuron from layer ${l + 1}`,
        }),
        button(
          '+',
          () => change(shape.hidden.map((n, i) => (i === l ? Math.min(limits.neurons, n + 1) : n))),
          {
            testId: `neuron-plus-${l}`,
            title: `Add a neuron to layer ${l + 1}`,
          },
        ),
      ),
    );
    heads.replaceChildren(...columnHeads, ...labels);
    layerCount.textContent = `${shape.hidden.length} hidden layer${shape.hidden.length === 1 ? '' : 's'}`;
    layerCount.dataset.value = String(shape.hidden.length);
  }

  function paint(inputs: Float32Array[], outputs: GridOutputs, weights: Weights, probability: boolean): void {
    const maps = [inputs, ...outputs.hidden, [outputs.output]];
    maps.forEach((column, c) => {
      column.forEach((values, j) => {
        const canvas = nodes[c]?.[j];
        if (!canvas) return;
        // Inputs span their own range; neurons are drawn on [-1, 1] (a probability on [0, 1]).
        if (c === 0) drawHeat(canvas, values, ...range(values));
        else if (c === maps.length - 1 && probability) drawHeat(canvas, values, 0, 1);
        else drawHeat(canvas, values);
      });
    });
    // The edges are made once per shape and only recoloured after: a frame changes attributes.
    const edges = weights.reduce((n, m) => n + m.length * (m[0]?.length ?? 0), 0);
    if (svg.childElementCount !== edges) {
      svg.replaceChildren(
        ...Array.from({ length: edges }, () => {
          const line = document.createElementNS(SVG_NS, 'line');
          line.setAttribute('stroke-opacity', '0.8');
          return line;
        }),
      );
    }
    let largest = 0;
    let k = 0;
    weights.forEach((matrix, l) => {
      matrix.forEach((row, to) => {
        row.forEach((w, from) => {
          largest = Math.max(largest, Math.abs(w));
          const line = svg.children[k++] as SVGLineElement;
          line.setAttribute('x1', String(nodeX(l) + NODE));
          line.setAttribute('y1', String(nodeY(l, from) + NODE / 2));
          line.setAttribute('x2', String(nodeX(l + 1)));
          line.setAttribute('y2', String(nodeY(l + 1, to) + NODE / 2));
          line.setAttribute('stroke', w >= 0 ? palette.blue : palette.orange);
          line.setAttribute('stroke-width', Math.min(6, 0.4 + Math.abs(w) * 1.5).toFixed(2));
        });
      });
    });
    summary.textContent = `${shape.features.map((f) => featureLabels[f]).join(', ')} → ${
      shape.hidden.length ? `${shape.hidden.join(' → ')} → ` : ''
    }output: ${edges} weights, the largest |w| = ${largest.toFixed(2)}. Blue edges are positive weights, orange negative; thicker is larger.`;
  }

  return { el, summary, layerBar: layerButtons, setShape, paint };
}

function range(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return [-m, m];
}
