"""The main job in PyTorch: `python -m reference train` takes the same flags as
`python -m minitorch train` (plus --device) and runs the same job, with torch doing every
step, on CUDA when it is available.

"The same" holds to the bit where it can: minitorch draws the initial weights and the
batch order exactly as its own main job does with that --seed, the weights are copied into
torch's net, and torch's DataLoader serves torchvision's images in that order. So the two
runs see identical batches in identical order from identical weights, and differ only by
how each engine rounds (see `python -m reference lockstep`). The output is the main job's:
the running loss, the test accuracy overall and per class, the time per epoch, a
checkpoint, a plot and TensorBoard logs (in runs/<dataset>-torch-<device> by default).
"""
import argparse

import torch
import torch.utils.tensorboard  # noqa: F401  (training.run reaches it as torch.utils.tensorboard)

import minitorch
from minitorch import training

from . import data, models
from .transfer import copy_weights

NETS = {"fashion-mnist": models.FashionMNISTNet, "mnist": models.FashionMNISTNet,
        "cifar10": models.CifarNet}


def device(name):
    """--device's type: a torch device this machine has."""
    try:
        chosen = torch.device(name)
    except RuntimeError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError(f"{name}: torch sees no CUDA device here "
                                         "(torch.cuda.is_available() is False); use cpu")
    if chosen.type not in ("cuda", "cpu"):
        raise argparse.ArgumentTypeError(f"{name}: the reference runs on cuda or cpu")
    return chosen


def add_device_flag(p, what="torch's device"):
    default = "cuda" if torch.cuda.is_available() else "cpu"
    p.add_argument("--device", type=device, default=default,
                   help=f"{what}: cuda or cpu (default: cuda when available)")


def parser():
    p = training.parser(prog="python -m reference train", description=__doc__)
    add_device_flag(p)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    device = args.device
    args.out = args.out or f"runs/{args.dataset}-torch-{device.type}"
    minitorch.manual_seed(args.seed)   # the weights and the batch order, as the main job's
    trainloader, testloader = data.loaders(args)
    net = NETS[args.dataset]().to(device)
    copy_weights(training.DATASETS[args.dataset][1](), net)
    return training.run(args, torch, net, trainloader, testloader, device)
