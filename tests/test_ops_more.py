"""cumsum, cumprod, round/floor/ceil/trunc/sign, repeat, flip, roll, the new_* factories,
uniform_/normal_, inference_mode, and out= on every function that takes it, against torch.

Values, dtypes, shapes, graph node names and the gradients of a random upstream gradient
must match torch (tests/parity.py); errors and warnings match torch's type and text. The
random fills are checked for their distribution and reproducibility, not torch's digits.
"""
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minitorch
from parity import (FLOATS, LAYOUTS, builtin_base, check, floats_array, layout, same_error,
                    shapes)


@st.composite
def arrays(draw, min_dims=0, max_dims=4, min_side=1, max_side=4, low=-3.0, high=3.0):
    """One float array: drawn shape (sides of 0 when min_side=0), dtype and layout."""
    shape = draw(shapes(min_dims, max_dims, min_side, max_side))
    a = draw(floats_array(shape, draw(st.sampled_from(FLOATS)), low, high))
    return layout(a, draw(LAYOUTS)) if a.size else a


@st.composite
def array_and_dim(draw, **kwargs):
    a = draw(arrays(**kwargs))
    n = max(a.ndim, 1)
    return a, draw(st.integers(-n, n - 1))


def names(t):
    """The graph's node names, from t's grad_fn down its first inputs."""
    out, node = [], t.grad_fn
    while node is not None:
        out.append(node.name().split("::")[-1])
        node = next((n for n, _ in node.next_functions if n is not None), None)
    return out


# ---- cumsum, cumprod ----------------------------------------------------------------------

@given(array_and_dim(min_side=0))
def test_cumsum(ad):
    a, d = ad
    check(lambda T, a: (T.cumsum(a, d), a.cumsum(d), a.cumsum(dim=d), T.cumsum(a * 2, d).exp()), a)


@st.composite
def with_zeros(draw):
    """An array and a dim, with zeros sprinkled in: none, one, or several per slice."""
    a, d = draw(array_and_dim(max_side=5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = a.copy()
    a[rng.random(a.shape) < draw(st.sampled_from([0.0, 0.2, 0.5]))] = 0
    return layout(a, draw(LAYOUTS)), d


@given(with_zeros())
def test_cumprod_with_zeros(ad):
    a, d = ad
    check(lambda T, a: (T.cumprod(a, d), a.cumprod(d), a.cumprod(dim=d) * 3), a)


@given(array_and_dim(min_side=0, low=0.5, high=1.5))
def test_cumprod(ad):
    a, d = ad
    check(lambda T, a: (T.cumprod(a, d), T.cumprod(a.exp(), d)), a)


def test_cumprod_of_zeros_at_the_ends_and_in_a_row():
    for row in ([0.0, 2, 3], [2, 3, 0.0], [0.0, 0, 2], [2, 0.0, 0], [0.0], [0.0, 0, 0], [3, 0.0, 2, 0, 4]):
        a = np.array(row, dtype=np.float64)
        check(lambda T, a: T.cumprod(a, 0), a)
        check(lambda T, a: T.cumprod(a[None].expand(2, -1) * 1, 1), a)


@pytest.mark.parametrize("dtype", FLOATS)
def test_cumulative_of_nan_inf_and_huge_values(dtype):
    rows = [[1.0, np.nan, 2.0, 0.0], [np.inf, 0.0, 2.0, 3.0], [1e30, 1e30, -1e30, 0.5],
            [0.0, np.inf, 1.0, 2.0], [-np.inf, 2.0, 0.0, np.nan]]
    a = np.array(rows, dtype=dtype)
    check(lambda T, a: (T.cumsum(a, 1), T.cumprod(a, 1), T.cumsum(a, 0), T.cumprod(a, 0)), a)


@given(st.sampled_from([np.int64, np.int32, np.uint8, np.int8, np.bool_, np.float16]),
       st.sampled_from([None, minitorch.float64, minitorch.int32, minitorch.float32]))
@settings(max_examples=20)
def test_cumulative_dtypes(np_dtype, dtype):
    a = (np.arange(6).reshape(2, 3) % 4).astype(np_dtype)
    theirs_dtype = None if dtype is None else getattr(torch, str(dtype).split(".")[1])
    for name in ("cumsum", "cumprod"):
        ours = getattr(minitorch, name)(minitorch.from_numpy(a.copy()), 1, dtype=dtype)
        theirs = getattr(torch, name)(torch.from_numpy(a.copy()), 1, dtype=theirs_dtype)
        assert str(ours.dtype)[10:] == str(theirs.dtype)[6:]
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_cumsum_in_another_dtype_is_one_node():
    a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    out = check(lambda T, a: T.cumsum(a, 1, dtype=T.float64), a)
    assert names(out) == ["CumsumBackward0", "AccumulateGrad"]


def test_cumulative_of_0d_and_inplace():
    a = np.array(2.5)
    check(lambda T, a: (T.cumsum(a, 0), T.cumprod(a, -1)), a)
    for lib in (torch, minitorch):
        x = lib.tensor([[1.0, 2, 3], [4, 5, 6]])
        assert x.cumsum_(1) is x and x.cumprod_(0) is x
    np.testing.assert_array_equal(x.numpy(), [[1, 3, 6], [4, 27, 90]])


def test_cumulative_errors():
    same_error(lambda T: T.cumsum(T.ones(2, 3), 2))
    same_error(lambda T: T.cumsum(T.tensor(3.0), 1))
    same_error(lambda T: T.cumsum(T.tensor([True, False]), 0, dtype=T.bool))
    same_error(lambda T: T.cumprod(T.tensor([1, 2]), 0, dtype=T.bool))
    same_error(lambda T: T.cumsum(T.ones(2, requires_grad=True), 0, dtype=T.int64))
    same_error(lambda T: T.cumprod(T.ones(2, requires_grad=True), 0, dtype=T.int32))
    for lib in (torch, minitorch):
        with lib.no_grad():
            assert lib.cumsum(lib.ones(2, requires_grad=True), 0, dtype=lib.int64).tolist() == [1, 2]


# ---- rounding: round, floor, ceil, trunc, sign ----------------------------------------------

SPECIAL = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.0, -0.0, 1.25, 1.35, -7.45, 125.0,
                    np.nan, np.inf, -np.inf, 1e30, -3.7, 3.7, 0.49999997])


