"""torch's surface for cumsum and cumprod: the dim, the dtype they compute in, out=.

The math is in ops/cumulative.py.
"""
from .. import dtypes, errors
from ..autograd.grad_mode import is_grad_enabled
from ..ops.cumulative import Cumprod, Cumsum
from .out import exact_dtype, write_out


def cumsum(input, dim, *, dtype=None, out=None):
    """out[i] = input[0] + ... + input[i] along dim."""
    if out is not None:  # computed in out's dtype unless dtype says (another: refused)
        return write_out(out, "cumsum", cumsum, input, dim, check=exact_dtype,
                         dtype=out.dtype if dtype is None else dtype)
    return _cumulative(Cumsum, "cumsum", input, dim, dtype)


def cumprod(input, dim, *, dtype=None, out=None):
    """out[i] = input[0] * ... * input[i] along dim."""
    if out is not None:
        return write_out(out, "cumprod", cumprod, input, dim, check=exact_dtype,
                         dtype=out.dtype if dtype is None else dtype)
    return _cumulative(Cumprod, "cumprod", input, dim, dtype)


def _cumulative(op, name, input, dim, dtype):
    """The dtype torch computes in: dtype= if given, int64 for integers and bools (so sums
    of small integers do not wrap), else the input's."""
    if dtype is not None:
        target = dtypes.to_np(dtype)
    elif input._data.dtype.kind in "biu":
        target = dtypes.int64.np
    else:
        target = input._data.dtype
    if target.kind == "b":
        raise errors.not_implemented_for(f"{name}_out_cpu", target)
    if target.kind != "f" and input._requires_grad and is_grad_enabled():
        raise errors.autograd_of_integer_dtype(target)
    return op.apply(input, dim=input._dim(dim), dtype=target)
