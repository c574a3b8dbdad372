import './style.css';
import { tf } from '@descent/tensor';
import {
  type BackendChoice,
  type BackendStart,
  backendLabels,
  backendOrder,
  gpuDevice,
  startBackend,
  watchGpuErrors,
} from './backend';
import { pages } from './pages/registry';
import { Router } from './router';
import { h } from './ui/dom';
import { clearNotices, notify, showError } from './ui/notices';

const badge = document.getElementById('backend-badge')!;
const select = document.getElementById('backend-select') as HTMLSelectElement;
const app = document.getElementById('app')!;
let running: BackendStart | null = null;

function choiceFromUrl(): BackendChoice {
  const wanted = new URLSearchParams(location.search).get('backend');
  return wanted && (backendOrder as readonly string[]).includes(wanted) ? (wanted as BackendChoice) : 'auto';
}

function showBackend(start: BackendStart, choice: BackendChoice): void {
  const label = backendLabels[start.name] ?? start.name;
  const detail = start.why ?? start.adapter;
  badge.replaceChildren(
    h('strong', { text: label }),
    detail
      ? h('span', { class: 'badge-why', text: start.why ? `: ${start.why}` : ` · ${start.adapter}` })
      : '',
  );
  badge.dataset.backend = start.name;
  badge.dataset.software = start.software ? 'true' : 'false';
  badge.title = [
    `tfjs backend: ${start.name}`,
    start.adapter && `adapter: ${start.adapter}`,
    ...start.passedOver.map((p) => `ranked below: ${p.reason}`),
  ]
    .filter(Boolean)
    .join('\n');
  badge.setAttribute('aria-label', `Running on ${label}${start.why ? `: ${start.why}` : ''}`);
  clearNotices('backend');
  if (start.skipped.length > 0) {
    const reasons = start.skipped.map((s) => `${backendLabels[s.name] ?? s.name}: ${s.reason}`).join('; ');
    const wanted = choice === 'auto' ? backendLabels[start.skipped[0].name] : backendLabels[choice];
    notify(
      'warning',
      `${wanted} did not start, so descent fell back to ${label} (${reasons}). Training is slower but works the same.`,
      'backend',
    );
  }
}

async function switchBackend(choice: BackendChoice): Promise<void> {
  badge.textContent = 'starting…';
  badge.dataset.backend = '';
  try {
    running = await startBackend(choice);
  } catch (error) {
    if (choice === 'auto') throw error;
    // The backend picked by hand would not start: say so, and take the first that does.
    showError(error, `${backendLabels[choice]} would not start`, { expected: true });
    running = await startBackend('auto');
    select.value = 'auto';
    showBackend(running, 'auto');
    watchGpu();
    return;
  }
  showBackend(running, choice);
  watchGpu();
}

/** WebGPU errors after start-up (a failing shader, a lost device) become visible errors. */
function watchGpu(): void {
  watchGpuErrors((message) => {
    // The device's trouble outlasts the page it happened on.
    delete showError(new Error(message), 'WebGPU').dataset.page;
  });
}

function buildNav(): void {
  const nav = document.getElementById('nav')!;
  nav.replaceChildren(
    ...pages.map((p) =>
      h(
        'li',
        {},
        h(
          'a',
          { class: 'nav-link', attrs: { href: `#/${p.id}`, title: p.blurb }, dataset: { page: p.id } },
          h('span', { class: 'nav-n', text: String(p.n) }),
          p.title,
        ),
      ),
    ),
  );
}

async function main(): Promise<void> {
  buildNav();
  window.addEventListener('error', (event) => showError(event.error ?? event.message, 'unexpected error'));
  window.addEventListener('unhandledrejection', (event) => showError(event.reason, 'unexpected error'));

  const router = new Router(app, () => running?.name ?? 'none');
  window.__descent = {
    numTensors: () => tf.memory().numTensors,
    backend: () => tf.getBackend() ?? 'none',
    page: () => router.state.page,
    lastLeave: () => router.state.lastLeave,
    fallback: () => running?.skipped ?? [],
    passedOver: () => running?.passedOver ?? [],
    gpuDevice: () => gpuDevice(),
    ready: false,
  };

  const choice = choiceFromUrl();
  select.value = choice;
  try {
    await switchBackend(choice);
  } catch (error) {
    badge.textContent = 'no backend';
    showError(error, 'descent cannot run here');
    return;
  }
  select.addEventListener('change', () => {
    const next = select.value as BackendChoice;
    const url = new URL(location.href);
    if (next === 'auto') url.searchParams.delete('backend');
    else url.searchParams.set('backend', next);
    history.replaceState(null, '', url);
    router.remount(() => switchBackend(next)).catch((error) => showError(error, 'switching backend'));
  });
  window.addEventListener('hashchange', () => {
    router.show().then(() => app.focus({ preventScroll: true }));
  });
  await router.show();
  window.__descent.ready = true;
}

main().catch((error) => showError(error, 'descent failed to start'));
