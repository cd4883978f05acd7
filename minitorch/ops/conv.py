"""2-D convolution (what torch calls cross-correlation), as matrix products.

im2col: every window the kernel visits is copied out as one column, so the convolution
of each image is `weight @ columns` on BLAS. Its backward is two more products:
    d_weight  = d_out @ columns^T   (summed over the images)
    d_columns = weight^T @ d_out,
and col2im adds each column's gradient back to the pixels it was copied from.
Shapes, with G groups, Cg = C/G input and Og = O/G output channels per group, and
L = OH*OW output positions: columns (N, G, Cg*kh*kw, L), weight (G, Og, Cg*kh*kw).
The Numba loops in kernels/conv.py make the columns, reading the padding as zeros;
`im2col` and `col2im` below are the same copies in plain numpy.

Memory: a batch whose columns take more than KEPT_COLUMNS_BYTES goes through in slices of
images, and its backward copies each slice's columns out again rather than keep them all
(torch keeps only the input). A smaller batch's columns are made once and kept for the
weight's gradient.
Padding is (top, bottom, left, right): padding='same' with an even kernel pads one more
row/column at the bottom/right, as torch does.

Few channels (C and O at most DIRECT_MAX_CHANNELS, stride 1, groups=1: LeNet's layers):
the matrix products would have only a few rows, and direct loops (kernels/conv.py:
conv2d_direct, conv2d_weight_grad_direct) do the same sums faster, with no columns:
    out    = conv(x_padded, W)
    d_W    = the sums of d_out * x_padded at each tap's offset
    d_x    = conv(d_out padded by dilation*(k-1) - padding, W flipped and transposed):
the input's gradient is the "full" convolution of the output's gradient with the kernel
turned 180 degrees (each pixel receives from every output whose window covered it),
computed only where the input is. The loops pad each image in a small buffer of their
own, so no padded copy of the batch is made. Without padding, that full convolution would
mostly read the zeros around d_out (LeNet's conv2: 10x10 of 18x18), so d_x is summed the
other way round there: each output's gradient scattered onto the pixels its window read
(conv2d_input_grad_direct; measured on conv2 at batch 4: 62 against 86 us; with padding
the full convolution is the faster).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Function
from ..dtypes import compute_dtype
from .. import kernels
from ..parallel import over_batch

# A batch whose columns take at most KEPT_COLUMNS_BYTES has them made at once and kept for
# the weight's gradient; a larger batch goes through in slices of about COLUMNS_BYTES of
# columns (at least one image), which stay in cache between the copy and the products,
# and backward copies each slice's columns out again. (Measured on the LeNet step: the
# slices beat one large buffer from batch 256 up; keeping beats copying twice below.)
KEPT_COLUMNS_BYTES = 16 << 20
COLUMNS_BYTES = 4 << 20
# At most this many input and output channels, the direct loops beat the columns' matrix
# products. (Measured on the CIFAR LeNet at batch 256: conv2 (6 -> 16) forward 4.1 ms
# direct, 5.8 ms im2col + matmul; the input's gradient 4 ms against 7 ms.)
DIRECT_MAX_CHANNELS = 16


def pad2d(x, padding, value=0):
    """Pad the last two dims of x by (top, bottom, left, right)."""
    top, bottom, left, right = padding
    if not (top or bottom or left or right):
        return x
    out = np.full(x.shape[:-2] + (x.shape[-2] + top + bottom, x.shape[-1] + left + right),
                  value, dtype=x.dtype)
    out[..., top:top + x.shape[-2], left:left + x.shape[-1]] = x
    return out


def im2col(xp, kernel, stride, dilation):
    """Every kernel window of the padded image xp copied out, laid out (N, C, kh, kw, OH,
    OW): the copy that makes a convolution one matrix product (plain numpy)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    view = sliding_window_view(xp, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(-2, -1))
    windows = view[:, :, ::sh, ::sw, ::dh, ::dw]                   # (N, C, OH, OW, kh, kw)
    return np.ascontiguousarray(windows.transpose(0, 1, 4, 5, 2, 3))


