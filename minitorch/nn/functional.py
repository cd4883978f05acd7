"""nn.functional: the stateless functions layers call, with torch's arguments and checks.

Each checks its input as torch does (same error types and texts), then runs one op from
`minitorch/ops/` whose forward and backward sit side by side.
"""
import math
import warnings

from .. import dtypes
from ..autograd.grad_mode import is_grad_enabled
from ..creation import _gen
from ..autograd.views import apply_inplace
from ..facade import elementwise as E
from ..facade import shape as S
from ..facade.linalg import addmm, matmul
from ..facade.softmax import log_softmax, softmax  # noqa: F401  (torch has them here too)
from ..ops.conv import Conv2d
from ..ops.dropout import Dropout
from ..ops.loss import MseLoss, NllLoss
from ..ops.pooling import AvgPool2d, MaxPool2d, pooled_size

flatten = S.flatten


def _pair(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x, x)


# ---- activations ----------------------------------------------------------------------------

def relu(input, inplace=False):
    return input.relu_() if inplace else E.relu(input)


def tanh(input):
    return E.tanh(input)


def sigmoid(input):
    return E.sigmoid(input)


def dropout(input, p=0.5, training=True, inplace=False):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p < 1 and not input.is_floating_point():  # 1/(1-p) cannot be written into ints
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           f"{dtypes.scalar_name(input.dtype.np)}")
    if inplace:
        return apply_inplace(input, Dropout.apply, None, p=p, rng=_gen(None))
    return Dropout.apply(input, None, p=p, rng=_gen(None))


# ---- linear and convolution -----------------------------------------------------------------

def linear(input, weight, bias=None):
    """input @ weight.T + bias, built as torch builds it: a 2-D input with a bias is one
    AddmmBackward0 node; a contiguous input of other rank with a 1-D bias is viewed as
    rows for that node and the result viewed back; anything else is a matmul plus the
    bias added in place (it may broadcast, and the product keeps its dtype)."""
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                           f"{input.ndim}D and {weight.ndim}D")
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
        raise RuntimeError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                           f"input of size: {list(input.shape)}")
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation,
                      groups).squeeze(0)
    if bias is not None and bias.dtype != input.dtype:
        raise RuntimeError(f"Input type ({dtypes.c_type_name(input.dtype.np)}) and bias type "
                           f"({dtypes.c_type_name(bias.dtype.np)}) should be the same")
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    dims = weight.ndim - 2  # torch reads the number of spatial dims off the weight
    stride, dilation = _conv_arg(stride, "stride", dims), _conv_arg(dilation, "dilation", dims)
    kernel = weight.shape[2:]
    if isinstance(padding, str):
        padding = _padding_from_string(padding, kernel, stride, dilation)
    else:
        pad_h, pad_w = _conv_arg(padding, "padding", dims)
        padding = (pad_h, pad_h, pad_w, pad_w)
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(dilation) < 0:
        raise RuntimeError("dilation should be greater than zero")
    if min(dilation) == 0:
        raise RuntimeError("non-positive dilation is not supported")
    n, c, h, w = input.shape
    o, cg = weight.shape[:2]
    if o < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {list(weight.shape)} instead")
    if o % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{list(weight.shape)}] instead")
    if c != cg * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(input.shape)} to have {cg * groups} channels, "
                           f"but got {c} channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != o):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {o} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    ph, pw = padding[0] + padding[1] + h, padding[2] + padding[3] + w
    eh, ew = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    if ph < eh or pw < ew:
        raise RuntimeError(f"Calculated padded input size per channel: ({ph} x {pw}). Kernel "
                           f"size: ({eh} x {ew}). Kernel size can't be greater than actual "
                           "input size")
    _same_dtype(input, weight)
    return Conv2d.apply(input, weight, bias, stride=stride, padding=padding,
                        dilation=dilation, groups=groups)


def _conv_arg(value, name, dims):
    """stride, padding or dilation as one value per spatial dim of the weight (`dims`)."""
    value = _pair(value)
    if len(value) == 1:
        value = value * dims
    if len(value) != dims:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {dims} "
                           f"values to match the convolution dimensions, but got "
                           f"{name}={list(value)}")
    return value


