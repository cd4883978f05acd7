"""2-D convolution (what torch calls cross-correlation), as one matrix product.

im2col: every window the kernel visits is copied out as one column, so the whole
convolution is `weight @ columns` on BLAS. Its backward is two more products:
    d_weight  = d_out @ columns^T
    d_columns = weight^T @ d_out,
and col2im adds each column's gradient back to the pixels it was copied from.
Shapes, with G groups, Cg = C/G input and Og = O/G output channels per group, and
L = OH*OW output positions: columns (N, G, Cg*kh*kw, L), weight (G, Og, Cg*kh*kw).
Padding is (top, bottom, left, right): padding='same' with an even kernel pads one more
row/column at the bottom/right, as torch does.
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import compute_dtype
from ..kernels import conv as kernels


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
    OW): the copy that makes a convolution one matrix product (a Numba loop; float16
    goes through float32)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    work = compute_dtype(xp.dtype)
    cols = np.empty(xp.shape[:2] + (kh, kw, oh, ow), dtype=work)
    kernels.im2col(np.ascontiguousarray(xp, dtype=work), cols, sh, sw, dh, dw)
    return cols.astype(xp.dtype, copy=False)


def col2im(dcols, shape, stride, dilation):
    """The adjoint of im2col: each window's gradient, laid out (N, C, kh, kw, OH, OW),
    added back onto a zero image of `shape` (a Numba loop; float16 goes through float32)."""
    work = compute_dtype(dcols.dtype)
    dx = np.zeros(shape, dtype=work)
    kernels.col2im(np.ascontiguousarray(dcols, dtype=work), dx, *stride, *dilation)
    return dx.astype(dcols.dtype, copy=False)


class Conv2d(Function):
    """out = W @ im2col(x) + b;  dW = dout @ cols^T,  dcols = W^T @ dout, dx = col2im(dcols),
    db = dout summed over batch and positions   (cols = im2col(x), per group)"""
    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation, groups):
        n, c, _, _ = x.shape
        o, cg, kh, kw = weight.shape
        xp = pad2d(x, padding)
        cols = im2col(xp, (kh, kw), stride, dilation)             # (N, C, kh, kw, OH, OW)
        oh, ow = cols.shape[4], cols.shape[5]
        cols = cols.reshape(n, groups, cg * kh * kw, oh * ow)
        w = weight.reshape(groups, o // groups, cg * kh * kw)
        out = np.matmul(w, cols).reshape(n, o, oh, ow)
        if bias is not None:
            out += bias.reshape(o, 1, 1)
        need_x, need_w, _ = ctx.needs_input_grad or (False, False, False)
        ctx.save_for_backward(cols if need_w else None, w if need_x else None)
        ctx.geometry = xp.shape, weight.shape, stride, padding, dilation, groups
        return out

    @staticmethod
    def backward(ctx, grad):
        cols, w = ctx.saved
        padded_shape, w_shape, stride, padding, dilation, groups = ctx.geometry
        n, o, oh, ow = grad.shape
        _, cg, kh, kw = w_shape
        g = grad.reshape(n, groups, o // groups, oh * ow)
        grad_x = grad_w = None
        if w is not None:
            dcols = np.matmul(w.swapaxes(1, 2), g)               # (N, G, Cg*kh*kw, L)
            dxp = col2im(dcols.reshape(n, groups * cg, kh, kw, oh, ow), padded_shape,
                         stride, dilation)
            top, bottom, left, right = padding
            grad_x = dxp[:, :, top:padded_shape[2] - bottom, left:padded_shape[3] - right]
        if cols is not None:
            grad_w = np.matmul(g, cols.swapaxes(2, 3)).sum(0).reshape(w_shape)
        grad_b = grad.sum((0, 2, 3)) if ctx.needs_input_grad[2] else None
        return grad_x, grad_w, grad_b
