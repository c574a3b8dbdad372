import { argumentError, type Tensor, tf, type Variable } from '@descent/tensor';
import type { FusedBuffer, FusedPointers } from './fused-step';
import type { FusedWasm } from './fused-wasm';
import { type Hyperparameters, Optimizer, type ParamState } from './optimizer';
import type { OptimParam } from './param';
import { atLeast, bool, knownKeys } from './validate';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

interface RMSpropHyper {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

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
  private h: RMSpropHyper;

  constructor(params: readonly OptimParam[], options: RMSpropOptions = {}) {
    knownKeys('options', options, KEYS);
    super(params, options?.lr ?? 1e-2);
    this.h = checkHyper(options ?? {}, 'options.');
  }

  /** The momentum factor; OneCycleLR cycles it. */
  get momentum(): number {
    return this.h.momentum;
  }

  set momentum(value: number) {
    this.h = { ...this.h, momentum: atLeast('momentum', value, 0) };
  }

  hyperparameters(): Hyperparameters {
    return { ...this.h };
  }

  protected setHyperparameters(hyper: Hyperparameters): void {
    if (hyper == null || typeof hyper !== 'object')
      throw argumentError('stateDict.hyper', 'an object', hyper);
    this.h = checkHyper(hyper as Partial<RMSpropHyper>, 'stateDict.hyper.');
  }

  protected update(param: Variable, grad: Tensor, state: ParamState): void {
    const { alpha, eps, weightDecay, momentum, centered, maximize } = this.h;
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
    param.assign(tf.sub(param, tf.mul(update, this.lr)));
  }

  protected override fusedBufferNames(): readonly string[] {
    const { centered, momentum } = this.h;
    return ['squareAvg', ...(centered ? ['gradAvg'] : []), ...(momentum > 0 ? ['momentumBuffer'] : [])];
  }

  protected override fusedUpdate(
    param: Float32Array,
    grad: Float32Array,
    out: Float32Array,
    buffers: Record<string, FusedBuffer>,
  ): void {
    const f = Math.fround;
    const { alpha, eps, weightDecay, momentum, maximize } = this.h;
    const lr = f(this.lr);
    const a = f(alpha);
    const c = f(1 - alpha);
    const e = f(eps);
    const mom = f(momentum);
    const wd = f(weightDecay);
    const decay = weightDecay !== 0;
    const s = buffers.squareAvg;
    const avg = buffers.gradAvg;
    const buf = buffers.momentumBuffer;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (decay) g = f(g + f(param[i] * wd));
      const sq = f(f(s.in[i] * a) + f(f(g * g) * c));
      s.out[i] = sq;
      let variance = sq;
      if (avg) {
        const ga = f(f(avg.in[i] * a) + f(g * c));
        avg.out[i] = ga;
        variance = Math.max(0, f(sq - f(ga * ga)));
      }
      let u = f(g / f(f(Math.sqrt(variance)) + e));
      if (buf) {
        u = f(f(buf.in[i] * mom) + u);
        buf.out[i] = u;
      }
      out[i] = f(param[i] - f(u * lr));
    }
  }

  protected override fusedSimd(kernels: FusedWasm, at: FusedPointers, groups: number): void {
    const { alpha, eps, weightDecay, momentum, maximize } = this.h;
    const { squareAvg: s, gradAvg: a, momentumBuffer: u } = at.buffers;
    const flags = (maximize ? 1 : 0) | (weightDecay !== 0 ? 2 : 0) | (a ? 4 : 0) | (u ? 8 : 0);
    kernels.rmsprop(
      at.param,
      at.grad,
      s.in,
      a?.in ?? 0,
      u?.in ?? 0,
      at.paramOut,
      s.out,
      a?.out ?? 0,
      u?.out ?? 0,
      groups,
      flags,
      this.lr,
      alpha,
      1 - alpha,
      eps,
      momentum,
      weightDecay,
    );
  }
}
