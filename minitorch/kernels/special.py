"""Elementwise loops numpy lacks or runs slowly.

erf: numpy has none, and C's erf (Numba's math.erf) is the one torch's scalar kernel
calls. ops/activation.py's GELU calls it through `erf_into`.

relu: `np.maximum(x, 0)` as a loop that keeps -0.0, as torch's relu does (numpy's maximum
returns +0.0 there), and takes a quarter of its time: numpy's maximum looks for nan in each
element on its way (1.2 M float32 elements: about 0.6 ms against 0.15 ms).

relu_backward: `np.where(out <= 0, 0, grad)` as a loop that selects without a branch.
numpy's where branches on each element, and a ReLU's on/off pattern is as good as random,
so the CPU mispredicts about half of them: on the CIFAR LeNet's first ReLU at batch 256
(1.2 M elements) np.where takes 5.0 ms, this loop 0.2 ms. ops/elementwise.py's Relu rule
calls it.
"""
import math

from numba import njit


@njit(cache=True, nogil=True)
def erf_into(x, out):
    """out[i] = erf(x[i]) over flat, same-length arrays."""
    for i in range(x.size):
        out[i] = math.erf(x[i])


@njit(cache=True, nogil=True)
def relu(x, out):
    """out[i] = 0 where x[i] < 0, else x[i] (nan and -0.0 pass), over flat, same-length
    arrays."""
    for i in range(x.size):
        out[i] = 0 if x[i] < 0 else x[i]


@njit(cache=True, nogil=True)
def relu_backward(grad, out, result):
    """result[i] = grad[i] where the ReLU was on (out[i] > 0, or nan), else 0, over flat,
    same-length arrays."""
    for i in range(grad.size):
        result[i] = 0 if out[i] <= 0 else grad[i]
