import { argumentError, tf } from '@descent/tensor';
import { Module, type ModuleConfig } from './module';

/** Runs its layers one after another; they are named '0', '1', ... as in PyTorch's nn.Sequential. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(layers: Module[] = []) {
    super();
    if (!Array.isArray(layers)) throw argumentError('Sequential: layers', 'an array of Modules', layers);
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw argumentError(`Sequential: layers[${i}]`, 'a Module', m);
    });
    this.layers = [...layers];
  }

  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index`; negative counts from the end. */
  at(index: number): Module {
    const n = this.layers.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw argumentError('Sequential.at: index', `an integer in [${-n}, ${n})`, index);
    }
    return this.layers[index < 0 ? index + n : index];
  }

  /** Adds a module at the end; returns the Sequential for chaining. */
  append(module: Module): this {
    if (!(module instanceof Module)) throw argumentError('Sequential.append: module', 'a Module', module);
    this.layers.push(module);
    return this;
  }

  /**
   * Each layer's `call` (so hooks fire) on the previous one's output. `compile(model)` runs the
   * same computation faster (a small MLP fused, image layers channels-last).
   */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.call(h), x));
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  override toJSON(): ModuleConfig {
    return { type: 'Sequential', layers: this.layers.map((m) => m.toJSON()) };
  }
}
