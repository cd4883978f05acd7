"""torch's surface for reductions: dim/keepdim forms, dtype rules, checks, and which node
a call makes (torch names sum() of all elements and sum over dims differently).

The math is in ops/reduce.py.
"""
import collections

import numpy as np

from .. import dtypes, errors
from ..ops.reduce import (Amax, Amin, Logsumexp, Max, MaxDim, Mean, MeanDim, Min, MinDim, Norm,
                          Std, Sum, SumDim, Var)
from ..tensor_base import TensorBase
from .elementwise import maximum, minimum


def _axes(input, dim):
    """The reduction axes of a dim argument: None (all) or a tuple of non-negative dims."""
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if len(dims) == 0:
        return None
    axes = tuple(input._dim(d) for d in dims)
    if input.ndim == 0:
        return None  # dim 0 (or -1) of a 0-d tensor: reducing it leaves the value as it is
    if len(set(axes)) != len(axes):
        raise errors.dim_repeated(next(d for i, d in enumerate(axes) if d in axes[:i]))
    return axes


def _check_float(input, op):
    if input._data.dtype.kind != "f":
        raise errors.reduction_of_non_float(op, input._data.dtype)


def _check_not_empty(input, op, dim=None):
    """torch's IndexError for reducing over nothing: all of an empty tensor, or a dim of size 0."""
    if input._data.size == 0 and (dim is None or input._data.shape[dim] == 0):
        raise errors.reduction_over_empty(op, dim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def _values_indices_repr(self):
    return (f"minitorch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
            f"indices={self.indices!r})")


class return_types:
    """torch.return_types: the named tuples max and min return along a dim."""

    class max(collections.namedtuple("max", ["values", "indices"])):
        __repr__ = _values_indices_repr

    class min(collections.namedtuple("min", ["values", "indices"])):
        __repr__ = _values_indices_repr


# ---- the functions users call ------------------------------------------------------------

def sum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input, dtype = input.to(dtype), None
    elif input._data.dtype.kind in "biu":
        dtype = np.int64  # torch sums integers and bools as int64
    return (Sum if dim is None else SumDim).apply(input, axes=_axes(input, dim), keepdim=keepdim,
                                                  dtype=dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    _check_float(input, "mean")
    return (Mean if dim is None else MeanDim).apply(input, axes=_axes(input, dim), keepdim=keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if input._data.dtype.kind != "f":
        raise errors.var_of_non_float()
    if isinstance(dim, bool):  # the var(unbiased) form
        dim, unbiased = None, dim
    return Var.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if input._data.dtype.kind != "f":
        raise errors.var_of_non_float()
    if isinstance(dim, bool):  # the std(unbiased) form
        dim, unbiased = None, dim
    return Std.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def max(input, dim=None, keepdim=False):
    """max of all elements, (values, indices) along dim, or the elementwise max of two tensors."""
    if isinstance(dim, TensorBase):
        return maximum(input, dim)
    return _extreme(input, dim, keepdim, "max", Max, MaxDim, return_types.max)


def min(input, dim=None, keepdim=False):
    if isinstance(dim, TensorBase):
        return minimum(input, dim)
    return _extreme(input, dim, keepdim, "min", Min, MinDim, return_types.min)


def _extreme(input, dim, keepdim, op, of_all, along_dim, values_indices):
    if dim is None:
        if input._data.size == 0:
            raise errors.extreme_of_empty(op)
        return of_all.apply(input)
    d = input._dim(dim)
    _check_not_empty(input, op, d)
    return values_indices(*along_dim.apply(input, dim=d if input.ndim else None, keepdim=keepdim))


def amax(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, "amax", Amax)


def amin(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, "amin", Amin)


def _amax(input, dim, keepdim, op, node):
    axes = _axes(input, dim)
    if axes is None and input._data.size == 0:
        raise errors.extreme_of_empty(op)
    for d in axes or ():
        _check_not_empty(input, op, d)
    return node.apply(input, axes=axes, keepdim=keepdim)


def argmax(input, dim=None, keepdim=False):
    return _arg_extreme(input, dim, keepdim, "argmax", np.argmax)


def argmin(input, dim=None, keepdim=False):
    return _arg_extreme(input, dim, keepdim, "argmin", np.argmin)


def _arg_extreme(input, dim, keepdim, op, find):
    """The flat index of all elements, or the indices along dim (int64; no gradient)."""
    if input._data.dtype == np.bool_:
        raise errors.arg_extreme_of_bool(op)
    if dim is None or input.ndim == 0:
        _check_not_empty(input, op)
        index = np.asarray(find(input._data), dtype=np.int64)
        return input._wrap(index.reshape((1,) * input.ndim) if keepdim else index)
    d = input._dim(dim)
    _check_not_empty(input, op, d)
    return input._wrap(find(input._data, axis=d, keepdims=keepdim).astype(np.int64))


def logsumexp(input, dim, keepdim=False):
    if input._data.dtype.kind != "f":
        input = input.to(dtypes.float32)
    return Logsumexp.apply(input, axes=_axes(input, dim), keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector p-norm (2 unless p says otherwise; 'fro' is 2) over all elements or dims."""
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind != "f":
        raise errors.norm_of_non_float(input._data.dtype)
    p = 2 if p in ("fro", None) else float(p)
    return Norm.apply(input, p=p, axes=_axes(input, dim), keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    return input._wrap(np.all(input._data, axis=_axes(input, dim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    return input._wrap(np.any(input._data, axis=_axes(input, dim), keepdims=keepdim))
