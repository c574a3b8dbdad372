import { h, nextId } from './dom';

/** A labelled form control: the label is a real <label for>, so screen readers and clicks work. */
function field(label: string, input: HTMLElement, extra?: HTMLElement): HTMLElement {
  const id = input.id || nextId('in');
  input.id = id;
  return h('div', { class: 'field' }, h('label', { attrs: { for: id }, text: label }), input, extra);
}

export function button(
  label: string,
  onClick: () => void,
  options: { kind?: 'primary' | 'plain'; testId?: string; title?: string } = {},
): HTMLButtonElement {
  return h('button', {
    text: label,
    class: options.kind === 'primary' ? 'primary' : '',
    title: options.title,
    attrs: { type: 'button', ...(options.testId ? { 'data-testid': options.testId } : {}) },
    on: { click: () => onClick() },
  });
}

export interface NumberField {
  el: HTMLElement;
  input: HTMLInputElement;
  readonly value: number;
}

export function numberField(options: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  testId?: string;
  onChange?: (value: number) => void;
}): NumberField {
  const input = h('input', {
    attrs: {
      type: 'number',
      value: options.value,
      ...(options.min !== undefined ? { min: options.min } : {}),
      ...(options.max !== undefined ? { max: options.max } : {}),
      step: options.step ?? 1,
      ...(options.testId ? { 'data-testid': options.testId } : {}),
    },
  });
  const read = () => {
    const v = Number(input.value);
    if (!Number.isFinite(v)) return options.value;
    const lo = options.min ?? -Infinity;
    const hi = options.max ?? Infinity;
    return Math.min(hi, Math.max(lo, v));
  };
  input.addEventListener('change', () => options.onChange?.(read()));
  return {
    el: field(options.label, input),
    input,
    get value() {
      return read();
    },
  };
}

export interface SliderField {
  el: HTMLElement;
  input: HTMLInputElement;
  value: number;
}

/**
 * A range slider with its value shown beside it. `scale: 'log'` makes the slider move in
 * decades (learning rates from 1e-4 to 1 get the same room per factor of ten).
 */
export function slider(options: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  scale?: 'linear' | 'log';
  format?: (v: number) => string;
  testId?: string;
  onInput?: (value: number) => void;
}): SliderField {
  const log = options.scale === 'log';
  const toPos = (v: number) => (log ? Math.log10(v) : v);
  const fromPos = (p: number) => (log ? 10 ** p : p);
  const format = options.format ?? ((v: number) => String(Number(v.toPrecision(3))));
  const input = h('input', {
    attrs: {
      type: 'range',
      min: toPos(options.min),
      max: toPos(options.max),
      step: log ? 0.01 : (options.step ?? 1),
      value: toPos(options.value),
      ...(options.testId ? { 'data-testid': options.testId } : {}),
    },
  });
  const out = h('output', { text: format(options.value) });
  const shown = () => {
    const v = fromPos(Number(input.value));
    // Round log values to 2 significant digits so the slider lands on 0.01, 0.02, ...
    return log ? Number(v.toPrecision(2)) : v;
  };
  const sync = () => {
    out.textContent = format(shown());
    input.setAttribute('aria-valuetext', out.textContent);
  };
  input.addEventListener('input', () => {
    sync();
    options.onInput?.(shown());
  });
  sync();
  return {
    el: field(options.label, input, out),
    input,
    get value() {
      return shown();
    },
    set value(v: number) {
      input.value = String(toPos(v));
      sync();
    },
  };
}

export interface SelectField<T extends string> {
  el: HTMLElement;
  input: HTMLSelectElement;
  value: T;
}

export function selectField<T extends string>(options: {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  testId?: string;
  onChange?: (value: T) => void;
}): SelectField<T> {
  const input = h(
    'select',
    { attrs: options.testId ? { 'data-testid': options.testId } : {} },
    options.options.map((o) => h('option', { text: o.label, attrs: { value: o.value } })),
  );
  input.value = options.value;
  input.addEventListener('change', () => options.onChange?.(input.value as T));
  return {
    el: field(options.label, input),
    input,
    get value() {
      return input.value as T;
    },
    set value(v: T) {
      input.value = v;
    },
  };
}

export function checkbox(options: {
  label: string;
  checked: boolean;
  onChange?: (checked: boolean) => void;
  swatch?: string;
}): { el: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { attrs: { type: 'checkbox', ...(options.checked ? { checked: true } : {}) } });
  input.addEventListener('change', () => options.onChange?.(input.checked));
  const swatch = options.swatch
    ? h('span', { class: 'swatch', style: { background: options.swatch }, attrs: { 'aria-hidden': 'true' } })
    : null;
  return { el: h('label', { class: 'check' }, input, swatch, options.label), input };
}

/** A readout: label and value; `data-value` keeps the full number for tests and screen readers. */
export function readout(label: string, testId?: string): { el: HTMLElement; set(v: number | string): void } {
  const value = h('output', { text: '–', attrs: testId ? { 'data-testid': testId } : {} });
  return {
    el: h('div', { class: 'readout' }, h('span', { class: 'readout-label', text: label }), value),
    set(v) {
      value.textContent = typeof v === 'number' ? formatReadout(v) : v;
      value.dataset.value = String(v);
    },
  };
}

function formatReadout(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}
