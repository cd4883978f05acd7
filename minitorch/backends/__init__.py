"""minitorch.backends: the switches torch scripts set for torch's backends (cuDNN, MPS).
minitorch computes with numpy and Numba on the CPU: the backends are never available, and
the flags are kept only so that scripts setting them run unchanged.
"""
from . import cudnn, mps

__all__ = ["cudnn", "mps"]
