"""minitorch: a from-scratch tensor and autograd engine that speaks PyTorch's API.

    import minitorch as torch

and the code of PyTorch's beginner tutorial runs unchanged.
"""
from . import accelerator, autograd, backends, cuda, dtypes, jit
from ._tensor_str import set_printoptions, get_printoptions
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import inference_mode, is_anomaly_enabled, is_inference_mode_enabled
from .creation import (Generator, arange, default_generator, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                       initial_seed, linspace, manual_seed, normal, ones, ones_like, rand,
                       rand_like, randint, randint_like, randn, randn_like, randperm, seed,
                       tensor, zeros, zeros_like, get_default_device, set_default_device)
from .dtypes import (bool, dtype, float16, float32, float64, get_default_dtype, int8, int16, promote_types,
                     int32, int64, uint8)
from .facade.elementwise import (abs, add, allclose, equal, isfinite, isinf, isnan, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, clamp, clip, cos, div, eq, exp, ge, gt, le, log,
                              logical_and, logical_not, logical_or, lt, maximum, minimum, mul,
                              ne, neg, pow, reciprocal, relu, rsqrt, rsub, sigmoid, sin, sqrt,
                              square, sub, tanh, where, ceil, fix, floor, round, sign, trunc,
                              divide, multiply, negative, subtract, true_divide)
from .facade.cumulative import cumprod, cumsum
from .facade.indexing import (argsort, gather, index_select, masked_fill, scatter, scatter_add,
                              sort, topk)
from .facade.linalg import addmm, bmm, dot, matmul, mm, mv
from .parallel import get_num_threads, set_num_threads
from .facade.softmax import log_softmax, softmax
from .facade.reduce import (all, amax, amin, any, argmax, argmin, logsumexp, max, mean, min, norm,
                         return_types, std, sum, var)
from .facade.shape import (cat, chunk, clone, concat, concatenate, flatten, narrow,
                        permute, reshape, split, squeeze, stack, swapaxes, t, transpose,
                        unbind, unflatten, unsqueeze, flip, roll)
from .tensor import Size, Tensor, device
from . import nn, optim, utils  # noqa: E402  (torch.nn and friends come with `import torch`)
from .serialization import load, save  # noqa: E402

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16

__version__ = "0.1.0"


def __getattr__(name):
    """minitorch.hub (torch.hub: the cache of pretrained weights) is imported on first use:
    its urllib and tqdm take 30 ms of `import minitorch` otherwise."""
    if name == "hub":
        import importlib
        return importlib.import_module(f"{__name__}.hub")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()
