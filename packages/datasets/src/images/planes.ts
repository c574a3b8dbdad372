/**
 * Image planes: `channels` planes of height × width floats, one after the other (CHW, the
 * layout of one image in an NCHW set). A grey image is one plane.
 */
export interface Planes {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/** The mean of the outermost ring of pixels over every plane: what the background looks like. */
export function borderMean({ data, channels, height, width }: Planes): number {
  let sum = 0;
  let n = 0;
  for (let c = 0; c < channels; c++) {
    const plane = c * height * width;
    for (let y = 0; y < height; y++) {
      const edgeRow = y === 0 || y === height - 1;
      for (let x = 0; x < width; x++) {
        if (edgeRow || x === 0 || x === width - 1) {
          sum += data[plane + y * width + x];
          n++;
        }
      }
    }
  }
  return sum / n;
}

/** v → 1 − v in place: dark ink on a light page becomes MNIST's light ink on black. */
export function invertPlanes(planes: Planes): Planes {
  const { data } = planes;
  for (let i = 0; i < data.length; i++) data[i] = 1 - data[i];
  return planes;
}
