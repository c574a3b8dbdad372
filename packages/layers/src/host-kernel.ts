import type { tf } from '@descent/tensor';

/**
 * One layer's forward and backward over row-major float32 arrays on the host, for the
 * small-network path (host-chain.ts). Tiny tensors cost tfjs a fixed few microseconds per kernel
 * and per taped op; a whole MLP done here is one taped op. The maths must match the layer's
 * `forward` and tfjs's gradient of it.
 */
export interface HostKernel {
  /** The layer's tensors the kernel reads, in the order `forward` and `backward` get them. */
  params: tf.Variable[];
  /** Columns out for `cols` columns in; undefined when the layer cannot take them. */
  outCols(cols: number): number | undefined;
  /** Multiply-adds per row, to decide whether the host is the faster place. */
  costPerRow: number;
  forward(x: Float32Array, rows: number, cols: number, params: Float32Array[]): Float32Array;
  /** The input's gradient and each parameter's, from dy, the layer's input x and its output y. */
  backward(
    dy: Float32Array,
    x: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
    params: Float32Array[],
  ): { dx: Float32Array; dParams: Float32Array[] };
}
