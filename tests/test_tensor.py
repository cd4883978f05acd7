"""Tensor creation, attributes, conversions, in-place ops and item assignment, vs torch.

Every test runs the same code in minitorch and in torch (the oracle) and compares dtypes,
shapes, values and printed forms (with ``torch.`` read as ``minitorch.``).
"""
import math
import operator

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from parity import assert_close, torch_name

LIBS = (minitorch, torch)
DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]
FLOAT_DTYPES = ["float32", "float64"]
NP = {"float32": np.float32, "float64": np.float64, "int64": np.int64, "int32": np.int32,
      "uint8": np.uint8, "bool": np.bool_}




def same_dtype(ours, theirs):
    assert str(ours) == torch_name(str(theirs)), f"dtype {ours} != {theirs}"


def same_meta(ours, theirs):
    """Same dtype and shape, nothing about values (empty, random tensors)."""
    assert isinstance(ours, minitorch.Tensor), f"expected a minitorch.Tensor, got {type(ours)}"
    same_dtype(ours.dtype, theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)


def dtype_kw(lib, dtype):
    """`dtype=lib.<name>` as keyword arguments, or none for the default dtype."""
    return {} if dtype is None else {"dtype": getattr(lib, dtype)}


def both(fn):
    """fn(lib) for minitorch and torch."""
    return fn(minitorch), fn(torch)


def arrays(dtypes=DTYPES, shape=None, max_dims=3):
    """A numpy array of a drawn dtype and shape, values safe for every dtype conversion."""
    @st.composite
    def make(draw):
        name = draw(st.sampled_from(dtypes))
        shp = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=1, max_side=4)) \
            if shape is None else shape
        seed = draw(st.integers(0, 2**32 - 1))
        rng = np.random.default_rng(seed)
        if name in FLOAT_DTYPES:
            a = rng.uniform(-5, 5, size=shp)
        elif name == "bool":
            a = rng.integers(0, 2, size=shp)
        else:
            a = rng.integers(0, 100, size=shp)
        return np.asarray(a).astype(NP[name])
    return make()


# ---- tensor(data): dtype inference ------------------------------------------------------

FIXED_DATA = {
    "int": lambda: 1,
    "float": lambda: 1.5,
    "bool": lambda: True,
    "neg_int": lambda: -7,
    "int_list": lambda: [1, 2],
    "float_list": lambda: [1.0, 2.0],
    "mixed_int_float": lambda: [1, 2.5],
    "mixed_float_int_nested": lambda: [[1, 2], [3, 4.5]],
    "bool_list": lambda: [True, False],
    "bool_int": lambda: [True, 2],
    "bool_float": lambda: [False, 2.5],
    "nested_int": lambda: [[1, 2], [3, 4]],
    "nested_3d": lambda: [[[1.0], [2.0]], [[3.0], [4.0]]],
    "tuple": lambda: (1, 2, 3),
    "list_of_tuples": lambda: [(1, 2), (3, 4)],
    "empty_list": lambda: [],
    "empty_nested": lambda: [[]],
    "np_int64": lambda: np.array([1, 2]),
    "np_int32": lambda: np.array([1, 2], dtype=np.int32),
    "np_uint8": lambda: np.array([1, 255], dtype=np.uint8),
    "np_float64": lambda: np.array([1.0, 2.0]),
    "np_float32": lambda: np.array([1.0, 2.0], dtype=np.float32),
    "np_bool": lambda: np.array([True, False]),
    "np_2d": lambda: np.arange(6.0).reshape(2, 3),
    "np_0d": lambda: np.array(3.0),
    "np_transposed": lambda: np.arange(6.0).reshape(2, 3).T,
    "np_float64_scalar": lambda: np.float64(2.5),
    "np_float32_scalar": lambda: np.float32(2.5),
    "np_int64_scalar": lambda: np.int64(3),
    "np_bool_scalar": lambda: np.bool_(True),
}


@pytest.mark.parametrize("name", list(FIXED_DATA))
def test_tensor_infers_dtype_and_values(name):
    ours, theirs = both(lambda lib: lib.tensor(FIXED_DATA[name]()))
    assert_close(ours, theirs, what=name)
    assert repr(ours) == torch_name(repr(theirs))


def test_tensor_list_with_numpy_scalars():
    # a list holding numpy float64 scalars takes their dtype (float64) in torch
    ours, theirs = both(lambda lib: lib.tensor([1, np.float64(2.0)]))
    assert_close(ours, theirs)
    ours, theirs = both(lambda lib: lib.tensor([np.float32(1.5), np.float32(2.0)]))
    assert_close(ours, theirs)


