import { h } from './dom';

const region = () => document.getElementById('notices') ?? document.body;

export type NoticeKind = 'info' | 'warning' | 'error';

/**
 * A visible message under the header. Errors get role="alert" so screen readers announce them;
 * every notice can be dismissed. Notices with a `key` replace the previous one with that key.
 */
export function notify(kind: NoticeKind, message: string, key?: string): HTMLElement {
  if (key) region().querySelector(`[data-key="${key}"]`)?.remove();
  const close = h('button', {
    class: 'notice-close',
    text: '×',
    attrs: { type: 'button', 'aria-label': 'Dismiss this message' },
  });
  const el = h(
    'div',
    {
      class: `notice notice-${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      dataset: { kind, ...(key ? { key } : {}) },
      attrs: { 'data-testid': `notice-${kind}` },
    },
    h('span', { class: 'notice-text', text: message }),
    close,
  );
  close.addEventListener('click', () => el.remove());
  region().appendChild(el);
  return el;
}

export function clearNotices(key?: string): void {
  for (const el of region().querySelectorAll(key ? `[data-key="${key}"]` : '.notice')) el.remove();
}

/**
 * Shows an error as a notice: errors are shown, never swallowed. Unexpected ones are logged too;
 * `expected` is for the user's own mistakes (a bad CSV), which need the notice only.
 */
export function showError(error: unknown, context?: string, { expected = false } = {}): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const el = notify('error', context ? `${context}: ${message}` : message);
  if (!expected) console.error(context ?? 'descent', error);
  return el;
}
