import { initBackend } from '@descent/tensor';

// Tests run on the Node default (WASM) unless DESCENT_BACKEND says otherwise.
await initBackend();
