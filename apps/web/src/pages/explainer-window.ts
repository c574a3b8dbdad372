import { button, selectField } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { windowProducts } from './convolution-recipe';
import { paintMap } from './explainer-maps';
import { convWindow, type Kernel, poolWindowAt, type Stage, stageTitle } from './explainer-recipe';
import { MatrixView } from './matrix-view';

/** What a clicked map is computed from: a convolution (with its kernel), a ReLU or a 2×2 max pool. */
export type Source =
  | { kind: 'conv'; input: Stage; output: Stage; kernel: Kernel; channel: number }
  | { kind: 'relu' | 'pool'; input: Stage; output: Stage; channel: number };

const BOX = 168;

/**
 * #/convolution's animation on the real network: the clicked map's kernel (or pooling window)
 * slides over its input, the window is framed, the output fills in cell by cell, and the current
 * cell's dot product is written out with the trained weights.
 */
export class WindowView {
  readonly el: HTMLElement;
  private source: Source | null = null;
  private range = 1;
  private position = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly title = h('h3', { text: 'Click any map above to see how it is computed.' });
  private readonly inputCanvas = h('canvas', {
    class: 'pixels',
    attrs: { width: BOX, height: BOX, role: 'img', 'data-testid': 'window-input' },
  });
  private readonly outputCanvas = h('canvas', { class: 'pixels', attrs: { role: 'img' } });
  private readonly windowM = new MatrixView('Window of the input', [[0]], { testId: 'window-cells' });
  private readonly kernelM = new MatrixView('Trained kernel', [[0]]);
  private readonly productsM = new MatrixView('Element-wise products', [[0]]);
  private readonly sumLine = h('p', {
    class: 'sum-line',
    attrs: { 'data-testid': 'window-sum', 'aria-live': 'off' },
  });
  private readonly channelPick = selectField<string>({
    label: 'Input channel shown',
    value: '0',
    options: [{ value: '0', label: '1' }],
    onChange: () => this.render(),
  });
  private readonly positionInput = h('input', {
    attrs: {
      type: 'range',
      min: 0,
      max: 0,
      value: 0,
      'aria-label': 'Window position',
      'data-testid': 'window-position',
    },
  });
  private readonly playButton = button('Pause', () => this.toggle(), { testId: 'window-play' });
  private readonly body: HTMLElement;

  constructor() {
    this.positionInput.addEventListener('input', () => {
      this.pause();
      this.position = Number(this.positionInput.value);
      this.render();
    });
    this.body = h(
      'div',
      { attrs: { hidden: true } },
      h(
        'div',
        { class: 'toolbar' },
        this.playButton,
        button('Next cell', () => this.step(), { testId: 'window-next' }),
        this.positionInput,
        this.channelPick.el,
      ),
      h(
        'div',
        { class: 'conv-row' },
        h('figure', {}, h('figcaption', { text: 'Input, window framed' }), this.inputCanvas),
        h('span', { class: 'op', text: '→', attrs: { 'aria-hidden': 'true' } }),
        h('figure', {}, h('figcaption', { text: 'Output so far' }), this.outputCanvas),
      ),
      h('div', { class: 'conv-row' }, this.windowM.el, this.kernelM.el, this.productsM.el),
      this.sumLine,
    );
    this.el = h('div', { class: 'window-view', attrs: { 'data-testid': 'window' } }, this.title, this.body);
  }

  /** Starts the animation for a clicked map, from the top-left cell. */
  show(source: Source, range: number): void {
    this.source = source;
    this.range = range;
    this.position = 0;
    const [, height, width] = source.output.shape;
    this.positionInput.max = String(height * width - 1);
    const channels = source.kind === 'conv' ? source.input.shape[0] : 1;
    this.channelPick.el.hidden = channels === 1;
    const select = this.channelPick.el.querySelector('select');
    select?.replaceChildren(
      ...Array.from({ length: channels }, (_, i) =>
        h('option', { text: String(i + 1), attrs: { value: String(i) } }),
      ),
    );
    // Show the liveliest input channel first: after ReLU some channels are all zero.
    const [, inH, inW] = source.input.shape;
    const energy = (ch: number) =>
      source.input.values.subarray(ch * inH * inW, (ch + 1) * inH * inW).reduce((a, v) => a + Math.abs(v), 0);
    let liveliest = 0;
    for (let ch = 1; ch < channels; ch++) if (energy(ch) > energy(liveliest)) liveliest = ch;
    this.channelPick.value = String(liveliest);
    const what = {
      conv: 'its 3×3 kernel slides over',
      relu: 'ReLU keeps the positive part of',
      pool: 'a 2×2 window takes the largest value of',
    };
    this.title.textContent = `${stageTitle(source.output)}, map ${source.channel + 1}: ${what[source.kind]} ${stageTitle(source.input)}`;
    this.body.hidden = false;
    this.render();
    this.play();
  }

  private play(): void {
    this.pause();
    this.playButton.textContent = 'Pause';
    // A 28×28 map has 784 cells: 25 a second sweeps it in half a minute; the slider jumps.
    this.timer = setInterval(() => this.step(true), 40);
  }

