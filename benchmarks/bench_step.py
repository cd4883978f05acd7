"""One training step of tutorial 4's CIFAR net (3x32x32) at batch 4, 64 and 256, in
minitorch and in torch CPU (2 threads), on the same random batch: forward, cross-entropy,
backward, SGD with momentum. Run on an idle machine:

    .venv/bin/python benchmarks/bench_step.py

Prints the median of 5 rounds per engine and batch size and writes
benchmarks/results/step.json.
"""
import json
import os
import time

import numpy as np
import torch

import minitorch
from minitorch.vision.models import CifarNet
from reference import models as torch_models

BATCHES = {4: 200, 64: 40, 256: 10}  # batch size -> steps per round


def step_ms(lib, net, batch, steps):
    """Median over 5 rounds of the mean time of one training step, in ms."""
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((batch, 3, 32, 32)).astype(np.float32))
    y = lib.from_numpy(rng.integers(0, 10, batch))

    def step():
        optimizer.zero_grad()
        criterion(net(x), y).backward()
        optimizer.step()
    for _ in range(10):
        step()
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        rounds.append((time.perf_counter() - start) / steps * 1e3)
    return float(np.median(rounds))


def main():
    torch.set_num_threads(2)
    results = {}
    for batch, steps in BATCHES.items():
        ours = step_ms(minitorch, CifarNet(), batch, steps)
        theirs = step_ms(torch, torch_models.CifarNet(), batch, steps)
        results[batch] = {"minitorch_ms": ours, "torch_ms": theirs, "ratio": ours / theirs}
        print(f"batch {batch:3d}: minitorch {ours:6.2f} ms, torch {theirs:6.2f} ms, "
              f"minitorch / torch {ours / theirs:.2f}")
    folder = os.path.join(os.path.dirname(__file__), "results")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "step.json")
    with open(path + ".tmp", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
