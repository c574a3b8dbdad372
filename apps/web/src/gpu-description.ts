import type { GpuDescription } from '@descent/tensor';

/** The parts of WebGPU used here (the app does not depend on @webgpu/types). */
interface GpuAdapter {
  isFallbackAdapter?: boolean;
  info?: GpuDescription;
  requestAdapterInfo?: () => Promise<GpuDescription>;
}

/**
 * The browser's WebGPU adapter as far as it tells: whether it is the fallback (software)
 * adapter, its vendor and architecture. A string is why there is none.
 */
export async function describeWebGpu(): Promise<GpuDescription | string> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } }).gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
  let adapter: GpuAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return `requesting a GPU adapter failed: ${error instanceof Error ? error.message : error}`;
  }
  if (!adapter) return 'no WebGPU adapter is available (no usable GPU, or WebGPU is disabled)';
  // Chromium ≥ 114 has `info`; older ones only the (since removed) requestAdapterInfo().
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  return {
    isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}

/** The renderer behind WebGL (SwiftShader when there is no GPU), from a throwaway context. */
export function describeWebGl(): GpuDescription | string {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return 'this browser cannot create a WebGL context';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer };
}
