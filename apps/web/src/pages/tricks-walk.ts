import { SGD } from '@descent/optim';
import { Generator, tf } from '@descent/tensor';
import * as Plot from '@observablehq/plot';
import { linspace, read } from '../lib/read';
import { legend, palette, throttledRender } from '../ui/charts';
import { readout, slider } from '../ui/controls';
import { h } from '../ui/dom';

const START = -3.6;
const DOMAIN: [number, number] = [-4, 4];

/** A hillside with small dips on the way down to its lowest valley near x = 1.9. */
function height(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => x.sub(1.5).square().mul(0.15).add(x.mul(2.5).sin().mul(0.5)));
}

/**
 * Gradient descent in one dimension: each step is SGD's new = old − lr × slope, where the slope
 * comes from autodiff plus seeded noise (a mini-batch's slope is only roughly the true one).
 */
export class DrunkWalk {
  readonly el: HTMLElement;
  private x: tf.Variable | null = null;
  private optimizer: SGD | null = null;
  private rng = new Generator(1);
  private trail: number[] = [];
  private curve: { x: number; y: number }[] = [];
  private readonly chart: ReturnType<typeof throttledRender>;
  private readonly lr = slider({
    label: 'Step size (learning rate)',
    value: 0.08,
    min: 0.005,
    max: 0.5,
    scale: 'log',
  });
  private readonly noise = slider({
    label: 'Drunkenness (slope noise)',
    value: 1.5,
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
    this.rng = new Generator(seed);
    const initial = tf.scalar(START);
    this.x = tf.variable(initial, true, `drunk-man-${seed}-${Math.random()}`);
    initial.dispose();
    this.optimizer = new SGD([this.x], { lr: this.lr.value });
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
    if (!this.x || !this.optimizer) return;
    const x = this.x;
    this.optimizer.lr = this.lr.value;
    const slope = tf.tidy(() =>
      tf
        .grad((v: tf.Tensor) => height(v))(x)
        .add(this.noise.value * this.rng.normal()),
    );
    this.optimizer.step({ [x.name]: slope });
    slope.dispose();
    // Keep him on the hill: a wild step past the edge lands him at the edge.
    const now = (await read(x))[0];
    if (now < DOMAIN[0] || now > DOMAIN[1]) {
      tf.tidy(() => x.assign(tf.scalar(Math.min(DOMAIN[1], Math.max(DOMAIN[0], now)))));
    }
    const at = Math.min(DOMAIN[1], Math.max(DOMAIN[0], now));
    this.trail.push(at);
    if (this.trail.length > 60) this.trail.shift();
    this.heightOut.set(this.heightAt(at));
    this.chart.request();
  }

  private draw(): HTMLElement {
    const y = (x: number) => this.heightAt(x);
    const steps = this.trail.map((x, i) => ({ x, y: y(x), age: (i + 1) / this.trail.length }));
    const man = steps[steps.length - 1];
    return h(
      'figure',
      { class: 'chart' },
      legend([
        { name: 'the hill (loss)', color: palette.black },
        { name: 'his last steps', color: palette.orange, symbol: 'dot' },
        { name: 'the drunk man', color: palette.vermillion, symbol: 'dot' },
      ]),
      Plot.plot({
        width: 520,
        height: 300,
        style: { background: 'transparent', fontSize: '12px' },
        x: { label: 'position (a weight)', domain: DOMAIN },
        y: { label: 'height (the loss)', grid: true },
        marks: [
          Plot.areaY(this.curve, { x: 'x', y: 'y', fill: palette.green, fillOpacity: 0.12 }),
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
    this.optimizer?.dispose();
    this.x?.dispose();
    this.optimizer = null;
    this.x = null;
  }
}
