"""torch's surface for softmax and log_softmax: the dim (and torch's legacy default when
none is given), the dtype option, the float-only check. torch.softmax,
nn.functional.softmax and Tensor.softmax are all this one function (log_softmax alike).

The math is in ops/softmax.py.
"""
import warnings

from .. import errors
from ..ops.softmax import LogSoftmax, Softmax


def _softmax_dim(input, dim, name):
    """The dim to normalise over (torch's legacy choice when none is given)."""
    if dim is None:
        warnings.warn(errors.implicit_softmax_dim(name), stacklevel=3)
        dim = 0 if input.ndim in (0, 1, 3) else 1
    dim = input._dim(dim) if input.ndim else 0
    if not input.is_floating_point():
        raise errors.softmax_of_non_float(name, dim == max(input.ndim - 1, 0), input.dtype.np)
    return dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return Softmax.apply(x, dim=_softmax_dim(x, dim, "softmax"))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return LogSoftmax.apply(x, dim=_softmax_dim(x, dim, "log_softmax"))
