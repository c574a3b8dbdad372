import type { backend_util } from '@tensorflow/tfjs-core';

type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/**
 * The forward geometry a gradient kernel must use. tfjs-core's gradients drop `dimRoundingMode`,
 * so a conv or pool made with 'ceil' or 'round' arrives without it and with a dy one row or
 * column bigger than the floor geometry; dy's shape then tells which rounding the forward used.
 * A dy that fits none is refused, naming the kernel: the kernels would read past its end.
 */
export function geometryFromDy(
  kernel: string,
  dyShape: readonly number[],
  stated: Rounding,
  pad: unknown,
  make: (rounding: Rounding) => backend_util.Conv2DInfo,
): backend_util.Conv2DInfo {
  const first = make(stated);
  const fits = (info: backend_util.Conv2DInfo) => info.outShape.join() === dyShape.join();
  if (fits(first)) return first;
  if (stated == null && typeof pad === 'number') {
    for (const rounding of ['ceil', 'round'] as const) {
      const info = make(rounding);
      if (fits(info)) return info;
    }
  }
  throw new Error(
    `${kernel}: dy: expected shape [${first.outShape.join(', ')}], found [${dyShape.join(', ')}]`,
  );
}
