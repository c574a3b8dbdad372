import { SGD } from '@descent/optim';
import { Generator, tf } from '@descent/tensor';
import { read } from '../lib/read';

/** Page 1's drunk man, without the drawing: the hill, his defaults and his steps (no DOM). */

export const walkStart = -3.6;
export const walkDomain: [number, number] = [-4, 4];
/**
 * The defaults that teach the lesson: with noise 2.5 he leaves the shallow first dip (near
 * x = -2.59, its rim at -2.36) within the page's 120 steps for every seed 1-30; with no noise he
 * stays in it for good (drunk-man.test.ts).
 */
export const walkDefaults = { lr: 0.1, noise: 2.5 };
/** The first dip's rim: past it, he has left the first dip. */
export const firstRim = -2.358;

/** A hillside with small dips on the way down to its lowest valley near x = 1.9. */
export function height(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => x.sub(1.5).square().mul(0.15).add(x.mul(2.5).sin().mul(0.5)));
}

/**
 * Gradient descent in one dimension: each step is SGD's new = old − lr × slope, where the slope
 * comes from autodiff plus seeded noise (a mini-batch's slope is only roughly the true one).
 */
export class DrunkMan {
  private readonly x: tf.Variable;
  private readonly optimizer: SGD;
  private readonly rng: Generator;

  constructor(seed: number, lr: number) {
    this.rng = new Generator(seed);
    const initial = tf.scalar(walkStart);
    this.x = tf.variable(initial, true, `drunk-man-${seed}-${Math.random()}`);
    initial.dispose();
    this.optimizer = new SGD([this.x], { lr });
  }

  /** One step at this rate and noise; returns where he stands (kept on the hill). */
  async step(lr: number, noise: number): Promise<number> {
    const x = this.x;
    this.optimizer.lr = lr;
    const slope = tf.tidy(() =>
      tf
        .grad((v: tf.Tensor) => height(v))(x)
        .add(noise * this.rng.normal()),
    );
    this.optimizer.step({ [x.name]: slope });
    slope.dispose();
    // Keep him on the hill: a wild step past the edge lands him at the edge.
    const now = (await read(x))[0];
    const at = Math.min(walkDomain[1], Math.max(walkDomain[0], now));
    if (at !== now) tf.tidy(() => x.assign(tf.scalar(at)));
    return at;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.x.dispose();
  }
}
