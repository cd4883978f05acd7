"""torchvision.transforms' basics: turn PIL images / arrays into tensors and prepare them.

    transform = transforms.Compose([transforms.Resize(32), transforms.CenterCrop(32),
                                    transforms.ToTensor(),
                                    transforms.Normalize((0.5,), (0.5,))])

Each transform is a callable object whose printed form is torchvision's; the work is done
by the function of the same name in lower case (to_tensor, normalize, pad, resize, crop,
center_crop), which can also be called directly, as torchvision.transforms.functional's.
"""
import numbers
import warnings
from collections.abc import Sequence
from enum import Enum

import numpy as np
from PIL import Image, ImageOps

from ..creation import as_tensor, from_numpy, full
from ..dtypes import float32, float64, get_default_dtype, to_np, uint8
from ..nn import Module
from ..tensor import Tensor
from .interpolation import resample

PADDING_MODES = ["constant", "edge", "reflect", "symmetric"]


# ---- functions ----------------------------------------------------------------------------

def to_tensor(pic):
    """A PIL image or numpy H x W (x C) array as a C x H x W tensor. 8-bit images (PIL
    modes L, RGB, P, ...; uint8 arrays) become floats in [0, 1] (divided by 255); PIL modes
    I, I;16 and F and arrays of other dtypes keep their values and dtype."""
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = pic[:, :, None] if pic.ndim == 2 else pic
    elif isinstance(pic, Image.Image):
        # torchvision's choice of numpy dtype per mode; "1" (bilevel) reads as 0/1 bytes
        dtype = {"I": np.int32, "I;16": np.int16, "F": np.float32}.get(pic.mode, np.uint8)
        array = np.array(pic, dtype)
        if pic.mode == "1":
            array = 255 * array
        array = array.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    chw = np.ascontiguousarray(array.transpose((2, 0, 1)))
    if chw.dtype != np.uint8:
        return from_numpy(chw)
    scaled = chw.astype(to_np(get_default_dtype()))
    scaled /= 255
    return from_numpy(scaled)


