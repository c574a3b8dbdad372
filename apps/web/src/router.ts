import { tf } from '@descent/tensor';
import { codeLinks } from './pages/code-links';
import { type PageEntry, pages } from './pages/registry';
import { h } from './ui/dom';
import { clearPageNotices, showError } from './ui/notices';
import { PageController } from './ui/page-controller';

export interface RouterState {
  page: string;
  /** Live tensors when the last page left was entered, and after it was left. */
  lastLeave?: { page: string; before: number; after: number };
}

/** Hash routing (#/descent): works from any static file server without rewrites. */
export class Router {
  private controller: PageController | null = null;
  private current: PageEntry | null = null;
  private navigation: Promise<void> = Promise.resolve();
  readonly state: RouterState = { page: 'home' };

  constructor(
    private readonly root: HTMLElement,
    private readonly backend: () => string,
  ) {}

  route(): string {
    return location.hash.replace(/^#\/?/, '').split('?')[0] || 'home';
  }

  /** Shows the page the hash names; serialised so a fast second click waits for the first. */
  show(): Promise<void> {
    this.navigation = this.navigation.then(() => this.render(this.route()));
    return this.navigation;
  }

  /** Leaves the current page (stopping its training and freeing its tensors). */
  async leave(): Promise<void> {
    const controller = this.controller;
    const page = this.current;
    this.controller = null;
    this.current = null;
    if (page) clearPageNotices(page.id);
    // Until the next page mounts, notices (a backend switch's) belong to no page.
    this.root.dataset.page = '';
    if (page && controller) {
      const { before, after } = await controller.leave();
      this.state.lastLeave = { page: page.id, before, after };
      if (after !== before) console.warn(`${page.id}: ${after - before} tensors were not freed`);
    }
  }

  /** Runs `change` with no page mounted (a backend switch), then mounts the page again. */
  remount(change: () => Promise<void>): Promise<void> {
    this.navigation = this.navigation.then(async () => {
      await this.leave();
      await change();
      await this.render(this.route());
    });
    return this.navigation;
  }

  private async render(id: string): Promise<void> {
    await this.leave();
    this.root.replaceChildren();
    this.state.page = id;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
      if (link.dataset.page === id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const entry = pages.find((p) => p.id === id);
    if (!entry) {
      document.title = 'descent: deep learning you can watch';
      this.root.appendChild(home(id));
      this.root.dataset.page = 'home';
      this.root.dataset.ready = 'true';
      return;
    }
    document.title = `${entry.n}. ${entry.title} · descent`;
    this.root.dataset.page = entry.id;
    this.root.dataset.ready = 'false';
    const container = h('div', { class: `page page-${entry.id}` });
    this.root.appendChild(container);
    // Counts the tensors as the page is entered, before its module loads; left even when its
    // mount fails halfway, so what it made is freed.
    this.current = entry;
    this.controller = new PageController({
      report: (error, doing) => showError(error, doing),
      countTensors: () => tf.memory().numTensors,
    });
    try {
      const module = await entry.load();
      await module.mount({ root: container, backend: this.backend(), page: this.controller });
      if (entry.id !== 'glossary') container.append(codeLinks(entry.id));
    } catch (error) {
      showError(error, `${entry.title}: the page failed to start`);
    }
    this.root.dataset.ready = 'true';
  }
}

function home(id: string): HTMLElement {
  return h(
    'div',
    { class: 'home' },
    id !== 'home' ? h('p', { class: 'notice notice-warning', text: `There is no page “${id}”.` }) : null,
    h('h1', { text: 'Deep learning you can watch' }),
    h(
      'p',
      { class: 'intro' },
      'Each demo below is one idea of the course, running live in your browser on the descent packages ',
      '(tensors on WebGPU, WebGL, WASM or the CPU). Every one has Start, Pause, Reset and a seed: ',
      'the same seed gives the same run.',
    ),
    h(
      'ol',
      { class: 'cards' },
      pages.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: 'card', attrs: { href: `#/${p.id}` } },
            h('span', { class: 'card-n', text: String(p.n) }),
            h('strong', { text: p.title }),
            h('span', { text: p.blurb }),
          ),
        ),
      ),
    ),
  );
}
