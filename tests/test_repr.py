"""Tensor printing matches torch's, character for character.

torch is the oracle everywhere: each test builds a numpy array, gives torch a
tensor with the same values (and, where it matters, the same autograd state
and print options), and asserts that ``format_tensor`` returns torch's repr
with ``torch.`` spelled ``minitorch.``.
"""
import contextlib
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch._tensor_str as torch_tensor_str
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitorch._tensor_str import (
    format_tensor,
    get_printoptions,
    printoptions,
    set_printoptions,
)

FLOAT_DTYPES = ["float16", "float32", "float64"]
INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8"]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + ["bool"]

# Autograd ops whose result carries a grad_fn (float inputs of any shape).
GRAD_OPS = {
    "mul": lambda t: t * 2,
    "add": lambda t: t + 1,
    "neg": lambda t: -t,
    "tanh": torch.tanh,
    "reshape": lambda t: t.reshape(-1),
    "sum": lambda t: t.sum(),
    "sum0": lambda t: t.sum(0) if t.dim() else t.sum(),
}


# ---- helpers ---------------------------------------------------------------


def _reset_both():
    torch.set_printoptions(profile="default")
    set_printoptions(profile="default")


@pytest.fixture(autouse=True, scope="module")
def default_printoptions():
    """Start and leave this module with default print options in both engines."""
    _reset_both()
    yield
    _reset_both()


@contextlib.contextmanager
def both_printoptions(*calls):
    """Apply each dict of arguments to torch's and our set_printoptions, in
    order; restore the defaults afterwards (also when the test fails)."""
    try:
        for kwargs in calls:
            torch.set_printoptions(**kwargs)
            set_printoptions(**kwargs)
        yield
    finally:
        _reset_both()


def assert_prints_like_torch(arr, autograd=None):
    """format_tensor(arr) == repr of the torch tensor with the same values.

    ``autograd``: None (plain tensor), "leaf" (a leaf that requires grad), or
    a key of GRAD_OPS (the op is applied to a requires-grad leaf, and the
    result, which has a grad_fn, is printed).
    """
    t = torch.from_numpy(np.array(arr, copy=True))
    kwargs = {}
    if autograd is not None:
        t.requires_grad_()
        if autograd == "leaf":
            kwargs["requires_grad"] = True
        else:
            t = GRAD_OPS[autograd](t)
            kwargs["grad_fn"] = type(t.grad_fn).__name__
            arr = t.detach().numpy()
    expected = repr(t).replace("torch.", "minitorch.")
    got = format_tensor(arr, str(arr.dtype), **kwargs)
    assert got == expected, f"\nours:\n{got}\ntorch:\n{expected}"


# ---- strategies ------------------------------------------------------------

SPECIAL_FLOATS = st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0])

# Each array draws its values from one family, so that fixed-point, integer
# and scientific styles (and the boundaries between them) all come up.
FLOAT_FAMILIES = [
    st.floats(allow_nan=True, allow_infinity=True),  # anything: mostly scientific
    st.integers(-10**6, 10**6).map(lambda i: i / 1000),  # fixed point
    st.integers(-10**6, 10**6).map(lambda i: i / 7),  # many digits to round
    st.integers(-30, 30).map(float),  # integer-valued, short
    st.integers(-10**12, 10**12).map(float),  # integer-valued, long
    st.floats(1e-12, 1e-3) | st.floats(-1e-3, -1e-12),  # tiny
    st.floats(1e6, 1e30) | st.floats(-1e30, -1e6),  # huge
    st.sampled_from(  # around the thresholds of the automatic choice
        [1e-4, 9.9999e-5, 1.0001e-4, 1e8, 1.00001e8, 99999999.0, 0.1, 1.0, 1000.0,
         1000.5, 0.99995, 9.99995, 123.456, -0.5, 2.0, 65504.0, 3.0e-8]
    ),
]


def int_elements(dtype):
    """Small ints, mid-size ints and the dtype's full range."""
    info = np.iinfo(dtype)
    return st.one_of(
        st.integers(max(info.min, -10), min(info.max, 10)),
        st.integers(max(info.min, -99999), min(info.max, 99999)),
        st.integers(int(info.min), int(info.max)),
    )


@st.composite
def elements_for(draw, dtype):
    """An element strategy for one array of ``dtype``."""
    if dtype == "bool":
        return st.booleans()
    if dtype in INT_DTYPES:
        return int_elements(dtype)
    family = draw(st.sampled_from(FLOAT_FAMILIES))
    if draw(st.booleans()):
        family = st.one_of(family, family, family, SPECIAL_FLOATS)
    return family


def cast(arr, dtype):
    """arr as dtype (overflow to inf for float16 is intended)."""
    with np.errstate(over="ignore"):
        return arr.astype(dtype)


