"""torch's surface for elementwise ops: argument forms, type promotion, checks.

The math is in ops/elementwise.py; each function here turns torch's call into one op.
"""
import numpy as np

from .. import dtypes, errors
from ..autograd.views import apply_inplace  # noqa: F401
from ..tensor_base import TensorBase
from ..ops.elementwise import Add, Sub, Rsub, Mul, Div, Neg, Reciprocal, PowScalar, Pow, RPow, Abs, Exp, Log, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Relu, Clamp, Where, Maximum, Minimum


def promote(a, b):
    """Cast tensor operands to torch's result dtype for `a op b` (a number stays a number)."""
    if isinstance(b, TensorBase):
        if a._data.dtype == b._data.dtype:
            return a, b
        rt = dtypes.result_type(a._data, b._data)
        return (a if a._data.dtype == rt else a.to(rt)), (b if b._data.dtype == rt else b.to(rt))
    if type(b) is float or type(b) is int:
        if a._data.dtype.kind == "f":
            return a, b  # numpy keeps a float array's dtype against a Python number, as torch
    elif isinstance(b, (np.number, np.bool_)):
        b = b.item()  # torch takes a numpy scalar as a Python number
    elif isinstance(b, np.ndarray):
        return promote(a, a._wrap(b))  # and an array as a tensor
    elif not isinstance(b, (int, float)):
        raise TypeError(f"unsupported operand type: Tensor and {type(b).__name__}")
    rt = dtypes.result_type(a._data, b)
    a = a if a._data.dtype == rt else a.to(rt)
    if rt.kind in "iu" and type(b) is int:
        b = np.array(b).astype(rt).item()  # out-of-range ints wrap around, as torch's do
    return a, b


def _tensor(x, like):
    """x as a Tensor of like's dtype, for ops where torch accepts a number in a tensor's place."""
    return x if isinstance(x, TensorBase) else like._wrap(np.asarray(x, dtype=like._data.dtype))


# ---- the functions users call ------------------------------------------------------------

def add(input, other, *, alpha=1):
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, TensorBase):
        return add(other, input)
    return Add.apply(*promote(input, other))


def sub(input, other, *, alpha=1):
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, TensorBase):
        return rsub(other, input)
    return Sub.apply(*promote(input, other))


def rsub(input, other):
    """other - input, for a number `other`."""
    if isinstance(other, TensorBase):
        return sub(other, input)
    input, other = promote(input, other)
    return Rsub.apply(input, number=other)


def mul(input, other):
    if not isinstance(input, TensorBase):
        return mul(other, input)
    return Mul.apply(*promote(input, other))


def div(input, other, *, rounding_mode=None):
    if not isinstance(input, TensorBase):
        return reciprocal(other) * input
    if rounding_mode is not None:
        a, b = promote(input, other)
        return a._wrap(_rounded_div(a._data, b._data if isinstance(b, TensorBase) else b,
                                         rounding_mode))
    a, b = promote(input, other)
    if a._data.dtype.kind != "f":  # true division of integers gives the default float dtype
        a = a.to(dtypes.float32)
        b = b.to(dtypes.float32) if isinstance(b, TensorBase) else b
    return Div.apply(a, b)


def _rounded_div(a, b, mode):
    if mode == "floor":
        return np.floor_divide(a, b)
    if mode == "trunc":
        q = np.trunc(np.true_divide(a, b))
        return q.astype(np.result_type(a, b)) if np.asarray(a).dtype.kind != "f" else q
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                       f"found '{mode}'")


def pow(input, exponent):
    if not isinstance(input, TensorBase):
        exponent = exponent if exponent.is_floating_point() or isinstance(input, int) else exponent.float()
        return RPow.apply(exponent, base=input)
    if isinstance(exponent, TensorBase):
        return Pow.apply(*promote(input, exponent))
    input, exponent = promote(input, exponent)
    return PowScalar.apply(input, exponent=exponent)


def square(input):
    return pow(input, 2)


def neg(input):
    if input._data.dtype == np.bool_:
        raise NotImplementedError("Negation, the `-` operator, on a bool tensor is not supported. "
                                  "If you are trying to invert a mask, use the `~` or "
                                  "`logical_not()` operator instead.")
    return Neg.apply(input)


