"""`python -m benchmarks` (`make bench`): minitorch against torch CPU (and torch GPU when
torch sees one), everything measured side by side in one run. Run it on an idle machine.

It prints markdown tables and writes benchmarks/results/bench.json and bench.png:
  1. this machine's float32 matrix-product rate (numpy's BLAS, which minitorch uses, and
     torch's), the limit every engine's FLOP count is compared with;
  2. tutorial 4's CIFAR LeNet training step (forward, cross-entropy, backward, SGD with
     momentum) in images/s at batch 1 ... 1024, each engine's share of the matmul rate;
  3. the step cut by layer (forward and backward of each) at batch 4 and 256;
  4. import time, the peak memory of one large Conv2d forward + backward and of the main
     job, and (unless --quick) one epoch of the seed's job in each engine.
Timings alternate between the engines round by round; each figure is the median of the
rounds, with the spread (min-max) next to it. torch runs with 2 threads, as many as
minitorch's Numba kernels and BLAS get (this machine has 2 cores).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
THREADS = 2
# The Conv2d whose peak memory is compared: 64 -> 64 channels, 3x3, padding 1, on a batch
# of 8 images of 64x128x128 (float32), forward then backward into input and weight.
CONV_MEMORY = dict(batch=8, channels=64, size=128)


# ---- timing ------------------------------------------------------------------------------

def per_call(fn, seconds=0.25):
    """How many calls of fn make about `seconds` (after two warm-up calls)."""
    fn(), fn()
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, int(seconds / once))


def alternate(fns, rounds):
    """{name: [seconds per call, one per round]}, the engines taking turns each round."""
    counts = {name: per_call(fn) for name, fn in fns.items()}
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(counts[name]):
                fn()
            times[name].append((time.perf_counter() - start) / counts[name])
    return times


def summary(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


# ---- 1. the matrix-product rate -----------------------------------------------------------

def matmul_rate(torch, rounds, n=1024):
    """float32 GFLOP/s of an n x n matrix product: numpy's BLAS and torch's."""
    a, b = np.random.default_rng(0).standard_normal((2, n, n), dtype=np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    times = alternate({"numpy": lambda: a @ b, "torch": lambda: ta @ tb}, rounds)
    return {name: 2 * n**3 / min(t) / 1e9 for name, t in times.items()}


# ---- 2. the LeNet step --------------------------------------------------------------------

def lenet_flops(batch):
    """FLOPs of one training step of the CIFAR LeNet, from the layer shapes: a product of
    (m x k) by (k x n) is 2mkn; backward costs two such products per layer (input and
    weight gradients), but conv1's input needs no gradient."""
    conv1 = 2 * 6 * 28 * 28 * 3 * 5 * 5
    conv2 = 2 * 16 * 10 * 10 * 6 * 5 * 5
    linear = 2 * (400 * 120 + 120 * 84 + 84 * 10)
    forward = conv1 + conv2 + linear
    backward = conv1 + 2 * conv2 + 2 * linear
    return batch * (forward + backward)


def lenet_step(lib, net_cls, batch, device="cpu"):
    """A function doing one training step on a fixed random batch."""
    rng = np.random.default_rng(0)
    net = net_cls().to(device)
    x = lib.from_numpy(rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)).to(device)
    y = lib.from_numpy(rng.integers(0, 10, batch)).to(device)
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    sync = lib.cuda.synchronize if device != "cpu" else (lambda: None)

    def step():
        optimizer.zero_grad()
        criterion(net(x), y).backward()
        optimizer.step()
        sync()
    return step


def step_table(engines, batches, rounds, rate):
    rows = {}
    for batch in batches:
        fns = {name: lenet_step(lib, net_cls, batch, device)
               for name, (lib, net_cls, device) in engines.items()}
        times = alternate(fns, rounds)
        rows[batch] = {}
        for name, t in times.items():
            s = summary([batch / x for x in t])   # images/s
            s["share_of_matmul_rate"] = s["median"] * lenet_flops(batch) / batch / (rate * 1e9)
            rows[batch][name] = s
        print(f"  batch {batch}: " + ", ".join(f"{n} {r['median']:.0f} img/s"
                                               for n, r in rows[batch].items()), flush=True)
    return rows


