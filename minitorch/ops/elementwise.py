"""Elementwise ops: arithmetic, unary math, comparisons, where/maximum/minimum, casts.

Each op's forward and backward sit together. Inputs may broadcast: backward returns the
gradient at the output's shape and the engine sums it back to each input's shape.
"""
import numpy as np

from .. import dtypes
from ..autograd.function import Function, raise_broadcast_error
from ..tensor import Tensor


def promote(a, b):
    """Cast tensor operands to torch's result dtype for `a op b` (a number stays a number)."""
    if isinstance(b, Tensor):
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
        return promote(a, Tensor._make(b))  # and an array as a tensor
    elif not isinstance(b, (int, float)):
        raise TypeError(f"unsupported operand type: Tensor and {type(b).__name__}")
    rt = dtypes.result_type(a._data, b)
    a = a if a._data.dtype == rt else a.to(rt)
    if rt.kind in "iu" and type(b) is int:
        b = np.array(b).astype(rt).item()  # out-of-range ints wrap around, as torch's do
    return a, b


def _tensor(x, like):
    """x as a Tensor of like's dtype, for ops where torch accepts a number in a tensor's place."""
    return x if isinstance(x, Tensor) else Tensor._make(np.asarray(x, dtype=like._data.dtype))


# ---- arithmetic --------------------------------------------------------------------------

class Add(Function):
    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, (-grad if ctx.needs_input_grad[1] else None)


class Rsub(Function):
    """number - tensor (torch's rsub)."""
    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number=0):
        return number - a

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Mul(Function):
    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        # d/da needs b and d/db needs a: keep only what a wanted gradient needs
        need_a, need_b = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return (None if b is None else grad * b), (None if a is None else grad * a)


class Div(Function):
    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        need_b = ctx.needs_input_grad[1] if ctx.needs_input_grad else False
        ctx.save_for_backward(a if need_b else None, b)  # d/db needs a; both need b
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        grad_a = grad / b
        return grad_a, (None if a is None else -grad_a * a / b)


class Neg(Function):
    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Reciprocal(Function):
    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        out = 1 / a
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return -grad * out * out


class PowScalar(Function):
    """tensor ** number."""
    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, exponent=1):
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        return a ** exponent

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        p = ctx.exponent
        if p == 0:
            return np.zeros_like(grad)
        return grad * p * a ** (p - 1)


class Pow(Function):
    """tensor ** tensor."""
    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        out = a ** b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        grad_a = grad * b * np.where(b == 0, 0, a ** np.where(b == 0, 1, b - 1))
        grad_b = grad * np.where((a == 0) & (b >= 0), 0, out * np.log(a))
        return grad_a, grad_b


class RPow(Function):
    """number ** tensor."""
    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, b, base=1):
        out = np.power(base, b, dtype=b.dtype) if b.dtype.kind == "f" else base ** b
        ctx.save_for_backward(out)
        ctx.log_base = np.log(base)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        if ctx.log_base == -np.inf:  # base 0: torch's gradient is 0 (0 ** x is flat or inf)
            return np.zeros_like(grad)
        return grad * out * ctx.log_base


# ---- unary math --------------------------------------------------------------------------

class Abs(Function):
    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * np.sign(np.nan_to_num(a, nan=0.0))  # sign(nan) taken as 0, as in torch


class Exp(Function):
    node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * out


class Log(Function):
    node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad / a


class Sqrt(Function):
    node_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad / (2 * out)


class Rsqrt(Function):
    node_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        out = 1 / np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return -0.5 * grad * out ** 3


class Sin(Function):
    node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * np.cos(a)


class Cos(Function):
    node_name = "CosBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return -grad * np.sin(a)


class Tanh(Function):
    node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * (1 - out * out)


