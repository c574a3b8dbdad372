import type { Sequential } from '@descent/layers';
import { mse } from '@descent/losses';
import { tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace, read } from '../lib/read';
import { legend, palette, throttledRender } from '../ui/charts';
import { readout, selectField } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import {
  bump,
  disposeStack,
  makeStack,
  multiplyOut,
  type Stack,
  type StackActivation,
  trainStep,
  tricksSteps,
} from './tricks-recipe';
import { DrunkWalk } from './tricks-walk';

const GRID = 81;

interface Fit extends Stack {
  name: string;
  color: string;
  dash: string;
  curve: number[];
  loss: number;
}

export function mount({ root, page }: PageContext) {
  let fits: Fit[] = [];
  let step = 0;
  let { data, x, y } = bump(1);
  const grid = tf.tensor2d(linspace(0, 1, GRID), [GRID, 1]);

  const activation = selectField<'relu' | 'tanh' | 'sigmoid'>({
    label: 'Activation for the second network',
    value: 'relu',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
      { value: 'sigmoid', label: 'sigmoid' },
    ],
    onChange: () => void trainer.reset(),
  });
  const walk = new DrunkWalk();
  const controls = runControls();
  const stepOut = readout('Step', 'step');
  const linearOut = readout('MSE · linear layers only', 'loss-linear');
  const nonlinearOut = readout('MSE · with activation', 'loss');
  const collapse = h('p', { class: 'note', attrs: { 'data-testid': 'collapse' } });
  const fitBox = h('div');
  const fitChart = throttledRender(fitBox, () => drawFits(), 60);

  root.append(
    pageHeader(
      1,
      'Two tricks',
      'Deep learning rests on two ideas. Stack layers, with a non-linear activation between them, and the network can bend to any shape. Then let gradient descent find the weights, one small step downhill at a time.',
    ),
    controls.el,
    h('div', { class: 'readouts' }, stepOut.el, linearOut.el, nonlinearOut.el),
    h(
      'div',
      { class: 'grid-2' },
      panel(
        'Trick 1: stacking layers (and why they need an activation)',
        h('p', {
          class: 'note',
          text: 'Two networks of the same size, 1 → 8 → 8 → 1, fit the same noisy bump. The first stacks linear layers only: a line of a line is a line, so it can never bend. The second puts an activation between the layers.',
        }),
        h('div', { class: 'toolbar' }, activation.el),
        fitBox,
        collapse,
      ),
      panel(
        'Trick 2: gradient descent, the drunk man walking downhill',
        h('p', {
          class: 'note',
          text: 'He cannot see the valley; he only feels the slope under his feet and staggers that way, a step the size of the learning rate. Some noise in every step (as with mini-batches) can shake him out of a small dip.',
        }),
        walk.el,
      ),
    ),
  );

  function drawFits(): HTMLElement {
    const dose = Array.from({ length: GRID }, (_, i) => i / (GRID - 1));
    const points = Array.from(data.X.data, (d, i) => ({ d, e: data.y[i] }));
    const marks: Plot.Markish[] = [
      Plot.dot(points, { x: 'd', y: 'e', r: 3, fill: '#888', fillOpacity: 0.7 }),
      ...fits.map((f) =>
        Plot.line(
          f.curve.map((v, i) => ({ d: dose[i], v })),
          { x: 'd', y: 'v', stroke: f.color, strokeWidth: 3, strokeDasharray: f.dash },
        ),
      ),
    ];
    return h(
      'figure',
      { class: 'chart' },
      legend([
        ...fits.map((f) => ({ name: f.name, color: f.color, dash: f.dash })),
        { name: 'patients (noisy)', color: '#888', symbol: 'dot' as const },
      ]),
      Plot.plot({
        ariaLabel: 'Efficacy against dosage: the noisy patients and each stack’s fitted curve',
        ariaDescription: fits
          .map((f) => `${f.name}: MSE ${Number.isFinite(f.loss) ? f.loss.toFixed(4) : 'not yet trained'}`)
          .join('; '),
        width: 520,
        height: 300,
        style: { background: 'transparent', fontSize: '12px' },
        x: { label: 'dosage', domain: [0, 1] },
        y: { label: 'efficacy', domain: [-0.4, 1.3], grid: true },
        marks,
      }),
    );
  }

  function disposeFits(): void {
    for (const f of fits) disposeStack(f);
    fits = [];
  }

  function makeFit(name: string, color: string, dash: string, act: StackActivation): Fit {
    return { name, color, dash, ...makeStack(act, controls.seed), curve: [], loss: Number.NaN };
  }

  async function showCollapse(model: Sequential): Promise<void> {
    const [k, b] = multiplyOut(model);
    const [kv, bv] = [(await read(k))[0], (await read(b))[0]];
    tf.dispose([k, b]);
    collapse.textContent = `The linear-only network, multiplied out: efficacy = ${fmt(kv, 3)} × dosage + ${fmt(bv, 3)}. Three layers, one line.`;
  }

  async function update(): Promise<void> {
    for (const f of fits) {
      const [curve, loss] = tf.tidy(() => [f.model.forward(grid), mse(f.model.forward(x), y)]);
      f.curve = Array.from(await read(curve));
      f.loss = (await read(loss))[0];
      tf.dispose([curve, loss]);
    }
    stepOut.set(step);
    linearOut.set(fits[0]?.loss ?? Number.NaN);
    nonlinearOut.set(fits[1]?.loss ?? Number.NaN);
    if (fits[0]) await showCollapse(fits[0].model);
    fitChart.request();
  }

  async function reset(): Promise<void> {
    disposeFits();
    tf.dispose([x, y]);
    ({ data, x, y } = bump(controls.seed));
    fits = [
      makeFit('linear layers only', palette.vermillion, '6,3', 'none'),
      makeFit(`with ${activation.value}`, palette.blue, '', activation.value),
    ];
    step = 0;
    await walk.reset(controls.seed);
    await update();
    fitChart.flush();
  }

  const trainer = page.trainer(
    {
      doing: 'training',
      resetting: 'building the networks',
      reset,
      prepare: async () => {
        if (step >= tricksSteps.total) await reset();
      },
      train: async (run) => {
        while (step < tricksSteps.total) {
          for (let i = 0; i < tricksSteps.perFrame; i++) {
            for (const f of fits) trainStep(f, x, y);
            step += 1;
          }
          await walk.step();
          await update();
          if (!(await run.checkpoint(true))) return;
        }
        fitChart.flush();
      },
    },
    controls,
  );
  page.onLeave(() => {
    fitChart.cancel();
    disposeFits();
    walk.dispose();
    tf.dispose([x, y, grid]);
  });
  void trainer.reset();
}
