"""Making tensors: tensor, from_numpy, zeros/ones/empty/full, random ones, ranges, eye,
and every *_like; plus manual_seed for the random stream."""
import builtins

import numpy as np

from . import dtypes
from .tensor import Tensor, _check_device


class _Random:
    """The global random stream; manual_seed restarts it."""
    generator = np.random.default_rng()


def manual_seed(seed):
    _Random.generator = np.random.default_rng(int(seed))
    return _Random.generator


seed = manual_seed


def initial_seed():
    return _Random.generator.bit_generator.seed_seq.entropy


def _finish(data, requires_grad=False, device=None):
    if device is not None:
        _check_device(device)
    t = Tensor._make(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _size(size, keyword=None):
    """The shape from varargs `zeros(2, 3)`, a tuple `zeros((2, 3))` or `zeros(size=(2, 3))`."""
    if keyword is not None:
        size = (keyword,)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers as the size, but got "
                            f"{type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _float(dtype):
    return dtypes.float32.np if dtype is None else dtypes.to_np(dtype)


# ---- from data ---------------------------------------------------------------------------

def _nested_shape(data, dim=0):
    """Shape of nested Python sequences; torch's ValueError when they are ragged."""
    if isinstance(data, Tensor):
        return data.shape
    if isinstance(data, np.ndarray):
        return data.shape
    if not isinstance(data, (list, tuple)):
        return ()
    if len(data) == 0:
        return (0,)
    inner = _nested_shape(data[0], dim + 1)
    for item in data[1:]:
        other = _nested_shape(item, dim + 1)
        if other != inner:
            if len(other) == 0 or len(inner) == 0:
                raise TypeError("not a sequence" if len(other) == 0 else
                                f"expected sequence of length {inner[0] if inner else 0} at dim "
                                f"{dim + 1} (got {other[0] if other else 0})")
            raise ValueError(f"expected sequence of length {inner[0]} at dim {dim + 1} "
                             f"(got {other[0]})")
    return (len(data),) + tuple(inner)


def _infer_np_dtype(data):
    """torch's inference: bools -> bool, ints -> int64, any float -> the default float32."""
    kinds = set()

    def walk(x):
        if isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, (Tensor, np.ndarray)):
            kinds.add(x._data.dtype if isinstance(x, Tensor) else x.dtype)
        elif isinstance(x, np.floating):
            kinds.add(x.dtype)  # a numpy float keeps its precision, as in torch
        elif isinstance(x, (builtins.bool, np.bool_)):
            kinds.add("b")
        elif isinstance(x, (int, np.integer)):
            kinds.add("i")
        elif isinstance(x, float):
            kinds.add("f")
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}")
    walk(data)
    typed = [k for k in kinds if isinstance(k, np.dtype)]
    if typed:
        dt = np.result_type(*typed)
        return dtypes.float32.np if "f" in kinds and dt.kind != "f" else dt
    if "f" in kinds:
        return dtypes.float32.np
    if "i" in kinds:
        return dtypes.int64.np
    if "b" in kinds:
        return dtypes.bool.np
    return dtypes.float32.np  # empty lists


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
        arr = np.array(data, dtype=_infer_np_dtype(data) if dtype is None else dtypes.to_np(dtype))
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
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    dtypes.from_np(ndarray.dtype)
    return Tensor._make(ndarray)


# ---- filled -----------------------------------------------------------------------------

def zeros(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None):
    return _finish(np.zeros(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


def ones(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None):
    return _finish(np.ones(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


def empty(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None,
          memory_format=None):
    return _finish(np.empty(_size(shape, size), dtype=_float(dtype)), requires_grad, device)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = _infer_np_dtype(fill_value) if not isinstance(fill_value, Tensor) else fill_value._data.dtype
    return _finish(np.full(_size((size,)), fill_value, dtype=dtypes.to_np(dtype)), requires_grad, device)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    return _finish(np.eye(n, n if m is None else m, dtype=_float(dtype)), requires_grad, device)


def arange(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    if dtype is None:
        numbers = [x.item() if isinstance(x, Tensor) else x for x in (start, end, step)]
        dtype = dtypes.float32.np if any(isinstance(x, float) for x in numbers) else dtypes.int64.np
    if step == 0:
        raise RuntimeError("step must be nonzero")
    # compute in float64 as torch does, then cast
    n = builtins.max(int(np.ceil((end - start) / step)), 0)
    data = (start + step * np.arange(n, dtype=np.float64)).astype(dtypes.to_np(dtype))
    if np.dtype(dtypes.to_np(dtype)).kind in "iu":
        data = np.arange(start, end, step, dtype=dtypes.to_np(dtype))
    return _finish(data, requires_grad, device)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
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

def _gen(generator):
    return _Random.generator if generator is None else generator


def rand(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    d = _random_float(dtype, "check_uniform_bounds")
    data = _gen(generator).random(_size(shape, size),
                                  dtype=np.float64 if d == np.float64 else np.float32)
    return _finish(data.astype(d, copy=False), requires_grad, device)


def randn(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    d = _random_float(dtype, "normal_kernel_cpu")
    data = _gen(generator).standard_normal(_size(shape, size),
                                           dtype=np.float64 if d == np.float64 else np.float32)
    return _finish(data.astype(d, copy=False), requires_grad, device)


def _random_float(dtype, kernel):
    """rand/randn make floats only: torch's error (naming its kernel) for other dtypes."""
    d = _float(dtype)
    if d.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtypes.scalar_name(d)}\'')
    return d


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False):
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=...)
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    d = dtypes.int64.np if dtype is None else dtypes.to_np(dtype)
    data = _gen(generator).integers(low, high, _size((size,))).astype(d)
    return _finish(data, requires_grad, device)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    d = dtypes.int64.np if dtype is None else dtypes.to_np(dtype)
    return _finish(_gen(generator).permutation(n).astype(d), requires_grad, device)


def normal(mean, std, size, *, generator=None, dtype=None):
    return _finish(_gen(generator).normal(mean, std, _size((size,))).astype(_float(dtype)))


# ---- *_like -----------------------------------------------------------------------------

def _like(fn):
    def like(input, *, dtype=None, device=None, requires_grad=False, **kwargs):
        d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
        return fn(input.shape, dtype=d, device=device, requires_grad=requires_grad, **kwargs)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"{fn.__name__} with input's shape (and dtype unless dtype= says otherwise)."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)
rand_like, randn_like = _like(rand), _like(randn)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
    return full(input.shape, fill_value, dtype=d, device=device, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    d = input._data.dtype if dtype is None else dtypes.to_np(dtype)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=d, device=device)


class Generator:
    """A random-number generator object, as torch.Generator (stub: being written)."""
