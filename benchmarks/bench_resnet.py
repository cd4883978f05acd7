"""Forward + backward of resnet18 at batch 8, 3x224x224 (ImageNet's size), in minitorch and
in torch CPU (2 threads), with the same weights and the same random batch, train mode
(BatchNorm batch statistics), loss = output.sum(). Run on an idle machine:

    .venv/bin/python benchmarks/bench_resnet.py

The engines take turns, one pass each per round (so a machine that slows down mid-run
slows both); prints the median of the rounds per engine and writes
benchmarks/results/resnet.json.
"""
import json
import os
import time

import numpy as np
import torch
import torchvision

import minitorch
from minitorch.vision.models import resnet18
from reference.transfer import copy_weights

BATCH = 8
WARMUP = 2
ROUNDS = 7


def forward_backward(model, x):
    """Seconds for one forward and backward pass."""
    start = time.perf_counter()
    model.zero_grad()
    model(x).sum().backward()
    return time.perf_counter() - start


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    theirs = torchvision.models.resnet18()
    ours = copy_weights(theirs, resnet18())
    batch = np.random.default_rng(0).standard_normal((BATCH, 3, 224, 224)).astype(np.float32)
    inputs = {minitorch: minitorch.from_numpy(batch.copy()), torch: torch.from_numpy(batch.copy())}
    models = {minitorch: ours, torch: theirs}
    times = {minitorch: [], torch: []}
    for round_number in range(WARMUP + ROUNDS):
        for lib in (minitorch, torch):
            seconds = forward_backward(models[lib], inputs[lib])
            if round_number >= WARMUP:
                times[lib].append(seconds)
    ours_ms, theirs_ms = (float(np.median(times[lib])) * 1e3 for lib in (minitorch, torch))
    print(f"resnet18 forward + backward, batch {BATCH}, 3x224x224: minitorch {ours_ms:.0f} ms, "
          f"torch {theirs_ms:.0f} ms, minitorch / torch {ours_ms / theirs_ms:.2f}")
    results = {"model": "resnet18", "batch": BATCH, "input": [3, 224, 224], "rounds": ROUNDS,
               "minitorch_ms": ours_ms, "torch_ms": theirs_ms, "ratio": ours_ms / theirs_ms,
               "minitorch_rounds_ms": [t * 1e3 for t in times[minitorch]],
               "torch_rounds_ms": [t * 1e3 for t in times[torch]]}
    folder = os.path.join(os.path.dirname(__file__), "results")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "resnet.json")
    with open(path + ".tmp", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
