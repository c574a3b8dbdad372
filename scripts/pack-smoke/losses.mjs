import { bce, mse } from '@descent/losses';
import { initBackend, tensor } from '@descent/tensor';

await initBackend();
const y = tensor([[0], [1], [0]]);
const p = tensor([[0.5], [0.5], [0.5]]);
const m = mse(p, y).dataSync()[0];
const b = bce(p, y).dataSync()[0];
if (Math.abs(m - 0.25) > 1e-7 || Math.abs(b - Math.LN2) > 1e-6) throw new Error(`mse ${m}, bce ${b}`);
console.log(`three patients at 0.5: mse ${m}, bce ${b.toFixed(6)}`);
