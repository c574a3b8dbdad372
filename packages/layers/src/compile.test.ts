import { FUSED_MLP_LIMIT, gradCheck, nativeKernelInfo, randn, tf } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm1d';
import { compile } from './compile';
import { Dropout } from './dropout';
import { GELU } from './gelu';
import { Identity } from './identity';
import { LayerNorm } from './layer-norm';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import type { Module } from './module';
import { ReLU } from './relu';
import { type ActivationName, mlp, Sequential } from './sequential';
import { SiLU } from './silu';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/** The compiled forward, or the model's own `call`. */
const forwardOf = (net: Module, compiled: boolean) => {
  const fast = compile(net);
  return compiled ? (x: tf.Tensor) => fast.forward(x) : (x: tf.Tensor) => net.call(x);
};

/** The output and the gradients (input first, then each parameter) of sum(forward(x) * r). */
function outputAndGrads(net: Sequential, x: tf.Tensor, compiled: boolean) {
  const forward = forwardOf(net, compiled);
  return tf.tidy(() => {
    const out = forward(x);
    const r = randn(out.shape, 99);
    const params = net.parameters().map((p) => p.variable);
    const f = (input: tf.Tensor, ...ws: tf.Tensor[]) => {
      ws.forEach((w, i) => {
        if (w !== params[i]) params[i].assign(w);
      });
      return tf.sum(tf.mul(forward(input), r)) as tf.Scalar;
    };
    const grads = tf.grads(f)([x, ...params]);
    return {
      out: Array.from(out.dataSync()),
      grads: grads.map((g) => Array.from(g.dataSync())),
    };
  });
}

/** Kernels one forward-and-backward pass runs (tf.profile), compiled unless told otherwise. */
async function kernelsOfStep(net: Sequential, x: tf.Tensor, compiled = true): Promise<string[]> {
  const vars = net.trainableParameters().map((p) => p.variable);
  const forward = forwardOf(net, compiled);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(forward(x)) as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  });
  return info.kernels.map((k) => k.name);
}

const close = (actual: number[], expected: number[], tol: number) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i]), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(expected[i])),
    );
  });
};

const previous = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(previous);
});

const activations: ActivationName[] = ['relu', 'sigmoid', 'tanh', 'softplus', 'leaky-relu', 'none'];

describe.each(['wasm', 'cpu'])('a small MLP compiled (%s)', (backend) => {
  it.each(activations)(
    'gives the outputs and gradients of the plain path, the layers own tfjs ops (%s)',
    async (activation) => {
      await tf.setBackend(backend);
      const net = mlp({ inputs: 5, hidden: [7, 6], outputs: 3, activation, sigmoidOutput: true, seed: 4 });
      // 9 rows: two blocks of four and a remainder row in the blocked matmul.
      const x = randn([9, 5], 8);
      const host = outputAndGrads(net, x, true);
      const ops = outputAndGrads(net, x, false);
      close(host.out, ops.out, 1e-5);
      host.grads.forEach((g, i) => {
        close(g, ops.grads[i], 1e-4);
      });
      x.dispose();
      net.dispose();
    },
  );

  it('handles Linear without bias, Identity, Softplus beta/threshold and LeakyReLU slope', async () => {
    await tf.setBackend(backend);
    const net = new Sequential([
      new Linear(3, 4, { bias: false, seed: 1 }),
      new Softplus({ beta: 2, threshold: 1 }),
      new Identity(),
      new Linear(4, 4, { seed: 2 }),
      new LeakyReLU({ negativeSlope: 0.2 }),
      new Linear(4, 2, { seed: 3 }),
    ]);
    const x = randn([5, 3], 2);
    const host = outputAndGrads(net, x, true);
    const ops = outputAndGrads(net, x, false);
    close(host.out, ops.out, 1e-5);
    host.grads.forEach((g, i) => {
      close(g, ops.grads[i], 1e-4);
    });
    tf.dispose([x]);
    net.dispose();
  });

  it('matches central finite differences (the course dosage net)', async () => {
    await tf.setBackend(backend);
    const net = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: 3 });
    const [w1, b1, w2, b2] = net.parameters().map((p) => p.variable);
    const x = tf.tensor2d([[0], [0.5], [1]]);
    const y = tf.tensor2d([[0], [1], [0]]);
    const fast = compile(net);
    const sse = (...ws: tf.Tensor[]) => {
      [w1, b1, w2, b2].forEach((v, i) => {
        if (ws[i] !== v) v.assign(ws[i]);
      });
      return tf.sum(tf.square(tf.sub(fast.forward(x), y))) as tf.Scalar;
    };
    const result = gradCheck(sse, [w1, b1, w2, b2], { eps: 1e-2, rtol: 1e-2, atol: 1e-3 });
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('runs a whole step in a handful of kernels, against dozens for the layer ops, and leaks nothing', async () => {
    await tf.setBackend(backend);
    const net = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: 1 });
    const x = tf.tensor2d([[0], [0.5], [1]]);
    const before = tf.memory().numTensors;
    const host = await kernelsOfStep(net, x);
    const ops = await kernelsOfStep(net, x, false);
    expect(tf.memory().numTensors).toBe(before);
    expect(host.length).toBeLessThanOrEqual(6);
    expect(ops.length).toBeGreaterThan(20);
    expect(host).not.toContain('BatchMatMul');
    x.dispose();
    net.dispose();
  });

  it('leaves a network above FUSED_MLP_LIMIT to tfjs, whose matmul is faster there', async () => {
    await tf.setBackend(backend);
    const width = 64;
    const rows = Math.ceil(FUSED_MLP_LIMIT / (width * width)) + 1;
    const net = mlp({ inputs: width, hidden: [width], outputs: 1, seed: 1 });
    const x = randn([rows, width], 1);
    // tfjs's product, or with the native kernels the fused Linear chain's.
    const product = (k: string) => k === 'BatchMatMul' || k.startsWith('DescentLinear');
    expect((await kernelsOfStep(net, x)).some(product)).toBe(true);
    const small = randn([2, width], 1);
    expect((await kernelsOfStep(net, small)).some(product)).toBe(false);
    tf.dispose([x, small]);
    net.dispose();
  });
});

