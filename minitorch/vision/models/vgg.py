"""VGG-11, -13, -16 and -19, with and without BatchNorm, as torchvision builds them.

    model = vgg16(weights="IMAGENET1K_V1")      # the "Save and Load the Model" tutorial

A VGG net is a plain stack: 3x3 convolutions (padding 1: the resolution stays) each
followed by ReLU (and, in the `_bn` variants, BatchNorm before the ReLU), a 2x2 max pool
after each group halving the resolution, then three fully connected layers with Dropout.
The four depths differ only in how many convolutions each group has (the `cfgs` table:
the paper's configurations A, B, D and E).

The same modules under the same names as torchvision's (`features`, `avgpool`,
`classifier`), so `print(model)`, `state_dict()` keys and shapes match and torchvision's
weight files load as they are; the same default initialization, the same forward.
`weights=` takes an enum member, its name or None; the file is read from
`$TORCH_HOME/hub/checkpoints/` (see minitorch/hub.py), downloaded when absent.
"""
from functools import partial

from ... import flatten
from ... import nn
from ._api import Weights, WeightsEnum, _overwrite_named_param, handle_legacy_interface
from ._meta import _IMAGENET_CATEGORIES
from ._presets import ImageClassification

__all__ = ["VGG", "VGG11_Weights", "VGG11_BN_Weights", "VGG13_Weights", "VGG13_BN_Weights",
           "VGG16_Weights", "VGG16_BN_Weights", "VGG19_Weights", "VGG19_BN_Weights",
           "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]


class VGG(nn.Module):
    """`features` (the convolution stack), an adaptive average pool to 7x7 (so any input of
    at least 32x32 gives the classifier 512 * 7 * 7 numbers), and the classifier: two
    4096-wide Linear + ReLU + Dropout(dropout) layers, then Linear to num_classes.

    init_weights: convolutions kaiming_normal_(mode="fan_out", nonlinearity="relu") with
    zero bias, BatchNorms weight 1 and bias 0, Linears normal(0, 0.01) with zero bias (the
    builders skip it when they load weights)."""

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = flatten(x, 1)
        x = self.classifier(x)
        return x


def make_layers(cfg, batch_norm=False):
    """The convolution stack of one configuration: a number is a 3x3 convolution to that
    many channels (+ BatchNorm) + ReLU, "M" a 2x2 max pool; the input has 3 channels."""
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            if batch_norm:
                layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            else:
                layers += [conv2d, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


# the paper's configurations: A is VGG-11, B VGG-13, D VGG-16, E VGG-19
cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"],
}


def _vgg(cfg, batch_norm, weights, progress, **kwargs):
    """The model; with weights, no random init (the file overwrites it) and num_classes
    must be, or becomes, the number of the weights' categories (when they have any:
    IMAGENET1K_FEATURES has none)."""
    if weights is not None:
        kwargs["init_weights"] = False
        if weights.meta["categories"] is not None:
            _overwrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))
    model = VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kwargs)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


_COMMON_META = {
    "min_size": (32, 32),
    "categories": _IMAGENET_CATEGORIES,
    "recipe": "https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg",
    "_docs": """These weights were trained from scratch by using a simplified training recipe.""",
}


