"""Reductions: sum, mean, var, std, max/min (with and without dim), amax/amin, logsumexp,
argmax/argmin.

Backward of a reduction broadcasts the output's gradient back over the reduced axes
(`_expand`); keepdim only changes whether those axes are still there.
"""
import numpy as np

from .. import dtypes
from ..autograd.function import Function


def _count(shape, axes):
    """How many elements each output of a reduction over `axes` summarises."""
    return int(np.prod(shape if axes is None else [shape[i] for i in axes]))


def _expand(grad, shape, axes, keepdim):
    """The output gradient broadcast back to the input's shape."""
    if not keepdim and axes is not None:
        grad = np.expand_dims(grad, axes)
    out = np.empty(shape, dtype=grad.dtype)  # (np.broadcast_to costs more on small tensors)
    out[...] = grad
    return out


class Sum(Function):
    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False, dtype=None):
        if axes is not None:
            ctx.node_name = "SumBackward1"
        ctx.shape, ctx.axes, ctx.keepdim = a.shape, axes, keepdim
        return dtypes.widen(a).sum(axis=axes, keepdims=keepdim, dtype=dtype).astype(
            dtype or a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return _expand(grad, ctx.shape, ctx.axes, ctx.keepdim)


class Mean(Function):
    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False):
        if axes is not None:
            ctx.node_name = "MeanBackward1"
        ctx.shape, ctx.axes, ctx.keepdim = a.shape, axes, keepdim
        ctx.count = _count(a.shape, axes)
        return (dtypes.widen(a).sum(axis=axes, keepdims=keepdim) / ctx.count).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return _expand(grad / ctx.count, ctx.shape, ctx.axes, ctx.keepdim)


class Var(Function):
    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, correction=1, keepdim=False):
        ctx.save_for_backward(a)
        ctx.axes, ctx.correction, ctx.keepdim = axes, correction, keepdim
        dtype, a = a.dtype, dtypes.widen(a)
        n = _count(a.shape, axes)
        ctx.dof = float(n - correction) if n > correction else 0.0  # 0 gives inf/nan, as in torch
        ctx.centered = a - a.sum(axis=axes, keepdims=True) / n
        out = (ctx.centered * ctx.centered).sum(axis=axes, keepdims=keepdim) / ctx.dof
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        g = _expand(grad, a.shape, ctx.axes, ctx.keepdim)
        return g * 2 * ctx.centered / ctx.dof  # (arrays divide by 0 without raising)


class Std(Function):
    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, correction=1, keepdim=False):
        ctx.axes, ctx.keepdim, ctx.shape = axes, keepdim, a.shape
        dtype, a = a.dtype, dtypes.widen(a)
        n = _count(a.shape, axes)
        ctx.dof = float(n - correction) if n > correction else 0.0
        ctx.centered = a - a.sum(axis=axes, keepdims=True) / n
        out = np.sqrt((ctx.centered * ctx.centered).sum(axis=axes, keepdims=keepdim) / ctx.dof)
        out = out.astype(dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        g = _expand(np.where(out == 0, 0, grad / out), ctx.shape, ctx.axes, ctx.keepdim)
        return g * ctx.centered / ctx.dof


class Amax(Function):
    """max/min over dims, value only; the gradient is shared evenly among tied maxima."""
    node_name = "AmaxBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False, name="AmaxBackward0", reduce=np.max):
        ctx.node_name = name
        out = reduce(a, axis=axes, keepdims=keepdim)
        ctx.save_for_backward(a, out)
        ctx.axes, ctx.keepdim = axes, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        out = _expand(out, a.shape, ctx.axes, ctx.keepdim)
        hit = a == out
        if ctx.node_name in ("MaxBackward1", "MinBackward1"):  # max(): a nan maximum is where
            hit |= np.isnan(a) & np.isnan(out)                 # the nans are (amax: all nan)
        share = _expand(grad, a.shape, ctx.axes, ctx.keepdim) / hit.sum(axis=ctx.axes,
                                                                          keepdims=True)
        if ctx.node_name in ("MaxBackward1", "MinBackward1"):
            return np.where(hit, share, 0)   # torch selects: a nan gradient stays on the max
        return hit * share                   # amax/amin: torch multiplies by the mask


class MaxDim(Function):
    """max/min along one dim: (values, indices); the gradient goes to the index returned."""
    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, a, dim=0, keepdim=False, name="MaxBackward0", arg=np.argmax):
        ctx.node_name = name
        if dim is None:  # a 0-d tensor: its one value, at index 0
            ctx.shape, ctx.idx, ctx.dim = a.shape, np.zeros((1,), np.int64), 0
            return a.copy(), np.zeros((), np.int64)
        idx = np.expand_dims(arg(a, axis=dim), dim)
        values = np.take_along_axis(a, idx, axis=dim)
        ctx.shape, ctx.dim, ctx.idx = a.shape, dim, idx
        if not keepdim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx.astype(np.int64)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.shape:
            return grad
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        np.put_along_axis(out, ctx.idx, grad.reshape(ctx.idx.shape), axis=ctx.dim)
        return out


class Logsumexp(Function):
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False):
        m = np.max(a, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0)  # all -inf (or inf) rows: no shift
        out = np.log(np.sum(np.exp(a - m), axis=axes, keepdims=True)) + m
        ctx.save_for_backward(a, out)
        ctx.axes, ctx.keepdim = axes, keepdim
        return out if keepdim else np.squeeze(out, axis=axes)

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        return _expand(grad, a.shape, ctx.axes, ctx.keepdim) * np.exp(a - out)


class Norm(Function):
    """The vector p-norm over dims: (sum |a|^p)^(1/p); p = inf is max |a|."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p=2, axes=None, keepdim=False):
        ctx.p, ctx.axes, ctx.keepdim = p, axes, keepdim
        mag = np.abs(dtypes.widen(a))
        if p == np.inf:
            out = mag.max(axis=axes, keepdims=True, initial=0)
        elif p == 0:  # how many are not zero
            out = (mag != 0).sum(axis=axes, keepdims=True)
        elif p == 2:
            out = np.sqrt((mag * mag).sum(axis=axes, keepdims=True))
        else:
            out = (mag ** p).sum(axis=axes, keepdims=True) ** (1 / p)
        out = out.astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out if keepdim else np.squeeze(out, axis=axes)

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        p = ctx.p
        if p == 0:
            return None  # a count has no gradient (torch leaves .grad unset too)
        g = _expand(grad, a.shape, ctx.axes, ctx.keepdim)
        if p == np.inf:
            hit = np.abs(a) == out  # shared evenly among the largest |a|, as in torch
            return g * np.sign(a) * hit / hit.sum(axis=ctx.axes, keepdims=True)
        if p == 1:
            return g * np.sign(a)
        # d/da = a |a|^(p-2) / norm^(p-1); a zero norm gets a zero gradient
        scale = np.where(out == 0, 0, 1 / np.where(out == 0, 1, out) ** (p - 1))
        return g * a * np.abs(a) ** (p - 2) * scale if p != 2 else g * a * scale
