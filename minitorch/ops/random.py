"""In-place random fills: x.uniform_(from, to) and x.normal_(mean, std).

The new values depend on no input, so the gradient of x's old values is 0, as with
fill_: torch records UniformBackward0 / NormalBackward0 on a tensor in a graph (written
back in place, autograd/views.py). The draws come from the numpy Generator passed as
`rng` (the facade passes minitorch's global stream, or a Generator's own).
"""
import numpy as np

from .. import dtypes
from ..autograd.function import Function


def _fill(old, draw, shift, scale):
    """shift + scale * draw(...) in old's shape and dtype; float64 tensors draw in float64,
    float32 and float16 ones in float32 (as rand and randn do)."""
    compute = dtypes.compute_dtype(old.dtype)
    sample = draw(old.shape, dtype=np.float64 if old.dtype == np.float64 else np.float32)
    return (compute.type(shift) + compute.type(scale) * sample.astype(compute, copy=False)
            ).astype(old.dtype, copy=False)


class Uniform(Function):
    """out = low + (high - low) * u, u uniform in [0, 1);  dold = 0"""
    node_name = "UniformBackward0"

    @staticmethod
    def forward(ctx, old, low=0.0, high=1.0, rng=None):
        return _fill(old, rng.random, low, high - low)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


class Normal(Function):
    """out = mean + std * z, z standard normal;  dold = 0"""
    node_name = "NormalBackward0"

    @staticmethod
    def forward(ctx, old, mean=0.0, std=1.0, rng=None):
        return _fill(old, rng.standard_normal, mean, std)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)