def _imagenet_weights(file, num_params, acc1, acc5, ops, file_size):
    """The IMAGENET1K_V1 weights of torchvision's VGGs: used with 256 -> 224 preprocessing;
    accuracy on ImageNet-1K's validation set in %, ops in GFLOPS, file size in MB
    (torchvision's meta data)."""
    return Weights(
        url=f"https://download.pytorch.org/models/{file}",
        transforms=partial(ImageClassification, crop_size=224),
        meta={
            **_COMMON_META,
            "num_params": num_params,
            "_metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}},
            "_ops": ops,
            "_file_size": file_size,
        },
    )


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg11-8a719046.pth", 132863336, 69.020, 88.628,
                                      7.609, 506.84)
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg11_bn-6002323d.pth", 132868840, 70.370, 89.810,
                                      7.609, 506.881)
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg13-19584684.pth", 133047848, 69.928, 89.246,
                                      11.308, 507.545)
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg13_bn-abd245e5.pth", 133053736, 71.586, 90.374,
                                      11.308, 507.59)
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg16-397923af.pth", 138357544, 71.592, 90.382,
                                      15.47, 527.796)
    # the `features` part of SSD's backbone (https://github.com/amdegroot/ssd.pytorch/),
    # trained on images standardized as in the paper (0-255 values, mean subtracted); the
    # classifier's values in the file are not trained: no categories
    IMAGENET1K_FEATURES = Weights(
        url="https://download.pytorch.org/models/vgg16_features-amdegroot-88682ab5.pth",
        transforms=partial(
            ImageClassification,
            crop_size=224,
            mean=(0.48235, 0.45882, 0.40784),
            std=(1.0 / 255.0, 1.0 / 255.0, 1.0 / 255.0),
        ),
        meta={
            **_COMMON_META,
            "num_params": 138357544,
            "categories": None,
            "recipe": "https://github.com/amdegroot/ssd.pytorch#training-ssd",
            "_metrics": {"ImageNet-1K": {"acc@1": float("nan"), "acc@5": float("nan")}},
            "_ops": 15.47,
            "_file_size": 527.802,
            "_docs": """
                These weights can't be used for classification because they are missing values in the `classifier`
                module. Only the `features` module has valid values and can be used for feature extraction. The weights
                were trained using the original input standardization method as described in the paper.
            """,
        },
    )
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg16_bn-6c64b313.pth", 138365992, 73.360, 91.516,
                                      15.47, 527.866)
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg19-dcbb9e9d.pth", 143667240, 72.376, 90.876,
                                      19.632, 548.051)
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg19_bn-c79401a0.pth", 143678248, 74.218, 91.842,
                                      19.632, 548.143)
    DEFAULT = IMAGENET1K_V1


# Each builder: weights is a member of its enum, its name, or None (random init);
# progress: a download progress bar on stderr; kwargs go to VGG (num_classes,
# init_weights, dropout).

@handle_legacy_interface(weights=("pretrained", VGG11_Weights.IMAGENET1K_V1))
def vgg11(*, weights=None, progress=True, **kwargs):
    """VGG-11 (configuration A of https://arxiv.org/abs/1409.1556): 8 convolutions."""
    weights = VGG11_Weights.verify(weights)
    return _vgg("A", False, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG11_BN_Weights.IMAGENET1K_V1))
def vgg11_bn(*, weights=None, progress=True, **kwargs):
    """VGG-11 with BatchNorm after each convolution."""
    weights = VGG11_BN_Weights.verify(weights)
    return _vgg("A", True, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG13_Weights.IMAGENET1K_V1))
def vgg13(*, weights=None, progress=True, **kwargs):
    """VGG-13 (configuration B): 10 convolutions."""
    weights = VGG13_Weights.verify(weights)
    return _vgg("B", False, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG13_BN_Weights.IMAGENET1K_V1))
def vgg13_bn(*, weights=None, progress=True, **kwargs):
    """VGG-13 with BatchNorm after each convolution."""
    weights = VGG13_BN_Weights.verify(weights)
    return _vgg("B", True, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG16_Weights.IMAGENET1K_V1))
def vgg16(*, weights=None, progress=True, **kwargs):
    """VGG-16 (configuration D): 13 convolutions."""
    weights = VGG16_Weights.verify(weights)
    return _vgg("D", False, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG16_BN_Weights.IMAGENET1K_V1))
def vgg16_bn(*, weights=None, progress=True, **kwargs):
    """VGG-16 with BatchNorm after each convolution."""
    weights = VGG16_BN_Weights.verify(weights)
    return _vgg("D", True, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG19_Weights.IMAGENET1K_V1))
def vgg19(*, weights=None, progress=True, **kwargs):
    """VGG-19 (configuration E): 16 convolutions."""
    weights = VGG19_Weights.verify(weights)
    return _vgg("E", False, weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", VGG19_BN_Weights.IMAGENET1K_V1))
def vgg19_bn(*, weights=None, progress=True, **kwargs):
    """VGG-19 with BatchNorm after each convolution."""
    weights = VGG19_BN_Weights.verify(weights)
    return _vgg("E", True, weights, progress, **kwargs)
