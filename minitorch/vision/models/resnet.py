"""ResNet-18, -34 and -50 as torchvision builds them, with ImageNet weights from torch's cache.

    model = resnet18(weights=ResNet18_Weights.DEFAULT)   # the seed's tutorial 2

The same modules under the same names as torchvision's (so `print(model)`, `state_dict()`
keys and shapes match, and torchvision's weight files load as they are), the same default
initialization, the same forward. A residual block adds its input to what its convolutions
made of it (`out += identity`), so gradients reach early layers through the identity
paths; a 1x1 convolution (`downsample`) reshapes the input where the block changes the
number of channels or the resolution.

`weights=` takes an enum member, its name ("DEFAULT", "IMAGENET1K_V1") or None; the file
is read from `$TORCH_HOME/hub/checkpoints/` (see minitorch/hub.py), downloaded when absent.
"""
from functools import partial

from ... import errors, flatten
from ... import nn
from ._api import Weights, WeightsEnum, _overwrite_named_param, handle_legacy_interface
from ._meta import _IMAGENET_CATEGORIES
from ._presets import ImageClassification

__all__ = ["ResNet", "ResNet18_Weights", "ResNet34_Weights", "ResNet50_Weights",
           "resnet18", "resnet34", "resnet50"]


def conv3x3(in_planes, out_planes, stride=1, groups=1, dilation=1):
    """3x3 convolution with padding (no bias: a BatchNorm follows)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation,
                     groups=groups, bias=False, dilation=dilation)


def conv1x1(in_planes, out_planes, stride=1):
    """1x1 convolution (no bias)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions, each followed by BatchNorm, ReLU between, the input added
    before the last ReLU (ResNet-18 and -34)."""

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        if groups != 1 or base_width != 64:
            raise errors.basic_block_groups()
        if dilation > 1:
            raise errors.basic_block_dilation()
        # both conv1 and downsample shrink the input when stride != 1
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)
        return out


class Bottleneck(nn.Module):
    """1x1 convolution down to `width` channels, 3x3 at that width, 1x1 back up to
    4 * planes, each with BatchNorm (ResNet-50). As torchvision's "ResNet V1.5", the stride
    sits on the 3x3 convolution, not on the first 1x1 as in the paper."""

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        # both conv2 and downsample shrink the input when stride != 1
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)
        return out


class ResNet(nn.Module):
    """A 7x7 stride-2 convolution and a max pool, four stages of residual blocks (`layers`
    blocks each; 64, 128, 256, 512 planes; every stage after the first halves the
    resolution), global average pooling and one linear layer to num_classes scores.

    Convolutions start as kaiming_normal_(mode="fan_out", nonlinearity="relu"), BatchNorms
    as weight 1, bias 0; zero_init_residual=True zeroes the last BatchNorm weight of each
    block, so every block starts as the identity."""

    def __init__(self, block, layers, num_classes=1000, zero_init_residual=False, groups=1,
                 width_per_group=64, replace_stride_with_dilation=None, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self._norm_layer = norm_layer

        self.inplanes = 64
        self.dilation = 1
        if replace_stride_with_dilation is None:
            # one flag per stage after the first: a dilated convolution instead of stride 2
            replace_stride_with_dilation = [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise errors.resnet_stride_with_dilation_length(replace_stride_with_dilation)
        self.groups = groups
        self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2,
                                       dilate=replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2,
                                       dilate=replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2,
                                       dilate=replace_stride_with_dilation[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):   # (torchvision names GroupNorm too: none here)
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

        # "Accurate, Large Minibatch SGD" (https://arxiv.org/abs/1706.02677): a block that
        # starts as the identity trains 0.2-0.3 % better
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck) and m.bn3.weight is not None:
                    nn.init.constant_(m.bn3.weight, 0)
                elif isinstance(m, BasicBlock) and m.bn2.weight is not None:
                    nn.init.constant_(m.bn2.weight, 0)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        """One stage: `blocks` blocks, the first one changing channels / resolution (with a
        1x1 convolution + BatchNorm on its identity path when they change)."""
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                norm_layer(planes * block.expansion),
            )

        layers = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width,
                        previous_dilation, norm_layer)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes, groups=self.groups,
                                base_width=self.base_width, dilation=self.dilation,
                                norm_layer=norm_layer))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)

        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)

        x = self.avgpool(x)
        x = flatten(x, 1)
        x = self.fc(x)
        return x


def _resnet(block, layers, weights, progress, **kwargs):
    """The model, with weights' state_dict loaded into it when weights is not None (then
    num_classes must be, or becomes, the number of the weights' categories)."""
    if weights is not None:
        _overwrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))

    model = ResNet(block, layers, **kwargs)

    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


