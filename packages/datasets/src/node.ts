// Node-only entry (@descent/datasets/node): file reading. Filled in by the tabular work.
export {};
