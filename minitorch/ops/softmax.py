"""softmax and log_softmax along one dim, computed stably (the max is subtracted first).

With y = softmax(x):     dx = y * (dy - sum(dy * y))
With y = log_softmax(x): dx = dy - softmax(x) * sum(dy)
"""
import numpy as np

from ..autograd.function import Function


class Softmax(Function):
    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        e = np.exp(x - x.max(dim, keepdims=True)) if x.size else x.copy()
        out = e / e.sum(dim, keepdims=True)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return out * (grad - (grad * out).sum(ctx.dim, keepdims=True))


class LogSoftmax(Function):
    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        if not x.size:
            out = x.copy()
        else:
            shifted = x - x.max(dim, keepdims=True)
            out = shifted - np.log(np.exp(shifted).sum(dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad - np.exp(out) * grad.sum(ctx.dim, keepdims=True)
