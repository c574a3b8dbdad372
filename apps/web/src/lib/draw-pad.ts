import { h } from '../ui/dom';

const SIZE = 280;

/**
 * A black square to draw a digit on with the mouse, a pen or a finger; `pixels()` turns the
 * drawing into a 28×28 image prepared the way MNIST's digits were: the ink's bounding box
 * scaled into 20×20 and centred by its centre of mass.
 */
export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | null = null;
  private inked = false;

  constructor(private readonly onChange: () => void) {
    this.canvas = h('canvas', {
      class: 'draw-area',
      attrs: {
        width: SIZE,
        height: SIZE,
        role: 'img',
        'aria-label': 'Drawing area: draw a digit with the mouse, a pen or a finger',
        'data-testid': 'draw-pad',
      },
    });
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.stroke(this.last, this.last);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing || !this.last) return;
      const p = this.point(e);
      this.stroke(this.last, p);
      this.last = p;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.onChange();
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
  }

  get hasInk(): boolean {
    return this.inked;
  }

  private point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  }

  private stroke(a: [number, number], b: [number, number]): void {
    const ctx = this.ctx;
    ctx.strokeStyle = 'white';
    ctx.lineWidth = 22;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...a);
    ctx.lineTo(...b);
    ctx.stroke();
    this.inked = true;
  }

  clear(): void {
    this.ctx.fillStyle = 'black';
    this.ctx.fillRect(0, 0, SIZE, SIZE);
    this.inked = false;
  }

  /** Shows a 28×28 image (values in [0, 1]) on the pad, e.g. a test digit. */
  show(pixels: ArrayLike<number>): void {
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const sctx = small.getContext('2d')!;
    const img = sctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const g = Math.round(255 * pixels[i]);
      img.data.set([g, g, g, 255], 4 * i);
    }
    sctx.putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(small, 0, 0, SIZE, SIZE);
    this.inked = true;
  }

  /** The drawing as 784 values in [0, 1], row-major, MNIST-style. */
  pixels(): Float32Array {
    const { data } = this.ctx.getImageData(0, 0, SIZE, SIZE);
    let [x0, y0, x1, y1] = [SIZE, SIZE, -1, -1];
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        if (data[4 * (y * SIZE + x)] > 20) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    const out = new Float32Array(784);
    if (x1 < 0) return out;
    const w = x1 - x0 + 1;
    const hgt = y1 - y0 + 1;
    const scale = 20 / Math.max(w, hgt);
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const sctx = small.getContext('2d', { willReadFrequently: true })!;
    sctx.fillStyle = 'black';
    sctx.fillRect(0, 0, 28, 28);
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    const dw = w * scale;
    const dh = hgt * scale;
    sctx.drawImage(this.canvas, x0, y0, w, hgt, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
    const px = sctx.getImageData(0, 0, 28, 28).data;
    let mass = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < 784; i++) {
      const v = px[4 * i] / 255;
      mass += v;
      cx += v * (i % 28);
      cy += v * Math.floor(i / 28);
    }
    const dx = mass > 0 ? Math.round(13.5 - cx / mass) : 0;
    const dy = mass > 0 ? Math.round(13.5 - cy / mass) : 0;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sy >= 0 && sx < 28 && sy < 28) out[y * 28 + x] = px[4 * (sy * 28 + sx)] / 255;
      }
    }
    return out;
  }
}