def normalize(tensor, mean, std, inplace=False):
    """(tensor - mean) / std per channel, for a float tensor of shape (..., C, H, W). It
    is made of tensor ops, so gradients flow through it. inplace=True writes into tensor."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if tensor.ndim < 2:
        raise TypeError("Tensor is not a torch image.")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). "
                         f"Got tensor.size() = {tensor.size()}")
    if not inplace:
        tensor = tensor.clone()
    mean = as_tensor(mean, dtype=tensor.dtype)
    std = as_tensor(std, dtype=tensor.dtype)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, "
                         "leading to division by zero.")
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std)


def _check_pad_args(padding, fill, padding_mode):
    """torchvision's checks of pad's arguments, shared by the Pad transform and pad()."""
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if fill is not None and not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, Sequence) and len(padding) not in [1, 2, 4]:
        raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, "
                         f"not a {len(padding)} element tuple")
    if padding_mode not in PADDING_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")


def _left_top_right_bottom(padding):
    """padding as int, (all,), (left/right, top/bottom) or (left, top, right, bottom)."""
    if isinstance(padding, numbers.Number):
        return [padding] * 4
    if len(padding) == 1:
        return list(padding) * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    return list(padding)


def _source_indices(size, before, after, mode):
    """For each position along one axis of the padded image, the index of the input
    pixel it copies: numpy's pad of [0, 1, ..., size-1] in `mode` (numpy names the modes
    as torchvision does) spells this out. A negative amount removes pixels from that side:
    before padding in symmetric mode (as torchvision), after it in the others (as torch)."""
    if mode == "reflect" and max(before, after) >= size:
        raise RuntimeError("Padding size should be less than the corresponding input dimension, "
                           f"but got: padding ({before}, {after}) of a dimension of size {size}")
    cut_before, cut_after = max(-before, 0), max(-after, 0)
    before, after = max(before, 0), max(after, 0)
    if mode == "symmetric":
        kept = size - cut_before - cut_after
        if max(before, after) > kept:
            raise IndexError(f"index {kept} is out of bounds for dimension 0 with size {kept}")
        return cut_before + np.pad(np.arange(kept), (before, after), mode=mode)
    indices = np.pad(np.arange(size), (before, after), mode=mode)
    return indices[cut_before:len(indices) - cut_after]


def _pad_tensor(img, padding, fill, padding_mode):
    """Pad the last two dimensions of a tensor (..., H, W). Negative padding crops."""
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")
    if not isinstance(fill, (int, float)) and fill is not None:
        raise TypeError("Got inappropriate fill arg")
    left, top, right, bottom = _left_top_right_bottom(padding)
    height, width = img.shape[-2:]
    if padding_mode == "constant":
        if height + min(top, 0) + min(bottom, 0) < 0 or width + min(left, 0) + min(right, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")  # torch's crop step
        img = img[..., max(-top, 0):height - max(-bottom, 0), max(-left, 0):width - max(-right, 0)]
        left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
        height, width = img.shape[-2:]
        padded = full((*img.shape[:-2], top + height + bottom, left + width + right),
                      0 if fill is None else fill, dtype=img.dtype)
        padded[..., top:top + height, left:left + width] = img
        return padded
    # the other modes copy input pixels: gather them with one index per output row/column
    if padding_mode == "symmetric" and img.ndim not in (3, 4):
        raise RuntimeError("Symmetric padding of N-D tensors are not supported yet")
    if img.ndim > 4:
        raise NotImplementedError(f"Padding size 4 is not supported for {img.ndim}D input tensor.")
    rows = _source_indices(height, top, bottom, padding_mode)
    cols = _source_indices(width, left, right, padding_mode)
    if padding_mode == "edge" and (len(rows) < 1 or len(cols) < 1):
        raise RuntimeError(f"Calculated output H: {len(rows)} W: {len(cols)} must be >= 1 in every "
                           f"dimension (input H: {height}, W: {width})")
    return img[..., rows[:, None], cols[None, :]]


def _pad_pil(img, padding, fill, padding_mode):
    """Pad a PIL image: Pillow's ImageOps.expand for a constant border, numpy's pad for
    the other modes (as torchvision does). Negative padding crops."""
    left, top, right, bottom = _left_top_right_bottom(padding)
    if padding_mode == "constant":
        bands = len(img.getbands())
        fill = 0 if fill is None else fill
        if isinstance(fill, (int, float)) and bands > 1:
            fill = (fill,) * bands
        if isinstance(fill, (list, tuple)):
            if len(fill) == 1:
                fill = tuple(fill) * bands
            elif len(fill) != bands:
                raise ValueError("The number of elements in 'fill' does not match the number of "
                                 f"channels of the image ({len(fill)} != {bands})")
        if img.mode != "F":
            fill = tuple(int(x) for x in fill) if isinstance(fill, (list, tuple)) else int(fill)
        border = padding if isinstance(padding, int) else (left, top, right, bottom)
        padded = ImageOps.expand(img, border=border, fill=fill)
        if img.mode == "P":
            padded.putpalette(img.getpalette())
        return padded
    img = img.crop((max(-left, 0), max(-top, 0), img.width - max(-right, 0), img.height - max(-bottom, 0)))
    left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
    array = np.asarray(img)
    widths = ((top, bottom), (left, right)) + ((0, 0),) * (array.ndim - 2)
    padded = Image.fromarray(np.pad(array, widths, mode=padding_mode))
    if img.mode == "P":
        padded.putpalette(img.getpalette())
    return padded


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad a PIL image or a tensor (..., H, W) on its four borders; see `Pad`."""
    _check_pad_args(padding, fill, padding_mode)
    if isinstance(img, Tensor):
        return _pad_tensor(img, padding, fill, padding_mode)
    if not isinstance(img, Image.Image):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")
    return _pad_pil(img, padding, fill, padding_mode)