def _padding_from_string(padding, kernel, stride, dilation):
    """(top, bottom, left, right) for 'valid' or 'same'; an odd total goes one more to the
    bottom/right, as torch pads it."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if stride != (1, 1):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    th, tw = (d * (k - 1) for d, k in zip(dilation, kernel))
    return (th // 2, th - th // 2, tw // 2, tw - tw // 2)


def _same_dtype(input, weight):
    if input.dtype != weight.dtype:
        raise RuntimeError(f"expected scalar type {dtypes.scalar_name(input.dtype.np)} but "
                           f"found {dtypes.scalar_name(weight.dtype.np)}")


# ---- pooling -------------------------------------------------------------------------------

def _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode, name):
    """kernel, stride, padding and dilation as pairs, and the output size; checked as torch
    checks them and in its order, so the message names the first problem torch meets."""
    kernel = _pool_arg(kernel_size, name, "kernel_size", "either be a single int")
    stride = kernel if stride is None or stride == [] or stride == () else _pool_arg(
        stride, name, "stride", "either be omitted, a single int")
    padding = _pool_arg(padding, name, "padding", "either be a single int")
    dilation = _pool_arg(dilation, name, "dilation", "be either a single int")
    if name == "max_pool2d" and input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    channels = input.shape[input._dim(-3)]  # avg_pool2d reads it unchecked: an IndexError
    out = []
    for size, k, s, p, d in zip(input.shape[-2:], kernel, stride, padding, dilation):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
        if p > int((d * (k - 1) + 1) / 2):  # (C++ division truncates toward zero)
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
        out.append(pooled_size(size, k, s, p, d, ceil_mode))
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    if kh <= 0 or kw <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kh} kW: {kw}")
    if sh <= 0 or sw <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {sh} dW: {sw}")
    if dh <= 0 or dw <= 0:
        raise RuntimeError("dilation should be greater than zero, but got dilationH: "
                           f"{dh} dilationW: {dw}")
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:  # only the batch may be empty
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{list(input.shape)}")
    if ph > kh // 2 or pw > kw // 2:
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           f"padW = {pw}, padH = {ph}, kW = {kw}, kH = {kh}")
    if min(out) < 1:
        h, w = input.shape[-2:]
        raise RuntimeError(f"Given input size: ({channels}x{h}x{w}). Calculated output size: "
                           f"({channels}x{out[0]}x{out[1]}). Output size is too small")
    return kernel, stride, padding, dilation, tuple(out)


def _pool_arg(value, name, what, allowed):
    """A pooling argument as a pair: one int (or a 1-tuple) serves both dims."""
    value = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(value) not in (1, 2):
        raise RuntimeError(f"{name}: {what} must {allowed}, or a tuple of two ints")
    return value * 2 if len(value) == 1 else value


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    kernel, stride, padding, dilation, out = _pool_geometry(
        input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d")
    if input.dtype == dtypes.bool:
        dtypes.raise_not_implemented("max_pool2d", input.dtype.np)
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
        raise RuntimeError("divisor must be not zero")
    kernel, stride, padding, _, out = _pool_geometry(
        input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool2d")
    if not input.is_floating_point() and input.dtype != dtypes.int64:
        dtypes.raise_not_implemented("avg_pool2d", input.dtype.np)
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
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=2)
    dtype = dtypes.result_type(input._data, target._data)  # computed in torch's common dtype
    if dtype.kind != "f":
        dtypes.raise_not_implemented("mse_cpu", dtype)
    return MseLoss.apply(input, target, reduction=reduction, dtype=dtype)


def _check_class_target(input, target, weight, n_classes, ignore_index):
    """torch's checks of class-index targets, in torch's order: batch size, the target's
    shape for the input's rank, a weight that requires grad (nll_loss has no gradient for
    it), the target's dtype, the weight, then every target in range."""
    if input.ndim > 1 and (target.ndim == 0 or input.shape[0] != target.shape[0]):
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0] if target.ndim else 0}).")
    if input.ndim == 4:
        if target.ndim != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {target.ndim}")
        if target.shape != input.shape[:1] + input.shape[2:]:   # (torch's message lacks ')')
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                               f"{list(target.shape)}")
    elif input.ndim > 2:
        if target.shape != input.shape[:1] + input.shape[2:]:
            raise RuntimeError(f"Expected target size {list(input.shape[:1] + input.shape[2:])}, "
                               f"got {list(target.shape)}")
    elif target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                         f"{target.shape[0]}")
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise RuntimeError("The function 'nll_loss_forward' is not differentiable with "
                           "respect to argument 'weight'. This input cannot have "
                           "requires_grad True.")
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{dtypes.scalar_name(target.dtype.np)}")
    if weight is not None:
        _check_class_weight(weight, n_classes, "")
        _same_dtype(input, weight)
    t = target._data
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {t[bad].flat[0]} is out of bounds.")


def _check_class_weight(weight, n_classes, prefix):
    if weight.ndim != 1 or weight.shape[0] != n_classes:
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {n_classes} "
                           "classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    n_classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    _check_class_target(input, target, weight, n_classes, ignore_index)
    if not input.is_floating_point():
        dtypes.raise_not_implemented("nll_loss_out_frame", input.dtype.np)
    # target and weight are options, not operands: torch's node links to the input only
    w = None if weight is None else weight._data
    if input.ndim == 3 or input.ndim > 4:
        # torch's nll_loss_nd: other spatial ranks go through the 2-D kernel as (N, C, 1, L)
        n, c = input.shape[:2]
        x4 = input.contiguous().view(n, c, 1, -1)
        t3 = target._data.reshape(n, 1, -1)
        out = NllLoss.apply(x4, target=t3, weight=w, reduction=reduction,
                            ignore_index=ignore_index)
        return out.view(n, *input.shape[2:]) if reduction == "none" else out
    return NllLoss.apply(input, target=target._data, weight=w, reduction=reduction,
                         ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """log_softmax then nll_loss for class-index targets; for class-probability targets
    (same shape as input, floating point) -(target * log_softmax).sum over classes.
    label_smoothing mixes in the uniform distribution over classes, as torch does."""
    reduction = _reduction(size_average, reduce, reduction)
    if label_smoothing > 1.0:  # (torch lets a negative value through: no smoothing)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    probabilities = target.shape == input.shape
    if probabilities and not target.dtype.is_floating_point:
        raise RuntimeError("Expected floating point type for target with class "
                           f"probabilities, got {dtypes.scalar_name(target.dtype.np)}")
    if input.ndim == 0:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    n_classes = input.shape[class_dim]
    if probabilities:
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if weight is not None:
            _check_class_weight(weight, n_classes, "cross_entropy: ")
    logp = log_softmax(input, class_dim)
    if probabilities:
        w = _along_classes(weight, input.ndim, class_dim)
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        picked = logp * target if w is None else logp * target * w
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
    w = _along_classes(weight, input.ndim, class_dim)
    smooth = -(logp if w is None else logp * w).sum(class_dim)
    ignored = target == ignore_index
    smooth = E.where(ignored, 0.0, smooth)
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
