"""Making tensors: tensor, from_numpy, zeros/ones/empty/full, random ones, ranges, eye,
and every *_like; plus manual_seed for the random stream."""
import builtins
import functools
import re
import threading
import warnings

import numpy as np

from . import dtypes, errors
from .facade.factory import nested_shape as _nested_shape, shape_from_arguments as _size
from .facade.out import factory_dtype, write_out
from .facade.random import DEFAULT_SEED, global_stream, stream_of
from .tensor import Tensor
from .tensor_base import check_device, device as _device


def manual_seed(seed):
    """Restart the global random stream from seed; returns it (`default_generator`)."""
    return default_generator.manual_seed(seed)


def seed():
    """Restart the global random stream from fresh entropy; returns the seed drawn."""
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def _finish(data, requires_grad=False, device=None):
    if device is not None:
        check_device(device)
    elif _default_device.device is not None:
        check_device(_default_device.device)
    t = Tensor._make(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise errors.requires_grad_at_creation()
        t._requires_grad = True
    return t


def _allocating(make):
    """A creation function whose array cannot be allocated raises torch's RuntimeError
    (naming the bytes asked for), not numpy's MemoryError."""
    @functools.wraps(make)
    def checked(*args, **kwargs):
        try:
            return make(*args, **kwargs)
        except MemoryError as e:
            shape, dtype = getattr(e, "shape", None), getattr(e, "dtype", None)
            nbytes = None if shape is None else int(np.prod(shape, dtype=object)) * dtype.itemsize
            raise errors.cannot_allocate(nbytes) from None
    return checked


def _with_out(name, resizes_first=False, warns_of_count=False):
    """torch's out= for a factory function: the values made in out's dtype (a dtype=
    argument must be out's) and written into out, resized without a warning as torch's
    factories resize it; requires_grad=True then applies to out. resizes_first: torch
    resizes out before anything else (empty, randn), which an out requiring grad refuses.
    warns_of_count: torch warns when an out that held elements held another number of
    them (arange)."""
    def decorate(make):
        @functools.wraps(make)
        def function(*args, out=None, **kwargs):
            if out is None:
                return make(*args, **kwargs)
            if resizes_first and out._requires_grad:
                raise errors.resize_of_tensor_requiring_grad()
            requires_grad, dtype = kwargs.pop("requires_grad", False), kwargs.pop("dtype", None)
            held = out.shape
            write_out(out, f"aten::{name}", make, *args, check=factory_dtype, warn_on_resize=False,
                      result_dtype=out._data.dtype if dtype is None else dtypes.to_np(dtype),
                      dtype=out.dtype if dtype is None else dtype, **kwargs)
            if warns_of_count and held.numel() not in (0, out.numel()):
                warnings.warn(errors.arange_out_resized(held, held.numel(), out.shape, out.numel()),
                              stacklevel=2)
            if requires_grad and not out.is_floating_point():
                raise errors.requires_grad_at_creation()
            return out.requires_grad_() if requires_grad else out
        return function
    return decorate


def _float(dtype):
    return dtypes.float32.np if dtype is None else dtypes.to_np(dtype)


# ---- from data ---------------------------------------------------------------------------

def _infer_np_dtype(data):
    """torch's inference: each element has a dtype (a numpy scalar, array or tensor its
    own; Python bool -> bool, int -> int64, float -> the default float32) and the result
    is their promotion, torch's way (int32 with int32 stays int32, float16 with a Python
    float is float32)."""
    found = []

    def walk(x):
        if isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, Tensor):
            found.append(x._data.dtype)
        elif isinstance(x, (np.ndarray, np.generic)):
            found.append(x.dtype)
        elif isinstance(x, (builtins.bool, builtins.int, builtins.float)):
            found.append(dtypes.number_dtype(x))
        else:
            raise errors.cannot_infer_dtype(x)
    walk(data)
    return functools.reduce(dtypes.promote_np, found) if found else dtypes.float32.np


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of data (nested lists, numbers, numpy arrays, tensors)."""
    if isinstance(data, Tensor):
        arr = data._data.copy()
    elif isinstance(data, np.ndarray):
        arr = data.copy()
    elif isinstance(data, np.generic):
        arr = np.array(data)
    else:
        if isinstance(data, range):
            data = list(data)
        _nested_shape(data)
        try:
            arr = np.array(data, dtype=_infer_np_dtype(data) if dtype is None else dtypes.to_np(dtype))
        except OverflowError:  # a Python int past int64: torch's words
            raise errors.integer_overflow() from None
    if dtype is not None:
        arr = arr.astype(dtypes.to_np(dtype), copy=False)
    return _finish(arr, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """data itself where it already is a tensor of that dtype; else a tensor from it."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A tensor sharing ndarray's memory: changes to one show in the other."""
    if not isinstance(ndarray, np.ndarray):
        raise errors.not_a_numpy_array(ndarray)
    if any(s < 0 for s in ndarray.strides):
        raise errors.negative_numpy_strides()
    dtypes.from_np(ndarray.dtype)
    return Tensor._make(ndarray)


