import { dosage } from '@descent/datasets';
import { mlp } from '@descent/layers';
import { Adam, SGD } from '@descent/optim';
import { initBackend } from '@descent/tensor';
import { Learner } from '@descent/train';
await initBackend({ backend: 'wasm' });
const data = dosage();
for (const [hidden, opt, lr, steps] of [[[4], 'adam', 0.05, 3000], [[3], 'adam', 0.05, 3000], [[2], 'adam', 0.1, 3000], [[4], 'sgd', 0.1, 2000]]) {
  let fit = 0; const seeds = [];
  for (let seed = 0; seed < 30; seed++) {
    const model = mlp({ inputs: 1, hidden, outputs: 1, activation: 'softplus', seed });
    const o = opt === 'adam' ? new Adam(model.trainableParameters(), { lr }) : new SGD(model.trainableParameters(), { lr });
    const l = new Learner(model, { loss: 'mse', optimizer: o });
    await l.fit({ X: data.X, y: data.y }, { epochs: steps, batchSize: 3, seed });
    const loss = l.evaluate({ X: data.X, y: data.y }).loss;
    if (loss < 0.01) { fit++; seeds.push(seed); }
    o.dispose(); model.dispose();
  }
  console.log(hidden, opt, lr, steps, 'fit', fit, '/30', seeds.slice(0, 8).join(','));
}