class InterpolationMode(Enum):
    """How resize computes new pixels. Tensors support NEAREST, NEAREST_EXACT, BILINEAR
    and BICUBIC; PIL images every mode (Pillow does the work)."""
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


# Pillow's integer constants (Image.BILINEAR, ...) name modes too
_MODES_FROM_PIL = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR,
                   3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX,
                   5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}
_PIL_RESAMPLING = {InterpolationMode.NEAREST: Image.Resampling.NEAREST,
                   InterpolationMode.NEAREST_EXACT: Image.Resampling.NEAREST,
                   InterpolationMode.BILINEAR: Image.Resampling.BILINEAR,
                   InterpolationMode.BICUBIC: Image.Resampling.BICUBIC,
                   InterpolationMode.BOX: Image.Resampling.BOX,
                   InterpolationMode.HAMMING: Image.Resampling.HAMMING,
                   InterpolationMode.LANCZOS: Image.Resampling.LANCZOS}


def _interpolation_mode(interpolation):
    """An InterpolationMode, or Pillow's integer constant for one (an unknown integer is a
    KeyError, as in torchvision)."""
    if isinstance(interpolation, int):
        return _MODES_FROM_PIL[interpolation]
    return interpolation


def get_dimensions(img):
    """[channels, height, width] of a PIL image or a tensor (..., H, W)."""
    if isinstance(img, Tensor):
        if img.ndim < 2:
            raise TypeError("Tensor is not a torch image.")
        return [1 if img.ndim == 2 else img.shape[-3], *img.shape[-2:]]
    if isinstance(img, Image.Image):
        return [len(img.getbands()), img.height, img.width]
    raise TypeError(f"Unexpected type {type(img)}")


def _resized_output_size(height, width, size, max_size):
    """[height, width] after resize: size = [h, w] as given, or [s]: the shorter side
    becomes s and the longer one int(s * long / short), then both shrink (aspect kept,
    rounded down) if the longer one exceeds max_size."""
    if len(size) == 2:
        return list(size)
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                             f"size for the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return [new_long, new_short] if width <= height else [new_short, new_long]


def _resize_tensor(img, size, mode, antialias):
    """Resize a tensor (..., H, W) as torchvision does: as a batch (N, C, H, W), in float
    (other dtypes go through float32 and are rounded back); antialias only matters for
    bilinear and bicubic."""
    antialias = bool(antialias) and mode in ("bilinear", "bicubic")
    batch = img.unsqueeze(0) if img.ndim < 4 else img
    if img.dtype in (float32, float64):
        return _squeezed(resample(batch, size, mode, antialias), img)
    resized = resample(batch.to(float32), size, mode, antialias)
    if img.dtype.is_floating_point:
        return _squeezed(resized.to(img.dtype), img)
    values = np.round(resized.detach().numpy())     # round before the cast to integers
    if mode == "bicubic" and img.dtype == uint8:   # cubic weights overshoot
        values = np.clip(values, 0, 255)
    return _squeezed(from_numpy(values.astype(img.dtype.np)), img)


