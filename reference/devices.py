"""Where torch computes, and in what precision.

The reference runs on CUDA when torch sees a GPU and on the CPU otherwise. On a GPU, torch
by default lets cuDNN compute float32 convolutions in TensorFloat-32 (a 10-bit mantissa);
compared with minitorch's float32 that would measure TF32's rounding, not the engines'.
`full_float32()` turns it off for the comparison and puts torch's settings back after.
"""
import argparse
import contextlib

import torch


def device(name):
    """--device's type: a torch device this machine has (cuda or cpu)."""
    try:
        chosen = torch.device(name)
    except RuntimeError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if chosen.type not in ("cuda", "cpu"):
        raise argparse.ArgumentTypeError(f"{name}: the reference runs on cuda or cpu")
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError(f"{name}: torch sees no CUDA device here "
                                         "(torch.cuda.is_available() is False); use cpu")
    return chosen


def add_device_flag(parser, what="torch's device"):
    default = "cuda" if torch.cuda.is_available() else "cpu"
    parser.add_argument("--device", type=device, default=default,
                        help=f"{what}: cuda or cpu (default: cuda when available)")


@contextlib.contextmanager
def full_float32():
    """Within the block, torch's float32 convolutions and matrix products on a GPU round as
    float32 (IEEE), not TensorFloat-32; afterwards, the settings are as they were."""
    settings = (torch.backends.cudnn.conv, torch.backends.cuda.matmul)
    before = [s.fp32_precision for s in settings]
    try:
        for s in settings:
            s.fp32_precision = "ieee"
        yield
    finally:
        for s, precision in zip(settings, before):
            s.fp32_precision = precision
