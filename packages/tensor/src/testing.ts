// @descent/tensor/testing: stand-ins for backends this machine lacks, for other packages' tests.
// Kept apart from the main entry so that no application bundles them.
export { type FakeWebgpuBackend, fakeWebgpuBackend } from './testing/fake-webgpu';
