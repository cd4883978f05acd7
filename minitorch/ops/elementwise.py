"""Elementwise ops: arithmetic, unary math, where/maximum/minimum, casts.

Each output element depends on the elements at the same place in the operands, so each
derivative is elementwise too: `grad` (the output's gradient) times the local slope.
Operands may broadcast: backward returns the gradient at the output's shape and the
engine sums it back to each operand's shape (a broadcast operand was used many times).

The one-operand ops with a one-expression derivative are a table of rules (as HIPS
autograd's `defvjp` and tinygrad's gradient table write them): each line gives torch's
node name, the forward, the derivative, and what the derivative needs kept. The ops with
two operands or options are classes, forward and backward side by side.
"""
import numpy as np

from ..autograd.function import Function
from .. import kernels


def flat_loop(loop, *arrays):
    """loop(*arrays, result) run over flat views of same-shape, same-dtype arrays (Numba's
    loops index one dim, and a flat loop vectorises); the result in the arrays' shape."""
    result = np.empty(arrays[0].shape, dtype=arrays[0].dtype)
    loop(*[a.reshape(-1) for a in arrays], result.reshape(-1))
    return result


def relu(a):
    """max(a, 0), -0.0 kept (torch's relu): in float32 and float64 a Numba loop, 4x faster
    than np.maximum (kernels/special.py)."""
    if a.dtype in (np.float32, np.float64):
        return flat_loop(kernels.special.relu, a)
    return np.maximum(a, 0)


def relu_backward(grad, out):
    """np.where(out <= 0, 0, grad): in float32 and float64 a Numba loop that selects without
    a branch per element (kernels/special.py says why that is 25x faster)."""
    if grad.dtype == out.dtype and grad.dtype in (np.float32, np.float64):
        return flat_loop(kernels.special.relu_backward, grad, out)
    return np.where(out <= 0, 0, grad)


# ---- one operand: a table of rules ---------------------------------------------------------

def unary(node_name, forward, derivative, saves=None):
    """The Function class of a one-operand op, built from its rule:

        out = forward(a)
        da  = derivative(grad, out)   saves="output": the output is kept for backward
        da  = derivative(grad, a)     saves="input":  the input is kept
        da  = derivative(grad)        saves nothing

    The class is named for torch's node ("ExpBackward0" makes class Exp). Its forward and
    backward are one plain function each, as a hand-written class has: `saves` is looked
    at here, once, not on every call."""
    # `ctx.saved = (x,)` is what ctx.save_for_backward(x) does, without that call: the call
    # to `forward` takes its place, so a rule costs no more than a hand-written class
    if saves == "output":
        def forward_and_save(ctx, a):
            out = forward(a)
            ctx.saved = (out,)
            return out
    elif saves == "input":
        def forward_and_save(ctx, a):
            ctx.saved = (a,)
            return forward(a)
    else:
        def forward_and_save(ctx, a):
            return forward(a)
    if saves is None:
        def backward(ctx, grad):
            return derivative(grad)
    else:
        def backward(ctx, grad):
            (saved,) = ctx.saved
            return derivative(grad, saved)
    class_name = node_name.removesuffix("Backward0")
    saved = {"output": "grad, out", "input": "grad, a", None: "grad"}[saves]
    return type(class_name, (Function,), {
        "__doc__": f"out = forward(a);  da = derivative({saved}), as its line in the table says",
        "__module__": __name__,
        "__qualname__": class_name,
        "node_name": node_name,
        "forward": staticmethod(forward_and_save),
        "backward": staticmethod(backward),
    })


#                  torch's node           out = forward(a)            da = derivative(grad, saved)
Neg        = unary("NegBackward0",        np.negative,                lambda grad: -grad)
Exp        = unary("ExpBackward0",        np.exp,                     lambda grad, out: grad * out, saves="output")
Log        = unary("LogBackward0",        np.log,                     lambda grad, a: grad / a, saves="input")
Sqrt       = unary("SqrtBackward0",       np.sqrt,                    lambda grad, out: grad / (2 * out), saves="output")
Rsqrt      = unary("RsqrtBackward0",      lambda a: 1 / np.sqrt(a),   lambda grad, out: -0.5 * grad * out ** 3, saves="output")
Reciprocal = unary("ReciprocalBackward0", lambda a: 1 / a,            lambda grad, out: -grad * out * out, saves="output")
Sin        = unary("SinBackward0",        np.sin,                     lambda grad, a: grad * np.cos(a), saves="input")
Cos        = unary("CosBackward0",        np.cos,                     lambda grad, a: -grad * np.sin(a), saves="input")
Tanh       = unary("TanhBackward0",       np.tanh,                    lambda grad, out: grad * (1 - out * out), saves="output")
# sigmoid: for very negative a, exp(-a) overflows to inf and 1 / (1 + inf) is the right 0
Sigmoid    = unary("SigmoidBackward0",    lambda a: 1 / (1 + np.exp(-a)), lambda grad, out: grad * out * (1 - out), saves="output")
# relu: selected, not multiplied by a mask: a nan gradient stays where the ReLU is off
# (0 * nan would be nan); a nan output passes its gradient, as in torch
Relu       = unary("ReluBackward0",       relu,                       relu_backward,              saves="output")
# abs: sign(nan) taken as 0, as in torch
Abs        = unary("AbsBackward0",        np.abs,                     lambda grad, a: grad * np.sign(np.nan_to_num(a, nan=0.0)), saves="input")
# steps: flat almost everywhere, so their derivative is 0 (torch's choice at the jumps too)
Round      = unary("RoundBackward0",      np.round,                   lambda grad: np.zeros_like(grad))  # ties to even
Floor      = unary("FloorBackward0",      np.floor,                   lambda grad: np.zeros_like(grad))
Ceil       = unary("CeilBackward0",       np.ceil,                    lambda grad: np.zeros_like(grad))
Trunc      = unary("TruncBackward0",      np.trunc,                   lambda grad: np.zeros_like(grad))
# sign as torch computes it, (a > 0) - (a < 0): nan and -0.0 give 0
Sign       = unary("SignBackward0",       lambda a: (a > 0).astype(a.dtype) - (a < 0), lambda grad: np.zeros_like(grad))


