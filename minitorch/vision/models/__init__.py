"""torchvision.models' part for minitorch: the seed's nets, ResNet and VGG with their weights.

    from minitorch.vision.models import resnet18, ResNet18_Weights
    model = resnet18(weights=ResNet18_Weights.DEFAULT)

    lenet.py      LeNet, CifarNet, FashionMNISTNet: the seed's tutorials' nets
    resnet.py     ResNet, BasicBlock, Bottleneck, resnet18/34/50, ResNet18/34/50_Weights
    vgg.py        VGG, vgg11/13/16/19 and their _bn variants, VGG11_Weights ... VGG19_BN_Weights
    _api.py       Weights, WeightsEnum, torchvision's pre-0.13 `pretrained=` handling
    _presets.py   ImageClassification: the transform that goes with ImageNet weights
    _meta.py      the 1000 ImageNet category names
"""
from ._api import Weights, WeightsEnum
from .lenet import CifarNet, FashionMNISTNet, LeNet
from .resnet import (BasicBlock, Bottleneck, ResNet, ResNet18_Weights, ResNet34_Weights,
                     ResNet50_Weights, resnet18, resnet34, resnet50)
from .vgg import (VGG, VGG11_BN_Weights, VGG11_Weights, VGG13_BN_Weights, VGG13_Weights,
                  VGG16_BN_Weights, VGG16_Weights, VGG19_BN_Weights, VGG19_Weights, vgg11,
                  vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn)
