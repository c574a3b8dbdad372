import {
  type KernelConfig,
  type KernelFunc,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import { asWasm, inputOf } from './wasm-backend';

/**
 * Sums the slices of x that share a segment id, which gather's gradient (embedding lookups)
 * needs and tfjs-backend-wasm 4.22 lacks. x is [...ids.shape, ...inner]; the output is
 * [numSegments, ...inner]. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 * One pass over x, against the other backends' one masked sum per segment.
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputOf(UnsortedSegmentSum, inputs, 'x');
  const segmentIds = inputOf(UnsortedSegmentSum, inputs, 'segmentIds');
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const wasm = asWasm(backend);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`${UnsortedSegmentSum}: x: expected dtype float32 or int32, found ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`${UnsortedSegmentSum}: segmentIds: expected dtype int32, found ${segmentIds.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  if (segmentIds.shape.some((size, i) => size !== x.shape[i])) {
    throw new Error(
      `${UnsortedSegmentSum}: segmentIds: expected a prefix of x's shape [${x.shape.join(', ')}], found shape [${segmentIds.shape.join(', ')}]`,
    );
  }
  const inner = x.shape.slice(idsRank);
  const width = inner.reduce((a, b) => a * b, 1);
  const out = wasm.makeOutput([numSegments, ...inner], x.dtype);
  const sums = wasm.typedArrayFromHeap(out);
  const xs = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  sums.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const from = i * width;
    const to = id * width;
    for (let j = 0; j < width; j++) sums[to + j] += xs[from + j];
  }
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
