"""Resampling an image batch (N, C, H, W) to a new height and width, as torch's
`interpolate` does on the CPU for the modes torchvision's Resize uses on tensors:
nearest, nearest-exact, bilinear and bicubic, each with or without antialiasing.

Every mode is *separable*: each output pixel along one axis is a weighted sum of a few
input pixels ("taps") along that axis. So one axis is resampled at a time, the width
first, then the height, and a mode is nothing but its table of taps: for each output
position, which input positions and with what weights.

    without antialias  the output position is mapped back into the input
                       (src = scale * (dst + 0.5) - 0.5) and the taps are its neighbours:
                       1 (nearest), 2 (bilinear) or 4 (bicubic, borders repeated).
    with antialias     (bilinear, bicubic; as Pillow) when shrinking, the filter is
                       stretched by the scale so that every input pixel under it counts;
                       the weights are then normalised to sum to 1.

torch computes the tables in the input's float type (float32 for float32 images) and
rounds at particular places; the table builders do the same, so that outputs agree to the
last bits and uint8 images, rounded afterwards, agree exactly.

The backward pass sends each output gradient back along the same taps with the same
weights: the transpose of the forward's linear map.

Each (mode, antialias) is one op class, named for torch's node (UpsampleBilinear2d shows
as UpsampleBilinear2DBackward0) and differing from the others only in its taps.
`resample`, at the bottom, is torch's surface: interpolate's checks, then the op class
for the mode from a table.
"""
import math

import numpy as np

from .. import errors
from ..autograd.function import Function


class Taps:
    """One axis' resampling table: output position o reads input positions
    index[o, k] with weight weight[o, k], for the k where used[o, k]."""

    def __init__(self, index, weight, used):
        self.index, self.weight, self.used = index, weight, used

    def apply(self, x, axis):
        """Resample array x along axis (-1 or -2): sum over k of weight * x[index], in
        the order of k, as torch's loops add them up."""
        x = np.swapaxes(x, axis, -1)
        out = None
        for k in range(self.index.shape[1]):
            term = x[..., self.index[:, k]] * self.weight[:, k]
            if not self.used[:, k].all():    # unused taps add nothing (not even 0 * inf)
                term = np.where(self.used[:, k], term, 0)
            out = term if out is None else out + term
        return np.swapaxes(out, axis, -1)

    def matrix(self, in_size):
        """The table as a dense (out, in) matrix: the linear map of this axis."""
        dense = np.zeros((len(self.index), in_size), dtype=self.weight.dtype)
        rows = np.broadcast_to(np.arange(len(self.index))[:, None], self.index.shape)
        np.add.at(dense, (rows[self.used], self.index[self.used]), self.weight[self.used])
        return dense


def _scale(in_size, out_size, dtype):
    """input size / output size, divided in the image's float type as torch does."""
    return dtype.type(in_size) / dtype.type(out_size)


def nearest_taps(in_size, out_size, dtype, exact=False):
    """nearest: input floor(dst * scale); nearest-exact: floor((dst + 0.5) * scale), the
    pixel whose centre is nearest (Pillow's choice). torch rounds dst * scale to float32."""
    scale = _scale(in_size, out_size, np.dtype(np.float32))
    dst = np.arange(out_size)
    if exact:
        position = ((dst + 0.5) * np.float64(scale)).astype(np.float32)
    else:
        position = dst.astype(np.float32) * scale
    index = np.minimum(np.floor(position).astype(np.int64), in_size - 1)
    return Taps(index[:, None], np.ones((out_size, 1), dtype), np.ones((out_size, 1), bool))


def _source_position(in_size, out_size, dtype, clamp_at_zero):
    """Where output pixel centres fall in the input: scale * (dst + 0.5) - 0.5, computed
    in double and rounded to the image's type (torch's order), and its integer part and
    fraction. Linear interpolation clamps positions left of the first pixel to 0."""
    scale = _scale(in_size, out_size, dtype)
    src = (np.float64(scale) * (np.arange(out_size) + 0.5) - 0.5).astype(dtype)
    if clamp_at_zero:
        src = np.maximum(src, dtype.type(0))
    index = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    fraction = np.clip(src - index.astype(dtype), 0, 1).astype(dtype)
    return index, fraction


