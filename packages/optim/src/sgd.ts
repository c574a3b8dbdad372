import { checkOptions, type Tensor, tf, type Variable } from '@descent/tensor';
import { Optimizer, type ParamState } from './optimizer';
import type { ParamGroup, Params } from './param-group';
import { atLeast, bool, mismatch } from './validate';

/** Options of SGD, as in PyTorch: lr, momentum, dampening, weight decay and the like. */
export interface SGDOptions {
  /** Required, unless every parameter group sets its own. */
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

type SGDHyper = {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
};

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'] as const;

function checkHyper(h: Partial<Record<keyof SGDHyper, unknown>>, prefix: string): SGDHyper {
  const out: SGDHyper = {
    momentum: atLeast(`${prefix}momentum`, h.momentum ?? 0, 0),
    dampening: atLeast(`${prefix}dampening`, h.dampening ?? 0, 0),
    nesterov: bool(`${prefix}nesterov`, h.nesterov ?? false),
    weightDecay: atLeast(`${prefix}weightDecay`, h.weightDecay ?? 0, 0),
    maximize: bool(`${prefix}maximize`, h.maximize ?? false),
  };
  checkNesterov(out, prefix);
  return out;
}

function checkNesterov(h: SGDHyper, prefix: string): void {
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw mismatch(
      `${prefix}nesterov`,
      'momentum > 0 and dampening = 0 with Nesterov momentum',
      `momentum ${h.momentum}, dampening ${h.dampening}`,
    );
  }
}

/**
 * Stochastic gradient descent, PyTorch's algorithm: with g the gradient (negated when
 * maximizing) plus `weightDecay * p`, the momentum buffer is g on a parameter's first step and
 * `momentum * buf + (1 - dampening) * g` after; the step uses buf, or `g + momentum * buf` with
 * Nesterov; then `p -= lr * step`.
 */
export class SGD extends Optimizer {
  readonly kind = 'SGD';
  protected readonly bufferNames = ['momentumBuffer'] as const;

  /** `params`: parameters, or PyTorch's groups `[{ params, lr, ... }]` over these options. */
  constructor(params: Params<SGDOptions>, options: SGDOptions) {
    checkOptions('SGD', options, KEYS);
    super('SGD', params, options ?? {}, KEYS, checkHyper);
  }

  /** The momentum factor (the first group's); setting it sets every group's. OneCycleLR cycles it. */
  get momentum(): number {
    return (this.paramGroups[0].hyper as SGDHyper).momentum;
  }

  set momentum(value: number) {
    this.setHyperparameter('momentum', value);
  }

  protected update(param: Variable, grad: Tensor, state: ParamState, group: ParamGroup): void {
    const { momentum, dampening, nesterov, weightDecay, maximize } = group.hyper as SGDHyper;
    let g = maximize ? tf.neg(grad) : grad;
    if (weightDecay !== 0) g = tf.add(g, tf.mul(param, weightDecay));
    if (momentum !== 0) {
      const existing = state.buffers.get('momentumBuffer');
      let buf: Tensor;
      if (existing === undefined) {
        buf = g;
        this.buffer(state, 'momentumBuffer', () => g);
      } else {
        buf = tf.add(tf.mul(existing, momentum), tf.mul(g, 1 - dampening));
        existing.assign(buf);
      }
      g = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
    }
    param.assign(tf.sub(param, tf.mul(g, group.lr)));
  }
}
