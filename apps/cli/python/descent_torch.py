"""descent <-> PyTorch, with nothing but torch and the standard library.

    model, manifest = load_bundle("runs/penguins")     # a descent bundle as a torch nn.Module
    save_bundle(model, "runs/back", like=manifest)      # a torch nn.Sequential as a descent bundle

A bundle is a folder with model.json (the architecture as descent's `toJSON()` writes it, the
preprocessing, the labels) and model.safetensors (the weights, under PyTorch's state-dict keys).
`save_bundle` writes both and fills in the byte count and sha256 that descent checks on load.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import shutil
import struct
import tempfile

import torch
from torch import nn

FORMAT = "descent-bundle"
FORMAT_VERSION = 1
WEIGHTS_FILE = "model.safetensors"
DEFAULT_MISSING = ["", "NA", "NaN", "null", "?"]

_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64}
_NAMES = {v: k for k, v in _DTYPES.items()}
# Bundles written before descent took PyTorch's buffer names.
_OLD_KEYS = {"runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"}


class BundleError(Exception):
    pass


# ---------------------------------------------------------------- safetensors


def read_safetensors(path: str) -> dict[str, torch.Tensor]:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise BundleError(f"{path}: expected a safetensors file, found {len(data)} bytes")
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise BundleError(f"{path}: {name}: dtype {info['dtype']} is not one descent writes")
        start, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors


def safetensors_bytes(tensors: dict[str, torch.Tensor]) -> bytes:
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the body starts 8-byte aligned, as the format recommends
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


# ---------------------------------------------------------------- modules


class GlobalAvgPool2d(nn.Module):
    """descent's GlobalAvgPool2d: [N, C, H, W] -> [N, C], the mean over each map."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


