"""torchvision.models' part for minitorch: the seed's nets and ResNet with its weights.

    from minitorch.vision.models import resnet18, ResNet18_Weights
    model = resnet18(weights=ResNet18_Weights.DEFAULT)

    lenet.py      LeNet, CifarNet, FashionMNISTNet: the seed's tutorials' nets
    resnet.py     ResNet, BasicBlock, Bottleneck, resnet18/34/50, ResNet18/34/50_Weights
    _api.py       Weights, WeightsEnum, torchvision's pre-0.13 `pretrained=` handling
    _presets.py   ImageClassification: the transform that goes with ImageNet weights
    _meta.py      the 1000 ImageNet category names
"""
from ._api import Weights, WeightsEnum
from .lenet import CifarNet, FashionMNISTNet, LeNet
from .resnet import (BasicBlock, Bottleneck, ResNet, ResNet18_Weights, ResNet34_Weights,
                     ResNet50_Weights, resnet18, resnet34, resnet50)
