import { getColumn, splitTable, type Table } from '@descent/datasets';
import type { Sequential } from '@descent/layers';
import { type ActivationName, mlp } from '@descent/layers';
import type { Optimizer } from '@descent/optim';
import {
  createOptimizer,
  Learner,
  type OptimizerName,
  type ScaleName,
  TabularPreprocessor,
  taskHead,
} from '@descent/train';

export interface TabularSetup {
  table: Table;
  target: string;
  features: string[];
}

export interface TabularTask {
  preprocessor: TabularPreprocessor;
  train: { X: { data: Float32Array; rows: number; cols: number }; y: Float32Array };
  test: { X: { data: Float32Array; rows: number; cols: number }; y: Float32Array };
  /** The raw test rows, for showing a row as the user knows it. */
  testTable: Table;
  classes: string[];
  binary: boolean;
  featureNames: string[];
}

/** The optimizers the table pages offer, by their names in @descent/train's registry. */
export const tabularOptimizers = ['adam', 'momentum', 'rmsprop'] as const satisfies readonly OptimizerName[];
export type TabularOptimizerName = (typeof tabularOptimizers)[number];

/**
 * Split (stratified by the target), then fit the encoder and scaler on the training rows only,
 * as the `descent train` command does: the test rows never leak into the scaling.
 */
export function prepareTabular(
  setup: TabularSetup,
  options: { seed: number; scale: ScaleName },
): TabularTask {
  const target = getColumn(setup.table, setup.target);
  if (target.kind === 'numeric') {
    const distinct = new Set(Array.from(target.values).filter((v) => !Number.isNaN(v)));
    if (distinct.size > 20) {
      throw new Error(
        `target "${setup.target}": expected a column of classes (at most 20 distinct values), found ${distinct.size} distinct numbers; this page classifies`,
      );
    }
  }
  const { train, test } = splitTable(setup.table, {
    testSize: 0.2,
    seed: options.seed,
    stratifyBy: setup.target,
  });
  const preprocessor = TabularPreprocessor.create({
    scale: options.scale,
    missing: 'drop',
    handleUnknown: 'ignore',
  }).fit(train, { target: setup.target, features: setup.features });
  const a = preprocessor.transform(train);
  const b = preprocessor.transform(test);
  const classes = preprocessor.classes ?? [];
  if (!a.y || !b.y) throw new Error(`target "${setup.target}": missing from the table`);
  return {
    preprocessor,
    train: { X: a.X, y: a.y },
    test: { X: b.X, y: b.y },
    testTable: test,
    classes,
    binary: classes.length === 2,
    featureNames: preprocessor.featureNames,
  };
}

export interface TabularModel {
  model: Sequential;
  optimizer: Optimizer;
  learner: Learner;
  dispose(): void;
}

/** An MLP with the task's head (taskHead: one logit and bceWithLogits for two classes, else crossEntropy). */
export function makeTabularModel(
  task: TabularTask,
  options: {
    hidden: number[];
    activation: ActivationName;
    optimizer: TabularOptimizerName;
    lr: number;
    seed: number;
  },
): TabularModel {
  const head = taskHead({ task: task.binary ? 'binary' : 'multiclass', classes: task.classes.length });
  const model = mlp({
    inputs: task.featureNames.length,
    hidden: options.hidden,
    outputs: head.outputs,
    activation: options.activation,
    sigmoidOutput: head.sigmoidOutput,
    seed: options.seed,
  });
  const optimizer = createOptimizer(options.optimizer, model.trainableParameters(), { lr: options.lr });
  const learner = new Learner(model, { loss: head.loss, optimizer, metrics: head.metrics });
  return {
    model,
    optimizer,
    learner,
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}
