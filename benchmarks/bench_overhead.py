"""Per-op overhead: minitorch vs torch CPU in one process, printed as ratios.

Two workloads, forward + backward each:
  * a 20-op elementwise chain on 4x4 tensors (pure per-op overhead),
  * a chain of 64x64 matrix products with tanh between them.
Run on an idle machine: `python benchmarks/bench_overhead.py` (or `make bench`).
Writes benchmarks/results/overhead.json.
"""
import json
import os
import statistics
import time

import numpy as np
import torch

import minitorch

torch.set_num_threads(2)


def elementwise_chain(lib, x, w):
    y = x
    for _ in range(4):
        y = y * w
        y = y + x
        y = y.tanh()
        y = y - 0.5
        y = y.sigmoid()
    return y.sum()


def matmul_chain(lib, x, ws):
    y = x
    for w in ws:
        y = (y @ w).tanh()
    return y.sum()


def calls_per_batch(fn, seconds=0.03):
    fn()
    t0 = time.perf_counter()
    fn()
    return max(1, int(seconds / max(time.perf_counter() - t0, 1e-7)))


def batch_time(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def bench(name, make_inputs, chain, rounds=15):
    """Alternate batches of minitorch and torch steps; report each one's best time and the
    median of the per-round ratios (robust to the drift of a shared machine)."""
    steps = {}
    for lib in (minitorch, torch):
        inputs = make_inputs(lib)

        def step(lib=lib, inputs=inputs):
            for t in _leaves(inputs):
                t.grad = None
            chain(lib, *inputs).backward()
        steps[lib.__name__] = (step, calls_per_batch(step))
    samples = {"minitorch": [], "torch": []}
    for _ in range(rounds):
        for lib_name, (step, number) in steps.items():
            samples[lib_name].append(batch_time(step, number))
    ratio = statistics.median(m / t for m, t in zip(samples["minitorch"], samples["torch"]))
    best = {k: min(v) for k, v in samples.items()}
    print(f"{name:<34} minitorch {best['minitorch'] * 1e6:9.1f} us   torch {best['torch'] * 1e6:9.1f} us"
          f"   minitorch/torch = {ratio:.2f} (median of {rounds} alternating rounds)")
    return {"minitorch_s": best["minitorch"], "torch_s": best["torch"], "ratio_median": ratio}


def _leaves(inputs):
    for x in inputs:
        if isinstance(x, (list, tuple)):
            yield from x
        else:
            yield x


def main():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((4, 4), dtype=np.float32), rng.standard_normal((4, 4), dtype=np.float32)
    mats = [rng.standard_normal((64, 64), dtype=np.float32) / 8 for _ in range(5)]

    def small(lib):
        return [lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)]

    def matmuls(lib):
        return [lib.tensor(mats[0], requires_grad=True),
                [lib.tensor(m, requires_grad=True) for m in mats[1:]]]

    results = {
        "elementwise_chain_20ops_4x4": bench("20-op elementwise chain, 4x4", small, elementwise_chain),
        "matmul_chain_4x_64x64": bench("4 x (64x64 matmul + tanh)", matmuls, matmul_chain),
    }
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    path = os.path.join(os.path.dirname(__file__), "results", "overhead.json")
    with open(path + ".tmp", "w") as f:
        json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), **results}, f, indent=2)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