ELEMENTS = {
    "int": st.integers(-1000, 1000),
    "float": st.floats(-1e3, 1e3, allow_nan=False),
    "bool": st.booleans(),
}


def nest(flat, shape):
    if not shape:
        return flat[0]
    step = len(flat) // shape[0]
    return [nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


@st.composite
def nested_lists(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    kinds = draw(st.lists(st.sampled_from(sorted(ELEMENTS)), min_size=1, max_size=3, unique=True))
    n = math.prod(shape)
    flat = draw(st.lists(st.one_of(*[ELEMENTS[k] for k in kinds]), min_size=n, max_size=n))
    return nest(flat, shape)


@given(nested_lists())
def test_tensor_nested_lists_infer_like_torch(data):
    ours, theirs = both(lambda lib: lib.tensor(data))
    assert_close(ours, theirs, what=repr(data))


@given(arrays())
def test_tensor_from_numpy_array_keeps_dtype_and_copies(a):
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    assert_close(ours, theirs)
    a_before = a.copy()
    a[...] = 0                       # tensor() copies: the tensors keep the old values
    assert_close(ours, theirs)
    np.testing.assert_array_equal(ours.numpy(), a_before)


@st.composite
def data_and_dtype(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    n = math.prod(shape)
    # non-negative values: every conversion (to uint8, to bool, float->int truncation) is defined
    elem = st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False), st.booleans())
    flat = draw(st.lists(elem, min_size=n, max_size=n))
    return nest(flat, shape), draw(st.sampled_from(DTYPES))


@given(data_and_dtype())
def test_tensor_with_dtype(args):
    data, name = args
    ours, theirs = both(lambda lib: lib.tensor(data, dtype=getattr(lib, name)))
    assert_close(ours, theirs, what=f"{data!r} as {name}")


@given(st.sampled_from(FLOAT_DTYPES), st.booleans())
def test_tensor_requires_grad(name, rg):
    ours, theirs = both(lambda lib: lib.tensor([[1.0, 2.0]], dtype=getattr(lib, name), requires_grad=rg))
    assert_close(ours, theirs)
    assert ours.requires_grad == theirs.requires_grad
    assert ours.is_leaf and theirs.is_leaf
    assert ours.grad is None and ours.grad_fn is None


@pytest.mark.parametrize("data", [[[1, 2], [3]], [[1], [2, 3]], [[[1, 2], [3, 4]], [[5, 6], [7]]],
                                  [[1.0, 2.0], [3.0, 4.0, 5.0]]])
def test_tensor_ragged_list_raises_value_error_like_torch(data):
    with pytest.raises(Exception) as theirs:
        torch.tensor(data)
    with pytest.raises(Exception) as ours:
        minitorch.tensor(data)
    assert type(ours.value) is type(theirs.value) is ValueError


# ---- from_numpy and .numpy(): one memory ------------------------------------------------

@given(arrays(dtypes=["float32", "float64", "int64", "int32", "uint8"], max_dims=3))
def test_from_numpy_shares_memory_both_ways(a):
    a_ours, a_theirs = a.copy(), a.copy()
    ours, theirs = minitorch.from_numpy(a_ours), torch.from_numpy(a_theirs)
    assert_close(ours, theirs)
    # numpy -> tensor
    for arr in (a_ours, a_theirs):
        arr[...] = arr * 2 + 1
    assert_close(ours, theirs)
    np.testing.assert_array_equal(ours.numpy(), a_ours)
    # tensor -> numpy (in-place op and item assignment)
    for t in (ours, theirs):
        t.add_(3)
        if t.dim() > 0:
            t[0] = 7
    assert_close(ours, theirs)
    np.testing.assert_array_equal(a_ours, a_theirs)
    np.testing.assert_array_equal(ours.numpy(), a_ours)


def test_from_numpy_bool_and_noncontiguous_share_memory():
    for make in (lambda: np.array([True, False, True]),
                 lambda: np.arange(12.0).reshape(3, 4).T,
                 lambda: np.arange(12.0)[::3]):
        a_ours, a_theirs = make(), make()
        ours, theirs = minitorch.from_numpy(a_ours), torch.from_numpy(a_theirs)
        assert_close(ours, theirs)
        for arr in (a_ours, a_theirs):
            arr[0] = not arr[0] if arr.dtype == np.bool_ else -1
        assert_close(ours, theirs)
        for t in (ours, theirs):
            t[-1] = t[0]
        np.testing.assert_array_equal(a_ours, a_theirs)


@given(arrays(dtypes=["float32", "float64", "int64"], max_dims=3))
def test_numpy_of_a_tensor_shares_memory(a):
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    n_ours, n_theirs = ours.numpy(), theirs.numpy()
    assert n_ours.dtype == n_theirs.dtype and n_ours.shape == n_theirs.shape
    ours.mul_(2), theirs.mul_(2)
    np.testing.assert_array_equal(n_ours, n_theirs)
    n_ours += 1
    n_theirs += 1
    assert_close(ours, theirs)


# ---- factories ------------------------------------------------------------------------

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
STYLES = ["tuple", "varargs", "list", "Size"]


def call_with_shape(fn, lib, shape, style, *args, **kw):
    """fn called with its shape written one of the ways torch accepts."""
    if style == "varargs" and len(shape) == 0:
        style = "tuple"          # torch.zeros() needs a size
    if style == "tuple":
        return fn(tuple(shape), *args, **kw)
    if style == "varargs":
        return fn(*shape, *args, **kw)
    if style == "list":
        return fn(list(shape), *args, **kw)
    if style == "size_kw":
        return fn(*args, size=tuple(shape), **kw)
    return fn(lib.Size(shape), *args, **kw)


@given(st.sampled_from(["zeros", "ones"]), SHAPES, st.sampled_from(STYLES),
       st.sampled_from([None] + DTYPES), st.booleans())
def test_zeros_ones(name, shape, style, dtype, rg):
    if dtype not in (None, *FLOAT_DTYPES):
        rg = False

    def make(lib):
        kw = dtype_kw(lib, dtype)
        return call_with_shape(getattr(lib, name), lib, shape, style, requires_grad=rg, **kw)
    ours, theirs = both(make)
    assert_close(ours, theirs)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf


@given(SHAPES, st.sampled_from(STYLES), st.sampled_from([None] + DTYPES))
def test_empty(shape, style, dtype):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        return call_with_shape(lib.empty, lib, shape, style, **kw)
    ours, theirs = both(make)
    same_meta(ours, theirs)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn", "full"])
def test_factories_take_size_as_a_keyword(name):
    for shape in ((2, 3), (), [4]):
        kw = {"fill_value": 1.5} if name == "full" else {}
        ours, theirs = both(lambda lib: call_with_shape(getattr(lib, name), lib, shape, "size_kw", **kw))
        same_meta(ours, theirs)


@given(SHAPES, st.sampled_from(["tuple", "list", "Size"]),
       st.sampled_from([3, -2, 2.5, True, False, 0]), st.sampled_from([None] + DTYPES))
def test_full(shape, style, value, dtype):
    if dtype == "uint8" and value == -2:
        value = 2

    def make(lib):
        kw = dtype_kw(lib, dtype)
        return call_with_shape(lib.full, lib, shape, style, value, **kw)
    ours, theirs = both(make)
    assert_close(ours, theirs)


@given(st.sampled_from(["rand", "randn"]), SHAPES, st.sampled_from(STYLES),
       st.sampled_from([None] + FLOAT_DTYPES), st.booleans())
def test_rand_randn_shape_dtype(name, shape, style, dtype, rg):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        return call_with_shape(getattr(lib, name), lib, shape, style, requires_grad=rg, **kw)
    ours, theirs = both(make)
    same_meta(ours, theirs)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf
    if name == "rand" and ours.numel():
        x = ours.detach().numpy()
        assert x.min() >= 0 and x.max() < 1


@given(SHAPES, st.sampled_from([None, "int64", "int32", "float64"]), st.booleans())
def test_randint_shape_dtype_range(shape, dtype, with_low):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        if with_low:
            return lib.randint(3, 7, tuple(shape), **kw)
        return lib.randint(7, tuple(shape), **kw)
    ours, theirs = both(make)
    same_meta(ours, theirs)
    for t in (ours, theirs):
        x = t.numpy()
        if x.size:
            assert x.min() >= (3 if with_low else 0) and x.max() < 7
            assert np.all(x == np.round(x))


@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
def test_random_statistics(dtype):
    """rand is U[0, 1), randn is N(0, 1), randint covers [low, high); same checks on torch."""
    n = 40_000
    for lib in LIBS:
        kw = dtype_kw(lib, dtype)
        u = lib.rand(n, **kw).numpy().astype(np.float64)
        assert u.min() >= 0 and u.max() < 1
        assert abs(u.mean() - 0.5) < 0.01 and abs(u.std() - math.sqrt(1 / 12)) < 0.01
        assert np.histogram(u, bins=10, range=(0, 1))[0].min() > n / 10 * 0.9
        z = lib.randn(n, **kw).numpy().astype(np.float64)
        assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
        assert abs(np.mean(np.abs(z) < 1) - 0.6827) < 0.02
        r = lib.randint(-2, 3, (n,)).numpy()
        assert set(np.unique(r).tolist()) == {-2, -1, 0, 1, 2}


def test_randint_keyword_forms():
    for call in (lambda lib: lib.randint(7, size=(2, 3)), lambda lib: lib.randint(3, 7, size=(4,)),
                 lambda lib: lib.randint(low=3, high=7, size=(4,)), lambda lib: lib.randint(high=5, size=(3,))):
        ours, theirs = both(call)
        same_meta(ours, theirs)
        assert 0 <= ours.numpy().min() and ours.numpy().max() < 7


def test_random_calls_differ():
    for lib in LIBS:
        assert not np.array_equal(lib.rand(100).numpy(), lib.rand(100).numpy())
        assert not np.array_equal(lib.randn(100).numpy(), lib.randn(100).numpy())


@pytest.mark.parametrize("fn", ["rand", "randn", "randint"])
def test_manual_seed_makes_random_reproducible(fn):
    def draw(lib):
        if fn == "randint":
            return lib.randint(0, 1000, (50,))
        return getattr(lib, fn)(5, 10)
    for lib in LIBS:
        lib.manual_seed(1234)
        a = draw(lib)
        b = draw(lib)
        lib.manual_seed(1234)
        c = draw(lib)
        assert np.array_equal(a.numpy(), c.numpy())
        assert not np.array_equal(a.numpy(), b.numpy())
        lib.manual_seed(99)
        assert not np.array_equal(draw(lib).numpy(), a.numpy())


ARANGE = [(5,), (0,), (1, 4), (2, 11, 3), (10, 0, -3), (0, 1, 0.25), (0, 1, 0.1), (1.0, 4.0),
          (5.5,), (-3, 3, 2), (0.5, 2.5, 0.5)]


@pytest.mark.parametrize("args", ARANGE)
@pytest.mark.parametrize("dtype", [None, "float32", "float64", "int64"])
def test_arange(args, dtype):
    if dtype == "int64" and any(isinstance(a, float) for a in args):
        args = tuple(int(a) for a in args if int(a)) or (3,)
    def make(lib):
        kw = dtype_kw(lib, dtype)
        return lib.arange(*args, **kw)
    assert_close(*both(make), what=f"arange{args}")


def test_arange_keywords():
    assert_close(*both(lambda lib: lib.arange(start=2, end=8, step=2)))
    assert_close(*both(lambda lib: lib.arange(end=4)))


LINSPACE = [(0, 1, 5), (-1, 1, 7), (0, 10, 1), (2, 3, 4), (5, 1, 9), (0, 1, 0), (0, 1, 2), (-3.5, 2.25, 11)]


@pytest.mark.parametrize("args", LINSPACE)
@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
def test_linspace(args, dtype):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        start, end, steps = args
        return lib.linspace(start, end, steps=steps, **kw)
    assert_close(*both(make), what=f"linspace{args}")
    assert_close(*both(lambda lib: lib.linspace(*args)))


@pytest.mark.parametrize("args", [(3,), (1,), (0,), (2, 3), (4, 2), (3, 3)])
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "bool"])
def test_eye(args, dtype):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        return lib.eye(*args, **kw)
    assert_close(*both(make))


