import { createRequire } from 'node:module';
import { format, grad, initBackend, tensor } from '@descent/tensor';

const info = await initBackend();
const out = format(grad((x) => x.square().sum())(tensor([1, 2, 3])));
if (out !== 'tensor([2., 4., 6.])') throw new Error(`ESM gradient: ${out}`);
// The CommonJS build must register gradients and chained ops as well.
const cjs = createRequire(import.meta.url)('@descent/tensor');
const viaCjs = cjs.format(cjs.grad((x) => x.mul(x).sum())(cjs.tensor([3])));
if (viaCjs !== 'tensor([6.])') throw new Error(`CJS gradient: ${viaCjs}`);
console.log(`backend ${info.name}, grad of sum(x^2) at [1,2,3] = ${out}`);
