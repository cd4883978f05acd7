"""The parity harness: run one expression in minitorch and in torch, compare everything.

`check(fn, *arrays)` builds the same leaf tensors in both engines from numpy arrays
(keeping their strides, so non-contiguous inputs stay non-contiguous), runs
`fn(lib, *tensors)` with `lib` being `minitorch` or `torch`, and compares the outputs'
dtypes, shapes and values. Then it back-propagates the same *random* upstream gradient
through both (not `.sum()`, so a transposed gradient cannot hide) and compares every
input's `.grad`.
"""
import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from reference import transfer

# float64 must agree tightly; float32 loosely (different summation orders round apart).
RTOL = {np.float64: 1e-10, np.float32: 1e-5}


def tolerance(dtype, rtol=None):
    return rtol if rtol is not None else RTOL.get(np.dtype(dtype).type, 0)


def assert_close(ours, theirs, rtol=None, what="value"):
    """Assert a minitorch result equals torch's: same dtype, shape and values."""
    assert isinstance(ours, minitorch.Tensor), f"{what}: expected a Tensor, got {type(ours)}"
    theirs_np = theirs.detach().numpy()
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1], \
        f"{what}: dtype {ours.dtype} != {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} != {tuple(theirs.shape)}"
    ours_np = ours.detach().numpy()
    tol = tolerance(ours_np.dtype, rtol)
    if tol == 0:
        np.testing.assert_array_equal(ours_np, theirs_np, err_msg=what)
    else:
        finite = np.abs(theirs_np[np.isfinite(theirs_np)])
        scale = 1.0 + (finite.max() if finite.size else 0.0)
        np.testing.assert_allclose(ours_np, theirs_np, rtol=tol, atol=tol * scale, err_msg=what)


# ---- moving values between the engines ----------------------------------------------------

def _map_tensors(value, kind, convert):
    """value with each tensor of type `kind` in it (also inside dicts and lists) converted;
    everything else as it is."""
    if isinstance(value, kind):
        return convert(value)
    if isinstance(value, dict):
        return {k: _map_tensors(v, kind, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_tensors(v, kind, convert) for v in value]
    return value


def to_torch(value):
    """value (a tensor, or a state dict / list holding them) with minitorch's tensors as
    torch tensors (copies, detached); everything else as it is."""
    return _map_tensors(value, minitorch.Tensor, transfer.to_torch)


def to_minitorch(value):
    """The other way: torch's tensors in value as minitorch tensors."""
    return _map_tensors(value, torch.Tensor, transfer.to_minitorch)


# ---- errors and printed forms -----------------------------------------------------------

def torch_name(s):
    if minitorch is torch:       # a torch stand-in, used to check the tests themselves
        return s
    return s.replace("torch.", "minitorch.")


def builtin_base(cls):
    return next(c for c in cls.__mro__ if c.__module__ == "builtins")


def raised(fn, lib):
    try:
        fn(lib)
    except Exception as e:   # noqa: BLE001 - any exception is the result under test
        return e
    return None


def same_error(fn, exact=True, key=None):
    """fn(torch) and fn(minitorch) raise the same builtin exception type; the message is
    torch's exactly (exact=True) or contains `key` (a sentence of torch's message)."""
    theirs = raised(fn, torch)
    assert theirs is not None, "the case must make torch raise"
    ours = raised(fn, minitorch)
    assert ours is not None, f"minitorch raised nothing; torch raised {type(theirs).__name__}: {theirs}"
    assert isinstance(ours, builtin_base(type(theirs))), \
        f"minitorch raised {type(ours).__name__}: {ours}; torch raised {type(theirs).__name__}: {theirs}"
    assert builtin_base(type(ours)) is builtin_base(type(theirs))
    expected = torch_name(str(theirs))
    if exact:
        assert str(ours) == expected, f"\nminitorch: {ours}\ntorch:     {expected}"
    else:
        assert key in str(theirs), "the key must be torch's own text"
        assert torch_name(key) in str(ours), f"\nminitorch: {ours}\ntorch:     {expected}"
    return ours, theirs


def leaves(arrays, requires_grad=True):
    """The same inputs as leaves of both engines (float arrays require grad)."""
    ours, theirs = [], []
    for a in arrays:
        if not isinstance(a, np.ndarray):
            ours.append(a)
            theirs.append(a)
            continue
        grad = requires_grad and a.dtype.kind == "f"
        ours.append(minitorch.from_numpy(_copy_view(a)).requires_grad_(grad))
        theirs.append(torch.from_numpy(_copy_view(a)).requires_grad_(grad))
    return ours, theirs


def _copy_view(a):
    """A fresh array with a's values and a's kind of layout, sharing no memory with a."""
    if a.flags.c_contiguous:
        return a.copy()
    if a.T.flags.c_contiguous:
        return a.T.copy().T
    return layout(a.copy(), "sliced")


def check(fn, *arrays, rtol=None, grad_rtol=None, requires_grad=True, seed=0):
    """Run fn(lib, *tensors) in both engines and compare outputs and every input grad."""
    ours_in, theirs_in = leaves(arrays, requires_grad)
    ours = fn(minitorch, *ours_in)
    theirs = fn(torch, *theirs_in)
    ours_t, theirs_t = _as_tuple(ours), _as_tuple(theirs)
    assert len(ours_t) == len(theirs_t)
    for i, (o, t) in enumerate(zip(ours_t, theirs_t)):
        assert_close(o, t, rtol, what=f"output {i}")
    outs = [(o, t) for o, t in zip(ours_t, theirs_t) if t.requires_grad]
    if not outs:
        return ours
    rng = np.random.default_rng(seed)
    ours_outs, theirs_outs, grads_o, grads_t = [], [], [], []
    for o, t in outs:
        g = rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype)
        ours_outs.append(o)
        theirs_outs.append(t)
        grads_o.append(minitorch.from_numpy(g.copy()))
        grads_t.append(torch.from_numpy(g.copy()))
    minitorch.autograd.backward(ours_outs, grads_o)
    torch.autograd.backward(theirs_outs, grads_t)
    for i, (o, t) in enumerate(zip(ours_in, theirs_in)):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            if t.grad is None:
                assert o.grad is None, f"input {i}: grad should be None"
            else:
                assert o.grad is not None, f"input {i}: grad is None, torch has one"
                assert_close(o.grad, t.grad, grad_rtol if grad_rtol is not None else rtol,
                             what=f"grad of input {i}")
    return ours


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