def bilinear_taps(in_size, out_size, dtype):
    """The two neighbours of the source position, weighted by closeness (the right one
    is the left one again at the last pixel). Same size: each pixel is both taps, with
    weights 1 and 0 (so an inf becomes 1 * inf + 0 * inf = nan, as in torch)."""
    if in_size == out_size:
        index = right = np.arange(out_size)
        fraction = np.zeros(out_size, dtype)
    else:
        index, fraction = _source_position(in_size, out_size, dtype, clamp_at_zero=True)
        right = index + (index < in_size - 1)
    weight = np.stack([dtype.type(1) - fraction, fraction], axis=1)
    return Taps(np.stack([index, right], axis=1), weight, np.ones((out_size, 2), bool))


def bicubic_taps(in_size, out_size, dtype):
    """Four neighbours (borders repeated) weighted by Keys' cubic convolution with
    A = -0.75, in the image's float type, as torch's upsample_bicubic2d."""
    index, t = _source_position(in_size, out_size, dtype, clamp_at_zero=False)
    A = dtype.type(-0.75)

    def near(x):   # |x| <= 1
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def far(x):    # 1 < |x| < 2
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    one = dtype.type(1)
    weight = np.stack([far(t + one), near(t), near(one - t), far(one - t + one)], axis=1)
    taps = np.clip(index[:, None] + np.arange(-1, 3), 0, in_size - 1)
    return Taps(taps, weight.astype(dtype), np.ones((out_size, 4), bool))


def _triangle(x):
    x = np.abs(x)
    return np.where(x < 1, 1 - x, 0)


def _keys_cubic(x, a=-0.5):
    """Keys' cubic with a = -0.5, the filter of Pillow's (and torch's antialiased) bicubic."""
    x = np.abs(x)
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0))


def antialiased_taps(in_size, out_size, dtype, filter_fn, radius):
    """Pillow's resampling (torch's antialias=True): the filter (triangle for bilinear,
    cubic for bicubic; `radius` its half-width) is centred on each output pixel's centre
    and, when shrinking, stretched by the scale; every input pixel whose centre it covers
    is a tap, weighted by the filter there, and the weights are normalised to sum to 1."""
    f = dtype.type
    scale = _scale(in_size, out_size, dtype)
    shrinking = scale >= 1
    support = f(radius * np.float64(scale)) if shrinking else f(radius)
    inv_scale = f(1.0 / np.float64(scale)) if shrinking else f(1)
    count = math.ceil(support) * 2 + 1
    center = (np.float64(scale) * (np.arange(out_size) + 0.5)).astype(dtype)
    first = np.maximum(((center - support).astype(np.float64) + 0.5).astype(np.int64), 0)
    last = np.minimum(((center + support).astype(np.float64) + 0.5).astype(np.int64), in_size)
    size = np.clip(last - first, 0, count)
    index = first[:, None] + np.arange(count)
    used = np.arange(count) < size[:, None]
    distance = ((index.astype(dtype) - center[:, None]).astype(np.float64) + 0.5) * np.float64(inv_scale)
    weight = filter_fn(distance.astype(dtype).astype(np.float64)).astype(dtype)
    weight = np.where(used, weight, f(0))
    total = np.zeros(out_size, dtype)
    for k in range(count):       # summed in order, in the image's type, as torch does
        total = total + weight[:, k]
    weight = np.where(total[:, None] != 0, weight / np.where(total == 0, f(1), total)[:, None],
                      weight).astype(dtype)
    return Taps(np.minimum(index, in_size - 1), weight, used)


def nearest_exact_taps(in_size, out_size, dtype):
    return nearest_taps(in_size, out_size, dtype, exact=True)


def antialiased_bilinear_taps(in_size, out_size, dtype):
    return antialiased_taps(in_size, out_size, dtype, _triangle, 1.0)


def antialiased_bicubic_taps(in_size, out_size, dtype):
    return antialiased_taps(in_size, out_size, dtype, _keys_cubic, 2.0)


# ---- the ops: one class per torch node, differing only in their taps ----------------------

