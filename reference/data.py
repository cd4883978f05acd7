"""The main job's data pipeline in torch: torchvision's datasets and transforms, torch's
DataLoader, and the batches in exactly the order minitorch's main job draws them.

minitorch's and torch's random streams differ, so a shuffled torch DataLoader would visit
the images in another order. `MinitorchOrder` instead asks minitorch for the order: it runs
a minitorch DataLoader over the indices themselves, which draws from minitorch's global
stream exactly as the main job's loader does (a seed for the workers, then the shuffle).
"""
import gzip
import os
import shutil

import torch
import torchvision
from torchvision import transforms

import minitorch
from minitorch._files import atomic_open
from minitorch.training import DATASETS as MINITORCH_DATASETS

DATASETS = {"fashion-mnist": torchvision.datasets.FashionMNIST,
            "mnist": torchvision.datasets.MNIST,
            "cifar10": torchvision.datasets.CIFAR10}


def unpack_debian_fashion_mnist(root):
    """torchvision reads Fashion-MNIST's unpacked IDX files from root/FashionMNIST/raw.
    Where they are missing and Debian's `dataset-fashion-mnist` has them (gzipped), unpack
    them there, as torchvision's own download would."""
    raw = os.path.join(root, "FashionMNIST", "raw")
    debian = minitorch.vision.datasets.FashionMNIST.extra_folders[0]
    for filename, _ in minitorch.vision.datasets.FashionMNIST.resources:
        plain = os.path.join(raw, filename[:-len(".gz")])
        packed = os.path.join(debian, filename)
        if not os.path.exists(plain) and os.path.exists(packed):
            os.makedirs(raw, exist_ok=True)
            with gzip.open(packed, "rb") as src, atomic_open(plain) as dst:
                shutil.copyfileobj(src, dst)


class MinitorchOrder(torch.utils.data.Sampler):
    """Batches of indices (a batch_sampler for torch's DataLoader) in the order a minitorch
    DataLoader of `batch_size` yields them, drawn anew from minitorch's global stream each
    epoch."""

    def __init__(self, n, batch_size, shuffle):
        self.order = minitorch.utils.data.DataLoader(range(n), batch_size=batch_size,
                                                     shuffle=shuffle)

    def __iter__(self):
        for indices in self.order:
            yield indices.tolist()

    def __len__(self):
        return len(self.order)


def loaders(args):
    """torch's versions of minitorch.training.loaders(args): the same images, transforms,
    batch size and batch order."""
    _, _, mean, _ = MINITORCH_DATASETS[args.dataset]
    if args.dataset == "fashion-mnist":
        unpack_debian_fashion_mnist(args.data)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, mean)])
    dataset_cls = DATASETS[args.dataset]
    trainset = dataset_cls(args.data, train=True, download=args.download, transform=transform)
    testset = dataset_cls(args.data, train=False, download=args.download, transform=transform)
    if args.limit:
        trainset = torch.utils.data.Subset(trainset, range(min(args.limit, len(trainset))))
        testset = torch.utils.data.Subset(testset, range(min(args.limit, len(testset))))
    trainloader = torch.utils.data.DataLoader(
        trainset, batch_sampler=MinitorchOrder(len(trainset), args.batch_size, shuffle=True),
        num_workers=args.num_workers)
    testloader = torch.utils.data.DataLoader(testset, batch_size=args.batch_size,
                                             shuffle=False, num_workers=args.num_workers)
    return trainloader, testloader
