"""2-D max and average pooling over (N, C, H, W).

Both look at the same windows as convolution (`conv.windows`: a strided view, no copy).
Max pooling remembers where each maximum came from (the indices torch returns) and sends
each gradient back to exactly that pixel; average pooling spreads it evenly over the
window with col2im.
"""
import math

import numpy as np

from ..autograd.function import Function
from .conv import col2im, pad2d, windows


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
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, out_size):
        n, c, h, w = x.shape
        pads = _pad_for(x.shape, out_size, kernel, stride, padding, dilation)
        xp = pad2d(x, pads, -np.inf)
        oh, ow = out_size
        win = windows(xp, kernel, stride, dilation)[:, :, :oh, :ow]
        kh, kw = kernel
        flat = win.reshape(n, c, oh, ow, kh * kw)
        pos = flat.argmax(-1)  # the first maximum of each window, as torch's scan keeps
        nan = np.isnan(flat)
        if nan.any():  # a nan wins its window; torch's scan keeps the last one
            last_nan = flat.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
            pos = np.where(nan.any(-1), last_nan, pos)
        # window position -> (row, col) in the unpadded input -> flat index in its plane
        row = (np.arange(oh) * stride[0] - padding[0])[:, None] + (pos // kw) * dilation[0]
        col = (np.arange(ow) * stride[1] - padding[1])[None, :] + (pos % kw) * dilation[1]
        if padding[0] or padding[1]:
            # a window of -inf values only: torch keeps its first *real* pixel, not padding
            row, col = _first_real_pixel(win, row, col, pos, h, w, kernel, stride, padding,
                                         dilation)
        indices = row * w + col
        out = np.take_along_axis(flat, pos[..., None], -1)[..., 0]
        ctx.save_for_backward(indices)
        ctx.input_shape = x.shape
        return out, indices

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved
        n, c, h, w = ctx.input_shape
        dx = np.zeros((n * c, h * w), dtype=grad.dtype)
        planes = np.arange(n * c).reshape(n, c, 1, 1)
        np.add.at(dx, (np.broadcast_to(planes, indices.shape), indices), grad)
        return dx.reshape(n, c, h, w)


def _first_real_pixel(win, row, col, pos, h, w, kernel, stride, padding, dilation):
    outside = (row < 0) | (row >= h) | (col < 0) | (col >= w)
    for k, i, j in zip(*np.nonzero(outside.reshape(-1, *outside.shape[-2:]))):
        kh, kw = kernel
        r0, c0 = i * stride[0] - padding[0], j * stride[1] - padding[1]
        taps = [(a, b) for a in range(kh) for b in range(kw)
                if 0 <= r0 + a * dilation[0] < h and 0 <= c0 + b * dilation[1] < w]
        a, b = taps[0]
        row.reshape(-1, *row.shape[-2:])[k, i, j] = r0 + a * dilation[0]
        col.reshape(-1, *col.shape[-2:])[k, i, j] = c0 + b * dilation[1]
    return row, col


class AvgPool2d(Function):
    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, out_size, count_include_pad, divisor_override):
        pads = _pad_for(x.shape, out_size, kernel, stride, padding, (1, 1))
        xp = pad2d(x, pads)
        oh, ow = out_size
        win = windows(xp, kernel, stride, (1, 1))[:, :, :oh, :ow]
        divisor = _divisors(x.shape, out_size, kernel, stride, padding, count_include_pad,
                            divisor_override).astype(x.dtype)
        ctx.geometry = xp.shape, x.shape, kernel, stride, padding, divisor
        return win.sum((-2, -1)) / divisor

    @staticmethod
    def backward(ctx, grad):
        padded_shape, (n, c, h, w), kernel, stride, padding, divisor = ctx.geometry
        share = (grad / divisor)[..., None, None]
        dwin = np.broadcast_to(share, grad.shape + tuple(kernel))
        dxp = col2im(dwin, padded_shape, stride, (1, 1))
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
