"""torch's surface for matrix products: which product a call means (and so which node
torch shows), shape and dtype checks.

The math is in ops/linalg.py.
"""
import numpy as np

from .. import errors
from ..ops.linalg import Addmm, Bmm, Dot, MatmulUnsafeView, Mm, Mv
from ..tensor_base import TensorBase
from .out import dot_dtype, exact_dtype, mv_dtype, write_out
from .shape import expand


def matmul(input, other, *, out=None):
    """torch.matmul: dot, matrix-vector, matrix-matrix or batched, by the operands' dims.
    Each case checks shapes, then dtypes, with the words of the product torch runs."""
    if out is not None:
        vector = other.ndim == 1
        rule = (dot_dtype if input.ndim == 1 else mv_dtype) if vector else exact_dtype
        return write_out(out, "matmul", matmul, input, other, check=rule)
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise errors.matmul_of_0d(a.ndim, b.ndim)
    if a.ndim == 1 and b.ndim == 1:
        if a.dtype != b.dtype:
            raise errors.dot_dtype_mismatch(a.dtype, b.dtype)
        if a.shape[0] != b.shape[0]:
            raise errors.dot_size_mismatch(a.shape[0], b.shape[0])
        return Dot.apply(input, other)
    if b.ndim == 1:  # a matrix (or a batch of them, folded into rows) @ a vector
        if a.shape[-1] != b.shape[0]:
            raise errors.mv_size_mismatch((int(np.prod(a.shape[:-1])), a.shape[-1]), b.shape[0])
        if a.dtype != b.dtype:
            raise errors.mv_dtype_mismatch(a.dtype, b.dtype)
        return (Mv if a.ndim == 2 else MatmulUnsafeView).apply(input, other)
    if b.ndim == 2:  # a vector, a matrix or a batch of matrices (folded into rows) @ a matrix
        if a.shape[-1] != b.shape[0]:
            raise errors.mm_shapes_mismatch((int(np.prod(a.shape[:-1])), a.shape[-1]), b.shape)
        if a.dtype != b.dtype:
            raise errors.matmul_dtype_mismatch(a.dtype, b.dtype)
        return (Mm if a.ndim == 2 else MatmulUnsafeView).apply(input, other)
    try:  # batches of matrices @ batches of matrices
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise errors.broadcast_mismatch(a.shape[:-2], b.shape[:-2]) from None
    if a.shape[-1] != b.shape[-2]:
        rows = int(np.prod(batch))
        raise errors.bmm_size_mismatch((rows, a.shape[-1]), (rows, b.shape[-2]))
    if a.dtype != b.dtype:
        raise errors.bmm_dtype_mismatch(a.dtype, b.dtype)
    return Bmm.apply(input, other)


def mm(input, mat2, *, out=None):
    if out is not None:
        return write_out(out, "mm", mm, input, mat2, check=exact_dtype)
    if input.ndim != 2:
        raise errors.not_a_matrix("self")
    if mat2.ndim != 2:
        raise errors.not_a_matrix("mat2")
    if input.shape[1] != mat2.shape[0]:
        raise errors.mm_shapes_mismatch(input.shape, mat2.shape)
    if input._data.dtype != mat2._data.dtype:
        raise errors.matmul_dtype_mismatch(input._data.dtype, mat2._data.dtype)
    return Mm.apply(input, mat2)


def bmm(input, mat2, *, out=None):
    if out is not None:
        return write_out(out, "bmm", bmm, input, mat2, check=exact_dtype)
    if input.ndim != 3:
        raise errors.not_a_batch_of_matrices("batch1")
    if mat2.ndim != 3:
        raise errors.not_a_batch_of_matrices("batch2")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise errors.bmm_size_mismatch((input.shape[0], input.shape[2]), mat2.shape[:2])
    if input._data.dtype != mat2._data.dtype:
        raise errors.bmm_dtype_mismatch(input._data.dtype, mat2._data.dtype)
    return Bmm.apply(input, mat2)


def dot(input, other, *, out=None):
    if out is not None:
        return write_out(out, "dot", dot, input, other, check=dot_dtype)
    if input.ndim != 1 or other.ndim != 1:
        raise errors.dot_of_non_vectors(input.ndim, other.ndim)
    return matmul(input, other)


def mv(input, vec, *, out=None):
    if out is not None:
        return write_out(out, "mv", mv, input, vec, check=mv_dtype)
    if input.ndim != 2 or vec.ndim != 1:
        raise errors.mv_of_wrong_dims(input.ndim, vec.ndim)
    return matmul(input, vec)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    if out is not None:
        return write_out(out, "addmm", addmm, input, mat1, mat2, beta=beta, alpha=alpha,
                         check=exact_dtype)
    a, b = mat1._data, mat2._data
    for array, name in ((a, "mat1"), (b, "mat2")):
        if array.ndim != 2:
            raise errors.addmm_not_a_matrix(name, array.ndim)
    if not isinstance(input, TensorBase):
        input = mat1._wrap(np.asarray(input, dtype=a.dtype))
    for first, name in ((a, "mat1"), (input._data, "self")):  # torch's order and words
        if first.dtype != b.dtype:
            raise errors.addmm_dtype_mismatch(name, first.dtype, b.dtype)
    if a.shape[1] != b.shape[0]:
        raise errors.mm_shapes_mismatch(mat1.shape, mat2.shape)
    out_shape = (a.shape[0], b.shape[1])
    if input._data.shape not in (out_shape, out_shape[1:]):  # (Linear's bias: no check needed)
        expand(input.detach(), out_shape)  # torch's error if it can't broadcast
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)
