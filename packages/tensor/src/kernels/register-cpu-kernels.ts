import { overrideCpuKernels } from './cpu-kernel-overrides';

// On import of @descent/tensor (index.ts), like register-wasm-kernels.ts for the WASM backend.
overrideCpuKernels();
