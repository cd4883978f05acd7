"""The error function, elementwise: numpy has none, and C's erf (Numba's math.erf) is the
one torch's scalar kernel calls. ops/activation.py's GELU calls it through `erf`."""
import math

from numba import njit


@njit(cache=True)
def erf_into(x, out):
    """out[i] = erf(x[i]) over flat, same-length arrays."""
    for i in range(x.size):
        out[i] = math.erf(x[i])
