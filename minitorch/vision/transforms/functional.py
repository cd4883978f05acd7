"""torchvision.transforms.functional for minitorch: the work behind every transform, as
functions to call directly with the parameters of your choice.

    import minitorch.vision.transforms.functional as F
    F.rotate(img, 30.0), F.adjust_brightness(img, 1.5), F.crop(img, 0, 0, 8, 8)

Each function takes a PIL image or a tensor image (..., C, H, W) as torchvision does:
PIL images are handed to Pillow, exactly the calls torchvision makes, so outputs are the
same pixels; tensors are computed with minitorch's tensor ops, in torchvision's order and
float type, so float tensors keep their graph (gradients flow back through a crop, a
flip, a rotation or a colour change) and integer tensors are computed in float32 and
truncated or rounded back as torchvision does.
"""
import numbers
import warnings
from collections.abc import Sequence
from enum import Enum

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from ... import errors
from ...creation import as_tensor, from_numpy, full, ones_like, zeros_like
from ...dtypes import (float32, float64, get_default_dtype, int8, int16, int32, int64, to_np,
                       uint8)
from ...facade.elementwise import where
from ...facade.shape import stack
from ...tensor import Tensor
from ..interpolation import resample
from . import rotation

PADDING_MODES = ["constant", "edge", "reflect", "symmetric"]


class InterpolationMode(Enum):
    """How resize and rotate compute new pixels. Tensors support NEAREST, NEAREST_EXACT,
    BILINEAR and BICUBIC in resize, NEAREST and BILINEAR in rotate; PIL images every mode
    Pillow has for the operation (Pillow does the work)."""
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

# the largest value of an image of each integer dtype; float images run from 0 to 1
_MAX_VALUE = {uint8: 255, int8: 127, int16: 32767, int32: 2147483647, int64: 9223372036854775807}


def interpolation_mode(interpolation):
    """An InterpolationMode, or Pillow's integer constant for one (an unknown integer is a
    KeyError, as in torchvision)."""
    if isinstance(interpolation, int):
        return _MODES_FROM_PIL[interpolation]
    return interpolation


