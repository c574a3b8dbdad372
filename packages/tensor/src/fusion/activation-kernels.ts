import type { HostKernel } from './host-kernel';

/**
 * Host kernels of the elementwise activations (see host-kernel.ts). Each has its own loops, with
 * no function called per element: that call would cost more than the maths on a small batch.
 */
function activation(
  forward: (x: Float32Array, y: Float32Array) => void,
  backward: (dy: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array) => void,
): HostKernel {
  return {
    params: [],
    outCols: (cols) => cols,
    costPerRow: 0,
    forward(x) {
      const y = new Float32Array(x.length);
      forward(x, y);
      return y;
    },
    backward(dy, x, y) {
      const dx = new Float32Array(dy.length);
      backward(dy, x, y, dx);
      return { dx, dParams: [] };
    },
  };
}

// As tfjs's gradient: the slope is 0 at x = 0.
export const reluKernel = activation(
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0);
  },
  (dy, x, _y, dx) => {
    for (let i = 0; i < dy.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  },
);

export const sigmoidKernel = activation(
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  },
  (dy, _x, y, dx) => {
    for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
  },
);

export const tanhKernel = activation(
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  },
  (dy, _x, y, dx) => {
    for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
  },
);

export const identityKernel = activation(
  (x, y) => y.set(x),
  (dy, _x, _y, dx) => dx.set(dy),
);

export function leakyReluKernel(slope: number): HostKernel {
  return activation(
    (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    },
    (dy, x, _y, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
    },
  );
}

/** PyTorch's softplus: log(1 + exp(bx)) / b, and x itself where bx > threshold. */
export function softplusKernel(beta: number, threshold: number): HostKernel {
  return activation(
    (x, y) => {
      for (let i = 0; i < x.length; i++) {
        const bx = beta * x[i];
        // log1p(exp(-|bx|)) + max(bx, 0) is log(1 + exp(bx)) without overflow.
        y[i] = bx > threshold ? x[i] : (Math.log1p(Math.exp(-Math.abs(bx))) + Math.max(bx, 0)) / beta;
      }
    },
    (dy, x, _y, dx) => {
      for (let i = 0; i < dy.length; i++) {
        const bx = beta * x[i];
        dx[i] = bx > threshold ? dy[i] : dy[i] / (1 + Math.exp(-bx));
      }
    },
  );
}
