import { onHostBackend, type Tensor, tf } from '@descent/tensor';
import type { HostKernel } from './host-kernel';
import type { Module } from './module';

/**
 * Up to this many multiply-adds per forward pass, a chain of Linear layers and activations runs
 * on the host. Above it tfjs's WASM matmul (SIMD, packed weights) wins over plain JavaScript;
 * the crossover was measured in bench/small-nets.mjs (`--crossover`).
 */
export const HOST_CHAIN_LIMIT = 49_152;

/**
 * The whole chain of `layers` as one taped op when every layer has a host kernel, the backend
 * is wasm or cpu and the work is small: forward on the host, each layer's input kept for the
 * backward pass, which tfjs's autodiff calls like any op's gradient. Undefined when it does not
 * apply; the caller then runs the layers' own forwards (which also report bad input). `limit`
 * is there for measuring the crossover (bench/small-nets.mjs --crossover).
 */
export function hostChain(
  layers: readonly Module[],
  x: Tensor,
  limit = HOST_CHAIN_LIMIT,
): Tensor | undefined {
  if (layers.length === 0 || x.rank !== 2 || x.dtype !== 'float32' || !onHostBackend()) return undefined;
  const kernels: HostKernel[] = [];
  const [rows, inCols] = x.shape as [number, number];
  const widths = [inCols];
  let work = 0;
  for (const layer of layers) {
    // A forward set on the instance (summary's hooks, a user's patch), or a subclass that did
    // not define its own kernel, must run as written.
    if (Object.hasOwn(layer, 'forward') || !Object.hasOwn(Object.getPrototypeOf(layer), 'hostKernel')) {
      return undefined;
    }
    const kernel = layer.hostKernel();
    const cols = widths[widths.length - 1];
    const out = kernel?.outCols(cols);
    if (!kernel || out === undefined) return undefined;
    work += rows * kernel.costPerRow;
    if (work > limit) return undefined;
    kernels.push(kernel);
    widths.push(out);
  }
  const params = kernels.flatMap((k) => k.params);
  const mlpOnHost = (...args: unknown[]) => {
    const inputs = args.slice(0, 1 + params.length) as Tensor[];
    const values = inputs.map((t) => t.dataSync() as Float32Array);
    const layerParams: Float32Array[][] = [];
    let at = 1;
    for (const k of kernels) {
      layerParams.push(values.slice(at, at + k.params.length));
      at += k.params.length;
    }
    // activations[i] is layer i's input; the last is the chain's output.
    const activations = [values[0]];
    kernels.forEach((k, i) => {
      activations.push(k.forward(activations[i], rows, widths[i], layerParams[i]));
    });
    const out = widths[widths.length - 1];
    return {
      value: tf.tensor2d(activations[kernels.length], [rows, out]),
      gradFunc: (dy: Tensor) => {
        let grad = dy.dataSync() as Float32Array;
        const paramGrads: Float32Array[][] = [];
        for (let i = kernels.length - 1; i >= 0; i--) {
          const k = kernels[i];
          const { dx, dParams } = k.backward(
            grad,
            activations[i],
            activations[i + 1],
            rows,
            widths[i],
            layerParams[i],
          );
          paramGrads[i] = dParams;
          grad = dx;
        }
        const flat = paramGrads.flat();
        return [tf.tensor2d(grad, [rows, inCols]), ...flat.map((g, i) => tf.tensor(g, params[i].shape))];
      },
    };
  };
  return tf.customGrad(mlpOnHost as unknown as Parameters<typeof tf.customGrad>[0])(x, ...params) as Tensor;
}
