import { tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace } from '../lib/read';
import { legend, lineChart, palette, throttledRender } from '../ui/charts';
import { button, numberField, readout, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { runControls } from '../ui/run-controls';
import { costTable, parametersPanel } from './network-costs';
import { networkDiagram } from './network-diagram';
import {
  type DosageNet,
  dosageColumns,
  gradientStep,
  makeDosageNet,
  paths,
  readings,
} from './network-recipe';
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

export function mount({ root, page }: PageContext) {
  const { data, x, y } = dosageColumns();
  const grid = tf.tensor2d(linspace(0, 1, GRID), [GRID, 1]);
  let net: DosageNet | null = null;
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
      if (net) net.optimizer.lr = v;
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
      ariaLabel:
        'Efficacy against dosage: the upper path, the lower path, the bias and their sum, with the three patients',
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
    if (!net) return;
    const m = net;
    const tensors = readings(m.model, grid, x, y, data.y);
    const [a, s, p, msev, bcev, w1, b1, w2, b2] = await Promise.all(tensors.map((t) => t.data()));
    tf.dispose(tensors);
    if (m !== net) return;
    curves = {
      dose: Array.from({ length: GRID }, (_, i) => i / (GRID - 1)),
      ...paths(a, w2, b2[0], GRID),
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

  function trainStep(): void {
    if (!net) return;
    gradientStep(net, x, y);
    step += 1;
  }

  function disposeModel(): void {
    net?.optimizer.dispose();
    net?.model.dispose();
    net = null;
  }

  async function reset(): Promise<void> {
    disposeModel();
    net = makeDosageNet(controls.seed, lr.value);
    step = 0;
    losses = [];
    await update();
    curvesChart.flush();
    lossChart.flush();
  }

  const trainer = page.trainer(
    {
      doing: 'training',
      resetting: 'building the network',
      reset,
      prepare: async () => {
        if (!net || step >= maxSteps.value) await reset();
      },
      train: async (run) => {
        while (step < maxSteps.value) {
          const k = Math.min(Math.round(speed.value), maxSteps.value - step);
          for (let i = 0; i < k; i++) trainStep();
          await update();
          if (!(await run.checkpoint(true))) return;
        }
      },
    },
    controls,
  );

  async function manualSteps(n: number): Promise<void> {
    if (trainer.state === 'running') trainer.pause();
    for (let i = 0; i < n; i++) trainStep();
    await update();
    curvesChart.flush();
    lossChart.flush();
  }

  page.onLeave(() => {
    curvesChart.cancel();
    lossChart.cancel();
    disposeModel();
    tf.dispose([x, y, grid]);
  });
  void trainer.reset();
}
