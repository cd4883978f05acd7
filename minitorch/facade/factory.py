"""torch's surface for a tensor's own factory methods: x.new_tensor, new_zeros, new_ones,
new_full, new_empty. Each makes a new tensor with x's dtype (unless dtype= says otherwise),
sharing nothing with x; none takes the default device, as in torch.

Also the readers of a shape argument and of nested data that creation.py shares with
them (creation.py imports the Tensor class, so they live down here, below it).
"""
import math
import warnings

import numpy as np

from .. import dtypes, errors
from ..tensor_base import TensorBase, check_device


def shape_from_arguments(size, keyword=None):
    """The shape from varargs `zeros(2, 3)`, a tuple `zeros((2, 3))` or `zeros(size=(2, 3))`."""
    if keyword is not None:
        size = (keyword,)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise errors.size_not_integers(s)
        if s < 0:
            raise errors.negative_dimension(s, size)
    return tuple(int(s) for s in size)


def nested_shape(data, dim=0):
    """Shape of nested Python sequences; torch's ValueError when they are ragged."""
    if isinstance(data, (TensorBase, np.ndarray)):
        return data.shape
    if not isinstance(data, (list, tuple)):
        return ()
    if len(data) == 0:
        return (0,)
    inner = nested_shape(data[0], dim + 1)
    for item in data[1:]:
        other = nested_shape(item, dim + 1)
        if other != inner:
            if len(other) == 0 or len(inner) == 0:
                if len(other) == 0:
                    raise errors.not_a_sequence()
                raise errors.ragged_sequence_of_scalar(dim + 1, inner[0] if inner else 0,
                                                       other[0] if other else 0)
            raise errors.ragged_sequence(dim + 1, inner[0], other[0])
    return (len(data),) + tuple(inner)


def fits(value, np_dtype):
    """Can the number be written into np_dtype? torch's checked conversion as new_full makes
    it (masked_fill's and scatter's, facade/indexing.checked_value, is stricter: 255.5 is
    refused into uint8 there, as in torch, and truncated to 255 here): a float goes
    into an integer type if it truncates into its range (unsigned types also take negative
    ints, wrapping around), into a float type if finite within its range, or inf or nan."""
    if np_dtype.kind == "b" or isinstance(value, bool):
        return True
    if np_dtype.kind == "f":
        if isinstance(value, float) and not math.isfinite(value):
            return True
        largest = float(np.finfo(np_dtype).max)
        return -largest <= value <= largest
    limits = np.iinfo(np_dtype)
    if isinstance(value, float):
        return limits.min <= value < limits.max + 1
    if limits.min == 0:
        return -limits.max <= value <= limits.max
    return limits.min <= value <= limits.max


def _new(input, data, requires_grad, device):
    """A tensor of input's result class holding `data`, on device (only 'cpu' exists)."""
    if device is not None:
        check_device(device)
    if requires_grad and data.dtype.kind != "f":
        raise errors.requires_grad_at_creation()
    return input._wrap(data).requires_grad_(requires_grad)


def _shape(shape, size, function):
    """new_zeros(2, 3), new_zeros((2, 3)) or new_zeros(size=(2, 3)); torch wants one of them."""
    if not shape and size is None:
        raise errors.missing_argument(function, "size")
    return shape_from_arguments(shape, size)


def _dtype(input, dtype):
    return input._data.dtype if dtype is None else dtypes.to_np(dtype)


def new_tensor(input, data, *, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
    """A copy of data (nested lists, numbers, arrays, tensors) in input's dtype. From a
    tensor, torch warns that detach().clone() says the same more plainly."""
    if isinstance(data, TensorBase):
        warnings.warn(errors.new_tensor_from_tensor(), stacklevel=2)
        array = data._data.astype(_dtype(input, dtype))  # (astype copies)
    else:
        nested_shape(data)
        array = np.array(data, dtype=_dtype(input, dtype))
    return _new(input, array, requires_grad, device)


def new_zeros(input, *shape, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    return _new(input, np.zeros(_shape(shape, size, "new_zeros"), dtype=_dtype(input, dtype)),
                requires_grad, device)


def new_ones(input, *shape, size=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    return _new(input, np.ones(_shape(shape, size, "new_ones"), dtype=_dtype(input, dtype)),
                requires_grad, device)


def new_empty(input, *shape, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    return _new(input, np.empty(_shape(shape, size, "new_empty"), dtype=_dtype(input, dtype)),
                requires_grad, device)


def new_full(input, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    if not isinstance(size, (tuple, list)):
        raise errors.int_list_expected("new_full", "size", 1, size)
    fill_value = fill_value.item() if isinstance(fill_value, TensorBase) else fill_value
    if not fits(fill_value, _dtype(input, dtype)):
        raise errors.value_overflows(_dtype(input, dtype))
    value = np.array(fill_value).astype(_dtype(input, dtype))  # (C's casts: -1 is 255 in uint8)
    return _new(input, np.full(shape_from_arguments((size,)), value), requires_grad, device)
