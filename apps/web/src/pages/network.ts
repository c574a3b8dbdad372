import { dosage } from '@descent/datasets';
import type { Linear, Sequential } from '@descent/layers';
import { mlp } from '@descent/layers';
import { bceWithLogits, mse } from '@descent/losses';
import { SGD } from '@descent/optim';
import { tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace } from '../lib/read';
import { legend, lineChart, palette, throttledRender } from '../ui/charts';
import { button, numberField, readout, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { showError } from '../ui/notices';
import { Run } from '../ui/run';
import { runControls } from '../ui/run-controls';
import { costTable, parametersPanel } from './network-costs';
import { networkDiagram } from './network-diagram';
import { type PageContext, pageHeader, panel } from './page';

const patients = ['Low', 'Medium', 'High'];
const GRID = 101;

interface Curves {
  dose: number[];
  upper: number[];
  lower: number[];
  bias: number;
  sum: number[];
}

export function mount({ root }: PageContext) {
  const data = dosage();
  const x = tf.tensor2d(data.X.data, [data.X.rows, 1]);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  const grid = tf.tensor2d(linspace(0, 1, GRID), [GRID, 1]);
  let model: Sequential | null = null;
  let optimizer: SGD | null = null;
  let run: Run | null = null;
  let step = 0;
  let losses: { x: number; y: number }[] = [];

  const lr = slider({
    label: 'Learning rate',
    value: 0.1,
    min: 0.001,
    max: 1,
    scale: 'log',
    testId: 'lr',
    onInput: (v) => {
      if (optimizer) optimizer.lr = v;
    },
  });
  const speed = slider({ label: 'Steps per frame', value: 20, min: 1, max: 200 });
  const maxSteps = numberField({
    label: 'Stop after steps',
    value: 3000,
    min: 1,
    max: 1e6,
    testId: 'max-steps',
  });
  const controls = runControls({
    seed: 5,
    onStart: () => void startRun(),
    onPause: () => run?.pause(),
    onReset: () => void reset(),
    extra: [
      button('Step ×10', () => void manualSteps(10), {
        testId: 'step10',
        title: 'Ten gradient-descent steps, then stop',
      }),
    ],
  });
  const stepOut = readout('Step', 'step');
  const mseOut = readout('MSE', 'mse');
  const bceOut = readout('BCE', 'bce');
  const curvesBox = h('div');
  const lossBox = h('div');
  const diagramBox = h('div');
  const tableBody = h('tbody');
  let curves: Curves | null = null;
  const curveLegend = legend([
    { name: 'upper path', color: palette.blue },
    { name: 'lower path', color: palette.orange, dash: '6,3' },
    { name: 'bias', color: palette.purple, dash: '2,3' },
    { name: 'sum = prediction', color: palette.black },
    { name: 'patients', color: palette.vermillion, symbol: 'dot' },
  ]);

  const parameters = parametersPanel(() => [
    ['learning rate', String(lr.value)],
    ['steps', `stop after ${maxSteps.value}`],
    ['architecture', '1 input → 2 softplus neurons → 1 output'],
    ['loss', 'MSE'],
    ['optimizer', 'plain gradient descent (new = old − lr × slope)'],
    ['seed', String(controls.seed)],
  ]);
  const curvesChart = throttledRender(curvesBox, () => (curves ? drawCurves(curves) : null), 50);
  const lossChart = throttledRender(lossBox, () =>
    lineChart([{ name: 'MSE', points: losses, color: palette.black }], {
      x: 'step',
      y: 'MSE',
      logY: true,
      width: 420,
      height: 220,
    }),
  );

  root.append(
    pageHeader(
      3,
      'A neural network at work',
      'Three patients: a low, a medium and a high dosage, and only the medium one works. A line cannot fit that. One input, two softplus neurons and one output can: efficacy = upper path + lower path + bias. Press Start and watch gradient descent bend the two paths into a bump.',
    ),
    h('div', { class: 'toolbar' }, lr.el, speed.el, maxSteps.el),
    controls.el,
    h('div', { class: 'readouts' }, stepOut.el, mseOut.el, bceOut.el),
    h(
      'div',
      { class: 'grid-2' },
      panel('Upper path + lower path + bias = efficacy', curvesBox),
      panel(
        'The network',
        diagramBox,
        h(
          'div',
          { class: 'scroll-x' },
          h(
            'table',
            { class: 'data', attrs: { 'data-testid': 'patients' } },
            h('caption', { text: 'The three patients' }),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Patient', 'Dosage', 'Efficacy', 'Prediction', 'Squared error'].map((t) =>
                  h('th', { text: t, attrs: { scope: 'col' } }),
                ),
              ),
            ),
            tableBody,
          ),
        ),
        h(
          'p',
          { class: 'note' },
          'MSE = mean of (efficacy − prediction)². BCE = −mean of [y·log p + (1 − y)·log(1 − p)], with predictions clipped to [10⁻⁷, 1 − 10⁻⁷] because BCE needs probabilities. The network trains on MSE.',
        ),
      ),
      panel('Loss against step', lossBox),
      parameters.el,
    ),
    costTable(),
  );

  function drawCurves(c: Curves): HTMLElement {
    const rows = (name: string, values: number[]) => values.map((v, i) => ({ dose: c.dose[i], v, name }));
    const points = Array.from(data.X.data, (d, i) => ({ dose: d, v: data.y[i], name: patients[i] }));
    const low = Math.min(-0.2, ...c.upper, ...c.lower, ...c.sum, c.bias);
    const high = Math.max(1.15, ...c.upper, ...c.lower, ...c.sum, c.bias);
    const figure = h('figure', { class: 'chart' }, curveLegend);
    const chart = Plot.plot({
      width: 520,
      height: 320,
      style: { background: 'transparent', fontSize: '12px' },
      x: { label: 'dosage', domain: [0, 1] },
      y: { label: 'efficacy', grid: true, domain: [low, high] },
      marks: [
        Plot.ruleY([0], { stroke: '#999' }),
        Plot.line(rows('upper path', c.upper), { x: 'dose', y: 'v', stroke: palette.blue, strokeWidth: 2 }),
        Plot.line(rows('lower path', c.lower), {
          x: 'dose',
          y: 'v',
          stroke: palette.orange,
          strokeWidth: 2,
          strokeDasharray: '6,3',
        }),
        Plot.ruleY([c.bias], { stroke: palette.purple, strokeWidth: 2, strokeDasharray: '2,3' }),
        Plot.line(rows('sum', c.sum), { x: 'dose', y: 'v', stroke: palette.black, strokeWidth: 3.5 }),
        Plot.dot(points, {
          x: 'dose',
          y: 'v',
          r: 7,
          fill: palette.vermillion,
          stroke: 'white',
          strokeWidth: 2,
        }),
        Plot.text(points, {
          x: 'dose',
          y: 'v',
          text: 'name',
          dy: -14,
          fill: palette.vermillion,
          fontWeight: 700,
        }),
      ],
    });
    figure.append(chart);
    return figure;
  }

  /** The paths as the network computes them: the hidden layer's softplus times each output weight. */
  async function update(): Promise<void> {
    if (!model) return;
    const m = model;
    const first = m.at(0) as Linear;
    const output = m.at(2) as Linear;
    // Copies of everything read, so a training step that reassigns the weights meanwhile
    // cannot free what an asynchronous read is still waiting for.
    const tensors = tf.tidy(() => {
      const a = m.at(1).forward(first.forward(grid)); // [GRID, 2]
      const p = m.forward(x);
      // BCE of the clipped predictions, computed as bceWithLogits of their log-odds (the same
      // number): its only value check reads a target made fresh on the host, whereas bce's
      // check reads the predictions back synchronously, which WebGPU cannot do reliably.
      const pc = tf.clipByValue(p, 1e-7, 1 - 1e-7);
      const target = tf.tensor2d(data.y, [data.y.length, 1]);
      return [
        a,
        m.forward(grid),
        p,
        mse(p, y),
        bceWithLogits(tf.sub(tf.log(pc), tf.log1p(tf.neg(pc))), target),
        tf.clone(first.weight.value),
        tf.clone(first.bias!.value),
        tf.clone(output.weight.value),
        tf.clone(output.bias!.value),
      ];
    });
    const [a, s, p, msev, bcev, w1, b1, w2, b2] = await Promise.all(tensors.map((t) => t.data()));
    tf.dispose(tensors);
    if (m !== model) return;
    curves = {
      dose: Array.from({ length: GRID }, (_, i) => i / (GRID - 1)),
      upper: Array.from({ length: GRID }, (_, i) => a[2 * i] * w2[0]),
      lower: Array.from({ length: GRID }, (_, i) => a[2 * i + 1] * w2[1]),
      bias: b2[0],
      sum: Array.from(s),
    };
    stepOut.set(step);
    mseOut.set(msev[0]);
    bceOut.set(bcev[0]);
    if (losses.length === 0 || losses[losses.length - 1].x !== step) losses.push({ x: step, y: msev[0] });
    tableBody.replaceChildren(
      ...patients.map((name, i) =>
        h(
          'tr',
          {},
          h('th', { text: name, attrs: { scope: 'row' } }),
          h('td', { text: fmt(data.X.data[i]) }),
          h('td', { text: fmt(data.y[i]) }),
          h('td', { text: p[i].toFixed(3), dataset: { value: String(p[i]) } }),
          h('td', { text: ((p[i] - data.y[i]) ** 2).toFixed(4) }),
        ),
      ),
    );
    parameters.show({ w1: [w1[0], w1[1]], b1: [b1[0], b1[1]], w2: [w2[0], w2[1]], b2: b2[0] });
    diagramBox.replaceChildren(
      networkDiagram({ w1: [w1[0], w1[1]], b1: [b1[0], b1[1]], w2: [w2[0], w2[1]], b2: b2[0] }),
    );
    curvesChart.request();
    lossChart.request();
  }

  /** One step of plain gradient descent on the MSE: new = old − lr × slope, for every weight. */
  function trainStep(): void {
    if (!model || !optimizer) return;
    const m = model;
    const variables = m.trainableParameters().map((p) => p.variable);
    const { value, grads } = tf.variableGrads(() => mse(m.forward(x), y) as tf.Scalar, variables);
    optimizer.step(grads);
    tf.dispose([value, ...Object.values(grads)]);
    step += 1;
  }

  function disposeModel(): void {
    optimizer?.dispose();
    model?.dispose();
    optimizer = null;
    model = null;
  }

  async function reset(): Promise<void> {
    await run?.stop();
    run = null;
    disposeModel();
    model = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: controls.seed });
    optimizer = new SGD(model.trainableParameters(), { lr: lr.value });
    step = 0;
    losses = [];
    controls.setState('idle');
    await update();
    curvesChart.flush();
    lossChart.flush();
  }

  async function startRun(): Promise<void> {
    if (run?.isPaused) {
      run.resume();
      return;
    }
    if (run?.state === 'running') return;
    if (!model || step >= maxSteps.value) await reset();
    run = new Run(
      async (self) => {
        while (step < maxSteps.value) {
          const k = Math.min(Math.round(speed.value), maxSteps.value - step);
          for (let i = 0; i < k; i++) trainStep();
          await update();
          if (!(await self.checkpoint(true))) return;
        }
      },
      (state, error) => {
        controls.setState(state);
        if (error) showError(error, 'training');
      },
    );
  }

  async function manualSteps(n: number): Promise<void> {
    if (run?.state === 'running') run.pause();
    for (let i = 0; i < n; i++) trainStep();
    await update();
    curvesChart.flush();
    lossChart.flush();
  }

  void reset().catch((error) => showError(error, 'building the network'));

  return async () => {
    await run?.stop();
    curvesChart.cancel();
    lossChart.cancel();
    disposeModel();
    tf.dispose([x, y, grid]);
  };
}
