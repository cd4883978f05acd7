"""nn.functional: the stateless functions layers call, with torch's arguments and checks.

This is the facade of the nn ops (as facade/ is for the tensor's): each function reads
torch's argument forms (an int or a pair, padding='same', the legacy size_average/reduce
flags), checks its input as torch does and in torch's order (same error types and texts,
built in errors.py), then runs one op from `minitorch/ops/` (conv, pooling, loss, dropout)
whose forward and backward sit side by side. Where torch's graph shows different nodes
for one function (nll_loss of images: NllLoss2DBackward0), the function picks the op class.
"""
import math
import numbers
import warnings

import numpy as np

from .. import dtypes, errors
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.views import apply_inplace, check_fits, write
from ..creation import _gen
from ..facade import elementwise
from ..facade.indexing import one_hot  # noqa: F401  (torch has it here)
from ..facade.linalg import addmm, matmul
from ..facade.shape import flatten  # noqa: F401  (torch has it here too)
from ..facade.softmax import log_softmax, softmax  # noqa: F401  (torch has them here too)
from ..ops.activation import Elu, EluResult, Gelu, GeluTanh, LeakyRelu, LeakyReluResult, Silu
from ..ops.adaptive_pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d
from ..ops.conv import Conv2d
from ..ops.dropout import Dropout
from ..ops.embedding import Embedding, renormed
from ..ops.loss import (BinaryCrossEntropy, BinaryCrossEntropyWithLogits, HuberLoss, MseLoss,
                        NllLoss, NllLoss2d, SmoothL1Loss)
from ..ops.normalization import BatchNorm, LayerNorm
from ..ops.pooling import AvgPool2d, MaxPool2d, pooled_size
from ..tensor_base import TensorBase


def _pair(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x, x)


# ---- activations ----------------------------------------------------------------------------

def relu(input, inplace=False):
    return input.relu_() if inplace else elementwise.relu(input)


def tanh(input):
    return elementwise.tanh(input)


def sigmoid(input):
    return elementwise.sigmoid(input)


def _number(value, function, name, position):
    """A number argument as torch's parser reads one: a Python or numpy number, or a
    one-element tensor; anything else is torch's TypeError."""
    if isinstance(value, numbers.Number):
        return value
    if isinstance(value, TensorBase) and value._data.size == 1:
        return value._data.item()
    raise errors.argument_not_a_number(function, name, position, value)


