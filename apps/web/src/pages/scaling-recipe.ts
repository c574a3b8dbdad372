import { getColumn, penguins, type Table } from '@descent/datasets';
import { MinMaxScaler, StandardScaler } from '@descent/scalers';
import type { EpochLogs, ScaleName } from '@descent/train';
import {
  makeTabularModel,
  prepareTabular,
  type TabularModel,
  type TabularOptimizerName,
  type TabularTask,
} from '../lib/tabular-task';

/** Page 4's recipe: the penguins three ways, and one network trained on each (no DOM). */

export const scalingFeatures = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

/** The measurements as rows (NaN where one is missing), and each bird's sex. */
export function penguinRows(table: Table = penguins()) {
  const rows = Array.from({ length: table.rows }, (_, i) =>
    scalingFeatures.map((f) => {
      const column = getColumn(table, f);
      return column.kind === 'numeric' ? column.values[i] : Number.NaN;
    }),
  );
  const sex = getColumn(table, 'sex');
  const sexOf = (i: number) => (sex.kind === 'categorical' ? sex.categories[sex.codes[i]] : '?');
  return { table, rows, sexOf };
}

/** The rows raw, standardized and min-max scaled: what the three panels plot. */
export function scaledViews(rows: number[][]) {
  return {
    raw: rows,
    standard: new StandardScaler().fit(rows).transform(rows),
    minmax: new MinMaxScaler().fit(rows).transform(rows),
  };
}

export interface ScalingTrial {
  scale: ScaleName;
  task: TabularTask;
  model: TabularModel;
  history: EpochLogs[];
  status: string;
}

/**
 * One 4 → 8 ReLU → 1 network per scaling, from the same seed (the same first weights), predicting
 * sex; each task fits its scaler on its training rows only.
 */
export function scalingTrials(
  table: Table,
  scales: ScaleName[],
  options: { seed: number; optimizer: TabularOptimizerName; lr: number },
): ScalingTrial[] {
  const { seed } = options;
  const setup = { table, target: 'sex', features: scalingFeatures };
  return scales.map((scale) => {
    const task = prepareTabular(setup, { seed, scale });
    const model = makeTabularModel(task, {
      hidden: [8],
      activation: 'relu',
      optimizer: options.optimizer,
      lr: options.lr,
      seed,
    });
    return { scale, model, history: [], status: '', task };
  });
}

/**
 * The loss axis for the scaled runs: from their smallest to their largest loss with some room, so
 * the StandardScaler and MinMaxScaler curves are told apart; the raw run (losses up to 1e4 in its
 * first epoch) leaves the top of the chart instead of squashing them. Undefined until the scaled
 * runs have a finite loss.
 */
export function scaledLossDomain(scaledLosses: number[][]): [number, number] | undefined {
  const losses = scaledLosses.flat().filter((l) => Number.isFinite(l) && l > 0);
  if (losses.length === 0) return undefined;
  return [Math.min(...losses) / 1.5, Math.max(...losses) * 1.5];
}
