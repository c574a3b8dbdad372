import { getTestFunction, testFunctions } from '@descent/datasets';
import { initBackend, tf } from '@descent/tensor';
import { createOptimizer, type OptimizerName, optimizerNames } from '@descent/train';
import { Command } from 'commander';
import { toCsv } from '../csv-output';
import { checkOutFile, writeOutFile } from '../output-path';
import { limits, parseChoice, parseNumber, parseNumberList } from '../parse';

/** The inputs of `descent gd`: the test function, the optimiser, its learning rate and the step budget. */
export interface GdOptions {
  fn: string;
  optimizer: OptimizerName;
  lr: number;
  steps: number;
  start: [number, number];
  /** Stop once the gradient's norm falls below this. */
  tol: number;
  out?: string;
}

/** Where gradient descent ended on the test function: the point, its value and whether it converged. */
export interface GdResult {
  point: [number, number];
  value: number;
  steps: number;
  converged: boolean;
  trajectory: number[][];
}

/** Walks downhill on a 2-D test function with one of descent's optimizers, recording each step. */
export async function runGd(o: GdOptions, out: NodeJS.WritableStream = process.stdout): Promise<GdResult> {
  if (o.out !== undefined) await checkOutFile('--out', o.out);
  await initBackend();
  const fn = getTestFunction(o.fn);
  const point = tf.variable(tf.tensor1d(o.start));
  const optimizer = createOptimizer(o.optimizer, [point], { lr: o.lr });
  const trajectory: number[][] = [[0, o.start[0], o.start[1], fn.f(o.start[0], o.start[1])]];
  let [x, y] = o.start;
  let steps = 0;
  let converged = false;
  try {
    for (; steps < o.steps; ) {
      const g = fn.grad(x, y);
      if (Math.hypot(g[0], g[1]) < o.tol) {
        converged = true;
        break;
      }
      const grad = tf.tensor1d(g);
      optimizer.step({ [point.name]: grad });
      grad.dispose();
      steps++;
      [x, y] = point.dataSync();
      const value = fn.f(x, y);
      if (!Number.isFinite(value) || !Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(
          `gd: diverged at step ${steps}: the point reached (${x}, ${y}) where ${o.fn} is ${value}; try a smaller --lr`,
        );
      }
      trajectory.push([steps, x, y, value]);
    }
  } finally {
    optimizer.dispose();
    point.dispose();
  }
  const value = fn.f(x, y);
  const w = (line = '') => out.write(`${line}\n`);
  w(`${o.fn} with ${o.optimizer} (lr ${o.lr}) from (${o.start.join(', ')})`);
  w(`steps      ${steps} of ${o.steps}${converged ? ` (gradient norm below ${o.tol})` : ''}`);
  w(`final      (${x.toFixed(6)}, ${y.toFixed(6)})`);
  w(`value      ${value.toExponential(4)}`);
  if (fn.minima.length > 0) {
    const [mx, my] = fn.minima.reduce((a, b) =>
      Math.hypot(a[0] - x, a[1] - y) <= Math.hypot(b[0] - x, b[1] - y) ? a : b,
    );
    w(`nearest    minimum (${mx}, ${my}), distance ${Math.hypot(mx - x, my - y).toExponential(3)}`);
  }
  if (o.out) {
    await writeOutFile('--out', o.out, toCsv(['step', 'x', 'y', 'value'], trajectory));
    w(`trajectory ${o.out} (${trajectory.length} rows)`);
  }
  return { point: [x, y], value, steps, converged, trajectory };
}

export function gdCommand(): Command {
  return new Command('gd')
    .description('run gradient descent on a 2-D test function and print where it ends')
    .option('--fn <name>', `one of ${Object.keys(testFunctions).join(', ')}`, 'quadratic')
    .option('--optimizer <name>', `one of ${optimizerNames.join(', ')}`, 'sgd')
    .option('--lr <number>', 'learning rate', '0.01')
    .option('--steps <n>', 'the most steps to take', '2000')
    .option('--start <x,y>', "starting point (default: the function's own)")
    .option('--tol <number>', 'stop when the gradient norm is below this', '1e-8')
    .option('--out <file.csv>', 'write the trajectory (step,x,y,value)')
    .action(async (raw) => {
      const name = parseChoice('--fn', raw.fn, Object.keys(testFunctions));
      await runGd({
        fn: name,
        optimizer: parseChoice('--optimizer', raw.optimizer, optimizerNames),
        lr: parseNumber('--lr', raw.lr, { positive: true }),
        steps: parseNumber('--steps', raw.steps, { integer: true, positive: true, max: limits.steps }),
        start: raw.start
          ? (parseNumberList('--start', raw.start, 2) as [number, number])
          : getTestFunction(name).defaultStart,
        tol: parseNumber('--tol', raw.tol, { min: 0 }),
        out: raw.out,
      });
    });
}
