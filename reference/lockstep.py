"""Lockstep: minitorch and torch train side by side from the same weights on the same
batches, and are compared after every step.

    python -m reference lockstep --model fashion-mnist --steps 1000 --dtype float64

minitorch draws the initial weights (as its main job does with --seed), torch gets an
exact copy, and both take the seed's SGD steps (lr 0.001, momentum 0.9) on the same
mini-batches: real Fashion-MNIST images in the main job's order for the Fashion-MNIST net,
random normal images of the right shape for tutorial 3's LeNet and tutorial 4's CIFAR net.
Per step it records both losses and three relative differences:

    loss     |loss_minitorch - loss_torch| / |loss_torch|
    grads    the largest over the parameters of  max|g_minitorch - g_torch| / max|g_torch|
    params   the same over the parameters after the optimizer step

(each tensor's worst element, measured against the tensor's own scale, so entries that
happen to be near zero do not count as large errors). In float32 it also trains torch in
float64 from the same start, and records how far each float32 engine has moved from that
exact-arithmetic trajectory (if minitorch is as far from torch as each is from float64,
the drift is float32 rounding compounding, not a difference in the maths), and counts the
ReLU and max-pool decisions the two engines take differently: a value within rounding of
a ReLU's zero or of a pooling window's runner-up sends the gradient down another path,
and that is where the differences jump.

It writes JSON and a PNG (the two loss curves overlaid; the differences on a log scale),
prints a summary table, and exits with status 1 when a difference passes --tol within the
first --tol-steps steps (0 when it held; 2 for bad flags, as argparse does).
"""
import argparse
import copy
import json
import math
import os
import time

import numpy as np
import torch

import minitorch
from minitorch import training
from minitorch._files import atomic_open
from minitorch.vision import models as minitorch_models

from . import models
from .devices import add_device_flag, full_float32
from .transfer import copy_weights

# name -> (minitorch net, image shape, what it trains on); torch's net is its twin
MODELS = {
    "fashion-mnist": (minitorch_models.FashionMNISTNet, (1, 28, 28),
                      "Fashion-MNIST training images in the main job's order"),
    "lenet": (minitorch_models.LeNet, (1, 32, 32), "random normal images"),
    "cifar": (minitorch_models.CifarNet, (3, 32, 32), "random normal images"),
}
TOLERANCE = {"float64": 1e-9, "float32": 1e-4}
DIFFERENCES = ("loss", "grads", "params")


def relative_difference(minitorch_value, torch_value):
    """max|minitorch_value - torch_value| / max|torch_value| of two arrays, in float64.
    Equal entries (nan with nan, inf with inf) count as no difference; a nan or inf in one
    engine alone makes the difference inf, so it can never pass for agreement."""
    ours = np.asarray(minitorch_value, np.float64)
    theirs = np.asarray(torch_value, np.float64)
    alike = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    with np.errstate(invalid="ignore"):   # inf - inf: alike, so it is not used
        error = np.where(alike, 0.0, np.abs(ours - theirs))
    if not np.isfinite(error).all():
        return float("inf")
    error = float(np.max(error, initial=0.0))
    scale = float(np.max(np.abs(theirs[np.isfinite(theirs)]), initial=0.0))
    return error / scale if scale else (0.0 if error == 0 else float("inf"))


def worst_difference(minitorch_values, torch_values):
    """(largest relative difference, its name) over two dicts of arrays with the same keys."""
    return max((relative_difference(minitorch_values[name], torch_values[name]), name)
               for name in minitorch_values)


def values(net, grads=False):
    """A net's parameters (or their gradients) as numpy arrays on the CPU, by name; for
    either engine."""
    return {name: (p.grad if grads else p).detach().cpu().numpy()
            for name, p in net.named_parameters()}


def train_step(lib, net, optimizer, images, labels, device="cpu"):
    """One SGD step of the seed's loop in library `lib` on numpy batches; returns the loss
    and the gradients it took the step with."""
    optimizer.zero_grad()
    loss = lib.nn.functional.cross_entropy(net(lib.from_numpy(images).to(device)),
                                           lib.from_numpy(labels).to(device))
    loss.backward()
    grads = values(net, grads=True)
    optimizer.step()
    return loss.item(), grads


