"""Turning a list of samples into one batch, as torch's default_collate / default_convert.

`collate` walks the structure of the first sample: containers (dicts, namedtuples, lists,
tuples) are rebuilt with each field collated across the batch, and leaves are looked up in
`default_collate_fn_map` by type: tensors are stacked along a new first dimension, numpy
arrays and numpy scalars become tensors, Python ints/floats/bools become int64/float64/bool
tensors, strings and bytes stay a plain list.
"""
import collections.abc
import copy
import re

import numpy as np

from ...autograd import is_grad_enabled
from ...creation import as_tensor, tensor
from ...dtypes import category, float64, scalar_name
from ...facade.shape import stack
from ...tensor import Tensor
from .worker import get_worker_info

# numpy dtypes of strings (S, a, U) and Python objects (O) cannot become tensors
_np_str_obj_dtype = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}")


def default_convert(data):
    """One sample's numpy arrays (and numpy scalars) turned into tensors, through any
    containers; everything else unchanged. The DataLoader uses it when batch_size=None."""
    if isinstance(data, Tensor):
        return data
    if type(data).__module__ == "numpy" and not isinstance(data, np.str_):
        if isinstance(data, np.ndarray) and _np_str_obj_dtype.search(data.dtype.str):
            return data
        return as_tensor(data)
    return _rebuild(data, lambda key: default_convert(data[key]))


def collate(batch, *, collate_fn_map=None):
    """Collate `batch` (a list of samples with the same structure) with the leaf functions
    of `collate_fn_map` (type -> fn(batch, collate_fn_map=...)): an exact type match first,
    then the first key the element is an instance of."""
    elem = batch[0]
    if collate_fn_map is not None:
        if type(elem) in collate_fn_map:
            return collate_fn_map[type(elem)](batch, collate_fn_map=collate_fn_map)
        for collate_type, collate_leaf in collate_fn_map.items():
            if isinstance(elem, collate_type):
                return collate_leaf(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Sequence) and not _is_namedtuple(elem):
        elem_size = len(elem)
        if not all(len(sample) == elem_size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
    if isinstance(elem, (collections.abc.Mapping, collections.abc.Sequence)):
        return _rebuild(elem, lambda key: collate(_field(batch, key),
                                                  collate_fn_map=collate_fn_map))
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def _field(batch, key):
    """Field `key` of every sample: a list for dicts, a tuple for sequences (torch transposes
    those with zip, so a field of strings collates to a tuple of strings)."""
    values = [sample[key] for sample in batch]
    return values if isinstance(batch[0], collections.abc.Mapping) else tuple(values)


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _rebuild(elem, convert_field):
    """A container like `elem` whose field k (key or position) is convert_field(k).

    Like torch: mutable containers are shallow-copied (keeping their type and attributes),
    immutable ones rebuilt by their type, plain dicts/lists when that fails; a tuple that is
    not a namedtuple becomes a list. Non-containers (and str/bytes) come back unchanged.
    """
    elem_type = type(elem)
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: convert_field(key) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(fields)
                return clone
            return elem_type(fields)
        except TypeError:
            return fields
    if _is_namedtuple(elem):
        return elem_type(*(convert_field(i) for i in range(len(elem))))
    if isinstance(elem, tuple):
        return [convert_field(i) for i in range(len(elem))]
    if isinstance(elem, collections.abc.Sequence) and not isinstance(elem, (str, bytes)):
        fields = [convert_field(i) for i in range(len(elem))]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, field in enumerate(fields):
                    clone[i] = field
                return clone
            return elem_type(fields)
        except TypeError:
            return fields
    return elem


def collate_tensor_fn(batch, *, collate_fn_map=None):
    """Stack along a new first dimension. In a DataLoader worker torch stacks into a
    shared-memory buffer of the first tensor's dtype (`stack(batch, out=buffer)`), so
    there the batch takes that dtype, and a batch that needs grad or a wider dtype fails
    with the errors of an `out=` stack."""
    if get_worker_info() is None:
        return stack(batch, 0)
    if is_grad_enabled() and any(t.requires_grad for t in batch):
        raise RuntimeError("stack(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    stacked = stack(batch, 0)
    out_dtype = batch[0]._data.dtype
    if category(stacked._data.dtype) > category(out_dtype):
        raise TypeError("minitorch.cat(): input types can't be cast to the desired output type "
                        f"{scalar_name(out_dtype)}")
    return stacked if stacked._data.dtype == out_dtype else stacked.to(batch[0].dtype)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if _np_str_obj_dtype.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    """numpy scalars keep their dtype, promoted torch's way (as_tensor, as torch's)."""
    return as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map=None):
    return tensor(batch, dtype=float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    """ints -> int64; bools (an int subclass) -> bool."""
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """The batch as tensors with a new first dimension, through any containers (see the
    module docstring). The DataLoader's collate_fn unless you give one."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
