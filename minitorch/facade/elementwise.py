"""torch's surface for elementwise ops: argument forms, type promotion, checks.

The math is in ops/elementwise.py; each function here turns torch's call into one op.
Comparisons, logical and bitwise ops have no gradient: they compute on the arrays here.
"""
import numpy as np

from .. import dtypes, errors
from ..tensor_base import TensorBase
from ..ops.elementwise import (Abs, Add, Ceil, Clamp, Cos, Div, Exp, Floor, Log, Maximum, Minimum,
                               Mul, Neg, Pow, PowScalar, RPow, Reciprocal, Relu, Round,
                               RoundDecimals, Rsqrt, Rsub, Sigmoid, Sign, Sin, Sqrt, Sub, Tanh,
                               Trunc, Where)
from .out import castable, castable_directly, same_dtype, where_dtype, write_out


def promote(tensor, other):
    """Cast the operands of `tensor op other` to torch's result dtype (a number stays a
    number)."""
    if isinstance(other, TensorBase):
        if tensor._data.dtype == other._data.dtype:
            return tensor, other
        result_dtype = dtypes.result_type(tensor._data, other._data)
        return _cast(tensor, result_dtype), _cast(other, result_dtype)
    if type(other) is float or type(other) is int:
        if tensor._data.dtype.kind == "f":
            return tensor, other  # numpy keeps a float array's dtype against a Python number, as torch
    elif isinstance(other, (np.number, np.bool_)):
        other = other.item()  # torch takes a numpy scalar as a Python number
    elif isinstance(other, np.ndarray):
        return promote(tensor, tensor._wrap(other))  # and an array as a tensor
    elif not isinstance(other, (int, float)):
        raise errors.unsupported_operand_type(other)
    result_dtype = dtypes.result_type(tensor._data, other)
    tensor = _cast(tensor, result_dtype)
    if result_dtype.kind in "iu" and type(other) is int:
        other = np.array(other).astype(result_dtype).item()  # out-of-range ints wrap, as torch's do
    return tensor, other


def _cast(tensor, np_dtype):
    return tensor if tensor._data.dtype == np_dtype else tensor.to(np_dtype)


def _as_tensor_like(value, like):
    """value as a tensor of like's dtype, where torch accepts a number in a tensor's place."""
    return value if isinstance(value, TensorBase) else like._wrap(np.asarray(value, dtype=like._data.dtype))


def _array_of(value):
    """A tensor's array, or the value itself (a number, an array)."""
    return value._data if isinstance(value, TensorBase) else value


# ---- arithmetic ----------------------------------------------------------------------------

def add(input, other, *, alpha=1, out=None):
    if out is not None:
        return write_out(out, "add", add, input, other, alpha=alpha)
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, TensorBase):
        return add(other, input)
    return Add.apply(*promote(input, other))


def sub(input, other, *, alpha=1, out=None):
    if out is not None:
        return write_out(out, "sub", sub, input, other, alpha=alpha)
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, TensorBase):
        return rsub(other, input)
    input, other = promote(input, other)
    if input._data.dtype == np.bool_:
        raise errors.subtraction_of_bools()
    return Sub.apply(input, other)


subtract = sub


def rsub(input, other):
    """other - input, for a number `other`."""
    if isinstance(other, TensorBase):
        return sub(other, input)
    input, other = promote(input, other)
    if input._data.dtype == np.bool_:
        raise errors.subtraction_of_bools()
    return Rsub.apply(input, number=other)


