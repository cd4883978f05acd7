"""nn.functional: the stateless functions layers call, with torch's arguments and checks.

This is the facade of the nn ops (as facade/ is for the tensor's): each function reads
torch's argument forms (an int or a pair, padding='same', the legacy size_average/reduce
flags), checks its input as torch does and in torch's order (same error types and texts,
built in errors.py), then runs one op from `minitorch/ops/` (conv, pooling, loss, dropout)
whose forward and backward sit side by side. Where torch's graph shows different nodes
for one function (nll_loss of images: NllLoss2DBackward0), the function picks the op class.
"""
import math
import warnings

from .. import dtypes, errors
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.views import apply_inplace
from ..creation import _gen
from ..facade import elementwise
from ..facade.linalg import addmm, matmul
from ..facade.shape import flatten  # noqa: F401  (torch has it here too)
from ..facade.softmax import log_softmax, softmax  # noqa: F401  (torch has them here too)
from ..ops.conv import Conv2d
from ..ops.dropout import Dropout
from ..ops.loss import MseLoss, NllLoss, NllLoss2d
from ..ops.pooling import AvgPool2d, MaxPool2d, pooled_size


def _pair(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x, x)


# ---- activations ----------------------------------------------------------------------------

def relu(input, inplace=False):
    return input.relu_() if inplace else elementwise.relu(input)


def tanh(input):
    return elementwise.tanh(input)


def sigmoid(input):
    return elementwise.sigmoid(input)


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
    if input.ndim == 0 or weight.ndim == 0:
        raise errors.linear_of_0d(input.ndim, weight.ndim)
    if bias is None:
        return matmul(input, weight.t())
    if input.ndim == 2 or (bias.ndim == 1 and input.is_contiguous()):
        if input.ndim == 2:
            return addmm(bias, input, weight.t())
        rows = input.reshape(-1, input.shape[-1])
        return addmm(bias, rows, weight.t()).view(*input.shape[:-1], weight.shape[0])
    return matmul(input, weight.t()).add_(bias)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W)) with weight
    (O, C/groups, kh, kw). padding may be an int, a pair, 'valid' or 'same'."""
    if input.ndim not in (3, 4):
        raise errors.conv2d_input_rank(input.shape)
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation,
                      groups).squeeze(0)
    if bias is not None and bias.dtype != input.dtype:
        raise errors.conv_bias_dtype(input.dtype.np, bias.dtype.np)
    if weight.ndim < 3:
        raise errors.conv_weight_rank()
    if groups <= 0:
        raise errors.conv_groups_not_positive()
    dims = weight.ndim - 2  # torch reads the number of spatial dims off the weight
    stride, dilation = _conv_arg(stride, "stride", dims), _conv_arg(dilation, "dilation", dims)
    kernel = weight.shape[2:]
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
    n, c, h, w = input.shape
    o, cg = weight.shape[:2]
    if o < groups:
        raise errors.conv_weight_fewer_than_groups(groups, weight.shape)
    if o % groups:
        raise errors.conv_weight_not_divisible_by_groups(groups, weight.shape)
    if c != cg * groups:
        raise errors.conv_channels_mismatch(groups, weight.shape, input.shape, cg * groups, c)
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != o):
        raise errors.conv_bias_shape(weight.shape, o, bias.shape)
    padded_h, padded_w = padding[0] + padding[1] + h, padding[2] + padding[3] + w
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
    if name == "max_pool2d" and input.ndim not in (3, 4):
        raise errors.max_pool2d_input_rank()
    channels = input.shape[input._dim(-3)]  # avg_pool2d reads it unchecked: an IndexError
    out = []
    for size, k, s, p, d in zip(input.shape[-2:], kernel, stride, padding, dilation):
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
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:  # only the batch may be empty
        raise errors.pool_input_rank(input.shape)
    if ph > kh // 2 or pw > kw // 2:
        raise errors.pool_padding_over_half_kernel(ph, pw, kh, kw)
    if min(out) < 1:
        raise errors.pool_output_too_small(channels, input.shape[-2:], out)
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
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=2)
    dtype = dtypes.result_type(input._data, target._data)  # computed in torch's common dtype
    if dtype.kind != "f":
        raise errors.not_implemented_for("mse_cpu", dtype)
    return MseLoss.apply(input, target, reduction=reduction, dtype=dtype)


def _check_class_target(input, target, weight, n_classes, ignore_index):
    """torch's checks of class-index targets, in torch's order: batch size, the target's
    shape for the input's rank, a weight that requires grad (nll_loss has no gradient for
    it), the target's dtype, the weight, then every target in range."""
    if input.ndim > 1 and (target.ndim == 0 or input.shape[0] != target.shape[0]):
        raise errors.loss_batch_size_mismatch(input.shape[0],
                                              target.shape[0] if target.ndim else 0)
    if input.ndim == 4:
        if target.ndim != 3:
            raise errors.spatial_target_rank(target.ndim)
        if target.shape != input.shape[:1] + input.shape[2:]:
            raise errors.spatial_target_size_mismatch(input.shape, target.shape)
    elif input.ndim > 2:
        if target.shape != input.shape[:1] + input.shape[2:]:
            raise errors.target_size_mismatch(input.shape[:1] + input.shape[2:], target.shape)
    elif target.ndim > 1:
        raise errors.multi_target()
    elif input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise errors.unbatched_target_size(target.shape[0])
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise errors.nll_loss_weight_requires_grad()
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise errors.class_target_dtype(target.dtype.np)
    if weight is not None:
        _check_class_weight(weight, n_classes)
        _same_dtype(input, weight)
    targets = target._data
    bad = (targets != ignore_index) & ((targets < 0) | (targets >= n_classes))
    if bad.any():
        raise errors.target_out_of_bounds(targets[bad].flat[0])


def _check_class_weight(weight, n_classes, function=None):
    if weight.ndim != 1 or weight.shape[0] != n_classes:
        raise errors.class_weight_shape(n_classes, weight.shape, function)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim < 1:
        raise errors.loss_input_of_0d(input.ndim)
    n_classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    _check_class_target(input, target, weight, n_classes, ignore_index)
    if not input.is_floating_point():
        raise errors.not_implemented_for("nll_loss_out_frame", input.dtype.np)
    # target and weight are options, not operands: torch's node links to the input only
    class_weight = None if weight is None else weight._data
    if input.ndim <= 2:
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
    class_dim = 0 if input.ndim == 1 else 1
    probabilities = target.shape == input.shape
    if probabilities and not target.dtype.is_floating_point:
        raise errors.probability_target_dtype(target.dtype.np)
    if input.ndim == 0:
        raise errors.class_dim_of_0d()
    n_classes = input.shape[class_dim]
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