def decisions(lib, net, images):
    """The forward pass all three seed nets share, keeping each discrete choice it makes
    (which ReLU inputs are positive, which element each 2x2 max-pool window picks).
    Returns those choices as numpy arrays, and the logits."""
    F = lib.nn.functional
    choices, x = [], images
    for conv in (net.conv1, net.conv2):
        x = F.conv2d(x, conv.weight, conv.bias)
        choices.append(x > 0)
        x, indices = F.max_pool2d(F.relu(x), 2, return_indices=True)
        choices.append(indices)
    x = lib.flatten(x, 1)
    for fc in (net.fc1, net.fc2):
        x = F.linear(x, fc.weight, fc.bias)
        choices.append(x > 0)
        x = F.relu(x)
    return [c.cpu().numpy() for c in choices], F.linear(x, net.fc3.weight, net.fc3.bias)


def batches(model, batch_size, seed, data):
    """Endless (images, labels) numpy batches for `model`."""
    shape = MODELS[model][1]
    if model == "fashion-mnist":
        loader, _ = training.loaders(training.parser().parse_args(
            ["--data", data, "--batch-size", str(batch_size), "--num-workers", "0"]))
        while True:
            for images, labels in loader:
                yield images.numpy(), labels.numpy()
    rng = np.random.default_rng(seed)
    while True:
        yield (rng.standard_normal((batch_size,) + shape).astype(np.float32),
               rng.integers(0, 10, batch_size))


class Lockstep:
    """Both engines' nets and SGD optimizers, started from the same weights; `step()`
    trains both on the next batch and measures how far apart they are. (On a GPU, use it
    inside `devices.full_float32()`, as `run` does.)"""

    def __init__(self, model="fashion-mnist", dtype="float64", device="cpu", batch_size=4,
                 lr=0.001, momentum=0.9, seed=0, data="./data"):
        minitorch_cls = MODELS[model][0]
        self.dtype, self.device = dtype, torch.device(device)
        minitorch.manual_seed(seed)          # the initial weights, as the main job draws them
        self.minitorch_net = minitorch_cls().to(getattr(minitorch, dtype))
        self.torch_net = models.twin_of(minitorch_cls)().to(self.device, getattr(torch, dtype))
        copy_weights(self.minitorch_net, self.torch_net)
        self.minitorch_optimizer = minitorch.optim.SGD(self.minitorch_net.parameters(), lr=lr,
                                                       momentum=momentum)
        self.torch_optimizer = torch.optim.SGD(self.torch_net.parameters(), lr=lr,
                                               momentum=momentum)
        self.exact_net = self.exact_optimizer = None
        if dtype != "float64":               # the exact-arithmetic trajectory, for comparison
            self.exact_net = copy.deepcopy(self.torch_net).double()
            self.exact_optimizer = torch.optim.SGD(self.exact_net.parameters(), lr=lr,
                                                   momentum=momentum)
        self.batches = batches(model, batch_size, seed, data)
        self.seconds = {"minitorch": 0.0, "torch": 0.0}

    def flips(self, images):
        """How many ReLU and max-pool decisions the two engines' current nets take
        differently on `images`."""
        with minitorch.no_grad():
            ours, _ = decisions(minitorch, self.minitorch_net, minitorch.from_numpy(images))
        with torch.no_grad():
            theirs, _ = decisions(torch, self.torch_net,
                                  torch.from_numpy(images).to(self.device))
        return int(sum((a != b).sum() for a, b in zip(ours, theirs)))

    def step(self):
        """One training step in both engines; the record of how far apart they are."""
        images, labels = next(self.batches)
        images = images.astype(self.dtype)
        record = {}
        if self.exact_net is not None:    # the decisions this step's forward passes take
            record["flips"] = self.flips(images)

        start = time.perf_counter()
        loss, grads = train_step(minitorch, self.minitorch_net, self.minitorch_optimizer,
                                 images, labels)
        self.seconds["minitorch"] += time.perf_counter() - start
        start = time.perf_counter()
        torch_loss, torch_grads = train_step(torch, self.torch_net, self.torch_optimizer,
                                             images, labels, self.device)
        self.seconds["torch"] += time.perf_counter() - start

        params, torch_params = values(self.minitorch_net), values(self.torch_net)
        record.update(loss_minitorch=loss, loss_torch=torch_loss,
                      loss=relative_difference(loss, torch_loss))
        record["grads"], record["grads_worst"] = worst_difference(grads, torch_grads)
        record["params"], record["params_worst"] = worst_difference(params, torch_params)
        if self.exact_net is not None:
            train_step(torch, self.exact_net, self.exact_optimizer, images.astype(np.float64),
                       labels, self.device)
            exact = values(self.exact_net)
            record["minitorch_vs_float64"] = worst_difference(params, exact)[0]
            record["torch_vs_float64"] = worst_difference(torch_params, exact)[0]
        return record


