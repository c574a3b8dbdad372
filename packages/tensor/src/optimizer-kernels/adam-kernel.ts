import { type HyperOf, type OptimizerKernel, readHyper } from './optimizer-kernel';

const SCHEMA = {
  lr: 'number',
  betas: 'pair',
  eps: 'number',
  weightDecay: 'number',
  amsgrad: 'flag',
  maximize: 'flag',
} as const;

/**
 * The fused form of @descent/optim's `Adam.update` (PyTorch's Adam) or, with `decoupled`, of
 * AdamW's (the weights decay directly instead of through the gradient).
 */
export function adamKernel(decoupled: boolean): OptimizerKernel<HyperOf<typeof SCHEMA>> {
  const algorithm = decoupled ? 'AdamW' : 'Adam';
  return {
    read: (hyper) => readHyper(hyper, algorithm, SCHEMA),

    buffers: (h) => (h.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq']),

    loop(h, param, grad, out, buffers, t) {
      const f = Math.fround;
      const { lr, eps, weightDecay, amsgrad, maximize } = h;
      const [beta1, beta2] = h.betas;
      // The scalars as the tfjs ops see them: float32 constants.
      const b1 = f(beta1);
      const c1 = f(1 - beta1);
      const b2 = f(beta2);
      const c2 = f(1 - beta2);
      const stepSize = f(lr / (1 - beta1 ** t));
      const bias2 = f(Math.sqrt(1 - beta2 ** t));
      const e = f(eps);
      const coupled = weightDecay !== 0 && !decoupled;
      const decays = weightDecay !== 0 && decoupled;
      const wd = f(weightDecay);
      const keep = f(1 - lr * weightDecay);
      const m0 = buffers.expAvg.in;
      const m1 = buffers.expAvg.out;
      const v0 = buffers.expAvgSq.in;
      const v1 = buffers.expAvgSq.out;
      if (!coupled && !decays && !amsgrad && !maximize) {
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
        const base = decays ? f(p * keep) : p;
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
    },

    simd(h, kernels, at, groups, t) {
      const { lr, eps, weightDecay, amsgrad, maximize } = h;
      const [beta1, beta2] = h.betas;
      const decay = weightDecay === 0 ? 0 : decoupled ? 4 : 2;
      const flags = (maximize ? 1 : 0) | decay | (amsgrad ? 8 : 0);
      const { expAvg: m, expAvgSq: v, maxExpAvgSq: x } = at.buffers;
      // The same float32 constants as `loop`; the kernel's f32 parameters round them alike.
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
    },
  };
}
