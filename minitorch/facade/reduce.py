"""torch's surface for reductions: dim/keepdim forms, dtype rules, checks.

The math is in ops/reduce.py.
"""
import collections

import numpy as np

from .. import dtypes, errors
from ..ops.reduce import Amax, Logsumexp, MaxDim, Mean, Norm, Std, Sum, Var
from ..tensor_base import TensorBase
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
    if isinstance(dim, TensorBase):
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
        return input._wrap(index.reshape((1,) * input.ndim) if keepdim else index)
    d = input._dim(dim)
    _empty_check(input, op, d)
    return input._wrap(find(input._data, axis=d, keepdims=keepdim).astype(np.int64))


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
    return input._wrap(np.all(input._data, axis=_axes(input, dim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    return input._wrap(np.any(input._data, axis=_axes(input, dim), keepdims=keepdim))
