"""Reductions: sum, mean, var, std, max/min (with and without dim), amax/amin, logsumexp,
argmax/argmin.

Backward of a reduction broadcasts the output's gradient back over the reduced axes
(`_expand`); keepdim only changes whether those axes are still there.
"""
import collections

import numpy as np

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor
from .elementwise import maximum, minimum


def _axes(input, dim):
    """Normalised reduction axes: None (all) or a tuple of non-negative dims."""
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if len(dims) == 0:
        return None
    axes = tuple(input._dim(d) for d in dims)
    if input.ndim == 0:
        return None  # dim 0 (or -1) of a 0-d tensor: reducing it leaves the value as it is
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"dim {axes[0]} appears multiple times in the list of dims")
    return axes


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


# ---- the functions users call ------------------------------------------------------------

def sum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input, dtype = input.to(dtype), None
    elif input._data.dtype.kind in "biu":
        dtype = np.int64  # torch sums integers and bools as int64
    return Sum.apply(input, axes=_axes(input, dim), keepdim=keepdim, dtype=dtype)


def _need_float(input, op):
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"{op}(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: "
                           f"{dtypes.scalar_name(input._data.dtype)}")


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    _need_float(input, "mean")
    return Mean.apply(input, axes=_axes(input, dim), keepdim=keepdim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def _need_float_var(input):
    if input._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    _need_float_var(input)
    if isinstance(dim, bool):  # var(unbiased) form
        dim, unbiased = None, dim
    return Var.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    _need_float_var(input)
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return Std.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def _empty_check(input, op, dim=None):
    """torch's IndexError for reducing over nothing."""
    if input._data.size == 0 and dim is None:
        raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0.")
    if input._data.size == 0 and input._data.shape[dim] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {dim} to have non-zero size.")


class return_types:
    """torch.return_types: the named tuples of max/min with a dim."""

    class max(collections.namedtuple("max", ["values", "indices"])):
        def __repr__(self):
            return f"minitorch.return_types.max(\nvalues={self.values!r},\nindices={self.indices!r})"

    class min(collections.namedtuple("min", ["values", "indices"])):
        def __repr__(self):
            return f"minitorch.return_types.min(\nvalues={self.values!r},\nindices={self.indices!r})"


def _extreme(input, dim, keepdim, op):
    """max or min: of all elements, along dim as (values, indices), or of two tensors."""
    if isinstance(dim, Tensor):
        return (maximum if op == "max" else minimum)(input, dim)
    name, reduce, arg = ("Max", np.max, np.argmax) if op == "max" else ("Min", np.min, np.argmin)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(f"{op}(): Expected reduction dim to be specified for input.numel() "
                               "== 0. Specify the reduction dim with the 'dim' argument.")
        return Amax.apply(input, name=f"{name}Backward1", reduce=reduce)
    d = input._dim(dim)
    _empty_check(input, op, d)
    values, indices = MaxDim.apply(input, dim=d if input.ndim else None, keepdim=keepdim,
                                   name=f"{name}Backward0", arg=arg)
    return getattr(return_types, op)(values, indices)


def max(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, "min")


def amax(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, "amax")


def amin(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, "amin")


def _amax(input, dim, keepdim, op):
    axes = _axes(input, dim)
    for d in axes or range(input.ndim):
        _empty_check(input, op, d)
    return Amax.apply(input, axes=axes, keepdim=keepdim, name=f"{op.capitalize()}Backward0",
                      reduce=np.max if op == "amax" else np.min)


def _arg_extreme(input, dim, keepdim, op):
    """argmax/argmin: the flat index of all elements, or the indices along dim (int64)."""
    if input._data.dtype == np.bool_:
        raise RuntimeError(f"{op}(): does not support bool input")
    find = np.argmax if op == "argmax" else np.argmin
    if dim is None or input.ndim == 0:
        _empty_check(input, op)
        index = np.asarray(find(input._data), dtype=np.int64)
        return Tensor._make(index.reshape((1,) * input.ndim) if keepdim else index)
    d = input._dim(dim)
    _empty_check(input, op, d)
    return Tensor._make(find(input._data, axis=d, keepdims=keepdim).astype(np.int64))


def argmax(input, dim=None, keepdim=False):
    return _arg_extreme(input, dim, keepdim, "argmax")


def argmin(input, dim=None, keepdim=False):
    return _arg_extreme(input, dim, keepdim, "argmin")


def logsumexp(input, dim, keepdim=False):
    if input._data.dtype.kind != "f":
        input = input.to(dtypes.float32)
    return Logsumexp.apply(input, axes=_axes(input, dim), keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector p-norm (2 unless p says otherwise; 'fro' is 2) over all elements or dims."""
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {dtypes.scalar_name(input._data.dtype)}")
    p = 2 if p in ("fro", None) else float(p)
    return Norm.apply(input, p=p, axes=_axes(input, dim), keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    return Tensor._make(np.all(input._data, axis=_axes(input, dim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    return Tensor._make(np.any(input._data, axis=_axes(input, dim), keepdims=keepdim))
