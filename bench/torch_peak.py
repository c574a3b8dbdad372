"""PyTorch's side of bench/peak.mjs: the same kernels, timed the same way.

Reads the kernels as JSON on stdin: [{"kind": ..., "shapes": [...], "runs": N}], with descent's
shapes: "matmul" [m, k] · [k, n]; "matmul-transposed-a" [k, m]ᵀ · [k, n]; "conv" an NHWC input
and a [kh, kw, in, out] filter, stride 1, 'same' padding. Each call gets fresh random inputs, as in peak.mjs; only the op is timed.
Threads come from TORCH_THREADS (OPENBLAS_NUM_THREADS is left to the caller's environment).
Prints one JSON line: {"torch": version, "threads": n, "seconds": [median per kernel]}.
"""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

threads = int(os.environ.get("TORCH_THREADS", "1"))
torch.set_num_threads(threads)
torch.manual_seed(0)
kernels = json.load(sys.stdin)


def inputs(kernel):
    if kernel["kind"].startswith("matmul"):
        return tuple(torch.randn(*shape) for shape in kernel["shapes"])
    (n, h, w, cin), (kh, kw, _, cout) = kernel["shapes"]
    # PyTorch's own layouts: NCHW images, [out, in, kh, kw] weights.
    return torch.randn(n, cin, h, w), torch.randn(cout, cin, kh, kw)


def op(kernel, a, b):
    if kernel["kind"] == "matmul":
        return torch.matmul(a, b)
    if kernel["kind"] == "matmul-transposed-a":
        return torch.matmul(a.t(), b)
    return F.conv2d(a, b, padding=b.shape[-1] // 2)


medians = []
with torch.no_grad():
    for kernel in kernels:
        times = []
        for i in range(kernel["runs"] + 1):
            a, b = inputs(kernel)
            t0 = time.perf_counter()
            op(kernel, a, b)
            t = time.perf_counter() - t0
            if i > 0:
                times.append(t)
        medians.append(statistics.median(times))
print(json.dumps({"torch": torch.__version__, "threads": threads, "seconds": medians}))