def _checked_interpolation(interpolation):
    """interpolation as an InterpolationMode, or torchvision's TypeError."""
    interpolation = interpolation_mode(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise errors.interpolation_not_a_mode()
    return interpolation


# ---- what an image is ---------------------------------------------------------------------

def _assert_image_tensor(img):
    if img.ndim < 2:
        raise errors.not_a_tensor_image()


def _assert_pil(img):
    if not isinstance(img, Image.Image):
        raise errors.img_not_pil(img)


def get_dimensions(img):
    """[channels, height, width] of a PIL image or a tensor (..., H, W)."""
    if isinstance(img, Tensor):
        _assert_image_tensor(img)
        return [1 if img.ndim == 2 else img.shape[-3], *img.shape[-2:]]
    if isinstance(img, Image.Image):
        return [len(img.getbands()), img.height, img.width]
    raise errors.unexpected_image_type(img)


def get_image_num_channels(img):
    return get_dimensions(img)[0]


def _assert_channels(img, permitted):
    channels = get_dimensions(img)[0]
    if channels not in permitted:
        raise errors.channels_not_permitted(permitted, channels)


def _max_value(dtype):
    return _MAX_VALUE.get(dtype, 1)


def _rounded_to(img, dtype):
    """A float tensor rounded half to even (as torch.round) and cast to an integer dtype:
    how integer images come back from work done in float32. No gradient flows to integers."""
    return from_numpy(np.round(img.detach().numpy()).astype(to_np(dtype)))


# ---- conversions --------------------------------------------------------------------------

def to_tensor(pic):
    """A PIL image or numpy H x W (x C) array as a C x H x W tensor. 8-bit images (PIL
    modes L, RGB, P, ...; uint8 arrays) become floats in [0, 1] (divided by 255); PIL modes
    I, I;16 and F and arrays of other dtypes keep their values and dtype."""
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise errors.pic_wrong_ndim(pic.ndim)
        array = pic[:, :, None] if pic.ndim == 2 else pic
    elif isinstance(pic, Image.Image):
        # torchvision's choice of numpy dtype per mode; "1" (bilevel) reads as 0/1 bytes
        dtype = {"I": np.int32, "I;16": np.int16, "F": np.float32}.get(pic.mode, np.uint8)
        array = np.array(pic, dtype)
        if pic.mode == "1":
            array = 255 * array
        array = array.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    else:
        raise errors.pic_not_pil_or_ndarray(pic)
    chw = np.ascontiguousarray(array.transpose((2, 0, 1)))
    if chw.dtype != np.uint8:
        return from_numpy(chw)
    scaled = chw.astype(to_np(get_default_dtype()))
    scaled /= 255
    return from_numpy(scaled)


def pil_to_tensor(pic):
    """A PIL image as a C x H x W tensor of its own values, unscaled: uint8 for 8-bit
    modes, bool for mode "1", int32 for "I", float32 for "F". The result is a permuted view
    of a copy of the pixels (not contiguous), as torchvision's."""
    if not isinstance(pic, Image.Image):
        raise errors.pic_not_pil(pic)
    img = as_tensor(np.array(pic, copy=True))
    img = img.view(pic.size[1], pic.size[0], len(pic.getbands()))
    return img.permute((2, 0, 1))


def to_pil_image(pic, mode=None):
    """A tensor C x H x W (or H x W) or a numpy array H x W x C (or H x W) as a PIL image.
    Float values are scaled by 255 to bytes unless mode is "F"; without a mode, it is
    chosen from the channels (4: RGBA, 3: RGB, 2: LA) or, for one channel, the dtype
    (uint8: L, int16: I;16, int32: I, float32: F)."""
    if isinstance(pic, Tensor):
        if pic.ndim == 3:
            pic = pic.permute((1, 2, 0))
        pic = pic.detach().numpy()
    elif not isinstance(pic, np.ndarray):
        raise errors.pic_not_tensor_or_ndarray(pic)
    if pic.ndim == 2:
        pic = np.expand_dims(pic, 2)
    if pic.ndim != 3:
        raise errors.pic_wrong_ndim(pic.ndim)
    if pic.shape[-1] > 4:
        raise errors.pic_too_many_channels(pic.shape[-1])
    array = pic
    if np.issubdtype(array.dtype, np.floating) and mode != "F":
        array = (array * 255).astype(np.uint8)
    if array.shape[2] == 1:
        array = array[:, :, 0]
        expected_mode = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16",
                         np.dtype(np.int32): "I", np.dtype(np.float32): "F"}.get(array.dtype)
        if mode is not None and mode != expected_mode:
            raise errors.pic_incorrect_mode(mode, expected_mode)
        mode = expected_mode
    else:
        permitted, default = {2: (["LA"], "LA"), 4: (["RGBA", "CMYK", "RGBX"], "RGBA"),
                              3: (["RGB", "YCbCr", "HSV"], "RGB")}[array.shape[2]]
        if mode is not None and mode not in permitted:
            raise errors.pic_mode_not_permitted(permitted, array.shape[2])
        if mode is None and array.dtype == np.uint8:
            mode = default
    if mode is None:
        raise errors.pic_type_not_supported(array.dtype)
    # Pillow reads the bytes as `mode` says (frombuffer, as torchvision does for Pillow
    # 11.3+, where fromarray no longer takes a mode)
    height, width = array.shape[:2]
    return Image.frombuffer(mode, (width, height), np.ascontiguousarray(array).tobytes(), "raw",
                            mode, 0, 1)


