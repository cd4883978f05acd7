"""Numba kernels for loops numpy cannot express well (pooling, convolution helpers).

Threads. The kernels run on the calling thread (`njit`, no `prange`); the matrix products
around them run on numpy's BLAS threads (OPENBLAS_NUM_THREADS or OMP_NUM_THREADS, one per
CPU by default: 2 on a 2-core machine, as many as torch takes there). Set those variables
before Python starts to change the count; minitorch itself never sets them.

Why not `prange`: Numba's parallel loops run on an OpenMP thread team whose threads keep
spinning for a while after each loop, and numpy's BLAS keeps threads of its own that spin
too; on a 2-core machine the two teams take turns on the same cores and each waits out the
other's spinning. Measured on the LeNet step (2 cores, benchmarks/): batch 4 went from
2 ms to 36-100 ms, batch 64 from 19 ms to 55 ms; with OMP_WAIT_POLICY=passive or Numba's
workqueue layer it was still slower than these serial loops. The same loops become
parallel again by writing `prange` and `parallel=True` where a machine rewards it.
"""