# ---- 3. the step by layer -----------------------------------------------------------------

def layer_fns(lib, net_cls, batch):
    """{layer: (forward fn, forward+backward fn)} for each stage of the CIFAR LeNet, each
    run on its own input (a leaf that wants a gradient, as in the step)."""
    F = lib.nn.functional
    rng = np.random.default_rng(0)
    net = net_cls()

    def leaf(shape):
        return lib.from_numpy(rng.standard_normal(shape).astype(np.float32)).requires_grad_()
    x = lib.from_numpy(rng.standard_normal((batch, 3, 32, 32)).astype(np.float32))
    labels = lib.from_numpy(rng.integers(0, 10, batch))
    stages = {
        "conv1 + relu": (lambda t: F.relu(net.conv1(t)), x),
        "pool1": (net.pool, leaf((batch, 6, 28, 28))),
        "conv2 + relu": (lambda t: F.relu(net.conv2(t)), leaf((batch, 6, 14, 14))),
        "pool2": (net.pool, leaf((batch, 16, 10, 10))),
        "fc1-3 + relu": (lambda t: net.fc3(F.relu(net.fc2(F.relu(net.fc1(t))))),
                         leaf((batch, 400))),
        "loss": (lambda t: F.cross_entropy(t, labels), leaf((batch, 10))),
    }
    fns = {}
    for name, (f, inp) in stages.items():
        out = f(inp)
        grad = lib.from_numpy(rng.standard_normal(tuple(out.shape)).astype(np.float32))
        fns[name] = ((lambda f=f, inp=inp: f(inp)),
                     (lambda f=f, inp=inp, grad=grad: f(inp).backward(grad)))
    optimizer = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    for p in net.parameters():
        p.grad = lib.zeros_like(p)
    fns["optimizer"] = (optimizer.step, optimizer.step)
    return fns


def layer_table(engines, batch, rounds):
    per_engine = {name: layer_fns(lib, net_cls, batch)
                  for name, (lib, net_cls, device) in engines.items() if device == "cpu"}
    rows = {}
    for layer in next(iter(per_engine.values())):
        fns = {}
        for engine, stages in per_engine.items():
            fns[(engine, "forward")], fns[(engine, "both")] = stages[layer]
        times = alternate(fns, rounds)
        rows[layer] = {}
        for engine in per_engine:
            forward = statistics.median(times[(engine, "forward")])
            both = statistics.median(times[(engine, "both")])
            rows[layer][engine] = {"forward_ms": 1e3 * forward,
                                   "backward_ms": 1e3 * max(both - forward, 0.0)}
            if layer == "optimizer":
                rows[layer][engine] = {"forward_ms": 0.0, "backward_ms": 1e3 * both}
    return rows


# ---- 4. import time, memory, the seed's epoch --------------------------------------------

def in_fresh_python(code):
    """Run code in a fresh interpreter (the repository on its path); its stdout."""
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env).stdout


def import_seconds(module, rounds):
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return summary([float(in_fresh_python(code)) for _ in range(rounds)])


CONV_MEMORY_CODE = """
import numpy as np, {lib} as lib
if hasattr(lib, "set_num_threads"):
    lib.set_num_threads({threads})

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024

conv = lib.nn.Conv2d({channels}, {channels}, 3, padding=1)
x = lib.from_numpy(np.random.default_rng(0).standard_normal(({batch}, {channels}, {size}, {size}), dtype=np.float32)).requires_grad_()
grad = lib.ones({batch}, {channels}, {size}, {size})
small = lib.nn.Conv2d(2, 2, 3, padding=1)   # compile / warm up the code paths first
small(lib.ones(1, 2, 8, 8, requires_grad=True)).sum().backward()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")                              # the peak (VmHWM) starts again from here
before = status("VmRSS")
conv(x).backward(grad)
print(status("VmHWM") - before)
"""


