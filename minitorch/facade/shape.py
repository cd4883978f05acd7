"""torch's surface for shape ops and indexing: shape arguments, dims, index forms, checks,
and which node torch names each call by.

The math is in ops/shape.py.
"""
import math
import re

import numpy as np

from .. import dtypes, errors
from ..autograd.views import apply_inplace, check_fits
from ..ops.shape import (T, Alias, Cat, Clone, Copy, Expand, Fill, Flip, Index, IndexPut,
                         Permute, Repeat, Roll, Select, Slice, Split, SplitWithSizes, Squeeze,
                         SqueezeDim, SqueezeDims, Stack, Transpose, Unbind, Unsqueeze,
                         UnsqueezeByIndex, UnsafeView, View, Zero)
from ..tensor_base import TensorBase
from .out import cat_dtype, write_out


# ---- new shapes: view, reshape, flatten, permute, expand, squeeze -------------------------

def _shape_arg(shape):
    """Accept shape as varargs or as one tuple/list/Size."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def _infer_shape(input, shape):
    """Resolve one -1 in shape; torch's error when the element count can't match."""
    numel = input._data.size
    if shape.count(-1) > 1:
        raise errors.shape_with_two_inferred_dims()
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise errors.shape_invalid_for_size(shape, numel)
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise errors.shape_invalid_for_size(shape, numel)
    return shape


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], (dtypes.dtype, type)):
        raise errors.view_as_dtype()
    shape = _infer_shape(input, _shape_arg(shape))
    try:
        return View.apply(input, shape=shape)
    except AttributeError:  # numpy: this layout cannot take that shape without a copy
        raise errors.view_needs_copy() from None


def reshape(input, *shape):
    """A view where the layout allows one, else a copy given the shape (torch's nodes:
    CloneBackward0, then UnsafeViewBackward0)."""
    shape = _infer_shape(input, _shape_arg(shape))
    try:
        return View.apply(input, shape=shape)
    except AttributeError:  # numpy: this layout cannot take that shape without a copy
        return UnsafeView.apply(Clone.apply(input), shape=shape)


def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    start, end = input._dim(start_dim), input._dim(end_dim)
    if start > end:
        raise errors.flatten_start_after_end()
    if start == end:
        return input
    shape = input._data.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    dim = input._dim(dim)
    shape = input.shape
    return view(input, shape[:dim] + tuple(sizes) + shape[dim + 1:])


def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise errors.permute_wrong_number_of_dims(input.ndim, len(dims))
    dims = tuple(input._dim(d) for d in dims)
    if len(set(dims)) != len(dims):
        raise errors.permute_duplicate_dims()
    return Permute.apply(input, dims=dims)


def transpose(input, dim0, dim1):
    dim0, dim1 = input._dim(dim0), input._dim(dim1)
    dims = list(range(input.ndim))
    dims[dim0], dims[dim1] = dim1, dim0
    return Transpose.apply(input, dims=tuple(dims))


swapaxes = transpose


def t(input):
    if input.ndim > 2:
        raise errors.t_of_more_than_2d(input.ndim)
    return T.apply(input, dims=tuple(range(input.ndim))[::-1])


def expand(input, *sizes):
    """sizes: one per dim of the result; new dims lead; -1 keeps a dim's size."""
    sizes = _shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise errors.expand_to_fewer_dims(input._data.dtype, input.shape, sizes)
    lead = len(sizes) - input.ndim
    for i in range(lead):
        if sizes[i] == -1:
            raise errors.expand_new_dim_of_minus_one(i)
    shape = list(sizes)
    for i, size in enumerate(input.shape):
        wanted = sizes[lead + i]
        if wanted == -1:
            shape[lead + i] = size
        elif size != wanted and size != 1:
            raise errors.expand_size_mismatch(wanted, size, lead + i, sizes, input.shape)
    return Expand.apply(input, shape=tuple(shape))


def expand_as(input, other):
    return expand(input, other.shape)


def squeeze(input, dim=None):
    if dim is None:
        return Squeeze.apply(input)
    op = SqueezeDims if isinstance(dim, (tuple, list)) else SqueezeDim
    dims = dim if op is SqueezeDims else (dim,)
    axes = tuple(d for d in map(input._dim, dims) if input.ndim and input.shape[d] == 1)
    return op.apply(input, axes=axes)


def unsqueeze(input, dim):
    return Unsqueeze.apply(input, dim=input._dim(dim, input.ndim + 1))


# ---- copies, joining and cutting ----------------------------------------------------------

def clone(input, *, memory_format=None):
    return Clone.apply(input)


def contiguous(input, memory_format=None):
    return input if input._data.flags.c_contiguous else Clone.apply(input)


def _is_empty_1d(x):
    """torch lets 1-D empty tensors into any cat (a legacy rule): they are skipped."""
    return x.ndim == 1 and x.numel() == 0


