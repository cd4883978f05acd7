"""The preprocessing that goes with a set of pretrained weights (`weights.transforms()`).

    preprocess = ResNet18_Weights.DEFAULT.transforms()
    batch = preprocess(img).unsqueeze(0)     # a PIL image or a uint8 / float tensor

ImageClassification is torchvision's preset of the same name: the shorter side resized to
256 (bilinear, antialiased), the middle 224x224 cut out, values scaled to [0, 1] and
normalized with ImageNet's mean and std. It is built from minitorch.vision.transforms'
functions and prints as torchvision's.
"""
from ...dtypes import float32, int8, int16, int32, int64, uint8
from ...nn import Module
from ...tensor import Tensor
from ..transforms import InterpolationMode, center_crop, normalize, resize, to_tensor

# the value that stands for full intensity in an integer image (torchvision's _max_value)
_MAX_VALUE = {uint8: 255, int8: 127, int16: 2**15 - 1, int32: 2**31 - 1, int64: 2**63 - 1}


def _as_float_image(img):
    """A float32 image in [0, 1]: integer images are divided by their dtype's largest
    value, float images are cast (torchvision's convert_image_dtype(img, torch.float))."""
    if img.dtype == float32:
        return img
    if img.is_floating_point():
        return img.to(float32)
    return img.to(float32) / float(_MAX_VALUE[img.dtype])


class ImageClassification(Module):
    """resize(resize_size) -> center_crop(crop_size) -> floats in [0, 1] -> normalize, for a
    PIL image or a tensor (..., C, H, W)."""

    def __init__(self, *, crop_size, resize_size=256, mean=(0.485, 0.456, 0.406),
                 std=(0.229, 0.224, 0.225), interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
        super().__init__()
        self.crop_size = [crop_size]
        self.resize_size = [resize_size]
        self.mean = list(mean)
        self.std = list(std)
        self.interpolation = interpolation
        self.antialias = antialias

    def forward(self, img):
        img = resize(img, self.resize_size, interpolation=self.interpolation,
                     antialias=self.antialias)
        img = center_crop(img, self.crop_size)
        if not isinstance(img, Tensor):
            img = to_tensor(img)   # 8-bit PIL modes come already scaled to [0, 1]
        img = _as_float_image(img)
        return normalize(img, mean=self.mean, std=self.std)

    def __repr__(self):
        return (f"{self.__class__.__name__}(\n    crop_size={self.crop_size}\n"
                f"    resize_size={self.resize_size}\n    mean={self.mean}\n"
                f"    std={self.std}\n    interpolation={self.interpolation}\n)")

    def describe(self):
        return ("Accepts ``PIL.Image``, batched ``(B, C, H, W)`` and single ``(C, H, W)`` image "
                "``torch.Tensor`` objects. The images are resized to "
                f"``resize_size={self.resize_size}`` using ``interpolation={self.interpolation}``, "
                f"followed by a central crop of ``crop_size={self.crop_size}``. Finally the "
                "values are first rescaled to ``[0.0, 1.0]`` and then normalized using "
                f"``mean={self.mean}`` and ``std={self.std}``.")
