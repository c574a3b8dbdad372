import { type ChannelsLastStep, registerLowering } from '@descent/layers';
import {
  avgPool2dChannelsLast,
  batchNormChannelsLast,
  type ChannelMoments,
  channelMomentsChannelsLast,
  conv2dChannelsLast,
  maxPool2dChannelsLast,
  type Tensor4D,
  tf,
} from '@descent/tensor';
import { AvgPool2d } from './avg-pool2d';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { GlobalAvgPool2d } from './global-avg-pool2d';
import { MaxPool2d } from './max-pool2d';
import { convPadding, windowFits } from './options';

// What `compile` (@descent/layers) runs for each image layer inside a channels-last chain: the
// layer's options and parameters, read as data at each call, handed to @descent/tensor's NHWC ops.
// Each step takes only the inputs the layer's own forward accepts (float32 [N, H, W, C] with the
// right channels and room for the window) and returns undefined otherwise, so that the layer's
// forward runs and names the error in NCHW terms, as without compile. A layer with an option these
// steps do not implement (dilation, groups, ceilMode) has no lowering at all: it runs its own forward.

const fits = (x: Tensor4D, kernel: [number, number], padding: [number, number]) =>
  windowFits(x.shape[1], x.shape[2], kernel, padding);

/** Registers the channels-last lowerings of Conv2d, MaxPool2d, AvgPool2d, BatchNorm2d and GlobalAvgPool2d. */
export function registerCnnLowerings(): void {
  registerLowering(Conv2d, (conv) => {
    const plain = conv.groups === 1 && conv.dilation[0] === 1 && conv.dilation[1] === 1;
    return plain ? conv2dStep(conv) : undefined;
  });

  registerLowering(MaxPool2d, (pool) =>
    pool.ceilMode
      ? undefined
      : {
          run: (x) => (fits(x, pool.kernelSize, pool.padding) ? maxPool2dChannelsLast(x, pool) : undefined),
          // relu(max(x)) = max(relu(x)) exactly, gradients included.
          runAfterReLU: (x) =>
            fits(x, pool.kernelSize, pool.padding) ? maxPool2dChannelsLast(x, pool, true) : undefined,
        },
  );

  registerLowering(AvgPool2d, (pool) =>
    pool.ceilMode
      ? undefined
      : {
          run: (x) =>
            fits(x, pool.kernelSize, pool.padding)
              ? avgPool2dChannelsLast(x, pool, pool.countIncludePad)
              : undefined,
        },
  );

  registerLowering(GlobalAvgPool2d, () => ({ run: (x) => tf.mean(x, [1, 2]) }));

  registerLowering(BatchNorm2d, (bn) => ({
    run(x) {
      const [n, h, w, c] = x.shape;
      if (c !== bn.numFeatures || (bn.training && n * h * w <= 1)) return undefined;
      return tf.tidy(() => {
        let moments: ChannelMoments;
        if (bn.training || !bn.runningMean || !bn.runningVar) {
          moments = channelMomentsChannelsLast(x);
          if (bn.training) bn.updateRunningStats(moments.mean, moments.variance, n * h * w);
        } else {
          moments = {
            mean: bn.runningMean.value as tf.Tensor1D,
            variance: bn.runningVar.value as tf.Tensor1D,
          };
        }
        const weight = (bn.weight?.value ?? null) as tf.Tensor1D | null;
        const bias = (bn.bias?.value ?? null) as tf.Tensor1D | null;
        return batchNormChannelsLast(x, moments, weight, bias, bn.eps);
      });
    },
  }));
}

/** Conv2d's channels-last step: @descent/tensor's fused NHWC convolution (no dilation, one group). */
function conv2dStep(conv: Conv2d): ChannelsLastStep {
  return {
    prefersChannelsLast: true,
    run(x) {
      const { weight, bias, stride, padding } = conv;
      if (x.shape[3] !== conv.inChannels) return undefined;
      if (padding !== 'same' && !fits(x, conv.kernelSize, padding)) return undefined;
      // One fused kernel, the weight kept [out, in, kh, kw]. In eval mode the bias is added after
      // the sum, as forward does, so that inference (predict, the pretrained backbone) gives the
      // per-layer path's values bit for bit.
      if (conv.training || !bias)
        return conv2dChannelsLast(x, weight.value, bias?.value ?? null, stride, convPadding(padding));
      return tf.tidy(() =>
        tf.add(conv2dChannelsLast(x, weight.value, null, stride, convPadding(padding)), bias.value),
      );
    },
  };
}
