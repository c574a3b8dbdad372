import { fmt, h } from '../ui/dom';

/**
 * A small matrix drawn as a grid of cells, optionally editable (each cell a labelled number
 * input), with optional zero padding shown around it and cells marked by CSS classes
 * ('window', 'current', 'max', ...). Coordinates are those of the unpadded matrix.
 */
export class MatrixView {
  readonly el: HTMLElement;
  private readonly grid: HTMLElement;
  private data: number[][];
  private pad = 0;
  private cells: HTMLElement[][] = [];

  constructor(
    private readonly caption: string,
    initial: number[][],
    private readonly options: { editable?: boolean; onEdit?: () => void; testId?: string } = {},
  ) {
    this.data = initial.map((row) => [...row]);
    this.grid = h('div', {
      class: 'matrix',
      role: options.editable ? 'group' : 'table',
      attrs: { 'aria-label': caption, ...(options.testId ? { 'data-testid': options.testId } : {}) },
    });
    this.el = h('figure', {}, h('figcaption', { text: caption }), this.grid);
    this.build();
  }

  private build(): void {
    const rows = this.data.length + 2 * this.pad;
    const cols = this.data[0].length + 2 * this.pad;
    this.grid.style.gridTemplateColumns = `repeat(${cols}, auto)`;
    this.cells = [];
    const nodes: HTMLElement[] = [];
    for (let r = 0; r < rows; r++) {
      const line: HTMLElement[] = [];
      for (let c = 0; c < cols; c++) {
        const i = r - this.pad;
        const j = c - this.pad;
        const inside = i >= 0 && j >= 0 && i < this.data.length && j < this.data[0].length;
        let cell: HTMLElement;
        if (!inside) {
          cell = h('div', { class: 'cell pad', text: '0', attrs: { 'aria-hidden': 'true' } });
        } else if (this.options.editable) {
          const input = h('input', {
            class: 'cell',
            attrs: {
              type: 'text',
              inputmode: 'decimal',
              value: fmt(this.data[i][j]),
              'aria-label': `${this.caption}, row ${i + 1}, column ${j + 1}`,
            },
          });
          input.addEventListener('change', () => {
            const v = Number(input.value.trim());
            const ok = input.value.trim() !== '' && Number.isFinite(v);
            input.setAttribute('aria-invalid', String(!ok));
            if (ok) this.data[i][j] = v;
            else this.data[i][j] = Number.NaN;
            this.options.onEdit?.();
          });
          cell = input;
        } else {
          cell = h('div', { class: 'cell', role: 'cell', text: fmt(this.data[i][j]) });
        }
        line.push(cell);
        nodes.push(cell);
      }
      this.cells.push(line);
    }
    this.grid.replaceChildren(...nodes);
  }

  /** The numbers; throws naming the cell when an edited one is not a number. */
  values(): number[][] {
    this.data.forEach((row, i) => {
      row.forEach((v, j) => {
        if (!Number.isFinite(v)) {
          throw new Error(`${this.caption}: row ${i + 1}, column ${j + 1}: expected a number`);
        }
      });
    });
    return this.data.map((row) => [...row]);
  }

  setValues(values: number[][]): void {
    const reshape = values.length !== this.data.length || values[0].length !== this.data[0].length;
    this.data = values.map((row) => [...row]);
    if (reshape) {
      this.build();
      return;
    }
    this.data.forEach((row, i) => {
      row.forEach((v, j) => {
        const cell = this.at(i, j);
        if (!cell) return;
        if (cell instanceof HTMLInputElement) {
          cell.value = fmt(v);
          cell.removeAttribute('aria-invalid');
        } else cell.textContent = fmt(v);
      });
    });
    this.clearMarks();
  }

  setPadding(pad: number): void {
    if (pad === this.pad) return;
    this.pad = pad;
    this.build();
  }

  private at(i: number, j: number): HTMLElement | undefined {
    return this.cells[i + this.pad]?.[j + this.pad];
  }

  setCell(i: number, j: number, text: string, className?: string): void {
    const cell = this.at(i, j);
    if (!cell || cell instanceof HTMLInputElement) return;
    cell.textContent = text;
    cell.className = `cell${className ? ` ${className}` : ''}`;
  }

  mark(cells: [number, number][], className: string): void {
    for (const [i, j] of cells) this.at(i, j)?.classList.add(className);
  }

  clearMarks(add?: string): void {
    for (const line of this.cells) {
      for (const cell of line) {
        cell.classList.remove('window', 'current', 'max', 'empty', 'filled');
        if (add && !cell.classList.contains('pad')) cell.classList.add(add);
      }
    }
  }
}
