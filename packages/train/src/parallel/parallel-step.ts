import type { Optimizer } from '@descent/optim';
import { type NamedTensorMap, tf, type Variable, valuesView } from '@descent/tensor';
import type { HostData } from '../data';
import type { BatchStep } from './batch-step';
import { combineGradients, type ShardGradient } from './combine-gradients';
import type { ReplicaPool } from './replica-pool';
import { type ShardModel, shardStep } from './shard-step';
import { type Layout, type SharedBuffers, splitShards } from './shared-layout';

/** Copies the main's weights (and buffers) into shared memory for the workers. */
function publish(layout: Layout, shared: SharedBuffers, sync: Variable[]): void {
  layout.sync.forEach((slot, i) => {
    shared.weights.set(valuesView(sync[i]), slot.offset);
  });
}

/**
 * The data-parallel `BatchStep`: publish the weights, hand the workers their shards, compute the
 * main's shard meanwhile, then combine every shard's gradient weighted by its rows (the full
 * batch's mean gradient) and apply the main's optimizer. One round trip per step.
 */
export function parallelStep(
  pool: ReplicaPool,
  layout: Layout,
  shared: SharedBuffers,
  main: ShardModel,
  sync: Variable[],
): BatchStep {
  // Reused every step: the combined gradients become tensors that are freed within the step.
  const combined = layout.grads.map((slot) => new Float32Array(slot.size));
  return async (optimizer: Optimizer, data: HostData, indices: Int32Array, keepOutput: boolean) => {
    const shards = splitShards(indices.length, layout.replicas);
    publish(layout, shared, sync);
    pool.dispatch(indices, shards, keepOutput);
    const [start, end] = shards[0];
    const mine = shardStep(main, data, indices.subarray(start, end), keepOutput);
    try {
      const mainLoss = (await mine.value.data())[0];
      const mainOutput = mine.output ? ((await mine.output.data()) as Float32Array) : undefined;
      await pool.wait();
      const rows = shards.map(([a, b]) => b - a);
      const total = indices.length;
      let loss = (rows[0] / total) * mainLoss;
      for (let r = 1; r < layout.replicas; r++) if (rows[r] > 0) loss += (rows[r] / total) * shared.losses[r];
      if (Number.isFinite(loss))
        applyCombined(optimizer, layout, shared, main.variables, mine.grads, rows, combined);
      return { loss, output: mainOutput && joinOutputs(layout, shared, mainOutput, rows) };
    } finally {
      tf.dispose([mine.value, ...Object.values(mine.grads)]);
      mine.output?.dispose();
    }
  };
}

function applyCombined(
  optimizer: Optimizer,
  layout: Layout,
  shared: SharedBuffers,
  variables: Variable[],
  mainGrads: NamedTensorMap,
  rows: number[],
  buffers: Float32Array[],
): void {
  const grads: NamedTensorMap = {};
  layout.grads.forEach((slot, i) => {
    // A view of the main's gradient, used before the next tfjs allocation (tf.tensor below).
    const mainGrad = mainGrads[variables[i].name];
    const parts: ShardGradient[] = [
      { values: mainGrad && (valuesView(mainGrad) as Float32Array), rows: rows[0] },
    ];
    for (let r = 1; r < layout.replicas; r++) {
      const present = shared.present[(r - 1) * layout.grads.length + i] === 1;
      const base = (r - 1) * layout.gradSize + slot.offset;
      parts.push({
        values: present ? shared.grads.subarray(base, base + slot.size) : undefined,
        rows: rows[r],
      });
    }
    const sum = combineGradients(parts, slot.size, buffers[i]);
    if (sum) grads[variables[i].name] = tf.tensor(sum, slot.shape);
  });
  try {
    optimizer.step(grads);
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/** The batch's outputs in row order: the main's shard, then each worker's. */
function joinOutputs(
  layout: Layout,
  shared: SharedBuffers,
  mainOutput: Float32Array,
  rows: number[],
): Float32Array {
  const cols = layout.outputCols;
  const total = rows.reduce((a, b) => a + b, 0);
  const out = new Float32Array(total * cols);
  out.set(mainOutput);
  let at = mainOutput.length;
  for (let r = 1; r < layout.replicas; r++) {
    const base = (r - 1) * layout.maxShard * cols;
    out.set(shared.outputs.subarray(base, base + rows[r] * cols), at);
    at += rows[r] * cols;
  }
  return out;
}
