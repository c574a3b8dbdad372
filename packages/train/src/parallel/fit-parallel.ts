import { availableParallelism } from 'node:os';
import type { Matrix } from '@descent/datasets';
import { argumentError, tf, type Variable } from '@descent/tensor';
import { type HostData, type TrainingData, toHostData } from '../data';
import type { FitOptions, FitResult, Learner } from '../learner';
import { parallelStep } from './parallel-step';
import { ReplicaPool } from './replica-pool';
import { resolveImport } from './resolve-import';
import { type ShardModel, shardLoss } from './shard-step';
import { allocateShared, type Layout, makeLayout, type SharedBuffers } from './shared-layout';
import { MAX_SPIN_MS } from './spin-wait';
import type { StateEntry, WorkerInit } from './worker-protocol';
import { moduleDir, workerScript } from './worker-script';

/** Options of `fitParallel`, a data-parallel fit on worker threads: the fit options plus the number of threads. */
export interface ParallelFitOptions extends FitOptions {
  /**
   * Threads that train, the main thread included: 2 = the main thread and one worker thread.
   * 1 runs plain `learner.fit`. Default: the machine's available parallelism.
   */
  workers?: number;
  /**
   * Modules each worker imports before it rebuilds the model with `fromConfig`: those that
   * register the model's layer types, e.g. ['@descent/cnn']. Package names resolve from the
   * working directory, else the main script's folder, else @descent/train's; paths and file
   * URLs work too.
   */
  imports?: (string | URL)[];
}

/** A copy of a matrix in shared memory, so that every worker reads the same rows without copies. */
function shareMatrix(m: Matrix): Matrix {
  if (m.data.buffer instanceof SharedArrayBuffer) return m;
  const data = new Float32Array(new SharedArrayBuffer(m.data.byteLength));
  data.set(m.data);
  return { data, rows: m.rows, cols: m.cols };
}

/** Output values per sample, from one eval-mode forward of a zero row (for the metrics' output area). */
function outputColumns(learner: Learner, cols: number): number {
  const model = learner.model;
  const wasTraining = model.training;
  model.eval();
  try {
    return tf.tidy(() => model.call(tf.zeros([1, ...(learner.inputShape ?? [cols])])).size);
  } finally {
    model.train(wasTraining);
  }
}

function stateEntries(learner: Learner): StateEntry[] {
  const dict = learner.model.stateDict();
  try {
    return Object.entries(dict).map(([name, t]) => ({
      name,
      shape: t.shape,
      dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      values: t.dataSync() as Float32Array | Int32Array,
    }));
  } finally {
    tf.dispose(Object.values(dict));
  }
}

function mainReplica(learner: Learner, layout: Layout): { shard: ShardModel; sync: Variable[] } {
  const model = learner.model;
  const byName = new Map<string, Variable>([
    ...model.namedParameters().map(([n, p]) => [n, p.variable] as [string, Variable]),
    ...model.namedBuffers().map(([n, b]) => [n, b.variable] as [string, Variable]),
  ]);
  const find = (name: string) => byName.get(name) as Variable;
  const shard: ShardModel = {
    model,
    compiled: learner.compiled,
    lossName: learner.lossName,
    lossFn: shardLoss(learner.lossName, learner.compiled),
    outputKind: learner.outputKind,
    inputShape: learner.inputShape,
    variables: layout.grads.map((s) => find(s.name)),
  };
  return { shard, sync: layout.sync.map((s) => find(s.name)) };
}

function checkOptions(
  learner: Learner,
  options: ParallelFitOptions,
): { workers: number; imports: (string | URL)[] } {
  if (options === null || typeof options !== 'object')
    throw argumentError('options', '{ epochs, workers, ... }', options);
  const { workers = availableParallelism(), imports = [] } = options;
  if (!Number.isInteger(workers) || workers < 1)
    throw argumentError('workers', 'a positive integer', workers);
  if (!Array.isArray(imports)) throw argumentError('imports', 'an array of module specifiers', imports);
  if (workers > 1) {
    if (typeof learner.loss !== 'string') {
      throw argumentError(
        'Learner: loss',
        'a loss name (a loss function cannot be sent to a worker thread)',
        learner.loss,
      );
    }
    if (!learner.optimizer)
      throw argumentError('Learner: optimizer', 'an optimizer (needed to fit)', undefined);
    if (learner.batchStep) throw new Error('fitParallel: this Learner is already training');
  }
  return { workers, imports };
}

/**
 * `learner.fit` on several threads (data parallelism): each batch is split into one shard per
 * thread, each thread's replica of the model computes its shard's mean-loss gradients, and the
 * main thread combines them weighted by shard size (the full batch's mean gradient), steps its
 * optimizer and publishes the new weights through shared memory. Callbacks, progress, metrics,
 * validation and early stopping run on the main thread as in `fit`, with the combined loss. The
 * worker threads end with the call, whether it returns, throws or is aborted.
 *
 * Every replica reads its rows from shared memory at each step. Data already in a
 * SharedArrayBuffer is used as it is, so a callback may rewrite it between epochs (augmentation
 * in place); any other array is copied into shared memory once per call, and that copy is what
 * every epoch trains on.
 */
export async function fitParallel(
  learner: Learner,
  data: TrainingData,
  options: ParallelFitOptions,
): Promise<FitResult> {
  const { workers, imports } = checkOptions(learner, options);
  const { workers: _w, imports: _i, ...fitOptions } = options;
  if (workers === 1 || options.signal?.aborted) return learner.fit(data, fitOptions);
  const host = toHostData(data, 'data');
  const shared: HostData = { X: shareMatrix(host.X), y: shareMatrix(host.y) };
  const batchSize = Math.min(options.batchSize ?? 32, host.X.rows);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw argumentError('batchSize', 'a positive integer', options.batchSize);
  const urls = imports.map((s) => resolveImport(s, moduleDir()));
  const cols = learner.metricNames.length > 0 ? outputColumns(learner, host.X.cols) : 0;
  const layout = makeLayout(learner.model, workers, batchSize, cols);
  const buffers: SharedBuffers = allocateShared(layout);
  const state = stateEntries(learner);
  const inits: WorkerInit[] = Array.from({ length: workers - 1 }, (_, i) => ({
    replica: i + 1,
    backend: tf.getBackend(),
    imports: urls,
    config: learner.model.toJSON(),
    state,
    loss: learner.lossName,
    compiled: learner.compiled,
    outputKind: learner.outputKind,
    inputShape: learner.inputShape,
    seed: options.seed ?? 0,
    spinMs: workers <= availableParallelism() ? MAX_SPIN_MS : 0,
    layout,
    shared: buffers,
    data: shared,
  }));
  const pool = await ReplicaPool.start(workerScript(), inits, layout, buffers);
  try {
    const main = mainReplica(learner, layout);
    learner.batchStep = parallelStep(pool, layout, buffers, main.shard, main.sync);
    return await learner.fit(shared, fitOptions);
  } finally {
    learner.batchStep = undefined;
    await pool.close();
  }
}