def cat(tensors, dim=0, *, out=None):
    if out is not None:
        return write_out(out, "cat", cat, tensors, dim, check=cat_dtype)
    tensors = list(tensors)
    if not tensors:
        raise errors.cat_of_no_tensors()
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise errors.cat_of_0d(i)
    ref = next((x for x in tensors if not _is_empty_1d(x)), tensors[0])
    dim = ref._dim(dim)
    for i, x in enumerate(tensors):
        if _is_empty_1d(x):
            continue
        if x.ndim != ref.ndim:
            raise errors.cat_ndim_mismatch(ref.ndim, x.ndim)
        for k in range(ref.ndim):
            if k != dim and x.shape[k] != ref.shape[k]:
                raise errors.cat_size_mismatch(dim, ref.shape[k], x.shape[k], i)
    dtype = dtypes.result_type(*[x._data for x in tensors])
    tensors = [x if x._data.dtype == dtype else x.to(dtype) for x in tensors]
    return Cat.apply(*tensors, dim=dim)


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    if out is not None:
        return write_out(out, "stack", stack, tensors, dim, check=cat_dtype)
    tensors = list(tensors)
    if not tensors:
        raise errors.stack_of_no_tensors()
    for i, x in enumerate(tensors):
        if x.shape != tensors[0].shape:
            raise errors.stack_size_mismatch(tensors[0].shape, x.shape, i)
    dim = tensors[0]._dim(dim, tensors[0].ndim + 1)
    dtype = dtypes.result_type(*[x._data[None] for x in tensors])
    tensors = [x if x._data.dtype == dtype else x.to(dtype) for x in tensors]
    return Stack.apply(*tensors, dim=dim)


def narrow(input, dim, start, length):
    dim = input._dim(dim)
    size = input.shape[dim]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise errors.narrow_out_of_range(start, length, size)
    return Slice.apply(input, index=(slice(None),) * dim + (slice(start, start + length),))


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of `split_size` along dim (the last may be smaller), or of the given sizes."""
    dim = tensor._dim(dim)
    n = tensor.shape[dim]
    if isinstance(split_size_or_sections, int):
        op, size = Split, split_size_or_sections
        if size < 0 or (size == 0 and n != 0):
            raise errors.split_size_zero(n)
        sizes = [min(size, n - s) for s in range(0, n, size)] if size > 0 else [n]
        if n == 0:
            sizes = [0]
    else:
        op, sizes = SplitWithSizes, list(split_size_or_sections)
        if sum(sizes) != n:
            raise errors.split_sizes_wrong_sum(n, dim, sizes)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(op.apply(tensor, index=(slice(None),) * dim + (slice(start, start + size),)))
        start += size
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise errors.chunk_count_not_positive(chunks)
    n = input.shape[input._dim(dim)]
    return split(input, max(-(-n // chunks), 1), dim)


def unbind(input, dim=0):
    dim = input._dim(dim)
    return tuple(Unbind.apply(input, index=(slice(None),) * dim + (i,))
                 for i in range(input.shape[dim]))


# ---- indexing: t[index] and t[index] = value ------------------------------------------------

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
                raise errors.index_tensor_of_wrong_dtype()
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
            raise errors.slice_step_not_positive()
        elif not (i is None or i is Ellipsis or isinstance(i, (int, slice, np.integer))):
            raise errors.index_of_invalid_type(type(i).__name__)
        out.append(i)
    return tuple(out), basic


def _basic_index_op(index):
    """torch names basic indexing's node after its last step: an int selects, None
    unsqueezes, a slice other than `:` slices; `:` and `...` alone alias."""
    for i in reversed(index):
        if isinstance(i, (int, np.integer)):
            return Select
        if i is None:
            return UnsqueezeByIndex
        if isinstance(i, slice) and i != slice(None):
            return Slice
    return Alias


def getitem(input, index):
    index, basic = _to_numpy_index(index)
    try:
        if basic:
            return _basic_index_op(index).apply(input, index=index)
        ints, rest = _split_ints(index, input.ndim)
        return Index.apply(input, ints=ints, index=rest)
    except IndexError as error:
        raise _torch_index_error(error, input.shape, index) from None


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


def _torch_index_error(error, shape, index):
    """torch's words for numpy's IndexError from indexing an array of `shape` with index."""
    text = str(error)
    out_of_bounds = re.match(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", text)
    if out_of_bounds:
        return errors.index_out_of_bounds(*out_of_bounds.groups())
    if text.startswith("too many indices"):
        return errors.too_many_indices(len(shape))
    if text.startswith("boolean index did not match"):
        return _mask_mismatch(shape, index) or error
    return error


def _mask_mismatch(shape, index):
    """torch's error for the first bool mask whose shape differs from the dims it covers,
    counted in the tensor torch indexes: the ints already selected, the Nones added."""
    ints, rest = _split_ints(index, len(shape))
    selected = [n for i, n in zip(ints, shape) if not _is_int(i)] + list(shape[len(ints):])
    ellipsis_dims = len(selected) - sum(map(_dims_used, rest))
    indexed, masks, at = [], [], 0  # the indexed tensor's shape; (its dim, mask) pairs
    for i in rest:
        if i is None:
            indexed.append(1)
            continue
        used = ellipsis_dims if i is Ellipsis else _dims_used(i)
        if isinstance(i, np.ndarray) and i.dtype == bool:
            masks.append((len(indexed), i))
        indexed += selected[at:at + used]
        at += used
    indexed += selected[at:]
    for dim, mask in masks:
        for k, (n, size) in enumerate(zip(mask.shape, indexed[dim:])):
            if n != size:
                return errors.mask_shape_mismatch(mask.shape, k, indexed, dim + k)
    return None


def setitem(input, index, value):
    """input[index] = value, in place; differentiable w.r.t. input's old values and value."""
    index, basic = _to_numpy_index(index)
    if basic:
        if isinstance(value, TensorBase) and value._data.dtype != input._data.dtype:
            value = value.to(input.dtype)
        copy_(getitem(input, index), value)
    else:
        _check_index_put(input, index, value)
        apply_inplace(input, IndexPut.apply, value, index=index)


