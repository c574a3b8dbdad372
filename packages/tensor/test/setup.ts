import { initBackend, tf } from '../src/index';

// Tests run on the Node default (WASM) unless DESCENT_BACKEND says otherwise.
await initBackend();
// The WASM kernels are checked against tfjs's own cpu kernels (plain loops), not against
// descent's replacements of them; cpu-kernel-overrides.test.ts switches those on where it tests them.
tf.env().set('DESCENT_CPU_KERNELS', false);
