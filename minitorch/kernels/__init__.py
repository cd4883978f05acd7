"""Numba kernels for loops numpy cannot express well (pooling, convolution helpers, erf),
or only as several passes through memory (the ReLU and its gradient, SGD's step).

Loaded on first use. Each kernel module imports Numba (about 0.15 s) and loads its compiled
loops from Numba's cache, so `import minitorch` imports none of them: ops/ writes
`from .. import kernels` and calls `kernels.conv.im2col(...)`, and the first such attribute
read imports minitorch/kernels/conv.py (this module's `__getattr__`); after that the
submodule is a plain attribute of the package and costs nothing more. The first
convolution, pooling or GELU of a process pays the import (and, the very first time on a
machine, Numba's compile, which is then cached next to the kernels).

Threads. Each kernel is a serial loop (`njit`, no `prange`) that releases the GIL
(`nogil=True`); an op that is worth splitting calls it on parts of its batch from
minitorch's own threads (minitorch/parallel.py, torch's set_num_threads), and its matrix
products run there too, on one BLAS thread each.

Why not `prange`: Numba's parallel loops run on an OpenMP thread team whose threads keep
spinning for a while after each loop, and numpy's BLAS keeps threads of its own that spin
too; on a 2-core machine the two teams take turns on the same cores and each waits out the
other's spinning. Measured on the LeNet step (2 cores, benchmarks/): batch 4 went from
2 ms to 36-100 ms, batch 64 from 19 ms to 55 ms; with OMP_WAIT_POLICY=passive or Numba's
workqueue layer it was still slower than serial loops. It also breaks forked DataLoader
workers.
"""
import importlib

KERNEL_MODULES = ("conv", "optim", "pooling", "special")


def __getattr__(name):
    """kernels.conv, kernels.pooling, kernels.special: the submodule, imported on first use."""
    if name in KERNEL_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
