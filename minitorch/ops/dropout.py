"""Dropout: zero each element with probability p and scale the survivors by 1/(1-p), so
the expected value is unchanged. The gradient flows through the same scaled mask.

torch records dropout as the product x * mask: a MulBackward0 node whose second operand,
the mask, takes no gradient. The mask is made inside forward, so it is no operand here:
the node's record (`untracked_operands = 1`) shows it as torch does, (None, 0) in
next_functions.
"""
import numpy as np

from ..autograd.function import Function


class Dropout(Function):
    """out = x * mask / (1 - p);  dx = grad * mask / (1 - p)   (mask: 1 with chance 1 - p)"""
    node_name = "MulBackward0"
    untracked_operands = 1  # the mask torch's node lists as its second operand

    @staticmethod
    def forward(ctx, x, p, rng):
        if p == 1:  # zeros, not x * 0: an inf or nan input still gets a zero gradient
            mask = np.zeros_like(x)
        else:
            mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
        ctx.save_for_backward(mask)  # the mask, already scaled by 1 / (1 - p)
        return x * mask

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved
        return grad * mask
