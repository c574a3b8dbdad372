import { convolve2d, maxPool2d } from '@descent/cnn';
import { Generator } from '@descent/tensor';
import { button, selectField, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { showError } from '../ui/notices';
import { runControls } from '../ui/run-controls';
import {
  conv2dOutput,
  courseInput,
  courseKernel,
  type Frame,
  frames as framesOf,
  poolExample,
  poolWindow,
  windowProducts,
} from './convolution-recipe';
import { MatrixView } from './matrix-view';
import { type PageContext, pageHeader, panel } from './page';
import { tensorRanks } from './tensor-ranks';

export function mount({ root, backend, page }: PageContext) {
  let frames: Frame[] = [];
  let shown = -1;
  let convOut: number[][] = [];
  let poolOut: number[][] = [];
  let checkToken = 0;

  const input = new MatrixView('Input image (5×5)', courseInput, {
    editable: true,
    onEdit: () => recompute(),
  });
  const kernel = new MatrixView('Filter (3×3)', courseKernel, { editable: true, onEdit: () => recompute() });
  const output = new MatrixView('Output', [[0]], { testId: 'conv-output' });
  const products = new MatrixView('Element-wise products', [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ]);
  const poolIn = new MatrixView('Input (4×4)', poolExample, { editable: true, onEdit: () => recompute() });
  const poolView = new MatrixView('Max pooled', [[0]], { testId: 'pool-output' });
  const sumLine = h('p', { class: 'sum-line', attrs: { 'aria-live': 'polite', 'data-testid': 'sum-line' } });
  const poolLine = h('p', { class: 'sum-line', attrs: { 'aria-live': 'polite' } });
  const checkLine = h('p', { class: 'note', attrs: { 'data-testid': 'conv2d-check' } });
  const errorLine = h('p', { class: 'error-text', role: 'alert' });

  const stride = selectField({
    label: 'Stride',
    value: '1',
    options: [
      { value: '1', label: '1' },
      { value: '2', label: '2' },
    ],
    onChange: () => recompute(),
  });
  const padding = selectField({
    label: 'Padding',
    value: '0',
    options: [
      { value: '0', label: '0 (valid)' },
      { value: '1', label: '1 (zeros around)' },
    ],
    onChange: () => recompute(),
  });
  const poolSize = selectField({
    label: 'Pool size / stride',
    value: '2',
    options: [
      { value: '2', label: '2×2, stride 2' },
      { value: '3', label: '3×3, stride 1' },
    ],
    onChange: () => recompute(),
  });
  const speed = slider({
    label: 'Delay per cell (ms)',
    value: 700,
    min: 50,
    max: 2000,
    step: 50,
    testId: 'delay',
  });
  const controls = runControls({
    extra: [
      button('Next cell', () => void stepOnce(), { testId: 'next-cell' }),
      button('Random image', () => randomImage(), {
        testId: 'random-image',
        title: 'A random binary image from the seed',
      }),
      button('Course example', () => courseExample()),
    ],
  });

  root.append(
    pageHeader(
      6,
      'Convolution by hand',
      'A convolution slides a small filter over the image; at each position it multiplies the overlapping numbers and adds them up. That sum is one output pixel. Edit any number, then press Start (or Next cell).',
    ),
    h('div', { class: 'toolbar' }, stride.el, padding.el, poolSize.el, speed.el),
    controls.el,
    errorLine,
    panel(
      'Convolution',
      h(
        'div',
        { class: 'conv-row' },
        input.el,
        h('span', { class: 'op', text: '⊛', attrs: { 'aria-hidden': 'true' } }),
        kernel.el,
        h('span', { class: 'op', text: '=', attrs: { 'aria-hidden': 'true' } }),
        output.el,
      ),
      h('div', { class: 'conv-row' }, products.el, sumLine),
      checkLine,
    ),
    panel(
      'Max pooling',
      h('p', {
        class: 'note',
        text: 'Pooling downsamples: it keeps the largest value of each window (“did we see this feature in this region?”). A 4×4 map becomes 2×2: a quarter of the numbers for the next layer to compute on.',
      }),
      h(
        'div',
        { class: 'conv-row' },
        poolIn.el,
        h('span', { class: 'op', text: '→', attrs: { 'aria-hidden': 'true' } }),
        poolView.el,
      ),
      poolLine,
    ),
    tensorRanks(courseInput),
  );

  function recompute(): void {
    errorLine.textContent = '';
    try {
      const s = Number(stride.value);
      const p = Number(padding.value);
      convOut = convolve2d(input.values(), kernel.values(), { stride: s, padding: p });
      const size = Number(poolSize.value);
      poolOut = maxPool2d(poolIn.values(), size, size === 2 ? 2 : 1);
    } catch (error) {
      errorLine.textContent = error instanceof Error ? error.message : String(error);
      return;
    }
    frames = framesOf(convOut, poolOut);
    void trainer.reset();
    void checkWithConv2d();
  }

  /** The same numbers from the real layer on the running backend: the hand method is the layer. */
  async function checkWithConv2d(): Promise<void> {
    const token = ++checkToken;
    try {
      const values = await conv2dOutput(
        input.values(),
        kernel.values(),
        Number(stride.value),
        Number(padding.value),
      );
      if (token !== checkToken) return;
      const expected = convOut.flat();
      const same =
        expected.length === values.length && expected.every((v, i) => Math.abs(v - values[i]) < 1e-4);
      checkLine.textContent = same
        ? `Conv2d on ${backend} gives the same ${convOut.length}×${convOut[0].length} output: deep-learning libraries compute exactly this (a cross-correlation: the filter is not flipped).`
        : `Conv2d on ${backend} gave ${Array.from(values, (v) => fmt(v)).join(', ')}: different from the hand method!`;
    } catch (error) {
      showError(error, 'Conv2d check');
    }
  }

  /** Draws everything up to frame `shown`: filled cells, and the current window's products. */
  function render(): void {
    const p = Number(padding.value);
    const s = Number(stride.value);
    const k = kernel.values();
    input.setPadding(p);
    output.setValues(convOut.map((row) => row.map(() => 0)));
    poolView.setValues(poolOut.map((row) => row.map(() => 0)));
    const current = frames[shown];
    frames.forEach((f, i) => {
      const view = f.kind === 'conv' ? output : poolView;
      const value = f.kind === 'conv' ? convOut[f.r][f.c] : poolOut[f.r][f.c];
      view.setCell(f.r, f.c, i <= shown ? fmt(value) : '', i <= shown ? 'filled' : 'empty');
      if (i === shown) view.mark([[f.r, f.c]], 'current');
    });
    input.clearMarks();
    poolIn.clearMarks();
    if (!current) {
      products.setValues(k.map((row) => row.map(() => 0)));
      products.clearMarks('empty');
      sumLine.textContent = 'Press Start or Next cell: the filter starts at the top-left corner.';
      poolLine.textContent = '';
      return;
    }
    if (current.kind === 'conv') {
      const { products: prods, cells, terms } = windowProducts(input.values(), k, current, s, p);
      input.mark(cells, 'window');
      products.setValues(prods);
      products.clearMarks();
      sumLine.textContent = `${terms.map(([xv, kv]) => `${fmt(xv)}·${fmt(kv)}`).join(' + ')} = ${fmt(convOut[current.r][current.c])}`;
      poolLine.textContent = '';
    } else {
      const x = poolIn.values();
      const { cells, best } = poolWindow(x, current, Number(poolSize.value));
      poolIn.mark(cells, 'window');
      poolIn.mark([best], 'max');
      poolLine.textContent = `max(${cells.map(([r, c]) => fmt(x[r][c])).join(', ')}) = ${fmt(poolOut[current.r][current.c])}`;
      sumLine.textContent = 'Convolution done.';
    }
  }

  async function stepOnce(): Promise<void> {
    if (trainer.state === 'running') trainer.pause();
    if (shown < frames.length - 1) shown += 1;
    render();
  }

  const trainer = page.trainer(
    {
      doing: 'animation',
      reset: () => {
        shown = -1;
        render();
      },
      prepare: () => {
        if (shown >= frames.length - 1) shown = -1;
      },
      train: async (run) => {
        while (shown < frames.length - 1) {
          shown += 1;
          render();
          const until = performance.now() + speed.value;
          while (performance.now() < until) {
            if (!(await run.checkpoint(true))) return;
          }
        }
      },
    },
    controls,
  );

  function randomImage(): void {
    const rng = new Generator(controls.seed);
    input.setValues(courseInput.map((row) => row.map(() => (rng.uniform() < 0.5 ? 1 : 0))));
    recompute();
  }

  function courseExample(): void {
    input.setValues(courseInput);
    kernel.setValues(courseKernel);
    poolIn.setValues(poolExample);
    stride.value = '1';
    padding.value = '0';
    poolSize.value = '2';
    recompute();
  }

  page.onLeave(() => {
    checkToken++;
  });
  recompute();
}
