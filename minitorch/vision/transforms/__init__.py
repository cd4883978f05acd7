"""torchvision.transforms for minitorch: turn PIL images and arrays into tensors, and
prepare or augment them.

    transform = transforms.Compose([transforms.RandomResizedCrop(32),
                                    transforms.RandomHorizontalFlip(),
                                    transforms.ToTensor(),
                                    transforms.Normalize((0.5,), (0.5,))])

The classes live in `transforms.py`, the work they do in `functional.py` (importable as
`minitorch.vision.transforms.functional`, torchvision's F). The functions are also
reachable from here, as they always were in minitorch.
"""
from . import functional
from .functional import (InterpolationMode, adjust_brightness, adjust_contrast, adjust_hue,
                         adjust_saturation, center_crop, convert_image_dtype, crop,
                         get_dimensions, get_image_num_channels, hflip, normalize, pad,
                         pil_to_tensor, resize, resized_crop, rgb_to_grayscale, rotate,
                         to_grayscale, to_pil_image, to_tensor, vflip)
from .transforms import (CenterCrop, ColorJitter, Compose, ConvertImageDtype, Grayscale, Lambda,
                         Normalize, Pad, PILToTensor, RandomCrop, RandomHorizontalFlip,
                         RandomResizedCrop, RandomRotation, RandomVerticalFlip, Resize, ToPILImage,
                         ToTensor)

__all__ = ["CenterCrop", "ColorJitter", "Compose", "ConvertImageDtype", "Grayscale",
           "InterpolationMode", "Lambda", "Normalize", "PILToTensor", "Pad", "RandomCrop",
           "RandomHorizontalFlip", "RandomResizedCrop", "RandomRotation", "RandomVerticalFlip",
           "Resize", "ToPILImage", "ToTensor", "adjust_brightness", "adjust_contrast",
           "adjust_hue", "adjust_saturation", "center_crop", "convert_image_dtype", "crop",
           "functional", "get_dimensions", "get_image_num_channels", "hflip", "normalize", "pad",
           "pil_to_tensor", "resize", "resized_crop", "rgb_to_grayscale", "rotate",
           "to_grayscale", "to_pil_image", "to_tensor", "vflip"]