def _squeezed(batch, img):
    """The batch back in the shape img came in: without the batch dim added for it."""
    return batch.squeeze(0) if img.ndim < 4 else batch


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize a PIL image or a tensor (..., H, W); see `Resize`. An image already of the
    requested size comes back as it is (the same object)."""
    interpolation = _interpolation_mode(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding "
                        "Pillow integer constant")
    if isinstance(size, (list, tuple)):
        if len(size) not in [1, 2]:
            raise ValueError("Size must be an int or a 1 or 2 element tuple/list, "
                             f"not a {len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of the "
                             "smaller edge, i.e. size should be an int or a sequence of length 1 "
                             "in torchscript mode.")
    _, height, width = get_dimensions(img)
    output_size = _resized_output_size(height, width, [size] if isinstance(size, int) else size,
                                       max_size)
    if [height, width] == output_size:
        return img
    if isinstance(img, Tensor):
        return _resize_tensor(img, output_size, interpolation.value, antialias)
    if antialias is False:
        warnings.warn("Anti-alias option is always applied for PIL Image input. "
                      "Argument antialias is ignored.")
    return img.resize(tuple(output_size[::-1]), _PIL_RESAMPLING[interpolation])


def crop(img, top, left, height, width):
    """The height x width window of img whose top-left corner is (top, left); parts of
    the window outside the image are filled with 0."""
    if isinstance(img, Image.Image):
        return img.crop((left, top, left + width, top + height))
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")
    _, image_height, image_width = get_dimensions(img)
    right, bottom = left + width, top + height
    window = img[..., max(top, 0):bottom, max(left, 0):right]
    if left < 0 or top < 0 or right > image_width or bottom > image_height:
        padding = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                   max(right - max(image_width, left), 0), max(bottom - max(image_height, top), 0)]
        return pad(window, padding, fill=0)
    return window


def center_crop(img, output_size):
    """The output_size (int, or (height, width)) window in the middle of img; an image
    smaller than that is first padded with 0 (one pixel more right and bottom when odd)."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size
    if crop_width > image_width or crop_height > image_height:
        img = pad(img, [max(crop_width - image_width, 0) // 2, max(crop_height - image_height, 0) // 2,
                        max(crop_width - image_width + 1, 0) // 2,
                        max(crop_height - image_height + 1, 0) // 2], fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    top = int(round((image_height - crop_height) / 2.0))
    left = int(round((image_width - crop_width) / 2.0))
    return crop(img, top, left, crop_height, crop_width)


# ---- transforms ---------------------------------------------------------------------------

class Compose:
    """Apply transforms one after the other: Compose([t1, t2])(x) is t2(t1(x))."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


class ToTensor:
    """PIL image or H x W x C numpy array -> C x H x W float tensor in [0, 1]; see to_tensor."""

    def __call__(self, pic):
        return to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Normalize(Module):
    """output[channel] = (input[channel] - mean[channel]) / std[channel]; see normalize.
    A Module, as in torchvision, so it can sit in an nn.Sequential."""

    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor):
        return normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self):
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class Pad(Module):
    """Pad an image on all sides. padding: int (all borders), (left/right, top/bottom) or
    (left, top, right, bottom). padding_mode: "constant" (with fill), "edge" (repeat the
    border pixel), "reflect" (mirror without repeating the border: 3 2 | 1 2 3 4) or
    "symmetric" (mirror repeating it: 2 1 | 1 2 3 4)."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        _check_pad_args(padding, fill, padding_mode)
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        return pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self):
        return (f"{type(self).__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class Resize(Module):
    """Resize an image to `size`: (h, w) exactly, or an int: the shorter side becomes
    size and the longer keeps the aspect ratio (rounded down), at most max_size.

    PIL images are resized by Pillow (always antialiased for bilinear and bicubic).
    Tensors (..., H, W) are resized by `interpolation.resample` in nearest, nearest-exact,
    bilinear or bicubic mode, antialiased when shrinking with antialias=True (bilinear,
    bicubic); integer tensors are resized in float32 and rounded back. Float tensors keep
    their graph: gradients flow back through the resize."""

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
        super().__init__()
        if not isinstance(size, (int, Sequence)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size = size
        self.max_size = max_size
        self.interpolation = _interpolation_mode(interpolation)
        self.antialias = antialias

    def forward(self, img):
        return resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self):
        return (f"{type(self).__name__}(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop(Module):
    """Cut the middle size x size (or (h, w)) window out of an image; see center_crop."""

    def __init__(self, size):
        super().__init__()
        if isinstance(size, numbers.Number):
            size = (int(size), int(size))
        elif isinstance(size, Sequence) and len(size) == 1:
            size = (size[0], size[0])
        elif len(size) != 2:
            raise ValueError("Please provide only two dimensions (h, w) for size.")
        self.size = size

    def forward(self, img):
        return center_crop(img, self.size)

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size})"


class Lambda:
    """Use a function of your own as a transform."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{type(self).__name__}()"
