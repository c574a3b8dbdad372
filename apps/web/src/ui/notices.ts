import { h } from './dom';

const region = () => document.getElementById('notices') ?? document.body;

export type NoticeKind = 'info' | 'warning' | 'error';

/**
 * A visible message under the header. Errors get role="alert" so screen readers announce them;
 * every notice can be dismissed. Notices with a `key` replace the previous one with that key.
 * A notice raised while a page is mounted belongs to it and goes when the page is left.
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
  const page = document.getElementById('app')?.dataset.page;
  if (page) el.dataset.page = page;
  close.addEventListener('click', () => el.remove());
  region().appendChild(el);
  return el;
}

/** Removes the notices raised while `page` was mounted (a bad CSV stays with its page). */
export function clearPageNotices(page: string): void {
  for (const el of region().querySelectorAll(`.notice[data-page="${page}"]`)) el.remove();
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