@given(arrays(min_side=0, low=-5, high=5))
def test_rounding(a):
    check(lambda T, a: (T.round(a), a.round(), T.floor(a), a.floor(), T.ceil(a), a.ceil(),
                        T.trunc(a), T.fix(a), a.trunc(), T.sign(a), a.sign()), a)


@given(arrays(low=-200, high=200), st.integers(-3, 4))
def test_round_decimals(a, decimals):
    check(lambda T, a: (T.round(a, decimals=decimals), a.round(decimals=decimals)), a)


@pytest.mark.parametrize("dtype", FLOATS)
def test_rounding_of_ties_nan_inf_and_signed_zero(dtype):
    a = SPECIAL.astype(dtype)
    outs = check(lambda T, a: (T.round(a), T.floor(a), T.ceil(a), T.trunc(a), T.sign(a),
                               T.round(a, decimals=1), T.round(a, decimals=-1),
                               T.round(a, decimals=0)), a)
    theirs = torch.sign(torch.from_numpy(a))  # sign of -0.0 and of nan is +0.0, as torch's
    np.testing.assert_array_equal(np.signbit(outs[4].detach().numpy()), np.signbit(theirs.numpy()))


def test_rounding_nodes_and_integers():
    x = minitorch.tensor([1.5], requires_grad=True)
    assert [f(x).grad_fn.name() for f in (minitorch.round, minitorch.floor, minitorch.ceil,
                                          minitorch.trunc, minitorch.sign)] == [
        "RoundBackward0", "FloorBackward0", "CeilBackward0", "TruncBackward0", "SignBackward0"]
    assert minitorch.round(x, decimals=0).grad_fn.name() == "RoundBackward1"
    for np_dtype in (np.int64, np.int32, np.uint8, np.int8):
        a = np.array([-3, 0, 2, 7]).astype(np_dtype)
        check(lambda T, a: (T.round(a), T.floor(a), T.ceil(a), T.trunc(a), T.sign(a)), a)
        y = minitorch.from_numpy(a)
        assert minitorch.floor(y).data_ptr() != y.data_ptr()  # a copy, as torch's
    check(lambda T, a: T.sign(a), np.array([True, False]))


def test_rounding_errors():
    for name in ("round", "floor", "ceil", "trunc"):
        same_error(lambda T: getattr(T, name)(T.tensor([True])))
    same_error(lambda T: T.round(T.tensor([1, 2]), decimals=0))
    same_error(lambda T: T.round(T.tensor([1, 2]), decimals=2))
    same_error(lambda T: T.round(T.tensor([True]), decimals=-1))


def test_rounding_in_place():
    for lib in (torch, minitorch):
        x = lib.tensor([1.5, -2.5, 0.26])
        assert x.round_() is x
    np.testing.assert_array_equal(x.numpy(), [2, -2, 0])
    a = np.array([1.26, -2.5, 0.5])
    check(lambda T, a: ((a * 1).round_(decimals=1), (a * 1).floor_(), (a * 1).ceil_(),
                        (a * 1).trunc_(), (a * 1).sign_(), (a * 1).fix_()), a)


# ---- repeat, flip, roll ---------------------------------------------------------------------

@st.composite
def repeat_case(draw):
    a = draw(arrays(max_dims=3, min_side=0, max_side=3))
    repeats = [draw(st.integers(0, 3)) for _ in range(a.ndim + draw(st.integers(0, 2)))]
    return a, tuple(repeats)


@given(repeat_case())
def test_repeat(ar):
    a, r = ar
    check(lambda T, a: (a.repeat(*r) if r else a.repeat(r), a.repeat(r), a.repeat(list(r)).exp()), a)


@st.composite
def flip_case(draw):
    a = draw(arrays(min_side=0))
    n = max(a.ndim, 1)
    dims = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=a.ndim))
    return a, tuple(d - n if draw(st.booleans()) else d for d in dims)


