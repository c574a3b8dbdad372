import { Linear } from '@descent/layers';
import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { WeightSnapshot } from './weight-snapshot';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WeightSnapshot', () => {
  it('holds the first epoch, keeps it while epochs are quick, retakes after 50 ms, frees every copy', async () => {
    const before = tf.memory().numTensors;
    const layer = new Linear(2, 1, { seed: 1 });
    const first = Array.from(layer.weight.variable.dataSync());
    const snapshot = new WeightSnapshot(layer);
    snapshot.maybeTake(1);
    const changed = tf.tensor2d([[5, 6]]);
    layer.weight.variable.assign(changed);
    changed.dispose();
    snapshot.maybeTake(2);
    expect(snapshot.epoch).toBe(1);
    expect(Array.from(snapshot.state?.weight.dataSync() ?? [])).toEqual(first);
    await sleep(60);
    snapshot.maybeTake(3);
    expect(snapshot.epoch).toBe(3);
    expect(Array.from(snapshot.state?.weight.dataSync() ?? [])).toEqual([5, 6]);
    snapshot.dispose();
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
