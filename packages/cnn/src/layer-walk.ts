import { type Module, Sequential } from '@descent/layers';
import { DescentArgumentError, describe } from '@descent/tensor';

/** The layers a Sequential runs, nested Sequentials opened up, named by path ('3', '4.0'). */
export function leafLayers(model: Sequential, prefix = ''): [string, Module][] {
  return model.layers.flatMap((layer, i): [string, Module][] => {
    const name = prefix ? `${prefix}.${i}` : String(i);
    return layer instanceof Sequential ? leafLayers(layer, name) : [[name, layer]];
  });
}

/** `a Conv2d` for class instances (arrays and plain objects are described as values). */
export function describeInstance(value: unknown): string {
  const name = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && name && name !== 'Object'
    ? `a ${name}`
    : describe(value);
}

export function checkSequential(where: string, model: unknown): Sequential {
  if (!(model instanceof Sequential))
    throw new DescentArgumentError(`${where}: expected a Sequential, found ${describeInstance(model)}`);
  return model;
}

/** Runs `fn` with every module in eval mode (no dropout, no running-statistics update), then restores each. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  model.eval();
  try {
    return fn();
  } finally {
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
}