def convert_image_dtype(image, dtype=float32):
    """An image tensor in another dtype, its values rescaled from one range to the other:
    integers run from 0 to their dtype's maximum, floats from 0 to 1. Float to integer
    multiplies by (max + 1 - 0.001) and truncates, so every integer gets an equal share of
    [0, 1]; integer to integer shifts by whole bits (divides or multiplies)."""
    if not isinstance(image, Tensor):
        raise errors.convert_image_not_tensor()
    if image.dtype == dtype:
        return image
    if image.is_floating_point():
        if dtype.is_floating_point:
            return image.to(dtype)
        if (image.dtype == float32 and dtype in (int32, int64)) or (
                image.dtype == float64 and dtype == int64):
            raise errors.convert_image_unsafe_cast(image.dtype, dtype)
        return image.mul(float(_max_value(dtype)) + 1.0 - 1e-3).to(dtype)
    input_max = float(_max_value(image.dtype))
    if dtype.is_floating_point:
        return image.to(dtype) / input_max
    output_max = float(_max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return from_numpy(np.floor_divide(image.numpy(), factor).astype(to_np(dtype)))
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


def normalize(tensor, mean, std, inplace=False):
    """(tensor - mean) / std per channel, for a float tensor of shape (..., C, H, W). It
    is made of tensor ops, so gradients flow through it. inplace=True writes into tensor."""
    if not isinstance(tensor, Tensor):
        raise errors.img_not_tensor_image(tensor)
    _assert_image_tensor(tensor)
    if not tensor.is_floating_point():
        raise errors.normalize_not_float(tensor.dtype)
    if tensor.ndim < 3:
        raise errors.normalize_wrong_size(tensor.size())
    if not inplace:
        tensor = tensor.clone()
    mean = as_tensor(mean, dtype=tensor.dtype)
    std = as_tensor(std, dtype=tensor.dtype)
    if (std == 0).any():
        raise errors.normalize_std_zero(tensor.dtype)
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std)


# ---- padding ------------------------------------------------------------------------------

def _check_pad_args(padding, fill, padding_mode):
    """torchvision's checks of pad's arguments, shared by the Pad transform and pad()."""
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise errors.inappropriate_arg("padding")
    if fill is not None and not isinstance(fill, (numbers.Number, tuple, list)):
        raise errors.inappropriate_arg("fill")
    if not isinstance(padding_mode, str):
        raise errors.inappropriate_arg("padding_mode")
    if isinstance(padding, Sequence) and len(padding) not in [1, 2, 4]:
        raise errors.padding_wrong_length(len(padding))
    if padding_mode not in PADDING_MODES:
        raise errors.padding_mode_unknown()


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
    cut_before, cut_after = max(-before, 0), max(-after, 0)
    before, after = max(before, 0), max(after, 0)
    if mode == "symmetric":
        kept = size - cut_before - cut_after
        return cut_before + np.pad(np.arange(kept), (before, after), mode=mode)
    indices = np.pad(np.arange(size), (before, after), mode=mode)
    return indices[cut_before:len(indices) - cut_after]


def _pad_tensor(img, padding, fill, padding_mode):
    """Pad the last two dimensions of a tensor (..., H, W). Negative padding crops."""
    _assert_image_tensor(img)
    if not isinstance(fill, (int, float)) and fill is not None:
        raise errors.inappropriate_arg("fill")
    left, top, right, bottom = _left_top_right_bottom(padding)
    height, width = img.shape[-2:]
    if padding_mode == "constant":
        if height + min(top, 0) + min(bottom, 0) < 0 or width + min(left, 0) + min(right, 0) < 0:
            raise errors.narrow_negative_length()   # torch's crop step
        img = img[..., max(-top, 0):height - max(-bottom, 0), max(-left, 0):width - max(-right, 0)]
        left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
        height, width = img.shape[-2:]
        padded = full((*img.shape[:-2], top + height + bottom, left + width + right),
                      0 if fill is None else fill, dtype=img.dtype)
        padded[..., top:top + height, left:left + width] = img
        return padded
    # the other modes copy input pixels: gather them with one index per output row/column
    if padding_mode == "symmetric" and img.ndim not in (3, 4):
        raise errors.symmetric_padding_dims()
    if img.ndim > 4:
        raise errors.padding_dims_not_supported(img.ndim)
    if padding_mode == "reflect":
        _check_reflect_padding(img, left, top, right, bottom)
    if padding_mode == "symmetric":
        _check_symmetric_padding(height, width, left, top, right, bottom)
    rows = _source_indices(height, top, bottom, padding_mode)
    cols = _source_indices(width, left, right, padding_mode)
    if padding_mode == "edge" and (len(rows) < 1 or len(cols) < 1):
        raise errors.edge_padding_output_empty(len(rows), len(cols), height, width)
    return img[..., rows[:, None], cols[None, :]]


