"""Shape ops: views (view, permute, expand, squeeze, unsqueeze, basic indexing and the pieces
of narrow/split/unbind), copies (reshape's copy, clone, cat, stack), advanced indexing, and
the writes `copy_`/`fill_`/`zero_`/`a[index] = values`.

None of these ops computes anything: each moves or picks elements. So each backward moves
the gradient back to where its elements came from, in the input's shape, and an element
picked twice (expand, a repeated index) gets the sum of its gradients.

A view's forward returns a numpy view of its input (`is_view = True`): the output shares
memory and version counter with the input (autograd/views.py). Autograd may run a view's
forward again on the base's array to re-derive the view, so it does nothing but return
the view and note what backward needs on ctx.

torch names some nodes after how the op was called (permute, transpose and t() all permute
dims; split's pieces are slices). Each such name is a subclass that sets only `node_name`.
"""
import numpy as np

from ..autograd.function import Function


# ---- views ---------------------------------------------------------------------------

class View(Function):
    """out = a with a new shape (same memory);  da = grad.reshape(a.shape)

    Where a's layout cannot take the shape without a copy, numpy's AttributeError goes up
    to the caller (the facade: torch's error for view, a copy for reshape)."""
    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape=()):
        ctx.shape = a.shape
        out = a.view()
        out.shape = shape  # numpy refuses exactly when a copy would be needed
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class UnsafeView(View):
    """reshape of a layout no view can express copies, as torch's _unsafe_view: the caller
    copies a first (Clone), then this gives the copy's memory the new shape without being a
    view to autograd (nothing else holds the copy);  da = grad.reshape(a.shape)"""
    node_name = "UnsafeViewBackward0"
    is_view = False


class Permute(Function):
    """out = a.transpose(dims);  da = grad.transpose(argsort(dims)), the inverse order"""
    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims=()):
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad):  # argsort(dims), for a few Python ints (np.argsort: 4x longer)
        return grad.transpose(sorted(range(len(ctx.dims)), key=ctx.dims.__getitem__))


class Transpose(Permute):
    """transpose(dim0, dim1): a permutation that swaps two dims."""
    node_name = "TransposeBackward0"


class T(Permute):
    """t(): a matrix transposed (a vector or a scalar unchanged)."""
    node_name = "TBackward0"


class Expand(Function):
    """out = a broadcast to shape (same memory);  da = sum of grad over the expanded dims
    (backward returns grad as it is: the engine's unbroadcast sums it back to a's shape)"""
    node_name = "ExpandBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape=()):
        if int(np.prod(shape)) == a.size:  # only size-1 dims change: a plain, writable view
            out = a.view()
            try:
                out.shape = shape
                return out
            except AttributeError:
                pass
        return np.broadcast_to(a, shape)  # read-only: its elements share memory

    @staticmethod
    def backward(ctx, grad):
        return grad


class Squeeze(Function):
    """squeeze(): out = a without its size-1 dims (those in `axes` only, when given);
    da = grad.reshape(a.shape)"""
    node_name = "SqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, axes=None):
        ctx.shape = a.shape
        return np.squeeze(a, axis=axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class SqueezeDim(Squeeze):
    """squeeze(dim)."""
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """squeeze((dim, ...))."""
    node_name = "SqueezeBackward2"


class Unsqueeze(Function):
    """out = a with a new size-1 dim at `dim`;  da = grad without that dim"""
    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, dim=0):
        ctx.dim = dim
        return np.expand_dims(a, dim)

    @staticmethod
    def backward(ctx, grad):
        return np.squeeze(grad, axis=ctx.dim)


# ---- basic indexing and its pieces: views picked by ints, slices, None and `...` ---------

class Slice(Function):
    """out = a[index] (same memory);  da = zeros(a.shape) with grad written at index

    Basic indexing; torch names its node after the indexing's last step, a slice here
    (the subclasses below: an int, None, nothing but `:` and `...`). Also narrow()."""
    node_name = "SliceBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, index=()):
        ctx.index, ctx.shape = index, a.shape
        out = a[index]
        # ints alone give numpy a scalar copy; a trailing `...` gives a 0-d view instead
        return out if type(out) is np.ndarray else a[index + (Ellipsis,)]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        out[ctx.index] = grad
        return out


class Select(Slice):
    """basic indexing whose last step is an int (`a[0]`, `a[:, 1]`)."""
    node_name = "SelectBackward0"


class UnsqueezeByIndex(Slice):
    """basic indexing whose last step is None (`a[:, None]`)."""
    node_name = "UnsqueezeBackward0"


class Alias(Slice):
    """basic indexing with nothing but `:` and `...` (`a[...]`, `a[:]`): all of a."""
    node_name = "AliasBackward0"


class Split(Slice):
    """one piece of split(size) or chunk."""
    node_name = "SplitBackward0"