def _floating_only(input, kernel):
    """The activations below have float kernels only (torch's kernel named in the error)."""
    if input._data.dtype.kind != "f":
        raise errors.not_implemented_for(kernel, input._data.dtype)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return leaky_relu_(input, negative_slope)
    negative_slope = _number(negative_slope, "leaky_relu", "negative_slope", 2)
    _floating_only(input, "leaky_relu_cpu")
    return LeakyRelu.apply(input, negative_slope=negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    negative_slope = _number(negative_slope, "leaky_relu_", "negative_slope", 2)
    refusal = errors.inplace_leaky_relu_negative_slope() if negative_slope < 0 else None
    return _in_place_from_result(input, LeakyReluResult, "leaky_relu_cpu", refusal,
                                 negative_slope=negative_slope)


def _in_place_from_result(input, op, kernel, refusal, **options):
    """op written into input: its node (LeakyReluBackward1, EluBackward1) reads the slope
    off the result, and refuses in backward (`refusal`) where the slope flipped signs."""
    def activation(x):
        _floating_only(x, kernel)
        return op.apply(x, refusal=refusal, **options)
    return apply_inplace(input, activation)


def elu(input, alpha=1.0, inplace=False):
    if inplace:
        return elu_(input, alpha)
    alpha = _number(alpha, "elu", "alpha", 2)
    _floating_only(input, "elu_cpu")
    return Elu.apply(input, alpha=alpha)


def elu_(input, alpha=1.0):
    alpha = _number(alpha, "elu_", "alpha", 2)
    refusal = errors.inplace_elu_negative_alpha() if alpha < 0 else None
    return _in_place_from_result(input, EluResult, "elu_cpu", refusal, alpha=alpha)


def gelu(input, *, approximate="none"):
    """x Phi(x) (Phi: the standard normal cdf), or its tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise errors.gelu_approximate()
    _floating_only(input, "GeluKernelImpl")
    return (Gelu if approximate == "none" else GeluTanh).apply(input)


def silu(input, inplace=False):
    """x sigmoid(x), also called swish."""
    if inplace:
        return apply_inplace(input, silu)
    _floating_only(input, "silu_cpu")
    return Silu.apply(input)


def dropout(input, p=0.5, training=True, inplace=False):
    if p < 0.0 or p > 1.0:
        raise errors.dropout_probability(p)
    if p != p:  # nan passes the check above; torch's kernel then refuses it
        raise errors.dropout_probability(p, in_kernel=True)
    if not training or p == 0:
        return input
    if p < 1 and not input.is_floating_point():  # 1/(1-p) cannot be written into ints
        raise errors.result_type_cannot_be_cast(dtypes.float32.np, input.dtype.np)
    if inplace:
        return apply_inplace(input, Dropout.apply, p=p, rng=_gen(None))
    return Dropout.apply(input, p=p, rng=_gen(None))


# ---- linear and convolution -----------------------------------------------------------------

def linear(input, weight, bias=None):
    """input @ weight.T + bias, built as torch builds it: a 2-D input with a bias is one
    AddmmBackward0 node; a contiguous input of other rank with a 1-D bias is viewed as
    rows for that node and the result viewed back; anything else is a matmul plus the
    bias added in place (it may broadcast, and the product keeps its dtype)."""
    rank = input.ndim
    if rank == 0 or weight.ndim == 0:
        raise errors.linear_of_0d(rank, weight.ndim)
    if bias is None:
        return matmul(input, weight.t())
    if rank == 2:
        return addmm(bias, input, weight.t())
    if bias.ndim == 1 and input.is_contiguous():
        rows = input.reshape(-1, input.shape[-1])
        return addmm(bias, rows, weight.t()).view(*input.shape[:-1], weight.shape[0])
    return matmul(input, weight.t()).add_(bias)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W)) with weight
    (O, C/groups, kh, kw). padding may be an int, a pair, 'valid' or 'same'."""
    x, w = input._data, weight._data
    if x.ndim not in (3, 4):
        raise errors.conv2d_input_rank(input.shape)
    if x.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation,
                      groups).squeeze(0)
    if bias is not None and bias._data.dtype != x.dtype:
        raise errors.conv_bias_dtype(x.dtype, bias._data.dtype)
    if w.ndim < 3:
        raise errors.conv_weight_rank()
    if groups <= 0:
        raise errors.conv_groups_not_positive()
    dims = w.ndim - 2  # torch reads the number of spatial dims off the weight
    stride, dilation = _conv_arg(stride, "stride", dims), _conv_arg(dilation, "dilation", dims)
    kernel = w.shape[2:]
    if isinstance(padding, str):
        padding = _padding_from_string(padding, kernel, stride, dilation)
    else:
        pad_h, pad_w = _conv_arg(padding, "padding", dims)
        padding = (pad_h, pad_h, pad_w, pad_w)
    if min(stride) <= 0:
        raise errors.conv_stride_not_positive()
    if min(padding) < 0:
        raise errors.conv_padding_negative()
    if min(dilation) < 0:
        raise errors.conv_dilation_negative()
    if min(dilation) == 0:
        raise errors.conv_dilation_zero()
    _, c, h, width = x.shape
    o, cg = w.shape[:2]
    if o < groups:
        raise errors.conv_weight_fewer_than_groups(groups, weight.shape)
    if o % groups:
        raise errors.conv_weight_not_divisible_by_groups(groups, weight.shape)
    if c != cg * groups:
        raise errors.conv_channels_mismatch(groups, weight.shape, input.shape, cg * groups, c)
    if bias is not None and bias._data.shape != (o,):
        raise errors.conv_bias_shape(weight.shape, o, bias.shape)
    padded_h, padded_w = padding[0] + padding[1] + h, padding[2] + padding[3] + width
    kernel_h, kernel_w = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]  # dilated
    if padded_h < kernel_h or padded_w < kernel_w:
        raise errors.conv_kernel_larger_than_input((padded_h, padded_w), (kernel_h, kernel_w))
    _same_dtype(input, weight)
    return Conv2d.apply(input, weight, bias, stride=stride, padding=padding,
                        dilation=dilation, groups=groups)


