import type { PenaltyName } from '@descent/losses';
import type { tf } from '@descent/tensor';
import { lineChart, palette, throttledRender } from '../ui/charts';
import { button, checkbox, readout, selectField, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { boundaryFigure, drawHeat, drawPoints, heatLegend, type MapPoint } from '../ui/heat-map';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import {
  DOMAIN,
  type FeatureName,
  featureLabels,
  featureNames,
  featureRows,
  gridPoints,
  isClassification,
  makePlaneData,
  type PlaneData,
  type SetName,
  setNames,
} from './playground-data';
import { networkView } from './playground-network';
import {
  defaultNet,
  limits,
  memorizePreset,
  type PlaygroundActivation,
  PlaygroundNet,
} from './playground-recipe';

/** Heat-map cells per side, and mini-batch steps between two frames of the boundary. */
const GRID = 40;
const STEPS_PER_FRAME = 5;
const BOUNDARY_PX = 360;

const setLabels: Record<SetName, string> = {
  circle: 'Circle (classes)',
  xor: 'XOR (classes)',
  gaussian: 'Two gaussians (classes)',
  spiral: 'Spiral (classes)',
  plane: 'Plane (regression)',
  bumps: 'Hill and pit (regression)',
};

export function mount({ root, page }: PageContext) {
  let data: PlaneData;
  let net: PlaygroundNet | null = null;
  let grid: tf.Tensor2D | null = null;
  let inputMaps: Float32Array[] = [];
  let history: { epoch: number; train: number; test: number }[] = [];
  let hidden = [...defaultNet.hidden];
  let frames = 0;

  // Settings change faster than a network rebuilds (a slider drag): rebuilds and steps queue up.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (task: () => Promise<void>) => {
    queue = queue.then(task, task);
  };
  const reset = () => serial(() => trainer.reset());
  const set = selectField<SetName>({
    label: 'Data set',
    value: 'circle',
    testId: 'set',
    options: setNames.map((s) => ({ value: s, label: setLabels[s] })),
    onChange: reset,
  });
  const noise = slider({
    label: 'Noise',
    value: 0.1,
    min: 0,
    max: 0.5,
    step: 0.05,
    testId: 'noise',
    onInput: reset,
  });
  const ratio = slider({
    label: 'Train share',
    value: 0.5,
    min: 0.1,
    max: 0.9,
    step: 0.1,
    format: (v) => `${Math.round(v * 100)} %`,
    testId: 'train-ratio',
    onInput: reset,
  });
  const batch = slider({ label: 'Batch size', value: 10, min: 1, max: 30, testId: 'batch', onInput: live });
  const featureBoxes = featureNames.map((f) => ({
    f,
    box: checkbox({ label: featureLabels[f], checked: defaultNet.features.includes(f), onChange: reset }),
  }));
  const activation = selectField<PlaygroundActivation>({
    label: 'Activation',
    value: defaultNet.activation,
    testId: 'activation',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
      { value: 'sigmoid', label: 'sigmoid' },
      { value: 'none', label: 'linear' },
    ],
    onChange: reset,
  });
  const lr = selectField<string>({
    label: 'Learning rate',
    value: String(defaultNet.lr),
    testId: 'lr',
    options: ['0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3'].map((v) => ({ value: v, label: v })),
    onChange: live,
  });
  const regularization = selectField<PenaltyName>({
    label: 'Regularization',
    value: 'none',
    testId: 'regularization',
    options: [
      { value: 'none', label: 'none' },
      { value: 'l1', label: 'L1' },
      { value: 'l2', label: 'L2' },
    ],
    onChange: live,
  });
  const regRate = selectField<string>({
    label: 'Regularization rate',
    value: '0.001',
    testId: 'reg-rate',
    options: ['0', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3'].map((v) => ({ value: v, label: v })),
    onChange: live,
  });

  const stepButton = button('Step', () => serial(stepOnce), { testId: 'step', title: 'One mini-batch step' });
  const preset = button('Preset: memorizing', () => applyMemorize(), {
    testId: 'preset-memorize',
    title: 'Few noisy training points and a big network: watch the test loss rise',
  });
  const controls = runControls({ extra: [stepButton, preset] });
  const epochOut = readout('Epoch', 'epoch');
  const trainOut = readout('Train loss', 'train-loss');
  const testOut = readout('Test loss', 'test-loss');
  const accOut = readout('Test accuracy', 'test-accuracy');

  const network = networkView({
    gridSize: GRID,
    limits,
    onShape: (next) => {
      hidden = next;
      reset();
    },
  });
  const boundary = boundaryFigure({
    size: GRID,
    px: BOUNDARY_PX,
    label:
      'Decision boundary: the network output over the square, with training points (white ring) and test points (dark ring)',
    testId: 'boundary',
  });
  const legendBox = h('div');
  const lossBox = h('div', {
    attrs: { role: 'img', 'aria-label': 'Train and test loss by epoch', 'aria-describedby': 'loss-summary' },
  });
  const lossSummary = h('p', { class: 'note chart-summary', attrs: { id: 'loss-summary' } });
  const lossChart = throttledRender(lossBox, () => drawLoss(), 500);
  const lesson = h('p', { class: 'note', attrs: { 'data-testid': 'lesson' } });

  root.append(
    pageHeader(
      10,
      'Playground',
      'A small network learns to separate two classes, or to fit a surface, in the plane. Pick the data and the input features, add or remove layers and neurons with − and +, and watch each neuron and the decision boundary change as it trains.',
    ),
    controls.el,
    h('div', { class: 'readouts' }, epochOut.el, trainOut.el, testOut.el, accOut.el),
    h(
      'div',
      { class: 'playground' },
      panel(
        'Data',
        set.el,
        noise.el,
        ratio.el,
        batch.el,
        h('p', {
          class: 'note',
          text: 'The train share is how many of the 300 points the network learns from; the rest test it. Few training points and much noise invite it to memorize.',
        }),
      ),
      panel(
        'Features and network',
        h(
          'fieldset',
          { class: 'checks' },
          h('legend', { text: 'Input features' }),
          featureBoxes.map((b) => b.box.el),
        ),
        h('div', { class: 'toolbar' }, activation.el, lr.el, regularization.el, regRate.el),
        network.layerBar,
        network.el,
        network.summary,
      ),
      h(
        'section',
        { class: 'panel playground-output', attrs: { 'aria-label': 'Output' } },
        h('h2', { text: 'Output' }),
        boundary.el,
        legendBox,
        boundary.summary,
        lossBox,
        lossSummary,
        lesson,
      ),
    ),
  );

  function features(): FeatureName[] {
    return featureBoxes.filter((b) => b.box.input.checked).map((b) => b.f);
  }

  function settings() {
    return {
      features: features(),
      hidden: [...hidden],
      activation: activation.value,
      lr: Number(lr.value),
      batchSize: batch.value,
      regularization: regularization.value,
      regRate: Number(regRate.value),
      seed: controls.seed,
    };
  }

  /** Learning rate, batch size and regularization apply to the run in progress. */
  function live(): void {
    if (!net) return;
    const s = settings();
    net.optimizer.lr = s.lr;
    Object.assign(net.settings, {
      batchSize: s.batchSize,
      regularization: s.regularization,
      regRate: s.regRate,
    });
  }

  function applyMemorize(): void {
    set.value = memorizePreset.data.set;
    noise.value = memorizePreset.data.noise;
    ratio.value = memorizePreset.data.trainRatio;
    for (const b of featureBoxes) b.box.input.checked = memorizePreset.net.features.includes(b.f);
    hidden = [...memorizePreset.net.hidden];
    activation.value = memorizePreset.net.activation;
    lr.value = String(memorizePreset.net.lr);
    batch.value = memorizePreset.net.batchSize;
    regularization.value = memorizePreset.net.regularization;
    reset();
  }

  function drawLoss(): Node {
    const points = (key: 'train' | 'test') => history.map((p) => ({ x: p.epoch, y: p[key] }));
    return lineChart(
      [
        { name: 'train loss', points: points('train'), color: palette.blue },
        { name: 'test loss', points: points('test'), color: palette.vermillion, dash: '6,3' },
      ],
      { x: 'epoch', y: 'loss', width: BOUNDARY_PX, height: 170 },
    );
  }

  function pointsOnMap(): MapPoint[] {
    const classes = data.task === 'binary';
    const toMap = (side: PlaneData['train'], test: boolean) =>
      Array.from(side.y, (y, i) => ({
        u: (side.points[2 * i] + DOMAIN) / (2 * DOMAIN),
        v: (DOMAIN - side.points[2 * i + 1]) / (2 * DOMAIN),
        value: classes ? 2 * y - 1 : y,
        test,
      }));
    return [...toMap(data.train, false), ...toMap(data.test, true)];
  }

  /** Reads the network back and redraws everything that shows it. */
  async function show(): Promise<void> {
    if (!net || !grid) return;
    const [outputs, losses, weights] = [await net.gridOutputs(grid), await net.losses(), await net.weights()];
    const classes = data.task === 'binary';
    if (classes) drawHeat(boundary.heat, outputs.output, 0, 1);
    else drawHeat(boundary.heat, outputs.output);
    network.paint(inputMaps, outputs, weights, classes);
    frames += 1;
    boundary.el.dataset.frames = String(frames);
    boundary.el.dataset.epoch = String(net.epochs);
    const epoch = net.epochs;
    history.push({ epoch, train: losses.train, test: losses.test });
    if (history.length > 600) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    epochOut.set(epoch.toFixed(1));
    trainOut.set(losses.train);
    testOut.set(losses.test);
    const testAcc = losses.testAccuracy;
    accOut.set(classes ? `${Math.round(testAcc * 100)} %` : '–');
    boundary.summary.textContent = classes
      ? `After ${fmt(epoch, 3)} epochs the network puts ${Math.round(testAcc * 100)} % of the ${data.test.y.length} test points on their class's side (blue: class 1, orange: class 0; paler where it is unsure).`
      : `After ${fmt(epoch, 3)} epochs: the network's surface, blue high and orange low, over the ${data.train.y.length} training and ${data.test.y.length} test points.`;
    lossSummary.textContent = `Train loss ${fmt(losses.train, 3)}, test loss ${fmt(losses.test, 3)}; lowest test loss so far ${fmt(
      Math.min(...history.map((p) => p.test)),
      3,
    )}.`;
    lesson.textContent = memorizing()
      ? 'The test loss is rising while the train loss falls: the network is memorizing the training points, noise and all, instead of learning the pattern. More data, fewer neurons or L2 regularization help.'
      : '';
    lossChart.request();
  }

  /** Test loss up by a tenth from its lowest, train loss still going down. */
  function memorizing(): boolean {
    if (history.length < 10) return false;
    const best = Math.min(...history.map((p) => p.test));
    const [before, now] = [history[history.length - 10], history[history.length - 1]];
    return now.test > best + 0.1 && now.test > before.test && now.train < before.train;
  }

  async function rebuild(): Promise<void> {
    net?.dispose();
    grid?.dispose();
    net = null;
    grid = null;
    let chosen = features();
    if (chosen.length === 0) {
      featureBoxes[0].box.input.checked = true;
      chosen = features();
    }
    data = makePlaneData({
      set: set.value,
      noise: noise.value,
      trainRatio: ratio.value,
      seed: controls.seed,
    });
    net = new PlaygroundNet(data, settings());
    const cells = gridPoints(GRID);
    grid = net.inputs(featureRows(cells, chosen));
    inputMaps = chosen.map((f) => {
      const col = featureRows(cells, [f]);
      return col;
    });
    history = [];
    legendBox.replaceChildren(
      isClassification(set.value) ? heatLegend('class 0', 'class 1') : heatLegend('low (−1)', 'high (+1)'),
    );
    network.setShape({ features: chosen, hidden });
    drawPoints(boundary.dots, pointsOnMap());
    await show();
    lossChart.flush();
  }

  async function stepOnce(): Promise<void> {
    if (!net || trainer.state === 'running') return;
    net.step();
    await show();
  }

  const trainer = page.trainer(
    {
      doing: 'training',
      resetting: 'building the network',
      reset: rebuild,
      train: async (run) => {
        while (net) {
          for (let i = 0; i < STEPS_PER_FRAME; i++) net.step();
          await show();
          if (!(await run.checkpoint(true))) return;
        }
      },
    },
    controls,
  );
  page.onLeave(() => {
    lossChart.cancel();
    net?.dispose();
    grid?.dispose();
    net = null;
    grid = null;
  });
  reset();
}
