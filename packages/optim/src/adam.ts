import { argumentError, checkOptions, type Tensor, tf, type Variable } from '@descent/tensor';
import { Optimizer, type ParamState } from './optimizer';
import type { ParamGroup, Params } from './param-group';
import { atLeast, bool, unitRate } from './validate';

/** Options of Adam (and AdamW), as in PyTorch: lr, betas, eps, weight decay, amsgrad and maximize. */
export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

type AdamHyper = {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

/** The options Adam and AdamW take. */
export const adamOptionKeys = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

function checkBetas(name: string, betas: unknown): [number, number] {
  if (!Array.isArray(betas) || betas.length !== 2)
    throw argumentError(name, 'two numbers [beta1, beta2]', betas);
  return [unitRate(`${name}[0]`, betas[0]), unitRate(`${name}[1]`, betas[1])];
}

function checkHyper(h: Partial<Record<keyof AdamHyper, unknown>>, prefix: string): AdamHyper {
  return {
    betas: checkBetas(`${prefix}betas`, h.betas ?? [0.9, 0.999]),
    eps: atLeast(`${prefix}eps`, h.eps ?? 1e-8, 0),
    weightDecay: atLeast(`${prefix}weightDecay`, h.weightDecay ?? 0, 0),
    amsgrad: bool(`${prefix}amsgrad`, h.amsgrad ?? false),
    maximize: bool(`${prefix}maximize`, h.maximize ?? false),
  };
}

/**
 * Adam, PyTorch's algorithm. With g the gradient (negated when maximizing) plus
 * `weightDecay * p` (L2, coupled to the gradient) and t the parameter's step:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2 (with amsgrad, vmax = max(vmax, v) stands for v),
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 */
export class Adam extends Optimizer {
  readonly kind: string = 'Adam';
  protected readonly bufferNames = ['expAvg', 'expAvgSq', 'maxExpAvgSq'] as const;
  /** AdamW decays the weights directly instead of through the gradient. */
  protected readonly decoupledDecay: boolean = false;

  /** The name errors give for this class (a static, so it survives minified class names). */
  static readonly owner: string = 'Adam';

  /** `params`: parameters, or PyTorch's groups `[{ params, lr, ... }]` over these options. */
  constructor(params: Params<AdamOptions>, options: AdamOptions = {}) {
    const owner = (new.target as typeof Adam).owner;
    checkOptions(owner, options, adamOptionKeys);
    super(owner, params, { ...options, lr: options?.lr ?? 1e-3 }, adamOptionKeys, checkHyper);
  }

  /** [beta1, beta2] (the first group's); setting them sets every group's. OneCycleLR cycles beta1. */
  get betas(): [number, number] {
    return [...(this.paramGroups[0].hyper as unknown as AdamHyper).betas];
  }

  set betas(value: [number, number]) {
    this.setHyperparameter('betas', value);
  }

  protected update(param: Variable, grad: Tensor, state: ParamState, group: ParamGroup): void {
    const { betas, eps, weightDecay, amsgrad, maximize } = group.hyper as unknown as AdamHyper;
    const [beta1, beta2] = betas;
    const lr = group.lr;
    let g = maximize ? tf.neg(grad) : grad;
    let p: Tensor = param;
    if (weightDecay !== 0) {
      if (this.decoupledDecay) p = tf.mul(param, 1 - lr * weightDecay);
      else g = tf.add(g, tf.mul(param, weightDecay));
    }
    const m = this.buffer(state, 'expAvg', () => tf.zerosLike(param));
    const v = this.buffer(state, 'expAvgSq', () => tf.zerosLike(param));
    const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    m.assign(mNew);
    v.assign(vNew);
    let second: Tensor = vNew;
    if (amsgrad) {
      const vMax = this.buffer(state, 'maxExpAvgSq', () => tf.zerosLike(param));
      second = tf.maximum(vMax, vNew);
      vMax.assign(second);
    }
    const t = state.step;
    const stepSize = lr / (1 - beta1 ** t);
    const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(1 - beta2 ** t)), eps);
    param.assign(tf.sub(p, tf.mul(tf.div(mNew, denom), stepSize)));
  }
}
