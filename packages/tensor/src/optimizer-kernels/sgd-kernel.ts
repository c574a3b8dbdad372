import { type HyperOf, type OptimizerKernel, readHyper } from './optimizer-kernel';

const SCHEMA = {
  lr: 'number',
  momentum: 'number',
  dampening: 'number',
  nesterov: 'flag',
  weightDecay: 'number',
  maximize: 'flag',
} as const;

/** The fused form of @descent/optim's `SGD.update` (PyTorch's SGD). */
export const sgdKernel: OptimizerKernel<HyperOf<typeof SCHEMA>> = {
  read: (hyper) => readHyper(hyper, 'SGD', SCHEMA),

  buffers: (h) => (h.momentum !== 0 ? ['momentumBuffer'] : []),

  loop(h, param, grad, out, buffers) {
    const f = Math.fround;
    const { nesterov, maximize } = h;
    const lr = f(h.lr);
    const mom = f(h.momentum);
    const damp = f(1 - h.dampening);
    const wd = f(h.weightDecay);
    const decay = h.weightDecay !== 0;
    const buf = buffers.momentumBuffer;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (decay) g = f(g + f(param[i] * wd));
      if (buf) {
        // PyTorch starts the momentum buffer at the first gradient.
        const b = buf.fresh ? g : f(f(buf.in[i] * mom) + f(g * damp));
        buf.out[i] = b;
        g = nesterov ? f(g + f(b * mom)) : b;
      }
      out[i] = f(param[i] - f(g * lr));
    }
  },

  simd(h, kernels, at, groups) {
    const buf = at.buffers.momentumBuffer;
    const flags =
      (h.maximize ? 1 : 0) |
      (h.weightDecay !== 0 ? 2 : 0) |
      (buf ? 4 : 0) |
      (buf?.fresh ? 8 : 0) |
      (h.nesterov ? 16 : 0);
    kernels.sgd(
      at.param,
      at.grad,
      buf?.in ?? 0,
      at.paramOut,
      buf?.out ?? 0,
      groups,
      flags,
      h.lr,
      h.momentum,
      1 - h.dampening,
      h.weightDecay,
    );
  },
};
