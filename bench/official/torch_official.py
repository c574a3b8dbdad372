"""PyTorch 1.13 CPU peer for bench/mnist-official.mjs: the CNN and recipe of
`descent train --dataset mnist|fashion-mnist` (defaults), on the same IDX files.

    /usr/bin/python3 bench/official/torch_official.py DIR CHANNELS EPOCHS BATCH LR SHIFT SEED [HIDDEN] [THREADS]

CHANNELS is e.g. 16,32: per block conv 3x3 (padding 1) -> ReLU -> max-pool 2, then Flatten ->
(Linear -> ReLU for each HIDDEN width, e.g. 32; '-' for none) -> Linear(-> 10). Adam with OneCycleLR (max_lr LR, PyTorch's defaults, stepped per batch), batch
BATCH, cross-entropy; every epoch but the last sees each image moved by a random whole-pixel
shift in [-SHIFT, SHIFT] (zeros shifted in), as descent's randomShift. Prints one JSON line:
whole-process wall (from interpreter start), training seconds, test accuracy, peak RSS.
"""
import json
import os
import resource
import sys
import time

START = time.perf_counter()
import gzip  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

folder, channels, epochs, batch, lr, shift, seed = sys.argv[1:8]
channels = [int(c) for c in channels.split(',')]
epochs, batch, lr, shift, seed = int(epochs), int(batch), float(lr), int(shift), int(seed)
hidden = [int(h) for h in sys.argv[8].split(',')] if len(sys.argv) > 8 and sys.argv[8] != '-' else []
threads = int(os.environ.get('TORCH_THREADS') or (sys.argv[9] if len(sys.argv) > 9 else 2))
torch.set_num_threads(threads)
torch.manual_seed(seed)
rng = np.random.default_rng(seed)


def read(name, offset):
    for path in (os.path.join(folder, name), os.path.join(folder, name + '.gz')):
        if os.path.exists(path):
            raw = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
            return np.frombuffer(raw, dtype=np.uint8, offset=offset)
    raise FileNotFoundError(name)


def images(name):
    return torch.from_numpy(read(name, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)


x_train, x_test = images('train-images-idx3-ubyte'), images('t10k-images-idx3-ubyte')
y_train = torch.from_numpy(read('train-labels-idx1-ubyte', 8).astype(np.int64))
y_test = torch.from_numpy(read('t10k-labels-idx1-ubyte', 8).astype(np.int64))

layers, c = [], 1
for out in channels:
    layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    c = out
side = 28 // 2 ** len(channels)
features = c * side * side
head = []
for width in hidden:
    head += [nn.Linear(features, width), nn.ReLU()]
    features = width
net = nn.Sequential(*layers, nn.Flatten(), *head, nn.Linear(features, 10))
opt = torch.optim.Adam(net.parameters(), lr=lr)
steps = epochs * ((len(x_train) + batch - 1) // batch)
schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
loss_fn = nn.CrossEntropyLoss()


def shifted(x):
    """Each image moved by its own (dy, dx): pad by SHIFT, then crop at the offset."""
    padded = nn.functional.pad(x, (shift, shift, shift, shift))
    out = torch.empty_like(x)
    dy = rng.integers(-shift, shift + 1, len(x))
    dx = rng.integers(-shift, shift + 1, len(x))
    for a in range(-shift, shift + 1):
        for b in range(-shift, shift + 1):
            idx = torch.from_numpy(np.nonzero((dy == a) & (dx == b))[0])
            out[idx] = padded[idx, :, shift - a:shift - a + 28, shift - b:shift - b + 28]
    return out


t0 = time.perf_counter()
for epoch in range(epochs):
    data = shifted(x_train) if shift > 0 and epoch < epochs - 1 else x_train
    order = torch.randperm(len(data))
    net.train()
    for start in range(0, len(data), batch):
        idx = order[start:start + batch]
        opt.zero_grad()
        loss = loss_fn(net(data[idx]), y_train[idx])
        loss.backward()
        opt.step()
        schedule.step()
        loss.item()  # a read-back per batch, as descent's Learner does
train_seconds = time.perf_counter() - t0
net.eval()
with torch.no_grad():
    predicted = torch.cat([net(x_test[i:i + 1000]).argmax(1) for i in range(0, len(x_test), 1000)])
accuracy = (predicted == y_test).float().mean().item()
print(json.dumps({
    'runner': 'pytorch',
    'threads': threads,
    'torch': torch.__version__,
    'wall': time.perf_counter() - START,
    'train': train_seconds,
    'accuracy': accuracy,
    'samplesPerSecond': len(x_train) * epochs / train_seconds,
    'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