# ---- hypothesis strategies -------------------------------------------------------------

FLOATS = [np.float64, np.float32]


def floats_array(shape, dtype=np.float64, low=-3.0, high=3.0, away_from=None):
    """Random floats in [low, high]; `away_from` keeps values off a kink (e.g. 0 for abs)."""
    def make(seed):
        a = np.random.default_rng(seed).uniform(low, high, size=shape)
        if away_from is not None:
            near = np.abs(a - away_from) < 0.1
            a[near] = away_from + np.where(a[near] >= away_from, 0.1, -0.1)
        return a.astype(dtype)
    return st.integers(0, 2**32 - 1).map(make)


def layout(a, kind):
    """The same values as `a`, laid out contiguously, transposed or as a strided slice."""
    if kind == "contiguous" or a.ndim == 0:
        return a
    if kind == "transposed":
        return np.ascontiguousarray(a.T).T
    # every other element of a twice-as-long buffer along the last axis
    big = np.zeros(a.shape[:-1] + (a.shape[-1] * 2,), dtype=a.dtype)
    big[..., ::2] = a
    return big[..., ::2]


LAYOUTS = st.sampled_from(["contiguous", "transposed", "sliced"])


def shapes(min_dims=0, max_dims=4, min_side=1, max_side=4):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


@st.composite
def tensors(draw, shape=None, dtype=None, low=-3.0, high=3.0, away_from=None):
    """One float array with a drawn shape, dtype and layout."""
    shape = draw(shapes()) if shape is None else shape
    dtype = draw(st.sampled_from(FLOATS)) if dtype is None else dtype
    a = draw(floats_array(shape, dtype, low, high, away_from))
    return layout(a, draw(LAYOUTS))


@st.composite
def broadcast_pair(draw, dtype=None, low=-3.0, high=3.0, away_from=None, min_dims=0):
    """Two arrays of mutually broadcastable shapes, same dtype, random layouts."""
    dtype = draw(st.sampled_from(FLOATS)) if dtype is None else dtype
    shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=min_dims, max_dims=4, max_side=4))
    a, b = (layout(draw(floats_array(s, dtype, low, high, away_from)), draw(LAYOUTS))
            for s in shp.input_shapes)
    return a, b