def conv_peak_mb(lib):
    """Peak resident memory added by one Conv2d forward + backward (MB), in a fresh process:
    inputs, weights and the upstream gradient are allocated first, then Linux's peak-RSS
    mark is reset (/proc/self/clear_refs) and read again after the backward pass."""
    return float(in_fresh_python(CONV_MEMORY_CODE.format(lib=lib, threads=THREADS, **CONV_MEMORY)))


def main_job_peak_mb():
    """Peak RSS of the main job (one epoch cut to 2,000 images, no loader workers), MB."""
    with tempfile.TemporaryDirectory() as out:
        # VmHWM, not ru_maxrss: the latter carries the parent's peak across fork + exec
        code = ("import runpy, sys\n"
                f"sys.argv = ['minitorch', 'train', '--epochs', '1', '--limit', '2000', "
                f"'--num-workers', '0', '--out', {os.path.join(out, 'run')!r}]\n"
                "try:\n    runpy.run_module('minitorch', run_name='__main__')\n"
                "except SystemExit:\n    pass\n"
                "print(next(int(line.split()[1]) for line in open('/proc/self/status')\n"
                "           if line.startswith('VmHWM:')) / 1024)")
        return float(in_fresh_python(code).split()[-1])


def seed_epoch():
    """One epoch of the seed's job in each engine (benchmarks/bench_train.py)."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "bench_train.py")], check=True,
                         capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.path.dirname(HERE)))
    print(out.stdout, end="")
    with open(os.path.join(RESULTS, "train.json")) as f:
        return json.load(f)


# ---- output -------------------------------------------------------------------------------

def machine():
    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def markdown(results):
    lines = [f"Measured {results['date']} on {results['machine']} (Python "
             f"{results['versions']['python']}, numpy {results['versions']['numpy']}, torch "
             f"{results['versions']['torch']}, {THREADS} threads each); median of "
             f"{results['rounds']} alternating rounds, spread in brackets.", ""]
    rate = results["matmul_gflops"]
    lines += [f"float32 matrix product (1024x1024): numpy {rate['numpy']:.0f} GFLOP/s, torch "
              f"{rate['torch']:.0f} GFLOP/s", ""]
    engines = list(next(iter(results["step"].values())))
    lines += ["| batch | " + " | ".join(f"{e} img/s (share of matmul rate)" for e in engines)
              + " | torch GPU | torch CPU / minitorch |",
              "|---|" + "---|" * (len(engines) + 2)]
    for batch, row in results["step"].items():
        cells = [f"{r['median']:.0f} [{r['min']:.0f}-{r['max']:.0f}] ({100 * r['share_of_matmul_rate']:.1f} %)"
                 for r in row.values()]
        gpu = "" if "torch GPU" in row else results["gpu"]
        ratio = row["minitorch"]["median"] / row["torch CPU"]["median"]
        lines.append(f"| {batch} | " + " | ".join(cells) + (f" | {gpu}" if gpu else "")
                     + f" | {ratio:.2f} |")
    for batch, rows in results["layers"].items():
        lines += ["", f"The step by layer at batch {batch} (ms, forward / backward):", "",
                  "| layer | minitorch | torch CPU |", "|---|---|---|"]
        for layer, r in rows.items():
            lines.append(f"| {layer} | " + " | ".join(
                f"{r[e]['forward_ms']:.3f} / {r[e]['backward_ms']:.3f}" for e in ("minitorch", "torch CPU"))
                + " |")
    m = results["memory"]
    lines += ["", f"import: minitorch {results['import_s']['minitorch']['median']:.2f} s, torch "
              f"{results['import_s']['torch']['median']:.2f} s; peak memory of one Conv2d(64, 64, 3, "
              f"padding=1) forward + backward on 8x64x128x128: minitorch {m['conv_minitorch_mb']:.0f} MB, "
              f"torch {m['conv_torch_mb']:.0f} MB ({m['conv_minitorch_mb'] / m['conv_torch_mb']:.2f}x); "
              f"the main job's peak RSS {m['main_job_mb']:.0f} MB"]
    if "epoch" in results:
        e = results["epoch"]
        lines.append(f"seed epoch (15,000 steps of 4, 2 loader workers): minitorch "
                     f"{e['minitorch']['train_s']:.1f} s, torch {e['torch']['train_s']:.1f} s "
                     f"(torch / minitorch {e['torch']['train_s'] / e['minitorch']['train_s']:.2f})")
    return "\n".join(lines)


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    batches = [int(b) for b in results["step"]]
    for engine in next(iter(results["step"].values())):
        rows = [results["step"][b][engine] for b in results["step"]]
        ax.errorbar(batches, [r["median"] for r in rows],
                    yerr=[[r["median"] - r["min"] for r in rows], [r["max"] - r["median"] for r in rows]],
                    marker="o", capsize=3, label=engine)
    ax.set(xscale="log", yscale="log", xlabel="batch size", ylabel="images / s",
           title="CIFAR LeNet training step: scratch vs torch CPU vs torch GPU")
    ax.text(0.02, 0.02, results["gpu"] or "", transform=ax.transAxes, fontsize=8)
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path + ".tmp.png", dpi=120)
    os.replace(path + ".tmp.png", path)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=7, help="alternating rounds per figure (default: 7)")
    p.add_argument("--batches", default="1,4,16,64,256,1024",
                   help="batch sizes of the step table (default: 1,4,16,64,256,1024)")
    p.add_argument("--quick", action="store_true", help="skip the seed's epoch (minutes)")
    args = p.parse_args(argv)
    try:
        batches = [int(b) for b in args.batches.split(",")]
    except ValueError:
        p.error(f"--batches: expected whole numbers separated by commas, got {args.batches!r}")

    import torch
    import minitorch
    from minitorch.vision.models import CifarNet
    from reference import models as torch_models
    torch.set_num_threads(THREADS)
    engines = {"minitorch": (minitorch, CifarNet, "cpu"),
               "torch CPU": (torch, torch_models.CifarNet, "cpu")}
    gpu = None
    if torch.cuda.is_available():
        engines["torch GPU"] = (torch, torch_models.CifarNet, "cuda")
    else:
        gpu = "no GPU here (torch sees no CUDA device)"

    results = {"date": datetime.date.today().isoformat(), "machine": machine(),
               "versions": {"python": platform.python_version(), "numpy": np.__version__,
                            "torch": torch.__version__}, "rounds": args.rounds, "gpu": gpu}
    print("matrix-product rate ...", flush=True)
    results["matmul_gflops"] = matmul_rate(torch, args.rounds)
    rate = max(results["matmul_gflops"].values())
    print("the LeNet step ...", flush=True)
    results["step"] = step_table(engines, batches, args.rounds, rate)
    print("the step by layer ...", flush=True)
    results["layers"] = {b: layer_table(engines, b, args.rounds) for b in (4, 256)}
    print("import time and memory ...", flush=True)
    results["import_s"] = {m: import_seconds(m, 5) for m in ("minitorch", "torch")}
    results["memory"] = {"conv_minitorch_mb": conv_peak_mb("minitorch"),
                         "conv_torch_mb": conv_peak_mb("torch"),
                         "main_job_mb": main_job_peak_mb()}
    if not args.quick:
        print("the seed's epoch ...", flush=True)
        results["epoch"] = seed_epoch()
    table = markdown(results)
    print()
    print(table)
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, "bench.json")
    with open(path + ".tmp", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".tmp", path)
    with open(os.path.join(RESULTS, "bench.md"), "w") as f:
        f.write(table + "\n")
    plot(results, os.path.join(RESULTS, "bench.png"))
    print(f"\nwritten: {path}, bench.md, bench.png")


if __name__ == "__main__":
    main()