def _check_reflect_padding(img, left, top, right, bottom):
    """Reflection cannot pad a side by the whole dimension or more: torch's check, width
    first, naming the shape torch's pad sees (torchvision adds a batch dim below 4-D)."""
    shape = list(img.shape) if img.ndim == 4 else [1, *img.shape]
    for argument, (before, after), dim in ((4, (left, right), len(shape) - 1),
                                           (6, (top, bottom), len(shape) - 2)):
        if max(before, after) >= shape[dim]:
            raise errors.reflect_padding_too_large(argument, before, after, dim, shape)


def _check_symmetric_padding(height, width, left, top, right, bottom):
    """torchvision pads symmetrically by indexing img[..., rows, cols] with the mirrored
    positions [p-1, ..., 0, 0, ..., n-1, -1, ..., -q] of what negative padding left; more
    padding than that is an index out of range, which torch reports for the first output
    pixel (row by row, its row before its column) that reads one, numbering the index
    tensors 0 (rows) and 1 (columns) as its "dimension"."""
    def mirrored(size, before, after):
        size -= max(-before, 0) + max(-after, 0)
        before, after = max(before, 0), max(after, 0)
        indices = list(range(before - 1, -1, -1)) + list(range(size)) + [-(i + 1) for i in range(after)]
        return size, indices

    rows_size, rows = mirrored(height, top, bottom)
    cols_size, cols = mirrored(width, left, right)
    bad_rows = [i for i in rows if not -rows_size <= i < rows_size]
    bad_cols = [i for i in cols if not -cols_size <= i < cols_size]
    if bad_rows and (rows[0] == bad_rows[0] or not bad_cols):
        raise errors.symmetric_padding_index(bad_rows[0], 0, rows_size)
    if bad_cols and cols:
        raise errors.symmetric_padding_index(bad_cols[0], 1, cols_size)


def _pil_fill(fill, img):
    """fill as Pillow takes it for img: a number for one band, a tuple for several (one
    number repeats over the bands), ints unless the image is of floats (mode F)."""
    bands = len(img.getbands())
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and bands > 1:
        fill = (fill,) * bands
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = tuple(fill) * bands
        elif len(fill) != bands:
            raise errors.fill_does_not_match_channels(len(fill), bands)
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return fill


def _pad_pil(img, padding, fill, padding_mode):
    """Pad a PIL image: Pillow's ImageOps.expand for a constant border, numpy's pad for
    the other modes (as torchvision does). Negative padding crops."""
    left, top, right, bottom = _left_top_right_bottom(padding)
    if padding_mode == "constant":
        border = padding if isinstance(padding, int) else (left, top, right, bottom)
        padded = ImageOps.expand(img, border=border, fill=_pil_fill(fill, img))
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
    _assert_pil(img)
    return _pad_pil(img, padding, fill, padding_mode)


# ---- resizing and cropping ----------------------------------------------------------------

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
            raise errors.max_size_not_greater(max_size, size)
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
    if mode == "bicubic" and img.dtype == uint8:   # cubic weights overshoot
        resized = resized.clamp(0, 255)
    return _squeezed(_rounded_to(resized, img.dtype), img)


