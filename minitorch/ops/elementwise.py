"""Elementwise ops: arithmetic, unary math, comparisons, where/maximum/minimum, casts.

Each op's forward and backward sit together. Inputs may broadcast: backward returns the
gradient at the output's shape and the engine sums it back to each input's shape.
"""
import numpy as np

from ..autograd.function import Function


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
