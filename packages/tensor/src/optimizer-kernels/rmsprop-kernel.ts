import { type HyperOf, type OptimizerKernel, readHyper } from './optimizer-kernel';

const SCHEMA = {
  lr: 'number',
  alpha: 'number',
  eps: 'number',
  weightDecay: 'number',
  momentum: 'number',
  centered: 'flag',
  maximize: 'flag',
} as const;

/** The fused form of @descent/optim's `RMSprop.update` (PyTorch's RMSprop). */
export const rmspropKernel: OptimizerKernel<HyperOf<typeof SCHEMA>> = {
  read: (hyper) => readHyper(hyper, 'RMSprop', SCHEMA),

  buffers: (h) => [
    'squareAvg',
    ...(h.centered ? ['gradAvg'] : []),
    ...(h.momentum > 0 ? ['momentumBuffer'] : []),
  ],

  loop(h, param, grad, out, buffers) {
    const f = Math.fround;
    const { maximize } = h;
    const lr = f(h.lr);
    const a = f(h.alpha);
    const c = f(1 - h.alpha);
    const e = f(h.eps);
    const mom = f(h.momentum);
    const wd = f(h.weightDecay);
    const decay = h.weightDecay !== 0;
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
        // s - a^2 >= 0 in exact arithmetic; the clamp (the tfjs path's relu) removes rounding below zero.
        variance = Math.max(0, f(sq - f(ga * ga)));
      }
      let u = f(g / f(f(Math.sqrt(variance)) + e));
      if (buf) {
        u = f(f(buf.in[i] * mom) + u);
        buf.out[i] = u;
      }
      out[i] = f(param[i] - f(u * lr));
    }
  },

  simd(h, kernels, at, groups) {
    const { squareAvg: s, gradAvg: a, momentumBuffer: u } = at.buffers;
    const flags = (h.maximize ? 1 : 0) | (h.weightDecay !== 0 ? 2 : 0) | (a ? 4 : 0) | (u ? 8 : 0);
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
      h.lr,
      h.alpha,
      1 - h.alpha,
      h.eps,
      h.momentum,
      h.weightDecay,
    );
  },
};