def _conv_arg(value, name, dims):
    """stride, padding or dilation as one value per spatial dim of the weight (`dims`)."""
    value = _pair(value)
    if len(value) == 1:
        value = value * dims
    if len(value) != dims:
        raise errors.conv_argument_length(name, dims, value)
    return value


def _padding_from_string(padding, kernel, stride, dilation):
    """(top, bottom, left, right) for 'valid' or 'same'; an odd total goes one more to the
    bottom/right, as torch pads it."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding != "same":
        raise errors.conv_padding_string(padding)
    if stride != (1, 1):
        raise errors.conv_same_padding_with_stride()
    th, tw = (d * (k - 1) for d, k in zip(dilation, kernel))
    return (th // 2, th - th // 2, tw // 2, tw - tw // 2)


def _same_dtype(input, weight):
    if input.dtype != weight.dtype:
        raise errors.scalar_type_mismatch(input.dtype.np, weight.dtype.np)


# ---- pooling -------------------------------------------------------------------------------

def _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode, name):
    """kernel, stride, padding and dilation as pairs, and the output size; checked as torch
    checks them and in its order, so the message names the first problem torch meets."""
    kernel = _pool_arg(kernel_size, name, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else _pool_arg(
        stride, name, "stride")
    padding = _pool_arg(padding, name, "padding")
    dilation = _pool_arg(dilation, name, "dilation")
    shape = input.shape
    if name == "max_pool2d" and len(shape) not in (3, 4):
        raise errors.max_pool2d_input_rank()
    channels = shape[input._dim(-3)]  # avg_pool2d reads it unchecked: an IndexError
    out = []
    for size, k, s, p, d in zip(shape[-2:], kernel, stride, padding, dilation):
        if s == 0:
            raise errors.pool_stride_zero()
        if p < 0:
            raise errors.pool_padding_negative(p)
        if p > int((d * (k - 1) + 1) / 2):  # (C++ division truncates toward zero)
            raise errors.pool_padding_over_half_dilated_kernel(p, k, d)
        out.append(pooled_size(size, k, s, p, d, ceil_mode))
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    if kh <= 0 or kw <= 0:
        raise errors.pool_kernel_not_positive(kh, kw)
    if sh <= 0 or sw <= 0:
        raise errors.pool_stride_not_positive(sh, sw)
    if dh <= 0 or dw <= 0:
        raise errors.pool_dilation_not_positive(dh, dw)
    if len(shape) not in (3, 4) or 0 in shape[-3:]:  # only the batch may be empty
        raise errors.pool_input_rank(shape)
    if ph > kh // 2 or pw > kw // 2:
        raise errors.pool_padding_over_half_kernel(ph, pw, kh, kw)
    if min(out) < 1:
        raise errors.pool_output_too_small(channels, shape[-2:], out)
    return kernel, stride, padding, dilation, tuple(out)


def _pool_arg(value, name, argument):
    """A pooling argument as a pair: one int (or a 1-tuple) serves both dims."""
    value = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(value) not in (1, 2):
        raise errors.pool_argument_not_a_pair(name, argument)
    return value * 2 if len(value) == 1 else value


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    kernel, stride, padding, dilation, out = _pool_geometry(
        input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d")
    if input.dtype == dtypes.bool:
        raise errors.not_implemented_for("max_pool2d", input.dtype.np)
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    result, indices = MaxPool2d.apply(x, kernel=kernel, stride=stride, padding=padding,
                                      dilation=dilation, out_size=out)
    if not batched:
        result, indices = result.squeeze(0), indices.squeeze(0)
    return (result, indices) if return_indices else result


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    if divisor_override is not None and divisor_override == 0:
        raise errors.avg_pool_divisor_zero()
    kernel, stride, padding, _, out = _pool_geometry(
        input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool2d")
    if not input.is_floating_point() and input.dtype != dtypes.int64:
        raise errors.not_implemented_for("avg_pool2d", input.dtype.np)
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    result = AvgPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, out_size=out,
                             count_include_pad=count_include_pad,
                             divisor_override=divisor_override)
    return result if batched else result.squeeze(0)


def _int_list(value, function, argument, position, lone_int=False):
    """value read as torch's argument parser reads a list of ints: a sequence whose first
    element is an int (not a bool) and whose others are ints or bools; a lone int only
    where torch repeats it (lone_int). Its errors come in torch's words."""
    if isinstance(value, int) and not isinstance(value, bool) and lone_int:
        return value
    if not isinstance(value, (tuple, list, str)):
        raise errors.int_list_expected(function, argument, position, value)
    for i, element in enumerate(value):
        if isinstance(element, bool) and i == 0 or not hasattr(element, "__index__"):
            raise (errors.int_list_later_element if i else errors.int_list_first_element)(
                function, argument, position, element)
    return tuple(int(element) for element in value)