describe('Linear layers above the fused-MLP limit, compiled on wasm with the native kernels', () => {
  it.runIf(nativeKernelInfo().active)(
    "runs each chain of Linear layers (and the ReLUs after them) as one kernel, with the plain path's outputs and gradients",
    async () => {
      await tf.setBackend('wasm');
      const net = new Sequential([
        new Linear(40, 32, { seed: 1 }),
        new ReLU(),
        new Linear(32, 16, { bias: false, seed: 2 }),
        new Tanh(),
        new Linear(16, 3, { seed: 3 }),
      ]);
      const x = randn([Math.ceil(FUSED_MLP_LIMIT / (40 * 32)) + 1, 40], 5);
      const kernels = await kernelsOfStep(net, x);
      // Linear, ReLU, Linear as one chain; the Tanh; the last Linear alone.
      expect(kernels.filter((k) => k.startsWith('DescentLinear') && k !== 'DescentLinearGrad')).toEqual([
        'DescentLinear2',
        'DescentLinear',
      ]);
      expect(kernels.filter((k) => k === 'DescentLinearGrad')).toHaveLength(2);
      expect(kernels).not.toContain('Relu');
      expect(kernels).not.toContain('Add');
      const fused = outputAndGrads(net, x, true);
      const ops = outputAndGrads(net, x, false);
      close(fused.out, ops.out, 1e-5);
      fused.grads.forEach((g, i) => {
        close(g, ops.grads[i], 1e-4);
      });
      x.dispose();
      net.dispose();
    },
  );
});