class Sigmoid(Function):
    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        # for very negative a, exp(-a) overflows to inf and 1 / (1 + inf) is the right 0
        out = 1 / (1 + np.exp(-a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * out * (1 - out)


class Relu(Function):
    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        # selected, not multiplied by a mask: a nan gradient stays where the ReLU is off
        # (0 * nan would be nan); a nan output passes its gradient, as in torch
        return np.where(out <= 0, 0, grad)


class Clamp(Function):
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        ctx.save_for_backward(a)
        ctx.min, ctx.max = min, max
        out = a
        if min is not None:
            out = np.maximum(out, np.asarray(min, dtype=a.dtype))
        if max is not None:
            out = np.minimum(out, np.asarray(max, dtype=a.dtype))
        return out if out is not a else a.copy()

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        keep = np.ones(a.shape, dtype=bool)  # strictly inside the bounds, as in torch
        if ctx.min is not None:
            keep &= a > ctx.min
        if ctx.max is not None:
            keep &= a < ctx.max
        return np.where(keep, grad, 0)  # selected, so a nan gradient stays outside the bounds


class Where(Function):
    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, a, b, condition=None):
        ctx.condition = condition
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        zero = np.zeros((), dtype=grad.dtype)
        return np.where(ctx.condition, grad, zero), np.where(ctx.condition, zero, grad)


class Maximum(Function):
    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        half = grad * np.where(a == b, 0.5, 1.0)  # ties split the gradient evenly, as in torch
        return np.where(a < b, 0, half), np.where(a > b, 0, half)  # nan: both get it


class Minimum(Function):
    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        half = grad * np.where(a == b, 0.5, 1.0)
        return np.where(a > b, 0, half), np.where(a < b, 0, half)


class ToCopy(Function):
    """A cast to another dtype; the gradient is cast back."""
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, dtype=None):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


# ---- the functions users call ------------------------------------------------------------

def add(input, other, *, alpha=1):
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, Tensor):
        return add(other, input)
    return Add.apply(*promote(input, other))


def sub(input, other, *, alpha=1):
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, Tensor):
        return rsub(other, input)
    return Sub.apply(*promote(input, other))


def rsub(input, other):
    """other - input, for a number `other`."""
    if isinstance(other, Tensor):
        return sub(other, input)
    input, other = promote(input, other)
    return Rsub.apply(input, number=other)


def mul(input, other):
    if not isinstance(input, Tensor):
        return mul(other, input)
    return Mul.apply(*promote(input, other))


def div(input, other, *, rounding_mode=None):
    if not isinstance(input, Tensor):
        return reciprocal(other) * input
    if rounding_mode is not None:
        a, b = promote(input, other)
        return Tensor._make(_rounded_div(a._data, b._data if isinstance(b, Tensor) else b,
                                         rounding_mode))
    a, b = promote(input, other)
    if a._data.dtype.kind != "f":  # true division of integers gives the default float dtype
        a = a.to(dtypes.float32)
        b = b.to(dtypes.float32) if isinstance(b, Tensor) else b
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
    if not isinstance(input, Tensor):
        exponent = exponent if exponent.is_floating_point() or isinstance(input, int) else exponent.float()
        return RPow.apply(exponent, base=input)
    if isinstance(exponent, Tensor):
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
    if isinstance(min, Tensor) or isinstance(max, Tensor):
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
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {dtypes.scalar_name(cond.dtype)}")
    values = [x._data if isinstance(x, Tensor) else x for x in (input, other)]
    rt = dtypes.result_type(*values)
    input, other = (x.to(rt) if isinstance(x, Tensor) else Tensor._make(np.asarray(x, dtype=rt))
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
        if isinstance(other, Tensor):
            b = other._data
        else:
            _, b = promote(input, other)  # numbers compare in the tensor's dtype, as in torch
        try:
            return Tensor._make(np_op(input._data, b))
        except ValueError:
            raise_broadcast_error(input._data.shape, np.shape(b))
    fn.__name__ = np_op.__name__
    return fn


eq, ne, lt, le, gt, ge = (_compare(f) for f in (np.equal, np.not_equal, np.less, np.less_equal,
                                                  np.greater, np.greater_equal))


def isnan(input):
    return Tensor._make(np.isnan(input._data))


def isinf(input):
    return Tensor._make(np.isinf(input._data))


def isfinite(input):
    return Tensor._make(np.isfinite(input._data))


def equal(input, other):
    """True when both have the same shape and the same values."""
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def logical_not(input):
    return Tensor._make(np.logical_not(input._data))


def logical_and(input, other):
    return Tensor._make(np.logical_and(input._data, _data(other)))


def logical_or(input, other):
    return Tensor._make(np.logical_or(input._data, _data(other)))


def _bitwise(np_op):
    """&, |, ^ and ~ : bitwise on integers, logical on bools (as numpy and torch do)."""
    def fn(input, other=None):
        if input._data.dtype.kind == "f" or (isinstance(other, Tensor) and other._data.dtype.kind == "f"):
            raise NotImplementedError(f'"{fn.__name__}_cpu" not implemented for \'Float\'')
        return Tensor._make(np_op(input._data) if other is None else np_op(input._data, _data(other)))
    fn.__name__ = {"invert": "bitwise_not"}.get(np_op.__name__, np_op.__name__)
    return fn


bitwise_and, bitwise_or, bitwise_xor, bitwise_not = (
    _bitwise(f) for f in (np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert))


def _data(x):
    return x._data if isinstance(x, Tensor) else x