@given(flip_case())
def test_flip(ad):
    a, dims = ad
    check(lambda T, a: (T.flip(a, dims), a.flip(dims), a.flip(*dims) if dims else a.flip(dims),
                        T.flip(a, dims=list(dims)).exp()), a)


@st.composite
def roll_case(draw):
    a = draw(arrays(min_side=0))
    if a.ndim == 0 or draw(st.booleans()):
        return a, draw(st.integers(-9, 9)), None
    k = draw(st.integers(1, 3))  # dims may repeat: each of their shifts adds
    dims = tuple(draw(st.integers(-a.ndim, a.ndim - 1)) for _ in range(k))
    shifts = tuple(draw(st.integers(-9, 9)) for _ in range(k))
    if k == 1 and draw(st.booleans()):
        return a, shifts[0], dims[0]
    return a, shifts, dims


@given(roll_case())
def test_roll(asd):
    a, shifts, dims = asd
    check(lambda T, a: (T.roll(a, shifts, dims), a.roll(shifts, dims),
                        a.roll(shifts=shifts, dims=dims).sin()), a)


def test_shape_op_nodes_and_copies():
    x = minitorch.ones(2, 3, requires_grad=True)
    assert x.repeat(2, 1).grad_fn.name() == "RepeatBackward0"
    assert x.flip(0).grad_fn.name() == "FlipBackward0"
    assert x.roll(1).grad_fn.name() == "RollBackward0"
    for lib in (torch, minitorch):
        t = lib.arange(6.0).reshape(2, 3)
        f = t.flip(0)
        assert f.is_contiguous() and f.stride() == (3, 1)
        f[0, 0] = 100  # a copy: t is unchanged
        assert t[1, 0].item() == 3


def test_shape_op_errors():
    x = lambda T: T.ones(2, 3)  # noqa: E731
    same_error(lambda T: x(T).repeat(2))
    same_error(lambda T: x(T).repeat(2, -1))
    same_error(lambda T: x(T).repeat())
    same_error(lambda T: x(T).flip())
    same_error(lambda T: x(T).flip(2))
    same_error(lambda T: x(T).flip([0, 0]))
    same_error(lambda T: x(T).flip([0, -2]))
    same_error(lambda T: x(T).roll(1, 2))
    same_error(lambda T: x(T).roll((1, 2), 0))
    same_error(lambda T: x(T).roll((1,), (0, 1)))
    same_error(lambda T: x(T).roll((1, 2)))
    same_error(lambda T: x(T).roll([], []))
    same_error(lambda T: T.tensor(3.0).roll(1, 0))


# ---- new_tensor, new_zeros, new_ones, new_full, new_empty ------------------------------------

NEW_CASES = [
    lambda t, T: t.new_zeros(2, 3), lambda t, T: t.new_zeros((2, 3)), lambda t, T: t.new_zeros([2]),
    lambda t, T: t.new_zeros(size=(2, 1)), lambda t, T: t.new_zeros(0, dtype=T.float64),
    lambda t, T: t.new_ones(3), lambda t, T: t.new_ones((1, 2), dtype=T.int32),
    lambda t, T: t.new_full((2,), 2.5), lambda t, T: t.new_full([2, 2], 3),
    lambda t, T: t.new_full((2,), True), lambda t, T: t.new_full(size=(2,), fill_value=-1.7),
    lambda t, T: t.new_full((3,), 7, dtype=T.float64, requires_grad=True),
    lambda t, T: t.new_empty(2, 3).shape, lambda t, T: t.new_empty((0, 2), dtype=T.bool).shape,
    lambda t, T: t.new_tensor([1, 2]), lambda t, T: t.new_tensor([[1.5, 2.5]]),
    lambda t, T: t.new_tensor(3), lambda t, T: t.new_tensor(np.array([1.7, -2.2])),
    lambda t, T: t.new_tensor([True, False], dtype=T.uint8),
    lambda t, T: t.new_tensor([1.0, 2], requires_grad=True),
    lambda t, T: t.new_ones(2, requires_grad=True, device="cpu"),
]


@pytest.mark.parametrize("case", range(len(NEW_CASES)))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8"])
def test_new_factories(case, dtype):
    make = NEW_CASES[case]
    results = []
    for lib in (torch, minitorch):
        t = lib.ones(2, dtype=getattr(lib, dtype), requires_grad=dtype.startswith("float"))
        try:
            results.append(make(t, lib))
        except RuntimeError as e:  # requires_grad of an integer dtype: compared below
            results.append(e)
    theirs, ours = results
    if isinstance(theirs, Exception):
        same_error(lambda T: make(T.ones(2, dtype=getattr(T, dtype)), T))
        return
    if isinstance(theirs, torch.Size):
        assert tuple(ours) == tuple(theirs)
        return
    assert str(ours.dtype)[10:] == str(theirs.dtype)[6:]
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def test_new_tensor_from_a_tensor_warns_and_copies():
    seen = []
    for lib in (torch, minitorch):
        t = lib.ones(2)
        source = lib.tensor([1.5, 2.5], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            copy = t.new_tensor(source)
        assert len(caught) == 1 and caught[0].filename == __file__
        seen.append((caught[0].category, str(caught[0].message).replace("torch.", "minitorch.")))
        assert not copy.requires_grad and copy.data_ptr() != source.data_ptr()
        copy[0] = 9  # shares nothing with source
        assert source[0].item() == 1.5
    assert seen[0] == seen[1]


def test_new_factory_errors():
    same_error(lambda T: T.ones(2).new_zeros())
    same_error(lambda T: T.ones(2).new_full(2, 2.5))
    same_error(lambda T: T.ones(2).new_ones(-1))
    same_error(lambda T: T.tensor([1, 2]).new_tensor([1, 2], requires_grad=True))
    same_error(lambda T: T.ones(2).new_tensor([[1, 2], [3]]))
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError):
            lib.ones(2).new_ones(2, device="cuda")