class RoundDecimals(Function):
    """out = a rounded to `decimals` places (ties to even), in a's dtype as torch computes
    it: round(a * 10^d) / 10^d, or round(a / 10^-d) * 10^-d for d < 0;  da = 0"""
    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, a, decimals=0):
        if decimals >= 0:
            scale = np.asarray(10.0 ** decimals, dtype=a.dtype)
            return np.round(a * scale) / scale
        scale = np.asarray(10.0 ** -decimals, dtype=a.dtype)
        return np.round(a / scale) * scale

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


# ---- arithmetic ----------------------------------------------------------------------------

class Add(Function):
    """out = a + b;  da = grad,  db = grad"""
    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    """out = a - b;  da = grad,  db = -grad"""
    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, (-grad if ctx.needs_input_grad[1] else None)


class Rsub(Function):
    """out = number - a (torch's rsub);  da = -grad"""
    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number=0):
        return number - a

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Mul(Function):
    """out = a * b;  da = grad * b,  db = grad * a"""
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
    """out = a / b;  da = grad / b,  db = -grad * a / b²"""
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


def power(a, b):
    """a ** b. An integer to a negative integer power truncates toward zero, as in C and
    torch (numpy refuses): 1 stays 1, -1 alternates its sign, anything else gives 0."""
    if np.asarray(b).dtype.kind not in "iu" or np.asarray(a).dtype.kind not in "iu":
        return a ** b
    negative = np.asarray(b) < 0
    if not negative.any():
        return a ** b
    out = np.asarray(a) ** np.where(negative, 1, b)  # (any power will do where b < 0)
    odd = np.asarray(b) % 2 == 1
    truncated = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
    return np.where(negative, truncated, out).astype(out.dtype, copy=False)


class PowScalar(Function):
    """out = a ** p, p a number;  da = grad * p * a ** (p - 1)  (0 when p = 0)"""
    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, exponent=1):
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        return a ** exponent

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        exponent = ctx.exponent
        if exponent == 0:
            return np.zeros_like(grad)
        return grad * exponent * a ** (exponent - 1)


class Pow(Function):
    """out = a ** b;  da = grad * b * a ** (b - 1),  db = grad * out * log(a)"""
    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        out = power(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        # torch's choices where the formula is 0 * inf or log(0): b = 0 gives da = 0, and
        # a = 0 with b >= 0 gives db = 0
        grad_a = grad * b * np.where(b == 0, 0, a ** np.where(b == 0, 1, b - 1))
        grad_b = grad * np.where((a == 0) & (b >= 0), 0, out * np.log(a))
        return grad_a, grad_b


class RPow(Function):
    """out = base ** b, base a number;  db = grad * out * log(base)"""
    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, b, base=1):
        out = np.power(base, b, dtype=b.dtype) if b.dtype.kind == "f" else power(base, b)
        ctx.save_for_backward(out)
        ctx.log_base = np.log(base)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        if ctx.log_base == -np.inf:  # base 0: torch's gradient is 0 (0 ** x is flat or inf)
            return np.zeros_like(grad)
        return grad * out * ctx.log_base


# ---- selections: the gradient goes where the value came from ------------------------------

class Clamp(Function):
    """out = min(max(a, min), max);  da = grad where min < a < max, else 0"""
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
    """out = a where condition else b;  da = grad where condition,  db = grad elsewhere"""
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
    """out = max(a, b);  da = grad where a > b,  db = grad where b > a;  a tie gives each half"""
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
    """out = min(a, b);  da = grad where a < b,  db = grad where b < a;  a tie gives each half"""
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


# ---- casts ---------------------------------------------------------------------------------

class ToCopy(Function):
    """out = a cast to dtype;  da = grad (the engine casts it back to a's dtype)"""
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, dtype=None):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad
