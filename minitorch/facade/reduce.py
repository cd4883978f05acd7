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
from .out import (bool_dtype, castable, castable_directly, exact_dtype, float_dtype, input_dtype,
                  max_castable, mean_castable, write_out)


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
    """torch.return_types: the named tuples max and min return along a dim (and topk and
    sort, facade/indexing.py)."""

    class max(collections.namedtuple("max", ["values", "indices"])):
        __repr__ = _values_indices_repr

    class min(collections.namedtuple("min", ["values", "indices"])):
        __repr__ = _values_indices_repr

    class max_out(collections.namedtuple("max_out", ["values", "indices"])):  # (given out=)
        __repr__ = _values_indices_repr

    class min_out(collections.namedtuple("min_out", ["values", "indices"])):
        __repr__ = _values_indices_repr

    class topk(collections.namedtuple("topk", ["values", "indices"])):
        __repr__ = _values_indices_repr

    class sort(collections.namedtuple("sort", ["values", "indices"])):
        __repr__ = _values_indices_repr


# ---- the functions users call ------------------------------------------------------------

def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    if out is not None:  # computed in out's dtype unless dtype says (another: refused)
        return write_out(out, "sum", sum, input, dim, keepdim, check=exact_dtype,
                         dtype=out.dtype if dtype is None else dtype)
    if dtype is not None:
        input, dtype = input.to(dtype), None
    elif input._data.dtype.kind in "biu":
        dtype = np.int64  # torch sums integers and bools as int64
    return (Sum if dim is None else SumDim).apply(input, axes=_axes(input, dim), keepdim=keepdim,
                                                  dtype=dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    if out is not None:
        if dtype is not None:
            return write_out(out, "mean", mean, input, dim, keepdim, dtype=dtype, check=exact_dtype)
        # computed in out's dtype, where the input's float result casts into it
        if dim is not None:  # (mean(dim)'s own check comes first; mean()'s comes later)
            _check_float(input, "mean")
        return write_out(out, "mean", mean, input, dim, keepdim,
                         dtype=out.dtype if input.is_floating_point() else None,
                         check=mean_castable if dim is None else castable,
                         result_dtype=input._data.dtype)
    if dtype is not None:
        input = input.to(dtype)
    _check_float(input, "mean")
    return (Mean if dim is None else MeanDim).apply(input, axes=_axes(input, dim), keepdim=keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    if out is not None:
        return write_out(out, "var", var, input, dim, unbiased, keepdim, correction=correction,
                         check=castable_directly)
    if input._data.dtype.kind != "f":
        raise errors.var_of_non_float()
    if isinstance(dim, bool):  # the var(unbiased) form
        dim, unbiased = None, dim
    return Var.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    if out is not None:
        return write_out(out, "std", std, input, dim, unbiased, keepdim, correction=correction,
                         check=castable_directly)
    if input._data.dtype.kind != "f":
        raise errors.var_of_non_float()
    if isinstance(dim, bool):  # the std(unbiased) form
        dim, unbiased = None, dim
    return Std.apply(input, axes=_axes(input, dim), correction=_correction(unbiased, correction),
                     keepdim=keepdim)


def max(input, dim=None, keepdim=False, *, out=None):
    """max of all elements, (values, indices) along dim, or the elementwise max of two tensors."""
    if out is not None:
        return _extreme_into(out, "max", max, input, dim, keepdim, return_types.max_out)
    if isinstance(dim, TensorBase):
        return maximum(input, dim)
    return _extreme(input, dim, keepdim, "max", Max, MaxDim, return_types.max)


def min(input, dim=None, keepdim=False, *, out=None):
    if out is not None:
        return _extreme_into(out, "min", min, input, dim, keepdim, return_types.min_out)
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


def _extreme_into(out, name, function, input, dim, keepdim, values_indices):
    """max/min with out=: of two tensors (torch names maximum), of all elements, or
    (values, indices) along dim into out's two tensors."""
    if isinstance(dim, TensorBase):
        return write_out(out, f"{name}imum", function, input, dim)
    if dim is None:
        return write_out(out, name, function, input, check=max_castable)
    return values_indices(*write_out(out, name, function, input, dim, keepdim,
                                     check=(exact_dtype, exact_dtype)))


def amax(input, dim=(), keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "amax", amax, input, dim, keepdim, check=input_dtype)
    return _amax(input, dim, keepdim, "amax", Amax)


def amin(input, dim=(), keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "amin", amin, input, dim, keepdim, check=input_dtype)
    return _amax(input, dim, keepdim, "amin", Amin)


def _amax(input, dim, keepdim, op, node):
    axes = _axes(input, dim)
    if axes is None and input._data.size == 0:
        raise errors.extreme_of_empty(op)
    for d in axes or ():
        _check_not_empty(input, op, d)
    return node.apply(input, axes=axes, keepdim=keepdim)


def argmax(input, dim=None, keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "argmax", argmax, input, dim, keepdim, check=exact_dtype,
                         differentiable=False)
    return _arg_extreme(input, dim, keepdim, "argmax", np.argmax)


def argmin(input, dim=None, keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "argmin", argmin, input, dim, keepdim, check=exact_dtype,
                         differentiable=False)
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


def logsumexp(input, dim, keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "logsumexp", logsumexp, input, dim, keepdim, check=float_dtype)
    if input._data.dtype.kind != "f":
        input = input.to(dtypes.float32)
    return Logsumexp.apply(input, axes=_axes(input, dim), keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The vector p-norm (2 unless p says otherwise; 'fro' is 2) over all elements or dims."""
    if out is not None:
        return write_out(out, "linalg_vector_norm", norm, input, p, dim, keepdim, dtype=dtype,
                         check=exact_dtype)
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind != "f":
        raise errors.norm_of_non_float(input._data.dtype)
    p = 2 if p in ("fro", None) else float(p)
    return Norm.apply(input, p=p, axes=_axes(input, dim), keepdim=keepdim)


def all(input, dim=None, keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "all", all, input, dim, keepdim, check=bool_dtype,
                         differentiable=False)
    return input._wrap(np.all(input._data, axis=_axes(input, dim), keepdims=keepdim))


def any(input, dim=None, keepdim=False, *, out=None):
    if out is not None:
        return write_out(out, "any", any, input, dim, keepdim, check=bool_dtype,
                         differentiable=False)
    return input._wrap(np.any(input._data, axis=_axes(input, dim), keepdims=keepdim))