def relayout(arr, kind):
    """The same values, stored C-ordered, Fortran-ordered or as a strided view."""
    if kind == "fortran":
        return np.asfortranarray(arr)
    if kind == "strided" and arr.ndim:
        big = np.repeat(arr, 2, axis=-1)
        return big[..., ::2]
    return arr


@st.composite
def small_arrays(draw, dtypes=ALL_DTYPES, max_side=5):
    """Arrays of 0..4 dims, sides 0..max_side, any dtype and value family."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=max_side))
    base = {"bool": np.bool_}.get(dtype, np.float64 if dtype in FLOAT_DTYPES else dtype)
    arr = draw(hnp.arrays(base, shape, elements=draw(elements_for(dtype))))
    arr = cast(arr, dtype)
    return relayout(arr, draw(st.sampled_from(["c", "fortran", "strided"])))


@st.composite
def big_shapes(draw):
    """Shapes of 1..4 dims with more than 1000 (and at most ~3000) elements."""
    ndim = draw(st.integers(1, 4))
    head = draw(st.lists(st.integers(1, 9), min_size=ndim - 1, max_size=ndim - 1))
    need = -(-1001 // math.prod(head))
    last = draw(st.integers(need, need + 40))
    return tuple(draw(st.permutations(head + [last])))


@st.composite
def big_arrays(draw):
    """Arrays above the summarization threshold, filled by a seeded numpy rng."""
    dtype = draw(st.sampled_from(ALL_DTYPES))
    shape = draw(big_shapes())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype == "bool":
        return rng.random(shape) < draw(st.sampled_from([0.0, 0.5, 1.0]))
    if dtype in INT_DTYPES:
        info = np.iinfo(dtype)
        low, high = draw(st.sampled_from([(0, 9), (-99, 99), (int(info.min), int(info.max))]))
        return rng.integers(max(low, info.min), min(high, info.max), shape, endpoint=True).astype(dtype)
    kind = draw(st.sampled_from(["normal", "integral", "wide"]))
    if kind == "normal":
        arr = rng.standard_normal(shape) * 10.0 ** draw(st.integers(-6, 9))
    elif kind == "integral":
        arr = rng.integers(-1000, 1000, shape).astype(np.float64)
    else:
        arr = np.sign(rng.standard_normal(shape)) * 10.0 ** rng.uniform(-12, 12, shape)
    if draw(st.booleans()):
        specials = rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0], shape)
        arr = np.where(rng.random(shape) < 0.05, specials, arr)
    return cast(arr, dtype)


PRINT_OPTION_CALLS = st.fixed_dictionaries(
    {},
    optional={
        "precision": st.integers(0, 10),
        "threshold": st.integers(0, 300) | st.just(math.inf),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(1, 160),
        "profile": st.sampled_from(["default", "short", "full"]),
        "sci_mode": st.none() | st.booleans(),
    },
)


def autograd_modes(arr):
    """Autograd states that torch allows for a tensor of arr's dtype."""
    if arr.dtype.kind != "f":
        return st.just(None)
    return st.sampled_from([None, "leaf", *GRAD_OPS])


# ---- values and layout -------------------------------------------------------


@settings(max_examples=400)
@given(small_arrays())
def test_small_tensors_of_every_dtype(arr):
    assert_prints_like_torch(arr)


@settings(max_examples=150)
@given(small_arrays(dtypes=FLOAT_DTYPES, max_side=3), st.data())
def test_special_values(arr, data):
    """nan, inf, -inf, 0 and -0 mixed into float tensors of any style."""
    if arr.size:
        flat = arr.reshape(-1).copy()
        spots = data.draw(st.lists(st.integers(0, flat.size - 1), max_size=flat.size))
        for i in spots:
            flat[i] = data.draw(SPECIAL_FLOATS)
        arr = flat.reshape(arr.shape)
    assert_prints_like_torch(arr)


@settings(max_examples=60)
@given(big_arrays())
def test_summarized_tensors(arr):
    """More than 1000 elements: only edge items are shown, and chosen from."""
    assert_prints_like_torch(arr)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4), (1, 1, 0, 1)])
def test_empty_tensors(shape, dtype):
    assert_prints_like_torch(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.tensor(1.5),
        lambda: torch.tensor(-0.0),
        lambda: torch.tensor(float("nan"), dtype=torch.float64),
        lambda: torch.tensor(7),
        lambda: torch.tensor(True),
        lambda: torch.tensor([1e-5, 1.0]),
        lambda: torch.tensor([1.0, 1001.0]),
        lambda: torch.tensor([1.0, 1000.0]),
        lambda: torch.tensor([1e8, 1.0]),
        lambda: torch.tensor([0.0, float("nan"), float("inf")]),
        lambda: torch.tensor([float("nan"), -float("inf")], dtype=torch.float16),
        lambda: torch.arange(2000).reshape(20, 100),
        lambda: torch.arange(2000.0).reshape(2, 10, 100),
        lambda: torch.arange(5000, dtype=torch.int8),
        lambda: torch.linspace(-1, 1, 1001),
        lambda: torch.ones(1, 1, 1, 1001, dtype=torch.float16),
        lambda: torch.full((100, 100), 1e20, dtype=torch.float64),
        # a huge value hidden in the summarized-away middle does not count
        lambda: torch.ones(3000).index_fill(0, torch.tensor([1500]), 1e20),
    ],
)
def test_torch_built_tensors(make):
    """Tensors torch itself builds (rather than converted from numpy)."""
    t = make()
    expected = repr(t).replace("torch.", "minitorch.")
    arr = t.numpy()
    assert format_tensor(arr, str(t.dtype).removeprefix("torch.")) == expected


