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

/**
 * Each optimizer's own rate on each function, from a sweep of 1,500 steps from the default start
 * (descent-recipe.test.ts keeps them honest). One rate for all four would teach the wrong lesson:
 * on Rosenbrock at 0.001 Adam is still at f = 4 when momentum is at 4e-7. SGD and momentum take
 * the largest rate that does not diverge in Rosenbrock's steep walls; Adam's steps are about lr
 * long whatever the gradient, so it needs a larger one. RMSprop lags at any fixed rate there:
 * its steps also stay about lr long, so it rattles across the narrow valley instead of settling
 * (the page says so).
 */
export const suitedLr: Record<string, Record<string, number>> = {
  quadratic: { sgd: 0.02, momentum: 0.02, adam: 0.05, rmsprop: 0.02 },
  rosenbrock: { sgd: 0.001, momentum: 0.001, adam: 0.1, rmsprop: 0.005 },
  saddle: { sgd: 0.02, momentum: 0.02, adam: 0.02, rmsprop: 0.02 },
  himmelblau: { sgd: 0.01, momentum: 0.01, adam: 0.05, rmsprop: 0.02 },
};

/** Why an optimizer lags on a function at its suited rate, where it does. */
export const lagNotes: Record<string, Record<string, string>> = {
  rosenbrock: {
    sgd: 'Plain SGD lags here: the steep valley walls cap its rate (at 0.002 it flies off the map), and on the flat valley floor the gradient is tiny, so are its steps. Momentum keeps the speed it has built up: that is what it fixes.',
    rmsprop:
      'RMSprop lags here at any fixed rate: it divides each step by the gradient’s running size, so its steps stay about lr long even on the flat valley floor, and it rattles across the narrow valley instead of settling (a rate that shrinks over time fixes it).',
  },
};

/** An optimizer's rate on a function: its suited rate times the page's multiplier. */
export function rateFor(fn: string, key: string, scale = 1): number {
  return (suitedLr[fn]?.[key] ?? 0.01) * scale;
}

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
