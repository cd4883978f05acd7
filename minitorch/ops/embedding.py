"""Embedding: a lookup table. Each index picks one row of the weight matrix.

The gradient of a row is the sum of the output gradients of every position that picked
it: rows picked twice get both, rows never picked get zero. The padding row gets none at
all, so it stays what it is (zeros, as nn.Embedding fills it) while training.
"""
import numpy as np

from ..autograd.function import Function
from ..dtypes import widen


class Embedding(Function):
    """out[i] = weight[indices[i]];  dweight[j] = sum of dout[i] over the i with
    indices[i] == j (divided by how often j occurs, with scale_grad_by_freq); none for j ==
    padding_idx

    The indices are an option, not an operand: torch's node links to the weight only."""
    node_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.lookup = indices, weight.shape, padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        indices, weight_shape, padding_idx, scale_grad_by_freq = ctx.lookup
        rows = indices.reshape(-1)
        per_row = widen(grad).reshape(-1, weight_shape[1])
        if scale_grad_by_freq:
            counts = np.bincount(rows, minlength=weight_shape[0])
            per_row = per_row / counts[rows, None].astype(per_row.dtype)
        if padding_idx is not None:
            kept = rows != padding_idx
            rows, per_row = rows[kept], per_row[kept]
        dweight = np.zeros(weight_shape, dtype=per_row.dtype)
        np.add.at(dweight, rows, per_row)
        return dweight.astype(grad.dtype, copy=False)


def renormed(weight, indices, max_norm, norm_type):
    """weight with each row that `indices` picks and whose norm_type-norm exceeds max_norm
    scaled down to norm max_norm (torch's embedding_renorm_: scale max_norm / (norm + 1e-7))."""
    out = weight.copy()
    for row in np.unique(indices):
        norm = np.linalg.norm(weight[row].astype(np.float64), ord=norm_type)
        if norm > max_norm:
            out[row] = weight[row] * weight.dtype.type(max_norm / (norm + 1e-7))
    return out
