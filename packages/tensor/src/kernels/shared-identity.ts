import { env, Identity, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { inputOf } from './wasm-backend';

let stock: KernelConfig | undefined;

/** Called with tfjs's Identity when ours replaces it (strings still go there). */
export function keepStockIdentity(original: KernelConfig): void {
  stock = original;
}

/**
 * tfjs environment flag, true by default: `tf.env().set('DESCENT_WASM_SHARED_IDENTITY', false)`
 * copies again, as tfjs's kernel does (for comparisons).
 */
export const SHARED_IDENTITY_FLAG = 'DESCENT_WASM_SHARED_IDENTITY';

export function registerSharedIdentityFlag(): void {
  env().registerFlag(SHARED_IDENTITY_FLAG, () => true);
}

interface RefCounted {
  incRef(dataId: object): void;
}

/**
 * Identity for wasm that shares the input's memory (one more reference) instead of copying it,
 * as the cpu and WebGL backends do and as the wasm backend's own Reshape does. tfjs calls Identity
 * for every tensor a gradient keeps (`clone`): a dense layer's input, every activation; the copies
 * cost a small network's training step 5–8 % (bench/RESULTS.md). Sharing is safe because no
 * kernel here writes into an input's memory: every kernel, and @descent/optim's fused update,
 * writes fresh outputs.
 */
export const sharedIdentity: KernelFunc = (args) => {
  const x = inputOf(Identity, args.inputs, 'x');
  if (x.dtype === 'string' || !env().getBool(SHARED_IDENTITY_FLAG)) {
    if (stock == null) throw new Error(`${Identity}: expected tfjs's wasm kernel kept, found none`);
    return stock.kernelFunc(args);
  }
  (args.backend as unknown as RefCounted).incRef(x.dataId as object);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export const sharedIdentityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: sharedIdentity,
};
