import { Adam } from '@descent/optim';
import { initBackend, tensor, tf } from '@descent/tensor';

await initBackend();
const x = tf.variable(tensor([3, -2]));
const adam = new Adam([x], { lr: 0.1 });
for (let i = 0; i < 300; i++) {
  const { grads } = tf.variableGrads(() => x.square().sum(), [x]);
  adam.step(grads);
  tf.dispose(Object.values(grads));
}
const [a, b] = x.dataSync();
if (Math.hypot(a, b) > 0.05) throw new Error(`Adam did not reach 0: ${a}, ${b}`);
console.log(`Adam on x^2: (${a.toFixed(4)}, ${b.toFixed(4)})`);
