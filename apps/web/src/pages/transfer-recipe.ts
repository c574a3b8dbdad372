import { simpleCnn } from '@descent/cnn';
import { Linear, type Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { Learner } from '@descent/train';
import type { Backbone } from './transfer-backbone';

/** Page 8's recipe: a backbone that knows 0–4, re-headed for 5–9, against a fresh network (no DOM). */

export const newDigits = [5, 6, 7, 8, 9];

export interface Contender {
  model: Sequential;
  learner: Learner;
}

function learnerFor(model: Sequential, optimizer?: Adam): Learner {
  return new Learner(model, {
    loss: 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
    inputShape: [1, 28, 28],
  });
}

/**
 * The two networks that race: the backbone with its 0–4 head swapped for a fresh 5-way one
 * (fineTune gives it its optimizer, over the head only), and the same architecture from scratch
 * with Adam. The same seed gives both heads' and the fresh network's first weights.
 */
export function transferContenders(backbone: Backbone, seed: number): { tuned: Contender; fresh: Contender } {
  const transfer = backbone.replaceHead(new Linear(backbone.features, newDigits.length, { seed }));
  const scratch = simpleCnn({ inputShape: [1, 28, 28], classes: newDigits.length, channels: [16, 32], seed });
  return {
    tuned: { model: transfer, learner: learnerFor(transfer) },
    fresh: {
      model: scratch,
      learner: learnerFor(scratch, new Adam(scratch.trainableParameters(), { lr: 1e-3 })),
    },
  };
}

export function disposeContender(c: Contender): void {
  c.learner.optimizer?.dispose();
  c.model.dispose();
}

/** The run's last line: both accuracies, the gap, and the time. */
export function transferSummary(tuned: number, fresh: number, perClass: string, seconds: number): string {
  const gap = `${Math.abs((tuned - fresh) * 100).toFixed(1)} points ${tuned >= fresh ? 'behind' : 'ahead'}`;
  return `From ${perClass} labelled examples per digit: the fine-tuned backbone reads ${(tuned * 100).toFixed(1)} % of the held-out digits right, the network from scratch ${(fresh * 100).toFixed(1)} % (${gap}), in ${seconds.toFixed(1)} s.`;
}
