"""The losses torch computes in one node: mse_loss and nll_loss.

Each reduces the per-element losses as asked ('none', 'sum' or 'mean'); the gradient of a
'mean' is divided by the same count (or, for nll_loss, total weight) as the loss was.

cross_entropy is log_softmax followed by nll_loss (two nodes, as in torch); its label
smoothing and probability targets are built from ordinary ops in nn.functional.
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import widen


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


def classes_last(x):
    """(N, C, d...) as (N, d..., C): each target's row of classes contiguous along the last
    dim (a view; a 2-D input is already so)."""
    return x if x.ndim == 2 else np.moveaxis(x, 1, -1)


def classes_back(x):
    """classes_last's inverse: (N, d..., C) as (N, C, d...)."""
    return x if x.ndim == 2 else np.moveaxis(x, -1, 1)


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
        safe_t = t * keep   # (an ignored target picks class 0, with weight 0)
        w = keep.astype(x.dtype) if weight is None else weight[safe_t] * keep
        rows = classes_last(x).reshape(-1, x.shape[1])    # one row of classes per target
        picked = rows[np.arange(len(rows)), safe_t.reshape(-1)].reshape(safe_t.shape)
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
        rows = np.zeros((safe_t.size, ctx.shape[1]), dtype=w.dtype)
        # ignored targets get no gradient, even when g is nan (all ignored: total is 0)
        rows[np.arange(len(rows)), safe_t.reshape(-1)] = np.where(keep, -w * g, 0).reshape(-1)
        dx = classes_back(rows.reshape(safe_t.shape + rows.shape[1:]))
        return dx if ctx.batched else dx[0]


class NllLoss2d(NllLoss):
    """nll_loss of an image (N, C, H, W) with targets (N, H, W): the same math, torch's
    2-D kernel (other spatial ranks are reshaped to it by the caller)."""
    node_name = "NllLoss2DBackward0"


# ---- binary cross entropy ---------------------------------------------------------------------

# torch's floor for p (1 - p) in binary_cross_entropy's gradient: a C float, for every dtype
EPSILON = float(np.float32(1e-12))


class BinaryCrossEntropy(Function):
    """out = -w (t log p + (1 - t) log(1 - p)), each log floored at -100;
    d p = grad w (p - t) / max(p (1 - p), 1e-12),  d t = -grad w log(p / (1 - p))   (/ n for 'mean')

    The weight w (already broadcast to p's shape, or None) is an option: torch's node takes
    no gradient for it."""
    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx, input, target, weight=None, reduction="mean"):
        p, t = widen(input), widen(target)
        loss = (t - 1) * np.maximum(np.log1p(-p), -100) - t * np.maximum(np.log(p), -100)
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(input, target)
        ctx.weight, ctx.reduction = weight, reduction
        return np.asarray(reduce(loss.astype(input.dtype, copy=False), reduction))

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved
        p, t, g = widen(input), widen(target), widen(grad)
        scale = g if ctx.weight is None else g * ctx.weight
        if ctx.reduction == "mean":
            scale = scale / input.size
        need_input, need_target = ctx.needs_input_grad
        grad_input = grad_target = None
        if need_input:
            floor = p.dtype.type(EPSILON)
            grad_input = (scale * (p - t) / np.maximum((1 - p) * p, floor)).astype(input.dtype)
        if need_target:
            grad_target = (-np.log(p / (1 - p)) * scale).astype(target.dtype)
        return grad_input, grad_target


def log_sigmoid(x):
    """log(sigmoid(x)) without overflow: min(x, 0) - log1p(exp(-|x|)), as torch computes it."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


class BinaryCrossEntropyWithLogits(Function):
    """out = w ((1 - t) x - (1 + (q - 1) t) log sigmoid(x))   (q: pos_weight, 1 if None);
    d x = grad w ((q t + 1 - t) sigmoid(x) - q t),
    d t = grad w (log sigmoid(-x) - q log sigmoid(x))   (/ n for 'mean')

    Written with log sigmoid, so logits of any size stay finite. w and q are options
    (broadcast against t by the caller): torch's node takes no gradient for them."""
    node_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, input, target, weight=None, pos_weight=None, reduction="mean",
                dtype=None):
        x, t = widen(input), widen(target)
        log_sig = log_sigmoid(x)
        if pos_weight is not None:
            log_sig = log_sig * ((pos_weight - 1) * t + 1)
        loss = (1 - t) * x - log_sig
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(input, target)
        ctx.weight, ctx.pos_weight, ctx.reduction = weight, pos_weight, reduction
        return np.asarray(reduce(loss.astype(dtype, copy=False), reduction))

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved
        x, t, g = widen(input), widen(target), widen(grad)
        scale = g if ctx.weight is None else g * ctx.weight
        if ctx.reduction == "mean":
            scale = scale / input.size
        q = ctx.pos_weight
        need_input, need_target = ctx.needs_input_grad
        grad_input = grad_target = None
        if need_input:
            sigmoid = 1 / (1 + np.exp(-x))
            if q is None:
                grad_input = (sigmoid - t) * scale
            else:
                qt = q * t
                grad_input = ((qt + 1 - t) * sigmoid - qt) * scale
            grad_input = grad_input.astype(input.dtype, copy=False)
        if need_target:
            grad_target = -x if q is None else log_sigmoid(-x) - log_sigmoid(x) * q
            grad_target = (grad_target * scale).astype(target.dtype, copy=False)
        return grad_input, grad_target


# ---- smooth L1 and Huber ----------------------------------------------------------------------

class SmoothL1Loss(Function):
    """out = z^2 / (2 beta) where z = |input - target| < beta, else z - beta / 2;
    d input = grad clamp((input - target) / beta, -1, 1),  d target = -d input   (/ n for 'mean')"""
    node_name = "SmoothL1LossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction="mean", beta=1.0, dtype=None):
        diff = np.subtract(input, target, dtype=dtype)  # in the operands' common dtype
        z = np.abs(diff)
        loss = np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        ctx.save_for_backward(diff)
        ctx.reduction, ctx.beta = reduction, beta
        return np.asarray(reduce(loss, reduction))

    @staticmethod
    def backward(ctx, grad):
        (diff,) = ctx.saved
        norm = 1 / max(diff.size, 1) if ctx.reduction == "mean" else 1
        beta = ctx.beta
        g = np.where(diff <= -beta, -norm * grad,
                     np.where(diff >= beta, norm * grad, norm * diff * grad / beta))
        return g, -g


class HuberLoss(Function):
    """out = z^2 / 2 where z = |input - target| < delta, else delta (z - delta / 2);
    d input = grad clamp(input - target, -delta, delta),  d target = -d input   (/ n for 'mean')

    The loss has the input's dtype (computed in the operands' common one). torch's backward
    takes only operands of one dtype: `refusal`, when given, is the error it raises then."""
    node_name = "HuberLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction="mean", delta=1.0, dtype=None, refusal=None):
        diff = np.subtract(input, target, dtype=dtype)
        z = np.abs(diff)
        loss = np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        ctx.save_for_backward(diff)
        ctx.reduction, ctx.delta, ctx.refusal = reduction, delta, refusal
        return np.asarray(reduce(loss.astype(input.dtype, copy=False), reduction))

    @staticmethod
    def backward(ctx, grad):
        if ctx.refusal is not None:
            raise ctx.refusal
        (diff,) = ctx.saved
        norm = 1 / max(diff.size, 1) if ctx.reduction == "mean" else 1
        delta = ctx.delta
        g = np.where(diff <= -delta, -norm * grad * delta,
                     np.where(diff >= delta, norm * grad * delta, norm * diff * grad))
        return g, -g