class SplitWithSizes(Slice):
    """one piece of split([sizes])."""
    node_name = "SplitWithSizesBackward0"


class Unbind(Slice):
    """one piece of unbind: a[..., i, ...] along the dim."""
    node_name = "UnbindBackward0"


# ---- advanced indexing: copies picked by index arrays and masks ---------------------------

class Index(Function):
    """out = a[ints][index] (a copy);  da = zeros(a.shape) with grad added at index, where
    repeated indices add up (np.add.at)

    `ints` selects first (plain ints are basic indices in torch, unlike numpy), then
    `index` picks with the arrays."""
    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, a, ints=(), index=()):
        ctx.ints, ctx.index, ctx.shape = ints + (Ellipsis,), index, a.shape
        return a[ctx.ints][index]  # (the `...` keeps a 0-d selection a view, not a scalar)

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        np.add.at(out[ctx.ints], ctx.index, grad)
        return out


class IndexPut(Function):
    """out = a with out[index] = values (a copy; the in-place `a[index] = values` writes it
    back);  da = grad with zeros at index,  dvalues = grad[index]"""
    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, a, values, index=()):
        ctx.index = index
        out = a.copy()
        out[index] = values
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_a = grad.copy()
        grad_a[ctx.index] = 0
        return grad_a, grad[ctx.index]


# ---- copies ---------------------------------------------------------------------------

class Copy(Function):
    """x.copy_(src) on a tensor in a graph (written back in place): out = src broadcast to
    x's shape, in x's dtype;  dx = 0,  dsrc = sum of grad over the broadcast dims (the
    engine's unbroadcast)"""
    node_name = "CopyBackwards"

    def name(self):
        return "torch::autograd::CopyBackwards"  # torch's own name for this C++ node

    @staticmethod
    def forward(ctx, old, src):
        return np.array(np.broadcast_to(src, old.shape), dtype=old.dtype)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), grad


class Fill(Function):
    """x.fill_(value) on a tensor in a graph, value a number: out = value everywhere, in x's
    dtype;  dx = 0"""
    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, old, value=0):
        return np.array(np.broadcast_to(value, old.shape), dtype=old.dtype)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


class Zero(Fill):
    """x.zero_(): x filled with 0."""
    node_name = "ZeroBackward0"


class Clone(Function):
    """out = a copy of a (row-major);  da = grad"""
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return np.array(a, copy=True, order="C")

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cat(Function):
    """out = the arrays joined along dim;  each array's da = its own stretch of grad along dim"""
    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *arrays, dim=0):
        # torch lets 1-D empty pieces into any cat (a legacy rule): they add nothing
        ctx.skip = [a.ndim == 1 and a.size == 0 and len(arrays) > 1 for a in arrays]
        kept = [a for a, s in zip(arrays, ctx.skip) if not s] or arrays[:1]
        ctx.dim = dim
        ctx.bounds = np.cumsum([a.shape[dim] for a in kept])[:-1]
        return np.concatenate(kept, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        pieces = iter(np.split(grad, ctx.bounds, axis=ctx.dim))
        return tuple(np.zeros(0, grad.dtype) if s else next(pieces) for s in ctx.skip)


class Stack(Function):
    """out = the arrays stacked along a new dim;  the i-th array's da = grad[..., i, ...]
    (index i along that dim)"""
    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, *arrays, dim=0):
        ctx.dim = dim
        return np.stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.moveaxis(grad, ctx.dim, 0))


# ---- repeat, flip, roll: copies that move elements --------------------------------------

class Repeat(Function):
    """out = a tiled `repeats` times along each dim (new leading dims where repeats has
    more entries than a has dims);  da = the sum of grad over the copies"""
    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, a, repeats=()):
        ctx.shape, ctx.repeats = a.shape, repeats
        return np.tile(a, repeats)

    @staticmethod
    def backward(ctx, grad):
        padded = (1,) * (len(ctx.repeats) - len(ctx.shape)) + ctx.shape
        # each dim of grad splits in two, (copy, element): sum over the copies
        split = [n for pair in zip(ctx.repeats, padded) for n in pair]
        return grad.reshape(split).sum(axis=tuple(range(0, len(split), 2))).reshape(ctx.shape)


class Flip(Function):
    """out = a with the order of its elements reversed along dims;  da = grad flipped back"""
    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, a, dims=()):
        ctx.dims = dims
        return np.flip(a, dims).copy()  # (numpy flips by a view: torch's flip copies)

    @staticmethod
    def backward(ctx, grad):
        return np.flip(grad, ctx.dims)


class Roll(Function):
    """out = a with its elements shifted by shifts along dims, wrapping around (dims None:
    over the flattened tensor);  da = grad shifted back"""
    node_name = "RollBackward0"

    @staticmethod
    def forward(ctx, a, shifts=(), dims=None):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        return np.roll(grad, tuple(-s for s in ctx.shifts), axis=ctx.dims)
