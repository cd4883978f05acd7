"""Cumulative ops: cumsum and cumprod along one dim.

out[j] sums (or multiplies) a[0..j] along the dim, so the gradient of a[k] collects the
gradients of every out[j] with j >= k: a sum from the end backwards (`reversed_cumsum`).
Both ops may compute in another dtype than their input's (`dtype=`, or int64 for integers,
as torch): forward casts first, and the engine casts the gradient back to a's dtype.
"""
import numpy as np

from .. import dtypes
from ..autograd.function import Function


def reversed_cumsum(w, dim):
    """r[k] = sum of w[j] for j >= k along dim."""
    return np.flip(np.cumsum(np.flip(w, dim), axis=dim), dim)


def _scan(scan, a, dim, dtype):
    """scan (np.cumsum or np.cumprod) of a in dtype; float16 accumulates in float32, as
    torch's CPU kernels do, and a 0-d tensor is its own scan."""
    a = a.astype(dtype, copy=False)
    if a.ndim == 0:
        return a.copy()
    return scan(a, axis=dim, dtype=dtypes.compute_dtype(a.dtype)).astype(dtype, copy=False)


class Cumsum(Function):
    """out[j] = sum(a[:j+1]) along dim;  da[k] = sum(grad[k:]) along dim"""
    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, a, dim=0, dtype=None):
        ctx.dim = dim
        return _scan(np.cumsum, a, dim, dtype)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0:
            return grad
        return reversed_cumsum(grad, ctx.dim)


class Cumprod(Function):
    """out[j] = prod(a[:j+1]) along dim;  da[k] = sum over j >= k of grad[j] * prod(a[:j+1]
    without a[k]), which is reversed_cumsum(grad * out)[k] / a[k] where a has no zero

    With zeros, as torch: let z1 be a slice's first zero and z2 its second (or its end).
    Before z1 the division is safe; after z1 every product holds a[z1] = 0, so da = 0; at
    z1, da = prod(a[:z1]) * sum over z1 <= j < z2 of grad[j] * prod(a[z1+1:j+1])."""
    node_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, a, dim=0, dtype=None):
        out = _scan(np.cumprod, a, dim, dtype)
        ctx.dim = dim
        ctx.save_for_backward(a.astype(out.dtype, copy=False), out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        dim = ctx.dim
        if a.size <= 1 or a.shape[dim] == 1:
            return grad
        w = out * grad
        is_zero = a == 0
        if not is_zero.any():
            return reversed_cumsum(w, dim) / a
        zeros_so_far = np.cumsum(is_zero, axis=dim)
        before_first_zero = zeros_so_far == 0
        grad_a = np.where(before_first_zero,
                          reversed_cumsum(np.where(before_first_zero, w, 0), dim) / a, 0)
        up_to_second_zero = zeros_so_far == 1                  # [z1, z2)
        first_zero = is_zero & up_to_second_zero
        after_first_zero = up_to_second_zero & ~first_zero     # (z1, z2)
        products = np.cumprod(np.where(after_first_zero, a, 1), axis=dim)
        at_first_zero = (products * np.where(up_to_second_zero, grad, 0)).sum(axis=dim,
                                                                             keepdims=True)
        z1 = np.argmax(first_zero, axis=dim, keepdims=True)
        product_before = np.where(z1 == 0, 1, np.take_along_axis(out, np.maximum(z1 - 1, 0),
                                                                 axis=dim))
        return np.where(first_zero, at_first_zero * product_before, grad_a).astype(grad.dtype,
                                                                                  copy=False)