def _adaptive_output_size(input, output_size, function):
    """output_size as a tuple: an int repeated, None entries taking the input's size there
    (torch's Python step, with its ValueError), then read as torch's parser reads it."""
    if not isinstance(output_size, int):
        if len(input.shape) <= len(output_size):
            raise errors.adaptive_pool_input_dimension(len(output_size) + 1)
        defaults = input.shape[len(input.shape) - len(output_size):]
        output_size = [v if v is not None else d for v, d in zip(output_size, defaults)]
    output_size = _int_list(output_size, function, "output_size", 2, lone_int=True)
    return (output_size, output_size) if isinstance(output_size, int) else output_size


def adaptive_avg_pool2d(input, output_size):
    """Average pooling of (N, C, H, W) or (C, H, W) to a chosen (oh, ow): each output cell
    averages its own window (ops/adaptive_pooling.py). Output (1, 1) is torch's shortcut,
    the mean over the plane (a MeanBackward1 node, any rank)."""
    output_size = _adaptive_output_size(input, output_size, "adaptive_avg_pool2d")
    if len(output_size) != 2:
        raise errors.adaptive_pool_output_size_length("adaptive_avg_pool2d")
    if min(output_size) < 0:
        raise errors.adaptive_avg_pool_output_size_negative(output_size)
    if output_size == (1, 1):
        return input.mean((-1, -2), keepdim=True)
    if input.ndim not in (3, 4):
        raise errors.adaptive_pool_input_rank("adaptive_avg_pool2d", input.shape)
    for dim in (input.ndim - 2, input.ndim - 1):
        if input.shape[dim] == 0:
            raise errors.adaptive_pool_input_empty("adaptive_avg_pool2d", input.shape, dim)
    if not input.is_floating_point():
        raise errors.not_implemented_for("adaptive_avg_pool2d", input.dtype.np)
    return AdaptiveAvgPool2d.apply(input, out_size=output_size)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling of (N, C, H, W) or (C, H, W) to a chosen (oh, ow); with return_indices
    also where each maximum came from (flat positions in each H x W plane)."""
    output_size = _adaptive_output_size(input, output_size, "adaptive_max_pool2d")
    if input.ndim not in (3, 4):
        raise errors.adaptive_pool_input_rank("adaptive_max_pool2d", input.shape)
    for dim in range(1, input.ndim):
        if input.shape[dim] == 0:
            raise errors.adaptive_pool_input_empty("adaptive_max_pool2d", input.shape, dim)
    if len(output_size) != 2:
        raise errors.adaptive_pool_output_size_length("adaptive_max_pool2d")
    if min(output_size) < 0:
        raise errors.negative_dimension(next(s for s in output_size if s < 0),
                                        input.shape[:-2] + output_size)
    if not input.is_floating_point():
        raise errors.not_implemented_for("adaptive_max_pool2d", input.dtype.np)
    result, indices = AdaptiveMaxPool2d.apply(input, out_size=output_size)
    return (result, indices) if return_indices else result


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return adaptive_max_pool2d(input, output_size, return_indices=True)


# ---- normalization -------------------------------------------------------------------------

def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel (dim 1) by the batch's mean and variance (training) or by the
    running estimates (evaluation), then scale by weight and shift by bias. In training,
    running estimates that are given move toward the batch's, in place. Checked as torch
    checks, in torch's order."""
    if training:
        per_channel = input.shape[0]  # (a 0-d input: Python's IndexError, as torch's)
        for size in input.shape[2:]:
            per_channel *= size
        if per_channel == 1:
            raise errors.batch_norm_one_value_per_channel(input.shape)
    if eps <= 0.0 if training else eps < 0.0:
        raise errors.batch_norm_eps(eps, training)
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)):
        raise errors.argument_not_float("batch_norm", "momentum", 7, momentum)
    if input.numel() == 0:  # torch's path for no values: a copy, times weight[0] plus bias[0]
        for parameter in (weight, bias):
            if parameter is not None and parameter.numel() == 0:
                raise errors.select_index_out_of_range(0, parameter.shape, 0)
        out = input.clone()
        out = out if weight is None else out * weight[0]
        return out if bias is None else out + bias[0]
    channels = input.shape[1] if input.ndim > 1 else 0
    for name, statistic in (("running_mean", running_mean), ("running_var", running_var)):
        if statistic is not None and statistic.numel() != channels:
            raise errors.batch_norm_feature_count(name, channels, statistic.numel())
        if statistic is None and not training:
            raise errors.batch_norm_running_stat_missing(name)
    for name, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and parameter.numel() != channels:
            raise errors.batch_norm_feature_count(name, channels, parameter.numel())
    if (running_mean is None) != (running_var is None):
        raise errors.batch_norm_running_stats_half_given()
    if input.ndim < 2:
        raise errors.dim_out_of_range(1, -1, 0)
    if not input.is_floating_point():
        raise errors.not_implemented_for("batch_norm", input.dtype.np)
    _check_parameter_dtypes(input, weight, bias, running_mean, running_var)
    return BatchNorm.apply(input, weight, bias,
                           running_mean=None if running_mean is None else running_mean._data,
                           running_var=None if running_var is None else running_var._data,
                           training=training, momentum=momentum, eps=eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalize over the trailing dims named by normalized_shape, each sample on its own,
    then scale by weight and shift by bias (both of normalized_shape)."""
    normalized_shape = _int_list(normalized_shape, "layer_norm", "normalized_shape", 2)
    if not normalized_shape:
        raise errors.layer_norm_shape_empty(normalized_shape)
    for name, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and tuple(parameter.shape) != normalized_shape:
            raise errors.layer_norm_parameter_shape(name, parameter.shape, normalized_shape)
    count = len(normalized_shape)
    if input.ndim < count or tuple(input.shape[input.ndim - count:]) != normalized_shape:
        raise errors.layer_norm_input_shape(normalized_shape, input.shape)
    _check_parameter_dtypes(input, weight, bias)
    if not input.is_floating_point():
        raise errors.not_implemented_for("LayerNormKernelImpl", input.dtype.np)
    return LayerNorm.apply(input, weight, bias, normalized_ndim=count, eps=eps)


def _check_parameter_dtypes(input, *parameters):
    """torch's CPU rule for normalization: the parameters given have the input's dtype, or
    are all float32 with a float16 input (the first one given decides which case it is)."""
    given = [p for p in parameters if p is not None]
    if not given:
        return
    if given[0].dtype != input.dtype:
        if any(p.dtype != dtypes.float32 for p in given):
            raise errors.mixed_dtype_parameter()
        if input.dtype != dtypes.float16:
            raise errors.mixed_dtype_input()
        return
    for p in given:
        if p.dtype != input.dtype:
            raise errors.scalar_type_mismatch(input.dtype.np, p.dtype.np)


# ---- embedding -----------------------------------------------------------------------------

def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """The rows of weight that input's indices pick (output: input's shape + (dim,)).
    padding_idx's row gets no gradient; max_norm first scales the picked rows whose norm
    exceeds it down to it, in place, as torch does."""
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < max(weight.shape[0], 1):
            raise errors.embedding_padding_idx_out_of_range()
        padding_idx = weight.shape[0] + padding_idx if padding_idx < 0 else padding_idx
    if weight.ndim != 2:
        raise errors.embedding_weight_rank()
    if input.dtype not in (dtypes.int64, dtypes.int32):
        raise errors.embedding_indices_dtype(input.dtype.np)
    if sparse:
        raise errors.embedding_sparse()
    indices = input._data
    if indices.size and weight.shape[0] == 0:  # (torch looks rows up with index_select)
        raise errors.index_select_empty_dim()
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise errors.embedding_index_out_of_range()
    if max_norm is not None:
        write(weight, renormed(weight._data, indices, max_norm, norm_type))
    return Embedding.apply(weight, indices=indices, padding_idx=padding_idx,
                           scale_grad_by_freq=scale_grad_by_freq)


# ---- losses --------------------------------------------------------------------------------

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(size_average, reduce, reduction):
    """The legacy size_average/reduce flags, folded into a reduction string as torch does."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "none" if not reduce else ("mean" if size_average else "sum")
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", stacklevel=3)
    if reduction not in _REDUCTIONS:
        raise errors.invalid_reduction(reduction)
    return reduction


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    _warn_target_size(input, target)
    dtype = dtypes.result_type(input._data, target._data)  # computed in torch's common dtype
    if dtype.kind != "f":
        raise errors.not_implemented_for("mse_cpu", dtype)
    return MseLoss.apply(input, target, reduction=reduction, dtype=dtype)


