import { dropMissing } from '@descent/datasets';
import type { Module } from '@descent/layers';
import { type BundleManifest, Learner, type PreparedRows, TabularPreprocessor } from '@descent/train';
import { loadBundleFlag } from './model-limit';
import { missingNote, readUserCsv, withoutColumn } from './tabular-data';
import { UsageError } from './usage-error';

export interface LoadedModel {
  model: Module;
  manifest: BundleManifest;
  learner: Learner;
  preprocessor?: TabularPreprocessor;
}

/** A bundle and its Learner; `maxModelMb` is `--max-model-mb` as typed. */
export async function loadModel(dir: string, maxModelMb?: string): Promise<LoadedModel> {
  const { model, manifest } = await loadBundleFlag(dir, maxModelMb);
  const learner = new Learner(model, { loss: manifest.loss, outputKind: manifest.outputKind });
  const preprocessor = manifest.preprocessing
    ? TabularPreprocessor.fromJSON(manifest.preprocessing)
    : undefined;
  return { model, manifest, learner, preprocessor };
}

/**
 * Raw CSV rows through the bundle's own encoder and scaler. With `needTarget` the target column
 * must be there (evaluate); otherwise it is ignored if present (predict).
 */
export async function bundleRows(
  loaded: LoadedModel,
  csv: string,
  needTarget: boolean,
): Promise<PreparedRows & { note?: string }> {
  const { preprocessor, manifest } = loaded;
  if (!preprocessor) {
    throw new UsageError(`--csv: this model was trained on a built-in toy set, not a table; use --input`);
  }
  const table = await readUserCsv(csv);
  const names = new Set(table.columns.map((c) => c.name));
  const target = preprocessor.target ?? manifest.targetName ?? '';
  const missing = preprocessor.inputColumns.filter((c) => !names.has(c));
  if (needTarget && !names.has(target)) missing.push(target);
  // A CSV that lacks the model's columns is bad data (status 1), not a bad flag.
  if (missing.length) {
    throw new Error(
      `${csv}: expected the model's columns ${missing.map((m) => `"${m}"`).join(', ')}, found only ${[...names].map((n) => `"${n}"`).join(', ')}`,
    );
  }
  if (table.rows === 0) throw new Error(`${csv}: expected at least 1 data row, found only the header`);
  const policy = preprocessor.encoder.missing;
  // As in train: a row with no target cannot be scored, whatever the policy does to features.
  const labelled = needTarget && policy !== 'error' ? dropMissing(table, [target]) : table;
  const rows = preprocessor.transform(needTarget ? labelled : withoutColumn(table, target));
  const dropped = rows.dropped + table.rows - labelled.rows;
  return { ...rows, dropped, note: missingNote(policy, dropped, csv) };
}
