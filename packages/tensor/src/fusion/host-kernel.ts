import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * One step's forward and backward over row-major float32 arrays on the host, for the fused MLP
 * (fused-mlp.ts). Tiny tensors cost tfjs a fixed few microseconds per kernel and per taped op; a
 * whole MLP done here is one taped op. The maths must match the tfjs ops of the step it stands
 * for and tfjs's gradient of them.
 */
export interface HostKernel {
  /** The tensors the kernel reads (weights), in the order `forward` and `backward` get them. */
  params: Tensor[];
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