# ---- *_like ---------------------------------------------------------------------------

@given(arrays(), st.sampled_from(["zeros_like", "ones_like", "full_like", "empty_like"]),
       st.sampled_from([None] + DTYPES))
def test_like_keeps_shape_and_dtype_unless_overridden(a, name, dtype):
    def make(lib):
        x = lib.from_numpy(a.copy())
        kw = dtype_kw(lib, dtype)
        if name == "full_like":
            return getattr(lib, name)(x, 7, **kw)
        return getattr(lib, name)(x, **kw)
    ours, theirs = both(make)
    if name == "empty_like":
        same_meta(ours, theirs)
    else:
        assert_close(ours, theirs)


def test_full_like_casts_the_value():
    for value in (2.7, -1.5, True, 3):
        assert_close(*both(lambda lib: lib.full_like(lib.tensor([1, 2, 3]), value)))
        assert_close(*both(lambda lib: lib.full_like(lib.tensor([1.0, 2.0]), value)))


@given(arrays(dtypes=FLOAT_DTYPES), st.sampled_from(["rand_like", "randn_like"]),
       st.sampled_from([None] + FLOAT_DTYPES))
def test_rand_like_randn_like(a, name, dtype):
    def make(lib):
        kw = dtype_kw(lib, dtype)
        return getattr(lib, name)(lib.from_numpy(a.copy()), **kw)
    ours, theirs = both(make)
    same_meta(ours, theirs)
    if name == "rand_like" and ours.numel():
        assert ours.numpy().min() >= 0 and ours.numpy().max() < 1


