import { Linear, ModuleBuffer, Sequential } from '@descent/layers';
import { tf } from '@descent/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateShared, makeLayout, splitShards } from './shared-layout';

describe('splitShards', () => {
  it('cuts rows into contiguous shards that cover them, sizes within one, the main never empty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 9 }), (rows, replicas) => {
        const shards = splitShards(rows, replicas);
        expect(shards).toHaveLength(replicas);
        expect(shards[0][0]).toBe(0);
        expect(shards[replicas - 1][1]).toBe(rows);
        shards.slice(1).forEach(([start], r) => {
          expect(start).toBe(shards[r][1]);
        });
        const sizes = shards.map(([a, b]) => b - a);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes[0]).toBeGreaterThan(0);
      }),
    );
  });
});

describe('makeLayout', () => {
  it('lays out trainable parameters (gradients) and those plus buffers (weights) back to back', () => {
    const model = new Sequential([new Linear(3, 2, { seed: 1 }), new Linear(2, 1, { seed: 2 })]);
    model.at(0).freeze();
    Object.assign(model.at(1), { count: new ModuleBuffer(tf.zeros([4], 'int32')) });
    const layout = makeLayout(model, 3, 10, 1);
    expect(layout.grads.map((s) => [s.name, s.offset, s.size])).toEqual([
      ['1.weight', 0, 2],
      ['1.bias', 2, 1],
    ]);
    expect(layout.gradSize).toBe(3);
    expect(layout.sync.map((s) => [s.name, s.offset, s.dtype])).toEqual([
      ['1.weight', 0, 'float32'],
      ['1.bias', 2, 'float32'],
      ['1.count', 3, 'int32'],
    ]);
    expect(layout.syncSize).toBe(7);
    expect(layout.maxShard).toBe(4);
    const shared = allocateShared(layout);
    expect(shared.grads.length).toBe(2 * 3);
    expect(shared.outputs.length).toBe(2 * 4 * 1);
    expect(shared.present.length).toBe(2 * 2);
    expect(shared.weights.buffer).toBeInstanceOf(SharedArrayBuffer);
    model.dispose();
  });
});