def test_new_factories_in_a_graph_make_leaves():
    for lib in (torch, minitorch):
        x = lib.ones(2, requires_grad=True) * 2
        assert x.new_zeros(2).grad_fn is None and not x.new_zeros(2).requires_grad


# ---- uniform_, normal_ -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_uniform_distribution(dtype):
    minitorch.manual_seed(0)
    x = minitorch.empty(200_000, dtype=getattr(minitorch, dtype))
    assert x.uniform_(-2, 3) is x
    v = x.numpy().astype(np.float64)
    assert v.min() >= -2 and v.max() <= 3
    assert abs(v.mean() - 0.5) < 0.02 and abs(v.var() - 25 / 12) < 0.03
    counts = np.histogram(v, bins=10, range=(-2, 3))[0]
    assert np.all(np.abs(counts / v.size - 0.1) < 0.005)  # flat
    assert np.all(minitorch.empty(1000).uniform_().numpy() < 1)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_normal_distribution(dtype):
    minitorch.manual_seed(1)
    x = minitorch.empty(200, 1000, dtype=getattr(minitorch, dtype))
    assert x.normal_(1.5, 2) is x
    v = x.numpy().astype(np.float64).ravel()
    assert abs(v.mean() - 1.5) < 0.02 and abs(v.std() - 2) < 0.02
    z = (v - 1.5) / 2
    assert abs(np.mean(np.abs(z) < 1) - 0.6827) < 0.005   # the normal's 68-95 rule
    assert abs(np.mean(np.abs(z) < 2) - 0.9545) < 0.003
    assert abs(np.mean(z ** 3)) < 0.03                     # symmetric


def test_random_fills_follow_manual_seed_and_generators():
    def draws():
        return [minitorch.empty(5).uniform_(1, 2), minitorch.empty(2, 3).normal_(),
                minitorch.rand(3), minitorch.empty(4, dtype=minitorch.float64).normal_(0, 3)]
    minitorch.manual_seed(7)
    first = draws()
    minitorch.manual_seed(7)
    second = draws()
    for a, b in zip(first, second):
        assert minitorch.equal(a, b)
    assert not minitorch.equal(draws()[0], first[0])
    g = minitorch.Generator().manual_seed(3)
    a = minitorch.empty(5).uniform_(generator=g)
    minitorch.manual_seed(7)
    b = minitorch.empty(5).uniform_(generator=minitorch.Generator().manual_seed(3))
    assert minitorch.equal(a, b)
    state = minitorch.default_generator.get_state()
    c = minitorch.empty(5).normal_()
    minitorch.default_generator.set_state(state)
    assert minitorch.equal(c, minitorch.empty(5).normal_())


def test_random_fills_in_a_graph():
    """On a non-leaf, torch records UniformBackward0 / NormalBackward0: x's old values get
    a zero gradient; on a leaf that requires grad, torch refuses."""
    for name, node in (("uniform_", "UniformBackward0"), ("normal_", "NormalBackward0")):
        grads = []
        for lib in (torch, minitorch):
            x = lib.ones(2, 3, requires_grad=True)
            y = x * 2
            getattr(y, name)()
            assert y.grad_fn.name() == node
            (y * x).sum().backward()
            grads.append(x.grad.numpy())
        assert grads[0].shape == grads[1].shape  # y's values are random: compare in shape
        same_error(lambda T: getattr(T.ones(2, requires_grad=True), name)())
    with minitorch.no_grad():
        w = minitorch.ones(3, requires_grad=True)
        w.uniform_(-1, 1).normal_()
    assert w.requires_grad and w.is_leaf and w.grad_fn is None


def test_random_fill_of_a_view_writes_its_base():
    base = minitorch.ones(4)
    base[::2].uniform_(5, 6)
    v = base.numpy()
    assert np.all((v[::2] >= 5) & (v[::2] < 6)) and np.all(v[1::2] == 1)
    assert base._version == 1


