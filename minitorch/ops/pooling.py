"""2-D max and average pooling over (N, C, H, W).

Max pooling scans each window as torch's kernel does (a Numba loop), remembers where each
maximum came from (the indices torch returns) and sends each gradient back to exactly
that pixel. Average pooling sums each window (`windows`: a strided view, no copy) and
spreads each gradient evenly back over its window (conv's col2im).
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Function
from ..dtypes import compute_dtype
from .. import kernels
from ..parallel import over_batch
from .conv import col2im, pad2d


# What one pixel of a max-pooling window counts for in parallel.over_batch's multiply-adds.
# Measured on the CIFAR LeNet at batch 256, against conv1's 90 M multiply-adds in 4.0 ms:
# about 15 for the 2x2 fast pass (1.2 M pixels in 0.8 ms), about 60 for the general loop.
# 32 splits pool1 from batch 16 on; the step measured 2.31 ms there against 2.36 with 8.
SCAN_COST = 32


def windows(x, kernel, stride, dilation):
    """A view (N, C, OH, OW, kh, kw) of every kernel window of a padded x: no copy."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    view = sliding_window_view(x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(-2, -1))
    return view[:, :, ::sh, ::sw, ::dh, ::dw]


def pooled_size(size, kernel, stride, padding, dilation, ceil_mode):
    """torch's output length of one pooled dim. With ceil_mode a last, partial window
    counts, unless it would start in the right padding only."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pad_for(shape, out_size, kernel, stride, padding, dilation):
    """(top, bottom, left, right) padding so that every output window fits: the padding
    asked for, plus what ceil_mode's last partial window overhangs."""
    pads = []
    for size, out, k, s, p, d in zip(shape[-2:], out_size, kernel, stride, padding, dilation):
        needed = (out - 1) * s + d * (k - 1) + 1
        pads += [p, max(needed - size - p, p)]
    return pads


class MaxPool2d(Function):
    """out = max of each window;  dx[argmax of the window] += grad: the gradient goes to the
    argmax of each window

    forward also returns where each maximum came from (torch's indices: flat positions in
    each H x W plane). The scan is torch's, in a Numba loop: see kernels/pooling.py for how
    ties, nans and padding are decided."""
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, out_size):
        work = compute_dtype(x.dtype)
        shape = x.shape[:2] + tuple(out_size)
        out = np.empty(shape, dtype=work)
        indices = np.empty(shape, dtype=np.int64)
        x = np.ascontiguousarray(x, dtype=work)
        # per image: each window pixel compared, worth about SCAN_COST multiply-adds
        compares = kernel[0] * kernel[1] * shape[1] * shape[2] * shape[3] * SCAN_COST
        over_batch(shape[0], compares, lambda part: kernels.pooling.max_pool2d_forward(
            x[part], out[part], indices[part], *kernel, *stride, *padding, *dilation))
        ctx.save_for_backward(indices)
        ctx.input_shape = x.shape
        ctx.geometry = (*kernel, *stride, *padding, *dilation)
        return out.astype(x.dtype, copy=False), indices

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved
        work = compute_dtype(grad.dtype)
        dx = np.zeros(ctx.input_shape, dtype=work)
        grad = np.ascontiguousarray(grad, dtype=work)
        over_batch(grad.shape[0], grad[:1].size * SCAN_COST,
                   lambda part: kernels.pooling.max_pool2d_backward(
                       grad[part], indices[part], dx[part], *ctx.geometry))
        return dx.astype(grad.dtype, copy=False)


class AvgPool2d(Function):
    """out = sum of each window / divisor;  dx[each pixel of the window] += grad / divisor:
    the gradient is spread evenly over the window

    The divisor is the window's size (with or without the padding) or divisor_override."""
    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, out_size, count_include_pad, divisor_override):
        pads = _pad_for(x.shape, out_size, kernel, stride, padding, (1, 1))
        xp = pad2d(x, pads)
        oh, ow = out_size
        win = windows(xp, kernel, stride, (1, 1))[:, :, :oh, :ow]
        # torch's order: row by row, float16 in float32 (so overflow and rounding agree)
        total = np.zeros(win.shape[:4], dtype=compute_dtype(x.dtype))
        for p in range(kernel[0]):
            for q in range(kernel[1]):
                total += win[..., p, q]
        divisor = _divisors(x.shape, out_size, kernel, stride, padding, count_include_pad,
                            divisor_override)
        ctx.geometry = xp.shape, x.shape, kernel, stride, padding, divisor.astype(x.dtype)
        if x.dtype.kind == "i":  # integers divide as C++ does: toward zero
            return np.sign(total) * (np.abs(total) // divisor.astype(x.dtype))
        return (total / divisor.astype(total.dtype)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        padded_shape, (n, c, h, w), kernel, stride, padding, divisor = ctx.geometry
        share = (grad / divisor)[:, :, None, None]
        dcols = np.broadcast_to(share, grad.shape[:2] + tuple(kernel) + grad.shape[2:])
        dxp = col2im(dcols, padded_shape, stride, (1, 1))
        return dxp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + w]


def _divisors(shape, out_size, kernel, stride, padding, count_include_pad, divisor_override):
    """What each window's sum is divided by: the override, or the window's size counting
    padding (but not ceil_mode's overhang), or the real pixels only."""
    if divisor_override:
        return np.full(out_size, divisor_override, dtype=np.float64)
    counts = []
    for size, out, k, s, p in zip(shape[-2:], out_size, kernel, stride, padding):
        start = np.arange(out) * s - p
        end = np.minimum(start + k, size + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size)
        counts.append(end - start)
    return np.outer(*counts).astype(np.float64)
