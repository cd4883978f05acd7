"""Indexing and sorting: gather, scatter (and its add / reduce forms), index_select,
masked_fill, topk, sort.

These ops move values around without changing them, so every derivative is the same
move run backwards: a value read from place p hands its gradient back to place p (added
up where one place was read several times); a place that was overwritten passes no
gradient to the value it lost.

gather and scatter address places with an `index` array along one dim: element p of
index names the place p with its `dim` coordinate replaced by index[p] (`_places`).
The facade has checked the index (integer dtype, in bounds, sizes that fit), so the
arrays here are valid.
"""
import numpy as np

from ..autograd.function import Function


def _places(index, dim):
    """The numpy index of the places `index` addresses along dim: the coordinates of each
    element of index, with the dim-th one replaced by the element's value. (Row-major, so
    that numpy visits index in order: where two elements name one place, the later write
    wins, as in torch's loop.)"""
    grid = list(np.ogrid[tuple(slice(n) for n in index.shape)])
    grid[dim] = np.ascontiguousarray(index)
    return tuple(grid)


def _leading(array, shape):
    """The block of `array` at the start of every dim, of `shape` (src may be larger than
    the index: only its first index.shape elements are used), row-major."""
    return np.ascontiguousarray(array if array.shape == shape else
                                array[tuple(slice(n) for n in shape)])


def _as_1d(array):
    """A 0-d array as a 1-element one (torch treats a 0-d tensor as one element along dim 0)."""
    return array.reshape(1) if array.ndim == 0 else array


# ---- gather and scatter ---------------------------------------------------------------------

class Gather(Function):
    """out[p] = a[p with p[dim] = index[p]];  da = zeros, with grad[p] added at those places
    (a place read twice gets both gradients)"""
    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, a, index=None, dim=0):
        ctx.save_for_backward(index)
        ctx.shape, ctx.dim = a.shape, dim
        if index.size == 0:
            return np.empty(index.shape, dtype=a.dtype)
        return _as_1d(a)[_places(_as_1d(index), dim)].reshape(index.shape)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        if index.size:
            np.add.at(_as_1d(out), _places(_as_1d(index), ctx.dim), _as_1d(grad))
        return out


class Scatter(Function):
    """out = a, with out[p with p[dim] = index[p]] = src[p] (the last write wins);
    da = grad, zero at the places written;  dsrc[p] = grad at the place src[p] was written to
    (of index's shape, as torch's: where src is larger, the engine refuses that gradient)"""
    node_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, a, src, index=None, dim=0):
        ctx.save_for_backward(index)
        ctx.dim = dim
        return _scattered(a, index, dim, src)

    @staticmethod
    def backward(ctx, grad):
        return _unwritten(ctx, grad), _read_back(ctx, grad)


class ScatterValue(Function):
    """out = a, with value written at the places index names;  da = grad, zero at those places"""
    node_name = "ScatterBackward1"

    @staticmethod
    def forward(ctx, a, index=None, dim=0, value=0):
        ctx.save_for_backward(index)
        ctx.dim = dim
        return _scattered(a, index, dim, value)

    @staticmethod
    def backward(ctx, grad):
        return _unwritten(ctx, grad)


class ScatterAdd(Function):
    """out = a, with src[p] added at the place p with p[dim] = index[p];
    da = grad;  dsrc[p] = grad at the place src[p] was added to"""
    node_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, a, src, index=None, dim=0):
        ctx.save_for_backward(index)
        ctx.dim = dim
        return _scattered(a, index, dim, src, combine=np.add)

    @staticmethod
    def backward(ctx, grad):
        return grad, _read_back(ctx, grad)


class ScatterReduce(Function):
    """out = a, with src[p] (or a value) added to / multiplied into the place p with
    p[dim] = index[p]  (reduce = np.add or np.multiply).

    torch defines no derivative for scatter with reduce=: its node is NotImplemented, and
    backward through it is an error (the facade's subclass raises torch's)."""
    node_name = "NotImplemented"

    def name(self):
        return "torch::autograd::NotImplemented"  # torch's own name for this C++ node

    @staticmethod
    def forward(ctx, a, *src, index=None, dim=0, reduce=np.add, value=None):
        return _scattered(a, index, dim, src[0] if src else value, combine=reduce)


