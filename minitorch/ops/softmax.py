"""softmax and log_softmax along one dim, computed stably (the max is subtracted first).

With y = softmax(x):     dx = y * (dy - sum(dy * y))
With y = log_softmax(x): dx = dy - softmax(x) * sum(dy)

softmax() and log_softmax() check their input as torch does (the dim, integer inputs) and
are torch.softmax, nn.functional.softmax and Tensor.softmax alike.

float16 is computed in float32 and rounded once at the end, as torch's kernels do (a sum
of thousands of float16 terms would otherwise lose several digits).
"""
import warnings

import numpy as np

from ..autograd.function import Function
from ..dtypes import raise_not_implemented, widen


class Softmax(Function):
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
    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        w = widen(x)
        if not x.size:
            out = x.copy()
        else:
            top = w.max(dim, keepdims=True)
            log_total = top + np.log(np.exp(w - top).sum(dim, keepdims=True))
            out = (w - log_total).astype(x.dtype, copy=False)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        y, g = widen(out), widen(grad)
        return (g - np.exp(y) * g.sum(ctx.dim, keepdims=True)).astype(grad.dtype, copy=False)


def _softmax_dim(input, dim, name):
    """The dim to normalise over (torch's legacy choice when none is given). Only floats
    have a softmax: torch's kernel names itself ("_lastdim" when dim is the last one)."""
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if input.ndim in (0, 1, 3) else 1
    dim = input._dim(dim) if input.ndim else 0
    if not input.is_floating_point():
        last = "_lastdim" if dim == max(input.ndim - 1, 0) else ""
        raise_not_implemented(f"{name}{last}_kernel_impl", input.dtype.np)
    return dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return Softmax.apply(x, dim=_softmax_dim(x, dim, "softmax"))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return LogSoftmax.apply(x, dim=_softmax_dim(x, dim, "log_softmax"))
