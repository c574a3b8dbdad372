import type { Table } from './table';

/** What a built-in tabular set is for, where it came from and what loading dropped. */
export interface TaskInfo {
  name: string;
  description: string;
  task: 'binary';
  /** The column to predict. */
  target: string;
  /** Sorted, as TabularEncoder numbers them: y = 1 means `classes[1]`. */
  classes: string[];
  /** The suggested inputs, in order. */
  features: string[];
  /** Of `features`, those read as numbers and those one-hot encoded. */
  numeric: string[];
  categorical: string[];
  /** Further columns a model may use, with why they are left out by default. */
  optionalFeatures: { name: string; why: string }[];
  /** Rows in the shipped file, and rows left out by the loader. */
  rowsRaw: number;
  rowsDropped: number;
  /** How missing values were handled, in words, with the counts. */
  missingPolicy: string;
  source: string;
  license: string;
  citation: string;
}

/** A built-in table together with its task. */
export interface TabularDataset extends Table {
  taskInfo: TaskInfo;
}