def test_data_is_cast_to_the_dtype():
    """float64 data printed as a float32 tensor shows the float32 values."""
    values = np.array([0.1, 1 / 3, 1e-3, 2.0**30 + 1])
    for dtype in FLOAT_DTYPES + INT_DTYPES:
        expected = repr(torch.tensor(values, dtype=getattr(torch, dtype)))
        assert format_tensor(values, dtype) == expected.replace("torch.", "minitorch.")


def test_unknown_dtype_is_rejected():
    with pytest.raises(ValueError):
        format_tensor(np.zeros(2), "complex64")


# ---- autograd suffixes -------------------------------------------------------


@settings(max_examples=150)
@given(small_arrays(dtypes=FLOAT_DTYPES, max_side=6), st.data())
def test_autograd_suffixes(arr, data):
    """grad_fn=<...> for results of ops, requires_grad=True for leaves."""
    assert_prints_like_torch(arr, autograd=data.draw(autograd_modes(arr)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("autograd", ["leaf", *GRAD_OPS])
def test_autograd_suffix_wraps_to_a_new_line(dtype, autograd):
    """Wide rows push the dtype and grad suffixes onto their own lines."""
    arr = (np.arange(24.0).reshape(3, 8) * 1234.5678).astype(dtype)
    assert_prints_like_torch(arr, autograd=autograd)


def test_requires_grad_of_a_real_leaf():
    t = torch.ones(2, requires_grad=True)
    assert format_tensor(np.ones(2, np.float32), "float32", requires_grad=True) == repr(t)


def test_grad_fn_of_a_real_result():
    t = torch.ones(2, requires_grad=True) * 2
    got = format_tensor(t.detach().numpy(), "float32", grad_fn=type(t.grad_fn).__name__)
    assert got == repr(t)


def test_grad_fn_wins_over_requires_grad():
    t = torch.ones(2, dtype=torch.float64, requires_grad=True) + 1
    got = format_tensor(t.detach().numpy(), "float64", grad_fn=type(t.grad_fn).__name__,
                        requires_grad=True)
    assert got == repr(t).replace("torch.", "minitorch.")


# ---- print options -----------------------------------------------------------


@settings(max_examples=250)
@given(st.lists(PRINT_OPTION_CALLS, min_size=1, max_size=2),
       small_arrays(max_side=6), st.data())
def test_printoptions_parity(calls, arr, data):
    """Any sequence of set_printoptions calls prints as torch does after it
    (note that every call resets sci_mode unless it passes one)."""
    with both_printoptions(*calls):
        assert get_printoptions() == torch_tensor_str.get_printoptions()
        assert_prints_like_torch(arr, autograd=data.draw(autograd_modes(arr)))


@settings(max_examples=40)
@given(PRINT_OPTION_CALLS, big_arrays())
def test_printoptions_on_big_tensors(options, arr):
    with both_printoptions(options):
        assert_prints_like_torch(arr)


@pytest.mark.parametrize("profile", ["default", "short", "full"])
def test_profiles(profile):
    arr = np.linspace(-1, 1, 1200).reshape(40, 30)
    with both_printoptions({"profile": profile}):
        assert get_printoptions() == torch_tensor_str.get_printoptions()
        assert_prints_like_torch(arr)
        assert_prints_like_torch(arr.astype(np.float32), autograd="mul")


def test_get_printoptions_defaults():
    assert get_printoptions() == torch_tensor_str.get_printoptions()


def test_printoptions_context_manager():
    arr = np.array([1.123456789, 2e-7])
    with both_printoptions({"precision": 6}):
        with printoptions(precision=2, sci_mode=False), \
                torch_tensor_str.printoptions(precision=2, sci_mode=False):
            assert get_printoptions() == torch_tensor_str.get_printoptions()
            assert_prints_like_torch(arr)
        assert get_printoptions() == torch_tensor_str.get_printoptions()
        assert_prints_like_torch(arr)


# ---- hygiene -----------------------------------------------------------------


def test_module_does_not_import_torch():
    code = ("import sys, minitorch._tensor_str; "
            "sys.exit('torch' in sys.modules or 'torch._C' in sys.modules)")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
