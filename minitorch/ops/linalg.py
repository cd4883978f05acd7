"""Matrix products: matmul (and its 1-D, 2-D and batched cases), mm, bmm, addmm, dot, mv.

All run on numpy's matmul, i.e. BLAS. The backward of C = A @ B is
dA = dC @ B^T and dB = A^T @ dC; batch dims that were broadcast are summed back by the
engine.
"""
import numpy as np

from ..autograd.function import Function


def _swap(x):
    return np.swapaxes(x, -1, -2)


class Matmul(Function):
    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b, name="MmBackward0"):
        ctx.node_name = name
        need_a, need_b = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.ndims = a.ndim, b.ndim
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved  # a is kept only when b wants a gradient, and b when a does
        a_ndim, b_ndim = ctx.ndims
        if a_ndim == 1 and b_ndim == 1:  # dot product
            return (None if b is None else grad * b), (None if a is None else grad * a)
        # treat a 1-D operand as a matrix of one row (a) or one column (b)
        g = np.expand_dims(grad, -2) if a_ndim == 1 else grad
        g = np.expand_dims(g, -1) if b_ndim == 1 else g
        grad_a = grad_b = None
        if b is not None:
            grad_a = g @ _swap(b[:, None] if b_ndim == 1 else b)
            grad_a = grad_a[..., 0, :] if a_ndim == 1 else grad_a
        if a is not None:
            grad_b = _swap(a[None, :] if a_ndim == 1 else a) @ g
            grad_b = grad_b[..., 0] if b_ndim == 1 else grad_b
        return grad_a, grad_b


class Addmm(Function):
    """beta * input + alpha * (mat1 @ mat2): Linear's whole forward in one node."""
    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, input, mat1, mat2, beta=1, alpha=1):
        _, need_1, need_2 = ctx.needs_input_grad or (False, False, False)
        ctx.save_for_backward(mat1 if need_2 else None, mat2 if need_1 else None)
        ctx.beta, ctx.alpha = beta, alpha
        out = mat1 @ mat2
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
                None if mat2 is None else g @ mat2.T, None if mat1 is None else mat1.T @ g)
