import { argumentError } from '@descent/tensor';
import type { MetricName } from './metrics';
import type { OutputKind } from './output';

/** What a data set asks of a network: a number, one of two classes, or one of several. */
export type TaskKind = 'regression' | 'binary' | 'multiclass';
/** Every task kind. */
export const taskKinds: readonly TaskKind[] = ['regression', 'binary', 'multiclass'];

/** The losses a head can be built for (names from @descent/losses). */
export type HeadLoss = 'mse' | 'mae' | 'huber' | 'bce' | 'bceWithLogits' | 'crossEntropy';
/** Every loss a head can be built for. */
export const headLosses: readonly HeadLoss[] = [
  'mse',
  'mae',
  'huber',
  'bce',
  'bceWithLogits',
  'crossEntropy',
];

/** The end of the network and how its training is scored, decided together. */
export interface TaskHead {
  /** Width of the last Linear layer. */
  outputs: number;
  /** Whether a Sigmoid follows it: `bce` reads probabilities, `bceWithLogits` reads the raw logit. */
  sigmoidOutput: boolean;
  loss: HeadLoss;
  /** How predictions are read (the Learner and the bundle record it). */
  outputKind: OutputKind;
  /** What the Learner reports each epoch. */
  metrics: MetricName[];
}

/** Options of `taskHead`: the task, the class count, the loss and the targets. */
export interface TaskHeadOptions {
  task: TaskKind;
  /** Number of classes; needed for a multiclass task, 2 for a binary one. */
  classes?: number;
  /** Default: `defaultLoss(task)`. */
  loss?: HeadLoss;
  /** The targets, so a bce on a regression task can check they lie in [0, 1]. */
  targets?: ArrayLike<number>;
}

/**
 * The loss a task trains with unless told otherwise: mse for numbers, one logit and
 * `bceWithLogits` for two classes (PyTorch's BCEWithLogitsLoss, steadier than a sigmoid followed
 * by bce), `crossEntropy` over one score per class for more.
 */
export function defaultLoss(task: TaskKind): HeadLoss {
  return task === 'regression' ? 'mse' : task === 'binary' ? 'bceWithLogits' : 'crossEntropy';
}

/** Whether every target is a probability, as `bce` requires (e.g. the dosage set's 0/1 efficacy). */
export function targetsInUnitInterval(targets: ArrayLike<number>): boolean {
  for (let i = 0; i < targets.length; i++) if (!(targets[i] >= 0 && targets[i] <= 1)) return false;
  return targets.length > 0;
}

/**
 * Why `loss` cannot train this task, or undefined if it can. Cross-entropy needs class labels;
 * the binary cross-entropies need two classes, or regression targets that are all in [0, 1].
 */
export function lossMismatch(
  loss: HeadLoss,
  task: TaskKind,
  targets?: ArrayLike<number>,
): 'needs-classes' | 'needs-binary' | undefined {
  if (loss === 'crossEntropy' && task === 'regression') return 'needs-classes';
  if (loss === 'bce' || loss === 'bceWithLogits') {
    if (task === 'multiclass') return 'needs-binary';
    if (task === 'regression' && !(targets && targetsInUnitInterval(targets))) return 'needs-binary';
  }
  return undefined;
}

const optionKeys = new Set(['task', 'classes', 'loss', 'targets']);

/** The output head for a task: its width, sigmoid or not, loss, output kind and metrics. */
export function taskHead(options: TaskHeadOptions): TaskHead {
  if (typeof options !== 'object' || options === null) {
    throw argumentError('options', "an object like { task: 'binary' }", options);
  }
  for (const key of Object.keys(options)) {
    if (!optionKeys.has(key)) throw argumentError('options', `only ${[...optionKeys].join(', ')}`, key);
  }
  const { task, classes } = options;
  if (!taskKinds.includes(task)) throw argumentError('task', `one of ${taskKinds.join(', ')}`, task);
  if (task === 'binary' && classes !== undefined && classes !== 2) {
    throw argumentError('classes', '2 for a binary task', classes);
  }
  if (task === 'multiclass' && !(Number.isInteger(classes) && (classes as number) >= 2)) {
    throw argumentError('classes', 'an integer of at least 2 for a multiclass task', classes);
  }
  const loss = options.loss ?? defaultLoss(task);
  if (!headLosses.includes(loss)) throw argumentError('loss', `one of ${headLosses.join(', ')}`, loss);
  const mismatch = lossMismatch(loss, task, options.targets);
  if (mismatch) {
    const expected =
      mismatch === 'needs-classes' ? 'a classification task' : 'a binary task or targets in [0, 1]';
    throw argumentError('task', `${expected} for loss "${loss}"`, task);
  }
  const classify = loss === 'bce' || loss === 'bceWithLogits' || loss === 'crossEntropy';
  return {
    outputs: loss === 'crossEntropy' ? (classes ?? 2) : 1,
    sigmoidOutput: loss === 'bce',
    loss,
    outputKind:
      loss === 'bce'
        ? 'probability'
        : loss === 'bceWithLogits'
          ? 'logit'
          : loss === 'crossEntropy'
            ? 'classScores'
            : 'value',
    metrics: classify ? ['accuracy'] : ['mse'],
  };
}
