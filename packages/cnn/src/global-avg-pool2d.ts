import { Module, type ModuleConfig } from '@descent/layers';
import { tf } from '@descent/tensor';
import { checkImages } from './options';

/**
 * The mean of each feature map: [N, C, H, W] → [N, C], ready for a Linear head. PyTorch spells it
 * nn.AdaptiveAvgPool2d(1) followed by nn.Flatten().
 */
export class GlobalAvgPool2d extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mean(checkImages('GlobalAvgPool2d', x), [2, 3]);
  }

  override toJSON(): ModuleConfig {
    return { type: 'GlobalAvgPool2d' };
  }
}
