import { columnNames, parseCsv, penguins, type Table } from '@descent/datasets';
import { confusionMatrix, type Learner, rocAuc, rocCurve } from '@descent/train';
import type { TabularSetup, TabularTask } from '../lib/tabular-task';

/** Page 5's recipe: which table, which target, and what the test rows say (no DOM). */

export type Source = 'penguins-sex' | 'penguins-species' | 'csv';

/** A CSV the user gave, parsed; it needs features and a target, so at least two columns. */
export function readCsv(text: string, name: string): Table {
  const table = parseCsv(text, { source: name });
  if (table.columns.length < 2) {
    throw new Error(
      `${name}: expected at least 2 columns (features and a target), found ${table.columns.length}`,
    );
  }
  return table;
}

/**
 * The task's table, target and features: the penguins' sex (binary) or species (three classes,
 * island one-hot encoded), or the user's CSV with every other column as a feature. Null when the
 * CSV is chosen but none is loaded.
 */
export function tabularSetup(
  source: Source,
  csv: { table: Table | null; target: string },
): TabularSetup | null {
  if (source === 'csv') {
    if (!csv.table) return null;
    const names = columnNames(csv.table);
    return { table: csv.table, target: csv.target, features: names.filter((n) => n !== csv.target) };
  }
  const data = penguins();
  if (source === 'penguins-sex') return { table: data, target: 'sex', features: data.taskInfo.features };
  const features = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'island'];
  return { table: data, target: 'species', features };
}

/** One line about the task, for the page ("…: 266 training rows, 67 test rows; …"). */
export function describeTask(s: TabularSetup, t: TabularTask): string {
  return `${s.table.source}: ${t.train.X.rows} training rows, ${t.test.X.rows} test rows; ${t.featureNames.length} inputs after encoding (${s.features.join(', ')}); target "${s.target}" with classes ${t.classes.join(', ')}.`;
}

/**
 * The test rows' confusion matrix, and for two classes the ROC curve and its area. Read back
 * asynchronously: WebGPU has no synchronous read.
 */
export async function testReport(learner: Learner, task: TabularTask) {
  const predictions = await learner.predictAsync(task.test.X);
  const targets = { data: task.test.y, rows: task.test.y.length, cols: 1 };
  const kind = learner.outputKind;
  const confusion = confusionMatrix(predictions, targets, kind);
  if (!task.binary) return { confusion };
  return { confusion, roc: rocCurve(predictions, targets, kind), auc: rocAuc(predictions, targets, kind) };
}