def _squeezed(batch, img):
    """The batch back in the shape img came in: without the batch dim added for it."""
    return batch.squeeze(0) if img.ndim < 4 else batch


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize a PIL image or a tensor (..., H, W); see `Resize`. An image already of the
    requested size comes back as it is (the same object)."""
    interpolation = _checked_interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in [1, 2]:
            raise errors.resize_size_wrong_length(len(size))
        if max_size is not None and len(size) != 1:
            raise errors.max_size_with_two_sizes()
    _, height, width = get_dimensions(img)
    output_size = _resized_output_size(height, width, [size] if isinstance(size, int) else size,
                                       max_size)
    if [height, width] == output_size:
        return img
    if isinstance(img, Tensor):
        return _resize_tensor(img, output_size, interpolation.value, antialias)
    if antialias is False:
        warnings.warn(errors.antialias_ignored_for_pil())
    return img.resize(tuple(output_size[::-1]), _PIL_RESAMPLING[interpolation])


def crop(img, top, left, height, width):
    """The height x width window of img whose top-left corner is (top, left); parts of
    the window outside the image are filled with 0."""
    if isinstance(img, Image.Image):
        return img.crop((left, top, left + width, top + height))
    if not isinstance(img, Tensor):
        raise errors.img_not_pil(img)
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


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
    """crop, then resize the window to size."""
    img = crop(img, top, left, height, width)
    return resize(img, size, interpolation, antialias=antialias)


# ---- flips and rotation -------------------------------------------------------------------

def hflip(img):
    """Mirror left to right: the columns in reverse order."""
    if not isinstance(img, Tensor):
        _assert_pil(img)
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    _assert_image_tensor(img)
    return img[..., np.arange(img.shape[-1] - 1, -1, -1)]


def vflip(img):
    """Mirror top to bottom: the rows in reverse order."""
    if not isinstance(img, Tensor):
        _assert_pil(img)
        return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    _assert_image_tensor(img)
    return img[..., np.arange(img.shape[-2] - 1, -1, -1), :]


def rotate(img, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
           fill=None):
    """Rotate by angle degrees counter-clockwise about center ((x, y) in pixels from the
    top-left corner; the image's middle by default). expand=True enlarges the output to
    hold the whole rotated image; fill colours what comes from outside it.

    PIL images: Pillow's rotate. Tensors (..., H, W): each output pixel samples the input
    where the inverse rotation takes it (torch's grid_sample, align_corners=False, zeros
    outside), nearest or bilinear."""
    interpolation = _checked_interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise errors.rotate_angle_not_number()
    if center is not None and not isinstance(center, (list, tuple)):
        raise errors.rotate_center_not_sequence()
    if not isinstance(img, Tensor):
        _assert_pil(img)
        return img.rotate(angle, _PIL_RESAMPLING[interpolation], expand, center,
                          fillcolor=_pil_fill(fill, img))
    center_from_middle = [0.0, 0.0]
    if center is not None:
        _, height, width = get_dimensions(img)
        center_from_middle = [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    matrix = rotation.inverse_rotation_matrix(center_from_middle, -angle)
    return _rotate_tensor(img, matrix, interpolation.value, expand, fill)


def _rotate_tensor(img, matrix, mode, expand, fill):
    """torchvision's rotate of a tensor (..., H, W): the sampling grid, then the sampling
    (in float32 for integer images, rounded back)."""
    _assert_image_tensor(img)
    if fill is not None and not isinstance(fill, (int, float, tuple, list)):
        warnings.warn(errors.fill_type_warning())
    channels = get_dimensions(img)[0]
    if isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != channels:
        raise errors.fill_cannot_broadcast(len(fill), channels)
    if mode not in ("nearest", "bilinear"):
        raise errors.interpolation_unsupported_for_tensor(mode)
    height, width = img.shape[-2:]
    out_width, out_height = rotation.expanded_size(matrix, width, height) if expand else (width, height)
    dtype = img.dtype if img.is_floating_point() else float32
    x, y = rotation.rotation_grid(matrix, width, height, out_width, out_height, to_np(dtype))
    batch = img.unsqueeze(0) if img.ndim < 4 else img
    if batch.dtype != dtype:
        batch = batch.to(dtype)
    out = rotation.grid_sample(batch, x, y, mode, fill)
    if img.ndim < 4:
        out = out.squeeze(0)
    if not img.is_floating_point():
        out = _rounded_to(out, img.dtype)
    return out


# ---- colour -------------------------------------------------------------------------------

def rgb_to_grayscale(img, num_output_channels=1):
    """Luma: 0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2, as Pillow's "L"), truncated back to
    integers; num_output_channels=3 repeats it in three channels (an expanded view for
    tensors)."""
    if not isinstance(img, Tensor):
        return to_grayscale(img, num_output_channels)
    if img.ndim < 3:
        raise errors.grayscale_needs_3_dims(img.ndim)
    _assert_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise errors.num_output_channels_not_1_or_3()
    if img.shape[-3] == 3:
        red, green, blue = img.unbind(dim=-3)
        gray = (0.2989 * red + 0.587 * green + 0.114 * blue).to(img.dtype).unsqueeze(dim=-3)
    else:
        gray = img.clone()
    if num_output_channels == 3:
        return gray.expand(img.shape)
    return gray


def to_grayscale(img, num_output_channels=1):
    """A PIL image in mode "L" (Pillow's conversion), or "RGB" with three equal bands."""
    if not isinstance(img, Image.Image):
        raise errors.input_not_pil()
    if num_output_channels not in (1, 3):
        raise errors.num_output_channels_not_1_or_3()
    img = img.convert("L")
    if num_output_channels == 3:
        gray = np.array(img, dtype=np.uint8)
        img = Image.fromarray(np.dstack([gray, gray, gray]))
    return img


def _enhance(img, enhancer, factor):
    """A PIL image through Pillow's ImageEnhance (what torchvision calls for PIL images)."""
    _assert_pil(img)
    return enhancer(img).enhance(factor)


def _check_colour_tensor(img, name, factor, permitted):
    """torchvision's checks of a colour adjustment on a tensor, in its order (`permitted`
    channel counts in the order its message lists them)."""
    if factor < 0:
        raise errors.factor_negative(name, factor)
    _assert_image_tensor(img)
    _assert_channels(img, permitted)


def _blend(img1, img2, ratio):
    """ratio * img1 + (1 - ratio) * img2, clamped to the image's range, in img1's dtype
    (integers truncated)."""
    ratio = float(ratio)
    bound = _max_value(img1.dtype)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound).to(img1.dtype)


def adjust_brightness(img, brightness_factor):
    """Scale every pixel by the factor (0: black, 1: unchanged), clamped to the range."""
    if not isinstance(img, Tensor):
        return _enhance(img, ImageEnhance.Brightness, brightness_factor)
    _check_colour_tensor(img, "brightness_factor", brightness_factor, [1, 3])
    return _blend(img, zeros_like(img), brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Blend with the image's mean gray level (0: flat gray, 1: unchanged)."""
    if not isinstance(img, Tensor):
        return _enhance(img, ImageEnhance.Contrast, contrast_factor)
    _check_colour_tensor(img, "contrast_factor", contrast_factor, [3, 1])
    dtype = img.dtype if img.is_floating_point() else float32
    gray = rgb_to_grayscale(img) if img.shape[-3] == 3 else img
    mean = gray.to(dtype).mean(dim=(-3, -2, -1), keepdim=True)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Blend with the image's own grayscale (0: gray, 1: unchanged, 2: twice as vivid)."""
    if not isinstance(img, Tensor):
        return _enhance(img, ImageEnhance.Color, saturation_factor)
    _check_colour_tensor(img, "saturation_factor", saturation_factor, [1, 3])
    if get_dimensions(img)[0] == 1:   # as Pillow: a gray image has nothing to saturate
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def adjust_hue(img, hue_factor):
    """Turn every colour's hue by hue_factor of a full turn (in [-0.5, 0.5]), in HSV space.
    PIL images go through Pillow's 8-bit HSV; tensors through float32 HSV (torchvision's
    formulas) and back to their dtype. Gray images are returned as they are."""
    if not -0.5 <= hue_factor <= 0.5:
        raise errors.hue_factor_out_of_range(hue_factor)
    if not isinstance(img, Tensor):
        _assert_pil(img)
        if img.mode in {"L", "1", "I", "F"}:
            return img
        hue, saturation, value = img.convert("HSV").split()
        turned = np.array(hue, dtype=np.uint8)
        turned += np.int32(hue_factor * 255).astype(np.uint8)   # wraps around, as it should
        hue = Image.frombuffer("L", hue.size, turned.tobytes(), "raw", "L", 0, 1)
        return Image.merge("HSV", (hue, saturation, value)).convert(img.mode)
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    original_dtype = img.dtype
    hue, saturation, value = _rgb_to_hsv(convert_image_dtype(img, float32)).unbind(dim=-3)
    hue = _fractional_part(hue + hue_factor)
    rgb = _hsv_to_rgb(stack((hue, saturation, value), dim=-3))
    return convert_image_dtype(rgb, original_dtype)


def _fractional_part(x):
    """x - floor(x): torch's `x % 1.0` and `fmod` of the positive numbers it is used on,
    rounded alike. The floor is a constant (its gradient is 0, as torch's)."""
    return x - from_numpy(np.floor(x.detach().numpy()))


def _rgb_to_hsv(img):
    """(..., 3, H, W) RGB in [0, 1] to HSV in [0, 1], Pillow's formulas as torchvision
    writes them: value = max, saturation = (max - min) / max, hue from which channel is
    the max. Where max == min the divisions use 1 instead (hue and saturation are 0)."""
    red, green, blue = img.unbind(dim=-3)
    max_channel = img.max(dim=-3).values
    min_channel = img.min(dim=-3).values
    gray = max_channel == min_channel
    chroma = max_channel - min_channel
    ones = ones_like(max_channel)
    saturation = chroma / where(gray, ones, max_channel)
    chroma_divisor = where(gray, ones, chroma)
    red_distance = (max_channel - red) / chroma_divisor
    green_distance = (max_channel - green) / chroma_divisor
    blue_distance = (max_channel - blue) / chroma_divisor
    hue_red = (max_channel == red) * (blue_distance - green_distance)
    hue_green = ((max_channel == green) & (max_channel != red)) * (2.0 + red_distance - blue_distance)
    hue_blue = ((max_channel != green) & (max_channel != red)) * (4.0 + green_distance - red_distance)
    hue = _fractional_part((hue_red + hue_green + hue_blue) / 6.0 + 1.0)
    return stack((hue, saturation, max_channel), dim=-3)


def _hsv_to_rgb(img):
    """HSV back to RGB: the hue's sixth of the circle picks which of v, p, q, t each
    channel takes (a one-hot choice, as torchvision's einsum)."""
    hue, saturation, value = img.unbind(dim=-3)
    sector = np.floor(hue.detach().numpy() * 6.0)
    fraction = hue * 6.0 - from_numpy(sector)
    p = (value * (1.0 - saturation)).clamp(0.0, 1.0)
    q = (value * (1.0 - saturation * fraction)).clamp(0.0, 1.0)
    t = (value * (1.0 - saturation * (1.0 - fraction))).clamp(0.0, 1.0)
    sector = sector.astype(np.int32) % 6
    chosen = from_numpy((sector[..., None, :, :] == np.arange(6).reshape(-1, 1, 1)).astype(
        to_np(img.dtype)))                                                # (..., 6, H, W)
    red = stack((value, q, p, p, t, value), dim=-3)
    green = stack((t, value, value, q, p, p), dim=-3)
    blue = stack((p, p, t, value, value, q), dim=-3)
    candidates = stack((red, green, blue), dim=-4)                       # (..., 3, 6, H, W)
    return (chosen.unsqueeze(-4) * candidates).sum(dim=-3)
