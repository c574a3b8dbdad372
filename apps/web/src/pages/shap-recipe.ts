import { penguins, tableRow } from '@descent/datasets';
import { ExactExplainer, Explanation, kmeansBackground } from '@descent/shap';
import { type Learner, probabilities } from '@descent/train';
import { makeTabularModel, prepareTabular, type TabularModel, type TabularTask } from '../lib/tabular-task';

/** Page 9's recipe: the penguin classifier, and SHAP over it (no DOM). */

/** Penguins' sex from every listed feature, split and scaled by the seed, and a 16-8 ReLU net for it. */
export function penguinClassifier(seed: number): { task: TabularTask; model: TabularModel } {
  const data = penguins();
  const task = prepareTabular(
    { table: data, target: 'sex', features: data.taskInfo.features },
    { seed, scale: 'standard' },
  );
  const model = makeTabularModel(task, {
    hidden: [16, 8],
    activation: 'relu',
    optimizer: 'adam',
    lr: 0.01,
    seed,
  });
  return { task, model };
}

type Rows = { data: Float64Array | Float32Array; rows: number; cols: number };

/**
 * The model as SHAP sees it: rows in, P(male) out. Async, so the page can pause it (`between` runs
 * before each batch of coalitions) and the outputs are read back asynchronously (WebGPU has no
 * synchronous read).
 */
export function probabilityOfMale(learner: Learner, between: () => Promise<unknown>) {
  return async (X: Rows) => {
    await between();
    const out = await learner.predictAsync({ data: Float32Array.from(X.data), rows: X.rows, cols: X.cols });
    return Float64Array.from(probabilities(out, 'logit'), (p) => p[1]);
  };
}

/** Exact Shapley values on the log-odds, against ten k-means centres of the training rows. */
export function penguinExplainer(model: (X: Rows) => Promise<Float64Array>, task: TabularTask, seed: number) {
  const { X } = task.train;
  const rows = Array.from({ length: X.rows }, (_, i) =>
    Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)),
  );
  return new ExactExplainer(model, kmeansBackground(rows, 10, { seed }), {
    link: 'logit',
    featureNames: task.featureNames,
    outputNames: [`P(${task.classes[1]})`],
  });
}

/**
 * The model saw scaled inputs; people read grams and millimetres. Same SHAP values, but the
 * feature values shown beside them are the unscaled ones (one-hot columns stay 0 / 1).
 */
export function inOriginalUnits(explanation: Explanation, t: TabularTask): Explanation {
  const raw = t.preprocessor.encoder.transform(t.testTable).X;
  if (raw.rows !== explanation.values.length) return explanation;
  const data = Array.from({ length: raw.rows }, (_, i) =>
    Array.from(raw.data.subarray(i * raw.cols, (i + 1) * raw.cols), (v) => Number(v.toPrecision(4))),
  );
  return new Explanation({ ...explanation.toJSON(), data });
}

/** How the row menu names test bird i: "#1: Adelie, male, 3750 g". */
export function birdLabel(task: TabularTask, i: number): string {
  const raw = tableRow(task.testTable, i);
  return `#${i + 1}: ${raw.species}, ${raw.sex?.toString().toLowerCase()}, ${raw.body_mass_g} g`;
}
