"""torch's surface for the in-place random fills x.uniform_(from, to) and x.normal_(mean,
std), and the global random stream they draw from.

`global_stream` is the numpy Generator behind `minitorch.default_generator`: creation.py
wraps it in its Generator object, and `manual_seed` reseeds it in place. It lives here,
below the Tensor class, so that Tensor's methods can draw from it (creation.py, which
holds the Generator class, imports the Tensor class). The math is in ops/random.py.
"""
import numpy as np

from .. import errors
from ..autograd.views import apply_inplace
from ..ops.random import Normal, Uniform
from ..tensor_base import TensorBase

DEFAULT_SEED = 67280421310721  # torch's seed for a fresh generator: fresh streams agree
global_stream = np.random.Generator(np.random.PCG64(DEFAULT_SEED))


def stream_of(generator):
    """The numpy Generator to draw from: the global stream when generator is None, the one a
    minitorch.Generator wraps, or a numpy Generator passed as is."""
    if generator is None:
        return global_stream
    return getattr(generator, "_numpy", generator)


def uniform_(input, from_=0.0, to=1.0, *, generator=None, **keywords):
    """Fill input with numbers drawn uniformly from [from, to). torch names the lower bound
    `from`, a Python keyword: by name it can only come through **keywords."""
    for keyword in keywords:
        if keyword != "from":
            raise errors.unexpected_keyword("uniform_", keyword)
    low, high = _number(keywords.get("from", from_)), _number(to)
    dtype = input._data.dtype
    if dtype.kind != "f":
        raise errors.not_implemented_for("check_uniform_bounds", dtype)
    limits = np.finfo(dtype)
    for name, bound in (("from", low), ("to", high)):
        if not limits.min <= bound <= limits.max:  # (nan fails both)
            raise errors.random_bound_out_of_range(name, dtype)
    if low > high:
        raise errors.uniform_empty_range(low, high)
    if high - low > limits.max:
        raise errors.uniform_range_too_wide(low, high, dtype)
    return apply_inplace(input, Uniform.apply, low=low, high=high, rng=stream_of(generator))


def normal_(input, mean=0.0, std=1.0, *, generator=None):
    """Fill input with numbers drawn from the normal distribution N(mean, std**2)."""
    mean, std = _number(mean), _number(std)
    if input._data.dtype.kind != "f":
        raise errors.not_implemented_for("normal_kernel_cpu", input._data.dtype)
    if not std >= 0.0:  # (nan too)
        raise errors.normal_std_negative(std)
    return apply_inplace(input, Normal.apply, mean=mean, std=std, rng=stream_of(generator))


def _number(value):
    """A bound as a Python float (torch takes a one-element tensor as its number)."""
    return float(value.item() if isinstance(value, TensorBase) else value)
