"""The main job in PyTorch: `python -m reference train` takes the same flags as
`python -m minitorch train` (plus --device) and runs the same job, with torch doing every
step, on CUDA when it is available.

"The same" holds to the bit where it can: minitorch draws the initial weights and the
batch order exactly as its own main job does with that --seed, the weights are copied into
torch's net, and torch's DataLoader serves torchvision's images in that order (torchvision
reads the IDX files unpacked: the first run unpacks them into --data). So the two runs see
identical batches in identical order from identical weights, and differ only by how each
engine rounds (see `python -m reference lockstep`); on a GPU, float32 stays float32 (no
TensorFloat-32). The output is the main job's: the running loss, the test accuracy overall
and per class, the time per epoch, a checkpoint, a plot and TensorBoard logs.
"""
import torch
import torch.utils.tensorboard  # noqa: F401  (training.run reaches it as torch.utils.tensorboard)

import minitorch
from minitorch import training

from . import data, models
from .devices import add_device_flag, full_float32
from .transfer import copy_weights


def parser():
    p = training.parser(prog="python -m reference train", description=__doc__,
                        out="runs/<dataset>-torch-<device>")
    add_device_flag(p)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.out is None and args.resume is None:   # a new folder per run, as the main job's
        args.out = training.new_run_folder(f"runs/{args.dataset}-torch-{args.device.type}")
    minitorch.manual_seed(args.seed)   # the weights and the batch order, as the main job's
    try:
        trainloader, testloader = data.loaders(args)
    except (RuntimeError, OSError) as e:   # no dataset, a bad file: one line, as the main job's
        training.fail(args, str(e).replace("download=True", "--download"))
    minitorch_net = getattr(minitorch.vision.models, training.DATASETS[args.dataset][1])()
    net = copy_weights(minitorch_net, models.twin_of(type(minitorch_net))().to(args.device))
    with full_float32():
        return training.run(args, torch, net, trainloader, testloader, args.device)
