// The worker thread of fitParallel: builds a replica of the model once, then per step copies the
// main's weights in, computes its shard's mean-loss gradients and writes them to shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import { fromConfig } from '@descent/layers';
import { mixSeed } from '@descent/random';
import { initBackend, manualSeed, tf, valuesView } from '@descent/tensor';
import { reseedDropout } from './reseed-dropout';
import { type ShardModel, shardLoss, shardStep } from './shard-step';
import {
  COMMAND,
  DONE,
  GENERATION,
  KEEP_OUTPUT,
  STATUS_FAILED,
  STATUS_OK,
  STOP,
  shardEndAt,
  shardStartAt,
  statusAt,
} from './shared-layout';
import { SpinWaiter } from './spin-wait';
import type { WorkerInit, WorkerMessage } from './worker-protocol';

const init = workerData as WorkerInit;
const port = parentPort;
const post = (message: WorkerMessage) => port?.postMessage(message);
const describe = (err: unknown) =>
  err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };

async function buildReplica(): Promise<{ shard: ShardModel; sync: tf.Variable[] }> {
  await initBackend({ backend: init.backend });
  for (const url of init.imports) await import(url);
  manualSeed(mixSeed(init.seed, init.replica));
  const model = fromConfig(reseedDropout(init.config, init.replica));
  const state = Object.fromEntries(init.state.map((e) => [e.name, tf.tensor(e.values, e.shape, e.dtype)]));
  try {
    model.loadStateDict(state);
  } finally {
    tf.dispose(Object.values(state));
  }
  model.train();
  const byName = new Map<string, tf.Variable>([
    ...model.namedParameters().map(([n, p]) => [n, p.variable] as [string, tf.Variable]),
    ...model.namedBuffers().map(([n, b]) => [n, b.variable] as [string, tf.Variable]),
  ]);
  const find = (name: string) => {
    const v = byName.get(name);
    if (!v) throw new Error(`the replica has no parameter or buffer named '${name}'`);
    return v;
  };
  const shard: ShardModel = {
    model,
    compiled: init.compiled,
    lossName: init.loss,
    lossFn: shardLoss(init.loss, init.compiled),
    outputKind: init.outputKind,
    inputShape: init.inputShape,
    variables: init.layout.grads.map((s) => find(s.name)),
  };
  return { shard, sync: init.layout.sync.map((s) => find(s.name)) };
}

/** Copies the main's published weights into the replica's variables. */
function loadWeights(sync: tf.Variable[]): void {
  const { weights } = init.shared;
  // WASM copies a new tensor's values into its heap; the cpu backend would keep a view on memory
  // that the main overwrites, so it gets a copy.
  const copy = tf.getBackend() !== 'wasm';
  init.layout.sync.forEach((slot, i) => {
    const end = slot.offset + slot.size;
    const view = copy ? weights.slice(slot.offset, end) : weights.subarray(slot.offset, end);
    tf.tidy(() => sync[i].assign(tf.tensor(view, slot.shape, slot.dtype)));
  });
}

/** One step on this worker's shard; writes loss, gradients and outputs to shared memory. */
function step(shard: ShardModel, sync: tf.Variable[]): void {
  const { control, indices, grads, present, losses, outputs } = init.shared;
  const { layout, replica } = init;
  const start = control[shardStartAt(replica)];
  const end = control[shardEndAt(replica)];
  const gradBase = (replica - 1) * layout.gradSize;
  const presentBase = (replica - 1) * layout.grads.length;
  present.fill(0, presentBase, presentBase + layout.grads.length);
  losses[replica] = 0;
  if (end <= start) return;
  loadWeights(sync);
  const keep = control[KEEP_OUTPUT] === 1;
  const result = shardStep(shard, init.data, indices.slice(start, end), keep);
  try {
    losses[replica] = result.value.dataSync()[0];
    layout.grads.forEach((slot, i) => {
      const g = result.grads[shard.variables[i].name];
      if (!g) return;
      grads.set(valuesView(g), gradBase + slot.offset);
      present[presentBase + i] = 1;
    });
    if (keep && result.output) {
      outputs.set(
        result.output.dataSync() as Float32Array,
        (replica - 1) * layout.maxShard * layout.outputCols,
      );
    }
  } finally {
    tf.dispose([result.value, ...Object.values(result.grads)]);
    result.output?.dispose();
  }
}

function finish(status: number): void {
  const { control } = init.shared;
  Atomics.store(control, statusAt(init.replica), status);
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}

async function main(): Promise<void> {
  let replica: Awaited<ReturnType<typeof buildReplica>>;
  try {
    replica = await buildReplica();
  } catch (err) {
    post({ type: 'error', phase: 'start', ...describe(err) });
    return;
  }
  post({ type: 'ready' });
  const { control } = init.shared;
  const spinner = new SpinWaiter(init.spinMs);
  let seen = 0;
  for (;;) {
    if (!spinner.spin(control, GENERATION, seen)) Atomics.wait(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    if (Atomics.load(control, COMMAND) === STOP) return;
    try {
      step(replica.shard, replica.sync);
      finish(STATUS_OK);
    } catch (err) {
      // The message first: the main reads the failure from it once it sees the status.
      post({ type: 'error', phase: 'step', ...describe(err) });
      finish(STATUS_FAILED);
      return;
    }
  }
}

// No top-level await: the package's CJS build compiles this entry too.
void main();
