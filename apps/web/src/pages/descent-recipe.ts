import type { TestFunction } from '@descent/datasets';
import type { Optimizer } from '@descent/optim';
import { tf } from '@descent/tensor';
import { createOptimizer, type OptimizerName } from '@descent/train';
import { read } from '../lib/read';
import { palette } from '../ui/charts';

/** Page 2's recipe: four optimizers descending a test function from one start (no DOM). */

export interface OptimizerKind {
  /** The optimizer's name in @descent/train's registry. */
  key: OptimizerName;
  label: string;
  color: string;
  make(params: tf.Variable[], lr: number): Optimizer;
}

const optimizerKind = (key: OptimizerName, label: string, color: string): OptimizerKind => ({
  key,
  label,
  color,
  make: (p, lr) => createOptimizer(key, p, { lr }),
});

export const optimizerKinds: OptimizerKind[] = [
  optimizerKind('sgd', 'SGD', palette.blue),
  optimizerKind('momentum', 'Momentum 0.9', palette.vermillion),
  optimizerKind('adam', 'Adam', palette.green),
  optimizerKind('rmsprop', 'RMSprop', palette.purple),
];

/** A learning rate that shows each function well with plain SGD. */
export const defaultLr: Record<string, number> = {
  quadratic: 0.02,
  rosenbrock: 0.001,
  saddle: 0.02,
  himmelblau: 0.01,
};

/** One optimizer's walk: its point (a variable), its path and f along it. */
export interface Runner {
  kind: OptimizerKind;
  variable: tf.Variable;
  optimizer: Optimizer;
  path: [number, number][];
  losses: number[];
  diverged: boolean;
}

export function makeRunner(
  kind: OptimizerKind,
  fn: TestFunction,
  start: [number, number],
  lr: number,
): Runner {
  // tf.variable copies its initial value: the initial tensor is ours to free.
  const initial = tf.tensor1d(start);
  const variable = tf.variable(initial, true, `start-${kind.key}-${Math.random()}`);
  initial.dispose();
  return {
    kind,
    variable,
    optimizer: kind.make([variable], lr),
    path: [[start[0], start[1]]],
    losses: [fn.f(start[0], start[1])],
    diverged: false,
  };
}

export function disposeRunner(r: Runner): void {
  r.optimizer.dispose();
  r.variable.dispose();
}

/**
 * One optimizer step: the gradient comes from the test function itself. A walk that leaves the
 * map (non-finite f, or beyond 1e6) is marked diverged and stops.
 */
export async function stepRunner(r: Runner, fn: TestFunction): Promise<void> {
  if (r.diverged) return;
  const [x, y] = r.path[r.path.length - 1];
  const grad = tf.tensor1d(fn.grad(x, y));
  r.optimizer.step({ [r.variable.name]: grad });
  grad.dispose();
  const [nx, ny] = await read(r.variable);
  const loss = fn.f(nx, ny);
  if (!Number.isFinite(loss) || Math.abs(nx) > 1e6 || Math.abs(ny) > 1e6) {
    r.diverged = true;
    return;
  }
  r.path.push([nx, ny]);
  r.losses.push(loss);
}