def test_random_fill_errors():
    same_error(lambda T: T.ones(2, dtype=T.int64).uniform_())
    same_error(lambda T: T.ones(2, dtype=T.bool).uniform_())
    same_error(lambda T: T.ones(2, dtype=T.int64).normal_())
    same_error(lambda T: T.ones(2).uniform_(2, 1))
    same_error(lambda T: T.ones(2).uniform_(2.5, 1.0))
    same_error(lambda T: T.ones(2).uniform_(1e30, 1))
    same_error(lambda T: T.ones(2).uniform_(float("nan"), 1))
    same_error(lambda T: T.ones(2).uniform_(0, float("inf")))
    same_error(lambda T: T.ones(2).uniform_(-3e38, 3e38))
    same_error(lambda T: T.ones(2, dtype=T.float16).uniform_(1e6, 1e7))
    same_error(lambda T: T.ones(2, dtype=T.float64).uniform_(1e300, float("inf")))
    same_error(lambda T: T.ones(2).normal_(0, -1.5))
    same_error(lambda T: T.ones(2).normal_(0, -1e-20))
    same_error(lambda T: T.ones(2).normal_(0, float("nan")))
    same_error(lambda T: T.ones(2).expand(3, 2).uniform_())
    same_error(lambda T: T.ones(2).uniform_(a=0, b=1))
    for lib in (torch, minitorch):  # `from` by name, and bounds as one-element tensors
        v = lib.ones(1000).uniform_(**{"from": 0.5}).numpy()
        assert v.min() >= 0.5 and v.max() < 1
        v = lib.ones(1000).uniform_(lib.tensor(2.0), lib.tensor(3.0)).numpy()
        assert v.min() >= 2 and v.max() < 3
        assert lib.ones(2).uniform_(1, 1).tolist() == [1, 1]
        assert lib.ones(2).normal_(4, 0).tolist() == [4, 4]
        assert lib.ones(200).normal_(0, float("inf")).isinf().all()


# ---- inference_mode -------------------------------------------------------------------------

def _inference_story(T):
    """What a script sees under inference_mode: flags, results, which tensors are inference."""
    seen = []
    w = T.ones(2, requires_grad=True)
    seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
    with T.inference_mode() as entered:
        seen.append((entered, T.is_inference_mode_enabled(), T.is_grad_enabled()))
        y = w * 2
        seen.append((y.requires_grad, y.grad_fn is None, y.is_inference(), w.is_inference()))
        seen.append((w.view(2).is_inference(), T.zeros(2).is_inference()))
        with T.inference_mode(False):
            q = w * 2
            seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled(), q.requires_grad,
                         q.is_inference()))
        with T.enable_grad():
            q = w * 2
            seen.append((T.is_grad_enabled(), q.requires_grad, q.is_inference()))
        with T.no_grad():
            seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
        seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
    seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
    seen.append(((y + 1).is_inference(), y.clone().is_inference(), y[0].is_inference()))
    with T.no_grad():
        with T.inference_mode(False):
            seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
        seen.append(T.is_grad_enabled())
    mode = T.inference_mode()
    seen.append(T.is_inference_mode_enabled())  # only on entering, unlike set_grad_enabled
    with mode:
        seen.append(T.is_inference_mode_enabled())
    seen.append((T.is_inference_mode_enabled(), T.ones(1).is_inference()))

    @T.inference_mode()
    def called(x):
        return x * 2, T.is_inference_mode_enabled()

    @T.inference_mode
    def bare(x):
        return x * 2

    out, flag = called(w)
    seen.append((out.requires_grad, out.is_inference(), flag, bare(w).requires_grad,
                 bare.__name__, called.__name__, T.is_inference_mode_enabled()))
    try:
        with T.inference_mode():
            raise KeyError("inside")
    except KeyError:
        seen.append((T.is_inference_mode_enabled(), T.is_grad_enabled()))
    return seen


def test_inference_mode():
    assert _inference_story(minitorch) == _inference_story(torch)


def test_inference_mode_per_thread():
    import threading
    seen = []
    with minitorch.inference_mode():
        thread = threading.Thread(target=lambda: seen.append(
            (minitorch.is_inference_mode_enabled(), minitorch.ones(1).is_inference())))
        thread.start()
        thread.join()
    assert seen == [(False, False)]


# ---- out= ------------------------------------------------------------------------------------

F32 = np.array([[1.5, -2.0, 3.0], [4.0, 0.25, -6.0]], dtype=np.float32)
I64 = np.array([[1, -2, 3], [4, 0, -6]], dtype=np.int64)

