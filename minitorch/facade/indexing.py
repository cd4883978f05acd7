"""torch's surface for indexing and sorting: gather, scatter (src, value and reduce= forms,
in place or not), scatter_add, index_select, masked_fill, topk, sort, argsort, one_hot.

Each function checks its arguments as torch does, in torch's order (the index's dtype,
its number of dims and sizes, then its values; the first index out of bounds is the one
torch's kernel meets first, in row-major order), then runs one op of ops/indexing.py.
The index and mask tensors are options of the op, not operands (torch's nodes list only
the tensors a gradient flows to); the node checks their versions at backward all the same
(`_saved_for_backward`), as torch does for the tensors it saves.
"""
import math
import warnings

import numpy as np

from .. import errors
from ..autograd.views import apply_inplace, check_fits, saved_version
from ..ops.indexing import (Gather, IndexSelect, MaskedFill, MaskedFillTensor, Scatter,
                            ScatterAdd, ScatterReduce, ScatterValue, Sort, SortStable, Topk,
                            sorting_order)
from ..tensor_base import TensorBase
from .reduce import return_types

_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


def _tensor_argument(function, argument, value):
    if not isinstance(value, TensorBase):
        raise errors.argument_not_a_tensor(function, argument, value)
    return value


def _int_argument(function, argument, value):
    """An int argument: a Python or numpy integer, or an integer 0-d tensor (not a bool)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, TensorBase) and value.ndim == 0 and value._data.dtype.kind in "iu":
        return int(value._data)
    raise errors.argument_not_an_int(function, argument, value)


def _saved_for_backward(result, *tensors):
    """torch saves these tensors (an index, a mask, topk's indices) for backward and refuses
    to run it once one has been changed in place: have result's node check their versions
    as it checks its operands' (Node.check_saved)."""
    node = result.grad_fn
    if node is not None:
        node.saved_versions = (*node.saved_versions, *map(saved_version, tensors))
    return result


def _check_in_bounds(index, dim, size):
    """gather's and scatter's kernels stop at the first index outside [0, size)."""
    outside = (index < 0) | (index >= size)
    if outside.any():
        raise errors.scatter_gather_index_out_of_bounds(int(index[outside][0]), dim, size)


def _nonempty_shape(tensor):
    """torch's rule for gather and scatter: a 0-d tensor counts as one element along dim 0."""
    return tensor.shape or (1,)


def checked_value(value, np_dtype):
    """A number (or a 0-d tensor's value) as a scalar of np_dtype, refused as torch's checked
    conversion refuses it: a float outside the type's range, nan or inf into an integer type,
    a complex number with an imaginary part. Negative ints may wrap into unsigned types (-1 is
    255 in uint8, as in two's complement) down to -max; floats into integers truncate."""
    if isinstance(value, TensorBase):
        value = value._data.item()
    elif isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (bool, int, float, complex)):
        raise errors.fill_value_not_a_number(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= 2 ** 64:
            raise errors.int_too_big()
        if value < -2 ** 63:
            raise errors.int_too_negative()
    if np_dtype.kind == "b" or isinstance(value, bool):
        return np_dtype.type(bool(value) if np_dtype.kind == "b" else int(value))
    if isinstance(value, complex):
        if value.imag != 0:
            raise errors.value_overflows(np_dtype)
        value = value.real
    if np_dtype.kind == "f":
        limit = float(np.finfo(np_dtype).max)
        if not (math.isinf(value) or math.isnan(value)) and abs(value) > limit:
            raise errors.value_overflows(np_dtype)
        return np_dtype.type(value)
    info = np.iinfo(np_dtype)
    if isinstance(value, float):
        if math.isnan(value) or value < float(info.min) or value > float(info.max):
            raise errors.value_overflows(np_dtype)
        return np_dtype.type(int(value))
    wraps = np_dtype.kind == "u" and -value <= info.max
    if value > info.max or (value < info.min and not wraps):
        raise errors.value_overflows(np_dtype)
    return np.array(value, dtype=np.uint64 if value >= 2 ** 63 else np.int64).astype(np_dtype)[()]


# ---- gather ---------------------------------------------------------------------------------

def gather(input, dim, index, *, sparse_grad=False):
    """out[p] = input[p with its dim-th coordinate replaced by index[p]]; out has index's shape.
    sparse_grad=True asks torch for a sparse gradient; minitorch has no sparse tensors and
    gives the same gradient dense."""
    _tensor_argument("gather", "index", index)
    dim = input._dim(dim)
    if index._data.size:
        if index._data.dtype not in _INDEX_DTYPES:
            raise errors.index_dtype_not_integer("gather")
        shape, index_shape = _nonempty_shape(input), _nonempty_shape(index)
        if len(index_shape) != len(shape):
            raise errors.index_ndim_mismatch("input")
        for d, (n, size) in enumerate(zip(index_shape, shape)):
            if d != dim and n > size:
                raise errors.gather_index_too_large(d, index.shape, input.shape, dim)
        _check_in_bounds(index._data, dim, shape[dim])
    return _saved_for_backward(Gather.apply(input, index=index._data, dim=dim), index)


# ---- scatter ----------------------------------------------------------------------------------

class ScatterReduceWithoutDerivative(ScatterReduce):
    """scatter with reduce=: torch records a NotImplemented node, which refuses backward."""

    @staticmethod
    def backward(ctx, grad):
        raise errors.derivative_not_implemented("aten::scatter")


_REDUCTIONS = {"add": np.add, "multiply": np.multiply}


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """out = input with src[p] (or value) written at p with its dim-th coordinate replaced
    by index[p]; reduce='add' or 'multiply' combines instead of writing (no gradient)."""
    if not isinstance(src, TensorBase) and src is not None and value is None:
        src, value = None, src  # scatter(input, dim, index, 2.5): the value form
    if isinstance(value, TensorBase):
        value = value._data.item()
    if (src is None) == (value is None):
        raise errors.scatter_invalid_arguments()
    if reduce is not None and src is not None:
        warnings.warn(errors.scatter_reduce_deprecated(), stacklevel=2)
    _tensor_argument("scatter", "index", index)
    dim = input._dim(dim)
    _check_scatter(input, dim, index, src)
    if reduce is not None and reduce not in _REDUCTIONS:
        raise errors.scatter_reduce_invalid()
    if index._data.size:
        _check_in_bounds(index._data, dim, _nonempty_shape(input)[dim])
        if src is None:
            value = checked_value(value, input._data.dtype)
    if reduce is not None:
        operands = (input,) if src is None else (input, src)
        return ScatterReduceWithoutDerivative.apply(*operands, index=index._data, dim=dim,
                                                    reduce=_REDUCTIONS[reduce], value=value)
    if src is None:
        out = ScatterValue.apply(input, index=index._data, dim=dim, value=value)
    else:
        out = Scatter.apply(input, src, index=index._data, dim=dim)
    return _saved_for_backward(out, index)


def scatter_(input, dim, index, src=None, *, value=None, reduce=None):
    return apply_inplace(input, scatter, dim, index, src, value=value, reduce=reduce)


def scatter_add(input, dim, index, src):
    """out = input with src[p] added at p with its dim-th coordinate replaced by index[p]."""
    _tensor_argument("scatter_add", "src", src)
    _tensor_argument("scatter_add", "index", index)
    dim = input._dim(dim)
    _check_scatter(input, dim, index, src)
    if index._data.size:
        _check_in_bounds(index._data, dim, _nonempty_shape(input)[dim])
    return _saved_for_backward(ScatterAdd.apply(input, src, index=index._data, dim=dim), index)


def scatter_add_(input, dim, index, src):
    return apply_inplace(input, scatter_add, dim, index, src)


def _check_scatter(input, dim, index, src):
    """torch's checks of scatter's arguments, in its order: dtypes, then (for an index that
    is not empty) the number of dims and the sizes (index no larger than input apart from
    dim, nor than src anywhere)."""
    if index._data.size and index._data.dtype not in _INDEX_DTYPES:
        raise errors.index_dtype_not_integer("scatter")
    if src is not None and src._data.dtype != input._data.dtype:
        raise errors.scatter_src_dtype_mismatch()
    if not index._data.size:
        return
    shape, index_shape = _nonempty_shape(input), _nonempty_shape(index)
    if len(index_shape) != len(shape):
        raise errors.index_ndim_mismatch("self")
    too_large = any(n > size for d, (n, size) in enumerate(zip(index_shape, shape)) if d != dim)
    if not too_large and src is not None:
        # (src.size(d) is torch's IndexError when src has fewer dims than the index)
        too_large = any(n > (src.size(d) if src.ndim else 1) for d, n in enumerate(index_shape))
    if src is not None:
        if len(_nonempty_shape(src)) != len(index_shape):
            raise errors.index_ndim_mismatch("src")
        if too_large:
            raise errors.scatter_index_too_large(index.shape, input.shape, dim, src.shape)
    elif too_large:
        raise errors.scatter_index_too_large(index.shape, input.shape, dim)


# ---- index_select -----------------------------------------------------------------------------

def index_select(input, dim, index):
    """The slices of input along dim at the positions index lists (a vector, or one 0-d
    index), in index's order."""
    _tensor_argument("index_select", "index", index)
    dim = input._dim(dim)
    positions = index._data
    if positions.ndim > 1:
        raise errors.index_select_index_not_vector()
    if input.ndim == 0 and positions.size != 1:
        raise errors.index_select_scalar_index_count(positions.size)
    if positions.dtype not in _INDEX_DTYPES:
        raise errors.index_select_index_dtype()
    _check_index_select_bounds(input, dim, positions)
    return _saved_for_backward(IndexSelect.apply(input, index=positions, dim=dim), index)


def _check_index_select_bounds(input, dim, positions):
    """torch's CPU kernels word an index out of range differently: for dim 1 of a tensor of
    2 or more dims, and for such a tensor when empty, one kernel checks every index first
    and names the one out of range; the other kernels stop at it and name nothing."""
    if input.ndim <= 1:
        size = input._data.size
    elif not positions.size:
        return  # (nothing is read)
    else:
        size = input.shape[dim]
        if size == 0:
            raise errors.index_select_empty_dim()
    outside = (positions < 0) | (positions >= size)
    if not outside.any():
        return
    if input.ndim > 1 and (dim == 1 or input._data.size == 0):
        raise errors.index_select_index_out_of_data_bounds(int(positions[outside][0]), size)
    raise errors.index_select_index_out_of_range()


# ---- masked_fill -------------------------------------------------------------------------------

def masked_fill(input, mask, value):
    """value where mask is True, input elsewhere (mask broadcasts against input). value is
    a number, or a 0-d tensor (which then gets a gradient: the sum of out's where mask)."""
    _tensor_argument("masked_fill", "mask", mask)
    try:
        np.broadcast_shapes(mask.shape, input.shape)
    except ValueError:
        raise errors.broadcast_mismatch(mask.shape, input.shape) from None
    _check_mask_and_value(mask, value)
    number = checked_value(value, input._data.dtype)
    if isinstance(value, TensorBase):
        out = MaskedFillTensor.apply(input, value, mask=mask._data)
    else:
        out = MaskedFill.apply(input, mask=mask._data, value=number)
    return _saved_for_backward(out, mask)


def masked_fill_(input, mask, value):
    """In place: mask must broadcast to input's shape (input's shape cannot grow)."""
    return apply_inplace(input, _masked_fill_in_place, mask, value)


def _masked_fill_in_place(input, mask, value):
    """masked_fill with the in-place form's checks first, in torch's order for it (run by
    apply_inplace after its own checks, as torch's come after its leaf check)."""
    _tensor_argument("masked_fill_", "mask", mask)
    _check_mask_and_value(mask, value)
    check_fits(input.shape, mask.shape)
    return masked_fill(input, mask, value)


def _check_mask_and_value(mask, value):
    if isinstance(value, TensorBase) and value.ndim != 0:
        raise errors.masked_fill_value_not_0d(value.ndim)
    if mask._data.dtype != np.bool_:
        raise errors.masked_fill_mask_not_bool(mask._data.dtype)


# ---- sorting --------------------------------------------------------------------------------

def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (largest=False: smallest) elements along dim and their indices, as
    return_types.topk(values, indices). nan counts as larger than every number.

    Among equal values minitorch returns the first ones (a stable order); torch's partial
    sort may pick others among them (the values are the same). sorted=False lets torch
    return the k in any order; minitorch returns them sorted."""
    k = _int_argument("topk", "k", k)
    dim = input._dim(dim)
    if not 0 <= k <= (input.shape[dim] if input.ndim else 1):
        raise errors.topk_k_out_of_range()
    if input._data.dtype == np.bool_:
        raise errors.topk_of_bool()
    values, indices = Topk.apply(input, dim=dim, descending=largest, count=k)
    return return_types.topk(_saved_for_backward(values, indices), indices)


_NOT_GIVEN = object()  # sort's `stable` left out (torch names that call's node differently)


def sort(input, dim=-1, descending=False, *, stable=_NOT_GIVEN):
    """input sorted along dim, and where each value came from, as return_types.sort(values,
    indices). nan counts as larger than every number. minitorch always sorts stably (equal
    values keep their order); torch does too for stable=True and for dims of up to 16
    elements, and may order equal values otherwise when stable is not asked for."""
    dim = input._dim(dim)
    node = Sort if stable is _NOT_GIVEN else SortStable
    values, indices = node.apply(input, dim=dim, descending=descending)
    return return_types.sort(_saved_for_backward(values, indices), indices)


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices that sort input along dim (sort's indices; no gradient)."""
    dim = input._dim(dim)
    if input.ndim == 0:
        return input._wrap(np.zeros((), dtype=np.int64))
    return input._wrap(sorting_order(input._data, dim, descending))


# ---- one_hot (torch.nn.functional.one_hot) ----------------------------------------------------

def one_hot(tensor, num_classes=-1):
    """int64 class indices of shape (*) -> a (*, num_classes) int64 tensor with a 1 at each
    class index; num_classes=-1 takes the largest index + 1. No gradient (integers)."""
    _tensor_argument("one_hot", "input", tensor)
    num_classes = _int_argument("one_hot", "num_classes", num_classes)
    classes = tensor._data
    if classes.dtype != np.int64:
        raise errors.one_hot_of_non_long()
    if classes.size == 0:
        if num_classes <= 0:
            raise errors.one_hot_classes_of_empty()
        return tensor._wrap(np.zeros(classes.shape + (num_classes,), dtype=np.int64))
    if classes.min() < 0:
        raise errors.one_hot_negative_class()
    if num_classes == -1:
        num_classes = int(classes.max()) + 1
    elif num_classes <= classes.max():
        raise errors.one_hot_too_few_classes()
    out = np.zeros(classes.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, classes[..., None], 1, axis=-1)
    return tensor._wrap(out)
