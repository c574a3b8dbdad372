import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import type { Module } from './module';

/**
 * Records every module's output shape with a forward hook on each, running a zero batch of one
 * sample through the model in eval mode, so that nothing random is drawn and no running statistic
 * moves. Every hook and training flag is removed or restored afterwards.
 */
function outputShapes(model: Module, modules: Module[], inputShape: number[]): Map<Module, number[]> {
  const shapes = new Map<Module, number[]>();
  const modes = modules.map((m) => m.training);
  const handles = modules.map((m) =>
    m.registerForwardHook((module, _input, output) => {
      shapes.set(module, output.shape.slice());
      return undefined;
    }),
  );
  try {
    model.eval();
    tf.tidy(() => {
      model.call(tf.zeros([1, ...inputShape]));
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new DescentArgumentError(`summary: inputShape [${inputShape.join(', ')}]: ${message}`);
  } finally {
    for (const handle of handles) handle.remove();
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
  return shapes;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The Keras/torchinfo-style table that `Module.summary` returns. */
export function summary(model: Module, inputShape?: number[]): string {
  if (
    inputShape !== undefined &&
    (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0))
  ) {
    throw argumentError(
      'inputShape',
      "one sample's shape (no batch dimension), positive integers",
      inputShape,
    );
  }
  const named = model.namedModules();
  const shapes = inputShape
    ? outputShapes(
        model,
        named.map(([, m]) => m),
        inputShape,
      )
    : null;

  const header = ['Layer', 'Type', ...(shapes ? ['Output shape'] : []), 'Params'];
  const rows = named.map(([name, m]) => {
    const depth = name === '' ? 0 : name.split('.').length;
    const own = m.namedParameters({ recurse: false }).reduce((n, [, p]) => n + p.size, 0);
    const params = own === 0 && m.children().length > 0 ? '--' : count(own);
    const row = ['  '.repeat(Math.max(0, depth - 1)) + name, m.toJSON().type];
    if (shapes) {
      const shape = shapes.get(m);
      row.push(shape ? `[${['N', ...shape.slice(1)].join(', ')}]` : '--');
    }
    row.push(params);
    return row;
  });

  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  const total = model.numParameters();
  const trainable = model.numParameters({ trainableOnly: true });
  return [
    line(header),
    rule('-'),
    ...rows.map(line),
    rule('='),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Frozen params: ${count(total - trainable)}`,
  ].join('\n');
}