  pause(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = 'Play';
  }

  private toggle(): void {
    if (this.timer === null) this.play();
    else this.pause();
  }

  private step(auto = false): void {
    if (!this.source) return;
    if (!auto) this.pause();
    const last = this.source.output.shape[1] * this.source.output.shape[2] - 1;
    if (this.position >= last) {
      if (auto) this.pause();
      else this.position = 0;
    } else this.position += 1;
    this.render();
  }

  private render(): void {
    const s = this.source;
    if (!s) return;
    const [, height, width] = s.output.shape;
    const [, inH, inW] = s.input.shape;
    const r = Math.floor(this.position / width);
    const c = this.position % width;
    this.positionInput.value = String(this.position);
    const shownChannel = s.kind === 'conv' ? Number(this.channelPick.value) : s.channel;
    const plane = (stage: Stage, ch: number) => {
      const [, hh, ww] = stage.shape;
      return stage.values.subarray(ch * hh * ww, (ch + 1) * hh * ww);
    };
    // The input with the window framed.
    const scale = BOX / inW;
    const small = h('canvas', { attrs: { width: inW, height: inH } });
    paintMap(small, plane(s.input, shownChannel), inW, inH, this.range);
    const ctx = this.inputCanvas.getContext('2d');
    let frame: [number, number, number] = [r, c, 1];
    if (s.kind === 'conv') frame = [r - s.kernel.padding, c - s.kernel.padding, s.kernel.size];
    if (s.kind === 'pool') frame = [r * 2, c * 2, 2];
    if (ctx) {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, BOX, BOX);
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 3;
      ctx.strokeRect(frame[1] * scale, frame[0] * scale, frame[2] * scale, frame[2] * scale);
    }
    this.inputCanvas.setAttribute(
      'aria-label',
      `${stageTitle(s.input)}, channel ${shownChannel + 1}, with the ${frame[2]}×${frame[2]} window at row ${r + 1}, column ${c + 1} of the output`,
    );
    this.inputCanvas.dataset.window = `${frame[0]},${frame[1]},${frame[2]}`;
    // The output filled in up to the current cell.
    const out = Float32Array.from(plane(s.output, s.channel), (v, i) =>
      i <= this.position ? v : Number.NaN,
    );
    this.outputCanvas.width = width;
    this.outputCanvas.height = height;
    Object.assign(this.outputCanvas.style, { width: `${BOX}px`, height: `${BOX}px` });
    paintMap(this.outputCanvas, out, width, height, this.range);
    this.outputCanvas.setAttribute(
      'aria-label',
      `${stageTitle(s.output)}, map ${s.channel + 1}, computed up to row ${r + 1}, column ${c + 1}`,
    );
    const value = s.output.values[(s.channel * height + r) * width + c];
    if (s.kind === 'conv') {
      const hand = convWindow(s.input, s.kernel, s.channel, r, c);
      const term = hand.terms[shownChannel];
      const rows = Array.from({ length: inH }, (_, y) =>
        Array.from(plane(s.input, shownChannel).subarray(y * inW, (y + 1) * inW)),
      );
      const { products, terms } = windowProducts(rows, term.weights, { r, c }, 1, s.kernel.padding);
      // Two decimals in the small grids; the sum line keeps four significant digits.
      const short = (m: number[][]) => m.map((row) => row.map((v) => Math.round(v * 100) / 100));
      this.windowM.setValues(short(term.window));
      this.kernelM.setValues(short(term.weights));
      this.productsM.setValues(short(products));
      const channels =
        hand.terms.length === 1
          ? `${terms.map(([x, k]) => `${fmt(x, 2)}·${fmt(k, 2)}`).join(' + ')} = ${fmt(term.dot)}`
          : `channel ${shownChannel + 1}: ${fmt(term.dot)}; all ${hand.terms.length} channels: ${hand.terms.map((t) => fmt(t.dot, 2)).join(' + ')}`;
      this.sumLine.textContent = `${channels}; + bias ${fmt(hand.bias)} = ${fmt(hand.total)} (the layer says ${fmt(value)})`;
    } else if (s.kind === 'pool') {
      const pool = poolWindowAt(s.input, s.channel, r, c);
      this.windowM.setValues(pool.window);
      this.kernelM.setValues([[2]]);
      this.productsM.setValues([[pool.max]]);
      this.sumLine.textContent = `max(${pool.window
        .flat()
        .map((v) => fmt(v))
        .join(', ')}) = ${fmt(pool.max)} (the layer says ${fmt(value)})`;
    } else {
      const x = plane(s.input, s.channel)[r * inW + c];
      this.windowM.setValues([[x]]);
      this.kernelM.setValues([[0]]);
      this.productsM.setValues([[Math.max(0, x)]]);
      this.sumLine.textContent = `max(0, ${fmt(x)}) = ${fmt(Math.max(0, x))} (the layer says ${fmt(value)})`;
    }
  }
}
