"""torch's surface for softmax and log_softmax: the dim (and torch's legacy default), dtype.

The math is in ops/softmax.py.
"""
import warnings

from ..dtypes import raise_not_implemented
from ..ops.softmax import LogSoftmax, Softmax


def _softmax_dim(input, dim, name):
    """The dim to normalise over (torch's legacy choice when none is given). Only floats
    have a softmax: torch's kernel names itself ("_lastdim" when dim is the last one)."""
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if input.ndim in (0, 1, 3) else 1
    dim = input._dim(dim) if input.ndim else 0
    if not input.is_floating_point():
        last = "_lastdim" if dim == max(input.ndim - 1, 0) else ""
        raise_not_implemented(f"{name}{last}_kernel_impl", input.dtype.np)
    return dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return Softmax.apply(x, dim=_softmax_dim(x, dim, "softmax"))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return LogSoftmax.apply(x, dim=_softmax_dim(x, dim, "log_softmax"))
