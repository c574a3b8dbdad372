import { getTestFunction, type TestFunction, testFunctions } from '@descent/datasets';
import { Generator } from '@descent/tensor';
import { lineChart, throttledRender } from '../ui/charts';
import { button, checkbox, numberField, readout, selectField, slider } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { runControls } from '../ui/run-controls';
import { ContourPanel } from './descent-contour';
import { minibatchPanel } from './descent-minibatch';
import {
  disposeRunner,
  optimizerKinds as kinds,
  lagNotes,
  makeRunner,
  type Runner,
  rateFor,
  stepRunner,
} from './descent-recipe';
import { type PageContext, pageHeader, panel } from './page';

export function mount({ root, page }: PageContext) {
  const names = Object.keys(testFunctions);
  let fn: TestFunction = getTestFunction('rosenbrock');
  let start: [number, number] = [...fn.defaultStart];
  let runners: Runner[] = [];
  let step = 0;
  const active = new Set(kinds.map((k) => k.key));

  const fnSelect = selectField({
    label: 'Function',
    value: fn.name,
    options: names.map((n) => ({ value: n, label: getTestFunction(n).name })),
    testId: 'function',
    onChange: (name) => {
      fn = getTestFunction(name);
      start = [...fn.defaultStart];
      showStart();
      void trainer.reset();
    },
  });
  // Each optimizer runs at the rate that suits it on this function (descent-recipe.ts); the
  // slider scales all four together.
  const lr = slider({
    label: 'Learning rate × (each optimizer’s own rate)',
    value: 1,
    min: 0.01,
    max: 10,
    scale: 'log',
    testId: 'lr',
    onInput: (v) => {
      for (const r of runners) r.optimizer.lr = rateFor(fn.name, r.kind.key, v);
      showRates();
    },
  });
  const rates = h('p', { class: 'note', attrs: { 'data-testid': 'rates' } });
  const speed = slider({ label: 'Steps per frame', value: 4, min: 1, max: 50 });
  const maxSteps = numberField({ label: 'Stop after steps', value: 1500, min: 1, max: 100000 });
  const startX = numberField({
    label: 'Start x',
    value: start[0],
    step: 0.1,
    onChange: () => setStartFromInputs(),
  });
  const startY = numberField({
    label: 'Start y',
    value: start[1],
    step: 0.1,
    onChange: () => setStartFromInputs(),
  });
  const checks = kinds.map((k) =>
    checkbox({
      label: k.label,
      checked: true,
      swatch: k.color,
      onChange: (on) => {
        if (on) active.add(k.key);
        else active.delete(k.key);
        drawAll();
      },
    }),
  );
  const controls = runControls({
    extra: [button('Random start', () => randomStart(), { testId: 'random-start' })],
  });
  const stepReadout = readout('Step', 'step');
  const lossReadouts = kinds.map((k) => readout(`f · ${k.label}`, `loss-${k.key}`));
  const formula = h('p', { class: 'note' });
  const minibatch = minibatchPanel(page);

  const contours = kinds.map(
    (k) =>
      new ContourPanel(k.label, k.color, (x, y) => {
        start = [x, y];
        showStart();
        // A click on a map starts the run from there (the map's label says so).
        void trainer.reset().then(() => trainer.start());
      }),
  );
  const lossBox = h('div', { class: 'chart' });
  const lossChart = throttledRender(lossBox, () => {
    const shown = runners.filter((r) => active.has(r.kind.key));
    const logY = fn.name !== 'saddle';
    return lineChart(
      shown.map((r) => ({
        name: r.kind.label + (r.diverged ? ' (diverged)' : ''),
        color: r.kind.color,
        points: thin(r.losses).map(([i, y]) => ({ x: i, y: logY ? Math.max(y, 1e-12) : y })),
      })),
      { x: 'step', y: 'f(x, y)', logY, width: 760, height: 260 },
    );
  });

  root.append(
    pageHeader(
      2,
      'Gradient descent playground',
      'Four optimizers start from the same point and walk downhill on the same surface. Click a map to start them from that point (or type a start point and press Start); the dark valleys are low. Each optimizer runs at a rate that suits it.',
    ),
    h(
      'div',
      { class: 'toolbar' },
      fnSelect.el,
      lr.el,
      speed.el,
      maxSteps.el,
      startX.el,
      startY.el,
      h(
        'fieldset',
        { class: 'checks' },
        h('legend', { text: 'Optimizers' }),
        checks.map((c) => c.el),
      ),
    ),
    controls.el,
    h(
      'div',
      { class: 'readouts' },
      stepReadout.el,
      lossReadouts.map((r) => r.el),
    ),
    formula,
    rates,
    h(
      'div',
      { class: 'grid-4' },
      contours.map((c) => c.el),
    ),
    panel('Loss against step', lossBox),
    minibatch.el,
  );

  function setStartFromInputs(): void {
    const [x0, x1] = fn.domain.x;
    const [y0, y1] = fn.domain.y;
    start = [Math.min(x1, Math.max(x0, startX.value)), Math.min(y1, Math.max(y0, startY.value))];
    void trainer.reset();
  }

  function randomStart(): void {
    const rng = new Generator(controls.seed + step);
    const [x0, x1] = fn.domain.x;
    const [y0, y1] = fn.domain.y;
    start = [x0 + (x1 - x0) * rng.uniform(), y0 + (y1 - y0) * rng.uniform()];
    showStart();
    void trainer.reset();
  }

  function showStart(): void {
    startX.input.value = fmt(start[0], 3);
    startY.input.value = fmt(start[1], 3);
  }

  function showRates(): void {
    const lags = Object.values(lagNotes[fn.name] ?? {});
    rates.textContent = `Learning rates: ${kinds.map((k) => `${k.label} ${fmt(rateFor(fn.name, k.key, lr.value), 3)}`).join(', ')}, each the rate that suits it here${lr.value === 1 ? '' : ` × ${fmt(lr.value, 3)}`}. ${lags.join(' ')}`;
  }

  function disposeRunners(): void {
    for (const r of runners) disposeRunner(r);
    runners = [];
  }

  function buildRunners(): void {
    disposeRunners();
    runners = kinds.map((kind) => makeRunner(kind, fn, start, rateFor(fn.name, kind.key, lr.value)));
    step = 0;
  }

  function drawAll(): void {
    contours.forEach((c, i) => {
      c.el.hidden = !active.has(kinds[i].key);
      const r = runners[i];
      if (r) c.setPath(r.path, r.diverged);
    });
    stepReadout.set(step);
    runners.forEach((r, i) => {
      lossReadouts[i].set(r.diverged ? 'diverged' : r.losses[r.losses.length - 1]);
    });
    lossChart.request();
  }

  function reset(): void {
    buildRunners();
    formula.textContent = `f(x, y) = ${fn.formula}. Minima: ${fn.minima.map((m) => `(${m.map((v) => fmt(v, 3)).join(', ')})`).join(', ') || 'none (unbounded below)'}.`;
    showRates();
    for (const c of contours) c.setFunction(fn, start);
    drawAll();
    lossChart.flush();
  }

  /** One optimizer step for each active runner. */
  async function stepAll(): Promise<void> {
    await Promise.all(runners.filter((r) => active.has(r.kind.key)).map((r) => stepRunner(r, fn)));
    step += 1;
  }

  const trainer = page.trainer(
    {
      doing: 'gradient descent',
      reset,
      prepare: () => {
        if (step >= maxSteps.value) buildRunners();
      },
      train: async (run) => {
        while (step < maxSteps.value && runners.some((r) => !r.diverged && active.has(r.kind.key))) {
          const k = Math.round(speed.value);
          for (let i = 0; i < k && step < maxSteps.value; i++) await stepAll();
          drawAll();
          if (!(await run.checkpoint(true))) return;
        }
        drawAll();
        lossChart.flush();
      },
    },
    controls,
  );
  page.onLeave(() => {
    lossChart.cancel();
    disposeRunners();
  });
  void trainer.reset();
}

/** At most ~400 points per line: the chart stays fast on long runs. */
function thin(values: number[]): [number, number][] {
  const every = Math.max(1, Math.ceil(values.length / 400));
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i += every) out.push([i, values[i]]);
  if ((values.length - 1) % every !== 0) out.push([values.length - 1, values[values.length - 1]]);
  return out;
}
