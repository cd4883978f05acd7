"""Reductions: sum, mean, var, std, max/min (of all elements, and along a dim),
amax/amin, logsumexp and the vector norm.

Each reduces `a` over `axes` (None: all of them). The shared rule of their backward:
an output summarises several inputs, so its gradient is broadcast back over the reduced
axes (`_expand`) and then weighted by how each input entered the output. keepdim only
changes whether the reduced axes are still there (as 1s) in the output and its gradient.
"""
import numpy as np

from .. import dtypes
from ..autograd.function import Function


def _count(shape, axes):
    """n: how many elements each output of a reduction over `axes` summarises."""
    return int(np.prod(shape if axes is None else [shape[i] for i in axes]))


def _expand(grad, shape, axes, keepdim):
    """The output gradient broadcast back to the input's shape."""
    if not keepdim and axes is not None:
        grad = np.expand_dims(grad, axes)
    out = np.empty(shape, dtype=grad.dtype)  # (np.broadcast_to costs more on small tensors)
    out[...] = grad
    return out


def _deviations(a, axes, correction):
    """a - mean(a) over axes, and var's divisor n - correction (0 when n <= correction: the
    result is then inf or nan, as in torch; arrays divide by 0 without raising)."""
    n = _count(a.shape, axes)
    return a - a.sum(axis=axes, keepdims=True) / n, float(n - correction) if n > correction else 0.0


class Sum(Function):
    """out = sum(a) over all elements;  da = grad (broadcast back: each a entered once)"""
    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False, dtype=None):
        ctx.shape, ctx.axes, ctx.keepdim = a.shape, axes, keepdim
        return dtypes.widen(a).sum(axis=axes, keepdims=keepdim, dtype=dtype).astype(
            dtype or a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return _expand(grad, ctx.shape, ctx.axes, ctx.keepdim)


class SumDim(Sum):
    """out = sum(a) over the dims given;  da = grad (broadcast back over those dims)"""
    node_name = "SumBackward1"


class Mean(Function):
    """out = sum(a) / n over all elements;  da = grad / n"""
    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False):
        ctx.shape, ctx.axes, ctx.keepdim = a.shape, axes, keepdim
        ctx.count = _count(a.shape, axes)
        out = dtypes.widen(a).sum(axis=axes, keepdims=keepdim) / ctx.count
        return out.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return _expand(grad / ctx.count, ctx.shape, ctx.axes, ctx.keepdim)


class MeanDim(Mean):
    """out = sum(a) / n over the dims given;  da = grad / n"""
    node_name = "MeanBackward1"


class Var(Function):
    """out = sum((a - mean)^2) / (n - correction);  da = grad * 2 (a - mean) / (n - correction)"""
    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, correction=1, keepdim=False):
        ctx.save_for_backward(a)
        ctx.axes, ctx.keepdim = axes, keepdim
        ctx.centered, ctx.dof = _deviations(dtypes.widen(a), axes, correction)
        out = (ctx.centered * ctx.centered).sum(axis=axes, keepdims=keepdim) / ctx.dof
        return out.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return _expand(grad, a.shape, ctx.axes, ctx.keepdim) * 2 * ctx.centered / ctx.dof


class Std(Function):
    """out = sqrt(var(a));  da = grad * (a - mean) / ((n - correction) * out)  (0 where out = 0)"""
    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, a, axes=None, correction=1, keepdim=False):
        ctx.axes, ctx.keepdim, ctx.shape = axes, keepdim, a.shape
        ctx.centered, ctx.dof = _deviations(dtypes.widen(a), axes, correction)
        out = np.sqrt((ctx.centered * ctx.centered).sum(axis=axes, keepdims=keepdim) / ctx.dof)
        out = out.astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        g = _expand(np.where(out == 0, 0, grad / out), ctx.shape, ctx.axes, ctx.keepdim)
        return g * ctx.centered / ctx.dof


class Amax(Function):
    """out = max(a) over axes;  da = grad * (a == out) / count(a == out)

    Tied maxima share the gradient evenly. The mask multiplies, as in torch: a nan or inf
    gradient reaches every input (0 * nan is nan), and a nan maximum matches no input."""
    node_name = "AmaxBackward0"
    extreme = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a, axes=None, keepdim=False):
        out = ctx.extreme(a, axis=axes, keepdims=keepdim)
        ctx.save_for_backward(a, out)
        ctx.axes, ctx.keepdim = axes, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        hit = a == _expand(out, a.shape, ctx.axes, ctx.keepdim)
        count = hit.sum(axis=ctx.axes, keepdims=True)
        return hit * (_expand(grad, a.shape, ctx.axes, ctx.keepdim) / count)


class Amin(Amax):
    """out = min(a) over axes;  da = grad * (a == out) / count(a == out)"""
    node_name = "AminBackward0"
    extreme = staticmethod(np.min)


class Max(Function):
    """out = max(a) of all elements;  da = grad / count(a == out) where a == out, else 0

    A nan maximum is where the nans are. The gradient is selected onto those places, as
    torch's max() does (a nan gradient stays there; amax's mask multiplies instead)."""
    node_name = "MaxBackward1"
    extreme = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a):
        out = ctx.extreme(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        hit = np.isnan(a) if np.isnan(out) else a == out
        return np.where(hit, grad / hit.sum(), 0)


class Min(Max):
    """out = min(a) of all elements;  da = grad / count(a == out) where a == out, else 0"""
    node_name = "MinBackward1"
    extreme = staticmethod(np.min)


class MaxDim(Function):
    """values, indices = max of a along dim;  da = grad at the index returned, 0 elsewhere"""
    node_name = "MaxBackward0"
    arg_extreme = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, a, dim=0, keepdim=False):
        if dim is None:  # a 0-d tensor: its one value, at index 0
            ctx.shape, ctx.idx, ctx.dim = a.shape, np.zeros((1,), np.int64), 0
            return a.copy(), np.zeros((), np.int64)
        idx = np.expand_dims(ctx.arg_extreme(a, axis=dim), dim)
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


class MinDim(MaxDim):
    """values, indices = min of a along dim;  da = grad at the index returned, 0 elsewhere"""
    node_name = "MinBackward0"
    arg_extreme = staticmethod(np.argmin)


class Logsumexp(Function):
    """out = log(sum(exp(a))) over axes;  da = grad * exp(a - out)  (= grad * softmax(a))"""
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
    """out = (sum |a|^p)^(1/p) over axes;  da = grad * a |a|^(p-2) / out^(p-1)

    p = 1: da = grad * sign(a);  p = inf (out = max |a|): grad * sign(a) shared evenly
    among the largest |a|;  p = 0 (how many are not zero): no gradient. A zero norm gets
    a zero gradient."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p=2, axes=None, keepdim=False):
        ctx.p, ctx.axes, ctx.keepdim = p, axes, keepdim
        mag = np.abs(dtypes.widen(a))
        if p == np.inf:
            out = mag.max(axis=axes, keepdims=True, initial=0)
        elif p == 0:
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
            return None  # (torch leaves .grad unset too)
        g = _expand(grad, a.shape, ctx.axes, ctx.keepdim)
        if p == np.inf:
            hit = np.abs(a) == out
            return g * np.sign(a) * hit / hit.sum(axis=ctx.axes, keepdims=True)
        if p == 1:
            return g * np.sign(a)
        scale = np.where(out == 0, 0, 1 / np.where(out == 0, 1, out) ** (p - 1))
        return g * a * np.abs(a) ** (p - 2) * scale if p != 2 else g * a * scale
