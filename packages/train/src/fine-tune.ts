import { Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { argumentError } from '@descent/tensor';
import type { TrainingData } from './data';
import { type FitOptions, type FitResult, Learner } from './learner';

/** Options of `fineTune`: the fit options, the epochs with the body frozen and what to freeze. */
export interface FineTuneOptions extends Omit<FitOptions, 'epochs'> {
  /** Epochs with the body frozen: only the head learns. */
  epochs: number;
  /** 'backbone' freezes every layer but the head; 'none' trains all of it. Default 'backbone'. */
  freeze?: 'backbone' | 'none';
  /** Adam's learning rate for the head phase. Default 1e-3. */
  lr?: number;
  /** How many trailing layers form the head. Default 1. */
  headLayers?: number;
  /** Then unfreeze and train everything for this many epochs at lr / 10. Default 0. */
  unfreezeEpochs?: number;
}

/**
 * Transfer learning (fast.ai's fine_tune): freezes the learner's model but its head, trains the
 * head, then optionally unfreezes everything and trains a little more at a tenth of the rate.
 * Each phase is a fresh Learner with its own Adam; their epochs join `learner.history`.
 */
export async function fineTune(
  learner: Learner,
  data: TrainingData,
  options: FineTuneOptions,
): Promise<FitResult> {
  const { freeze = 'backbone', lr = 1e-3, headLayers = 1, unfreezeEpochs = 0, ...fit } = options;
  const model = learner.model;
  if (!(model instanceof Sequential)) {
    throw argumentError(
      'fineTune: model',
      'a Sequential (body layers, then head layers)',
      model.constructor.name,
    );
  }
  if (!Number.isInteger(headLayers) || headLayers < 1 || headLayers >= model.length) {
    throw argumentError('fineTune: headLayers', `an integer in [1, ${model.length - 1}]`, headLayers);
  }
  if (freeze !== 'backbone' && freeze !== 'none')
    throw argumentError('fineTune: freeze', "'backbone' or 'none'", freeze);
  const body = model.layers.slice(0, model.length - headLayers);
  if (freeze === 'backbone') for (const layer of body) layer.freeze();
  const phase = async (epochs: number, rate: number): Promise<FitResult> => {
    const optimizer = new Adam(model.trainableParameters(), { lr: rate });
    const phaseLearner = new Learner(model, {
      loss: learner.loss,
      optimizer,
      metrics: learner.metricNames,
      outputKind: learner.outputKind,
      inputShape: learner.inputShape,
    });
    try {
      const result = await phaseLearner.fit(data, { ...fit, epochs });
      learner.history.push(...result.history);
      return result;
    } finally {
      optimizer.dispose();
    }
  };
  const head = await phase(options.epochs, lr);
  if (unfreezeEpochs <= 0 || head.stopReason) return { ...head, history: learner.history };
  for (const layer of body) layer.unfreeze();
  const all = await phase(unfreezeEpochs, lr / 10);
  return { ...all, history: learner.history };
}
