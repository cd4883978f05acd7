"""Adaptive 2-D average and max pooling over the last two dims: the caller names the output
size, and each output cell pools its own window of the input.

Output row i of `out` rows over `size` input rows pools rows floor(i * size / out) up to
ceil((i + 1) * size / out) (torch's windows): they cover the input, may overlap by one and
need not all be the same length, so there is no single kernel and stride. Average pooling
is separable (a window is a range of rows times a range of columns): sum each row window,
then each column window, one numpy sum per output row and column. Max pooling scans each
window for its maximum, as torch's kernel does: the first of tied maxima wins, and a nan
wins over everything (the last nan of the window).
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import compute_dtype


def windows(size, out):
    """[(start, end)] of the input rows each of the `out` output rows pools."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


class AdaptiveAvgPool2d(Function):
    """out[i, j] = sum of window (i, j) / its size;  dx[each pixel of window (i, j)] +=
    dout[i, j] / its size"""
    node_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_size):
        work = compute_dtype(x.dtype)
        rows, columns = windows(x.shape[-2], out_size[0]), windows(x.shape[-1], out_size[1])
        lead = x.shape[:-2]
        by_rows = np.empty(lead + (len(rows), x.shape[-1]), dtype=work)
        for i, (start, end) in enumerate(rows):
            by_rows[..., i, :] = x[..., start:end, :].sum(-2, dtype=work)
        total = np.empty(lead + (len(rows), len(columns)), dtype=work)
        for j, (start, end) in enumerate(columns):
            total[..., j] = by_rows[..., start:end].sum(-1)
        counts = np.outer([e - s for s, e in rows], [e - s for s, e in columns]).astype(work)
        ctx.geometry = x.shape, rows, columns, counts
        return (total / counts).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        shape, rows, columns, counts = ctx.geometry
        share = grad / counts  # (counts has the compute dtype: float16 spreads in float32)
        by_rows = np.zeros(shape[:-2] + (len(rows), shape[-1]), dtype=share.dtype)
        for j, (start, end) in enumerate(columns):
            by_rows[..., start:end] += share[..., j, None]
        dx = np.zeros(shape, dtype=share.dtype)
        for i, (start, end) in enumerate(rows):
            dx[..., start:end, :] += by_rows[..., i, None, :]
        return dx.astype(grad.dtype, copy=False)


class AdaptiveMaxPool2d(Function):
    """out[i, j] = max of window (i, j);  dx[argmax of window (i, j)] += dout[i, j]

    forward also returns where each maximum came from (torch's indices: flat positions in
    each H x W plane)."""
    node_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_size):
        height, width = x.shape[-2:]
        lead = x.shape[:-2]
        out = np.empty(lead + tuple(out_size), dtype=x.dtype)
        indices = np.empty(lead + tuple(out_size), dtype=np.int64)
        for i, (top, bottom) in enumerate(windows(height, out_size[0])):
            for j, (left, right) in enumerate(windows(width, out_size[1])):
                span = right - left
                window = x[..., top:bottom, left:right].reshape(lead + ((bottom - top) * span,))
                nan = np.isnan(window)
                last_nan = nan.shape[-1] - 1 - np.argmax(nan[..., ::-1], -1)
                pick = np.where(nan.any(-1), last_nan, np.argmax(window, -1))
                out[..., i, j] = np.take_along_axis(window, pick[..., None], -1)[..., 0]
                indices[..., i, j] = (top + pick // span) * width + left + pick % span
        ctx.save_for_backward(indices)
        ctx.input_shape = x.shape
        return out, indices

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved
        shape = ctx.input_shape
        plane = shape[-2] * shape[-1]
        planes = int(np.prod(shape[:-2]))
        cells = indices.reshape(planes, indices.shape[-2] * indices.shape[-1])
        flat = (cells + np.arange(planes)[:, None] * plane).reshape(-1)
        dx = np.bincount(flat, weights=grad.reshape(-1).astype(np.float64),
                         minlength=planes * plane)
        return dx.reshape(shape).astype(grad.dtype, copy=False)
