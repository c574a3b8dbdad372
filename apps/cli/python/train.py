"""Continue training this folder's model with PyTorch's DistributedDataParallel, then write the
result as a descent bundle that `descent evaluate`, `predict` and `explain` read.

    torchrun --nproc_per_node 2 train.py --csv rows.csv --epochs 5 --out ../continued

Each process takes its share of every epoch (DistributedSampler); the gloo backend runs on CPU.
torchrun is also `python3 -m torch.distributed.run`. With torch 1.13 under Python 3.11 (Debian 12),
add `--redirects 1 --tee 1` before train.py: that torchrun cannot parse its own default of 0.
The loss is the bundle's own (bceWithLogits, crossEntropy or mse) and the optimizer Adam.
"""
import argparse
import os
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from descent_torch import Preprocessor, class_targets, load_bundle, read_csv, save_bundle  # noqa: E402

LOSSES = {
    "bceWithLogits": lambda: torch.nn.BCEWithLogitsLoss(),
    "crossEntropy": lambda: torch.nn.CrossEntropyLoss(),
    "mse": lambda: torch.nn.MSELoss(),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--out", required=True, help="the folder for the new descent bundle")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(args.seed)
    model, manifest = load_bundle(HERE)
    if manifest["loss"] not in LOSSES or not manifest.get("preprocessing"):
        sys.exit(f"train.py: expected a table model with loss {', '.join(LOSSES)}, found {manifest['loss']}")
    rows = [r for r in read_csv(args.csv) if r.get(manifest.get("targetName", ""), "").strip() in (manifest.get("labelNames") or [])]
    x, kept, _ = Preprocessor(manifest["preprocessing"]).transform(rows, args.csv)
    y = class_targets(manifest, rows, kept)
    if manifest["loss"] == "bceWithLogits":
        y = y.float().unsqueeze(1)
    data = TensorDataset(x, y)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler)
    ddp = DistributedDataParallel(model.train())
    loss_fn = LOSSES[manifest["loss"]]()
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        total, seen = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(ddp(xb), yb)
            loss.backward()
            optimizer.step()
            total, seen = total + loss.item() * len(xb), seen + len(xb)
        summed = torch.tensor([total, seen], dtype=torch.float64)
        dist.all_reduce(summed)
        if rank == 0:
            print(f"epoch {epoch + 1}/{args.epochs}  loss {summed[0] / summed[1]:.4f}  ({world} processes)", flush=True)
    if rank == 0:
        extra = dict(manifest.get("extra") or {})
        extra["continued"] = {"by": "torchrun DistributedDataParallel (gloo)", "processes": world, "epochs": args.epochs, "lr": args.lr}
        save_bundle(model.eval(), args.out, like={**manifest, "metrics": {}}, extra=extra)
        print(f"saved {args.out}/model.json, {args.out}/model.safetensors", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