class Resample2d(Function):
    """out = T_H @ x @ T_W^T per image;  dx = T_H^T @ grad @ T_W   (T_W, T_H: the width's and
    the height's taps as (out, in) matrices; the width is resampled first)

    A subclass is one mode: `make_taps` builds one axis' table. Antialiased modes leave an
    axis whose size does not change alone (`skips_same_size`: torch skips it); the others
    send every axis through its taps."""
    skips_same_size = False

    @staticmethod
    def make_taps(in_size, out_size, dtype):
        raise NotImplementedError

    @staticmethod
    def forward(ctx, x, size=()):
        ctx.resampled = []  # (axis, input size, taps) for each axis resampled, in order
        out = x
        for axis, in_size, out_size in ((-1, x.shape[-1], size[1]), (-2, x.shape[-2], size[0])):
            if ctx.skips_same_size and in_size == out_size:
                continue
            taps = ctx.make_taps(in_size, out_size, x.dtype)
            out = taps.apply(out, axis)
            ctx.resampled.append((axis, in_size, taps))
        return out if out is not x else x.copy()

    @staticmethod
    def backward(ctx, grad):
        for axis, in_size, taps in reversed(ctx.resampled):
            grad = np.swapaxes(np.swapaxes(grad, axis, -1) @ taps.matrix(in_size), axis, -1)
        return np.ascontiguousarray(grad)


class UpsampleNearest2d(Resample2d):
    """mode='nearest': each output pixel copies the input pixel at floor(dst * scale)."""
    node_name = "UpsampleNearest2DBackward0"
    make_taps = staticmethod(nearest_taps)


class UpsampleNearestExact2d(Resample2d):
    """mode='nearest-exact': each output pixel copies the input pixel nearest its centre."""
    node_name = "UpsampleNearestExact2DBackward0"
    make_taps = staticmethod(nearest_exact_taps)


class UpsampleBilinear2d(Resample2d):
    """mode='bilinear': the two nearest input pixels, weighted by closeness."""
    node_name = "UpsampleBilinear2DBackward0"
    make_taps = staticmethod(bilinear_taps)


class UpsampleBilinear2dAa(Resample2d):
    """mode='bilinear', antialias=True: a triangle filter stretched over what shrinks."""
    node_name = "UpsampleBilinear2DAaBackward0"
    make_taps = staticmethod(antialiased_bilinear_taps)
    skips_same_size = True


class UpsampleBicubic2d(Resample2d):
    """mode='bicubic': the four nearest input pixels, weighted by Keys' cubic (A = -0.75)."""
    node_name = "UpsampleBicubic2DBackward0"
    make_taps = staticmethod(bicubic_taps)


class UpsampleBicubic2dAa(Resample2d):
    """mode='bicubic', antialias=True: Keys' cubic (a = -0.5) stretched over what shrinks."""
    node_name = "UpsampleBicubic2DAaBackward0"
    make_taps = staticmethod(antialiased_bicubic_taps)
    skips_same_size = True


# ---- torch's surface: interpolate's checks, and the op for (mode, antialias) ---------------

RESAMPLERS = {
    ("nearest", False): UpsampleNearest2d,
    ("nearest-exact", False): UpsampleNearestExact2d,
    ("bilinear", False): UpsampleBilinear2d,
    ("bilinear", True): UpsampleBilinear2dAa,
    ("bicubic", False): UpsampleBicubic2d,
    ("bicubic", True): UpsampleBicubic2dAa,
}

TORCH_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "lanczos", "area",
               "nearest-exact")  # in the order torch's message lists them


def resample(input, size, mode="bilinear", antialias=False):
    """Resize a float tensor (N, C, H, W) to size = [height, width] in `mode`, with
    torch.nn.functional.interpolate's checks and errors (align_corners=False)."""
    if len(size) != input.ndim - 2:
        raise errors.interpolate_spatial_dims(input.shape[2:], size)
    if not all(isinstance(s, int) for s in size):
        raise errors.interpolate_size_types(size)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise errors.antialias_mode()
    if mode == "lanczos" and not antialias:
        raise errors.lanczos_without_antialias()
    if mode not in TORCH_MODES:
        raise errors.interpolate_unknown_mode(input.ndim, TORCH_MODES, mode)
    op = RESAMPLERS.get((mode, bool(antialias)))
    if op is None:
        raise errors.resample_mode_not_implemented(mode, bool(antialias))
    height, width = input.shape[-2:]
    if min(height, width, *size) <= 0:
        raise errors.interpolate_size_not_positive((height, width), size)
    return op.apply(input, size=tuple(size))