def _pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def _build(c: dict) -> nn.Module:
    t = c["type"]
    if t == "Sequential":
        return nn.Sequential(*[_build(layer) for layer in c["layers"]])
    if t == "Linear":
        return nn.Linear(c["inFeatures"], c["outFeatures"], bias=c.get("bias", True))
    if t == "Conv2d":
        padding = c.get("padding", 0)
        return nn.Conv2d(
            c["inChannels"], c["outChannels"], _pair(c["kernelSize"]), stride=_pair(c.get("stride", 1)),
            padding=padding if padding == "same" else _pair(padding), dilation=_pair(c.get("dilation", 1)),
            groups=c.get("groups", 1), bias=c.get("bias", True),
        )
    if t in ("MaxPool2d", "AvgPool2d"):
        kind = nn.MaxPool2d if t == "MaxPool2d" else nn.AvgPool2d
        return kind(_pair(c["kernelSize"]), stride=_pair(c.get("stride", c["kernelSize"])),
                    padding=_pair(c.get("padding", 0)), ceil_mode=c.get("ceilMode", False))
    if t in ("BatchNorm2d", "BatchNorm1d"):
        kind = nn.BatchNorm2d if t == "BatchNorm2d" else nn.BatchNorm1d
        return kind(c["numFeatures"], eps=c.get("eps", 1e-5), momentum=c.get("momentum", 0.1),
                    affine=c.get("affine", True), track_running_stats=c.get("trackRunningStats", True))
    if t == "LayerNorm":
        return nn.LayerNorm(c["normalizedShape"], eps=c.get("eps", 1e-5), elementwise_affine=c.get("elementwiseAffine", True))
    if t == "Embedding":
        return nn.Embedding(c["numEmbeddings"], c["embeddingDim"])
    if t == "Flatten":
        return nn.Flatten(c.get("startDim", 1), c.get("endDim", -1))
    if t == "GlobalAvgPool2d":
        return GlobalAvgPool2d()
    if t == "Softplus":
        return nn.Softplus(beta=c.get("beta", 1), threshold=c.get("threshold", 20))
    if t == "LeakyReLU":
        return nn.LeakyReLU(c.get("negativeSlope", 0.01))
    if t == "Softmax":
        return nn.Softmax(dim=c.get("dim", -1))
    if t == "Dropout":
        return nn.Dropout(c.get("p", 0.5))
    if t == "GELU":
        return nn.GELU(approximate=c.get("approximate", "none"))
    simple = {"ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "Identity": nn.Identity, "SiLU": nn.SiLU}
    if t in simple:
        return simple[t]()
    raise BundleError(f"model.json: architecture: layer type {t!r} has no PyTorch counterpart here")


def build_module(architecture: dict) -> nn.Module:
    """An nn.Module (fresh weights) from model.json's architecture."""
    return _build(architecture)


def _describe(m: nn.Module) -> dict:
    if isinstance(m, nn.Sequential):
        return {"type": "Sequential", "layers": [_describe(x) for x in m]}
    if isinstance(m, nn.Linear):
        return {"type": "Linear", "inFeatures": m.in_features, "outFeatures": m.out_features, "bias": m.bias is not None}
    if isinstance(m, nn.Conv2d):
        if m.padding_mode != "zeros":
            raise BundleError(f"Conv2d: padding_mode {m.padding_mode!r}: descent pads with zeros only")
        c = {"type": "Conv2d", "inChannels": m.in_channels, "outChannels": m.out_channels,
             "kernelSize": list(m.kernel_size), "stride": list(m.stride),
             "padding": m.padding if isinstance(m.padding, str) else list(m.padding), "bias": m.bias is not None}
        # Written only when not the default, so bundles from descents without them still read the same.
        if tuple(m.dilation) != (1, 1):
            c["dilation"] = list(m.dilation)
        if m.groups != 1:
            c["groups"] = m.groups
        return c
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        if isinstance(m, nn.MaxPool2d) and _pair(m.dilation) != (1, 1):
            raise BundleError("MaxPool2d: dilation is not supported by descent")
        c = {"type": type(m).__name__, "kernelSize": list(_pair(m.kernel_size)), "stride": list(_pair(m.stride)),
             "padding": list(_pair(m.padding))}
        if m.ceil_mode:
            c["ceilMode"] = True
        return c
    if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
        return {"type": type(m).__name__, "numFeatures": m.num_features, "eps": m.eps, "momentum": m.momentum,
                "affine": m.affine, "trackRunningStats": m.track_running_stats}
    if isinstance(m, nn.LayerNorm):
        return {"type": "LayerNorm", "normalizedShape": list(m.normalized_shape), "eps": m.eps,
                "elementwiseAffine": m.elementwise_affine}
    if isinstance(m, nn.Embedding):
        if m.padding_idx is not None or m.max_norm is not None:
            raise BundleError("Embedding: padding_idx and max_norm are not supported by descent")
        return {"type": "Embedding", "numEmbeddings": m.num_embeddings, "embeddingDim": m.embedding_dim}
    if isinstance(m, nn.Flatten):
        return {"type": "Flatten", "startDim": m.start_dim, "endDim": m.end_dim}
    if isinstance(m, GlobalAvgPool2d):
        return {"type": "GlobalAvgPool2d"}
    if isinstance(m, nn.Softplus):
        return {"type": "Softplus", "beta": m.beta, "threshold": m.threshold}
    if isinstance(m, nn.LeakyReLU):
        return {"type": "LeakyReLU", "negativeSlope": m.negative_slope}
    if isinstance(m, nn.Softmax):
        return {"type": "Softmax", "dim": m.dim}
    if isinstance(m, nn.Dropout):
        return {"type": "Dropout", "p": m.p}
    if isinstance(m, nn.GELU):
        return {"type": "GELU", "approximate": m.approximate}
    for kind in (nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity, nn.SiLU):
        if type(m) is kind:
            return {"type": kind.__name__}
    raise BundleError(f"{type(m).__name__}: descent has no such layer (see the mapping table in docs/pytorch.md)")


def describe_module(model: nn.Module) -> dict:
    """model.json's architecture for a torch module built of the layer types descent has."""
    return _describe(model)


# ---------------------------------------------------------------- bundles


def load_bundle(folder: str):
    """(model, manifest): the bundle's network as a torch module in eval mode, and its model.json."""
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT:
        raise BundleError(f"{folder}/model.json: format: expected {FORMAT!r}, found {manifest.get('format')!r}")
    path = os.path.join(folder, manifest["weights"]["file"])
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) != manifest["weights"]["bytes"] or hashlib.sha256(raw).hexdigest() != manifest["weights"]["sha256"]:
        raise BundleError(f"{path}: size or sha256 does not match model.json (corrupted or replaced)")
    model = build_module(manifest["architecture"])
    state = {}
    for key, value in read_safetensors(path).items():
        head, _, leaf = key.rpartition(".")
        state[f"{head}.{_OLD_KEYS.get(leaf, leaf)}" if head else _OLD_KEYS.get(leaf, leaf)] = value
    model.load_state_dict(state, strict=True)
    return model.eval(), manifest


