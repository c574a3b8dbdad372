import { Conv2d, convolve2d, simpleCnn } from '@descent/cnn';
import { initBackend, tf } from '@descent/tensor';

await initBackend();
const out = convolve2d(
  [
    [1, 2],
    [3, 4],
  ],
  [[1]],
);
if (out[1][1] !== 4) throw new Error('convolve2d');
const model = simpleCnn({ inputShape: [1, 28, 28], classes: 10, seed: 1 });
const x = tf.zeros([2, 1, 28, 28]);
const { grads } = tf.variableGrads(
  () => model.forward(x).sum(),
  model.trainableParameters().map((p) => p.variable),
);
const n = Object.keys(grads).length;
if (!(model.at(0) instanceof Conv2d) || n === 0) throw new Error('CNN gradient');
// The ./node entry reads the backbone shipped in the packed assets/ folder.
const { loadDigitBackbone } = await import('@descent/cnn/node');
const { model: backbone, info } = await loadDigitBackbone();
if (info.classes.length !== 5 || backbone.numParameters() === 0) throw new Error('shipped backbone');
console.log(
  `simpleCnn on WASM: ${model.numParameters()} parameters, ${n} gradients; shipped backbone ${backbone.numParameters()} parameters`,
);
