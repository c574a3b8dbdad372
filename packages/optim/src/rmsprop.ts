import { checkOptions, type Tensor, tf, type Variable } from '@descent/tensor';
import { Optimizer, type ParamState } from './optimizer';
import type { ParamGroup, Params } from './param-group';
import { atLeast, bool } from './validate';

/** Options of RMSprop, as in PyTorch: lr, alpha, eps, weight decay and the like. */
export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

type RMSpropHyper = {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
};

const KEYS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'] as const;

function checkHyper(h: Partial<Record<keyof RMSpropHyper, unknown>>, prefix: string): RMSpropHyper {
  return {
    alpha: atLeast(`${prefix}alpha`, h.alpha ?? 0.99, 0),
    eps: atLeast(`${prefix}eps`, h.eps ?? 1e-8, 0),
    weightDecay: atLeast(`${prefix}weightDecay`, h.weightDecay ?? 0, 0),
    momentum: atLeast(`${prefix}momentum`, h.momentum ?? 0, 0),
    centered: bool(`${prefix}centered`, h.centered ?? false),
    maximize: bool(`${prefix}maximize`, h.maximize ?? false),
  };
}

/**
 * RMSprop, PyTorch's algorithm. With g the gradient (negated when maximizing) plus
 * `weightDecay * p`: s = alpha s + (1 - alpha) g^2; the denominator is sqrt(s) + eps, or, when
 * centered, sqrt(s - a^2) + eps with a = alpha a + (1 - alpha) g; with momentum,
 * buf = momentum buf + g / denom and p -= lr buf, else p -= lr g / denom.
 */
export class RMSprop extends Optimizer {
  readonly kind = 'RMSprop';
  protected readonly bufferNames = ['squareAvg', 'momentumBuffer', 'gradAvg'] as const;

  /** `params`: parameters, or PyTorch's groups `[{ params, lr, ... }]` over these options. */
  constructor(params: Params<RMSpropOptions>, options: RMSpropOptions = {}) {
    checkOptions('RMSprop', options, KEYS);
    super('RMSprop', params, { ...options, lr: options?.lr ?? 1e-2 }, KEYS, checkHyper);
  }

  /** The momentum factor (the first group's); setting it sets every group's. OneCycleLR cycles it. */
  get momentum(): number {
    return (this.paramGroups[0].hyper as RMSpropHyper).momentum;
  }

  set momentum(value: number) {
    this.setHyperparameter('momentum', value);
  }

  protected update(param: Variable, grad: Tensor, state: ParamState, group: ParamGroup): void {
    const { alpha, eps, weightDecay, momentum, centered, maximize } = group.hyper as RMSpropHyper;
    let g = maximize ? tf.neg(grad) : grad;
    if (weightDecay !== 0) g = tf.add(g, tf.mul(param, weightDecay));
    const s = this.buffer(state, 'squareAvg', () => tf.zerosLike(param));
    const sNew = tf.add(tf.mul(s, alpha), tf.mul(tf.square(g), 1 - alpha));
    s.assign(sNew);
    let variance: Tensor = sNew;
    if (centered) {
      const a = this.buffer(state, 'gradAvg', () => tf.zerosLike(param));
      const aNew = tf.add(tf.mul(a, alpha), tf.mul(g, 1 - alpha));
      a.assign(aNew);
      // s - a^2 >= 0 in exact arithmetic; the clamp only removes float rounding below zero.
      variance = tf.relu(tf.sub(sNew, tf.square(aNew)));
    }
    const denom = tf.add(tf.sqrt(variance), eps);
    let update = tf.div(g, denom);
    if (momentum > 0) {
      const buf = this.buffer(state, 'momentumBuffer', () => tf.zerosLike(param));
      update = tf.add(tf.mul(buf, momentum), update);
      buf.assign(update);
    }
    param.assign(tf.sub(param, tf.mul(update, group.lr)));
  }
}
