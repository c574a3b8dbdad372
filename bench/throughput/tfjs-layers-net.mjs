// tfjs-layers' version of the networks the throughput benches train, shared so that every script
// compares descent with the same peer model.

/**
 * The MLP (784-128-64-10, ReLU) or the small CNN (conv 3x3x8 → max-pool 2 → conv 3x3x16 →
 * max-pool 2 → dense 10) as a tfjs-layers Sequential with a softmax output, not yet compiled.
 * `tfl` is passed in because run-case.mjs chooses which tfjs-core instance tfjs-layers loads into.
 */
export function tfjsLayersNet(tfl, model) {
  const net = tfl.sequential();
  if (model === 'mlp') {
    net.add(tfl.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
    net.add(tfl.layers.dense({ units: 64, activation: 'relu' }));
  } else {
    net.add(
      tfl.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        inputShape: [28, 28, 1],
      }),
    );
    net.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    net.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
    net.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    net.add(tfl.layers.flatten());
  }
  net.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return net;
}
