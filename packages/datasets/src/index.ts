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
export { checkDataset, type Dataset, subset, type Task } from './dataset';
export { type DosageNoisyOptions, dosage, dosageCurve, dosageNoisy } from './dosage';
export { argumentError, DatasetArgumentError } from './errors';
export {
  checkMatrix,
  fromMatrix,
  gather,
  gatherRows,
  type Matrix,
  type MatrixLike,
  toMatrix,
} from './matrix';
export { type MoonsOptions, moons } from './moons';
export { mixSeed, Rng } from './rng';
export { type SpiralOptions, spiral } from './spiral';
export {
  type IndexSplit,
  type SplitIndicesOptions,
  splitIndices,
  type TrainTestSplitOptions,
  trainTestSplit,
} from './split';
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
export { type XorOptions, xor } from './xor';