def col2im(dcols, shape, stride, dilation):
    """The adjoint of im2col: each window's gradient, laid out (N, C, kh, kw, OH, OW),
    added back onto a zero image of `shape` (plain numpy: one slice per kernel offset)."""
    (sh, sw), (dh, dw) = stride, dilation
    _, _, kh, kw, oh, ow = dcols.shape
    dx = np.zeros(shape, dtype=compute_dtype(dcols.dtype))
    for p in range(kh):
        for q in range(kw):
            dx[:, :, p * dh:p * dh + (oh - 1) * sh + 1:sh,
               q * dw:q * dw + (ow - 1) * sw + 1:sw] += dcols[:, :, p, q]
    return dx.astype(dcols.dtype, copy=False)


def batch_slices(n, columns_per_image, itemsize):
    """Consecutive slices of range(n): all of it when its columns fit in
    KEPT_COLUMNS_BYTES, else slices of about COLUMNS_BYTES (at least one image each)."""
    image_bytes = max(1, columns_per_image * itemsize)
    if n * image_bytes <= KEPT_COLUMNS_BYTES:
        return [slice(0, n)]
    step = max(1, COLUMNS_BYTES // image_bytes)
    return [slice(start, min(start + step, n)) for start in range(0, n, step)]


class Conv2d(Function):
    """out = W @ im2col(x) + b;  dW = dout @ cols^T,  dcols = W^T @ dout, dx = col2im(dcols),
    db = dout summed over batch and positions   (cols = im2col(x), per group; with few
    channels the same sums run as direct loops, as the module's docstring says)"""
    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation, groups):
        n, c, h, w = x.shape
        o, cg, kh, kw = weight.shape
        top, bottom, left, right = padding
        oh = (h + top + bottom - dilation[0] * (kh - 1) - 1) // stride[0] + 1
        ow = (w + left + right - dilation[1] * (kw - 1) - 1) // stride[1] + 1
        work = compute_dtype(x.dtype)
        xw = np.ascontiguousarray(x, dtype=work)
        wc = np.ascontiguousarray(weight, dtype=work)
        geometry = (*stride, top, left, *dilation)
        need_x, need_w, _ = ctx.needs_input_grad or (False, False, False)
        ctx.direct = (groups == 1 and tuple(stride) == (1, 1)
                      and max(c, o) <= DIRECT_MAX_CHANNELS)
        ctx.geometry = (x.shape, weight.shape, (oh, ow), geometry, groups)
        if ctx.direct:   # (the loop adds the bias to each finished sum)
            out = np.empty((n, o, oh, ow), dtype=work)
            bias_or_zeros = np.zeros(o, work) if bias is None else np.asarray(bias, dtype=work)
            over_batch(n, o * oh * ow * c * kh * kw, lambda part: kernels.conv.conv2d_direct(
                xw[part], wc, bias_or_zeros, out[part], top, left, *dilation))
            ctx.save_for_backward(xw if need_w else None, weight if need_x else None)
        else:
            # (on BLAS's own threads, not split: two threads would hold two slices of
            # columns, and a large image's columns take more than COLUMNS_BYTES)
            parts = batch_slices(n, c * kh * kw * oh * ow, work.itemsize)
            wg = wc.reshape(groups, o // groups, cg * kh * kw)
            out = np.empty((n, groups, o // groups, oh * ow), dtype=work)
            for part in parts:
                cols = np.empty((part.stop - part.start, c, kh, kw, oh, ow), dtype=work)
                kernels.conv.im2col(xw[part], cols, *geometry)
                cols = cols.reshape(-1, groups, cg * kh * kw, oh * ow)
                out[part] = np.matmul(wg, cols)  # (matmul's out= leaves BLAS: slower)
            out = out.reshape(n, o, oh, ow)
            kept = cols if need_w and len(parts) == 1 else None   # the whole batch's columns
            ctx.save_for_backward(x if need_w and kept is None else None,
                                  weight if need_x else None, kept)
            if bias is not None:
                out += bias.reshape(o, 1, 1)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        grad = np.ascontiguousarray(grad, dtype=compute_dtype(grad.dtype))
        if ctx.direct:
            grad_x, grad_w, grad_b = Conv2d.direct_backward(ctx, grad)
        else:
            (grad_x, grad_w), grad_b = Conv2d.columns_backward(ctx, grad), None
        if grad_b is None and ctx.needs_input_grad[2]:
            grad_b = grad.sum((0, 2, 3))
        return grad_x, grad_w, grad_b

    @staticmethod
    def direct_backward(ctx, grad):
        """d_W (and d_b, the sums of d_out it reads on the way) from the input; d_x
        scattered from d_out without padding, else as the full convolution of d_out with W
        turned 180 degrees (input and output channels swapped), only where the input is
        (d_out padded by dilation*(k-1) less the forward's own padding)."""
        x, weight = ctx.saved
        x_shape, w_shape, _, (_, _, top, left, dh, dw), _ = ctx.geometry
        n, kh, kw = grad.shape[0], w_shape[2], w_shape[3]
        work = grad.shape[1] * grad.shape[2] * grad.shape[3] * x_shape[1] * kh * kw
        grad_x = grad_w = grad_b = None
        if x is not None:   # each thread's images' sums, added in order
            def weight_grad(part):
                sums, bias_sums = np.empty(w_shape, dtype=grad.dtype), np.empty(w_shape[0])
                kernels.conv.conv2d_weight_grad_direct(x[part], grad[part], sums, bias_sums,
                                                       top, left, dh, dw)
                return sums, bias_sums
            (grad_w, grad_b), *others = over_batch(n, work, weight_grad)
            for sums, bias_sums in others:
                grad_w += sums
                grad_b += bias_sums
            grad_b = grad_b.astype(grad.dtype) if ctx.needs_input_grad[2] else None
        if weight is not None:
            weight = np.asarray(weight, dtype=grad.dtype)
            grad_x = np.empty(x_shape, dtype=grad.dtype)
            oh, ow = grad.shape[2:]
            if (oh + dh * (kh - 1), ow + dw * (kw - 1)) == x_shape[2:]:
                # no padding (stride 1: the windows span the input exactly): scatter each
                # output's gradient onto its window's pixels
                over_batch(n, work, lambda part: kernels.conv.conv2d_input_grad_direct(
                    grad[part], weight, grad_x[part], top, left, dh, dw))
            else:   # the full convolution with the kernel turned 180 degrees
                turned = np.ascontiguousarray(weight.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1])
                no_bias = np.zeros(x_shape[1], dtype=grad.dtype)
                over_batch(n, work, lambda part: kernels.conv.conv2d_direct(
                    grad[part], turned, no_bias, grad_x[part], dh * (kh - 1) - top,
                    dw * (kw - 1) - left, dh, dw))
        return grad_x, grad_w, grad_b

    @staticmethod
    def columns_backward(ctx, grad):
        """d_W = d_out @ cols^T and d_cols = W^T @ d_out per group, d_x = col2im(d_cols),
        slice by slice of the batch (columns made again unless they were kept)."""
        x, weight, kept = ctx.saved
        x_shape, w_shape, (oh, ow), geometry, groups = ctx.geometry
        n, c = x_shape[:2]
        o, cg, kh, kw = w_shape
        work = grad.dtype
        grad = grad.reshape(n, groups, o // groups, oh * ow)
        grad_x = grad_w = None
        if weight is not None:
            wt = np.ascontiguousarray(weight, dtype=work).reshape(
                groups, o // groups, cg * kh * kw).swapaxes(1, 2)
            grad_x = np.empty(x_shape, dtype=work)
        if kept is not None:
            grad_w = np.matmul(grad, kept.swapaxes(2, 3)).sum(0)
        elif x is not None:
            x = np.ascontiguousarray(x, dtype=work)
            grad_w = np.zeros((groups, o // groups, cg * kh * kw), dtype=work)
        for part in batch_slices(n, c * kh * kw * oh * ow, work.itemsize):
            m = part.stop - part.start
            if kept is None and x is not None:
                cols = np.empty((m, c, kh, kw, oh, ow), dtype=work)
                kernels.conv.im2col(x[part], cols, *geometry)
                cols = cols.reshape(m, groups, cg * kh * kw, oh * ow)
                grad_w += np.matmul(grad[part], cols.swapaxes(2, 3)).sum(0)
            if weight is not None:
                dcols = np.matmul(wt, grad[part])                 # (m, G, Cg*kh*kw, L)
                kernels.conv.col2im(dcols.reshape(m, c, kh, kw, oh, ow), grad_x[part],
                                    *geometry)
        if grad_w is not None:
            grad_w = grad_w.reshape(w_shape)
        return grad_x, grad_w

