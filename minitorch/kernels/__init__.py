"""Numba kernels for loops numpy cannot express well (pooling, convolution helpers)."""
