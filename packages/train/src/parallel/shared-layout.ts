import type { Module } from '@descent/layers';

/** One tensor's place in a flat float32 buffer. */
export interface Slot {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  size: number;
}

/** Where everything lives in the shared buffers; the same object reaches every worker. */
export interface Layout {
  /** Replicas in all: the main thread and the workers. */
  replicas: number;
  maxBatch: number;
  /** Rows of the largest shard: the size of each worker's output area. */
  maxShard: number;
  /** Trainable parameters: the gradients workers send back. */
  grads: Slot[];
  gradSize: number;
  /** Trainable parameters, then every buffer: what the main publishes before each step. */
  sync: Slot[];
  syncSize: number;
  /** Output values per sample, when the Learner keeps outputs for metrics; else 0. */
  outputCols: number;
}

/**
 * The control words (an Int32Array): a step counter the workers wait on, a command, how many
 * workers have finished the step, whether to keep outputs, then per replica its shard's first and
 * end row in the batch and a status word.
 */
export const GENERATION = 0;
export const COMMAND = 1;
export const DONE = 2;
export const KEEP_OUTPUT = 3;
const SHARDS = 4;
export const shardStartAt = (replica: number) => SHARDS + 3 * replica;
export const shardEndAt = (replica: number) => SHARDS + 3 * replica + 1;
export const statusAt = (replica: number) => SHARDS + 3 * replica + 2;

export const RUN = 0;
export const STOP = 1;
export const STATUS_OK = 0;
export const STATUS_FAILED = 1;

/** The memory the main thread and the workers share for one `fitParallel`. */
export interface SharedBuffers {
  control: Int32Array;
  /** The batch's row indices; replica r reads its shard's part. */
  indices: Int32Array;
  /** The main's weights (`sync` slots), published before every step. */
  weights: Float32Array;
  /** Per worker (replica r at (r - 1) × gradSize), its shard's mean-loss gradients. */
  grads: Float32Array;
  /** Per worker and gradient slot: 1 when the worker's shard produced that gradient. */
  present: Int32Array;
  /** Each replica's shard loss (index 0 unused: the main keeps its own). */
  losses: Float64Array;
  /** Per worker, its shard's outputs (maxShard × outputCols), when metrics need them. */
  outputs: Float32Array;
}

function slots(entries: [string, { shape: number[]; dtype: string }][]): { slots: Slot[]; size: number } {
  let offset = 0;
  const out = entries.map(([name, t]) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const slot: Slot = {
      name,
      shape: [...t.shape],
      dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      offset,
      size,
    };
    offset += size;
    return slot;
  });
  return { slots: out, size: offset };
}

/** Lays out a model's trainable parameters and buffers for `replicas` replicas. */
export function makeLayout(model: Module, replicas: number, maxBatch: number, outputCols: number): Layout {
  const trainable = model
    .namedParameters()
    .filter(([, p]) => p.trainable)
    .map(
      ([name, p]) =>
        [name, { shape: p.shape, dtype: 'float32' }] as [string, { shape: number[]; dtype: string }],
    );
  const buffers = model
    .namedBuffers()
    .map(
      ([name, b]) =>
        [name, { shape: b.shape, dtype: b.dtype }] as [string, { shape: number[]; dtype: string }],
    );
  const grads = slots(trainable);
  const sync = slots([...trainable, ...buffers]);
  return {
    replicas,
    maxBatch,
    maxShard: Math.ceil(maxBatch / replicas),
    grads: grads.slots,
    gradSize: grads.size,
    sync: sync.slots,
    syncSize: sync.size,
    outputCols,
  };
}

const shared = <T>(Kind: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T =>
  new Kind(new SharedArrayBuffer(Math.max(1, length) * Kind.BYTES_PER_ELEMENT));

/** Allocates the shared buffers of a layout (zeroed). */
export function allocateShared(layout: Layout): SharedBuffers {
  const workers = layout.replicas - 1;
  return {
    control: shared(Int32Array, 4 + 3 * layout.replicas),
    indices: shared(Int32Array, layout.maxBatch),
    weights: shared(Float32Array, layout.syncSize),
    grads: shared(Float32Array, workers * layout.gradSize),
    present: shared(Int32Array, workers * layout.grads.length),
    losses: shared(Float64Array, layout.replicas),
    outputs: shared(Float32Array, workers * layout.maxShard * layout.outputCols),
  };
}

/**
 * Splits `rows` rows into `replicas` contiguous shards, as even as possible, the larger ones first
 * (so the main thread, replica 0, is never empty while any shard has rows). Returns [start, end) pairs.
 */
export function splitShards(rows: number, replicas: number): [number, number][] {
  const base = Math.floor(rows / replicas);
  const extra = rows % replicas;
  const out: [number, number][] = [];
  let start = 0;
  for (let r = 0; r < replicas; r++) {
    const end = start + base + (r < extra ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}
