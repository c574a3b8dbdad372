import { createRequire } from 'node:module';
import { Linear, loadSafetensors, Sequential, Softplus, saveSafetensors } from '@descent/layers';
import { initBackend, tensor, tidy } from '@descent/tensor';

await initBackend();
const net = new Sequential([new Linear(1, 2, { seed: 1 }), new Softplus(), new Linear(2, 1, { seed: 2 })]);
if (net.numParameters() !== 7) throw new Error(`expected 7 parameters, found ${net.numParameters()}`);
const bytes = await saveSafetensors(net.stateDict());
const { tensors } = loadSafetensors(bytes);
const out = tidy(() => Array.from(net.forward(tensor([[0], [0.5], [1]])).dataSync()));
const cjs = createRequire(import.meta.url)('@descent/layers');
if (typeof cjs.Linear !== 'function') throw new Error('CommonJS build lacks Linear');
console.log(
  `1-2-1 net, ${Object.keys(tensors).length} tensors in ${bytes.length} safetensors bytes, out ${out.map((v) => v.toFixed(3))}`,
);
