import type { HostKernel } from './host-kernel';
import type { Linear } from './linear';

/**
 * y = x Wᵀ + b on the host, W stored [out, in]. Sums run in float64 and round once to float32,
 * so results sit within float32 rounding of tfjs's matmul. The backward pass:
 * dx = dy W, dW = dyᵀ x, db = the column sums of dy.
 */
export function linearKernel(layer: Linear): HostKernel {
  const { inFeatures: nIn, outFeatures: nOut } = layer;
  const hasBias = layer.bias !== null;
  return {
    params: hasBias
      ? [layer.weight.variable, (layer.bias as NonNullable<Linear['bias']>).variable]
      : [layer.weight.variable],
    outCols: (cols) => (cols === nIn ? nOut : undefined),
    cost: () => nIn * nOut,
    forward(x, rows, _cols, [w, b]) {
      const y = new Float32Array(rows * nOut);
      for (let r = 0; r < rows; r++) {
        const xr = r * nIn;
        for (let o = 0; o < nOut; o++) {
          const wo = o * nIn;
          let sum = hasBias ? b[o] : 0;
          for (let i = 0; i < nIn; i++) sum += x[xr + i] * w[wo + i];
          y[r * nOut + o] = sum;
        }
      }
      return y;
    },
    backward(dy, x, _y, rows, _cols, [w]) {
      const dx = new Float32Array(rows * nIn);
      const dw = new Float64Array(nOut * nIn);
      const db = new Float64Array(nOut);
      const row = new Float64Array(nIn);
      for (let r = 0; r < rows; r++) {
        const xr = r * nIn;
        row.fill(0);
        for (let o = 0; o < nOut; o++) {
          const g = dy[r * nOut + o];
          if (g === 0) continue;
          db[o] += g;
          const wo = o * nIn;
          for (let i = 0; i < nIn; i++) {
            row[i] += g * w[wo + i];
            dw[wo + i] += g * x[xr + i];
          }
        }
        for (let i = 0; i < nIn; i++) dx[xr + i] = row[i];
      }
      const dParams = [Float32Array.from(dw)];
      if (hasBias) dParams.push(Float32Array.from(db));
      return { dx, dParams };
    },
  };
}
