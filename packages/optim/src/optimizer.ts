import {
  argumentError,
  fusedOptimizerStep,
  type NamedTensorMap,
  type Tensor,
  tf,
  type Variable,
} from '@descent/tensor';
import { checkParams, type OptimParam, variableOf } from './param';
import {
  type HyperCheck,
  type Hyperparameters,
  makeGroups,
  type ParamGroup,
  type Params,
} from './param-group';
import { atLeast } from './validate';

export type { Hyperparameters } from './param-group';

/**
 * Everything needed to resume an optimizer. Plain data plus tensors; `stateDictToJSON` turns the
 * tensors into arrays for a JSON file.
 */
export interface OptimizerStateDict {
  /** The optimizer that wrote it: 'SGD', 'Adam', 'AdamW' or 'RMSprop'. */
  optimizer: string;
  /** How many times `step()` has run. */
  step: number;
  /** The first parameter group's rate and hyperparameters (the only group's, usually). */
  lr: number;
  hyper: Hyperparameters;
  /** Every group's rate and hyperparameters, in order; written only when there are several. */
  groups?: { lr: number; hyper: Hyperparameters }[];
  /**
   * Per-parameter state keyed by the parameter's index in `params` (as PyTorch keys it), e.g.
   * `{ '0': { step, expAvg, expAvgSq } }`. `step` is a scalar; the tensors are clones that the
   * caller owns. A parameter that never had a gradient has no entry.
   */
  state: Record<string, Record<string, Tensor>>;
}

/** One parameter's state: its own step count (PyTorch counts per parameter) and its buffers. */
export interface ParamState {
  step: number;
  buffers: Map<string, Variable>;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (s: readonly number[]) => `shape [${s.join(', ')}]`;

/**
 * The base of every optimizer: holds the parameters in PyTorch's parameter groups (each with its
 * own rate and hyperparameters) and the per-parameter state; subclasses write only the update of
 * one parameter.
 */
export abstract class Optimizer {
  /** The class name, recorded in the state dict so that it loads only into the same kind. */
  abstract readonly kind: string;
  /** Every group's parameters, in order; their index keys the state dict. */
  readonly params: readonly OptimParam[];
  /** PyTorch's `param_groups`: one group unless the constructor was given a list of groups. */
  readonly paramGroups: readonly ParamGroup[];
  /** The names of the buffers this optimizer may keep per parameter. */
  protected abstract readonly bufferNames: readonly string[];

  /**
   * Like PyTorch's `fused=True`: on the WASM and cpu backends, each parameter's update runs as one
   * op of @descent/tensor (`fusedOptimizerStep`, named by `kind`: one pass over the parameter's
   * memory, in WebAssembly SIMD on WASM) instead of the dozen tfjs ops of `update`. The numbers are
   * the same to the bit (the tests prove it for every option). Set false to run `update`; GPU
   * backends, and an optimizer `kind` without a fused op, always run it.
   */
  fused = true;

  private steps = 0;
  private readonly states = new Map<number, ParamState>();
  /** The index in `paramGroups` of each parameter. */
  private readonly groupOf: number[];
  private readonly check: HyperCheck;

  /**
   * `options` are the defaults (`lr` among them), `keys` every option the subclass takes, and
   * `check` validates one group's hyperparameters other than `lr`, filling in the defaults.
   */
  protected constructor(
    owner: string,
    params: Params,
    options: { lr?: number } & object,
    keys: readonly string[],
    check: HyperCheck,
  ) {
    const groups = makeGroups(owner, params, options as { lr?: number }, keys, check);
    const all = groups.flatMap((g) => g.params);
    checkParams(all);
    groups.forEach((g, i) => {
      atLeast(groups.length === 1 ? 'lr' : `params[${i}].lr`, g.lr, 0);
    });
    this.params = all;
    this.paramGroups = groups;
    this.groupOf = groups.flatMap((g, i) => g.params.map(() => i));
    this.check = check;
  }

  /**
   * The learning rate of the next step (the first group's); setting it sets every group's.
   * Schedules set each group's `lr` between steps.
   */
  get lr(): number {
    return this.paramGroups[0].lr;
  }

