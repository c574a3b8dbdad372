export {
  type LoadBundleOptions,
  loadBundle,
  recoverBundle,
  type SaveBundleOptions,
  saveBundle,
} from './bundle-folder';
export { type BundleFs, nodeBundleFs } from './bundle-fs';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks-checkpoint';
export { CSVLogger } from './callbacks-csv-logger';
export { fitParallel, type ParallelFitOptions } from './parallel/fit-parallel';
export { WorkerFailedError } from './parallel/replica-pool';
