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

Few input channels (C*kh*kw <= DIRECT_MAX_TAPS, groups=1, e.g. an RGB image's first layer):
the columns would be C*kh*kw times the image, copied to feed a matrix product with only a
few rows, and a direct loop (kernels/conv.py: conv2d_direct, conv2d_weight_grad_direct)
does the same sums faster, unless the columns are kept for the weight's gradient (a batch
whose columns fit KEPT_COLUMNS_BYTES, the weight requiring grad): then the one copy serves
both products and im2col wins. The input's gradient is col2im's either way.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Function
from ..dtypes import compute_dtype
from .. import kernels

# A batch whose columns take at most KEPT_COLUMNS_BYTES has them made at once and kept for
# the weight's gradient; a larger batch goes through in slices of about COLUMNS_BYTES of
# columns (at least one image), which stay in cache between the copy and the products,
# and backward copies each slice's columns out again. (Measured on the LeNet step: the
# slices beat one large buffer from batch 256 up; keeping beats copying twice below.)
KEPT_COLUMNS_BYTES = 16 << 20
COLUMNS_BYTES = 4 << 20
# At most this many taps per output (C*kh*kw) the direct loops beat the columns when those
# are not kept. (Measured on the CIFAR LeNet's conv1, 3x5x5 = 75 taps, batch 4/64/256.)
DIRECT_MAX_TAPS = 75


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
    db = dout summed over batch and positions   (cols = im2col(x), per group)"""
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
        wg = np.ascontiguousarray(weight, dtype=work).reshape(groups, o // groups, cg * kh * kw)
        geometry = (*stride, top, left, *dilation)
        need_x, need_w, _ = ctx.needs_input_grad or (False, False, False)
        parts = batch_slices(n, c * kh * kw * oh * ow, work.itemsize)
        direct = (groups == 1 and c * kh * kw <= DIRECT_MAX_TAPS
                  and not (need_w and len(parts) == 1))
        kept = padded = None
        if direct:
            padded = pad2d(xw, padding)
            out = np.empty((n, o, oh, ow), dtype=work)
            kernels.conv.conv2d_direct(padded, wg.reshape(weight.shape), out, *stride,
                                       *dilation)
        else:
            out = np.empty((n, groups, o // groups, oh * ow), dtype=work)
            for part in parts:
                cols = np.empty((part.stop - part.start, c, kh, kw, oh, ow), dtype=work)
                kernels.conv.im2col(xw[part], cols, *geometry)
                cols = cols.reshape(-1, groups, cg * kh * kw, oh * ow)
                out[part] = np.matmul(wg, cols)  # (matmul's out= leaves BLAS: slower)
            out = out.reshape(n, o, oh, ow)
            kept = cols if need_w and len(parts) == 1 else None   # the whole batch's columns
        if bias is not None:
            out += bias.reshape(o, 1, 1)
        ctx.save_for_backward(x if need_w and kept is None and not direct else None,
                              weight if need_x else None, kept,
                              padded if need_w and direct else None)
        ctx.geometry = (x.shape, weight.shape, (oh, ow), geometry, groups)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, weight, kept, padded = ctx.saved
        x_shape, w_shape, (oh, ow), geometry, groups = ctx.geometry
        n, c = x_shape[:2]
        o, cg, kh, kw = w_shape
        work = compute_dtype(grad.dtype)
        grad = np.ascontiguousarray(grad, dtype=work).reshape(n, groups, o // groups, oh * ow)
        grad_x = grad_w = None
        if weight is not None:
            wt = np.ascontiguousarray(weight, dtype=work).reshape(
                groups, o // groups, cg * kh * kw).swapaxes(1, 2)
            grad_x = np.empty(x_shape, dtype=work)
        if padded is not None:   # the forward went direct: so does the weight's gradient
            grad_w = np.empty(w_shape, dtype=work)
            kernels.conv.conv2d_weight_grad_direct(padded, grad.reshape(n, o, oh, ow), grad_w,
                                                   geometry[0], geometry[1], *geometry[4:])
        elif kept is not None:
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
        grad_b = grad.sum((0, 3)).reshape(o) if ctx.needs_input_grad[2] else None
        if grad_w is not None:
            grad_w = grad_w.reshape(w_shape)
        return grad_x, grad_w, grad_b
