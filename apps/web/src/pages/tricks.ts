import { dosageNoisy } from '@descent/datasets';
import type { Linear, Sequential } from '@descent/layers';
import { mlp } from '@descent/layers';
import { mse } from '@descent/losses';
import { Adam } from '@descent/optim';
import { tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace, read } from '../lib/read';
import { legend, palette, throttledRender } from '../ui/charts';
import { readout, selectField } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { showError } from '../ui/notices';
import { Run } from '../ui/run';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import { DrunkWalk } from './tricks-walk';

const GRID = 81;

interface Fit {
  name: string;
  color: string;
  dash: string;
  model: Sequential;
  optimizer: Adam;
  curve: number[];
  loss: number;
}

export function mount({ root }: PageContext) {
  let run: Run | null = null;
  let fits: Fit[] = [];
  let step = 0;
  let data = dosageNoisy({ n: 60, noise: 0.05, seed: 1 });
  let x = tf.tensor2d(data.X.data, [data.X.rows, 1]);
  let y = tf.tensor2d(data.y, [data.y.length, 1]);
  const grid = tf.tensor2d(linspace(0, 1, GRID), [GRID, 1]);

  const activation = selectField<'relu' | 'tanh' | 'sigmoid'>({
    label: 'Activation for the second network',
    value: 'relu',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
      { value: 'sigmoid', label: 'sigmoid' },
    ],
    onChange: () => void reset(),
  });
  const walk = new DrunkWalk();
  const controls = runControls({
    onStart: () => void startRun(),
    onPause: () => run?.pause(),
    onReset: () => void reset(),
  });
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
    for (const f of fits) {
      f.optimizer.dispose();
      f.model.dispose();
    }
    fits = [];
  }

  function makeFit(
    name: string,
    color: string,
    dash: string,
    act: 'none' | 'relu' | 'tanh' | 'sigmoid',
  ): Fit {
    const model = mlp({ inputs: 1, hidden: [8, 8], outputs: 1, activation: act, seed: controls.seed });
    return {
      name,
      color,
      dash,
      model,
      optimizer: new Adam(model.trainableParameters(), { lr: 0.02 }),
      curve: [],
      loss: Number.NaN,
    };
  }

  /** The three linear layers multiplied out: y = (W3 W2 W1) x + (W3 (W2 b1 + b2) + b3). */
  async function showCollapse(model: Sequential): Promise<void> {
    const [l1, l2, l3] = model.layers as Linear[];
    const [k, b] = tf.tidy(() => {
      const w = tf.matMul(l3.weight.value, tf.matMul(l2.weight.value, l1.weight.value));
      const inner = tf.add(
        tf.matMul(l2.weight.value, l1.bias!.value.reshape([-1, 1])),
        l2.bias!.value.reshape([-1, 1]),
      );
      const bias = tf.add(tf.matMul(l3.weight.value, inner), l3.bias!.value.reshape([-1, 1]));
      return [w.reshape([1]), bias.reshape([1])];
    });
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

  function trainStep(): void {
    for (const f of fits) {
      const vars = f.model.trainableParameters().map((p) => p.variable);
      const { value, grads } = tf.variableGrads(() => mse(f.model.forward(x), y) as tf.Scalar, vars);
      f.optimizer.step(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    step += 1;
  }

  async function reset(): Promise<void> {
    await run?.stop();
    run = null;
    disposeFits();
    tf.dispose([x, y]);
    data = dosageNoisy({ n: 60, noise: 0.05, seed: controls.seed });
    x = tf.tensor2d(data.X.data, [data.X.rows, 1]);
    y = tf.tensor2d(data.y, [data.y.length, 1]);
    fits = [
      makeFit('linear layers only', palette.vermillion, '6,3', 'none'),
      makeFit(`with ${activation.value}`, palette.blue, '', activation.value),
    ];
    step = 0;
    await walk.reset(controls.seed);
    controls.setState('idle');
    await update();
    fitChart.flush();
  }

  async function startRun(): Promise<void> {
    if (run?.isPaused) {
      run.resume();
      return;
    }
    if (run?.state === 'running') return;
    if (step >= 600) await reset();
    run = new Run(
      async (self) => {
        while (step < 600) {
          for (let i = 0; i < 5; i++) trainStep();
          await walk.step();
          await update();
          if (!(await self.checkpoint(true))) return;
        }
        fitChart.flush();
      },
      (state, error) => {
        controls.setState(state);
        if (error) showError(error, 'training');
      },
    );
  }

  void reset().catch((error) => showError(error, 'building the networks'));

  return async () => {
    await run?.stop();
    fitChart.cancel();
    disposeFits();
    walk.dispose();
    tf.dispose([x, y, grid]);
  };
}
