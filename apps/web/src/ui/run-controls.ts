import { button, numberField } from './controls';
import { h } from './dom';
import type { TrainerView } from './page-controller';
import type { RunState } from './run';

export interface RunControls extends TrainerView {
  el: HTMLElement;
  readonly seed: number;
  setState(state: RunState): void;
}

/**
 * The Start / Pause / Reset bar every page has, with its seed. The page's trainer (see
 * page-controller.ts) binds the buttons; this only keeps their enabled states and the status
 * text honest.
 */
export function runControls(
  options: { seed?: number; startLabel?: string; extra?: HTMLElement[] } = {},
): RunControls {
  let actions = { start: () => {}, pause: () => {}, reset: () => {} };
  const start = button(options.startLabel ?? 'Start', () => actions.start(), {
    kind: 'primary',
    testId: 'start',
  });
  const pause = button('Pause', () => actions.pause(), { testId: 'pause' });
  const reset = button('Reset', () => actions.reset(), { testId: 'reset' });
  const seed = numberField({
    label: 'Seed',
    value: options.seed ?? 1,
    min: 0,
    max: 2 ** 31 - 1,
    testId: 'seed',
  });
  seed.input.classList.add('seed');
  const status = h('span', { class: 'run-status', attrs: { 'data-testid': 'run-state', role: 'status' } });
  const el = h(
    'div',
    { class: 'run-controls' },
    start,
    pause,
    reset,
    seed.el,
    ...(options.extra ?? []),
    status,
  );
  const labels: Record<RunState, string> = {
    idle: 'ready',
    running: 'running…',
    paused: 'paused',
    done: 'finished',
    error: 'stopped by an error',
  };
  const setState = (state: RunState) => {
    el.dataset.state = state;
    status.textContent = labels[state];
    start.disabled = state === 'running';
    start.textContent = state === 'paused' ? 'Resume' : (options.startLabel ?? 'Start');
    pause.disabled = state !== 'running';
  };
  setState('idle');
  return {
    el,
    get seed() {
      return Math.trunc(seed.value);
    },
    setState,
    bind(bound) {
      actions = bound;
    },
  };
}
