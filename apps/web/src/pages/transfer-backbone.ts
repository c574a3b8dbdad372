import { loadDigitBackbone, replaceHead, simpleCnn } from '@descent/cnn';
import type { Module, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { Learner } from '@descent/train';
import { loadDigitSplit } from '../lib/digits';
import { notify } from '../ui/notices';
import type { Run } from '../ui/run';

export interface Backbone {
  model: Sequential;
  /** Width of the features the body hands to the head. */
  features: number;
  /** Swaps the 0–4 head for `head`; returns the new model (the old head is disposed). */
  replaceHead(head: Module): Sequential;
}

/**
 * The backbone @descent/cnn ships (trained on digits 0–4), fetched from the build's
 * digit-backbone/ folder. Should that fail, a small network is pretrained on digits 0–4 right
 * here instead, with a notice saying so: the demo still works, only slower.
 */
export async function loadBackbone(options: {
  seed: number;
  run: Run;
  report: (text: string) => void;
}): Promise<Backbone> {
  const wrap = (model: Sequential, features: number): Backbone => ({
    model,
    features,
    replaceHead: (head) => replaceHead(model, head, { n: 1 }),
  });
  try {
    const { model, info } = await loadDigitBackbone(new URL('./digit-backbone/', document.baseURI));
    const t = info.training as { trainImages?: number; testAccuracy?: number };
    options.report(
      `Backbone: the shipped ${info.name}, trained on ${t.trainImages ?? 'some'} digits 0–4 only (${
        t.testAccuracy ? `${(t.testAccuracy * 100).toFixed(1)}% on its test digits` : 'accuracy unknown'
      }); its head is replaced by a new 5-way layer and the rest frozen.`,
    );
    return wrap(model, info.features);
  } catch (error) {
    notify(
      'warning',
      `The shipped backbone could not be loaded (${error instanceof Error ? error.message : error}); pretraining one on digits 0–4 in the page instead.`,
    );
  }
  options.report('Pretraining a backbone on 2,000 digits 0–4 (one epoch)…');
  const { train } = await loadDigitSplit({ seed: options.seed, digits: [0, 1, 2, 3, 4], trainLimit: 2000 });
  const model = simpleCnn({ inputShape: [1, 28, 28], classes: 5, channels: [16, 32], seed: options.seed });
  const optimizer = new Adam(model.trainableParameters(), { lr: 3e-3 });
  try {
    await new Learner(model, { loss: 'crossEntropy', optimizer, inputShape: [1, 28, 28] }).fit(train, {
      epochs: 1,
      batchSize: 32,
      seed: options.seed,
      signal: options.run.signal,
      callbacks: [
        {
          onBatchEnd: async () => {
            await options.run.checkpoint();
          },
        },
      ],
    });
  } finally {
    optimizer.dispose();
  }
  options.report('Backbone: pretrained here on 2,000 digits 0–4; its head is replaced and the rest frozen.');
  return wrap(model, 16 * 7 * 7 * 2);
}