def mul(input, other, *, out=None):
    if out is not None:
        return write_out(out, "mul", mul, input, other)
    if not isinstance(input, TensorBase):
        return mul(other, input)
    return Mul.apply(*promote(input, other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    if out is not None:
        return write_out(out, "div", div, input, other, rounding_mode=rounding_mode)
    if not isinstance(input, TensorBase):
        return reciprocal(other) * input
    dividend, divisor = promote(input, other)
    if rounding_mode is not None:  # no gradient: a rounded quotient is flat almost everywhere
        return dividend._wrap(_rounded_division(dividend._data, _array_of(divisor), rounding_mode))
    if dividend._data.dtype.kind != "f":  # true division of integers gives the default float dtype
        dividend = dividend.to(dtypes.float32)
        divisor = divisor.to(dtypes.float32) if isinstance(divisor, TensorBase) else divisor
    return Div.apply(dividend, divisor)


divide = true_divide = div


def _rounded_division(dividend, divisor, mode):
    if np.asarray(dividend).dtype.kind in "iub" and np.asarray(divisor).dtype.kind in "iub" \
            and not np.all(divisor):  # integers have no inf: torch refuses to divide by 0
        raise errors.integer_division_by_zero()
    if mode == "floor":
        return np.floor_divide(dividend, divisor)
    if mode == "trunc":
        quotient = np.trunc(np.true_divide(dividend, divisor))
        if np.asarray(dividend).dtype.kind != "f":  # integers stay integers
            return quotient.astype(np.result_type(dividend, divisor))
        return quotient
    raise errors.unknown_rounding_mode(mode)


def pow(input, exponent, *, out=None):
    if out is not None:
        return write_out(out, "pow", pow, input, exponent)
    if not isinstance(input, TensorBase):  # number ** tensor
        if not (exponent.is_floating_point() or isinstance(input, int)):
            exponent = exponent.float()  # an integer tensor under a float base gives floats
        return RPow.apply(exponent, base=input)
    if isinstance(exponent, TensorBase):
        return Pow.apply(*promote(input, exponent))
    input, exponent = promote(input, exponent)
    if input._data.dtype.kind in "iu" and type(exponent) is int and exponent < 0:
        raise errors.negative_integer_power()
    return PowScalar.apply(input, exponent=exponent)


def square(input, *, out=None):
    if out is not None:
        return write_out(out, "pow", square, input)
    return pow(input, 2)


def neg(input, *, out=None):
    if out is not None:
        return write_out(out, "neg", neg, input, check=same_dtype)
    if input._data.dtype == np.bool_:
        raise errors.negation_of_bool()
    return Neg.apply(input)


negative = neg


# ---- unary math ----------------------------------------------------------------------------

def _computed_in_float(op):
    """The function for `op`, which torch computes in the default float dtype for integers."""
    def function(input, *, out=None):
        if out is not None:
            return write_out(out, function.__name__, function, input)
        return op.apply(input if input._data.dtype.kind == "f" else input.to(dtypes.float32))
    function.__name__ = op.__name__.lower()
    function.__doc__ = f"Elementwise {function.__name__} (integers are computed in the default float dtype)."
    return function


exp = _computed_in_float(Exp)
log = _computed_in_float(Log)
sqrt = _computed_in_float(Sqrt)
rsqrt = _computed_in_float(Rsqrt)
sin = _computed_in_float(Sin)
cos = _computed_in_float(Cos)
tanh = _computed_in_float(Tanh)
sigmoid = _computed_in_float(Sigmoid)
reciprocal = _computed_in_float(Reciprocal)


def abs(input, *, out=None):
    if out is not None:
        return write_out(out, "abs", abs, input, check=same_dtype)
    if input._data.dtype == np.bool_:
        raise errors.not_implemented_for("abs_cpu", np.bool_)
    return Abs.apply(input)


def relu(input):
    if input._data.dtype == np.bool_:
        raise errors.relu_of_bool()
    return Relu.apply(input)


# ---- rounding: steps, whose derivative is 0 ----------------------------------------------------

def _rounding(op, name):
    """The function for floor, ceil, trunc or round: integers are whole already (a copy,
    as torch); bool has no kernel (torch names its vectorised one)."""
    def function(input, *, out=None):
        if out is not None:
            return write_out(out, name, function, input, check=same_dtype)
        kind = input._data.dtype.kind
        if kind == "b":
            raise errors.not_implemented_for(f"{name}_vml_cpu", input._data.dtype)
        return op.apply(input) if kind == "f" else input._wrap(input._data.copy())
    function.__name__ = name
    function.__doc__ = f"Elementwise {name}; its gradient is 0."
    return function


floor = _rounding(Floor, "floor")
ceil = _rounding(Ceil, "ceil")
trunc = fix = _rounding(Trunc, "trunc")
_round_to_whole = _rounding(Round, "round")


def round(input, *, decimals=None, out=None):
    """Round half to even, to whole numbers or to `decimals` decimal places (negative:
    to tens, hundreds...). torch runs another kernel when decimals is given, even 0."""
    if out is not None:
        return write_out(out, "round", round, input, decimals=decimals, check=same_dtype)
    if decimals is None:
        return _round_to_whole(input)
    if input._data.dtype.kind != "f":
        kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
        raise errors.not_implemented_for(kernel, input._data.dtype)
    return RoundDecimals.apply(input, decimals=decimals)


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element (0 for nan); bools are their own sign."""
    if out is not None:
        return write_out(out, "sign", sign, input, check=same_dtype)
    if input._data.dtype == np.bool_:
        return input._wrap(input._data.copy())
    return Sign.apply(input)


# ---- selections ----------------------------------------------------------------------------

def clamp(input, min=None, max=None, *, out=None):
    if out is not None:
        bounds_are_tensors = isinstance(min, TensorBase) or isinstance(max, TensorBase)
        return write_out(out, "clamp", clamp, input, min, max,
                         check=castable if bounds_are_tensors else same_dtype)
    if min is None and max is None:
        raise errors.clamp_without_bounds()
    if isinstance(min, TensorBase) or isinstance(max, TensorBase):  # bounds per element
        out = input
        if min is not None:
            out = maximum(out, _as_tensor_like(min, input))
        if max is not None:
            out = minimum(out, _as_tensor_like(max, input))
        return out
    if input._data.dtype.kind != "f" and any(isinstance(bound, float) for bound in (min, max)):
        input = input.to(dtypes.float32)
    return Clamp.apply(input, min=min, max=max)


clip = clamp


def where(condition, input, other, *, out=None):
    """Pick input where condition holds, else other; gradients flow to the picked side."""
    if out is not None:
        return write_out(out, "where", where, condition, input, other, check=where_dtype)
    condition_array = condition._data if isinstance(condition, TensorBase) else np.asarray(condition)
    if condition_array.dtype != np.bool_:
        raise errors.where_condition_not_bool(condition_array.dtype)
    result_dtype = dtypes.result_type(_array_of(input), _array_of(other))
    like = next(x for x in (condition, input, other) if isinstance(x, TensorBase))
    input, other = (value.to(result_dtype) if isinstance(value, TensorBase)
                    else like._wrap(np.asarray(value, dtype=result_dtype))
                    for value in (input, other))
    return Where.apply(input, other, condition=condition_array)


def maximum(input, other, *, out=None):
    if out is not None:
        return write_out(out, "maximum", maximum, input, other)
    return Maximum.apply(*promote(input, other))


def minimum(input, other, *, out=None):
    if out is not None:
        return write_out(out, "minimum", minimum, input, other)
    return Minimum.apply(*promote(input, other))


# ---- comparisons: bool results, no gradient ------------------------------------------------

_COMPARISON_NAMES = {"equal": "eq", "not_equal": "ne", "less": "lt", "less_equal": "le",
                     "greater": "gt", "greater_equal": "ge"}


def _comparison(numpy_op):
    def compare(input, other, *, out=None):
        if out is not None:
            return write_out(out, compare.__name__, compare, input, other, differentiable=False)
        if other is None or isinstance(other, (str, list, tuple)):  # torch: a plain False
            return numpy_op is np.not_equal
        if isinstance(other, TensorBase):
            other_array = other._data
        else:
            _, other_array = promote(input, other)  # numbers compare in the tensor's dtype, as in torch
        try:
            return input._wrap(numpy_op(input._data, other_array))
        except ValueError:
            raise errors.broadcast_mismatch(input._data.shape, np.shape(other_array)) from None
    compare.__name__ = _COMPARISON_NAMES[numpy_op.__name__]
    return compare


eq = _comparison(np.equal)
ne = _comparison(np.not_equal)
lt = _comparison(np.less)
le = _comparison(np.less_equal)
gt = _comparison(np.greater)
ge = _comparison(np.greater_equal)


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


# ---- logical and bitwise: no gradient ------------------------------------------------------

def logical_not(input, *, out=None):
    if out is not None:
        return write_out(out, "logical_not", logical_not, input, check=castable_directly,
                         differentiable=False)
    return input._wrap(np.logical_not(input._data))


def logical_and(input, other, *, out=None):
    if out is not None:
        return write_out(out, "logical_and", logical_and, input, other, check=castable_directly,
                         differentiable=False)
    return input._wrap(np.logical_and(input._data, _array_of(other)))


def logical_or(input, other, *, out=None):
    if out is not None:
        return write_out(out, "logical_or", logical_or, input, other, check=castable_directly,
                         differentiable=False)
    return input._wrap(np.logical_or(input._data, _array_of(other)))


def _bitwise(numpy_op, name):
    """&, |, ^ and ~ : bitwise on integers, logical on bools (as numpy and torch do)."""
    def bitwise(input, other=None, *, out=None):
        if out is not None:
            # (~x keeps its dtype; &, |, ^ cast into out as arithmetic does)
            return write_out(out, name, bitwise, input, other, differentiable=False,
                             check=same_dtype if other is None else castable)
        if input._data.dtype.kind == "f" or (isinstance(other, TensorBase) and other._data.dtype.kind == "f"):
            raise errors.not_implemented_for(f"{name}_cpu", np.float32)  # torch's words: 'Float'
        if other is None:
            return input._wrap(numpy_op(input._data))
        return input._wrap(numpy_op(input._data, _array_of(other)))
    bitwise.__name__ = name
    return bitwise


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")
bitwise_not = _bitwise(np.invert, "bitwise_not")
