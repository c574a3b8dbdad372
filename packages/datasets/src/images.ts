// Image data sets (@descent/datasets/images), kept out of the main entry so toy-set users do not load them.
export {};
