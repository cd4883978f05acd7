"""torch's surface for shape ops and indexing: shape arguments, dims, index forms, checks.

The math is in ops/shape.py.
"""
import numpy as np

from .. import dtypes, errors
from ..autograd.views import apply_inplace, check_fits
from ..ops.shape import (Cat, Clone, Copy, Expand, Index, IndexPut, Permute, ReshapeCopy, Slice,
                         Squeeze, Stack, Unsqueeze, View)
from ..tensor_base import TensorBase


# ---- the functions users call ------------------------------------------------------------

def _shape_arg(shape):
    """Accept shape as varargs or as one tuple/list/Size."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def _infer_shape(input, shape):
    """Resolve one -1 in shape; torch's error when the element count can't match."""
    numel = input._data.size
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = int(np.prod([s for s in shape if s != -1]))
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], (dtypes.dtype, type)):
        raise RuntimeError("minitorch does not support view(dtype)")
    return View.apply(input, shape=_infer_shape(input, _shape_arg(shape)))


def reshape(input, *shape):
    shape = _infer_shape(input, _shape_arg(shape))
    try:
        return View.apply(input, shape=shape)
    except RuntimeError:
        return ReshapeCopy.apply(input, shape=shape)


def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = input._dim(start_dim), input._dim(end_dim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = input.shape
    return reshape(input, shape[:s] + (-1,) + shape[e + 1:])


def unflatten(input, dim, sizes):
    d = input._dim(dim)
    shape = input.shape
    return view(input, shape[:d] + tuple(sizes) + shape[d + 1:])


def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(input._dim(d) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims=dims)


def transpose(input, dim0, dim1):
    d0, d1 = input._dim(dim0), input._dim(dim1)
    dims = list(range(input.ndim))
    dims[d0], dims[d1] = d1, d0
    return Permute.apply(input, dims=tuple(dims), name="TransposeBackward0")


swapaxes = transpose


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return Permute.apply(input, dims=tuple(range(input.ndim))[::-1], name="TBackward0")


def expand(input, *sizes):
    sizes = _shape_arg(sizes)
    if len(sizes) < input.ndim:
        kind = dtypes.tensor_type_name(input._data.dtype)
        raise RuntimeError(f"expand({kind}{{{list(input.shape)}}}, "
                           f"size={list(sizes)}): "
                           f"the number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({input.ndim})")
    lead = len(sizes) - input.ndim
    shape = list(sizes)
    for i in range(lead):
        if sizes[i] == -1:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                               f"non-existing dimension {i}")
    for i, n in enumerate(input.shape):
        want = sizes[lead + i]
        if want == -1:
            shape[lead + i] = n
        elif n != want and n != 1:
            raise RuntimeError(f"The expanded size of the tensor ({want}) must match the existing "
                               f"size ({n}) at non-singleton dimension {lead + i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(input.shape)}")
    return Expand.apply(input, shape=tuple(shape))


def expand_as(input, other):
    return expand(input, other.shape)


def squeeze(input, dim=None):
    if dim is None:
        return Squeeze.apply(input)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    axes = tuple(d for d in (input._dim(d) for d in dims) if input.ndim and input.shape[d] == 1)
    return Squeeze.apply(input, axes=axes,
                         name="SqueezeBackward1" if not isinstance(dim, (tuple, list)) else "SqueezeBackward2")


def unsqueeze(input, dim):
    return Unsqueeze.apply(input, dim=input._dim(dim, input.ndim + 1))


def clone(input, *, memory_format=None):
    return Clone.apply(input)


def contiguous(input, memory_format=None):
    return input if input._data.flags.c_contiguous else Clone.apply(input)


def cat(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("minitorch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    pieces = [x for x in tensors if not (x.ndim == 1 and x.numel() == 0)] or tensors[:1]
    ref = pieces[0]
    d = ref._dim(dim)
    for i, x in enumerate(tensors):
        if x.ndim == 1 and x.numel() == 0:
            continue
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected "
                                   f"size {ref.shape[k]} but got size {x.shape[k]} for tensor "
                                   f"number {i} in the list.")
    dtype = dtypes.result_type(*[x._data for x in tensors])
    tensors = [x if x._data.dtype == dtype else x.to(dtype) for x in tensors]
    return Cat.apply(*tensors, dim=d)


concat = concatenate = cat


def stack(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, x in enumerate(tensors):
        if x.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0].shape)} at entry 0 and {list(x.shape)} at entry {i}")
    d = tensors[0]._dim(dim, tensors[0].ndim + 1)
    dtype = dtypes.result_type(*[x._data[None] for x in tensors])
    tensors = [x if x._data.dtype == dtype else x.to(dtype) for x in tensors]
    return Stack.apply(*tensors, dim=d)


def narrow(input, dim, start, length):
    d = input._dim(dim)
    size = input.shape[d]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    index = (slice(None),) * d + (slice(start, start + length),)
    return Slice.apply(input, index=index)


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of `split_size` along dim (the last may be smaller), or of the given sizes."""
    d = tensor._dim(dim)
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0 or (size == 0 and n != 0):
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [min(size, n - s) for s in range(0, n, size)] if size > 0 else [n]
        if n == 0:
            sizes = [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                               f"tensor's size at dimension {d}), but got split_sizes={sizes}")
    pieces, start = [], 0
    for s in sizes:
        index = (slice(None),) * d + (slice(start, start + s),)
        pieces.append(Slice.apply(tensor, index=index, name="SplitBackward0"))
        start += s
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = input.shape[input._dim(dim)]
    return split(input, max(-(-n // chunks), 1), dim)


def unbind(input, dim=0):
    d = input._dim(dim)
    return tuple(Slice.apply(input, index=(slice(None),) * d + (i,), name="UnbindBackward0")
                 for i in range(input.shape[d]))


# ---- indexing -----------------------------------------------------------------------------

def _to_numpy_index(index):
    """A Python/tensor index as numpy understands it, and whether it is basic (a view)."""
    if isinstance(index, list) and len(index) < 32 and any(
            isinstance(i, (list, tuple, slice, TensorBase, np.ndarray)) or i is None or i is Ellipsis
            for i in index):
        index = tuple(index)  # torch (like old numpy) reads such a list as a tuple of indices
    if not isinstance(index, tuple):
        index = (index,)
    out, basic = [], True
    for i in index:
        if isinstance(i, TensorBase):
            i = i._data
            if i.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if i.ndim == 0 and i.dtype.kind in "iu":
                i = int(i)  # torch selects with a 0-d integer tensor, as with an int
            else:
                basic = False
        elif isinstance(i, (list, range, np.ndarray)):
            i = np.asarray(i)
            basic = False
        elif isinstance(i, bool):
            basic = False
        elif isinstance(i, slice) and i.step is not None and i.step <= 0:
            raise ValueError("step must be greater than zero")
        elif not (i is None or i is Ellipsis or isinstance(i, (int, slice, np.integer))):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                             "Variables are valid indices")
        out.append(i)
    return tuple(out), basic


def _index_name(index):
    """torch's node for basic indexing is named after the last op applied."""
    for i in reversed(index):
        if isinstance(i, (int, np.integer)):
            return "SelectBackward0"
        if i is None:
            return "UnsqueezeBackward0"
        if isinstance(i, slice) and i != slice(None):
            return "SliceBackward0"
    return "AliasBackward0"


def _checked(fn, data, index):
    """Run fn, turning numpy's index errors into torch's wording."""
    try:
        return fn()
    except IndexError as e:
        msg = str(e)
        if "out of bounds" in msg:
            raise IndexError(msg.replace("axis", "dimension")) from None
        if "too many indices" in msg:
            raise IndexError(f"too many indices for tensor of dimension {data.ndim}") from None
        if "boolean index did not match" in msg:
            raise IndexError(msg) from None
        raise


def getitem(input, index):
    index, basic = _to_numpy_index(index)
    if basic:
        return _checked(lambda: Slice.apply(input, index=index, name=_index_name(index)),
                        input._data, index)
    ints, rest = _split_ints(index, input.ndim)
    return _checked(lambda: Index.apply(input, ints=ints, index=rest), input._data, index)


def _is_int(i):
    return isinstance(i, (int, np.integer)) and not isinstance(i, bool)


def _dims_used(i):
    """How many of the tensor's dims one index item consumes."""
    if i is None or i is Ellipsis:
        return 0
    if isinstance(i, np.ndarray) and i.dtype == bool:
        return i.ndim
    return 1


def _split_ints(index, ndim):
    """Split an advanced index in two, for torch's order: its plain ints select first (as
    basic indexing would), then the rest (slices, None, index arrays) picks from that."""
    if not any(_is_int(i) for i in index):
        return (), index
    expanded = []
    for i in index:
        if i is Ellipsis:
            expanded += [slice(None)] * (ndim - sum(map(_dims_used, index)))
        else:
            expanded.append(i)
    ints = []
    for i in expanded:
        ints += [i] if _is_int(i) else [slice(None)] * _dims_used(i)
    return tuple(ints), tuple(i for i in expanded if not _is_int(i))


def setitem(input, index, value):
    """input[index] = value, in place; differentiable w.r.t. input's old values and value."""
    index, basic = _to_numpy_index(index)
    if basic:
        if isinstance(value, TensorBase) and value._data.dtype != input._data.dtype:
            value = value.to(input.dtype)
        copy_(getitem(input, index), value)
    else:
        _check_index_put(input, index, value)
        apply_inplace(input, lambda old, v: IndexPut.apply(old, v, index=index), value)


def _check_index_put(input, index, value):
    """torch's errors for `t[mask or index tensor] = value`."""
    if isinstance(value, TensorBase) and value._data.dtype != input._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{dtypes.scalar_name(input._data.dtype)} for the destination and "
                           f"{dtypes.scalar_name(value._data.dtype)} for the source.")
    target = _checked(lambda: input._data[index], input._data, index).shape
    shape = np.shape(value._data if isinstance(value, TensorBase) else value)
    try:
        ok = np.broadcast_shapes(shape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(shape)} cannot be "
                           f"broadcast to indexing result of shape {list(target)}")


def copy_(input, src, non_blocking=False):
    check_fits(input._data.shape, np.shape(src._data if isinstance(src, TensorBase) else src))
    if isinstance(src, TensorBase) and src._data.dtype != input._data.dtype:
        src = src.to(input.dtype)
    return apply_inplace(input, Copy.apply, src)


def fill_(input, value):
    return _fill(input, value.item() if isinstance(value, TensorBase) else value, "FillBackward2")


def zero_(input):
    return _fill(input, 0, "ZeroBackward0")


def _fill(input, value, name):
    return apply_inplace(input, lambda old, v: Copy.apply(old, v, name=name), value)