def run(model="fashion-mnist", steps=1000, dtype="float64", device="cpu", **options):
    """Train up to `steps` steps in lockstep (Ctrl-C stops early and keeps what ran); the
    Lockstep object and the list of per-step records."""
    records = []
    with full_float32():
        lockstep = Lockstep(model, dtype, device, **options)
        try:
            for i in range(steps):
                records.append(dict(step=i + 1, **lockstep.step()))
        except KeyboardInterrupt:
            print(f"interrupted after {len(records)} steps")
    return lockstep, records


def first_breach(records, tol, tol_steps):
    """The first (step, what, difference, worst tensor) past tol, or None."""
    for r in records[:tol_steps]:
        for what in DIFFERENCES:
            if r[what] > tol:
                return r["step"], what, r[what], r.get(what + "_worst")
    return None


def first_step_past(records, key, level):
    return next((r["step"] for r in records if r[key] > level), None)


def summary(records, title, tol, tol_steps):
    """The table printed at the end: a few steps, the worst of all, the verdict, and in
    float32 where the drift sets in."""
    lines = [title, f"{'step':>7}  {'loss minitorch':>18}  {'loss torch':>18}  "
             + "  ".join(f"{what:>8}" for what in DIFFERENCES)]
    shown = sorted({1, len(records)} | {10 ** k for k in range(1, 7) if 10 ** k < len(records)})
    for step in shown:
        r = records[step - 1]
        lines.append(f"{step:7d}  {r['loss_minitorch']:18.12g}  {r['loss_torch']:18.12g}  "
                     + "  ".join(f"{r[what]:8.1e}" for what in DIFFERENCES))
    lines.append(f"{'worst':>7}  {'':18}  {'':18}  "
                 + "  ".join(f"{max(r[what] for r in records):8.1e}" for what in DIFFERENCES))
    checked = records[:tol_steps]
    breach = first_breach(records, tol, tol_steps)
    if breach:
        step, what, value, name = breach
        lines.append(f"tolerance {tol:g} over steps 1-{len(checked)}: BROKEN at step {step}: "
                     f"{what} differ by {value:.2e}" + (f" ({name})" if name else ""))
    else:
        worst = max((r[w], w, r["step"]) for r in checked for w in DIFFERENCES)
        lines.append(f"tolerance {tol:g} over steps 1-{len(checked)}: held (worst {worst[0]:.2e},"
                     f" {worst[1]} at step {worst[2]})")
    if "torch_vs_float64" in records[0]:
        for level in (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1):
            steps = [first_step_past(records, key, level)
                     for key in ("params", "minitorch_vs_float64", "torch_vs_float64")]
            if any(steps):
                lines.append(f"params past {level:g} at step: minitorch vs torch {steps[0]}, "
                             f"minitorch vs float64 {steps[1]}, torch vs float64 {steps[2]}")
        flipped = [r for r in records if r["flips"]]
        if flipped:
            lines.append(f"ReLU/max-pool decisions taken differently at {len(flipped)} of "
                         f"{len(records)} steps; the first: "
                         + ", ".join(f"step {r['step']} ({r['flips']}, grads {r['grads']:.0e})"
                                     for r in flipped[:5]) + (", ..." if flipped[5:] else ""))
            alike = [r["grads"] for r in records if not r["flips"]]
            lines.append(f"median grads difference on steps with a differing decision "
                         f"{np.median([r['grads'] for r in flipped]):.1e}, on the others "
                         f"{np.median(alike) if alike else float('nan'):.1e}")
        else:
            lines.append("the two engines took every ReLU and max-pool decision alike")
        last = records[-1]
        lines.append(f"after {last['step']} steps the params differ by {last['params']:.1e} "
                     f"between the engines; from the float64 trajectory minitorch is "
                     f"{last['minitorch_vs_float64']:.1e} away and torch "
                     f"{last['torch_vs_float64']:.1e}")
    return "\n".join(lines)