# (torch's name, the call): every function that takes out= and minitorch has
OUT_CALLS = {
    "add": lambda T, x, o: T.add(x, x, out=o),
    "add_alpha": lambda T, x, o: T.add(x, 2, alpha=3, out=o),
    "add_float": lambda T, x, o: T.add(x, 1.5, out=o),
    "sub": lambda T, x, o: T.sub(x, 1, out=o),
    "subtract": lambda T, x, o: T.subtract(x, x, out=o),
    "mul": lambda T, x, o: T.mul(x, x, out=o),
    "multiply": lambda T, x, o: T.multiply(x, 2, out=o),
    "div": lambda T, x, o: T.div(x, 2, out=o),
    "div_floor": lambda T, x, o: T.div(x, 3, rounding_mode="floor", out=o),
    "true_divide": lambda T, x, o: T.true_divide(x, 4, out=o),
    "pow": lambda T, x, o: T.pow(x, 2, out=o),
    "pow_tensor": lambda T, x, o: T.pow(x, x.abs(), out=o),
    "clamp": lambda T, x, o: T.clamp(x, -1, 2, out=o),
    "clamp_float": lambda T, x, o: T.clamp(x, min=-1.5, out=o),
    "clip": lambda T, x, o: T.clip(x, max=1, out=o),
    "maximum": lambda T, x, o: T.maximum(x, -x, out=o),
    "minimum": lambda T, x, o: T.minimum(x, -x, out=o),
    "where": lambda T, x, o: T.where(x > 0, x, -x, out=o),
    "eq": lambda T, x, o: T.eq(x, 3, out=o),
    "lt": lambda T, x, o: T.lt(x, x * 0, out=o),
    "ge": lambda T, x, o: T.ge(x, 1, out=o),
    "logical_and": lambda T, x, o: T.logical_and(x, x > 1, out=o),
    "bitwise_and": lambda T, x, o: T.bitwise_and(x, x, out=o),
    "round_decimals": lambda T, x, o: T.round(x, decimals=1, out=o),
    "sum": lambda T, x, o: T.sum(x, 1, out=o),
    "sum_keepdim": lambda T, x, o: T.sum(x, (0, 1), keepdim=True, out=o),
    "sum_dtype": lambda T, x, o: T.sum(x, 0, dtype=T.float64, out=o),
    "mean": lambda T, x, o: T.mean(x, 1, out=o),
    "mean_all": lambda T, x, o: T.mean(x, out=o),
    "mean_dtype": lambda T, x, o: T.mean(x, 0, dtype=T.float32, out=o),
    "var": lambda T, x, o: T.var(x, 1, out=o),
    "std": lambda T, x, o: T.std(x, 0, out=o),
    "max_all": lambda T, x, o: T.max(x, out=o),
    "max_pair": lambda T, x, o: T.max(x, -x, out=o),
    "min_all": lambda T, x, o: T.min(x, out=o),
    "amax": lambda T, x, o: T.amax(x, 1, out=o),
    "amin": lambda T, x, o: T.amin(x, 0, out=o),
    "argmax": lambda T, x, o: T.argmax(x, 1, out=o),
    "argmin": lambda T, x, o: T.argmin(x, out=o),
    "logsumexp": lambda T, x, o: T.logsumexp(x, 1, out=o),
    "norm": lambda T, x, o: T.norm(x, dim=1, out=o),
    "all": lambda T, x, o: T.all(x, 1, out=o),
    "any": lambda T, x, o: T.any(x, out=o),
    "matmul": lambda T, x, o: T.matmul(x, x.T, out=o),
    "matmul_vector": lambda T, x, o: T.matmul(x, x[0], out=o),
    "mm": lambda T, x, o: T.mm(x.T, x, out=o),
    "bmm": lambda T, x, o: T.bmm(x[None], x.T[None], out=o),
    "dot": lambda T, x, o: T.dot(x[0], x[1], out=o),
    "mv": lambda T, x, o: T.mv(x, x[1], out=o),
    "addmm": lambda T, x, o: T.addmm(x[:, :2], x, x.T, beta=2, out=o),
    "cat": lambda T, x, o: T.cat([x, x * 2], 1, out=o),
    "cat_mixed": lambda T, x, o: T.cat([x, x.double()], out=o),
    "concat": lambda T, x, o: T.concat([x, x], out=o),
    "stack": lambda T, x, o: T.stack([x, x], out=o),
    "cumsum": lambda T, x, o: T.cumsum(x, 1, out=o),
    "cumprod": lambda T, x, o: T.cumprod(x, 0, out=o),
    "cumsum_dtype": lambda T, x, o: T.cumsum(x, 1, dtype=T.float64, out=o),
}


def _one_operand(name):
    return lambda T, x, o: getattr(T, name)(x, out=o)


OUT_CALLS.update({name: _one_operand(name) for name in (
    "neg", "abs", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal",
    "square", "logical_not", "bitwise_not", "round", "floor", "ceil", "trunc", "sign")})
OUT_DTYPES = ["float32", "float64", "int64", "int32", "bool"]


def _strip_trigger(message):
    """torch's warning ends with the C++ line that raised it; minitorch's has none."""
    return re.sub(r" \(Triggered internally at .*\)$", "", str(message))