def _warn_target_size(input, target):
    """torch's warning for a target that broadcasts against the input instead of matching."""
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _broadcast_shapes(*shapes):
    """torch.broadcast_shapes: the shape all of `shapes` broadcast to, or torch's error
    naming the first argument that does not fit the shape so far."""
    result = [1] * max(len(shape) for shape in shapes)
    for index, shape in enumerate(shapes):
        for at in range(-1, -1 - len(shape), -1):
            if shape[at] == 1 or shape[at] == result[at]:
                continue
            if result[at] != 1:
                raise errors.broadcast_shapes_mismatch(shape[at], at, index, shape, result)
            result[at] = shape[at]
    return tuple(result)


def _broadcast_pair(input, target):
    """torch.broadcast_tensors(input, target): the one that grows is expanded (an
    ExpandBackward0 node in the graph, as in torch)."""
    if input.shape == target.shape:
        return input, target
    try:
        shape = np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise errors.broadcast_mismatch(input.shape, target.shape) from None
    return (input if input.shape == shape else input.expand(shape),
            target if target.shape == shape else target.expand(shape))


def _reduced(loss, reduction):
    """A loss built from ordinary ops, reduced as asked (MeanBackward0 / SumBackward0)."""
    return loss if reduction == "none" else loss.mean() if reduction == "mean" else loss.sum()