def plot(path, records, title, tol):
    """Both loss curves overlaid (left; averaged over a window when there are many steps)
    and the differences per step on log-log axes (right), with the first steps where the
    engines took a ReLU or max-pool decision differently marked."""
    steps = np.array([r["step"] for r in records])
    fig, (left, right) = training.pyplot().subplots(1, 2, figsize=(13, 4.8))
    window = max(1, len(records) // 200)
    for engine, style in [("minitorch", dict(lw=1.5)), ("torch", dict(lw=0.8, ls="--"))]:
        losses = np.array([r["loss_" + engine] for r in records])
        mean = np.convolve(losses, np.ones(window) / window, mode="valid")
        left.plot(steps[window - 1:], mean, label=engine, **style)
    left.set(title="training loss" + (f" (mean of {window} steps)" if window > 1 else ""),
             xlabel="step", ylabel="loss")
    left.legend()

    def gaps_for_zeros(differences):   # exact agreement (a difference of 0) leaves a gap
        return [d if d > 0 else float("nan") for d in differences]

    keys = list(DIFFERENCES) + [k for k in ("minitorch_vs_float64", "torch_vs_float64")
                                if k in records[0]]
    for key in keys:
        right.plot(steps, gaps_for_zeros(r[key] for r in records), lw=0.8,
                   ls=":" if "float64" in key else "-", label=key.replace("_", " "))
    flipped = [r for r in records if r.get("flips")][:20]
    if flipped:
        right.plot([r["step"] for r in flipped], gaps_for_zeros(r["grads"] for r in flipped),
                   "x", ms=5, color="black",
                   label=f"a ReLU/max-pool decision differs (first {len(flipped)})")
    right.axhline(tol, color="red", lw=0.8, label=f"tolerance {tol:g}")
    right.set(xscale="log", yscale="log", title="relative difference, minitorch vs torch",
              xlabel="step")
    right.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    training.save_png(fig, path)


def tolerance(text):
    """--tol's type: a finite relative difference, 0 or more."""
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text!r}")
    return value


def parser():
    p = argparse.ArgumentParser(prog="python -m reference lockstep", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=sorted(MODELS), default="fashion-mnist")
    p.add_argument("--steps", type=training.int_at_least(1), default=1000)
    p.add_argument("--dtype", choices=sorted(TOLERANCE), default="float64")
    add_device_flag(p, "torch's device (minitorch computes on the CPU)")
    p.add_argument("--batch-size", type=training.int_at_least(1), default=4)
    p.add_argument("--lr", type=training.finite_at_least(0), default=0.001)
    p.add_argument("--momentum", type=training.finite_at_least(0), default=0.9)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="./data", help="dataset root (for fashion-mnist)")
    p.add_argument("--tol", type=tolerance, default=None,
                   help="largest relative difference allowed (default: 1e-9 in float64, "
                        "1e-4 in float32)")
    p.add_argument("--tol-steps", type=training.int_at_least(1), default=None,
                   help="hold the tolerance over the first N steps only (default: all)")
    p.add_argument("--out", default=None,
                   help="output path without extension (default: "
                        "runs/lockstep/<model>-<dtype>-<device>)")
    return p


def json_safe(record):
    """A record with inf and nan written as the strings "inf" and "nan" (JSON has no such
    numbers; Python would write the non-standard Infinity and NaN)."""
    return {k: str(v) if isinstance(v, float) and not math.isfinite(v) else v
            for k, v in record.items()}


def main(argv=None):
    """Run the lockstep; 0 when the tolerance held, 1 when it broke."""
    args = parser().parse_args(argv)
    tol = TOLERANCE[args.dtype] if args.tol is None else args.tol
    tol_steps = args.steps if args.tol_steps is None else args.tol_steps
    device = args.device
    out = args.out or os.path.join("runs", "lockstep", f"{args.model}-{args.dtype}-{device.type}")
    lockstep, records = run(args.model, args.steps, args.dtype, device,
                            batch_size=args.batch_size, lr=args.lr, momentum=args.momentum,
                            seed=args.seed, data=args.data)
    if not records:
        return 1
    title = (f"lockstep: {args.model} net, {args.dtype}, minitorch (cpu) vs torch ({device}), "
             f"{len(records)} steps of {args.batch_size} {MODELS[args.model][2]}, "
             f"SGD lr {args.lr:g} momentum {args.momentum:g}")
    speeds = {k: 1e3 * v / len(records) for k, v in lockstep.seconds.items()}
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    config = vars(args) | {"tol": tol, "tol_steps": tol_steps, "device": str(device),
                           "torch": torch.__version__}
    with atomic_open(out + ".json") as f:
        f.write(json.dumps({"config": json_safe(config), "ms_per_step": speeds,
                            "steps": [json_safe(r) for r in records]},
                           indent=1, allow_nan=False).encode())
    plot(out + ".png", records, title, tol)
    print(summary(records, title, tol, tol_steps))
    print(f"ms per step: minitorch {speeds['minitorch']:.2f}, torch {speeds['torch']:.2f}; "
          f"wrote {out}.json and {out}.png")
    return 1 if first_breach(records, tol, tol_steps) else 0