@pytest.mark.parametrize("name", ["rand_like", "randn_like", "zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("dtype", ["float", "float64", "python float", "python int", "python bool"])
def test_like_dtype_override_on_integer_source(name, dtype):
    """The seed's `rand_like(x_data, dtype=torch.float)`; Python types as dtype too."""
    if name in ("rand_like", "randn_like") and dtype in ("python int", "python bool"):
        dtype = "float64"
    py = {"python float": float, "python int": int, "python bool": bool}

    def make(lib):
        d = py[dtype] if dtype in py else getattr(lib, dtype)
        return getattr(lib, name)(lib.tensor([[1, 2], [3, 4]]), dtype=d)
    ours, theirs = both(make)
    same_meta(ours, theirs)
    if name in ("zeros_like", "ones_like"):
        assert_close(ours, theirs)


@given(arrays(dtypes=["int64", "int32", "float32", "float64", "uint8"]), st.booleans(),
       st.sampled_from([None, "int64", "float64"]))
def test_randint_like(a, with_low, dtype):
    def make(lib):
        x = lib.from_numpy(a.copy())
        kw = dtype_kw(lib, dtype)
        return lib.randint_like(x, 3, 7, **kw) if with_low else lib.randint_like(x, 7, **kw)
    ours, theirs = both(make)
    same_meta(ours, theirs)
    for t in (ours, theirs):
        x = t.numpy()
        if x.size:
            assert x.min() >= (3 if with_low else 0) and x.max() < 7


def test_like_does_not_copy_requires_grad():
    for name in ("zeros_like", "ones_like", "rand_like", "randn_like", "empty_like"):
        ours, theirs = both(lambda lib: getattr(lib, name)(lib.ones(2, 3, requires_grad=True)))
        assert ours.requires_grad == theirs.requires_grad
        assert ours.is_leaf == theirs.is_leaf
        ours, theirs = both(lambda lib: getattr(lib, name)(lib.ones(2, 3), requires_grad=True))
        assert ours.requires_grad == theirs.requires_grad and ours.is_leaf


# ---- attributes -----------------------------------------------------------------------

@given(arrays())
def test_attributes(a):
    ours, theirs = minitorch.from_numpy(a.copy()), torch.from_numpy(a.copy())
    assert isinstance(ours, minitorch.Tensor)
    assert isinstance(ours.shape, minitorch.Size) and isinstance(ours.shape, tuple)
    assert ours.shape == theirs.shape and ours.shape == tuple(theirs.shape)
    assert repr(ours.shape) == torch_name(repr(theirs.shape))
    assert str(ours.shape) == torch_name(str(theirs.shape))
    assert f"{ours.shape}" == torch_name(f"{theirs.shape}")
    assert isinstance(ours.size(), minitorch.Size) and ours.size() == theirs.size()
    for d in range(-theirs.dim(), theirs.dim()):
        assert ours.size(d) == theirs.size(d)
        assert ours.shape[d] == theirs.shape[d] and type(ours.size(d)) is type(theirs.size(d))
    assert repr(ours.dtype) == torch_name(repr(theirs.dtype))
    assert str(ours.dtype) == torch_name(str(theirs.dtype))
    assert f"{ours.dtype}" == torch_name(f"{theirs.dtype}")
    assert ours.dtype == getattr(minitorch, str(theirs.dtype).split(".")[1])
    assert str(ours.device) == str(theirs.device) == "cpu"
    assert f"{ours.device}" == f"{theirs.device}"
    assert ours.ndim == theirs.ndim and ours.dim() == theirs.dim()
    assert ours.numel() == theirs.numel() and type(ours.numel()) is int
    if theirs.dim():
        assert len(ours) == len(theirs)
    assert ours.is_leaf == theirs.is_leaf
    assert ours.requires_grad == theirs.requires_grad
    assert ours.grad is None and theirs.grad is None
    assert ours.grad_fn is None and theirs.grad_fn is None


def test_size_behaves_like_torch_size():
    for shape in ([3, 4], [], [2, 1, 5], [7]):
        ours, theirs = minitorch.Size(shape), torch.Size(shape)
        assert repr(ours) == torch_name(repr(theirs))
        assert ours == theirs == tuple(shape)
        assert len(ours) == len(theirs) and list(ours) == list(theirs)
        assert isinstance(ours, tuple)
    ours, theirs = minitorch.zeros(2, 3, 4).shape, torch.zeros(2, 3, 4).shape
    assert type(ours[1:]).__name__ == type(theirs[1:]).__name__ == "Size"
    assert repr(ours[1:]) == torch_name(repr(theirs[1:]))
    assert ours[-1] == theirs[-1] and ours[0] == theirs[0]
    a, b, c = ours
    assert (a, b, c) == tuple(theirs)


@pytest.mark.parametrize("pair", [("float32", "float"), ("float64", "double"), ("int64", "long"),
                                  ("int32", "int"), ("float32", "float64"), ("uint8", "bool")])
def test_dtype_aliases(pair):
    a, b = pair
    assert (getattr(minitorch, a) is getattr(minitorch, b)) == (getattr(torch, a) is getattr(torch, b))
    assert (getattr(minitorch, a) == getattr(minitorch, b)) == (getattr(torch, a) == getattr(torch, b))
    for n in pair:
        assert repr(getattr(minitorch, n)) == torch_name(repr(getattr(torch, n)))
        assert str(getattr(minitorch, n)) == torch_name(str(getattr(torch, n)))


def test_float_alias_identity():
    assert minitorch.float32 is minitorch.float
    assert minitorch.double is minitorch.float64
    assert minitorch.long is minitorch.int64
    assert minitorch.ones(2).dtype is minitorch.float32
    assert minitorch.tensor([1]).dtype is minitorch.long


# ---- conversions ----------------------------------------------------------------------

@given(arrays(shape=()), st.booleans())
def test_item(a, one_element_1d):
    if one_element_1d:
        a = a.reshape(1, 1)
    ours, theirs = minitorch.from_numpy(a.copy()), torch.from_numpy(a.copy())
    o, t = ours.item(), theirs.item()
    assert type(o) is type(t) and o == t


@given(arrays())
def test_tolist(a):
    o, t = minitorch.from_numpy(a.copy()).tolist(), torch.from_numpy(a.copy()).tolist()
    assert o == t

    def types(x):
        return [types(v) for v in x] if isinstance(x, list) else type(x)
    assert types(o) == types(t)


@given(arrays(), st.sampled_from(["float", "double", "long", "int", "bool"]))
def test_conversion_methods(a, method):
    ours, theirs = both(lambda lib: getattr(lib.from_numpy(a.copy()), method)())
    assert_close(ours, theirs, what=method)


@given(arrays(), st.sampled_from(DTYPES), st.sampled_from(["pos", "kw", "device_dtype"]))
def test_to_dtype(a, name, how):
    if name == "uint8":
        a = np.asarray(np.abs(a))  # negative floats to uint8 are undefined behaviour in C
    def make(lib):
        x = lib.from_numpy(a.copy())
        d = getattr(lib, name)
        if how == "pos":
            return x.to(d)
        if how == "kw":
            return x.to(dtype=d)
        return x.to("cpu", d)
    assert_close(*both(make), what=f"to {name}")


def test_to_same_dtype_or_device_returns_self():
    for lib in LIBS:
        x = lib.ones(2, 3)
        assert x.to(lib.float32) is x
        assert x.to("cpu") is x
        assert x.to(device="cpu") is x
        assert x.float() is x
        assert x.double() is not x


@pytest.mark.parametrize("value", [[2.5], [[-2.7]], [0.0], [3], [True], 1.5])
def test_python_number_conversions(value):
    for conv in (float, int, bool):
        o = conv(minitorch.tensor(value))
        t = conv(torch.tensor(value))
        assert type(o) is type(t) and o == t


# ---- in-place ops, views, numpy bridge -------------------------------------------------

VIEWS = {
    "base": lambda t: t,
    "row": lambda t: t[0],
    "col": lambda t: t[:, 1],
    "flat": lambda t: t.view(12),
    "view2": lambda t: t.view(2, 6),
    "view_neg": lambda t: t.view(-1, 3),
    "T": lambda t: t.t(),
    "strided": lambda t: t[1:, ::2],
    "elem": lambda t: t[2, 3],
}


def _values(shape, seed, dtype):
    return np.random.default_rng(seed).uniform(-3, 3, size=shape).astype(dtype)


INPLACE = {
    "add_": lambda lib, v, s: v.add_(s),
    "sub_": lambda lib, v, s: v.sub_(s),
    "mul_": lambda lib, v, s: v.mul_(s),
    "div_": lambda lib, v, s: v.div_(s),
    "zero_": lambda lib, v, s: v.zero_(),
    "fill_": lambda lib, v, s: v.fill_(s),
    "clamp_": lambda lib, v, s: v.clamp_(-abs(s), abs(s)),
    "clamp_min": lambda lib, v, s: v.clamp_(min=s),
    "clamp_max": lambda lib, v, s: v.clamp_(max=s),
    "copy_": lambda lib, v, s: v.copy_(lib.from_numpy(_values(tuple(v.shape), int(abs(s) * 10), v.numpy().dtype))),
    "copy_broadcast": lambda lib, v, s: v.copy_(lib.tensor(s)),
    "add_tensor": lambda lib, v, s: v.add_(lib.from_numpy(_values(tuple(v.shape)[-1:], 3, v.numpy().dtype))),
    "mul_tensor": lambda lib, v, s: v.mul_(lib.from_numpy(_values(tuple(v.shape), 4, v.numpy().dtype))),
    "add_alpha": lambda lib, v, s: v.add_(lib.ones(tuple(v.shape), dtype=v.dtype), alpha=s),
    "sub_alpha": lambda lib, v, s: v.sub_(lib.full(tuple(v.shape), 0.5, dtype=v.dtype), alpha=s),
    "+=": lambda lib, v, s: operator.iadd(v, s),
    "-=": lambda lib, v, s: operator.isub(v, s),
    "*=": lambda lib, v, s: operator.imul(v, s),
    "/=": lambda lib, v, s: operator.itruediv(v, s),
    "+=tensor": lambda lib, v, s: operator.iadd(v, lib.from_numpy(_values(tuple(v.shape)[-1:], 6, v.numpy().dtype))),
}


@st.composite
def inplace_programs(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    seed = draw(st.integers(0, 2**32 - 1))
    steps = draw(st.lists(st.tuples(st.sampled_from(sorted(VIEWS)),
                                    st.sampled_from(sorted(INPLACE) + ["setitem", "numpy"]),
                                    st.sampled_from([0.5, 2.0, -3.0, 1.5, 4])),
                          min_size=1, max_size=6))
    return dtype, seed, steps


@given(inplace_programs())
def test_inplace_ops_mutate_shared_storage_like_torch(program):
    """A random sequence of in-place ops on a tensor, its views and its numpy array; after
    every step every alias must hold what torch's holds."""
    dtype, seed, steps = program
    state = {}
    for lib in LIBS:
        t = lib.from_numpy(_values((3, 4), seed, dtype))
        state[lib] = (t, {k: f(t) for k, f in VIEWS.items()}, t.numpy())

    def compare(what):
        (t_o, v_o, n_o), (t_t, v_t, n_t) = state[minitorch], state[torch]
        assert_close(t_o, t_t, what=f"base after {what}")
        for k in VIEWS:
            assert_close(v_o[k], v_t[k], what=f"view {k} after {what}")
        np.testing.assert_allclose(n_o, n_t, rtol=1e-5, atol=1e-4, err_msg=f"numpy after {what}")

    for i, (view, op, s) in enumerate(steps):
        for lib in LIBS:
            t, views, n = state[lib]
            v = views[view]
            if op == "setitem":
                v[(Ellipsis, 0) if v.dim() else Ellipsis] = s
            elif op == "numpy":
                n[i % 3, ::2] = s
            else:
                r = INPLACE[op](lib, v, s)
                assert r is v, f"{op} must return self"
        compare(f"step {i}: {view}.{op}({s})")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_t_inplace_and_views(dtype):
    state = {}
    for lib in LIBS:
        t = lib.from_numpy(np.arange(6, dtype=NP[dtype]).reshape(2, 3))
        row = t[0]
        r = t.t_()
        assert r is t
        t.add_(lib.arange(2, dtype=t.dtype))       # broadcasts along the new last dim
        t[0] = -1                                  # the old first column
        state[lib] = (t, row, t.numpy())
    (t_o, row_o, n_o), (t_t, row_t, n_t) = state[minitorch], state[torch]
    assert_close(t_o, t_t)
    assert_close(row_o, row_t)
    np.testing.assert_array_equal(n_o, n_t)


def test_seed_inplace_sequence():
    """The seed's in-place ops on views: `v = t[0]; t.add_(1)` shows in v; view shares."""
    got = {}
    for lib in LIBS:
        t = lib.ones(4, 4)
        v = t[0]
        w = t.view(16)
        t.add_(1)
        w[3] = 9
        v.mul_(2)
        t[:, 1] = 0
        y = lib.zeros(4, 4)
        y.copy_(t)
        y.fill_(0.25).clamp_(0, 0.2)
        got[lib] = (t, v, w, y)
    for o, t in zip(got[minitorch], got[torch]):
        assert_close(o, t)


# ---- item assignment ------------------------------------------------------------------

INDICES = {
    "int": lambda lib: 1,
    "neg_int": lambda lib: -1,
    "int_int": lambda lib: (2, 3),
    "int_int_int": lambda lib: (0, 1, 2),
    "col": lambda lib: (slice(None), 1),
    "slices": lambda lib: (slice(0, 2), slice(1, None)),
    "steps": lambda lib: (slice(None, None, 2), slice(None), slice(1, 5, 3)),
    "ellipsis": lambda lib: (Ellipsis, 2),
    "ellipsis_mid": lambda lib: (0, Ellipsis, slice(1, 3)),
    "none": lambda lib: (None, 1),
    "none_mid": lambda lib: (1, None, slice(1, 3)),
    "empty_slice": lambda lib: slice(2, 1),
    "bool_mask_full": lambda lib: lib.from_numpy(np.random.default_rng(0).random((3, 4, 5)) > 0.5),
    "bool_mask_dim0": lambda lib: lib.tensor([True, False, True]),
    "bool_mask_2d": lambda lib: lib.from_numpy(np.array([[True, False, True, False]] * 3)),
    "index_tensor": lambda lib: lib.tensor([0, 2]),
    "index_tensor_neg": lambda lib: lib.tensor([-1, 0]),
    "index_tensor_col": lambda lib: (slice(None), lib.tensor([3, 1])),
    "index_tensor_pair": lambda lib: (lib.tensor([0, 2]), slice(None), lib.tensor([1, 4])),
    "index_tensor_2d": lambda lib: (slice(None), lib.tensor([[0, 1], [2, 3]])),
    "index_list": lambda lib: [0, 2],
}


ADVANCED = [k for k in INDICES if "tensor" in k or "mask" in k or "list" in k]
VALUES = ["int", "float", "full_tensor", "row_tensor", "0d_tensor", "float64_tensor"]


@pytest.mark.parametrize("index,value", [(i, v) for v in VALUES for i in INDICES
                                         if not (v == "float64_tensor" and i in ADVANCED)])
def test_setitem(index, value):
    state = {}
    shape = torch.zeros(3, 4, 5)[INDICES[index](torch)].shape
    for lib in LIBS:
        t = lib.from_numpy(np.arange(60, dtype=np.float32).reshape(3, 4, 5))
        view = t[1]
        n = t.numpy()
        if value == "int":
            val = 7
        elif value == "float":
            val = -2.5
        elif value == "full_tensor":
            val = lib.from_numpy(_values(tuple(shape), 1, np.float32))
        elif value == "row_tensor":
            val = lib.from_numpy(_values(tuple(shape)[-1:], 2, np.float32))
        elif value == "0d_tensor":
            val = lib.tensor(4.25)
        else:
            val = lib.from_numpy(_values(tuple(shape)[-1:], 5, np.float64))
        t[INDICES[index](lib)] = val
        state[lib] = (t, view, n)
    (t_o, v_o, n_o), (t_t, v_t, n_t) = state[minitorch], state[torch]
    assert_close(t_o, t_t, what="tensor")
    assert_close(v_o, v_t, what="view t[1] taken before")
    np.testing.assert_array_equal(n_o, n_t)


def test_setitem_advanced_index_with_a_value_of_another_dtype():
    """torch's index_put refuses a float64 value for a float32 tensor (basic indices cast)."""
    for index in ADVANCED:
        shape = torch.zeros(3, 4, 5)[INDICES[index](torch)].shape
        errors = []
        for lib in (torch, minitorch):
            t = lib.zeros(3, 4, 5)
            try:
                t[INDICES[index](lib)] = lib.from_numpy(_values(tuple(shape)[-1:], 5, np.float64))
                errors.append(None)
            except Exception as e:   # noqa: BLE001
                errors.append(type(e))
        assert errors[1] == errors[0], f"{index}: torch raised {errors[0]}, minitorch {errors[1]}"


def test_setitem_with_comparison_mask():
    got = {}
    for lib in LIBS:
        t = lib.from_numpy(_values((4, 5), 7, np.float32))
        t[t > 0] = 0
        t[t < -1] = t[t < -1] * 2
        got[lib] = t
    assert_close(got[minitorch], got[torch])


@pytest.mark.parametrize("index", list(INDICES))
def test_getitem_values_and_view_semantics(index):
    """t[index] has torch's values; mutating it changes t exactly when torch's is a view."""
    state = {}
    for lib in LIBS:
        t = lib.from_numpy(np.arange(60, dtype=np.float64).reshape(3, 4, 5))
        r = t[INDICES[index](lib)]
        before = r.clone()
        r.mul_(-1)
        state[lib] = (t, r, before)
    for o, t in zip(state[minitorch], state[torch]):
        assert_close(o, t)
