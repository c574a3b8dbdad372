"""Writes src/images/resize-reference.json: PyTorch's resizes of small images, the independent
reference for resizePlanes. Run with PyTorch installed: python3 scripts/make-resize-reference.py

- bilinear: F.interpolate(mode='bilinear', align_corners=False), an enlargement.
- area: F.interpolate(mode='area') (adaptive average pooling), a shrink by whole factors, where
  it equals the fractional-overlap average.
- auto: rows shrink by area, columns grow by bilinear; both are separable, so PyTorch does one
  axis and then the other.
"""
import json
from pathlib import Path

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def image(height, width):
    # Irregular values, so a wrong weight or a swapped axis shows.
    return torch.tensor([[(7 * i + 3 * j * j) % 11 / 10 for j in range(width)] for i in range(height)])


def case(name, source, size, method, result):
    return {
        "name": name,
        "method": method,
        "height": source.shape[0],
        "width": source.shape[1],
        "data": [round(v, 7) for v in source.flatten().tolist()],
        "size": list(size),
        "expected": [round(v, 7) for v in result.flatten().tolist()],
    }


def resize(x, size, mode):
    kwargs = {"align_corners": False} if mode == "bilinear" else {}
    return F.interpolate(x[None, None], size=size, mode=mode, **kwargs)[0, 0]


cases = []
a = image(3, 4)
cases.append(case("bilinear 3x4 -> 5x7", a, (5, 7), "bilinear", resize(a, (5, 7), "bilinear")))
cases.append(case("bilinear 2x2 -> 5x3", image(2, 2), (5, 3), "bilinear", resize(image(2, 2), (5, 3), "bilinear")))
b = image(6, 6)
cases.append(case("area 6x6 -> 3x2", b, (3, 2), "area", resize(b, (3, 2), "area")))
c = image(6, 4)
rows = resize(c, (3, 4), "area")
cases.append(case("auto 6x4 -> 3x7", c, (3, 7), "auto", resize(rows, (3, 7), "bilinear")))

out = Path(__file__).resolve().parent.parent / "src" / "images" / "resize-reference.json"
out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":")) + "\n")
print(f"wrote {out} ({len(cases)} cases, torch {torch.__version__})")
