"""Batch and layer normalization: each value shifted by a mean and scaled by 1/sqrt(var + eps),
then by an optional per-feature weight and bias.

Batch norm takes its statistics per channel (dim 1) over the batch and every spatial
position, or, in evaluation, from the running estimates; layer norm takes them per sample
over the trailing dims. Both compute as torch's CPU kernels do, so that rounding agrees:
statistics accumulate in a wider type (float64 for batch norm's float32, torch's
accumulation type), and the output is x * a + b with a and b per channel (batch norm) or
(x * rstd - mean * rstd) * weight + bias (layer norm). float16 computes in float32.
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import compute_dtype, widen


def _accumulator(work):
    """The type torch's CPU kernels sum statistics in: double for float and double."""
    return np.float32 if work == np.float16 else np.float64


class BatchNorm(Function):
    """y = (x - mean) * invstd * weight + bias, per channel, invstd = 1 / sqrt(var + eps);
    training (mean, var of the batch): dx = weight * invstd * (dy - mean(dy) - xhat *
    mean(dy * xhat)), xhat = (x - mean) * invstd; evaluation (running mean and var,
    constants): dx = dy * weight * invstd;  dweight = sum(dy * xhat);  dbias = sum(dy)

    In training, forward also moves the running estimates (when given) toward the batch's:
    running = (1 - momentum) * running + momentum * batch value, with the unbiased variance
    (sum of squares / (n - 1)). The arrays are updated in place, as torch's kernel does."""
    node_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps):
        work = compute_dtype(x.dtype)
        xw = widen(x)
        axes = (0,) + tuple(range(2, x.ndim))
        per_channel = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        count = x.size // x.shape[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            if training:
                accumulator = _accumulator(work)
                mean = xw.mean(axes, dtype=accumulator).astype(work)
                centered = xw - mean.reshape(per_channel)
                square_sum = np.square(centered).sum(axes, dtype=accumulator).astype(work)
                invstd = (1 / np.sqrt(square_sum.astype(accumulator) / count + eps)).astype(work)
                if running_mean is not None:
                    rate = running_mean.dtype.type(momentum)
                    running_mean[...] = (rate * mean + (1 - rate) * running_mean.reshape(-1)
                                         ).reshape(running_mean.shape)
                    running_var[...] = (rate * (square_sum / (count - 1)) + (1 - rate) *
                                        running_var.reshape(-1)).reshape(running_var.shape)
            else:
                mean = running_mean.reshape(-1).astype(work)
                invstd = (1 / np.sqrt(running_var.reshape(-1) + running_var.dtype.type(eps))
                          ).astype(work)
        # (parameters may come in any shape with one value per channel, as torch allows)
        scale = invstd if weight is None else invstd * weight.reshape(-1)
        shift = -mean * scale if bias is None else bias.reshape(-1) - mean * scale
        out = xw * scale.astype(work).reshape(per_channel)
        out += shift.astype(work).reshape(per_channel)
        needs_input, needs_weight = ctx.needs_input_grad[:2] if ctx.needs_input_grad else (0, 0)
        if needs_input or needs_weight:
            ctx.save_for_backward(x, weight)
        ctx.statistics = mean, invstd, training, axes, per_channel, count
        ctx.parameter_shapes = [None if p is None else p.shape for p in (weight, bias)]
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        mean, invstd, training, axes, per_channel, count = ctx.statistics
        needs_input, needs_weight, needs_bias = ctx.needs_input_grad
        accumulator = _accumulator(mean.dtype)
        g = widen(grad)
        grad_sum = g.sum(axes, dtype=accumulator)
        dx = dweight = dbias = None
        if needs_input or needs_weight:
            x, weight = ctx.saved
            centered = widen(x) - mean.reshape(per_channel)
            dot = (centered * g).sum(axes, dtype=accumulator)
            if needs_weight:
                dweight = (dot * invstd).astype(mean.dtype).reshape(ctx.parameter_shapes[0])
            if needs_input:
                scale = invstd if weight is None else invstd * weight.reshape(-1)
                if training:
                    projection = (dot * invstd * invstd / count).astype(mean.dtype)
                    grad_mean = (grad_sum / count).astype(mean.dtype)
                    dx = (g - grad_mean.reshape(per_channel) - centered * projection.reshape(
                        per_channel)) * scale.astype(mean.dtype).reshape(per_channel)
                else:
                    dx = g * scale.astype(mean.dtype).reshape(per_channel)
                dx = dx.astype(grad.dtype, copy=False)
        if needs_bias:
            dbias = grad_sum.astype(mean.dtype).reshape(ctx.parameter_shapes[1])
        return dx, dweight, dbias


class LayerNorm(Function):
    """y = (x - mean) * rstd * weight + bias over the last `normalized_ndim` dims,
    rstd = 1 / sqrt(var + eps);  with g = dy * weight and N values per group:
    dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), xhat = (x - mean) * rstd;
    dweight = sum over groups of dy * xhat;  dbias = sum over groups of dy"""
    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, normalized_ndim, eps):
        xw = widen(x)
        axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
        size = int(np.prod(x.shape[x.ndim - normalized_ndim:]))
        with np.errstate(divide="ignore", invalid="ignore"):
            if xw.size:
                mean = xw.mean(axes, keepdims=True)
                variance = np.square(xw - mean).mean(axes, keepdims=True)
            else:  # no values: no statistics (and no warning about an empty mean)
                mean = variance = np.zeros(x.shape[:x.ndim - normalized_ndim] + (1,) *
                                           normalized_ndim, dtype=xw.dtype)
            rstd = 1 / np.sqrt(np.maximum(variance, 0) + xw.dtype.type(eps))
        out = xw * rstd + (-rstd * mean)
        if weight is not None:
            out *= weight
        if bias is not None:
            out += bias
        needs_input, needs_weight = ctx.needs_input_grad[:2] if ctx.needs_input_grad else (0, 0)
        if needs_input or needs_weight:
            ctx.save_for_backward(x, weight)
        ctx.statistics = mean, rstd, axes, size
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        mean, rstd, axes, size = ctx.statistics
        needs_input, needs_weight, needs_bias = ctx.needs_input_grad
        g = widen(grad)
        groups = tuple(range(g.ndim - len(axes)))  # the leading dims: one group each
        dx = dweight = dbias = None
        if needs_input or needs_weight:
            x, weight = ctx.saved
            xw = widen(x)
            if needs_weight:
                dweight = (g * ((xw - mean) * rstd)).sum(groups)
            if needs_input:
                gw = g if weight is None else g * weight
                if size:  # torch's form: dx = rstd * gw + b * x + c
                    dot = (gw * xw).sum(axes, keepdims=True)
                    total = gw.sum(axes, keepdims=True)
                    b = (total * mean - dot) * rstd ** 3 / size
                    c = -b * mean - total * rstd / size
                    dx = (rstd * gw + b * xw + c).astype(grad.dtype, copy=False)
                else:
                    dx = np.zeros_like(grad)
        if needs_bias:
            dbias = g.sum(groups)
        return dx, dweight, dbias