def _run_out(lib, call, x, out):
    """call's result (or exception) and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call(lib, x, out)
        except Exception as e:  # noqa: BLE001 - the exception is the result
            result = e
    return result, [(w.category, _strip_trigger(w.message), w.filename) for w in caught]


@pytest.mark.parametrize("name", OUT_CALLS)
def test_out(name):
    """Every out dtype and shape (right, empty, wrong): torch's error, or out itself written
    (resized with torch's warning where it held elements), with torch's values."""
    call = OUT_CALLS[name]
    for data in (F32, I64):
        for dtype in OUT_DTYPES:
            for shape in ("right", (0,), (5,)):
                outs = []
                for lib in (torch, minitorch):
                    x = lib.from_numpy(data.copy())
                    out_shape = shape
                    if shape == "right":  # (where torch raises anyway, any shape will do)
                        probe, _ = _run_out(torch, call, torch.from_numpy(data.copy()), None)
                        out_shape = tuple(probe.shape) if isinstance(probe, torch.Tensor) else ()
                    out = lib.full(out_shape, 7, dtype=getattr(lib, dtype))
                    outs.append((out, *_run_out(lib, call, x, out)))
                (t_out, theirs, t_warn), (o_out, ours, o_warn) = outs
                where = f"{name} {data.dtype}->{dtype} {shape}"
                if isinstance(theirs, Exception):
                    assert isinstance(ours, Exception), f"{where}: torch raised {theirs!r}"
                    assert builtin_base(type(ours)) is builtin_base(type(theirs)), where
                    assert str(ours) == str(theirs).replace("torch.", "minitorch."), where
                    continue
                assert not isinstance(ours, Exception), f"{where}: {ours!r}; torch: {theirs}"
                assert (theirs is t_out) and (ours is o_out), where
                # (same warnings; ours name the caller's line, as torch's do unless they come
                # from torch's own Python code, as norm's)
                assert [w[:2] for w in o_warn] == [w[:2] for w in t_warn], where
                assert all(f == __file__ for _, _, f in o_warn), where
                np.testing.assert_allclose(ours.numpy().astype(np.float64),
                                           theirs.numpy().astype(np.float64), rtol=1e-6,
                                           err_msg=where)
                assert str(ours.dtype)[10:] == str(theirs.dtype)[6:] and ours.shape == theirs.shape


def test_out_computes_in_outs_dtype_where_torch_does():
    """sum, mean and cumsum compute in out's dtype (float64 digits from float32 input);
    elementwise ops, var and logsumexp compute in their own and cast (float32 digits)."""
    a = np.random.default_rng(0).random((3, 1000)).astype(np.float32)
    in_float64 = [lambda T, x, o: T.sum(x, 1, out=o), lambda T, x, o: T.mean(x, 1, out=o),
                  lambda T, x, o: T.mean(x, out=o), lambda T, x, o: T.cumsum(x, 1, out=o)]
    in_float32 = [lambda T, x, o: T.add(x, x * 3.3, out=o), lambda T, x, o: T.var(x, 1, out=o),
                  lambda T, x, o: T.exp(x, out=o), lambda T, x, o: T.logsumexp(x, 1, out=o)]
    for call in in_float64 + in_float32:
        ours = call(minitorch, minitorch.from_numpy(a), minitorch.empty(0, dtype=minitorch.float64))
        theirs = call(torch, torch.from_numpy(a), torch.empty(0, dtype=torch.float64))
        if call in in_float64:
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
        else:
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
            assert np.array_equal(ours.numpy(), ours.numpy().astype(np.float32))


def test_out_of_max_min_along_a_dim():
    """(values, indices) into out's two tensors: torch.return_types.max_out, each checked."""
    for name in ("max", "min"):
        results = []
        for lib in (torch, minitorch):
            x = lib.tensor([[1.0, 5, 3], [7, 2, 7]])
            values, indices = lib.empty(0), lib.empty(5, dtype=lib.int64)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = getattr(lib, name)(x, 1, keepdim=True, out=(values, indices))
            assert got.values is values and got.indices is indices
            results.append((type(got).__name__, repr(got).replace("minitorch.", "torch."),
                            [_strip_trigger(w.message) for w in caught]))
        assert results[0] == results[1]
        same_error(lambda T: getattr(T, name)(T.ones(2, 3), 1, out=(T.empty(0), T.empty(0))))
        same_error(lambda T: getattr(T, name)(T.ones(2, 3), 1, out=(T.empty(0, dtype=T.float64),
                                                                    T.empty(0, dtype=T.int64))))
        same_error(lambda T: getattr(T, name)(T.ones(2, 3, requires_grad=True), 1,
                                              out=(T.empty(0), T.empty(0, dtype=T.int64))))


@pytest.mark.parametrize("name", [n for n in OUT_CALLS if n not in (
    "eq", "lt", "ge", "logical_and", "logical_not", "argmax", "argmin", "all", "any",
    "bitwise_and", "bitwise_not")])
def test_out_refuses_autograd(name):
    """A differentiable op with out= records no graph: torch refuses an operand or an out
    that requires grad while grad mode is on, and lets it through in no_grad."""
    call = OUT_CALLS[name]
    same_error(lambda T: call(T, T.from_numpy(F32.copy()).requires_grad_(), T.empty(0)))
    same_error(lambda T: call(T, T.from_numpy(F32.copy()), T.empty(0, requires_grad=True)))
    dtype = str(call(torch, torch.from_numpy(F32.copy()), None).dtype)[6:]
    for lib in (torch, minitorch):
        x = lib.from_numpy(F32.copy()).requires_grad_()
        with lib.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = lib.empty(0, dtype=getattr(lib, dtype), requires_grad=dtype.startswith("float"))
            assert call(lib, x, out) is out
        assert out.requires_grad == dtype.startswith("float") and out.is_leaf


def test_out_of_ops_without_gradient_takes_tensors_requiring_grad():
    for lib in (torch, minitorch):
        x = lib.ones(2, 3, requires_grad=True)
        out = lib.empty(0, dtype=lib.int64)
        assert lib.argmax(x, 1, out=out) is out and lib.eq(x, 1, out=lib.empty(0)).sum() == 6
        assert lib.eq(x, 1, out=lib.empty(0, requires_grad=True)).requires_grad


def test_out_aliasing_an_input_and_strided_outs():
    for lib in (torch, minitorch):
        x = lib.tensor([1.0, 2, 3])
        assert lib.add(x, x, out=x) is x and x.tolist() == [2, 4, 6] and x._version == 1
        base = lib.zeros(6)
        strided = base[::2]
        lib.mul(lib.tensor([1.0, 2, 3]), 2, out=strided)
        assert base.tolist() == [2, 0, 4, 0, 6, 0]
        same_error(lambda T: T.add(T.ones(2), 1, out=T.zeros(1).expand(2)))


def test_resize_():
    for lib in (torch, minitorch):
        t = lib.arange(6.0)
        assert t.resize_(2, 2) is t and t.tolist() == [[0, 1], [2, 3]]
        assert t.resize_(0).shape == (0,)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an emptied out is resized without a warning
            assert lib.add(lib.ones(3), 1, out=t).tolist() == [2, 2, 2]
    same_error(lambda T: T.ones(2, requires_grad=True).resize_(0))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int32", "int64", "float16", "float32", "bool"])
def test_new_full_checks_the_fill_value_fits(dtype):
    for value in (-1.7, -1, -256, 255.5, 255.99, 256.0, -128.5, 127.7, 128.0, -0.0, 2.0 ** 63,
                  -2.0 ** 63, 2 ** 31, 2 ** 64 - 1, 3.5e38, 65504.0, 65519.0, float("inf"),
                  float("nan"), True, 0.5):
        try:
            theirs = torch.ones(1).new_full((2,), value, dtype=getattr(torch, dtype))
        except RuntimeError:
            same_error(lambda T: T.ones(1).new_full((2,), value, dtype=getattr(T, dtype)))
            continue
        ours = minitorch.ones(1).new_full((2,), value, dtype=getattr(minitorch, dtype))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=f"{value} {dtype}")