# ---- filled -----------------------------------------------------------------------------

@_with_out("zeros")
@_allocating
def zeros(*shape, size=None, dtype=None, device=None, requires_grad=False):
    return _finish(np.zeros(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


@_with_out("ones")
@_allocating
def ones(*shape, size=None, dtype=None, device=None, requires_grad=False):
    return _finish(np.ones(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


@_with_out("empty", resizes_first=True)
@_allocating
def empty(*shape, size=None, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.empty(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


@_with_out("full")
@_allocating
def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = _infer_np_dtype(fill_value) if not isinstance(fill_value, Tensor) else fill_value._data.dtype
    return _finish(np.full(_size((size,)), fill_value, dtype=dtypes.to_np(dtype)), requires_grad, device)


@_with_out("eye")
@_allocating
def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    return _finish(np.eye(n, n if m is None else m, dtype=_float(dtype)), requires_grad, device)


@_with_out("arange", warns_of_count=True)
@_allocating
def arange(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    if dtype is None:
        numbers = [x.item() if isinstance(x, Tensor) else x for x in (start, end, step)]
        dtype = dtypes.float32.np if any(isinstance(x, float) for x in numbers) else dtypes.int64.np
    if step == 0:
        raise errors.zero_step()
    # compute in float64 as torch does, then cast
    n = builtins.max(int(np.ceil((end - start) / step)), 0)
    data = (start + step * np.arange(n, dtype=np.float64)).astype(dtypes.to_np(dtype))
    if np.dtype(dtypes.to_np(dtype)).kind in "iu":
        data = np.arange(start, end, step, dtype=dtypes.to_np(dtype))
    return _finish(data, requires_grad, device)


@_with_out("linspace")
@_allocating
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    if steps < 0:
        raise errors.negative_steps()
    data = _linspace(start, end, steps).astype(_float(dtype))
    return _finish(data, requires_grad, device)


def _linspace(start, end, steps):
    """torch's linspace: the first half counts up from start, the second down from end."""
    if steps == 1:
        return np.array([start], dtype=np.float64)
    step = (end - start) / (steps - 1)
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    return np.where(i < half, start + step * i, end - step * (steps - 1 - i))


# ---- random -----------------------------------------------------------------------------

_gen = stream_of  # the numpy Generator a generator= argument means (facade/random.py)


@_with_out("rand")
@_allocating
def rand(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    d = _random_float(dtype, "check_uniform_bounds")
    data = _gen(generator).random(_size(shape, size),
                                  dtype=np.float64 if d == np.float64 else np.float32)
    return _finish(data.astype(d, copy=False), requires_grad, device)


@_with_out("randn", resizes_first=True)
@_allocating
def randn(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    d = _random_float(dtype, "normal_kernel_cpu")
    data = _gen(generator).standard_normal(_size(shape, size),
                                           dtype=np.float64 if d == np.float64 else np.float32)
    return _finish(data.astype(d, copy=False), requires_grad, device)


def _random_float(dtype, kernel):
    """rand/randn make floats only: torch's error (naming its kernel) for other dtypes."""
    d = _float(dtype)
    if d.kind != "f":
        raise errors.not_implemented_for(kernel, d)
    return d


@_with_out("randint")
@_allocating
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False):
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=...)
        low, high = 0, low
    if high <= low:
        raise errors.random_range_empty(low, high)
    d = dtypes.int64.np if dtype is None else dtypes.to_np(dtype)
    data = _gen(generator).integers(low, high, _size((size,))).astype(d)
    return _finish(data, requires_grad, device)


@_with_out("randperm")
@_allocating
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    d = dtypes.int64.np if dtype is None else dtypes.to_np(dtype)
    return _finish(_gen(generator).permutation(n).astype(d), requires_grad, device)


@_with_out("normal")
@_allocating
def normal(mean, std, size, *, generator=None, dtype=None):
    d = _random_float(dtype, "normal_kernel_cpu")
    return _finish(_gen(generator).normal(mean, std, _size((size,))).astype(d))


# ---- *_like -----------------------------------------------------------------------------

def _like(fn):
    def like(input, *, dtype=None, device=None, requires_grad=False, **kwargs):
        d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
        device = input.device if device is None else device  # (not the default device)
        return fn(input.shape, dtype=d, device=device, requires_grad=requires_grad, **kwargs)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"{fn.__name__} with input's shape (and dtype unless dtype= says otherwise)."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)
rand_like, randn_like = _like(rand), _like(randn)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
    device = input.device if device is None else device  # (not the default device)
    return full(input.shape, fill_value, dtype=d, device=device, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=d, device=device)


class Generator:
    """A random-number generator object, as torch.Generator: pass it as `generator=` to the
    random functions (or to DataLoader, random_split) to draw from its own stream instead of
    the global one.

    It wraps a numpy Generator (PCG64 seeded through a SeedSequence, exactly as
    `manual_seed` seeds the global stream), so `Generator().manual_seed(s)` and
    `minitorch.manual_seed(s)` give the same numbers. The streams are not torch's.
    """

    default_seed = DEFAULT_SEED  # torch's seed for a fresh Generator: fresh ones agree
    _STATE_FIELDS = (("seed", 8), ("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4))
    _STATE_SIZE = builtins.sum(size for _, size in _STATE_FIELDS)

    def __init__(self, device="cpu"):
        check_device(device)
        self.device = _device(device)
        self.manual_seed(self.default_seed)

    def manual_seed(self, seed):
        """Restart the stream from `seed` (any int in [-2**63, 2**64), negatives wrap as in
        torch); returns self so `Generator().manual_seed(0)` reads as one expression."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, builtins.bool):
            raise errors.seed_not_an_integer(seed)
        seed = int(seed)
        if not -2**63 <= seed < 2**64:
            raise errors.integer_overflow()
        self._seed = seed % 2**64
        fresh = np.random.PCG64(self._seed)
        if hasattr(self, "_numpy"):  # reseeded in place: whoever holds the stream sees it
            self._numpy.bit_generator.state = fresh.state
        else:
            self._numpy = np.random.Generator(fresh)
        return self

    def seed(self):
        """Seed from the operating system's entropy; returns the seed drawn."""
        new_seed = int(np.random.SeedSequence().entropy % 2**64)
        self.manual_seed(new_seed)
        return new_seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The whole state (seed and PCG64 state) as a uint8 tensor, for set_state."""
        bits = self._numpy.bit_generator.state
        values = {"seed": self._seed, **bits["state"], "has_uint32": bits["has_uint32"],
                  "uinteger": bits["uinteger"]}
        raw = b"".join(int(values[name]).to_bytes(size, "little")
                       for name, size in self._STATE_FIELDS)
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state from get_state; returns self."""
        if not isinstance(new_state, Tensor):
            raise errors.rng_state_not_a_tensor(new_state)
        if new_state._data.dtype != np.uint8:
            raise errors.rng_state_not_bytes()
        if new_state._data.size != self._STATE_SIZE:
            raise errors.rng_state_wrong_size(self._STATE_SIZE, new_state._data.size)
        raw, values = new_state._data.tobytes(), {}
        offset = 0
        for name, size in self._STATE_FIELDS:
            values[name] = int.from_bytes(raw[offset:offset + size], "little")
            offset += size
        self.manual_seed(values["seed"])
        self._numpy.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": values["state"], "inc": values["inc"]},
            "has_uint32": values["has_uint32"], "uinteger": values["uinteger"]}
        return self


# The global stream every random function draws from unless given a generator. Like
# torch's, it starts from the same seed in every process until manual_seed or seed. Its
# numpy stream lives below the Tensor class (facade/random.py), where Tensor.uniform_ and
# normal_ draw from it too.
default_generator = Generator()
default_generator._numpy = global_stream


# ---- the default device of the functions above --------------------------------------------

class _DefaultDevice(threading.local):
    """Per thread, as torch's: the device factory functions use when given none."""
    device = None


_default_device = _DefaultDevice()

# the device types torch's device strings may start with
_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")


def set_default_device(device):
    """The device factory functions (zeros, tensor, rand...) make tensors on when given
    none; None clears it. As in torch, any device is accepted here: minitorch computes on
    'cpu' only, so making a tensor on any other then raises."""
    if device is not None:
        if isinstance(device, int) and not isinstance(device, bool):
            raise errors.no_accelerator()  # torch: an index of the current accelerator
        if isinstance(device, str):
            parsed = re.fullmatch(r"([a-zA-Z_]+)(?::([1-9]\d*|0))?", device)
            if parsed is None:
                raise errors.invalid_device_string(device)
            if parsed.group(1) not in _DEVICE_TYPES:
                raise errors.unknown_device_type(parsed.group(1))
        device = _device(device)
    _default_device.device = device


def get_default_device():
    """The default device ('cpu' unless set_default_device said otherwise)."""
    device = _default_device.device
    if device is None:
        return _device("cpu")
    if device.index is None:  # torch asks the device for its current index
        check_device(device)
    return device
