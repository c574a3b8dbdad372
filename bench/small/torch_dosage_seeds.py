"""PyTorch peer for bench/dosage-seeds.mjs: the course's 1-2-1 softplus dosage net from seeds
0..SEEDS-1 (torch.manual_seed(s), then nn.Sequential(Linear(1, HIDDEN), Softplus(), Linear(HIDDEN, 1))),
trained full batch with OPTIMIZER (adam or sgd) at LR for STEPS steps on the three patients.
Prints one JSON line: the final MSE of each seed.

    /usr/bin/python3 bench/small/torch_dosage_seeds.py SEEDS OPTIMIZER LR STEPS [HIDDEN=2]
"""
import json
import sys

import torch
from torch import nn

seeds, name, lr, steps = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
hidden = int(sys.argv[5]) if len(sys.argv) > 5 else 2
torch.set_num_threads(1)
x = torch.tensor([[0.0], [0.5], [1.0]])
y = torch.tensor([[0.0], [1.0], [0.0]])
finals = []
for s in range(seeds):
    torch.manual_seed(s)
    net = nn.Sequential(nn.Linear(1, hidden), nn.Softplus(), nn.Linear(hidden, 1))
    opt = torch.optim.Adam(net.parameters(), lr=lr) if name == 'adam' else torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    finals.append(loss_fn(net(x), y).item())
print(json.dumps(finals))
