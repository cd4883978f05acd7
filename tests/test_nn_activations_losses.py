"""Activations (leaky_relu, elu, gelu, silu) and losses (binary_cross_entropy, its logits
form, l1, smooth_l1, huber) against torch: functions, modules, graphs and errors.

Values and gradients are compared with the parity harness (tests/parity.py; float64 to
1e-10, float32 to 1e-5) under hypothesis over shapes, layouts and options. Kinks, nans,
infinities and huge values are drawn on purpose; those are compared element by element
(`same_elementwise`), because the harness scales its tolerance by the largest value and a
1e30 would hide a wrong 0.5. Loss kinks are hit exactly: inputs and targets on a grid of
halves with beta/delta on it. Bad input raises torch's error type and words.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from parity import (FLOATS, LAYOUTS, check, layout, leaves, same_error, shapes, tensors,
                    tolerance, torch_name)

from test_nn_functional import LIBS, F, structure


def same_graph(fn, *arrays):
    """fn(lib, *leaves) builds the same graph (node names and edges) in both engines."""
    ours_in, theirs_in = leaves(arrays)
    assert structure(fn(minitorch, *ours_in).grad_fn) == structure(fn(torch, *theirs_in).grad_fn)


def caught_warnings(fn, lib):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(lib)
    return [torch_name(str(w.message)) if lib is torch else str(w.message) for w in caught]


def same_warnings(fn):
    ours, theirs = caught_warnings(fn, minitorch), caught_warnings(fn, torch)
    assert ours == theirs and theirs


# huge, tiny, signed zeros, infinities and nan: every branch of every formula
SPECIALS = [0.0, -0.0, 1e-8, -1e-8, 100.0, -100.0, 1e20, -1e20, 1e30, -1e30, np.inf, -np.inf,
            np.nan]


@st.composite
def with_specials(draw, low=-4.0, high=4.0, max_dims=3):
    """A float array, about a third of it special values, in a drawn layout."""
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(shapes(max_dims=max_dims))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = rng.uniform(low, high, size=shape)
    special = rng.random(shape) < 0.35
    a[special] = rng.choice(SPECIALS, size=int(special.sum()))
    return layout(np.asarray(a).astype(dtype), draw(LAYOUTS))


def assert_elementwise(ours, theirs, what, keep=None):
    """Same dtype and shape, each element within the dtype's tolerance of torch's (relative,
    and absolute near 0); nan where torch has nan, the same infinities. `keep`: a mask of
    the elements compared (all by default)."""
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1], what
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape, what
    if keep is not None:
        a, b = a[keep], b[keep]
    tol = tolerance(b.dtype)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True, err_msg=what)


def same_elementwise(fn, x, grad_seed=0, nan_grad_at_nan=False):
    """fn(lib, x) and its gradient under one random upstream gradient, element by element.

    nan_grad_at_nan: at a nan input torch's own gradient depends on where the element sits
    (its vectorized loop gives nan, its scalar loop for the last few elements does not:
    elu's backward); there ours must be nan, torch's is not compared."""
    (ours_x,), (theirs_x,) = leaves([x])
    ours, theirs = fn(minitorch, ours_x), fn(torch, theirs_x)
    assert_elementwise(ours, theirs, "value")
    g = np.random.default_rng(grad_seed).standard_normal(tuple(theirs.shape))
    g = g.astype(theirs.detach().numpy().dtype)
    ours.backward(minitorch.from_numpy(g.copy()))
    theirs.backward(torch.from_numpy(g.copy()))
    keep = None
    if nan_grad_at_nan:
        keep = ~np.isnan(x)
        assert np.isnan(ours_x.grad.numpy()[~keep]).all()
    assert_elementwise(ours_x.grad, theirs_x.grad, "grad", keep)


# ---- activations ---------------------------------------------------------------------------

ACTIVATIONS = {
    "leaky_relu": lambda lib, x: F(lib).leaky_relu(x),
    "leaky_relu(0.2)": lambda lib, x: F(lib).leaky_relu(x, 0.2),
    "leaky_relu(-0.5)": lambda lib, x: F(lib).leaky_relu(x, negative_slope=-0.5),
    "leaky_relu(0)": lambda lib, x: F(lib).leaky_relu(x, 0),
    "elu": lambda lib, x: F(lib).elu(x),
    "elu(0.3)": lambda lib, x: F(lib).elu(x, 0.3),
    "elu(-1.5)": lambda lib, x: F(lib).elu(x, alpha=-1.5),
    "gelu": lambda lib, x: F(lib).gelu(x),
    "gelu(tanh)": lambda lib, x: F(lib).gelu(x, approximate="tanh"),
    "silu": lambda lib, x: F(lib).silu(x),
}

MODULES = {
    "LeakyReLU()": lambda lib: lib.nn.LeakyReLU(),
    "LeakyReLU(0.3, True)": lambda lib: lib.nn.LeakyReLU(0.3, True),
    "ELU(alpha=0.7)": lambda lib: lib.nn.ELU(alpha=0.7),
    "ELU(2, inplace=True)": lambda lib: lib.nn.ELU(2, inplace=True),
    "GELU()": lambda lib: lib.nn.GELU(),
    "GELU('tanh')": lambda lib: lib.nn.GELU("tanh"),
    "SiLU()": lambda lib: lib.nn.SiLU(),
    "SiLU(inplace=True)": lambda lib: lib.nn.SiLU(inplace=True),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(x=tensors(low=-5.0, high=5.0))
def test_activation(name, x):
    check(ACTIVATIONS[name], x)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(x=with_specials())
def test_activation_at_kinks_nans_and_huge_values(name, x):
    same_elementwise(ACTIVATIONS[name], x, nan_grad_at_nan=name.startswith("elu"))


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "silu"])
@pytest.mark.parametrize("option", [None, 0.0, 0.4, 2.5])
@given(x=with_specials())
def test_activation_in_place(name, option, x):
    """leaky_relu_/elu_ (and inplace=True) read the slope off the result: nodes
    LeakyReluBackward1 / EluBackward1; silu in place is SiluBackward0 (as in torch)."""
    if name == "silu" and option is not None:
        return
    args = () if option is None else (option,)
    fn = lambda lib, x: getattr(F(lib), name)(x * 1, *args, inplace=True)  # noqa: E731
    same_elementwise(fn, x, nan_grad_at_nan=name == "elu")
    same_graph(fn, x)
    if name != "silu":
        same_elementwise(lambda lib, x: getattr(F(lib), name + "_")(x * 1, *args), x,
                         nan_grad_at_nan=name == "elu")


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
def test_in_place_with_a_negative_slope_refuses_in_backward(name):
    """The result's sign no longer says which branch was taken: torch refuses, in backward
    only (forward, and a forward without grad, are fine)."""
    x = np.array([-1.0, 2.0])
    same_error(lambda lib: getattr(F(lib), name)(lib.tensor(x, requires_grad=True) * 1, -0.5,
                                                  inplace=True).sum().backward())
    for lib in LIBS:
        out = getattr(F(lib), name + "_")(lib.tensor(x), -0.5)
        assert out.grad_fn is None
    check(lambda lib, x: getattr(F(lib), name)(x * 1, -0.5, inplace=True), x,
          requires_grad=False)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "silu"])
def test_in_place_on_a_leaf_is_refused(name):
    same_error(lambda lib: getattr(F(lib), name)(lib.ones(2, requires_grad=True), inplace=True))


def test_in_place_writes_into_the_tensor():
    for lib in LIBS:
        x = lib.tensor([-2.0, 3.0])
        view = x[:1]
        assert F(lib).leaky_relu_(view, 0.5) is view
        F(lib).elu(x[1:], inplace=True)
        assert x.tolist() == [-1.0, 3.0]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_graph(name):
    same_graph(ACTIVATIONS[name], np.array([[-1.0, 0.5]]))


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
@pytest.mark.parametrize("name", ["leaky_relu", "elu", "gelu", "silu"])
def test_activation_of_integers_is_refused(name, dtype):
    same_error(lambda lib: getattr(F(lib), name)(lib.tensor([1, 0]).to(getattr(lib, dtype))))


def test_activation_argument_errors():
    x = lambda lib: lib.ones(2)  # noqa: E731
    same_error(lambda lib: F(lib).gelu(x(lib), approximate="sigmoid"))
    same_error(lambda lib: lib.nn.GELU("exact")(x(lib)))
    same_error(lambda lib: F(lib).gelu(x(lib), "tanh"))
    same_error(lambda lib: F(lib).leaky_relu(x(lib), "0.1"))
    same_error(lambda lib: F(lib).elu(x(lib), alpha=None))


def test_activation_numbers_of_other_kinds():
    """A slope may be a bool, an int, a numpy number or a one-element tensor (torch's
    parser reads each as a number)."""
    x = np.array([-2.0, 3.0])
    for slope in (True, 0, np.float64(0.25)):
        check(lambda lib, x: F(lib).leaky_relu(x, slope), x)
        check(lambda lib, x: F(lib).elu(x, slope), x)
    check(lambda lib, x: F(lib).leaky_relu(x, lib.tensor(0.2, dtype=lib.float64)), x)


def test_activation_float16_and_empty():
    x = np.array([-3.0, -0.5, 0.0, 0.7, 4.0], dtype=np.float16)
    for fn in ACTIVATIONS.values():
        check(fn, x, rtol=2e-3)
        check(fn, np.zeros((0, 3)))


@pytest.mark.parametrize("name", MODULES)
@given(x=tensors(low=-3.0, high=3.0))
def test_activation_module(name, x):
    module = MODULES[name]
    assert repr(module(minitorch)) == repr(module(torch))
    check(lambda lib, x: module(lib)(x * 1), x)


def test_activation_modules_print_as_torch():
    net = lambda lib: lib.nn.Sequential(*(m(lib) for m in MODULES.values()))  # noqa: E731
    assert repr(net(minitorch)) == repr(net(torch))
    for lib in LIBS:
        assert repr(lib.nn.GELU("foo")) == "GELU(approximate='foo')"  # checked when called


# ---- binary cross entropy ------------------------------------------------------------------

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
EDGES = [0.0, 1.0, 1e-30, 1 - 1e-7, 0.5]  # log(0) floored at -100; p (1 - p) floored at 1e-12


@st.composite
def probabilities(draw, shape, dtype, edges=True):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = rng.uniform(0, 1, size=shape)
    if edges:
        edge = rng.random(shape) < 0.3
        a[edge] = rng.choice(EDGES, size=int(edge.sum()))
    return layout(np.asarray(a).astype(dtype), draw(LAYOUTS))


@st.composite
def weight_shapes(draw, shape):
    """None, or a shape that broadcasts to `shape` (trailing dims of it, some of them 1)."""
    if not draw(st.booleans()):
        return None
    n = draw(st.integers(0, len(shape)))
    tail = shape[len(shape) - n:]
    return tuple(1 if draw(st.booleans()) else s for s in tail)


@given(st.data(), shapes(max_dims=3), st.sampled_from(FLOATS), REDUCTIONS)
def test_binary_cross_entropy(data, shape, dtype, reduction):
    p = data.draw(probabilities(shape, dtype))
    t = data.draw(probabilities(shape, dtype))
    weight_shape = data.draw(weight_shapes(shape))
    w = None if weight_shape is None else np.random.default_rng(1).uniform(0, 2, weight_shape)

    def fn(lib, p, t):
        weight = None if w is None else lib.from_numpy(w.astype(dtype))
        return F(lib).binary_cross_entropy(p, t, weight, reduction=reduction)
    # (at p = 0 or 1 the target's gradient -log(p / (1 - p)) is infinite: torch's too)
    same_elementwise(lambda lib, p: fn(lib, p, lib.from_numpy(t.copy())), p)
    same_elementwise(lambda lib, t: fn(lib, lib.from_numpy(p.copy()), t), t)
    check(lambda lib, p, t: fn(lib, p.clamp(0.01, 0.99), t), p, t)


def test_binary_cross_entropy_graph_and_module():
    p, t = np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]])
    same_graph(lambda lib, p, t: F(lib).binary_cross_entropy(p, t), p, t)
    same_graph(lambda lib, p: F(lib).binary_cross_entropy(p, lib.tensor(t)), p)
    for reduction in ("mean", "sum", "none"):
        module = lambda lib: lib.nn.BCELoss(lib.tensor([2.0, 0.5], dtype=lib.float64),  # noqa: E731
                                            reduction=reduction)
        check(lambda lib, p, t: module(lib)(p, t), p, t)
        assert repr(module(minitorch)) == repr(module(torch)) == "BCELoss()"
    state = lambda lib: list(lib.nn.BCELoss(lib.ones(2)).state_dict())  # noqa: E731
    assert state(minitorch) == state(torch) == ["weight"]


def test_binary_cross_entropy_errors():
    def bce(p, t, **kw):
        return lambda lib: F(lib).binary_cross_entropy(lib.tensor(p), lib.tensor(t), **kw)
    same_error(bce([1.5], [1.0]))
    same_error(bce([-0.5], [1.0]))
    same_error(bce([np.nan], [1.0]))
    same_error(bce([0.5], [1.5]))
    same_error(bce([0.5], [np.nan]))
    same_error(bce([[0.5, 2.0]], [[1.5, 1.0]]))  # the first bad element: its target
    same_error(bce([[0.5, 2.0]], [[0.5, 3.0]]))  # its input
    same_error(bce([0.5, 0.5], [1.0]))           # sizes differ: a ValueError
    same_error(bce([0.5], [1]))                  # dtypes differ
    same_error(bce([0.5], [True]))
    same_error(bce([1], [1]))
    same_error(bce([[0.5]], [[1.0]], reduction="avg"))
    same_error(lambda lib: F(lib).binary_cross_entropy(
        lib.tensor([0.5]), lib.tensor([1.0], dtype=lib.float64)))
    same_error(lambda lib: F(lib).binary_cross_entropy(
        lib.tensor([0.5, 0.2]), lib.tensor([1.0, 0.0]), weight=lib.ones(3)))
    same_error(lambda lib: F(lib).binary_cross_entropy(
        lib.tensor([[0.5, 0.2]]), lib.tensor([[1.0, 0.0]]), weight=lib.ones(1, 1, 2)))
    same_error(lambda lib: F(lib).binary_cross_entropy(
        lib.tensor(0.5), lib.tensor(1.0), weight=lib.ones(2)))
    same_error(lambda lib: F(lib).binary_cross_entropy(
        lib.tensor([0.5]), lib.tensor([1.0]), weight=lib.ones(1, requires_grad=True)))
    for lib in LIBS:  # without grad mode a weight that requires grad is only a weight
        with lib.no_grad():
            F(lib).binary_cross_entropy(lib.tensor([0.5]), lib.tensor([1.0]),
                                        weight=lib.ones(1, requires_grad=True))


def test_binary_cross_entropy_weights_of_other_dtypes_and_legacy_flags():
    p, t = np.array([[0.3, 0.6]]), np.array([[1.0, 0.0]])
    for w in ([2, 3], [True, False], np.array([2.0, 3.0], dtype=np.float32)):
        check(lambda lib, p, t: F(lib).binary_cross_entropy(p, t, lib.tensor(w)), p, t)
    same_warnings(lambda lib: F(lib).binary_cross_entropy(lib.tensor(p), lib.tensor(t),
                                                          size_average=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, p, t: F(lib).binary_cross_entropy(p, t, reduce=False), p, t)
        check(lambda lib, p, t: lib.nn.BCELoss(size_average=False)(p, t), p, t)


def test_binary_cross_entropy_empty_and_0d():
    check(lambda lib, p, t: F(lib).binary_cross_entropy(p, t), np.zeros(0), np.zeros(0))
    check(lambda lib, p, t: F(lib).binary_cross_entropy(p, t, reduction="sum"),
          np.zeros((2, 0)), np.zeros((2, 0)))
    check(lambda lib, p, t: F(lib).binary_cross_entropy(p, t), np.array(0.3), np.array(1.0))


# ---- binary cross entropy with logits ------------------------------------------------------

@st.composite
def logits_cases(draw):
    """(logits with huge values, target, weight shape, pos_weight shape): pos_weight one
    per class along the last dim, or (C, 1, 1) for images, or the target's full shape."""
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(shapes(min_dims=1, max_dims=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-6, 6, size=shape)
    huge = rng.random(shape) < 0.3
    x[huge] = rng.choice([-1e30, -1e4, -200.0, -40.0, 0.0, 40.0, 200.0, 1e4, 1e30],
                         size=int(huge.sum()))
    t = rng.uniform(0, 1, size=shape)
    t = np.where(rng.random(shape) < 0.5, np.round(t), t)
    pos = draw(st.sampled_from(
        [None, shape[-1:], shape, ()] + ([(1,) + shape[-1:]] if len(shape) > 1 else [])
        + ([shape[-3:-2] + (1, 1)] if len(shape) == 3 else [])))
    weight = draw(weight_shapes(shape))
    t_dtype = draw(st.sampled_from([dtype, np.float32, np.float64]))
    return (layout(x.astype(dtype), draw(LAYOUTS)), layout(t.astype(t_dtype), draw(LAYOUTS)),
            weight, pos)


@given(logits_cases(), REDUCTIONS)
def test_binary_cross_entropy_with_logits(case, reduction):
    """Stable for any logit (no overflow), pos_weight broadcast over the class dim; the
    loss has the target's dtype (torch computes it into a copy of the target)."""
    x, t, weight_shape, pos_shape = case
    rng = np.random.default_rng(2)
    w = None if weight_shape is None else rng.uniform(0, 2, weight_shape)
    q = None if pos_shape is None else rng.uniform(0.2, 3, pos_shape)

    def fn(lib, x, t):
        as_tensor = lambda a: None if a is None else lib.from_numpy(a).to(x.dtype)  # noqa: E731
        return F(lib).binary_cross_entropy_with_logits(x, t, as_tensor(w), reduction=reduction,
                                                       pos_weight=as_tensor(q))
    # with a float32 operand torch rounds to float32 on the way (its backward works in
    # place, in the logits' dtype), so a float64 result is good to float32's tolerance
    check(fn, x, t, rtol=1e-5 if x.dtype != t.dtype else None)
    if reduction == "none" and x.dtype == t.dtype:
        same_elementwise(lambda lib, x: fn(lib, x, lib.from_numpy(t.copy())), x)


def test_binary_cross_entropy_with_logits_graph_and_module():
    x, t = np.array([[1e4, -2.0, 0.5]]), np.array([[0.0, 1.0, 0.3]])
    same_graph(lambda lib, x, t: F(lib).binary_cross_entropy_with_logits(x, t), x, t)
    module = lambda lib: lib.nn.BCEWithLogitsLoss(  # noqa: E731
        weight=lib.tensor([1.0, 2.0, 0.5], dtype=lib.float64),
        pos_weight=lib.tensor([3.0, 1.0, 0.5], dtype=lib.float64), reduction="sum")
    check(lambda lib, x, t: module(lib)(x, t), x, t)
    assert repr(module(minitorch)) == repr(module(torch)) == "BCEWithLogitsLoss()"
    for lib in LIBS:
        assert list(module(lib).state_dict()) == ["weight", "pos_weight"]


def test_binary_cross_entropy_with_logits_errors():
    def bcel(x=((1.0, 2.0, 3.0),) * 2, t=((0.0, 1.0, 0.5),) * 2, **kw):
        return lambda lib: F(lib).binary_cross_entropy_with_logits(
            lib.tensor(x), lib.tensor(t), **{k: v(lib) for k, v in kw.items()})
    same_error(bcel(t=[0.0, 1.0, 0.5]))
    same_error(bcel(pos_weight=lambda lib: lib.ones(2)))
    same_error(bcel(pos_weight=lambda lib: lib.ones(1, 2, 3)))
    same_error(bcel(weight=lambda lib: lib.ones(2)))
    same_error(bcel(weight=lambda lib: lib.ones(1, 2, 3)))
    same_error(bcel(weight=lambda lib: lib.ones(3, requires_grad=True)))
    same_error(bcel(pos_weight=lambda lib: lib.ones(3, requires_grad=True)))
    same_error(bcel(t=[[0, 1, 1]] * 2))
    same_error(bcel(t=[[False, True, True]] * 2))
    same_error(bcel(x=[[1, 2, 3]] * 2))
    same_error(bcel(reduction=lambda lib: "avg"))


def test_binary_cross_entropy_with_logits_dtypes_and_empty():
    x, t = np.array([[2.0, -1.0]]), np.array([[1.0, 0.0]], dtype=np.float32)
    check(lambda lib, x, t: F(lib).binary_cross_entropy_with_logits(x, t), x, t)
    check(lambda lib, x, t: F(lib).binary_cross_entropy_with_logits(
        x, t, pos_weight=lib.tensor([1, 2])), x, t.astype(np.float64))
    check(lambda lib, x, t: F(lib).binary_cross_entropy_with_logits(x, t),
          np.zeros((0, 2)), np.zeros((0, 2)))


# ---- l1, smooth l1, huber ------------------------------------------------------------------

@st.composite
def regression_cases(draw, mix_dtypes=True):
    """(input, target): on a grid of halves (so |input - target| hits 0 and every beta /
    delta below exactly), the target's shape the input's or one broadcasting to it."""
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    grid = draw(st.booleans())
    make = (lambda s: rng.integers(-6, 7, size=s) / 2) if grid else (
        lambda s: rng.uniform(-4, 4, size=s))
    target_shape = draw(st.sampled_from([shape, shape[1:], tuple(1 for _ in shape)]))
    t_dtype = draw(st.sampled_from(FLOATS)) if mix_dtypes else dtype
    x = layout(np.asarray(make(shape)).astype(dtype), draw(LAYOUTS))
    t = layout(np.asarray(make(target_shape)).astype(t_dtype), draw(LAYOUTS))
    return x, t


def quietly(fn):
    """fn with the target-size warning silenced (it has a test of its own)."""
    def call(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    return call


@given(regression_cases(), REDUCTIONS)
def test_l1_loss(case, reduction):
    check(quietly(lambda lib, x, t: F(lib).l1_loss(x, t, reduction=reduction)), *case)


@given(regression_cases(), REDUCTIONS, st.sampled_from([1.0, 0.5, 2.0, 0.0, 1e-3]))
def test_smooth_l1_loss(case, reduction, beta):
    check(quietly(lambda lib, x, t: F(lib).smooth_l1_loss(x, t, reduction=reduction,
                                                          beta=beta)), *case)


@given(regression_cases(mix_dtypes=False), REDUCTIONS, st.sampled_from([1.0, 0.5, 2.0, 1e-3]))
def test_huber_loss(case, reduction, delta):
    check(quietly(lambda lib, x, t: F(lib).huber_loss(x, t, reduction=reduction,
                                                      delta=delta)), *case)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_l1_and_huber_loss(reduction):
    rng = np.random.default_rng(3)
    x, t, w = rng.uniform(-3, 3, (2, 3)), rng.uniform(-3, 3, (2, 3)), rng.uniform(0, 2, (2, 3))
    for name in ("l1_loss", "huber_loss"):
        check(lambda lib, x, t: getattr(F(lib), name)(x, t, reduction=reduction,
                                                      weight=lib.from_numpy(w.copy())), x, t)
    same_graph(lambda lib, x, t: F(lib).l1_loss(x, t, weight=lib.from_numpy(w.copy())), x, t)


@given(x=with_specials(low=-3, high=3), t=st.sampled_from([0.0, 1.0, -np.inf, np.nan]))
def test_regression_losses_with_nans_and_huge_values(x, t):
    for fn in (lambda lib, x: F(lib).l1_loss(x, lib.full_like(x, t), reduction="none"),
               lambda lib, x: F(lib).smooth_l1_loss(x, lib.full_like(x, t), reduction="none"),
               lambda lib, x: F(lib).smooth_l1_loss(x, lib.full_like(x, t), reduction="none",
                                                    beta=np.inf),
               lambda lib, x: F(lib).huber_loss(x, lib.full_like(x, t), reduction="none",
                                                delta=np.inf)):
        same_elementwise(fn, x)


def test_regression_loss_graphs():
    """l1_loss is sub, abs and mean (as torch builds it); a target that broadcasts is
    expanded first (ExpandBackward0); beta = 0 makes smooth_l1 the l1 graph."""
    x, t = np.ones((2, 3)), np.zeros(3)
    for name in ("l1_loss", "smooth_l1_loss", "huber_loss"):
        for reduction in ("mean", "sum", "none"):
            graph = quietly(lambda lib, x, t: getattr(F(lib), name)(x, t, reduction=reduction))
            same_graph(graph, x, t)
            same_graph(graph, t, x)
            same_graph(graph, x, x + 1)
    same_graph(lambda lib, x, t: F(lib).smooth_l1_loss(x, t, beta=0.0), x, x + 1)


def test_regression_loss_warnings_and_legacy_flags():
    for name in ("l1_loss", "smooth_l1_loss", "huber_loss", "mse_loss"):
        same_warnings(lambda lib: getattr(F(lib), name)(lib.ones(2, 3), lib.ones(3)))
    for name in ("l1_loss", "smooth_l1_loss"):
        same_warnings(lambda lib: getattr(F(lib), name)(lib.ones(2), lib.ones(2),
                                                        size_average=False))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(lambda lib, x, t: getattr(F(lib), name)(x, t, reduce=False),
                  np.ones(2), np.zeros(2))
    for lib in LIBS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            F(lib).l1_loss(lib.ones(2), lib.ones(2))


@pytest.mark.filterwarnings("ignore:Using a target size")
def test_regression_loss_errors():
    x, t = (lambda lib: lib.ones(2, 3)), (lambda lib: lib.zeros(2, 3))
    for name in ("l1_loss", "smooth_l1_loss", "huber_loss"):
        same_error(lambda lib: getattr(F(lib), name)(x(lib), lib.ones(2, 2)))
        same_error(lambda lib: getattr(F(lib), name)(x(lib), t(lib), reduction="avg"))
        same_error(lambda lib: getattr(F(lib), name)(x(lib).long(), t(lib).long()))
    same_error(lambda lib: F(lib).smooth_l1_loss(lib.tensor([1, 0]).bool(), lib.tensor([1, 0]).bool()))
    same_error(lambda lib: F(lib).huber_loss(lib.tensor([1, 0]).bool(), lib.tensor([1, 0]).bool()))
    same_error(lambda lib: F(lib).l1_loss(lib.tensor([1, 0]).bool(), lib.tensor([1, 0]).bool()))
    same_error(lambda lib: F(lib).smooth_l1_loss(x(lib), t(lib), beta=-1.0))
    same_error(lambda lib: F(lib).smooth_l1_loss(x(lib), t(lib), beta=np.nan))
    same_error(lambda lib: F(lib).huber_loss(x(lib), t(lib), delta=0.0))
    same_error(lambda lib: F(lib).huber_loss(x(lib), t(lib), delta=np.nan))
    same_error(lambda lib: F(lib).huber_loss(x(lib).long(), t(lib)))
    for name in ("l1_loss", "huber_loss"):
        same_error(lambda lib: getattr(F(lib), name)(x(lib), t(lib), weight=lib.ones(3)))
        same_error(lambda lib: getattr(F(lib), name)(x(lib), t(lib), weight=lib.ones(2, 3),
                                                     reduction="avg"))
    # huber's backward takes one dtype: torch refuses a mixed pair there, not in forward
    same_error(lambda lib: F(lib).huber_loss(x(lib).requires_grad_(), t(lib).double())
               .backward())
    same_error(lambda lib: F(lib).huber_loss(x(lib).requires_grad_(), t(lib).long()).backward())
    same_error(lambda lib: lib.nn.HuberLoss(delta="1"))
    check(quietly(lambda lib, x: F(lib).huber_loss(x, lib.zeros(3, dtype=lib.float64))),
          np.ones((2, 3), dtype=np.float32), requires_grad=False)
    check(lambda lib, x: F(lib).l1_loss(x, lib.tensor([1, 0, 2])), np.ones(3))


def test_regression_loss_modules():
    x, t = np.array([[0.3, -2.0], [1.5, 0.0]]), np.array([[0.0, 0.5], [-1.0, 0.0]])
    modules = {
        "L1Loss()": lambda lib: lib.nn.L1Loss(),
        "L1Loss(sum)": lambda lib: lib.nn.L1Loss(reduction="sum"),
        "SmoothL1Loss(beta=0.5)": lambda lib: lib.nn.SmoothL1Loss(beta=0.5),
        "SmoothL1Loss(beta=0)": lambda lib: lib.nn.SmoothL1Loss(reduction="none", beta=0.0),
        "HuberLoss(delta=2)": lambda lib: lib.nn.HuberLoss(delta=2),
        "HuberLoss(none)": lambda lib: lib.nn.HuberLoss("none", 0.5),
    }
    for module in modules.values():
        check(lambda lib, x, t: module(lib)(x, t), x, t)
        assert repr(module(minitorch)) == repr(module(torch))
        assert vars(module(minitorch)).get("beta") == vars(module(torch)).get("beta")
        assert module(minitorch).reduction == module(torch).reduction
    net = lambda lib: lib.nn.ModuleList([m(lib) for m in modules.values()])  # noqa: E731
    assert repr(net(minitorch)) == repr(net(torch))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lib in LIBS:
            assert lib.nn.L1Loss(size_average=False).reduction == "sum"
            assert lib.nn.SmoothL1Loss(reduce=False).reduction == "none"
