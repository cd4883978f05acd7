"""softmax and log_softmax along one dim, computed stably (the max is subtracted first,
which changes neither result).

float16 is computed in float32 and rounded once at the end, as torch's kernels do (a sum
of thousands of float16 terms would otherwise lose several digits).
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import widen


class Softmax(Function):
    """y = exp(x) / sum(exp(x));  dx = y * (dy - sum(dy * y))"""
    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        w = widen(x)
        e = np.exp(w - w.max(dim, keepdims=True)) if x.size else w.copy()
        out = (e / e.sum(dim, keepdims=True)).astype(x.dtype, copy=False)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        y, g = widen(out), widen(grad)
        return (y * (g - (g * y).sum(ctx.dim, keepdims=True))).astype(grad.dtype, copy=False)


class LogSoftmax(Function):
    """y = x - log(sum(exp(x)));  dx = dy - exp(y) * sum(dy)   (exp(y) = softmax(x))"""
    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        w = widen(x)
        if not x.size:
            out = x.copy()
        else:
            shifted = w - w.max(dim, keepdims=True)   # (the max subtracted first: stable)
            out = (shifted - np.log(np.exp(shifted).sum(dim, keepdims=True))).astype(
                x.dtype, copy=False)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        y, g = widen(out), widen(grad)
        return (g - np.exp(y) * g.sum(ctx.dim, keepdims=True)).astype(grad.dtype, copy=False)
