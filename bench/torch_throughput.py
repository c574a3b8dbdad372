"""PyTorch CPU reference for bench/training-throughput.mjs: the same MLP and CNN, batch 64, Adam.

    python3 bench/torch_throughput.py <mlp|cnn> [samples] [epochs] [threads]    (TORCH_THREADS overrides threads)

Prints one JSON line like run-case.mjs (per-epoch wall and CPU seconds; the first epoch is a
warm-up), or {"error": ...} when torch cannot be imported. The data are random normal pixels with
random labels: the arithmetic per sample does not depend on the values.
"""
import json
import os
import sys
import time

model_name = sys.argv[1] if len(sys.argv) > 1 else "mlp"
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 8192
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 6
threads = int(os.environ.get('TORCH_THREADS') or (sys.argv[4] if len(sys.argv) > 4 else 2))
load = os.getloadavg()[0]

try:
    import torch
    from torch import nn
except Exception as error:  # noqa: BLE001 - any import failure means "skip"
    print(json.dumps({"runner": "pytorch", "model": model_name, "error": f"torch not importable: {error}"}))
    sys.exit(0)

torch.set_num_threads(threads)
torch.manual_seed(0)

if model_name == "mlp":
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    X = torch.randn(samples, 784)
else:
    net = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
    )
    X = torch.randn(samples, 1, 28, 28)
y = torch.randint(0, 10, (samples,))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

wall, cpu, losses = [], [], []
for epoch in range(epochs):
    w0, c0 = time.perf_counter(), time.process_time()
    order = torch.randperm(samples)
    total = 0.0
    for start in range(0, samples, 64):
        idx = order[start:start + 64]
        opt.zero_grad()
        loss = loss_fn(net(X[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)  # a read-back per batch, as the JS loops do
    wall.append(time.perf_counter() - w0)
    cpu.append(time.process_time() - c0)
    losses.append(total / samples)

print(json.dumps({
    "runner": "pytorch", "backend": f"cpu, {threads} threads", "model": model_name, "samples": samples,
    "wall": wall, "cpu": cpu, "loss": losses, "load": [load, os.getloadavg()[0]],
    "version": torch.__version__,
}))
