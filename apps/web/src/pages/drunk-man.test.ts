import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { DrunkMan, firstRim, walkDefaults, walkStart } from './drunk-man';
import { tricksSteps } from './tricks-recipe';

beforeAll(async () => {
  await initBackend();
});

/** The page's run: one step of the walk per frame, a frame every `perFrame` training steps. */
const walkSteps = tricksSteps.total / tricksSteps.perFrame;

/** Where he went: his furthest point right of the start, and where he ended. */
async function walk(seed: number, noise: number) {
  const man = new DrunkMan(seed, walkDefaults.lr);
  let furthest = walkStart;
  let at = walkStart;
  for (let i = 0; i < walkSteps; i++) {
    at = await man.step(walkDefaults.lr, noise);
    furthest = Math.max(furthest, at);
  }
  man.dispose();
  return { furthest, at };
}

describe('page 1: the drunk man', () => {
  it('at the default noise he leaves the first dip for every seed 1-30; sober he never does', async () => {
    const before = tf.memory().numTensors;
    const stuck: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      if ((await walk(seed, walkDefaults.noise)).furthest <= firstRim) stuck.push(seed);
      const sober = await walk(seed, 0);
      expect(sober.furthest, `seed ${seed} without noise`).toBeLessThan(firstRim);
      // Sober, he slides into the first dip (x ≈ -2.59) and stays.
      expect(sober.at).toBeCloseTo(-2.59, 1);
    }
    expect(stuck, 'seeds that never left the first dip').toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