_MODELS_URL = "https://download.pytorch.org/models"
_RECIPE = "https://github.com/pytorch/vision/tree/main/references/classification#resnet"
_COMMON_META = {
    "min_size": (1, 1),
    "categories": _IMAGENET_CATEGORIES,
}


def _paper_recipe_weights(url, num_params, acc1, acc5, ops, file_size):
    """The IMAGENET1K_V1 weights of torchvision's ResNets: trained as in the paper, used
    with 256 -> 224 preprocessing; accuracy on ImageNet-1K's validation set in %, ops in
    GFLOPS, file size in MB (torchvision's meta data)."""
    return Weights(
        url=url,
        transforms=partial(ImageClassification, crop_size=224),
        meta={
            **_COMMON_META,
            "num_params": num_params,
            "recipe": _RECIPE,
            "_metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}},
            "_ops": ops,
            "_file_size": file_size,
            "_docs": "These weights reproduce closely the results of the paper using a simple "
                     "training recipe.",
        },
    )


class ResNet18_Weights(WeightsEnum):
    IMAGENET1K_V1 = _paper_recipe_weights(f"{_MODELS_URL}/resnet18-f37072fd.pth",
                                          11689512, 69.758, 89.078, 1.814, 44.661)
    DEFAULT = IMAGENET1K_V1


class ResNet34_Weights(WeightsEnum):
    IMAGENET1K_V1 = _paper_recipe_weights(f"{_MODELS_URL}/resnet34-b627a593.pth",
                                          21797672, 73.314, 91.420, 3.664, 83.275)
    DEFAULT = IMAGENET1K_V1


class ResNet50_Weights(WeightsEnum):
    IMAGENET1K_V1 = _paper_recipe_weights(f"{_MODELS_URL}/resnet50-0676ba61.pth",
                                          25557032, 76.130, 92.862, 4.089, 97.781)
    IMAGENET1K_V2 = Weights(
        url=f"{_MODELS_URL}/resnet50-11ad3fa6.pth",
        transforms=partial(ImageClassification, crop_size=224, resize_size=232),
        meta={
            **_COMMON_META,
            "num_params": 25557032,
            "recipe": "https://github.com/pytorch/vision/issues/3995#issuecomment-1013906621",
            "_metrics": {"ImageNet-1K": {"acc@1": 80.858, "acc@5": 95.434}},
            "_ops": 4.089,
            "_file_size": 97.79,
            "_docs": """
                These weights improve upon the results of the original paper by using TorchVision's `new training recipe
                <https://pytorch.org/blog/how-to-train-state-of-the-art-models-using-torchvision-latest-primitives/>`_.
            """,
        },
    )
    DEFAULT = IMAGENET1K_V2


@handle_legacy_interface(weights=("pretrained", ResNet18_Weights.IMAGENET1K_V1))
def resnet18(*, weights=None, progress=True, **kwargs):
    """ResNet-18 (https://arxiv.org/abs/1512.03385): BasicBlocks [2, 2, 2, 2].

    weights: a ResNet18_Weights member, its name, or None (random init); progress: a
    download progress bar on stderr; kwargs go to ResNet (num_classes, zero_init_residual,
    norm_layer...)."""
    weights = ResNet18_Weights.verify(weights)
    return _resnet(BasicBlock, [2, 2, 2, 2], weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", ResNet34_Weights.IMAGENET1K_V1))
def resnet34(*, weights=None, progress=True, **kwargs):
    """ResNet-34: BasicBlocks [3, 4, 6, 3]; arguments as resnet18's."""
    weights = ResNet34_Weights.verify(weights)
    return _resnet(BasicBlock, [3, 4, 6, 3], weights, progress, **kwargs)


@handle_legacy_interface(weights=("pretrained", ResNet50_Weights.IMAGENET1K_V1))
def resnet50(*, weights=None, progress=True, **kwargs):
    """ResNet-50: Bottlenecks [3, 4, 6, 3]; arguments as resnet18's. pretrained=True
    gives IMAGENET1K_V1, as torchvision (DEFAULT is IMAGENET1K_V2)."""
    weights = ResNet50_Weights.verify(weights)
    return _resnet(Bottleneck, [3, 4, 6, 3], weights, progress, **kwargs)
