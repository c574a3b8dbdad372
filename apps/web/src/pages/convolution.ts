import { Conv2d, convolve2d, maxPool2d } from '@descent/cnn';
import { Generator, tf } from '@descent/tensor';
import { button, selectField, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { showError } from '../ui/notices';
import { Run } from '../ui/run';
import { runControls } from '../ui/run-controls';
import { MatrixView } from './matrix-view';
import { type PageContext, pageHeader, panel } from './page';
import { tensorRanks } from './tensor-ranks';

/** The course's "Typical CNN" slide: a 5×5 binary image and a 3×3 filter; the top-left output is 3. */
const courseInput = [
  [1, 0, 0, 0, 0],
  [1, 0, 1, 1, 1],
  [0, 0, 1, 1, 1],
  [0, 1, 0, 0, 0],
  [0, 1, 1, 1, 1],
];
const courseKernel = [
  [1, 0, 1],
  [1, 1, 0],
  [0, 0, 1],
];
const poolExample = [
  [1, 3, 2, 1],
  [4, 2, 0, 1],
  [5, 1, 7, 8],
  [0, 6, 2, 3],
];

type Frame = { kind: 'conv' | 'pool'; r: number; c: number };

export function mount({ root, backend }: PageContext) {
  let run: Run | null = null;
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
    onStart: () => startRun(),
    onPause: () => run?.pause(),
    onReset: () => void rewind(),
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
    frames = [
      ...convOut.flatMap((row, r) => row.map((_, c) => ({ kind: 'conv' as const, r, c }))),
      ...poolOut.flatMap((row, r) => row.map((_, c) => ({ kind: 'pool' as const, r, c }))),
    ];
    void rewind();
    void checkWithConv2d();
  }

  /** The same numbers from the real layer on the running backend: the hand method is the layer. */
  async function checkWithConv2d(): Promise<void> {
    const token = ++checkToken;
    const x = input.values();
    const k = kernel.values();
    const conv = new Conv2d(1, 1, 3, {
      stride: Number(stride.value),
      padding: Number(padding.value),
      bias: false,
    });
    try {
      tf.tidy(() => conv.weight.variable.assign(tf.tensor4d(k.flat(), [1, 1, 3, 3])));
      const y = tf.tidy(() => conv.forward(tf.tensor4d(x.flat(), [1, 1, x.length, x[0].length])));
      const values = await y.data();
      y.dispose();
      if (token !== checkToken) return;
      const expected = convOut.flat();
      const same =
        expected.length === values.length && expected.every((v, i) => Math.abs(v - values[i]) < 1e-4);
      checkLine.textContent = same
        ? `Conv2d on ${backend} gives the same ${convOut.length}×${convOut[0].length} output: deep-learning libraries compute exactly this (a cross-correlation: the filter is not flipped).`
        : `Conv2d on ${backend} gave ${Array.from(values, (v) => fmt(v)).join(', ')}: different from the hand method!`;
    } catch (error) {
      showError(error, 'Conv2d check');
    } finally {
      conv.dispose();
    }
  }

  function paddedInput(): number[][] {
    const x = input.values();
    const p = Number(padding.value);
    if (p === 0) return x;
    const w = x[0].length + 2 * p;
    return [
      ...Array.from({ length: p }, () => new Array(w).fill(0)),
      ...x.map((row) => [...new Array(p).fill(0), ...row, ...new Array(p).fill(0)]),
      ...Array.from({ length: p }, () => new Array(w).fill(0)),
    ];
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
      const padded = paddedInput();
      const cells: [number, number][] = [];
      const terms: string[] = [];
      const prods = k.map((row, a) =>
        row.map((kv, b) => {
          const r = current.r * s + a;
          const c = current.c * s + b;
          cells.push([r - p, c - p]);
          const xv = padded[r][c];
          terms.push(`${fmt(xv)}·${fmt(kv)}`);
          return xv * kv;
        }),
      );
      input.mark(cells, 'window');
      products.setValues(prods);
      products.clearMarks();
      sumLine.textContent = `${terms.join(' + ')} = ${fmt(convOut[current.r][current.c])}`;
      poolLine.textContent = '';
    } else {
      const size = Number(poolSize.value);
      const step = size === 2 ? 2 : 1;
      const x = poolIn.values();
      const cells: [number, number][] = [];
      let best: [number, number] = [current.r * step, current.c * step];
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          const r = current.r * step + a;
          const c = current.c * step + b;
          cells.push([r, c]);
          if (x[r][c] > x[best[0]][best[1]]) best = [r, c];
        }
      }
      poolIn.mark(cells, 'window');
      poolIn.mark([best], 'max');
      poolLine.textContent = `max(${cells.map(([r, c]) => fmt(x[r][c])).join(', ')}) = ${fmt(poolOut[current.r][current.c])}`;
      sumLine.textContent = 'Convolution done.';
    }
  }

  async function rewind(): Promise<void> {
    await run?.stop();
    run = null;
    shown = -1;
    controls.setState('idle');
    render();
  }

  async function stepOnce(): Promise<void> {
    if (run?.state === 'running') run.pause();
    if (shown < frames.length - 1) shown += 1;
    render();
  }

  function startRun(): void {
    if (run?.isPaused) {
      run.resume();
      return;
    }
    if (run?.state === 'running') return;
    if (shown >= frames.length - 1) shown = -1;
    run = new Run(
      async (self) => {
        while (shown < frames.length - 1) {
          shown += 1;
          render();
          const until = performance.now() + speed.value;
          while (performance.now() < until) {
            if (!(await self.checkpoint(true))) return;
          }
        }
      },
      (state, error) => {
        controls.setState(state);
        if (error) showError(error, 'animation');
      },
    );
  }

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

  recompute();

  return async () => {
    checkToken++;
    await run?.stop();
  };
}
