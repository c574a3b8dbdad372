// Fused ops: small networks on wasm and cpu done on the host as one taped op, and Linear chains,
// ReLUs, column sums and max pools as native calls on wasm in Node.
// An advanced layer under the concepts: @descent/layers' `compile` and @descent/losses'
// `compileLoss` choose these; the concept files never do.
export { fusedCrossEntropy } from './fused-cross-entropy';
export { fusedBce, fusedMse, type LossReduction } from './fused-elementwise-loss';
export { fusedLinear, fusedLinearChain, LINEAR_CHAIN_LIMIT, type LinearLayer } from './fused-linear';
export { FUSED_MLP_LIMIT, fusedMlp, type MlpStep } from './fused-mlp';
export { type ChainStepResult, linearChainCrossEntropy } from './linear-chain-cross-entropy';
export { columnSums, fusedRelu } from './native-elementwise';
export { fusedMaxPool2d } from './native-max-pool';
