"""Matrix products: matmul (and its 1-D, 2-D and batched cases), mm, bmm, addmm, dot, mv.

All run on numpy's matmul, i.e. BLAS, through parallel.matmul (one BLAS thread per
minitorch thread; parallel.py says why). For C = A @ B the backward is two more products,
dA = dC B^T and dB = A^T dC; batch dims that were broadcast are summed back by the
engine. A 1-D operand takes part as a matrix of one row (A) or one column (B).
"""
import numpy as np

from ..autograd.function import Function
from ..parallel import matmul


def _swap(x):
    """x^T: the last two axes swapped (each matrix of a batch transposed)."""
    return np.swapaxes(x, -1, -2)


def is_column_major(matrix):
    """Laid out column by column only (a transposed view, as Linear's weight.t() is)."""
    return matrix.flags.f_contiguous and not matrix.flags.c_contiguous


def product_laid_out_as(a, b, column_major):
    """a @ b for the gradient of a matrix operand: computed as (b^T a^T)^T when that operand
    is column-major, so that the gradient comes out in the operand's own memory order and
    its leaf's .grad is a plain copy, not a transposing one (torch's mm_mat1_backward and
    mm_mat2_backward do the same)."""
    return matmul(b.T, a.T).T if column_major else matmul(a, b)


class Matmul(Function):
    """C = A @ B;  dA = dC B^T,  dB = A^T dC

    The math every product below shares; torch names its node by the case, so the
    facade applies one of the subclasses."""

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.ndims = a.ndim, b.ndim
        return matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved  # a is kept only when b wants a gradient, and b when a does
        a_ndim, b_ndim = ctx.ndims
        if a_ndim == 1 and b_ndim == 1:  # dot product: c = a . b
            return (None if b is None else grad * b), (None if a is None else grad * a)
        g = np.expand_dims(grad, -2) if a_ndim == 1 else grad  # (dC as a matrix)
        g = np.expand_dims(g, -1) if b_ndim == 1 else g
        grad_a = grad_b = None
        if b is not None:
            grad_a = matmul(g, _swap(b[:, None] if b_ndim == 1 else b))
            grad_a = grad_a[..., 0, :] if a_ndim == 1 else grad_a
        if a is not None:
            grad_b = matmul(_swap(a[None, :] if a_ndim == 1 else a), g)
            grad_b = grad_b[..., 0] if b_ndim == 1 else grad_b
        return grad_a, grad_b


class Mm(Matmul):
    """matrix @ matrix"""
    node_name = "MmBackward0"


class Dot(Matmul):
    """vector . vector:  c = sum(a * b);  da = grad * b,  db = grad * a"""
    node_name = "DotBackward0"


class Mv(Matmul):
    """matrix @ vector"""
    node_name = "MvBackward0"


class Bmm(Matmul):
    """a batch of matrices @ a batch of matrices"""
    node_name = "BmmBackward0"


class MatmulUnsafeView(Matmul):
    """a batch of matrices @ one matrix or vector: torch folds the batch into the rows of
    one product and views the result back, so its graph shows the view's node (minitorch
    also uses it for vector @ matrix, where torch shows SqueezeBackward4 over an mm)"""
    node_name = "UnsafeViewBackward0"


class Addmm(Function):
    """out = beta input + alpha (mat1 @ mat2);
    dinput = beta grad,  dmat1 = alpha grad mat2^T,  dmat2 = alpha mat1^T grad

    Linear's whole forward in one node."""
    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, input, mat1, mat2, beta=1, alpha=1):
        _, need_1, need_2 = ctx.needs_input_grad or (False, False, False)
        ctx.save_for_backward(mat1 if need_2 else None, mat2 if need_1 else None)
        ctx.beta, ctx.alpha = beta, alpha
        # (the layout of each operand whose gradient will be asked for)
        ctx.column_major = need_1 and is_column_major(mat1), need_2 and is_column_major(mat2)
        out = matmul(mat1, mat2)
        if alpha != 1:
            out *= alpha
        if beta != 0:  # beta = 0 ignores input, nan and inf included, as in torch
            out += input if beta == 1 else beta * input
        return out

    @staticmethod
    def backward(ctx, grad):
        mat1, mat2 = ctx.saved
        g = grad if ctx.alpha == 1 else grad * ctx.alpha
        return ((grad if ctx.beta == 1 else grad * ctx.beta),
                None if mat2 is None else product_laid_out_as(g, mat2.T, ctx.column_major[0]),
                None if mat1 is None else product_laid_out_as(mat1.T, g, ctx.column_major[1]))