  set lr(value: number) {
    atLeast('lr', value, 0);
    for (const g of this.paramGroups) g.lr = value;
  }

  /** How many times `step()` has run. */
  get stepCount(): number {
    return this.steps;
  }

  /** A copy of the hyperparameters other than `lr` (the first group's). */
  hyperparameters(): Hyperparameters {
    return structuredClone(this.paramGroups[0].hyper);
  }

  /** Sets one hyperparameter in every group, checked first (OneCycleLR cycles momentum this way). */
  protected setHyperparameter(name: string, value: unknown): void {
    const next = this.paramGroups.map((g) => this.check({ ...g.hyper, [name]: value }, ''));
    this.paramGroups.forEach((g, i) => {
      g.hyper = next[i];
    });
  }

  /**
   * Updates one parameter in place from its gradient with its group's `lr` and hyperparameters:
   * the algorithm's equations in tfjs ops. Runs inside a tidy. A subclass that changes the update
   * of a built-in `kind` sets `fused = false`.
   */
  protected abstract update(param: Variable, grad: Tensor, state: ParamState, group: ParamGroup): void;

  /**
   * Applies one update. `grads` is keyed by `variable.name`, as `tf.variableGrads` returns it; a
   * parameter with no gradient there, or whose variable is not trainable, is left alone. The
   * gradients stay the caller's to dispose.
   */
  step(grads: NamedTensorMap): void {
    if (grads == null || typeof grads !== 'object')
      throw argumentError('grads', 'a map of variable name to gradient', grads);
    const work: { index: number; param: Variable; grad: Tensor }[] = [];
    // Check every gradient before touching any parameter, so a bad one leaves nothing half-updated.
    this.params.forEach((p, index) => {
      const param = variableOf(p, index);
      if (!param.trainable) return;
      const grad = grads[param.name];
      if (grad == null) return;
      const label = `grads["${param.name}"]`;
      if (typeof grad !== 'object' || !('shape' in grad) || grad.isDisposed) {
        throw argumentError(label, 'a live tensor', grad);
      }
      if (!sameShape(grad.shape, param.shape))
        throw argumentError(label, `${shapeText(param.shape)} like its parameter`, grad);
      if (grad.dtype !== 'float32') throw argumentError(label, 'a float32 tensor', grad);
      work.push({ index, param, grad });
    });
    // Plain data for the fused op, per group: the rate and the hyperparameters.
    const hyper = this.fused ? this.paramGroups.map((g) => ({ lr: g.lr, ...g.hyper })) : undefined;
    for (const { index, param, grad } of work) {
      const group = this.groupOf[index];
      let state = this.states.get(index);
      if (state === undefined) {
        state = { step: 0, buffers: new Map() };
        this.states.set(index, state);
      }
      state.step += 1;
      const s = state;
      if (hyper && fusedOptimizerStep(this.kind, hyper[group], param, grad, s.buffers, s.step)) continue;
      tf.tidy(() => this.update(param, grad, s, this.paramGroups[group]));
    }
    this.steps += 1;
  }

  /** The buffer `name` of a parameter, made from `init` the first time (the caller's tidy frees `init`). */
  protected buffer(state: ParamState, name: string, init: () => Tensor): Variable {
    let v = state.buffers.get(name);
    if (v === undefined) {
      v = tf.variable(init(), false);
      state.buffers.set(name, v);
    }
    return v;
  }

  /** A snapshot to resume from: hyperparameters, step counts and cloned state tensors. */
  stateDict(): OptimizerStateDict {
    const state: Record<string, Record<string, Tensor>> = {};
    for (const [index, s] of [...this.states].sort((a, b) => a[0] - b[0])) {
      const entry: Record<string, Tensor> = { step: tf.scalar(s.step) };
      for (const [name, v] of s.buffers) entry[name] = tf.clone(v);
      state[String(index)] = entry;
    }
    const sd: OptimizerStateDict = {
      optimizer: this.kind,
      step: this.steps,
      lr: this.lr,
      hyper: this.hyperparameters(),
      state,
    };
    if (this.paramGroups.length > 1) {
      sd.groups = this.paramGroups.map((g) => ({ lr: g.lr, hyper: structuredClone(g.hyper) }));
    }
    return sd;
  }

