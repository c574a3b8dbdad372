import { filled, multiplyAdd, multiplyAddRows, subtractDivide, subtractDivideRows } from './kernels';
import type { FloatArray } from './matrix';
import { Scaler } from './scaler';

/**
 * A scaler whose transform is (x - centre) / scale per column, as StandardScaler and RobustScaler
 * are. Subclasses compute the statistics and hand them to `setCenterScale`; the kernels live here.
 */
export abstract class CenterScaleScaler extends Scaler {
  private offset: Float64Array = new Float64Array(0);
  private restoreOffset: Float64Array = new Float64Array(0);
  private divisor: Float64Array = new Float64Array(0);

  /** No centre subtracts 0 (and adds back -0, keeping a -0 input's sign); no scale divides by 1. */
  protected setCenterScale(center: Float64Array | null, scale: Float64Array | null): void {
    const cols = this.nFeatures;
    this.offset = center ?? filled(cols, 0);
    this.restoreOffset = center ?? filled(cols, -0);
    this.divisor = scale ?? filled(cols, 1);
  }

  protected forward(src: FloatArray, dst: FloatArray, cols: number): number {
    return subtractDivide(src, dst, cols, this.offset, this.divisor);
  }

  protected backward(src: FloatArray, dst: FloatArray, cols: number): number {
    return multiplyAdd(src, dst, cols, this.divisor, this.restoreOffset);
  }

  protected forwardRows(method: string, X: readonly unknown[], cols: number): number[][] {
    return subtractDivideRows(method, X, cols, this.offset, this.divisor);
  }

  protected backwardRows(method: string, X: readonly unknown[], cols: number): number[][] {
    return multiplyAddRows(method, X, cols, this.divisor, this.restoreOffset);
  }
}
