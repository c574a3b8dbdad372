import { tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace, read } from '../lib/read';
import { legend, palette, throttledRender } from '../ui/charts';
import { readout, slider } from '../ui/controls';
import { h } from '../ui/dom';
import { walkDomain as DOMAIN, DrunkMan, height, walkStart as START, walkDefaults } from './drunk-man';

/** The drunk man's walk drawn: the hill, his last steps, the rate and noise sliders. */
export class DrunkWalk {
  readonly el: HTMLElement;
  private man: DrunkMan | null = null;
  private trail: number[] = [];
  private curve: { x: number; y: number }[] = [];
  private readonly chart: ReturnType<typeof throttledRender>;
  private readonly lr = slider({
    label: 'Step size (learning rate)',
    value: walkDefaults.lr,
    min: 0.005,
    max: 0.5,
    scale: 'log',
  });
  private readonly noise = slider({
    label: 'Drunkenness (slope noise)',
    value: walkDefaults.noise,
    min: 0,
    max: 4,
    step: 0.1,
  });
  private readonly heightOut = readout('His height', 'walk-height');

  constructor() {
    const box = h('div');
    this.chart = throttledRender(box, () => this.draw(), 50);
    this.el = h('div', {}, h('div', { class: 'toolbar' }, this.lr.el, this.noise.el), this.heightOut.el, box);
  }

  /** The hill itself, computed once by the same function the man descends. */
  private async hill(): Promise<void> {
    if (this.curve.length) return;
    const xs = linspace(DOMAIN[0], DOMAIN[1], 161);
    const ys = tf.tidy(() => height(tf.tensor1d(xs)));
    const values = await read(ys);
    ys.dispose();
    this.curve = xs.map((x, i) => ({ x, y: values[i] }));
  }

  async reset(seed: number): Promise<void> {
    this.dispose();
    await this.hill();
    this.man = new DrunkMan(seed, this.lr.value);
    this.trail = [START];
    this.heightOut.set(this.heightAt(START));
    this.chart.flush();
  }

  /** The hill's height under x, read off the drawn curve. */
  private heightAt(x: number): number {
    if (!this.curve.length) return Number.NaN;
    const i = Math.round(((x - DOMAIN[0]) / (DOMAIN[1] - DOMAIN[0])) * (this.curve.length - 1));
    return this.curve[Math.max(0, Math.min(this.curve.length - 1, i))].y;
  }

  async step(): Promise<void> {
    if (!this.man) return;
    const at = await this.man.step(this.lr.value, this.noise.value);
    this.trail.push(at);
    if (this.trail.length > 60) this.trail.shift();
    this.heightOut.set(this.heightAt(at));
    this.chart.request();
  }

  private draw(): HTMLElement {
    const y = (x: number) => this.heightAt(x);
    const steps = this.trail.map((x, i) => ({ x, y: y(x), age: (i + 1) / this.trail.length }));
    const man = steps[steps.length - 1];
    // The fill runs from the chart's floor up to the curve (not from zero: the valley dips below it).
    const floor = Math.min(...this.curve.map((p) => p.y)) - 0.25;
    const top = Math.max(...this.curve.map((p) => p.y)) + 0.25;
    return h(
      'figure',
      { class: 'chart' },
      legend([
        { name: 'the hill (loss)', color: palette.black },
        { name: 'his last steps', color: palette.orange, symbol: 'dot' },
        { name: 'the drunk man', color: palette.vermillion, symbol: 'dot' },
      ]),
      Plot.plot({
        ariaLabel: 'The hill (loss against position) and the drunk man’s last steps',
        ariaDescription: man
          ? `He stands at position ${man.x.toFixed(2)}, height ${man.y.toFixed(3)}`
          : 'He has not started',
        width: 520,
        height: 300,
        style: { background: 'transparent', fontSize: '12px' },
        x: { label: 'position (a weight)', domain: DOMAIN },
        y: { label: 'height (the loss)', grid: true, domain: [floor, top] },
        marks: [
          Plot.areaY(this.curve, { x: 'x', y1: floor, y2: 'y', fill: palette.green, fillOpacity: 0.12 }),
          Plot.line(this.curve, { x: 'x', y: 'y', stroke: palette.black, strokeWidth: 2 }),
          Plot.dot(steps, {
            x: 'x',
            y: 'y',
            r: 3,
            fill: palette.orange,
            fillOpacity: (d: { age: number }) => d.age,
          }),
          man
            ? Plot.dot([man], {
                x: 'x',
                y: 'y',
                r: 9,
                fill: palette.vermillion,
                stroke: 'white',
                strokeWidth: 2,
              })
            : null,
          man ? Plot.text([man], { x: 'x', y: 'y', text: () => 'him', dy: -16, fontWeight: 700 }) : null,
        ],
      }),
    );
  }

  dispose(): void {
    this.chart.cancel();
    this.man?.dispose();
    this.man = null;
  }
}