  /**
   * Restores a snapshot from `stateDict()` (of the same kind of optimizer over parameters of the
   * same shapes). Everything is checked before anything changes. The tensors in `sd` stay the
   * caller's.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    if (sd == null || typeof sd !== 'object') throw argumentError('stateDict', 'an optimizer state dict', sd);
    if (sd.optimizer !== this.kind)
      throw argumentError('stateDict.optimizer', JSON.stringify(this.kind), sd.optimizer);
    if (!Number.isInteger(sd.step) || sd.step < 0)
      throw argumentError('stateDict.step', 'a non-negative integer', sd.step);
    if (sd.state == null || typeof sd.state !== 'object')
      throw argumentError('stateDict.state', 'an object', sd.state);
    const loaded = new Map<number, { step: number; buffers: Map<string, Tensor> }>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= this.params.length || String(index) !== key) {
        throw argumentError(
          'stateDict.state',
          `keys 0 to ${this.params.length - 1} (one per parameter)`,
          key,
        );
      }
      const param = variableOf(this.params[index], index);
      const step = entry?.step;
      if (step == null || step.size !== 1)
        throw argumentError(`stateDict.state["${key}"].step`, 'a scalar tensor', step);
      const stepValue = step.dataSync()[0];
      if (!Number.isInteger(stepValue) || stepValue < 0) {
        throw argumentError(`stateDict.state["${key}"].step`, 'a non-negative integer', stepValue);
      }
      const buffers = new Map<string, Tensor>();
      for (const [name, t] of Object.entries(entry)) {
        if (name === 'step') continue;
        const label = `stateDict.state["${key}"].${name}`;
        if (!this.bufferNames.includes(name))
          throw argumentError(label, `a ${this.kind} buffer (${this.bufferNames.join(', ')})`, name);
        if (t == null || typeof t !== 'object' || !('shape' in t) || t.isDisposed)
          throw argumentError(label, 'a live tensor', t);
        if (!sameShape(t.shape, param.shape)) {
          throw argumentError(label, `${shapeText(param.shape)} of parameter ${index} ("${param.name}")`, t);
        }
        if (t.dtype !== 'float32') throw argumentError(label, 'a float32 tensor', t);
        buffers.set(name, t);
      }
      loaded.set(index, { step: stepValue, buffers });
    }
    const groups = this.checkGroups(sd);
    this.disposeState();
    this.paramGroups.forEach((g, i) => {
      g.lr = groups[i].lr;
      g.hyper = groups[i].hyper;
    });
    this.steps = sd.step;
    for (const [index, { step, buffers }] of loaded) {
      const own = new Map<string, Variable>();
      // A variable made from a tensor shares its memory by reference count, and `assign` later
      // swaps the variable's memory, so the caller's tensor never changes.
      for (const [name, t] of buffers) own.set(name, tf.variable(t, false));
      this.states.set(index, { step, buffers: own });
    }
  }

  /** Each group's rate and hyperparameters from a state dict, checked. */
  private checkGroups(sd: OptimizerStateDict): { lr: number; hyper: Hyperparameters }[] {
    const given = sd.groups ?? [{ lr: sd.lr, hyper: sd.hyper }];
    const label = (i: number) => (sd.groups ? `stateDict.groups[${i}]` : 'stateDict');
    if (!Array.isArray(given) || given.length !== this.paramGroups.length) {
      throw argumentError('stateDict.groups', `${this.paramGroups.length} parameter groups`, given);
    }
    return given.map((g, i) => {
      if (g?.hyper == null || typeof g.hyper !== 'object')
        throw argumentError(`${label(i)}.hyper`, 'an object', g?.hyper);
      return { lr: atLeast(`${label(i)}.lr`, g.lr, 0), hyper: this.check(g.hyper, `${label(i)}.hyper.`) };
    });
  }

  /** Frees the state tensors and resets the step count; a later step starts as if new. */
  dispose(): void {
    this.disposeState();
    this.steps = 0;
  }

  private disposeState(): void {
    for (const s of this.states.values()) for (const v of s.buffers.values()) v.dispose();
    this.states.clear();
  }
}
