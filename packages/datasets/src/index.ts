export {
  type Batch,
  type BatchOptions,
  batches,
  type EpochBatchOptions,
  epochBatches,
  type IndexBatches,
  numBatches,
} from './batches';
export { type BlobsDataset, type BlobsOptions, blobs } from './blobs';
export { type CirclesOptions, circles } from './circles';
export { cpsWages } from './cps-wages';
export { type CsvOptions, DEFAULT_MISSING_VALUES, parseCsv } from './csv';
export { type Dataset, subset, type Task } from './dataset';
export { type DosageNoisyOptions, dosageCurve, dosageNoisy } from './dosage-noisy';
export { DatasetArgumentError, TableError } from './errors';
export type {
  FeatureSpec,
  MissingPolicy,
  TabularEncoderJSON,
  UnknownPolicy,
} from './feature-spec';
export {
  fromMatrix,
  gather,
  gatherRows,
  type Matrix,
  type MatrixLike,
  toMatrix,
} from './matrix';
export { type MoonsOptions, moons } from './moons';
export { type PenguinsOptions, penguins } from './penguins';
export { type SpiralOptions, spiral } from './spiral';
export {
  type IndexSplit,
  type SplitIndicesOptions,
  splitIndices,
  type TrainTestSplitOptions,
  trainTestSplit,
} from './split';
export { type SplitTableOptions, splitTable } from './split-table';
export {
  type SurfaceName,
  type SurfaceOptions,
  surface,
  surfaceAt,
  surfaceNames,
} from './surfaces';
export {
  type CategoricalColumn,
  type Cell,
  type Column,
  columnNames,
  dropMissing,
  getColumn,
  missingCounts,
  type NumericColumn,
  selectRows,
  type Table,
  tableRow,
} from './table';
export type { ReadMissingPolicy } from './table-builder';
export {
  type EncodedTable,
  type EncoderFitOptions,
  TabularEncoder,
  type TabularEncoderOptions,
} from './tabular-encoder';
export type { TabularDataset, TaskInfo } from './tabular-task';
export {
  getTestFunction,
  himmelblau,
  quadratic,
  rosenbrock,
  saddle,
  type TestFunction,
  type TestFunctionName,
  testFunctions,
} from './test-functions/index';
export {
  dosage,
  dosagePatients,
  loadToyDataset,
  type RowNames,
  type ToyDatasetName,
  type ToySplit,
  toyDatasetNames,
} from './toy-datasets';
export { type XorOptions, xor } from './xor';