def _check_index_put(input, index, value):
    """torch's errors for `t[mask or index tensor] = value`."""
    if isinstance(value, TensorBase) and value._data.dtype != input._data.dtype:
        raise errors.index_put_dtype_mismatch(input._data.dtype, value._data.dtype)
    try:
        target = input._data[index].shape
    except IndexError as error:
        raise _torch_index_error(error, input.shape, index) from None
    shape = np.shape(value._data if isinstance(value, TensorBase) else value)
    try:
        fits = np.broadcast_shapes(shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise errors.index_put_shape_mismatch(shape, target)


# ---- writes: copy_, fill_, zero_ --------------------------------------------------------------

def copy_(input, src, non_blocking=False):
    check_fits(input._data.shape, np.shape(src._data if isinstance(src, TensorBase) else src))
    if isinstance(src, TensorBase) and _overlap_partly(input._data, src._data):
        raise errors.copy_from_partly_overlapping_memory()
    if isinstance(src, TensorBase) and src._data.dtype != input._data.dtype:
        src = src.to(input.dtype)
    return apply_inplace(input, Copy.apply, src)


def _overlap_partly(a, b):
    """torch's rule for copy_: two dense blocks of memory that overlap without being the
    very same block (strided layouts are too hard to tell, and are let through, as torch)."""
    if a.size == 0 or b.size == 0 or not (a.flags.c_contiguous or a.flags.f_contiguous) \
            or not (b.flags.c_contiguous or b.flags.f_contiguous):
        return False
    start_a, start_b = a.__array_interface__["data"][0], b.__array_interface__["data"][0]
    end_a, end_b = start_a + a.nbytes, start_b + b.nbytes
    return start_a < end_b and start_b < end_a and (start_a, end_a) != (start_b, end_b)


def fill_(input, value):
    value = value.item() if isinstance(value, TensorBase) else value
    return apply_inplace(input, Fill.apply, value=value)


def zero_(input):
    return apply_inplace(input, Zero.apply)


# ---- repeat, flip, roll: copies that move elements ------------------------------------------

def repeat(input, *repeats):
    """input tiled repeats[i] times along dim i (extra leading repeats add dims)."""
    if not repeats:
        raise errors.missing_argument("repeat", "repeats")
    repeats = _shape_arg(repeats)
    if len(repeats) < input.ndim:
        raise errors.repeat_fewer_dims()
    padded = (1,) * (len(repeats) - input.ndim) + input.shape
    shape = [n * r for n, r in zip(padded, repeats)]
    for size in shape:
        if size < 0:
            raise errors.negative_dimension(size, shape)
    return Repeat.apply(input, repeats=repeats)


def flip(input, *dim_list, dims=None):
    """input with the order of its elements reversed along each of dims (a copy); dims as
    one tuple, as varargs (x.flip(0, 1)) or by name."""
    dim_list = dim_list if dims is None else (dims,)
    if not dim_list:
        raise errors.missing_argument("flip", "dims")
    axes = tuple(input._dim(d) for d in _shape_arg(dim_list))
    if len(set(axes)) != len(axes):
        raise errors.dim_repeated(next(d for i, d in enumerate(axes) if d in axes[:i]))
    return Flip.apply(input, dims=axes if input.ndim else ())


def roll(input, shifts, dims=None):
    """input's elements shifted by shifts[i] along dims[i], those pushed off one end coming
    back at the other; without dims, along the flattened tensor."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
    if not shifts:
        raise errors.roll_shifts_required()
    if not dims:
        if len(shifts) != 1:
            raise errors.roll_shifts_dims_mismatch(len(shifts), 0)
        return Roll.apply(input, shifts=shifts, dims=None)
    if len(shifts) != len(dims):
        raise errors.roll_shifts_dims_mismatch(len(shifts), len(dims))
    if input.ndim == 0:
        raise errors.dim_of_0d(dims[0])
    return Roll.apply(input, shifts=shifts, dims=tuple(input._dim(d) for d in dims))
