"""torchvision.datasets' image datasets, read from the official files in torchvision's layout."""
from .cifar import CIFAR10
from .mnist import MNIST, FashionMNIST
from .vision import VisionDataset

__all__ = ["CIFAR10", "MNIST", "FashionMNIST", "VisionDataset"]
