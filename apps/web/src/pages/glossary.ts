import { h } from '../ui/dom';
import { codeLinks } from './code-links';
import { concepts, sourceHref } from './glossary-recipe';
import { type PageContext, pageHeader } from './page';

/** The course's key concepts, each with the demo that shows it and the code that implements it. */
export function mount({ root }: PageContext) {
  root.append(
    pageHeader(
      11,
      'Glossary: from the idea to the demo to the code',
      'Each key concept of the course, in a sentence, with the demo that shows it and the file that implements it. The code a demo runs is the code linked here.',
    ),
    h(
      'dl',
      { class: 'glossary', attrs: { 'data-testid': 'glossary' } },
      concepts.flatMap((c) => [
        h('dt', { text: c.term, attrs: { id: `term-${c.term.toLowerCase().replaceAll(' ', '-')}` } }),
        h(
          'dd',
          {},
          h('p', { text: c.meaning }),
          h(
            'p',
            {},
            'See it: ',
            h('a', { text: `#/${c.demo}`, attrs: { href: `#/${c.demo}` } }),
            ` (${c.where}).`,
          ),
          h(
            'p',
            {},
            'Code: ',
            c.sources.flatMap((path, i) => [
              i > 0 ? ', ' : '',
              h('a', { text: path, attrs: { href: sourceHref(path) } }),
            ]),
          ),
        ),
      ]),
    ),
    codeLinks('glossary'),
  );
}
