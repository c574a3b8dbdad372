import { Linear } from '@descent/layers';
import { tf } from '@descent/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WeightSnapshot } from './weight-snapshot';

// The clock is set by the test: on a loaded machine the first copies alone can take 50 ms.
let now = 1000;
afterEach(() => vi.restoreAllMocks());

describe('WeightSnapshot', () => {
  it('holds the first epoch, keeps it while epochs are quick, retakes after 50 ms, frees every copy', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const before = tf.memory().numTensors;
    const layer = new Linear(2, 1, { seed: 1 });
    const first = Array.from(layer.weight.variable.dataSync());
    const snapshot = new WeightSnapshot(layer);
    snapshot.maybeTake(1);
    const changed = tf.tensor2d([[5, 6]]);
    layer.weight.variable.assign(changed);
    changed.dispose();
    now += 49;
    snapshot.maybeTake(2);
    expect(snapshot.epoch).toBe(1);
    expect(Array.from(snapshot.state?.weight.dataSync() ?? [])).toEqual(first);
    now += 1;
    snapshot.maybeTake(3);
    expect(snapshot.epoch).toBe(3);
    expect(Array.from(snapshot.state?.weight.dataSync() ?? [])).toEqual([5, 6]);
    snapshot.dispose();
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
