"""Parameter and Buffer: tensors that a Module registers when assigned to it, as learnable
state (parameters()) or as state that is not learned (buffers())."""
import numpy as np

from .. import errors
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and shares the memory of the data it wraps."""
    __slots__ = ()
    _result_class = Tensor  # `w * 2` is a plain Tensor, not a Parameter (torch's rule)

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = Tensor._make(np.empty(0, dtype=np.float32))
        if requires_grad and not data.is_floating_point():
            raise errors.requires_grad_at_creation()
        p = cls._make(data._data)
        p.requires_grad_(requires_grad)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        """A new Parameter with a copy of the values; like torch's, without the .grad."""
        p = Parameter(Tensor._make(self._data.copy()), self._requires_grad)
        memo[id(self)] = p
        return p

    def __reduce_ex__(self, protocol):
        return (Parameter, (Tensor._make(self._data), self._requires_grad))


class Buffer(Tensor):
    """A tensor a Module registers as a buffer when assigned to it, as register_buffer does;
    `persistent` says whether state_dict() saves it. Shares the memory of the data."""
    __slots__ = ("persistent",)
    _result_class = Tensor

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = Tensor._make(np.empty(0, dtype=np.float32))
        b = cls._make(data._data)
        b.requires_grad_(data.requires_grad)
        b.persistent = persistent
        return b

    def __init__(self, data=None, *, persistent=True):
        pass