describe('the compiled model steps aside to the plain path', () => {
  // The host's fused MLP runs no product kernel: neither tfjs's nor the native DescentLinear's.
  const usesHost = async (net: Sequential, x: tf.Tensor) =>
    !(await kernelsOfStep(net, x)).some((k) => k === 'BatchMatMul' || k.startsWith('DescentLinear'));
  const net = (...layers: Module[]) => new Sequential(layers);

  it('for a layer it has no step for, a subclass of a layer or of Sequential', async () => {
    const x = randn([4, 3], 1);
    const plain = net(new Linear(3, 2, { seed: 1 }), new ReLU());
    expect(await usesHost(plain, x)).toBe(true);
    const dropout = net(new Linear(3, 2, { seed: 1 }), new Dropout({ p: 0.5 }));
    dropout.eval();
    expect(await usesHost(dropout, x)).toBe(false);
    class Doubled extends ReLU {
      override forward(t: tf.Tensor) {
        return tf.mul(super.forward(t), 2);
      }
    }
    const sub = net(new Linear(3, 2, { seed: 1 }), new Doubled());
    expect(await usesHost(sub, x)).toBe(false);
    const doubledOut = tf.tidy(() => Array.from(compile(sub).forward(x).dataSync()));
    expect(doubledOut).toEqual(tf.tidy(() => Array.from(sub.call(x).dataSync())));
    class MySequential extends Sequential {}
    const mine = new MySequential([new Linear(3, 2, { seed: 1 }), new ReLU()]);
    expect(await usesHost(mine, x)).toBe(false);
    for (const m of [plain, dropout, sub, mine]) m.dispose();
    x.dispose();
  });

  it('runs GELU, SiLU, LayerNorm and BatchNorm1d as written: the plain path’s outputs and gradients', async () => {
    const x = randn([6, 3], 2);
    const model = net(
      new Linear(3, 5, { seed: 1 }),
      new LayerNorm(5),
      new GELU(),
      new Linear(5, 4, { seed: 2 }),
      new BatchNorm1d(4),
      new SiLU(),
      new GELU('tanh'),
      new Linear(4, 2, { seed: 3 }),
    );
    const before = tf.memory().numTensors;
    expect(await usesHost(model, x)).toBe(false);
    const host = outputAndGrads(model, x, true);
    const ops = outputAndGrads(model, x, false);
    expect(host).toEqual(ops);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('while a forward hook or pre-hook is registered on the model or a layer, and runs the hooks', async () => {
    const x = randn([4, 3], 1);
    const model = net(new Linear(3, 2, { seed: 1 }), new Tanh());
    const plainOut = tf.tidy(() => Array.from(model.call(x).dataSync()));
    const compiled = compile(model);
    const shifted = model.at(0).registerForwardHook((_m, _input, output) => tf.add(output, 1));
    expect(await usesHost(model, x)).toBe(false);
    const hookedOut = tf.tidy(() => Array.from(compiled.forward(x).dataSync()));
    expect(hookedOut).toEqual(tf.tidy(() => Array.from(model.call(x).dataSync())));
    expect(hookedOut).not.toEqual(plainOut);
    shifted.remove();
    expect(await usesHost(model, x)).toBe(true);
    const seen: number[][] = [];
    const pre = model.registerForwardPreHook((_m, input) => {
      seen.push(input.shape);
      return undefined;
    });
    expect(await usesHost(model, x)).toBe(false);
    expect(seen).toEqual([[4, 3]]);
    pre.remove();
    const post = model.registerForwardHook(() => undefined);
    expect(await usesHost(model, x)).toBe(false);
    post.remove();
    expect(await usesHost(model, x)).toBe(true);
    model.dispose();
    x.dispose();
  });

  it('refuses bad options', () => {
    const m = net(new ReLU());
    expect(() => compile(m, { limit: 3 } as never)).toThrow('compile: options');
    expect(() => compile(m, { fusedMlpLimit: -1 })).toThrow('compile: fusedMlpLimit');
    expect(() => compile({} as Module)).toThrow('compile: model: expected a Module');
  });

  it('for input that is not [N, features] float32, which the layers then report', () => {
    const m = net(new Linear(3, 2, { seed: 1 }), new ReLU());
    const wrongCols = tf.zeros([2, 4]);
    const fast = compile(m);
    expect(() => fast.forward(wrongCols)).toThrow('Linear(3, 2): input: expected shape [N, 3], found [2, 4]');
    const ints = tf.zeros([2, 3], 'int32');
    expect(() => fast.forward(ints)).toThrow(/float32/);
    tf.dispose([wrongCols, ints]);
    m.dispose();
  });
});

describe('linearChain (the model as one chain of Linear layers, for a step compiled whole)', () => {
  const net = (...layers: Module[]) => new Sequential(layers);

  it("gives each Linear layer's variables and whether a ReLU follows it, nested Sequentials opened up", () => {
    const first = new Linear(4, 3, { seed: 1 });
    const second = new Linear(3, 2, { seed: 2, bias: false });
    const model = net(net(first, new ReLU()), second);
    expect(compile(model).linearChain()).toEqual([
      { weight: first.weight.variable, bias: first.bias?.variable, relu: true },
      { weight: second.weight.variable, bias: null, relu: false },
    ]);
    model.dispose();
  });

  it('is undefined for any other layer, a subclass, a leading ReLU, a non-Sequential or a hook', () => {
    class MyLinear extends Linear {}
    const cases: Module[] = [
      net(new Linear(4, 3, { seed: 1 }), new Tanh(), new Linear(3, 2, { seed: 2 })),
      net(new Linear(4, 3, { seed: 1 }), new ReLU(), new ReLU()),
      net(new ReLU(), new Linear(4, 3, { seed: 1 })),
      net(new MyLinear(4, 3, { seed: 1 })),
      net(),
      new Linear(4, 3, { seed: 1 }),
    ];
    for (const model of cases) expect(compile(model).linearChain()).toBeUndefined();
    const hooked = net(new Linear(4, 3, { seed: 1 }));
    const hook = hooked.at(0).registerForwardHook(() => undefined);
    expect(compile(hooked).linearChain()).toBeUndefined();
    hook.remove();
    expect(compile(hooked).linearChain()).toHaveLength(1);
    for (const model of [...cases, hooked]) model.dispose();
  });
});