def _no_grad_for(function, **weights):
    """torch's loss nodes take no gradient for their weights: one that requires grad (with
    grad mode on) is refused, in torch's words."""
    for name, weight in weights.items():
        if weight is not None and weight.requires_grad and is_grad_enabled():
            raise errors.not_differentiable_argument(function, name)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-w (t log p + (1 - t) log(1 - p)) for probabilities p (each log floored at -100)."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise errors.bce_target_size(target.shape, input.shape)
    if weight is not None:
        weight = weight.expand(_broadcast_shapes(target.shape, weight.shape))
    _no_grad_for("binary_cross_entropy", weight=weight)
    if target.dtype != input.dtype:  # torch's kernel takes one dtype
        raise errors.found_dtype(target._data.dtype, input._data.dtype)
    _floating_only(input, "binary_cross_entropy")
    _check_probabilities(input._data, target._data)
    if weight is not None:
        check_fits(input.shape, weight.shape)  # the loss is multiplied by it in place
    return BinaryCrossEntropy.apply(input, target, weight=None if weight is None else weight._data,
                                    reduction=reduction)


def _check_probabilities(input, target):
    """Every input and target in [0, 1]; torch's kernel checks element by element, input
    first, so the message names what is wrong at the first bad element."""
    bad_input = ~((input >= 0) & (input <= 1))  # (a nan is bad too)
    bad = bad_input | ~((target >= 0) & (target <= 1))
    if bad.any():
        first = np.flatnonzero(bad)[0]
        raise errors.probabilities_out_of_range(
            "input" if bad_input.reshape(-1)[first] else "target")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """binary_cross_entropy of sigmoid(input), computed from the logits without overflow;
    pos_weight (broadcast against the target: one per class along the last dim) weighs
    the positive term."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise errors.bce_with_logits_target_size(target.shape, input.shape)
    _no_grad_for("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    _floating_only(input, "log_sigmoid_cpu")
    if pos_weight is not None:  # torch: log_sigmoid(input).mul_((pos_weight - 1) * target + 1)
        try:
            scaled = np.broadcast_shapes(pos_weight.shape, target.shape)
        except ValueError:
            raise errors.broadcast_mismatch(pos_weight.shape, target.shape) from None
        check_fits(input.shape, scaled)
    if target.dtype == dtypes.bool:  # torch: (1 - target) * input
        raise errors.subtraction_of_bools()
    if not target.is_floating_point():
        raise errors.result_type_cannot_be_cast(input._data.dtype, target._data.dtype)
    if weight is not None:
        check_fits(input.shape, weight.shape)  # the loss is multiplied by it in place
    return BinaryCrossEntropyWithLogits.apply(
        input, target, weight=None if weight is None else weight._data,
        pos_weight=None if pos_weight is None else pos_weight._data, reduction=reduction,
        dtype=target._data.dtype)  # (the loss is computed into a copy of the target)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target|, reduced; built from sub, abs and mean/sum, as torch builds it."""
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    shape = input.shape
    input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(elementwise.abs(input - target), weight, shape, reduction,
                         mean=lambda loss: loss.sum() / weight.sum())
    return _reduced(elementwise.abs(input - target), _reduction(None, None, reduction))


