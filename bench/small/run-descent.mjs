// One process of bench/small-nets.mjs for descent: each case once as a warm-up (a fifth of its
// epochs) and once timed, through Learner.fit as `descent train` runs it (loss read every step,
// the epoch's metric from the kept outputs). Prints one JSON line.
//
//   node bench/small/run-descent.mjs --backend wasm|cpu [--seed 1]
import { mlp } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { smallCases, stepsOf } from './cases.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const backend = option('backend', 'wasm');
const seed = Number(option('seed', 1));
await initBackend({ backend });
if (tf.getBackend() !== backend) throw new Error(`backend ${backend} did not start (${tf.getBackend()})`);

async function train(c, epochs) {
  const before = tf.memory().numTensors;
  const model = mlp({
    inputs: c.cols,
    hidden: c.hidden,
    outputs: 1,
    activation: c.activation,
    sigmoidOutput: c.loss === 'bce',
    seed,
  });
  const optimizer = new Adam(model.trainableParameters(), { lr: c.lr });
  const learner = new Learner(model, {
    loss: c.loss,
    optimizer,
    metrics: c.loss === 'bce' ? ['accuracy'] : ['mse'],
  });
  const data = { X: { data: Float32Array.from(c.X), rows: c.rows, cols: c.cols }, y: Float32Array.from(c.y) };
  const t0 = performance.now();
  const { history } = await learner.fit(data, { epochs, batchSize: c.batch, seed });
  const ms = performance.now() - t0;
  optimizer.dispose();
  model.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`${c.name}: tensors leaked`);
  return { ms, loss: history[history.length - 1].loss };
}

const results = [];
for (const c of smallCases()) {
  await train(c, Math.max(1, Math.round(c.epochs / 5)));
  const { ms, loss } = await train(c, c.epochs);
  results.push({ name: c.name, steps: stepsOf(c), msPerStep: ms / stepsOf(c), loss });
}
console.log(JSON.stringify({ peer: `descent ${backend}`, results }));
