"""Dropout: zero each element with probability p and scale the survivors by 1/(1-p), so
the expected value is unchanged. The gradient flows through the same scaled mask (torch
records the product x * mask, hence MulBackward0 with a second operand, the mask, that
takes no gradient: the `None` it is applied with)."""
import numpy as np

from ..autograd.function import Function


class Dropout(Function):
    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, mask_operand, p, rng):
        if p == 1:  # zeros, not x * 0: an inf or nan input still gets a zero gradient
            mask = np.zeros_like(x)
        else:
            mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved
        return grad * mask, None
