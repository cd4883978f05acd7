"""Shape ops: views (view, reshape, permute, transpose, expand, squeeze, unsqueeze, slicing),
copies (clone, contiguous, cat, stack), pieces (split, chunk, unbind), indexing and the
nodes in-place writes through views need (CopySlices, AsStrided).

A view's forward returns a numpy view of its input (`is_view = True`): the output shares
memory and version counter with the input. Backward of a view puts the gradient back in
the input's shape.
"""
import numpy as np

from ..autograd.function import Function


# ---- views ---------------------------------------------------------------------------

class View(Function):
    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape=()):
        ctx.shape = a.shape
        out = a.view()
        try:
            out.shape = shape  # numpy refuses exactly when a copy would be needed
        except AttributeError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride "
                               "(at least one dimension spans across two contiguous subspaces). "
                               "Use .reshape(...) instead.") from None
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class ReshapeCopy(Function):
    """reshape of a layout no view can express: a copy, as torch makes."""
    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, shape=()):
        ctx.shape = a.shape
        return np.reshape(a, shape).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Permute(Function):
    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims=(), name="PermuteBackward0"):
        ctx.node_name, ctx.dims = name, dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(np.argsort(ctx.dims))


class Expand(Function):
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
        return grad  # the engine sums it back to the input's shape


class Squeeze(Function):
    node_name = "SqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, axes=None, name="SqueezeBackward0"):
        ctx.node_name, ctx.shape = name, a.shape
        return np.squeeze(a, axis=axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Unsqueeze(Function):
    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, dim=0):
        ctx.dim = dim
        return np.expand_dims(a, dim)

    @staticmethod
    def backward(ctx, grad):
        return np.squeeze(grad, axis=ctx.dim)


class Slice(Function):
    """Basic indexing (ints, slices, None, ...): a view; also narrow/split/chunk/unbind pieces."""
    node_name = "SliceBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, a, index=(), name="SliceBackward0"):
        ctx.node_name, ctx.index, ctx.shape = name, index, a.shape
        out = a[index]
        # ints alone give numpy a scalar copy; a trailing `...` gives a 0-d view instead
        return out if type(out) is np.ndarray else a[index + (Ellipsis,)]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        out[ctx.index] = grad
        return out


class Index(Function):
    """Advanced indexing (index tensors, bool masks): a copy; repeated indices add up.

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
    """out-of-place `a[index] = values` for advanced indices (masks, index tensors)."""
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
    """x.copy_(src) / x.fill_(v) / x.zero_() on a tensor in a graph: the new values come
    from src."""
    node_name = "CopyBackwards"

    def name(self):  # torch's CopyBackwards is a C++ node, named with its namespace
        return "torch::autograd::CopyBackwards" if self.node_name == "CopyBackwards" else self.node_name

    @staticmethod
    def forward(ctx, old, src, name="CopyBackwards"):
        ctx.node_name = name
        return np.array(np.broadcast_to(src, old.shape), dtype=old.dtype)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), grad


class Clone(Function):
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return np.array(a, copy=True, order="C")

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cat(Function):
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
    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, *arrays, dim=0):
        ctx.dim = dim
        return np.stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.moveaxis(grad, ctx.dim, 0))