def _weighted(loss, weight, shape, reduction, mean):
    """l1_loss and huber_loss with a weight per element: torch's Python path."""
    if weight.shape != shape:
        raise errors.loss_weight_size()
    loss = loss * weight
    if reduction not in _REDUCTIONS:
        raise errors.invalid_reduction_mode(reduction)
    return mean(loss) if reduction == "mean" else _reduced(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """z^2 / (2 beta) for z = |input - target| < beta, else z - beta / 2; beta = 0 is l1_loss."""
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    input, target = _broadcast_pair(input, target)
    if beta == 0.0:
        return _reduced(elementwise.abs(input - target), _reduction(None, None, reduction))
    reduction = _reduction(None, None, reduction)
    if not beta >= 0:  # (a nan beta too)
        raise errors.smooth_l1_negative_beta()
    dtype = dtypes.result_type(input._data, target._data)  # computed in the common dtype
    if dtype.kind != "f":
        raise errors.not_implemented_for("smooth_l1_cpu", dtype)
    return SmoothL1Loss.apply(input, target, reduction=reduction, beta=beta, dtype=dtype)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """z^2 / 2 for z = |input - target| < delta, else delta (z - delta / 2)."""
    _warn_target_size(input, target)
    shape = input.shape
    input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(huber_loss(input, target, "none", delta), weight, shape, reduction,
                         mean=lambda loss: loss.mean())
    reduction = _reduction(None, None, reduction)
    if not delta > 0:  # (a nan delta too)
        raise errors.huber_non_positive_delta()
    dtype = dtypes.result_type(input._data, target._data)  # computed in the common dtype,
    if dtypes.category(dtype) > dtypes.category(input._data.dtype):  # kept in input's
        raise errors.result_type_cannot_be_cast(dtype, input._data.dtype)
    _floating_only(input, "huber_cpu")
    # torch's backward takes one dtype only: it refuses then, not now
    refusal = (errors.found_dtype(target._data.dtype, input._data.dtype)
               if target.dtype != input.dtype else None)
    return HuberLoss.apply(input, target, reduction=reduction, delta=delta, dtype=dtype,
                           refusal=refusal)


def _check_class_target(input, target, weight, n_classes, ignore_index):
    """torch's checks of class-index targets, in torch's order: batch size, the target's
    shape for the input's rank, a weight that requires grad (nll_loss has no gradient for
    it), the target's dtype, the weight, then every target in range."""
    shape, target_shape = input.shape, target.shape
    rank, target_rank = len(shape), len(target_shape)
    if rank > 1 and (target_rank == 0 or shape[0] != target_shape[0]):
        raise errors.loss_batch_size_mismatch(shape[0], target_shape[0] if target_rank else 0)
    if rank == 4:
        if target_rank != 3:
            raise errors.spatial_target_rank(target_rank)
        if target_shape != shape[:1] + shape[2:]:
            raise errors.spatial_target_size_mismatch(shape, target_shape)
    elif rank > 2:
        if target_shape != shape[:1] + shape[2:]:
            raise errors.target_size_mismatch(shape[:1] + shape[2:], target_shape)
    elif target_rank > 1:
        raise errors.multi_target()
    elif rank == 1 and target_rank == 1 and target_shape[0] != 1:
        raise errors.unbatched_target_size(target_shape[0])
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise errors.nll_loss_weight_requires_grad()
    if target._data.dtype not in (np.int64, np.uint8):
        raise errors.class_target_dtype(target._data.dtype)
    if weight is not None:
        _check_class_weight(weight, n_classes)
        _same_dtype(input, weight)
    targets = target._data
    outside = (targets < 0) | (targets >= n_classes)
    if outside.any():   # (an ignored target may be anything)
        bad = outside & (targets != ignore_index)
        if bad.any():
            raise errors.target_out_of_bounds(targets[bad].flat[0])


def _check_class_weight(weight, n_classes, function=None):
    if weight.ndim != 1 or weight.shape[0] != n_classes:
        raise errors.class_weight_shape(n_classes, weight.shape, function)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    shape = input.shape
    if not shape:
        raise errors.loss_input_of_0d(0)
    n_classes = shape[1] if len(shape) > 1 else shape[0]
    _check_class_target(input, target, weight, n_classes, ignore_index)
    if not input.is_floating_point():
        raise errors.not_implemented_for("nll_loss_out_frame", input.dtype.np)
    # target and weight are options, not operands: torch's node links to the input only
    class_weight = None if weight is None else weight._data
    if len(shape) <= 2:
        return NllLoss.apply(input, target=target._data, weight=class_weight,
                             reduction=reduction, ignore_index=ignore_index)
    if input.ndim == 4:  # images: torch's 2-D kernel, NllLoss2DBackward0
        return NllLoss2d.apply(input, target=target._data, weight=class_weight,
                               reduction=reduction, ignore_index=ignore_index)
    # torch's nll_loss_nd: other spatial ranks go through the 2-D kernel as (N, C, 1, L)
    n, c = input.shape[:2]
    images = input.contiguous().view(n, c, 1, -1)
    out = NllLoss2d.apply(images, target=target._data.reshape(n, 1, -1), weight=class_weight,
                          reduction=reduction, ignore_index=ignore_index)
    return out.view(n, *input.shape[2:]) if reduction == "none" else out


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """log_softmax then nll_loss for class-index targets; for class-probability targets
    (same shape as input, floating point) -(target * log_softmax).sum over classes.
    label_smoothing mixes in the uniform distribution over classes, as torch does."""
    reduction = _reduction(size_average, reduce, reduction)
    if label_smoothing > 1.0:  # (torch lets a negative value through: no smoothing)
        raise errors.label_smoothing_out_of_range(label_smoothing)
    shape = input.shape
    class_dim = 0 if len(shape) == 1 else 1
    probabilities = target._data.shape == shape
    if probabilities and not target.dtype.is_floating_point:
        raise errors.probability_target_dtype(target.dtype.np)
    if not shape:
        raise errors.class_dim_of_0d()
    n_classes = shape[class_dim]
    if probabilities:
        if ignore_index >= 0:
            raise errors.ignore_index_with_probability_target()
        if weight is not None:
            _check_class_weight(weight, n_classes, "cross_entropy")
    logp = log_softmax(input, class_dim)
    if probabilities:
        class_weights = _along_classes(weight, input.ndim, class_dim)
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        picked = logp * target if class_weights is None else logp * target * class_weights
        if reduction == "none":
            return -picked.sum(class_dim)
        total = -picked.sum()
        if reduction == "sum":
            return total
        batch = input.numel() // n_classes if n_classes else 0
        return total / batch if batch else total * math.nan
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing <= 0:
        return loss
    class_weights = _along_classes(weight, input.ndim, class_dim)
    smooth = -(logp if class_weights is None else logp * class_weights).sum(class_dim)
    ignored = target == ignore_index
    smooth = elementwise.where(ignored, 0.0, smooth)
    if reduction == "mean":
        kept = target[~ignored]
        denom = weight[kept].sum() if weight is not None else (~ignored).sum()
        smooth = smooth.sum() / denom
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / n_classes)


def _along_classes(weight, ndim, class_dim):
    """The per-class weight shaped to broadcast along the class dim (None stays None)."""
    if weight is None:
        return None
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)
