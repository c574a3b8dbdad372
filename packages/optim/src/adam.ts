import { argumentError, type Tensor, tf, type Variable } from '@descent/tensor';
import type { FusedBuffer, FusedPointers } from './fused-step';
import type { FusedWasm } from './fused-wasm';
import { type Hyperparameters, Optimizer, type ParamState } from './optimizer';
import type { OptimParam } from './param';
import { atLeast, bool, knownKeys, unitRate } from './validate';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

interface AdamHyper {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

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
  protected h: AdamHyper;
  /** AdamW decays the weights directly instead of through the gradient. */
  protected readonly decoupledDecay: boolean = false;

  constructor(params: readonly OptimParam[], options: AdamOptions = {}) {
    knownKeys('options', options, KEYS);
    super(params, options?.lr ?? 1e-3);
    this.h = checkHyper(options ?? {}, 'options.');
  }

  /** [beta1, beta2]; OneCycleLR cycles beta1. */
  get betas(): [number, number] {
    return [...this.h.betas];
  }

  set betas(value: [number, number]) {
    this.h = { ...this.h, betas: checkBetas('betas', value) };
  }

  hyperparameters(): Hyperparameters {
    return { ...this.h, betas: [...this.h.betas] };
  }

  protected setHyperparameters(hyper: Hyperparameters): void {
    if (hyper == null || typeof hyper !== 'object')
      throw argumentError('stateDict.hyper', 'an object', hyper);
    this.h = checkHyper(hyper as Partial<AdamHyper>, 'stateDict.hyper.');
  }

  protected update(param: Variable, grad: Tensor, state: ParamState): void {
    const { betas, eps, weightDecay, amsgrad, maximize } = this.h;
    const [beta1, beta2] = betas;
    const lr = this.lr;
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

  protected override fusedBufferNames(): readonly string[] {
    return this.h.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'];
  }

  protected override fusedUpdate(
    param: Float32Array,
    grad: Float32Array,
    out: Float32Array,
    buffers: Record<string, FusedBuffer>,
    t: number,
  ): void {
    const f = Math.fround;
    const { betas, eps, weightDecay, amsgrad, maximize } = this.h;
    const [beta1, beta2] = betas;
    const lr = this.lr;
    // The scalars as the tfjs ops see them: float32 constants.
    const b1 = f(beta1);
    const c1 = f(1 - beta1);
    const b2 = f(beta2);
    const c2 = f(1 - beta2);
    const stepSize = f(lr / (1 - beta1 ** t));
    const bias2 = f(Math.sqrt(1 - beta2 ** t));
    const e = f(eps);
    const coupled = weightDecay !== 0 && !this.decoupledDecay;
    const decoupled = weightDecay !== 0 && this.decoupledDecay;
    const wd = f(weightDecay);
    const keep = f(1 - lr * weightDecay);
    const m0 = buffers.expAvg.in;
    const m1 = buffers.expAvg.out;
    const v0 = buffers.expAvgSq.in;
    const v1 = buffers.expAvgSq.out;
    if (!coupled && !decoupled && !amsgrad && !maximize) {
      // The common case without branches in the loop.
      for (let i = 0; i < param.length; i++) {
        const g = grad[i];
        const m = f(f(m0[i] * b1) + f(g * c1));
        const v = f(f(v0[i] * b2) + f(f(g * g) * c2));
        m1[i] = m;
        v1[i] = v;
        out[i] = f(param[i] - f(f(m / f(f(f(Math.sqrt(v)) / bias2) + e)) * stepSize));
      }
      return;
    }
    const max = buffers.maxExpAvgSq;
    for (let i = 0; i < param.length; i++) {
      const p = param[i];
      let g = maximize ? -grad[i] : grad[i];
      if (coupled) g = f(g + f(p * wd));
      const base = decoupled ? f(p * keep) : p;
      const m = f(f(m0[i] * b1) + f(g * c1));
      const v = f(f(v0[i] * b2) + f(f(g * g) * c2));
      m1[i] = m;
      v1[i] = v;
      let second = v;
      if (amsgrad) {
        second = Math.max(max.in[i], v);
        max.out[i] = second;
      }
      out[i] = f(base - f(f(m / f(f(f(Math.sqrt(second)) / bias2) + e)) * stepSize));
    }
  }

  protected override fusedSimd(kernels: FusedWasm, at: FusedPointers, groups: number, t: number): void {
    const { betas, eps, weightDecay, amsgrad, maximize } = this.h;
    const [beta1, beta2] = betas;
    const lr = this.lr;
    const decay = weightDecay === 0 ? 0 : this.decoupledDecay ? 4 : 2;
    const flags = (maximize ? 1 : 0) | decay | (amsgrad ? 8 : 0);
    const { expAvg: m, expAvgSq: v, maxExpAvgSq: x } = at.buffers;
    // The same float32 constants as fusedUpdate; the kernel's f32 parameters round them alike.
    kernels.adam(
      at.param,
      at.grad,
      m.in,
      v.in,
      x?.in ?? 0,
      at.paramOut,
      m.out,
      v.out,
      x?.out ?? 0,
      groups,
      flags,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      lr / (1 - beta1 ** t),
      Math.sqrt(1 - beta2 ** t),
      eps,
      weightDecay,
      1 - lr * weightDecay,
    );
  }
}
