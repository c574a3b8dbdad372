// The three small networks of bench/small-nets.mjs, as data both peers read: the inputs and
// targets (already scaled), the layer widths, activation, loss and recipe. descent and PyTorch
// train from the same rows, in the same batches' sizes, for the same number of steps.
import { dosage, moons, penguins, splitTable, trainTestSplit } from '@descent/datasets';
import { TabularPreprocessor } from '@descent/train';

/** @returns {{ name: string, X: number[], rows: number, cols: number, y: number[], hidden: number[], activation: string, loss: 'mse' | 'bce', lr: number, batch: number, epochs: number }[]} */
export function smallCases() {
  const d = dosage();
  const m = trainTestSplit(moons({ seed: 1 }), { testSize: 0.2, seed: 1 }).train;
  const table = penguins();
  const { target, features } = table.taskInfo;
  const split = splitTable(table, { testSize: 0.2, seed: 1, stratifyBy: target });
  const pre = TabularPreprocessor.create({ scale: 'standard', missing: 'error' }).fit(split.train, {
    target,
    features: features.filter((f) => f !== target),
  });
  const p = pre.transform(split.train);
  const plain = (a) => Array.from(a);
  return [
    // The course's 1-2-1 softplus net on its three patients: full batch, `descent train`'s data.
    {
      name: 'dosage 1-2-1',
      X: plain(d.X.data),
      rows: d.X.rows,
      cols: d.X.cols,
      y: plain(d.y),
      hidden: [2],
      activation: 'softplus',
      loss: 'mse',
      lr: 0.05,
      batch: d.X.rows,
      epochs: 3000,
    },
    // `descent train --dataset penguins` (its defaults: 7-32-16-1 ReLU, sigmoid output, BCE).
    {
      name: 'penguins 7-32-16-1',
      X: plain(p.X.data),
      rows: p.X.rows,
      cols: p.X.cols,
      y: plain(p.y),
      hidden: [32, 16],
      activation: 'relu',
      loss: 'bce',
      lr: 0.01,
      batch: 32,
      epochs: 50,
    },
    {
      name: 'moons 2-16-16-1',
      X: plain(m.X.data),
      rows: m.X.rows,
      cols: m.X.cols,
      y: plain(m.y),
      hidden: [16, 16],
      activation: 'relu',
      loss: 'bce',
      lr: 0.01,
      batch: 32,
      epochs: 100,
    },
  ];
}

/** Optimizer steps in one training run of a case. */
export const stepsOf = (c) => Math.ceil(c.rows / c.batch) * c.epochs;
