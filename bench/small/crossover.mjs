// Where running a small MLP on the host (tensor's fusedMlp, chosen by layers' compile) stops
// paying on WASM: one training step (forward, mse, backward) of a 2-W-W-1 ReLU MLP on 32 rows,
// compiled with the fused path forced on (any size) and through the layers' tfjs ops (model.call).
// Both arms use the compiled mse. Median of 7 runs of 300 steps.
//
//   node bench/small-nets.mjs --crossover
import { compile, mlp } from '@descent/layers';
import { compileLoss } from '@descent/losses';
import { FUSED_MLP_LIMIT, initBackend, tf } from '@descent/tensor';

await initBackend({ backend: 'wasm' });
const ROWS = 32;
const mse = compileLoss('mse');
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function usPerStep(net, x, y, onHost) {
  const vars = net.trainableParameters().map((p) => p.variable);
  const compiled = compile(net, { fusedMlpLimit: Number.POSITIVE_INFINITY });
  const forward = onHost ? () => compiled.forward(x) : () => net.call(x);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => mse(forward(), y), vars);
    tf.dispose([value, ...Object.values(grads)]);
  };
  for (let i = 0; i < 50; i++) step();
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) step();
    runs.push(((performance.now() - t0) / 300) * 1000);
  }
  return median(runs);
}

console.log(`FUSED_MLP_LIMIT = ${FUSED_MLP_LIMIT} multiply-adds per forward pass; WASM, ${ROWS} rows.`);
console.log('');
console.log('| MLP | multiply-adds per forward | host µs/step | tfjs ops µs/step | host / tfjs |');
console.log('| --- | --- | --- | --- | --- |');
for (const width of [4, 8, 16, 32, 48, 64, 96, 128, 192]) {
  const net = mlp({ inputs: 2, hidden: [width, width], outputs: 1, seed: 1 });
  const x = tf.randomNormal([ROWS, 2], 0, 1, 'float32', 1);
  const y = tf.randomNormal([ROWS, 1], 0, 1, 'float32', 2);
  const macs = ROWS * (2 * width + width * width + width);
  const host = usPerStep(net, x, y, true);
  const ops = usPerStep(net, x, y, false);
  console.log(
    `| 2-${width}-${width}-1 | ${macs} | ${host.toFixed(0)} | ${ops.toFixed(0)} | ${(host / ops).toFixed(2)} |`,
  );
  tf.dispose([x, y]);
  net.dispose();
}
