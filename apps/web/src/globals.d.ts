/** What the app exposes for the end-to-end tests (and the curious, in the console). */
interface DescentDebug {
  /** tf.memory().numTensors: the same after leaving a page as before entering it. */
  numTensors(): number;
  backend(): string;
  page(): string;
  lastLeave(): { page: string; before: number; after: number } | undefined;
  /** The backends skipped on the way to the running one, with reasons. */
  fallback(): { name: string; reason: string }[];
  /** GPU backends that work but were ranked below the running one (software adapters). */
  passedOver(): { name: string; reason: string }[];
  /** The running WebGPU backend's GPUDevice (null on other backends), to provoke errors in tests. */
  gpuDevice(): unknown;
  ready: boolean;
}

interface Window {
  __descent: DescentDebug;
}