def save_bundle(model: nn.Module, folder: str, like: dict | None = None, **info) -> dict:
    """Writes model (and what `like` or `info` say: loss, outputKind, labels, preprocessing) as a bundle.

    The folder is replaced as a whole: written beside it, then renamed into place."""
    state = {k: v.float() if v.is_floating_point() else v.to(torch.int32 if v.dtype == torch.int64 else v.dtype)
             for k, v in model.state_dict().items()}
    weights = safetensors_bytes(state)
    manifest = {k: v for k, v in (like or {}).items() if k not in ("architecture", "weights", "createdAt", "versions")}
    manifest.update(info)
    for key in ("loss", "outputKind"):
        if key not in manifest:
            raise BundleError(f"save_bundle: {key}: expected a value (pass it, or like=a manifest), found nothing")
    manifest.update(
        format=FORMAT, formatVersion=FORMAT_VERSION, architecture=describe_module(model),
        versions={"torch": torch.__version__},
        weights={"file": WEIGHTS_FILE, "bytes": len(weights), "sha256": hashlib.sha256(weights).hexdigest()},
        createdAt=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    )
    parent = os.path.dirname(os.path.abspath(folder))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(folder)}.tmp-", dir=parent)
    os.chmod(staging, 0o755)
    with open(os.path.join(staging, WEIGHTS_FILE), "wb") as f:
        f.write(weights)
    with open(os.path.join(staging, "model.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=2) + "\n")
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.replace(staging, folder)
    return manifest


# ---------------------------------------------------------------- tables


class Preprocessor:
    """model.json's `preprocessing`: one-hot then the scaler, as descent's TabularPreprocessor does."""

    def __init__(self, spec: dict):
        enc = spec["encoder"]
        self.features = enc["features"]
        self.missing = enc.get("missing", "error")
        self.unknown = enc.get("handleUnknown", "error")
        self.missing_values = set(enc.get("missingValues", DEFAULT_MISSING))
        self.scale, self.scaler = spec.get("scale", "none"), (spec.get("scaler") or {}).get("state")

    def transform(self, rows: list[dict], source: str):
        """(X float32 [n, width], the file's row numbers kept, how many were dropped)."""
        out, kept = [], []
        for i, row in enumerate(rows):
            line = i + 2  # the header is line 1
            values, drop = [], False
            for f in self.features:
                cell = row.get(f["name"], "").strip()
                gap = cell in self.missing_values
                if gap and self.missing == "drop":
                    drop = True
                    break
                if gap and self.missing == "error":
                    raise BundleError(f"{source}: row {line}, column {f['name']!r}: expected a value, found a missing value")
                if f["kind"] == "numeric":
                    values.append((f.get("mean") or 0.0) if gap else float(cell))
                else:
                    block = [0.0] * len(f["categories"])
                    name = f.get("mode") if gap else cell
                    if name in f["categories"]:
                        block[f["categories"].index(name)] = 1.0
                    elif self.unknown == "error":
                        raise BundleError(f"{source}: row {line}, column {f['name']!r}: unknown category {cell!r}")
                    values.extend(block)
            if not drop:
                out.append(values)
                kept.append(line - 1)
        # The encoder writes float32; the scaler then works in float64, as descent's does.
        x = torch.tensor(out, dtype=torch.float32).double()
        s = self.scaler
        if self.scale == "standard":
            x = (x - torch.tensor(s["mean"] or [0.0] * x.shape[1], dtype=torch.float64)) / torch.tensor(s["scale"], dtype=torch.float64)
        elif self.scale == "minmax":
            x = x * torch.tensor(s["scale"], dtype=torch.float64) + torch.tensor(s["min"], dtype=torch.float64)
        elif self.scale == "robust":
            x = (x - torch.tensor(s["center"] or [0.0] * x.shape[1], dtype=torch.float64)) / torch.tensor(s["scale"], dtype=torch.float64)
        return x.float(), kept, len(rows) - len(out)


def read_csv(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def probabilities(outputs: torch.Tensor, kind: str) -> torch.Tensor:
    """Each row's class probabilities, as `descent predict` prints them."""
    outputs = outputs.double()
    if kind in ("logit", "probability"):
        p = torch.sigmoid(outputs[:, 0]) if kind == "logit" else outputs[:, 0]
        return torch.stack([1 - p, p], dim=1)
    return torch.softmax(outputs, dim=1)


def predict_csv_lines(model: nn.Module, manifest: dict, path: str) -> list[str]:
    """The lines `descent predict --csv` prints: row, each class's probability, the predicted label."""
    x, kept, _ = Preprocessor(manifest["preprocessing"]).transform(read_csv(path), path)
    with torch.no_grad():
        out = model(x)
    probs = probabilities(out, manifest["outputKind"])
    labels = manifest.get("labelNames") or [str(k) for k in range(probs.shape[1])]
    lines = [",".join(["row", *[f"probability_{label}" for label in labels], "predicted"])]
    for r, p in zip(kept, probs.tolist()):
        lines.append(",".join([str(r), *[f"{v:.6f}" for v in p], labels[max(range(len(p)), key=p.__getitem__)]]))
    return lines


def class_targets(manifest: dict, rows: list[dict], kept: list[int]) -> torch.Tensor:
    """The target column's class indices for the kept rows (row numbers as the file counts them)."""
    target, labels = manifest["targetName"], manifest["labelNames"]
    return torch.tensor([labels.index(rows[r - 1][target].strip()) for r in kept])
