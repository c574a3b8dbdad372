"""PyTorch 1.13 CPU peer for bench/small-nets.mjs: the same small networks, rows and recipes
(read as JSON on stdin from bench/small/cases.mjs), trained the way a PyTorch user writes it:
nn.Sequential of Linear layers, Adam, a shuffled index permutation per epoch (none when the
batch is the whole set), loss.item() every step and the epoch's metric from the kept outputs,
as descent's Learner does. Each case runs once as a warm-up (a fifth of its epochs) and once
timed, on TORCH_THREADS threads (default 1). Prints one JSON line.

    node -e "..." | /usr/bin/python3 bench/small/torch_small.py [SEED]
"""
import json
import os
import sys
import time

import torch
from torch import nn

threads = int(os.environ.get('TORCH_THREADS', '1'))
torch.set_num_threads(threads)
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
cases = json.load(sys.stdin)
activations = {'softplus': nn.Softplus, 'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid}


def model_for(case):
    layers, width = [], case['cols']
    for h in case['hidden']:
        layers += [nn.Linear(width, h), activations[case['activation']]()]
        width = h
    layers.append(nn.Linear(width, 1))
    if case['loss'] == 'bce':
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


def train(case, epochs):
    torch.manual_seed(seed)
    model = model_for(case)
    x = torch.tensor(case['X'], dtype=torch.float32).reshape(case['rows'], case['cols'])
    y = torch.tensor(case['y'], dtype=torch.float32).reshape(case['rows'], 1)
    loss_fn = nn.MSELoss() if case['loss'] == 'mse' else nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=case['lr'])
    n, batch = case['rows'], case['batch']
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n) if batch < n else torch.arange(n)
        total, outputs = 0.0, []
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
            outputs.append(out.detach())
        scores = torch.cat(outputs)
        _metric = ((scores > 0.5).float() == y[order]).float().mean().item() if case['loss'] == 'bce' else 0
        last = total / n
    return (time.perf_counter() - start) * 1000, last


results = []
for case in cases:
    train(case, max(1, round(case['epochs'] / 5)))
    ms, loss = train(case, case['epochs'])
    steps = -(-case['rows'] // case['batch']) * case['epochs']
    results.append({'name': case['name'], 'steps': steps, 'msPerStep': ms / steps, 'loss': loss})
print(json.dumps({'peer': f'PyTorch {torch.__version__.split("a")[0]}', 'results': results}))
