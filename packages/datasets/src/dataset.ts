import { argumentError, shown } from './errors';
import { checkMatrix, gather, gatherRows, type Matrix } from './matrix';

/** What a dataset's target is: a real number, one of two classes, or one of several. */
export type Task = 'regression' | 'binary' | 'multiclass';

/**
 * A table of features and one target. For 'binary' and 'multiclass' tasks `y` holds class
 * indices 0..k-1 as floats and `classes[k]` names class k.
 */
export interface Dataset {
  X: Matrix;
  y: Float32Array;
  featureNames: string[];
  targetName: string;
  task: Task;
  classes?: string[];
}

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

/** Checks that a dataset's parts agree: row counts, names, and class indices for classification. */
export function checkDataset(name: string, dataset: unknown): Dataset {
  const d = dataset as Dataset;
  if (d === null || typeof d !== 'object') throw argumentError(name, 'a Dataset object', dataset);
  checkMatrix(`${name}.X`, d.X);
  if (!(d.X.data instanceof Float32Array)) {
    throw argumentError(`${name}.X.data`, 'a Float32Array', d.X.data);
  }
  if (!(d.y instanceof Float32Array)) throw argumentError(`${name}.y`, 'a Float32Array', d.y);
  if (d.y.length !== d.X.rows) {
    throw argumentError(
      `${name}.y`,
      `length ${d.X.rows} (the rows of ${name}.X)`,
      shown(`length ${d.y.length}`),
    );
  }
  if (!TASKS.includes(d.task)) throw argumentError(`${name}.task`, `one of ${TASKS.join(', ')}`, d.task);
  if (!Array.isArray(d.featureNames) || d.featureNames.length !== d.X.cols) {
    throw argumentError(
      `${name}.featureNames`,
      `${d.X.cols} names (the columns of ${name}.X)`,
      d.featureNames,
    );
  }
  if (d.task !== 'regression' && d.classes !== undefined) {
    const k = d.classes.length;
    for (let i = 0; i < d.y.length; i++) {
      const c = d.y[i];
      if (!Number.isInteger(c) || c < 0 || c >= k) {
        throw argumentError(`${name}.y[${i}]`, `a class index in 0..${k - 1}`, c);
      }
    }
  }
  return d;
}

/** The rows at `indices` (in that order, repeats allowed) as a new Dataset with the same names. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const d = checkDataset('dataset', dataset);
  const out: Dataset = {
    X: gatherRows(d.X, indices),
    y: gather(d.y, indices),
    featureNames: [...d.featureNames],
    targetName: d.targetName,
    task: d.task,
  };
  if (d.classes) out.classes = [...d.classes];
  return out;
}
