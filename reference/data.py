"""The main job's data pipeline in torch: torchvision's datasets and transforms, torch's
DataLoader, and the batches in exactly the order minitorch's main job draws them.

minitorch's and torch's random streams differ, so a shuffled torch DataLoader would visit
the images in another order. `MinitorchBatchSampler` instead asks minitorch for the order:
it runs a minitorch DataLoader over the indices themselves, which draws from minitorch's
global stream exactly as the main job's loader does (a seed for the workers, then the
shuffle).
"""
import gzip
import os
import shutil

import torch
import torchvision

import minitorch
from minitorch import training
from minitorch._files import atomic_open


def unpack_for_torchvision(dataset, root):
    """torchvision reads MNIST's and Fashion-MNIST's IDX files unpacked, from
    root/<Name>/raw. minitorch also reads them gzipped from there, and Fashion-MNIST from
    Debian's package folder: unpack what torchvision would miss into root/<Name>/raw, as
    torchvision's own download would (about 53 MB)."""
    if dataset not in ("mnist", "fashion-mnist"):
        return
    minitorch_cls = getattr(minitorch.vision.datasets, training.DATASETS[dataset][0])
    raw = os.path.join(root, minitorch_cls.__name__, "raw")
    for filename, _ in minitorch_cls.resources:
        plain = os.path.join(raw, filename[:-len(".gz")])
        candidates = [os.path.join(folder, filename)
                      for folder in [raw, *minitorch_cls.extra_folders]]
        packed = next((path for path in candidates if os.path.exists(path)), None)
        if not os.path.exists(plain) and packed:
            os.makedirs(raw, exist_ok=True)
            with gzip.open(packed, "rb") as src, atomic_open(plain) as dst:
                shutil.copyfileobj(src, dst)


class MinitorchBatchSampler(torch.utils.data.Sampler):
    """Batches of indices (a batch_sampler for torch's DataLoader) in the order a shuffled
    minitorch DataLoader of `batch_size` yields them, drawn anew from minitorch's global
    stream each epoch."""

    def __init__(self, n, batch_size):
        self.order = minitorch.utils.data.DataLoader(range(n), batch_size=batch_size,
                                                     shuffle=True)

    def __iter__(self):
        for indices in self.order:
            yield indices.tolist()

    def __len__(self):
        return len(self.order)


def loaders(args):
    """torch's versions of minitorch.training.loaders(args): the same images, transforms,
    batch size and batch order."""
    unpack_for_torchvision(args.dataset, args.data)
    return training.loaders(args, torch, torchvision, batch_sampler=MinitorchBatchSampler)
