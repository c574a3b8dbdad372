import * as tf from '@tensorflow/tfjs-core';
import { columnSums } from '../fusion/native-elementwise';
import {
  conv2dOihwGradients,
  conv2dOihwInputGradient,
  nativeConv2dOihw,
  nativeConvGradientsRun,
} from './native-conv2d-oihw';

/** tfjs's padding argument for an NHWC convolution. */
export type ConvPad =
  | 'same'
  | 'valid'
  | [[number, number], [number, number], [number, number], [number, number]];

interface ConvAttrs {
  strides: [number, number];
  pad: ConvPad;
  hasBias: boolean;
}

/**
 * One kernel for a channels-last convolution with PyTorch's weight layout (@descent/cnn's Conv2d
 * inside a channels-last run): NHWC images, PyTorch's [out, in, kh, kw] weight
 * and an optional bias in, y = conv(x, weight) + bias out. It runs the backend's own Transpose
 * (the weight to [kh, kw, in, out]) and FusedConv2D (bias added inside the convolution) kernels,
 * so it works wherever those exist. Compared with tf.conv2d + tf.add it saves, per call:
 * - the broadcast Add, a separate pass over the whole output (on tfjs-backend-wasm 4.22 it costs
 *   more than the convolution of a small CNN's first layer);
 * - the Add's two saved copies (tfjs clones every tensor a gradient keeps), one as big as y;
 * - the weight transpose's own tape node.
 * Its gradient (below) computes the input's gradient only when the tape asks for it (tf.customGrad
 * would compute all three, an input gradient included that a first layer never needs) and sums the
 * bias gradient in one native call where it can (else a matrix product rather than tf.sum, which
 * transposes y's gradient first).
 *
 * Where oneDNN's primitives run (WASM in Node), both ways go to oneDNN in PyTorch's layout, with no
 * transpose at all, and the weight's and bias's gradients are one call (native-conv2d-oihw.ts):
 * made as soon as the tape reaches the convolution, as fused-linear.ts's chain does.
 */
const KERNEL = 'DescentConv2dNhwcOihw';

const WEIGHT_TO_FILTER = [2, 3, 1, 0];
const FILTER_TO_WEIGHT = [3, 2, 0, 1];

function kernelFor(backendName: string): tf.KernelFunc | null {
  const transpose = tf.getKernel('Transpose', backendName);
  const fused = tf.getKernel('FusedConv2D', backendName);
  if (!transpose || !fused) return null;
  return ({ inputs, backend, attrs }) => {
    const { x, weight, bias } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { strides, pad } = attrs as unknown as ConvAttrs;
    if (backendName === 'wasm') {
      const y = nativeConv2dOihw(backend, x as tf.TensorInfo, weight as tf.TensorInfo, bias, {
        strides,
        pad,
      });
      if (y) return y;
    }
    const filter = transpose.kernelFunc({
      inputs: { x: weight as tf.TensorInfo },
      backend,
      attrs: { perm: WEIGHT_TO_FILTER },
    }) as tf.TensorInfo;
    try {
      return fused.kernelFunc({
        inputs: bias ? { x: x as tf.TensorInfo, filter, bias } : { x: x as tf.TensorInfo, filter },
        backend,
        attrs: {
          strides,
          pad,
          dataFormat: 'NHWC',
          dilations: [1, 1],
          activation: 'linear',
          leakyreluAlpha: 0,
        } as unknown as tf.NamedAttrMap,
      });
    } finally {
      // A backend could hand back the weight's own data for a transpose that moves nothing.
      if (filter.dataId !== (weight as tf.TensorInfo).dataId)
        (backend as tf.KernelBackend).disposeData(filter.dataId);
    }
  };
}

/** Per-channel sums of [N, H, W, C]: the column sums of g as [N·H·W, C] (one native call, or a product). */
function channelSums(g: tf.Tensor): tf.Tensor {
  const c = g.shape[3] as number;
  return columnSums(tf.reshape(g, [g.size / c, c]));
}

const gradient: tf.GradConfig = {
  kernelName: KERNEL,
  inputsToSave: ['x', 'weight'],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, hasBias } = attrs as unknown as ConvAttrs;
    const g = dy as tf.Tensor4D;
    if (nativeConvGradientsRun(x.shape, weight, hasBias, { strides, pad })) {
      const [dw, db] = conv2dOihwGradients(x, weight, g, hasBias, { strides, pad });
      return {
        x: () => conv2dOihwInputGradient(g, weight, x.shape, { strides, pad }),
        weight: () => dw,
        bias: () => db,
      };
    }
    return {
      x: () =>
        tf.conv2dTranspose(
          g,
          tf.transpose(weight, WEIGHT_TO_FILTER) as tf.Tensor4D,
          x.shape,
          strides,
          pad as Parameters<typeof tf.conv2dTranspose>[4],
        ),
      weight: () => {
        const [out, inC, kh, kw] = weight.shape;
        const filter = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, {
          strides,
          pad,
          dataFormat: 'NHWC',
          filterShape: [kh, kw, inC, out],
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return tf.transpose(filter, FILTER_TO_WEIGHT);
      },
      bias: () => channelSums(g),
    };
  },
};

const ready = new Set<string>();

/** Registers the kernel for the active backend (and the gradient once); false where it cannot run. */
function register(): boolean {
  const backendName = tf.getBackend();
  if (ready.has(backendName)) return true;
  if (!tf.getKernel(KERNEL, backendName)) {
    const kernelFunc = kernelFor(backendName);
    if (!kernelFunc) return false;
    tf.registerKernel({ kernelName: KERNEL, backendName, kernelFunc });
  }
  // Another copy of this package (ESM beside CommonJS) may have registered both already.
  if (!tf.getGradient(KERNEL)) tf.registerGradient(gradient);
  ready.add(backendName);
  return true;
}

/**
 * conv(x, weight) + bias for NHWC `x` [N, H, W, in] and PyTorch's `weight` [out, in, kh, kw]:
 * NHWC [N, H', W', out]. Falls back to tf.conv2d + tf.add where the backend lacks FusedConv2D.
 */
export function conv2dChannelsLast(
  x: tf.Tensor4D,
  weight: tf.Tensor,
  bias: tf.Tensor | null,
  strides: [number, number],
  pad: ConvPad,
): tf.Tensor4D {
  if (!register()) {
    return tf.tidy(() => {
      const filter = tf.transpose(weight, WEIGHT_TO_FILTER) as tf.Tensor4D;
      const y = tf.conv2d(x, filter, strides, pad);
      return bias ? tf.add(y, bias) : y;
    });
  }
  const inputs: tf.NamedTensorMap = bias ? { x, weight, bias } : { x, weight };
  return tf.engine().runKernel(KERNEL, inputs, {
    strides,
    pad,
    hasBias: bias != null,
  } as unknown as tf.NamedAttrMap);
}
