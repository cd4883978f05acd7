"""torch's surface for matrix products: which product a call means, shape and dtype checks.

The math is in ops/linalg.py.
"""
import numpy as np

from .. import dtypes, errors
from ..ops.linalg import Addmm, Matmul
from ..tensor_base import TensorBase
from .shape import expand


def _shape_str(shape):
    return "x".join(map(str, shape))


def _check_float_pair(a, b, op):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_type(a)} != {_type(b)}")


def _type(t):
    return dtypes.c_type_name(t._data.dtype)


def matmul(input, other):
    """torch.matmul: dot, matrix-vector, matrix-matrix or batched, by the operands' dims."""
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    _check_float_pair(input, other, "matmul")
    if a.ndim == 1 and b.ndim == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                               f"[{b.shape[0]}] to have the same number of elements, but got "
                               f"{a.shape[0]} and {b.shape[0]} elements respectively")
        return Matmul.apply(input, other, name="DotBackward0")
    if a.ndim == 2 and b.ndim == 1:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({_shape_str(a.shape)}), "
                               f"vec ({b.shape[0]})")
        return Matmul.apply(input, other, name="MvBackward0")
    k_a, k_b = a.shape[-1], b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a != k_b:
        rows = int(np.prod(a.shape[:-1]))
        mat2 = (b.shape[0], 1) if b.ndim == 1 else b.shape[-2:]
        if b.ndim <= 2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                               f"({rows}x{k_a} and {_shape_str(mat2)})")
        batch = int(np.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2])))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch}, {k_a}] but got: [{batch}, {k_b}].")
    if a.ndim == 2 and b.ndim == 2:
        return Matmul.apply(input, other)
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise errors.broadcast_mismatch(a.shape[:-2], b.shape[:-2]) from None
    return Matmul.apply(input, other, name="UnsafeViewBackward0" if b.ndim <= 2 else "BmmBackward0")


def mm(input, mat2):
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_shape_str(input.shape)} and {_shape_str(mat2.shape)})")
    _check_float_pair(input, mat2, "mm")
    return Matmul.apply(input, mat2)


def bmm(input, mat2):
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: "
                           f"[{mat2.shape[0]}, {mat2.shape[1]}].")
    _check_float_pair(input, mat2, "bmm")
    return Matmul.apply(input, mat2, name="BmmBackward0")


def dot(input, other):
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


def mv(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {vec.ndim}, {input.ndim}, "
                           f"{vec.ndim}")
    return matmul(input, vec)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    for mat, name in ((mat1, "mat1"), (mat2, "mat2")):
        if mat.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {mat.ndim}-D tensor")
    if not isinstance(input, TensorBase):
        input = mat1._wrap(np.asarray(input, dtype=mat1._data.dtype))
    for first, name in ((mat1, "mat1"), (input, "self")):  # torch's order and words
        if first._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                               f"{dtypes.scalar_name(first._data.dtype)} and "
                               f"{dtypes.scalar_name(mat2._data.dtype)}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_shape_str(mat1.shape)} and {_shape_str(mat2.shape)})")
    out_shape = (mat1.shape[0], mat2.shape[1])
    if input._data.shape not in (out_shape, out_shape[1:]):  # (Linear's bias: no check needed)
        expand(input.detach(), out_shape)  # torch's error if it can't broadcast
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)
