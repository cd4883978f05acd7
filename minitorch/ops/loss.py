"""The losses torch computes in one node: mse_loss and nll_loss.

Each reduces the per-element losses as asked ('none', 'sum' or 'mean'); the gradient of a
'mean' is divided by the same count (or, for nll_loss, total weight) as the loss was.

cross_entropy is log_softmax followed by nll_loss (two nodes, as in torch); its label
smoothing and probability targets are built from ordinary ops in nn.functional.
"""
import numpy as np

from ..autograd.function import Function


def reduce(loss, reduction, total=None):
    """Apply a loss's reduction: 'none' keeps every element, 'sum' adds them, 'mean'
    divides the sum by `total` (the element count unless given)."""
    if reduction == "none":
        return loss
    s = loss.sum(dtype=loss.dtype)
    if reduction == "sum":
        return s
    return s / (loss.size if total is None else total)


class MseLoss(Function):
    """out = mean (or sum) of (input - target)^2;  d input = 2 (input - target) / n,
    d target = -d input   (n: the element count for 'mean', else 1)"""
    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction, dtype):
        diff = np.subtract(input, target, dtype=dtype)  # in the operands' common dtype
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        return np.asarray(reduce(diff * diff, reduction))

    @staticmethod
    def backward(ctx, grad):
        (diff,) = ctx.saved
        # (an empty input has an empty gradient: nothing to divide)
        scale = 2 / max(diff.size, 1) if ctx.reduction == "mean" else 2
        g = diff * (grad * diff.dtype.type(scale))
        return g, -g


class NllLoss(Function):
    """out = -sum_n w[t_n] input[n, t_n] / total weight;  d input[n, t_n] = -w[t_n] / total weight

    That is 'mean' (total weight = sum_n w[t_n]); 'sum' does not divide, 'none' keeps each
    n. The class dim is 1, an ignored target has w = 0, every other entry of d input is 0.

    The target and the class weights are options, not operands: torch's node links to the
    input only. An unbatched input (C,) with a 0-d target is a batch of one here."""
    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, input, target, weight, reduction, ignore_index):
        batched = input.ndim > 1
        x = input if batched else input[None]
        t = target if batched else target.reshape(1)  # a 0-d target, or one of size 1
        keep = t != ignore_index
        safe_t = np.where(keep, t, 0)
        w = (np.ones(x.shape[1], x.dtype) if weight is None else weight)[safe_t] * keep
        picked = np.take_along_axis(x, safe_t[:, None], 1)[:, 0]
        total = w.sum(dtype=x.dtype)
        out = reduce(-w * picked, reduction, total)
        ctx.save_for_backward(safe_t, keep, w, total)
        ctx.shape, ctx.reduction, ctx.batched = x.shape, reduction, batched
        return np.asarray(out if batched or reduction != "none" else out[0])

    @staticmethod
    def backward(ctx, grad):
        safe_t, keep, w, total = ctx.saved
        g = grad if ctx.batched or ctx.reduction != "none" else grad[None]
        if ctx.reduction == "mean":
            g = g / total
        dx = np.zeros(ctx.shape, dtype=w.dtype)
        # ignored targets get no gradient, even when g is nan (all ignored: total is 0)
        np.put_along_axis(dx, safe_t[:, None], np.where(keep, -w * g, 0)[:, None], 1)
        return dx if ctx.batched else dx[0]


class NllLoss2d(NllLoss):
    """nll_loss of an image (N, C, H, W) with targets (N, H, W): the same math, torch's
    2-D kernel (other spatial ranks are reshaped to it by the caller)."""
    node_name = "NllLoss2DBackward0"
