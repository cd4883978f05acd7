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
"""
import math

import numpy as np

from ..autograd.function import Function

# torch's grad_fn names, by (mode, antialias)
NODE_NAMES = {
    ("nearest", False): "UpsampleNearest2DBackward0",
    ("nearest-exact", False): "UpsampleNearestExact2DBackward0",
    ("bilinear", False): "UpsampleBilinear2DBackward0",
    ("bilinear", True): "UpsampleBilinear2DAaBackward0",
    ("bicubic", False): "UpsampleBicubic2DBackward0",
    ("bicubic", True): "UpsampleBicubic2DAaBackward0",
}


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


def antialiased_taps(in_size, out_size, dtype, mode):
    """Pillow's resampling (torch's antialias=True): the filter (triangle for bilinear,
    cubic for bicubic) is centred on each output pixel's centre and, when shrinking,
    stretched by the scale; every input pixel whose centre it covers is a tap, weighted
    by the filter there, and the weights are normalised to sum to 1."""
    filter_fn, radius = (_triangle, 1.0) if mode == "bilinear" else (_keys_cubic, 2.0)
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


def resampling_taps(in_size, out_size, dtype, mode, antialias):
    """The table of taps of one axis for a mode (see the module's docstring)."""
    if antialias:
        return antialiased_taps(in_size, out_size, dtype, mode)
    if mode in ("nearest", "nearest-exact"):
        return nearest_taps(in_size, out_size, dtype, exact=mode == "nearest-exact")
    if mode == "bilinear":
        return bilinear_taps(in_size, out_size, dtype)
    return bicubic_taps(in_size, out_size, dtype)


class Resample2d(Function):
    """Resize a float array (N, C, H, W) to (N, C, height, width): the width first, then
    the height. With antialias, an axis whose size does not change is left alone (torch
    skips it); without, every axis goes through its taps."""
    node_name = "UpsampleBilinear2DBackward0"

    @staticmethod
    def forward(ctx, x, size=(), mode="bilinear", antialias=False):
        ctx.node_name = NODE_NAMES[mode, antialias]
        ctx.input_size = x.shape[-2:]
        ctx.taps = []
        out = x
        for axis, in_size, out_size in ((-1, x.shape[-1], size[1]), (-2, x.shape[-2], size[0])):
            if antialias and in_size == out_size:
                continue
            taps = resampling_taps(in_size, out_size, x.dtype, mode, antialias)
            out = taps.apply(out, axis)
            ctx.taps.append((axis, in_size, taps))
        return out if out is not x else x.copy()

    @staticmethod
    def backward(ctx, grad):
        for axis, in_size, taps in reversed(ctx.taps):
            grad = np.swapaxes(np.swapaxes(grad, axis, -1) @ taps.matrix(in_size), axis, -1)
        return np.ascontiguousarray(grad)


SUPPORTED_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def resample(input, size, mode="bilinear", antialias=False):
    """Resize a float tensor (N, C, H, W) to size = [height, width] in `mode`, with
    torch.nn.functional.interpolate's checks and errors (align_corners=False)."""
    if len(size) != input.ndim - 2:
        raise ValueError(
            "Input and output must have the same number of spatial dimensions, but got "
            f"input with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
            "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            "output size in (o1, o2, ...,oK) format.")
    if not all(isinstance(s, int) for s in size):
        raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                        f"Tuple[int, int, int], but got size with types {[type(s) for s in size]}")
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    if mode == "lanczos" and not antialias:
        raise ValueError("Lanczos mode requires antialias=True")
    if mode not in SUPPORTED_MODES.split(" | "):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) "
            f"for the modes: {SUPPORTED_MODES} (got {mode})")
    if (mode, bool(antialias)) not in NODE_NAMES:
        raise NotImplementedError(f"resample: mode {mode!r} with antialias={bool(antialias)} "
                                  "is not implemented in minitorch")
    height, width = input.shape[-2:]
    if min(height, width, *size) <= 0:
        raise RuntimeError("Input and output sizes should be greater than 0, but got input "
                           f"(H: {height}, W: {width}) output (H: {size[0]}, W: {size[1]})")
    return Resample2d.apply(input, size=tuple(size), mode=mode, antialias=bool(antialias))
