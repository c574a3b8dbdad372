import { argumentError, checkOptions, type Tensor, tf, type Variable } from '@descent/tensor';
import { type Hyperparameters, Optimizer, type ParamState } from './optimizer';
import type { OptimParam } from './param';
import { atLeast, bool, mismatch } from './validate';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

interface SGDHyper {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

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
  private h: SGDHyper;

  constructor(params: readonly OptimParam[], options: SGDOptions) {
    checkOptions('SGD', options, KEYS);
    if (options?.lr === undefined)
      throw argumentError('options.lr', 'a learning rate (SGD has no default)', undefined);
    super(params, options.lr);
    this.h = checkHyper(options, 'options.');
  }

  /** The momentum factor; OneCycleLR cycles it. */
  get momentum(): number {
    return this.h.momentum;
  }

  set momentum(value: number) {
    const next = { ...this.h, momentum: atLeast('momentum', value, 0) };
    checkNesterov(next, '');
    this.h = next;
  }

  hyperparameters(): Hyperparameters {
    return { ...this.h };
  }

  protected setHyperparameters(hyper: Hyperparameters): void {
    this.h = checkHyper(hyper as Partial<SGDHyper>, 'stateDict.hyper.');
  }

  protected update(param: Variable, grad: Tensor, state: ParamState): void {
    const { momentum, dampening, nesterov, weightDecay, maximize } = this.h;
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
    param.assign(tf.sub(param, tf.mul(g, this.lr)));
  }
}