def _scattered(a, index, dim, values, combine=None):
    """A copy of a with `values` written at the places index names, or combined into them
    (combine = np.add, np.multiply: repeated places combine every value). values: an array
    (its leading block of index's shape is used) or one number."""
    out = np.array(a, copy=True, order="C")
    if index.size:
        index = _as_1d(index)
        if isinstance(values, np.ndarray):
            values = _leading(_as_1d(values), index.shape)
        if combine is None:
            _as_1d(out)[_places(index, dim)] = values
        else:
            combine.at(_as_1d(out), _places(index, dim), values)
    return out


def _unwritten(ctx, grad):
    """The gradient of what scatter kept of a: grad, zero where a was overwritten."""
    (index,) = ctx.saved
    out = np.array(grad, copy=True)
    if index.size:
        _as_1d(out)[_places(_as_1d(index), ctx.dim)] = 0
    return out


def _read_back(ctx, grad):
    """The gradient of src: grad read at the places src was written to (gather), of
    index's shape."""
    (index,) = ctx.saved
    if not index.size:
        return np.zeros(index.shape, dtype=grad.dtype)
    return _as_1d(grad)[_places(_as_1d(index), ctx.dim)].reshape(index.shape)


# ---- index_select and masked_fill ----------------------------------------------------------

class IndexSelect(Function):
    """out = the slices a[..., index[i], ...] along dim, in index's order;
    da = zeros, with each slice's gradient added back at index[i] (repeats add up)"""
    node_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, a, index=None, dim=0):
        ctx.save_for_backward(index)
        ctx.shape, ctx.dim = a.shape, dim
        if a.ndim == 0:
            return a.copy()  # (the one index is 0: the one value)
        return np.take(a, index.reshape(-1), axis=dim)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved
        if not ctx.shape:
            return grad
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        np.add.at(out, (slice(None),) * ctx.dim + (index.reshape(-1),), grad)
        return out


class MaskedFill(Function):
    """out = value where mask, else a (mask and a broadcast);  da = grad where not mask, else 0"""
    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, a, mask=None, value=0):
        ctx.save_for_backward(mask)
        return np.where(mask, np.asarray(value, dtype=a.dtype), a)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved
        return np.where(mask, np.zeros((), dtype=grad.dtype), grad)


class MaskedFillTensor(Function):
    """out = value where mask, else a, value a 0-d tensor;
    da = grad where not mask, else 0;  dvalue = sum of grad where mask"""
    node_name = "MaskedFillBackward1"

    @staticmethod
    def forward(ctx, a, value, mask=None):
        ctx.save_for_backward(mask)
        return np.where(mask, value.astype(a.dtype), a)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved
        zero = np.zeros((), dtype=grad.dtype)
        return np.where(mask, zero, grad), np.where(mask, grad, zero).sum()


# ---- sorting ----------------------------------------------------------------------------------

def sorting_order(a, dim, descending=False):
    """The indices that sort a along dim, stably: equal values keep their order, and nan
    counts as larger than every number (first when descending, last when ascending)."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable").astype(np.int64, copy=False)
    # descending and stable: sort the reversed array ascending and read the result backwards,
    # so equal values come out in their original order (negating would not do for unsigned
    # and bool arrays, nor put nan first)
    reversed_order = np.argsort(np.flip(a, dim), axis=dim, kind="stable")
    return (a.shape[dim] - 1 - np.flip(reversed_order, dim)).astype(np.int64, copy=False)


class Sort(Function):
    """values, indices = a sorted along dim;  da = zeros, with grad put back at indices
    (each value returns its gradient to where it came from)"""
    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, a, dim=0, descending=False, count=None):
        ctx.shape, ctx.dim = a.shape, dim
        if a.ndim == 0:  # one value: itself, at index 0
            ctx.save_for_backward(np.zeros((1,), dtype=np.int64))
            return a.copy(), np.zeros((), dtype=np.int64)
        indices = sorting_order(a, dim, descending)
        if count is not None:
            indices = np.take(indices, np.arange(count), axis=dim)
        ctx.save_for_backward(indices)
        return np.take_along_axis(a, indices, axis=dim), indices

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        np.put_along_axis(_as_1d(out), indices, _as_1d(grad), axis=ctx.dim)
        return out


class SortStable(Sort):
    """sort called with stable= (torch names that form's node differently)."""
    node_name = "SortBackward1"


class Topk(Sort):
    """values, indices = the k largest (or smallest) of a along dim, in order (the first
    `count` of the sort);  da = zeros, with grad put back at indices"""
    node_name = "TopkBackward0"
