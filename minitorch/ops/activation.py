"""Activations beyond relu/sigmoid/tanh (those are lines in ops/elementwise.py's table):
leaky_relu, elu, gelu (exact and tanh-approximated) and silu.

Each is elementwise, so each derivative is `grad` times a local slope. The formulas are
torch's CPU kernels', term for term, in the input's own dtype (float16 is computed in
float32 and rounded once): a float32 GELU of 1e20 squares to inf and its gradient is nan
in torch, and so it is here.

leaky_relu and elu have a second node for their in-place forms (LeakyReluBackward1,
EluBackward1): the input is gone once overwritten, so the slope is read off the result.
That only works for a slope that keeps the sign (negative_slope >= 0, alpha >= 0); with
any other, torch refuses in backward, and so does this node, raising the error the
caller handed it (`refusal`: the math holds no error texts).
"""
import math

import numpy as np

from .. import kernels
from ..autograd.function import Function
from ..dtypes import widen
from .elementwise import flat_loop


def erf(a):
    """The error function, elementwise (numpy has none; C's erf, as torch's scalar kernel,
    in a Numba loop: kernels/special.py)."""
    return flat_loop(kernels.special.erf_into, a)


# ---- leaky_relu -------------------------------------------------------------------------------

class LeakyRelu(Function):
    """out = a if a > 0 else negative_slope * a;  da = grad if a > 0 else negative_slope * grad"""
    node_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save_for_backward(a)
        ctx.negative_slope = negative_slope
        return np.where(a > 0, a, a * negative_slope)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return np.where(a > 0, grad, grad * ctx.negative_slope)


class LeakyReluResult(Function):
    """leaky_relu_ (in place): the same slope, read off the result (out > 0 where a > 0)"""
    node_name = "LeakyReluBackward1"

    @staticmethod
    def forward(ctx, a, negative_slope=0.01, refusal=None):
        out = np.where(a > 0, a, a * negative_slope)
        ctx.save_for_backward(out)
        ctx.negative_slope, ctx.refusal = negative_slope, refusal
        return out

    @staticmethod
    def backward(ctx, grad):
        if ctx.refusal is not None:  # a negative slope: the result no longer tells the sign
            raise ctx.refusal
        (out,) = ctx.saved
        return np.where(out > 0, grad, grad * ctx.negative_slope)


# ---- elu --------------------------------------------------------------------------------------

class Elu(Function):
    """out = a if a > 0 else alpha (e^a - 1);  da = grad if a > 0 else grad alpha e^a"""
    node_name = "EluBackward0"

    @staticmethod
    def forward(ctx, a, alpha=1.0):
        ctx.save_for_backward(a)
        ctx.alpha = alpha
        x = widen(a)
        return np.where(x > 0, x, np.expm1(x) * alpha).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        x, g = widen(a), widen(grad)
        # a nan takes the exp branch (nan), as torch's vectorized loop does; its scalar loop,
        # for the few elements past the last full vector pair, passes grad: torch differs
        # from itself there
        return np.where(x > 0, g, g * ctx.alpha * np.exp(x)).astype(grad.dtype, copy=False)


class EluResult(Function):
    """elu_ (in place): da = grad if out > 0 else grad (out + alpha)   (alpha e^a = out + alpha)"""
    node_name = "EluBackward1"

    @staticmethod
    def forward(ctx, a, alpha=1.0, refusal=None):
        x = widen(a)
        out = np.where(x > 0, x, np.expm1(x) * alpha).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        ctx.alpha, ctx.refusal = alpha, refusal
        return out

    @staticmethod
    def backward(ctx, grad):
        if ctx.refusal is not None:  # a negative alpha: the result no longer tells the sign
            raise ctx.refusal
        (out,) = ctx.saved
        y, g = widen(out), widen(grad)
        return np.where(y > 0, g, g * (y + ctx.alpha)).astype(grad.dtype, copy=False)  # (as Elu)


# ---- gelu -------------------------------------------------------------------------------------

SQRT1_2 = math.sqrt(0.5)                           # 1/sqrt(2)
INVERSE_SQRT_2PI = 1 / math.sqrt(2 * math.pi)      # the standard normal density at 0
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)            # tanh approximation's scale
KAPPA = 0.044715                                   # tanh approximation's cubic term


class Gelu(Function):
    """out = a Phi(a);  da = grad (Phi(a) + a phi(a))   (Phi, phi: the normal cdf and density)"""
    node_name = "GeluBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = widen(a)
        return (x * 0.5 * (1 + erf(x * SQRT1_2))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        x, g = widen(a), widen(grad)
        cdf = 0.5 * (1 + erf(x * SQRT1_2))
        pdf = INVERSE_SQRT_2PI * np.exp(x * x * -0.5)
        return (g * (cdf + x * pdf)).astype(grad.dtype, copy=False)


class GeluTanh(Function):
    """out = a/2 (1 + tanh(u)), u = sqrt(2/pi) (a + 0.044715 a^3);
    da = grad (1/2 (1 + tanh u) + a/2 (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 a^2))"""
    node_name = "GeluBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = widen(a)
        inner = SQRT_2_OVER_PI * (x + KAPPA * (x * x * x))
        return (0.5 * x * (1 + np.tanh(inner))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        x, g = widen(a), widen(grad)
        x_squared = x * x
        tanh_inner = np.tanh(SQRT_2_OVER_PI * (x + KAPPA * (x_squared * x)))
        left, right = 0.5 * x, 1 + tanh_inner
        left_derivative = 0.5 * right
        right_derivative = left * (1 - tanh_inner * tanh_inner)
        inner_derivative = SQRT_2_OVER_PI * (1 + 3 * KAPPA * x_squared)
        return (g * (left_derivative + right_derivative * inner_derivative)).astype(
            grad.dtype, copy=False)


# ---- silu -------------------------------------------------------------------------------------

class Silu(Function):
    """out = a sigmoid(a);  da = grad s (1 + a (1 - s)),  s = sigmoid(a)"""
    node_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = widen(a)
        return (x / (1 + np.exp(-x))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        x, g = widen(a), widen(grad)
        s = 1 / (1 + np.exp(-x))
        return (g * s * (1 + x * (1 - s))).astype(grad.dtype, copy=False)
