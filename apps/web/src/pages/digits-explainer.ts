import './explainer.css';
import { type Conv2d, disposeFeatureMaps, featureMaps } from '@descent/cnn';
import type { Sequential } from '@descent/layers';
import { tf } from '@descent/tensor';
import { button } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { architectureSvg, colourLegend, mapCanvas, vectorStrip } from './explainer-maps';
import {
  architecture,
  colourRange,
  digitDoubts,
  kernelOf,
  readStages,
  type Stage,
  shiftImage,
  softmaxSteps,
  stageTitle,
} from './explainer-recipe';
import { type Source, WindowView } from './explainer-window';
import { panel } from './page';

const INPUT_SHAPE = [1, 28, 28];
const SHIFTS: [number, number][] = [
  [0, 0],
  [-3, 0],
  [3, 0],
  [0, -3],
  [0, 3],
];

/** Predicts a batch of 28×28 images: one probability row per image (the page's Learner). */
export type Predict = (images: Float32Array, rows: number) => Promise<number[][]>;

/** The "not a digit" note: the doubts found, and the reminder that the network must pick a digit. */
export function doubtNote(pixels: ArrayLike<number>, probs: number[]): HTMLElement {
  const reasons = digitDoubts(pixels, probs);
  const always =
    'The network has ten outputs and softmax makes them sum to 1, so it must pick a digit: it has no way to say "this is not a digit".';
  return h(
    'p',
    {
      class: reasons.length > 0 ? 'note doubt' : 'note',
      role: 'status',
      attrs: { 'data-testid': 'digit-doubt', 'data-doubtful': String(reasons.length > 0) },
    },
    reasons.length > 0 ? h('strong', { text: `This may not be a digit: ${reasons.join('; ')}. ` }) : '',
    always,
  );
}

/**
 * The digits network from the inside, for the digit on the pad: every layer's maps in order on
 * one colour scale (each map opens its window animation), the softmax step, the architecture with
 * what weight sharing saves, and translation invariance by shifting the digit.
 */
export class NetworkExplainer {
  readonly panels: HTMLElement[];
  /** How far the drawn digit is moved (the shift buttons); a new drawing starts centred. */
  offset: [number, number] = [0, 0];
  private readonly layers = h('div', { class: 'layer-stack', attrs: { 'data-testid': 'layers' } });
  private readonly legendBox = h('div');
  private readonly windowView = new WindowView();
  private readonly softmaxBox = h('div', { attrs: { 'data-testid': 'softmax' } });
  private readonly archBox = h('div', { class: 'scroll-x' });
  private readonly sharingBox = h('div', { class: 'scroll-x' });
  private readonly shiftBox = h('div', { attrs: { 'data-testid': 'shifts', 'aria-live': 'polite' } });
  private readonly offsetOut = h('span', { attrs: { 'data-testid': 'offset' }, text: '(0, 0)' });

  constructor(private readonly onShift: () => void) {
    const move = (dx: number, dy: number, label: string) =>
      button(
        label,
        () => {
          this.offset = dx === 0 && dy === 0 ? [0, 0] : [this.offset[0] + dx, this.offset[1] + dy];
          this.onShift();
        },
        { testId: `shift-${label === 'Centre' ? 'centre' : label}`, title: `Move the digit ${label}` },
      );
    this.panels = [
      panel(
        'Inside the network, layer by layer',
        h('p', {
          class: 'note',
          text: 'Your digit through every layer, in order: the input, each convolution (8 then 16 filters, so 8 then 16 maps), ReLU, max pooling, the flattened vector, the ten logits and softmax. Click a map to watch how it is computed.',
        }),
        this.legendBox,
        this.layers,
        this.windowView.el,
      ),
      panel('From logits to probabilities: softmax', this.softmaxBox),
      panel(
        'Moving the digit: translation invariance',
        h('p', {
          class: 'note',
          text: 'A convolution applies the same filter everywhere and pooling keeps the strongest response in each region, so a moved digit gives nearly the same features and the same answer. Move yours:',
        }),
        h(
          'div',
          { class: 'toolbar' },
          move(-1, 0, '←'),
          move(1, 0, '→'),
          move(0, -1, '↑'),
          move(0, 1, '↓'),
          move(0, 0, 'Centre'),
          h('span', {}, 'offset ', this.offsetOut),
        ),
        this.shiftBox,
      ),
      panel(
        'A typical CNN: shapes and parameters',
        h('p', {
          class: 'note',
          text: 'Convolution blocks shrink the image while adding channels (edges, then textures, then shapes); a dense layer turns the last maps into one score per class. Each box is a layer’s output, with the weights it learns above it.',
        }),
        this.archBox,
        this.sharingBox,
      ),
    ];
  }

  /** The moved image for the current offset. */
  shifted(pixels: Float32Array): Float32Array {
    return shiftImage(pixels, this.offset[0], this.offset[1]);
  }

  clear(): void {
    this.windowView.pause();
    this.layers.replaceChildren(
      h('p', { class: 'note', text: 'Draw a digit (or use a test digit) to see inside the network.' }),
    );
    for (const box of [this.softmaxBox, this.shiftBox, this.legendBox]) box.replaceChildren();
  }

  stop(): void {
    this.windowView.pause();
  }

  /**
   * Runs the digit through the model and draws everything; `current()` turns false when a newer
   * digit arrived meanwhile (then nothing is drawn).
   */
  async show(
    model: Sequential,
    pixels: Float32Array,
    predict: Predict,
    current: () => boolean,
  ): Promise<void> {
    const x = tf.tensor4d(pixels, [1, ...INPUT_SHAPE] as [number, number, number, number]);
    const maps = featureMaps(model, x);
    x.dispose();
    let stages: Stage[];
    try {
      stages = await readStages(pixels, INPUT_SHAPE, maps);
    } finally {
      disposeFeatureMaps(maps);
    }
    const convs = maps.map((m, i) => (m.type === 'Conv2d' ? (model.at(i) as Conv2d) : null));
    const kernels = await Promise.all(convs.map((c) => (c ? kernelOf(c) : null)));
    const rows = architecture(model, stages, INPUT_SHAPE);
    const shifted = await this.shiftPredictions(pixels, predict);
    if (!current()) return;
    this.windowView.pause();
    const range = colourRange(stages);
    this.legendBox.replaceChildren(colourLegend(range));
    this.offsetOut.textContent = `(${this.offset[0]}, ${this.offset[1]})`;
    this.layers.replaceChildren(
      ...stages
        .slice(0, -1)
        .map((stage, i) => this.layerRow(stage, stages[i - 1], kernels[i - 1] ?? null, range)),
    );
    this.showSoftmax(stages[stages.length - 2], stages[stages.length - 1]);
    this.showShifts(shifted);
    this.archBox.replaceChildren(architectureSvg(rows));
    this.sharingBox.replaceChildren(sharingTable(rows));
  }

  private layerRow(
    stage: Stage,
    input: Stage | undefined,
    kernel: Awaited<ReturnType<typeof kernelOf>> | null,
    range: number,
  ): HTMLElement {
    const title = stageTitle(stage);
    const row = h(
      'div',
      { class: 'layer-row', attrs: { 'data-type': stage.type } },
      h('h3', { text: title }),
    );
    if (stage.shape.length !== 3) {
      row.append(vectorStrip(stage, range, `${title}: ${stage.values.length} numbers in a row`));
      if (stage.type === 'Linear')
        row.append(
          h('p', {
            class: 'note',
            text: Array.from(stage.values, (v, d) => `${d}: ${fmt(v, 3)}`).join('  '),
          }),
        );
      return row;
    }
    const [channels, height] = stage.shape;
    const scale = Math.max(2, Math.round(56 / height));
    const source = (ch: number): Source | null => {
      if (!input) return null;
      if (stage.type === 'Conv2d' && kernel)
        return { kind: 'conv', input, output: stage, kernel, channel: ch };
      if (stage.type === 'ReLU') return { kind: 'relu', input, output: stage, channel: ch };
      if (stage.type === 'MaxPool2d') return { kind: 'pool', input, output: stage, channel: ch };
      return null;
    };
    const maps = Array.from({ length: channels }, (_, ch) => {
      const label = `${title}, map ${ch + 1} of ${channels}`;
      const canvas = mapCanvas(stage, ch, range, scale, label);
      const from = source(ch);
      if (!from) return canvas;
      return h(
        'button',
        {
          class: 'map-button',
          title: 'Show how this map is computed',
          attrs: {
            type: 'button',
            'aria-label': `${label}: show how it is computed`,
            'data-testid': `map-${stage.name}-${ch}`,
          },
          on: { click: () => this.windowView.show(from, range) },
        },
        canvas,
      );
    });
    row.append(h('div', { class: 'map-row' }, maps));
    return row;
  }

  private showSoftmax(logits: Stage, probs: Stage): void {
    const steps = softmaxSteps(Array.from(logits.values));
    const best = steps.probs.indexOf(Math.max(...steps.probs));
    const table = h(
      'table',
      { class: 'data softmax-table' },
      h('caption', {
        text: `Subtract the largest logit (${fmt(steps.largest)}), exponentiate, divide by the sum of the exponentials (${fmt(steps.sum)}).`,
      }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['digit', 'logit z', 'e^(z − max)', 'probability'].map((t) =>
            h('th', { text: t, attrs: { scope: 'col' } }),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        steps.probs.map((p, d) =>
          h(
            'tr',
            { class: d === best ? 'best' : '' },
            h('th', { text: String(d), attrs: { scope: 'row' } }),
            h('td', { text: fmt(logits.values[d]) }),
            h('td', { text: fmt(steps.exps[d]) }),
            h('td', {
              text: `${(p * 100).toFixed(2)} %`,
              attrs: { 'data-testid': `softmax-${d}`, 'data-value': probs.values[d] },
            }),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('th', { text: 'sum', attrs: { scope: 'row' } }),
          h('td'),
          h('td', { text: fmt(steps.sum) }),
          h('td', {
            text: steps.total.toFixed(4),
            attrs: { 'data-testid': 'softmax-sum', 'data-value': steps.total },
          }),
        ),
      ),
    );
    this.softmaxBox.replaceChildren(
      h('div', { class: 'scroll-x' }, table),
      h('p', {
        class: 'note',
        text: `The probabilities add up to ${steps.total.toFixed(4)}: softmax always shares out exactly 1 among the ten digits, so the largest share, ${best}, is the answer.`,
      }),
    );
  }

  private async shiftPredictions(pixels: Float32Array, predict: Predict) {
    const batch = new Float32Array(SHIFTS.length * 784);
    for (const [i, [dx, dy]] of SHIFTS.entries()) batch.set(shiftImage(pixels, dx, dy), i * 784);
    const probs = await predict(batch, SHIFTS.length);
    return SHIFTS.map(([dx, dy], i) => {
      const p = probs[i];
      const best = p.indexOf(Math.max(...p));
      return { dx, dy, best, p: p[best] };
    });
  }

  private showShifts(rows: { dx: number; dy: number; best: number; p: number }[]): void {
    const same = rows.every((r) => r.best === rows[0].best);
    this.shiftBox.replaceChildren(
      h(
        'p',
        {},
        `Your digit moved 3 pixels each way (from where it is now): ${rows.map((r) => `(${r.dx}, ${r.dy}) → ${r.best} (${(r.p * 100).toFixed(0)} %)`).join(', ')}. `,
        same
          ? 'The same answer every time.'
          : 'Not always the same answer: pooling forgives small moves, not every move.',
      ),
    );
  }
}

/** What weight sharing saves: each Conv2d and Linear layer against a dense layer between the same sizes. */
function sharingTable(rows: ReturnType<typeof architecture>): HTMLElement {
  const counted = rows.filter((r) => r.denseParameters !== undefined);
  return h(
    'table',
    { class: 'data sharing-table', attrs: { 'data-testid': 'sharing' } },
    h('caption', {
      text: 'Weight sharing: a 3×3 filter is reused at every position, so a convolution needs a tiny fraction of the weights of a dense layer between the same sizes.',
    }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['layer', 'input → output', 'weights', 'dense layer would need', 'saving'].map((t) =>
          h('th', { text: t, attrs: { scope: 'col' } }),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      counted.map((r, i) =>
        h(
          'tr',
          {},
          h('th', { text: stageTitle(r).split(' ')[0], attrs: { scope: 'row' } }),
          h('td', { text: `${rows[rows.indexOf(r) - 1]?.shape.join('×') ?? ''} → ${r.shape.join('×')}` }),
          h('td', { text: r.parameters.toLocaleString('en-US') }),
          h('td', { text: (r.denseParameters ?? 0).toLocaleString('en-US') }),
          h('td', {
            text:
              r.type === 'Linear'
                ? 'none (it is dense)'
                : `×${Math.round((r.denseParameters ?? 0) / r.parameters).toLocaleString('en-US')}`,
            attrs: { 'data-testid': `saving-${i}` },
          }),
        ),
      ),
    ),
  );
}
