import { createRequire } from 'node:module';
import { format, grad, initBackend, nativeKernelInfo, tensor } from '@descent/tensor';

const info = await initBackend();
const out = format(grad((x) => x.square().sum())(tensor([1, 2, 3])));
if (out !== 'tensor([2., 4., 6.])') throw new Error(`ESM gradient: ${out}`);
// The CommonJS build must register gradients and chained ops as well.
const cjs = createRequire(import.meta.url)('@descent/tensor');
const viaCjs = cjs.format(cjs.grad((x) => x.mul(x).sum())(cjs.tensor([3])));
if (viaCjs !== 'tensor([6.])') throw new Error(`CJS gradient: ${viaCjs}`);
// The packed addon (native/build) must load from the installed package where .ci/run built it.
const native = nativeKernelInfo();
if (process.env.DESCENT_REQUIRE_NATIVE === '1' && !native.active)
  throw new Error(`native kernels: expected them active, found off (${native.reason})`);
console.log(
  `backend ${info.name}, grad of sum(x^2) at [1,2,3] = ${out}, native kernels ${native.active ? 'on' : `off (${native.reason})`}`,
);