def _float_unary(op):
    def fn(input):
        return op.apply(input if input._data.dtype.kind == "f" else input.to(dtypes.float32))
    fn.__name__ = op.__name__.lower()
    fn.__doc__ = f"Elementwise {fn.__name__} (integers are computed in the default float dtype)."
    return fn


exp, log, sqrt, rsqrt = _float_unary(Exp), _float_unary(Log), _float_unary(Sqrt), _float_unary(Rsqrt)
sin, cos, tanh, sigmoid = _float_unary(Sin), _float_unary(Cos), _float_unary(Tanh), _float_unary(Sigmoid)
reciprocal = _float_unary(Reciprocal)


def abs(input):
    if input._data.dtype == np.bool_:
        raise NotImplementedError('"abs_cpu" not implemented for \'Bool\'')
    return Abs.apply(input)


def relu(input):
    if input._data.dtype == np.bool_:
        raise NotImplementedError("Boolean inputs not supported for relu")
    return Relu.apply(input)


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("minitorch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, TensorBase) or isinstance(max, TensorBase):
        out = input
        if min is not None:
            out = maximum(out, _tensor(min, input))
        if max is not None:
            out = minimum(out, _tensor(max, input))
        return out
    if input._data.dtype.kind != "f" and any(isinstance(v, float) for v in (min, max)):
        input = input.to(dtypes.float32)
    return Clamp.apply(input, min=min, max=max)


clip = clamp


def where(condition, input, other):
    """Pick input where condition holds, else other; gradients flow to the picked side."""
    cond = condition._data if isinstance(condition, TensorBase) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {dtypes.scalar_name(cond.dtype)}")
    values = [x._data if isinstance(x, TensorBase) else x for x in (input, other)]
    rt = dtypes.result_type(*values)
    like = next(x for x in (condition, input, other) if isinstance(x, TensorBase))
    input, other = (x.to(rt) if isinstance(x, TensorBase) else like._wrap(np.asarray(x, dtype=rt))
                    for x in (input, other))
    return Where.apply(input, other, condition=cond)



def maximum(input, other):
    return Maximum.apply(*promote(input, other))


def minimum(input, other):
    return Minimum.apply(*promote(input, other))


# ---- comparisons: bool results, no gradient ------------------------------------------

def _compare(np_op):
    def fn(input, other):
        if other is None or isinstance(other, (str, list, tuple)):  # torch: a plain False
            return np_op is np.not_equal
        if isinstance(other, TensorBase):
            b = other._data
        else:
            _, b = promote(input, other)  # numbers compare in the tensor's dtype, as in torch
        try:
            return input._wrap(np_op(input._data, b))
        except ValueError:
            raise errors.broadcast_mismatch(input._data.shape, np.shape(b)) from None
    fn.__name__ = np_op.__name__
    return fn


eq, ne, lt, le, gt, ge = (_compare(f) for f in (np.equal, np.not_equal, np.less, np.less_equal,
                                                  np.greater, np.greater_equal))


def isnan(input):
    return input._wrap(np.isnan(input._data))


def isinf(input):
    return input._wrap(np.isinf(input._data))


def isfinite(input):
    return input._wrap(np.isfinite(input._data))


def equal(input, other):
    """True when both have the same shape and the same values."""
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def logical_not(input):
    return input._wrap(np.logical_not(input._data))


def logical_and(input, other):
    return input._wrap(np.logical_and(input._data, _data(other)))


def logical_or(input, other):
    return input._wrap(np.logical_or(input._data, _data(other)))


def _bitwise(np_op):
    """&, |, ^ and ~ : bitwise on integers, logical on bools (as numpy and torch do)."""
    def fn(input, other=None):
        if input._data.dtype.kind == "f" or (isinstance(other, TensorBase) and other._data.dtype.kind == "f"):
            raise NotImplementedError(f'"{fn.__name__}_cpu" not implemented for \'Float\'')
        return input._wrap(np_op(input._data) if other is None else np_op(input._data, _data(other)))
    fn.__name__ = {"invert": "bitwise_not"}.get(np_op.__name__, np_op.__name__)
    return fn


bitwise_and, bitwise_or, bitwise_xor, bitwise_not = (
    _bitwise(f) for f in (np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert))


def _data(x):
    return x._data if isinstance(x, TensorBase) else x