FACTORY_CALLS = {
    "zeros": lambda T, o: T.zeros(2, 3, out=o),
    "zeros_dtype": lambda T, o: T.zeros((2,), dtype=T.float32, out=o),
    "ones": lambda T, o: T.ones(size=(3,), out=o),
    "empty": lambda T, o: T.empty(2, out=o).shape,
    "full": lambda T, o: T.full((2, 2), 1.5, out=o),
    "full_int": lambda T, o: T.full((2,), 3, out=o),
    "eye": lambda T, o: T.eye(2, 3, out=o),
    "arange": lambda T, o: T.arange(5, out=o),
    "arange_float": lambda T, o: T.arange(0, 1, 0.25, out=o),
    "linspace": lambda T, o: T.linspace(0, 1, 5, out=o),
    "rand": lambda T, o: T.rand(2, 3, out=o).shape,
    "randn": lambda T, o: T.randn(4, out=o).shape,
    "randint": lambda T, o: T.randint(0, 5, (3,), out=o).shape,
    "randperm": lambda T, o: T.randperm(4, out=o).sort().values,
    "normal": lambda T, o: T.normal(0.0, 1.0, (2,), out=o).shape,
    "requires_grad": lambda T, o: T.zeros(2, requires_grad=True, out=o).requires_grad,
}


@pytest.mark.parametrize("name", FACTORY_CALLS)
def test_out_of_factory_functions(name):
    """zeros, arange, rand...: made in out's dtype, written into out (resized without a
    warning), torch's errors for another dtype= and for an out that requires grad."""
    call = FACTORY_CALLS[name]
    for dtype in OUT_DTYPES[:4]:  # (bool outs: arange, linspace, randperm have no bool kernel)
        for shape in ((0,), (7,)):
            theirs, _ = _run_out(torch, lambda T, x, o: call(T, o), None,
                                 torch.full(shape, 7, dtype=getattr(torch, dtype)))
            if isinstance(theirs, Exception):
                same_error(lambda T: call(T, T.full(shape, 7, dtype=getattr(T, dtype))))
                continue
            caught = []
            for lib in (torch, minitorch):  # (only arange warns, of an out of another size)
                out = lib.full(shape, 7, dtype=getattr(lib, dtype))
                result, seen = _run_out(lib, lambda T, x, o: call(T, o), None, out)
                caught.append([w[:2] for w in seen] + [w[2] == __file__ for w in seen])
            assert caught[0] == caught[1]
            ours = result
            if isinstance(theirs, torch.Tensor):
                assert str(ours.dtype)[10:] == str(theirs.dtype)[6:] and ours is not None
                np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
            else:
                assert ours == theirs
            assert str(out.dtype)[10:] == dtype  # (written into out)
    same_error(lambda T: call(T, T.empty(0, requires_grad=True)))
