import { replaceHead, simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { mnistSubset } from '@descent/datasets/node';
import { initBackend, tf } from '@descent/tensor';
import { fineTune } from '@descent/train';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backbone } from './transfer-backbone';
import { disposeContender, newDigits, transferContenders, transferSummary } from './transfer-recipe';

beforeAll(async () => {
  await initBackend();
});

/** A backbone stood in for: the page's fallback architecture, untrained (the shipped one needs a server). */
function standInBackbone(seed: number): Backbone {
  const model = simpleCnn({ inputShape: [1, 28, 28], classes: 5, channels: [16, 32], seed });
  return { model, features: 16 * 7 * 7 * 2, replaceHead: (head) => replaceHead(model, head, { n: 1 }) };
}

describe('page 8: transfer learning', () => {
  it('fine-tuning trains only the new head; the network from scratch trains everything; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const split = await mnistSubset({ digits: newDigits, perClass: 4, seed: 2 });
    const x = toNCHW(split.train);
    const train = { X: { data: x.data, rows: split.train.count, cols: 784 }, y: split.train.labels };
    const { tuned, fresh } = transferContenders(standInBackbone(2), 2);
    const bodyOf = (c: typeof tuned) => Array.from(c.model.parameters()[0].value.dataSync());
    const [tunedBody, freshBody] = [bodyOf(tuned), bodyOf(fresh)];
    const headBefore = Array.from(tuned.model.at(-1).parameters()[0].value.dataSync());
    await fineTune(tuned.learner, train, { epochs: 2, batchSize: 10, seed: 2, lr: 1e-3 });
    await fresh.learner.fit(train, { epochs: 2, batchSize: 10, seed: 2 });
    expect(bodyOf(tuned)).toEqual(tunedBody);
    expect(bodyOf(fresh)).not.toEqual(freshBody);
    expect(Array.from(tuned.model.at(-1).parameters()[0].value.dataSync())).not.toEqual(headBefore);
    const out = tf.tidy(() => tuned.model.forward(tf.zeros([1, 1, 28, 28])).shape);
    expect(out).toEqual([1, newDigits.length]);
    disposeContender(tuned);
    disposeContender(fresh);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the summary says which is ahead and by how much', () => {
    expect(transferSummary(0.9, 0.6, '10', 4.25)).toBe(
      'From 10 labelled examples per digit: the fine-tuned backbone reads 90.0 % of the held-out digits right, the network from scratch 60.0 % (30.0 points behind), in 4.3 s.',
    );
  });
});
