/**
 * What a browser says about its GPU: a WebGPU adapter's `isFallbackAdapter` and `info`, or a
 * WebGL context's unmasked renderer string. Every field is optional because browsers hide them.
 */
export interface GpuDescription {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** WebGL's UNMASKED_RENDERER_WEBGL (or RENDERER). */
  renderer?: string;
}

/** Whether the browser's GPU is real hardware or a software rasteriser, and why. */
export interface GpuVerdict {
  /**
   * 'software': the "GPU" is a CPU rasteriser (SwiftShader, llvmpipe, WARP...), slower for
   * training than WASM's SIMD kernels; 'hardware': a named real GPU; 'unknown': the browser hid
   * the details, so only a timed probe can tell.
   */
  kind: 'software' | 'hardware' | 'unknown';
  /** The adapter's name as shown to a person, when the browser gave one. */
  name?: string;
}

// Software rasterisers that browsers expose as GPUs: Chromium's SwiftShader (WebGPU's fallback
// adapter and WebGL without a GPU), Mesa's llvmpipe/softpipe/lavapipe, Windows' WARP.
const softwareNames =
  /swiftshader|subzero|llvmpipe|softpipe|lavapipe|microsoft basic render|\bwarp\b|software/i;

/** Tells a software GPU from a real one from what the browser reports about it. */
export function classifyGpu(description: GpuDescription): GpuVerdict {
  const parts = [
    description.vendor,
    description.architecture,
    description.device,
    description.description,
    description.renderer,
  ].filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  const name = parts.length > 0 ? parts.join(' ') : undefined;
  if (description.isFallbackAdapter === true || (name && softwareNames.test(name))) {
    return { kind: 'software', name };
  }
  // A vendor alone ("google", "intel") says little; an architecture, device or renderer names a chip.
  const named = [
    description.architecture,
    description.device,
    description.description,
    description.renderer,
  ].some((s) => typeof s === 'string' && s.trim() !== '' && !/^webkit webgl$/i.test(s.trim()));
  return { kind: named ? 'hardware' : 'unknown', name };
}
