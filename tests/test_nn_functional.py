"""nn.functional against torch: conv2d, max/avg pooling, linear, softmax/log_softmax, relu,
dropout, and the losses mse_loss, nll_loss and cross_entropy.

Every parity test runs the same call in minitorch and in torch (tests/parity.py) and
compares values, dtypes, shapes and every input's gradient under a random upstream
gradient; float64 must agree to 1e-10, float32 to 1e-5. Options are drawn by hypothesis
over small shapes. Pooling draws small integers on purpose, so windows hold tied maxima and
the gradient must go to the very pixel torch picks. Bad input must raise torch's error type
with torch's message (`same_error`). Dropout draws random masks, so it is checked by its
statistics and by the mask its gradient reuses.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import assume, given, strategies as st

import minitorch
from parity import FLOATS, LAYOUTS, check, floats_array, layout, same_error, torch_name

LIBS = (minitorch, torch)


def F(lib):
    return lib.nn.functional


def structure(fn):
    """A graph as plain data: node names (AccumulateGrad without its namespace), inputs."""
    if fn is None:
        return None
    name = fn.name().split("::")[-1]
    if name == "AccumulateGrad":
        return name
    return name, tuple(structure(f) for f, _ in fn.next_functions)


def same_structure(fn, *arrays):
    """fn(lib, *leaves) builds the same graph in both engines."""
    graphs = []
    for lib in LIBS:
        ins = [lib.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f") for a in arrays]
        graphs.append(structure(fn(lib, *ins).grad_fn))
    assert graphs[0] == graphs[1]


def values(rng, shape, dtype, ties=False, low=-3.0, high=3.0):
    """Uniform floats, or (ties) integers in -1..1, as `dtype`."""
    a = rng.integers(-1, 2, size=shape) if ties else rng.uniform(low, high, size=shape)
    return np.asarray(a).astype(dtype)


# ---- conv2d ----------------------------------------------------------------------------------

@st.composite
def conv_cases(draw):
    """(x, weight, bias, options): every option of conv2d, shapes kept small."""
    dtype = draw(st.sampled_from(FLOATS))
    groups = draw(st.integers(1, 2))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    padding = draw(st.sampled_from([0, 1, (0, 2), (1, 0), "valid", "same"]))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    # 'same' with an even kernel pads one more row/column at the bottom/right
    stride = 1 if padding == "same" else draw(st.sampled_from([1, 2, (1, 2), (3, 1)]))
    dilation = draw(st.sampled_from([1, 2, (2, 1)]))
    pads = (0, 0) if isinstance(padding, str) else np.broadcast_to(padding, 2)
    eff = [(k - 1) * d + 1 for k, d in zip(kernel, np.broadcast_to(dilation, 2))]
    h, w = (max(1, e - 2 * p) + draw(st.integers(0, 3)) for e, p in zip(eff, pads))
    batch = draw(st.sampled_from([(), (1,), (2,)]))  # () is an unbatched (C, H, W) input
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = layout(values(rng, batch + (cin, h, w), dtype), draw(LAYOUTS))
    wt = layout(values(rng, (cout, cin // groups) + kernel, dtype), draw(LAYOUTS))
    bias = values(rng, (cout,), dtype) if draw(st.booleans()) else None
    return x, wt, bias, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


# torch's performance hint for even kernels with padding='same' (a copy it makes): not ours
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@given(conv_cases())
def test_conv2d(case):
    x, w, b, opts = case
    check(lambda T, x, w, b: F(T).conv2d(x, w, b, **opts), x, w, b)


@given(conv_cases())
def test_conv2d_positional_arguments(case):
    x, w, b, o = case
    args = (o["stride"], o["padding"], o["dilation"], o["groups"])
    check(lambda T, x, w: F(T).conv2d(x, w, None, *args), x, w)


@pytest.mark.parametrize("wanted", ["x", "w", "b", "xb"])
def test_conv2d_some_gradients(wanted):
    """Only the operands that require a gradient get one (forward saves just what they need)."""
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    pick = lambda t, name: t if name in wanted else t.detach()
    check(lambda T, x, w, b: F(T).conv2d(pick(x, "x"), pick(w, "w"), pick(b, "b"), padding=1),
          x, w, b)


@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_graph(bias):
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    same_structure(lambda T, x, w, b: F(T).conv2d(x, w, b if bias else None), x, w, b)
    same_structure(lambda T, x, w, b: F(T).conv2d(x[0], w, b if bias else None), x, w, b)


# ---- max_pool2d and avg_pool2d ---------------------------------------------------------------

@st.composite
def pool_cases(draw, dilated=True, ties=True):
    """(x, options) for pooling: kernel, stride (overlapping too), padding up to half the
    kernel, dilation, ceil_mode; integer values so windows hold tied maxima."""
    dtype = draw(st.sampled_from(FLOATS))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.sampled_from([None, 1, 2, (1, 2), (3, 2)]))
    dilation = draw(st.sampled_from([1, 2, (1, 2)])) if dilated else 1
    eff = [(k - 1) * d + 1 for k, d in zip(kernel, np.broadcast_to(dilation, 2))]
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    h, w = (max(1, e - 2 * p) + draw(st.integers(0, 3)) for e, p in zip(eff, padding))
    batch = draw(st.sampled_from([(), (1, 2), (2, 1)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = layout(values(rng, batch + (h, w) if batch else (2, h, w), dtype, ties), draw(LAYOUTS))
    opts = dict(kernel_size=kernel if draw(st.booleans()) else list(kernel), stride=stride,
                padding=padding, ceil_mode=draw(st.booleans()))
    if dilated:
        opts["dilation"] = dilation
    # a window that sees padding only has no maximum: torch returns -inf with an index
    # outside its window and its backward writes into a neighbouring plane; not compared
    assume(every_window_sees_a_pixel((h, w), opts))
    return x, opts


def every_window_sees_a_pixel(size, opts):
    kernel, stride = tuple(opts["kernel_size"]), opts["stride"] or opts["kernel_size"]
    out = torch.nn.functional.max_pool2d(torch.zeros((1,) + size), **opts).shape[-2:]
    pairs = zip(size, out, kernel, np.broadcast_to(stride, 2), opts["padding"],
                np.broadcast_to(opts.get("dilation", 1), 2))
    return all(any(0 <= o * s - p + t * d < n for t in range(k))
               for n, outs, k, s, p, d in pairs for o in range(outs))


@given(pool_cases())
def test_max_pool2d_with_ties(case):
    x, opts = case
    check(lambda T, x: F(T).max_pool2d(x, **opts, return_indices=True), x)
    check(lambda T, x: F(T).max_pool2d(x, **opts), x)


@given(pool_cases(ties=False))
def test_max_pool2d(case):
    x, opts = case
    check(lambda T, x: F(T).max_pool2d(x, **opts, return_indices=True), x)


@given(pool_cases(), st.integers(0, 2**32 - 1))
def test_max_pool2d_inf_and_nan(case, seed):
    """-inf pixels (whole windows of them too) and nans: a nan wins its window."""
    x, opts = case
    rng = np.random.default_rng(seed)
    x = x.copy()
    x[rng.random(x.shape) < 0.4] = -np.inf
    x[rng.random(x.shape) < 0.1] = np.nan
    check(lambda T, x: F(T).max_pool2d(x, **opts, return_indices=True), x)


def test_max_pool2d_all_minus_inf_with_padding():
    x = np.full((1, 1, 4, 4), -np.inf)
    check(lambda T, x: F(T).max_pool2d(x, 3, 2, 1, return_indices=True), x)


@given(pool_cases(dilated=False, ties=False), st.booleans(), st.sampled_from([None, 1, 3, 7]))
def test_avg_pool2d(case, count_include_pad, divisor_override):
    x, opts = case
    check(lambda T, x: F(T).avg_pool2d(x, **opts, count_include_pad=count_include_pad,
                                       divisor_override=divisor_override), x)


@pytest.mark.parametrize("pool", ["max_pool2d", "avg_pool2d"])
def test_pool_empty_batch(pool):
    check(lambda T, x: getattr(F(T), pool)(x, 2), np.ones((0, 2, 4, 4)))


def test_conv2d_empty_batch():
    check(lambda T, x, w: F(T).conv2d(x, w), np.ones((0, 2, 4, 4)), np.ones((3, 2, 2, 2)))


def test_pool_graph():
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4))
    same_structure(lambda T, x: F(T).max_pool2d(x, 2), x)
    same_structure(lambda T, x: F(T).avg_pool2d(x, 2), x)


# ---- linear, relu, softmax -------------------------------------------------------------------

@given(st.sampled_from([(), (3,), (2, 3)]), st.integers(1, 3), st.integers(1, 3),
       st.booleans(), st.sampled_from(FLOATS), st.integers(0, 2**32 - 1), LAYOUTS)
def test_linear(lead, n_in, n_out, bias, dtype, seed, kind):
    rng = np.random.default_rng(seed)
    x = layout(values(rng, lead + (n_in,), dtype), kind)
    w = layout(values(rng, (n_out, n_in), dtype), kind)
    b = values(rng, (n_out,), dtype) if bias else None
    check(lambda T, x, w, b: F(T).linear(x, w, b), x, w, b)


@pytest.mark.parametrize("lead", [(), (4,), (2, 4)])
def test_linear_graph(lead):
    """With a bias, one AddmmBackward0 node (between views for a 1-D or 3-D input)."""
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal(lead + (3,)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    same_structure(lambda T, x, w, b: F(T).linear(x, w, b), x, w, b)
    same_structure(lambda T, x, w: F(T).linear(x, w), rng.standard_normal((4, 3)), w)  # mm


def test_addmm_gradients_come_out_in_their_operands_memory_order():
    """A column-major operand (Linear's weight.t()) gets its gradient computed transposed,
    so that it comes out column-major too, as torch's mm_mat1_backward and
    mm_mat2_backward make it: strides and values as torch's."""
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((4, 5)), rng.standard_normal((3, 5)), rng.standard_normal(3)
    results = {}
    for lib in (minitorch, torch):
        X, W = (lib.from_numpy(a.copy()).requires_grad_() for a in (x, w))
        for layout, (mat1, mat2) in {"row-major": (X * 1, W.t().contiguous()),
                                     "column-major": (X.t().contiguous().t(), W.t())}.items():
            out = lib.addmm(lib.from_numpy(b), mat1, mat2)
            grads = lib.autograd.grad(out, (mat1, mat2), lib.from_numpy(np.ones((4, 3))))
            results[lib, layout] = [(g.stride(), g.numpy()) for g in grads]
    assert [s for s, _ in results[minitorch, "row-major"]] == [(5, 1), (3, 1)]
    assert [s for s, _ in results[minitorch, "column-major"]] == [(1, 4), (1, 5)]
    for layout in ("row-major", "column-major"):
        for (ours, our_values), (theirs, their_values) in zip(results[minitorch, layout],
                                                             results[torch, layout]):
            assert ours == theirs
            np.testing.assert_allclose(our_values, their_values, rtol=1e-12)


@given(floats_array((3, 4), away_from=0.0), st.sampled_from(FLOATS))
def test_relu(a, dtype):
    a = a.astype(dtype)
    check(lambda T, a: (F(T).relu(a), F(T).relu(a * 1, inplace=True)), a)


@st.composite
def logits(draw):
    """Logits of 1 to 3 dims with a dim to normalise over; some huge (±1e4), some -inf
    (never a whole slice: that slice is nan in both engines, and the test skips nothing)."""
    dtype = draw(st.sampled_from(FLOATS))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = rng.uniform(-3, 3, size=shape) * draw(st.sampled_from([1.0, 1e4]))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    if draw(st.booleans()):
        mask = rng.random(shape) < 0.3
        mask &= ~np.moveaxis(np.all(np.moveaxis(mask, dim, -1), -1, keepdims=True), -1, dim)
        a[mask] = -np.inf
    return layout(a.astype(dtype), draw(LAYOUTS)), dim


@given(logits())
def test_softmax(case):
    a, dim = case
    check(lambda T, a: F(T).softmax(a, dim), a)


@given(logits())
def test_log_softmax(case):
    a, dim = case
    check(lambda T, a: F(T).log_softmax(a, dim), a)


@given(logits())
def test_softmax_methods(case):
    a, dim = case
    check(lambda T, a: (a.softmax(dim), a.log_softmax(dim=dim)), a)


def test_softmax_all_minus_inf_slice_is_nan():
    a = np.array([[-np.inf, -np.inf], [0.0, 1.0]])
    check(lambda T, a: (F(T).softmax(a, 1), F(T).log_softmax(a, 1)), a)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 2), (1, 2, 2, 2)])
def test_softmax_implicit_dim_warns(shape):
    a = np.random.default_rng(0).standard_normal(shape)
    msgs = {}
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = F(lib).softmax(lib.from_numpy(a.copy()))
        msgs[lib] = [str(c.message) for c in caught], out.numpy()
    assert msgs[minitorch][0] == msgs[torch][0]
    np.testing.assert_allclose(msgs[minitorch][1], msgs[torch][1], rtol=1e-12)


def test_softmax_dtype_argument():
    a = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    check(lambda T, a: F(T).log_softmax(a, 1, dtype=T.float64), a)


# ---- dropout ---------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_dropout_eval_is_identity(p):
    for lib in LIBS:
        x = lib.ones(5, requires_grad=True)
        assert F(lib).dropout(x, p, training=False) is x


def test_dropout_p0_training_returns_input():
    for lib in LIBS:
        x = lib.ones(5, requires_grad=True)
        assert F(lib).dropout(x, 0.0, training=True) is x


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_training_statistics_and_gradient(p):
    minitorch.manual_seed(0)
    x = minitorch.from_numpy(np.random.default_rng(0).uniform(1, 2, 20000)).requires_grad_()
    y = F(minitorch).dropout(x, p)
    kept = y.detach().numpy() != 0
    n = kept.size
    assert abs(kept.mean() - (1 - p)) < 5 * np.sqrt(p * (1 - p) / n)
    np.testing.assert_allclose(y.detach().numpy()[kept], x.detach().numpy()[kept] / (1 - p),
                               rtol=1e-12)
    g = np.random.default_rng(1).standard_normal(n)
    y.backward(minitorch.from_numpy(g))
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, g / (1 - p), 0.0), rtol=1e-12)
    t = torch.nn.functional.dropout(torch.ones(3, requires_grad=True), p)
    assert y.grad_fn is not None and y.grad_fn.name() == t.grad_fn.name()


def test_dropout_p1_zeros_everything():
    outs = []
    for lib in LIBS:
        x = lib.ones(2, 3, requires_grad=True)
        y = F(lib).dropout(x, 1.0)
        y.backward(lib.ones(2, 3))
        outs.append((y.detach().numpy().copy(), x.grad.numpy().copy(), y.grad_fn.name()))
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)


def test_dropout_inplace():
    minitorch.manual_seed(0)
    x = minitorch.ones(1000, requires_grad=True)
    y = x * 1
    out = F(minitorch).dropout(y, 0.5, inplace=True)
    assert out is y
    kept = y.detach().numpy() != 0
    assert set(np.unique(y.detach().numpy())) <= {0.0, 2.0}
    out.backward(minitorch.ones(1000))
    np.testing.assert_array_equal(x.grad.numpy(), np.where(kept, 2.0, 0.0))


# ---- mse_loss --------------------------------------------------------------------------------

REDUCTIONS = ["none", "mean", "sum"]


@given(st.sampled_from([((3, 4), (3, 4)), ((2, 3), (3,)), ((3, 1), (3,)), ((), ()), ((0, 2), (0, 2))]),
       st.sampled_from(REDUCTIONS), st.sampled_from(FLOATS), st.integers(0, 2**32 - 1), LAYOUTS)
def test_mse_loss(shapes, reduction, dtype, seed, kind):
    rng = np.random.default_rng(seed)
    a, b = (layout(values(rng, s, dtype), kind) for s in shapes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, a, b: F(T).mse_loss(a, b, reduction=reduction), a, b)


@pytest.mark.parametrize("shapes", [((3, 1), (3,)), ((2, 3), (3,)), ((3,), (3,))])
def test_mse_loss_broadcast_warning(shapes):
    caught = {}
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as c:
            warnings.simplefilter("always")
            F(lib).mse_loss(lib.ones(shapes[0]), lib.ones(shapes[1]))
        caught[lib] = [(w.category, str(w.message)) for w in c]
    assert caught[minitorch] == [(c, torch_name(m)) for c, m in caught[torch]]


@pytest.mark.parametrize("size_average, reduce", [(False, None), (None, False), (True, True)])
def test_legacy_reduction_flags(size_average, reduce):
    """size_average/reduce fold into a reduction, with torch's deprecation warning."""
    a, b = np.random.default_rng(0).standard_normal((2, 3, 2))
    t = np.array([0, 1, 1])
    caught = {}
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as c:
            warnings.simplefilter("always")
            F(lib).mse_loss(lib.ones(2), lib.ones(2), size_average=size_average, reduce=reduce)
        caught[lib] = [(w.category, str(w.message)) for w in c]
    assert caught[minitorch] == caught[torch]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, a, b: F(T).mse_loss(a, b, size_average=size_average, reduce=reduce), a, b)
        check(lambda T, a, t: F(T).nll_loss(a, t, size_average=size_average, reduce=reduce), a, t)
        check(lambda T, a, t: F(T).cross_entropy(a, t, None, size_average, reduce=reduce), a, t)


# ---- nll_loss and cross_entropy ---------------------------------------------------------------

@st.composite
def class_cases(draw, probabilities=False):
    """(logits, target, kwargs): 1-D, 2-D or N x C x d1 x d2 logits, class-index targets
    (some equal to ignore_index; sometimes all of them) or class probabilities, with
    weight, reduction and label_smoothing drawn; logits sometimes huge (±1e4)."""
    dtype = draw(st.sampled_from(FLOATS))
    c = draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["1d", "2d", "4d"]))
    n = draw(st.integers(0 if kind == "2d" else 1, 3))
    shape = {"1d": (c,), "2d": (n, c), "4d": (n, c, 2, draw(st.integers(1, 2)))}[kind]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-3, 3, size=shape) * draw(st.sampled_from([1.0, 1e4]))
    kw = dict(reduction=draw(st.sampled_from(REDUCTIONS)))
    if draw(st.booleans()):
        kw["weight"] = rng.uniform(0.1, 2.0, size=c).astype(dtype)
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    if probabilities:
        t = rng.uniform(0, 1, size=shape)
        t = (t / t.sum(axis=0 if kind == "1d" else 1, keepdims=True)).astype(dtype)
    else:
        t = rng.integers(0, c, size=target_shape)
        ignore = draw(st.sampled_from([None, -100, 0, "all"]))
        if ignore == "all":
            kw["ignore_index"] = 1
            t = np.full(target_shape, 1)
        elif ignore is not None:
            kw["ignore_index"] = ignore
            t = np.where(rng.random(target_shape) < 0.3, ignore, t)
        t = np.asarray(t, dtype=np.int64)
    return x.astype(dtype), t, kw


def _weighted(fn, kw):
    """fn(T, x, t, kw) with the weight (if any) made a tensor of T (no gradient)."""
    w = kw.get("weight")
    def run(T, x, t):
        k = dict(kw)
        if w is not None:
            k["weight"] = T.from_numpy(w.copy())
        return fn(T, x, t, k)
    return run


@given(class_cases())
def test_nll_loss(case):
    x, t, kw = case
    check(_weighted(lambda T, x, t, k: F(T).nll_loss(x, t, **k), kw), x, t)


@given(class_cases(), st.sampled_from([0.0, 0.1, 0.5, 1.0, -0.1]))  # torch: -0.1 is 0
def test_cross_entropy_class_indices(case, smoothing):
    x, t, kw = case
    check(_weighted(lambda T, x, t, k: F(T).cross_entropy(x, t, **k, label_smoothing=smoothing),
                    kw), x, t)


@given(class_cases(probabilities=True), st.sampled_from([0.0, 0.2]))
def test_cross_entropy_probabilities(case, smoothing):
    x, t, kw = case
    check(_weighted(lambda T, x, t, k: F(T).cross_entropy(x, t, **k, label_smoothing=smoothing),
                    kw), x, t)


def test_cross_entropy_all_ignored_mean_is_nan():
    x = np.random.default_rng(0).standard_normal((3, 4))
    t = np.array([2, 2, 2])
    out = check(lambda T, x, t: F(T).cross_entropy(x, t, ignore_index=2), x, t)
    assert np.isnan(out.item())
    check(lambda T, x, t: F(T).nll_loss(x, t, ignore_index=2), x, t)


def test_nll_loss_1d_input_with_one_target():
    """A 1-element target for a 1-D input: torch computes it (its backward then fails)."""
    x = np.random.default_rng(0).standard_normal(4)
    for reduction in REDUCTIONS:
        check(lambda T, x, t: F(T).nll_loss(x, t, reduction=reduction), x, np.array([2]),
              requires_grad=False)


def test_byte_targets():
    x, t = np.random.default_rng(0).standard_normal((3, 4)), np.array([0, 3, 1], dtype=np.uint8)
    check(lambda T, x, t: (F(T).nll_loss(x, t), F(T).cross_entropy(x, t, reduction="none")), x, t)


def test_cross_entropy_huge_logits_are_finite():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3]])
    t = np.array([1, 1])
    out = check(lambda T, x, t: F(T).cross_entropy(x, t, reduction="none"), x, t)
    assert np.isfinite(out.detach().numpy()).all()


def test_cross_entropy_graph():
    x, t = np.random.default_rng(0).standard_normal((3, 4)), np.array([0, 3, 1])
    same_structure(lambda T, x, t: F(T).cross_entropy(x, t), x, t)
    same_structure(lambda T, x, t: F(T).nll_loss(x, t), x, t)
    same_structure(lambda T, x, t: F(T).mse_loss(x, x.detach()), x, t)


# ---- bad input ------------------------------------------------------------------------------

def _conv(x_shape, w_shape, b_shape=None, dtype=None, **kw):
    def f(lib):
        x = lib.ones(x_shape)
        w = lib.ones(w_shape, dtype=dtype) if dtype else lib.ones(w_shape)
        b = None if b_shape is None else lib.ones(b_shape)
        F(lib).conv2d(x, w, b, **kw)
    return f


CONV_ERRORS = {
    "channels": _conv((4, 1, 32, 32), (6, 3, 5, 5)),
    "channels_groups": _conv((1, 4, 8, 8), (6, 3, 3, 3), groups=2),
    "2d_input": _conv((8, 8), (1, 1, 3, 3)),
    "5d_input": _conv((1, 1, 1, 8, 8), (1, 1, 3, 3)),
    "kernel_too_big": _conv((1, 1, 4, 4), (1, 1, 5, 5)),
    "kernel_too_big_dilated": _conv((1, 1, 4, 4), (1, 1, 3, 3), dilation=2),
    "bias_size": _conv((1, 1, 8, 8), (2, 1, 3, 3), (3,)),
    "dtype": _conv((1, 1, 8, 8), (2, 1, 3, 3), dtype=minitorch.float64),
    "stride0": _conv((1, 1, 8, 8), (2, 1, 3, 3), stride=0),
    "negative_padding": _conv((1, 1, 8, 8), (2, 1, 3, 3), padding=-1),
    "bad_padding_string": _conv((1, 1, 8, 8), (2, 1, 3, 3), padding="full"),
    "same_strided": _conv((1, 1, 8, 8), (2, 1, 3, 3), padding="same", stride=2),
    "stride_triple": _conv((1, 1, 8, 8), (2, 1, 3, 3), stride=(1, 1, 1)),
    "channels_unbatched": _conv((1, 32, 32), (6, 3, 5, 5)),
    "weight_3d": _conv((1, 1, 8, 8), (2, 1, 3)),
    "weight_5d": _conv((1, 1, 8, 8), (2, 1, 3, 3, 1)),
    "weight_2d": _conv((1, 1, 8, 8), (2, 1)),
    "dilation_list": _conv((1, 1, 8, 8), (2, 1, 3, 3), dilation=[1, 1, 1]),
}


@pytest.mark.parametrize("name", list(CONV_ERRORS))
def test_conv2d_errors(name):
    f = CONV_ERRORS[name]
    if name == "dtype":   # the dtype is an object of each library
        def f(lib):
            F(lib).conv2d(lib.ones(1, 1, 8, 8), lib.ones(2, 1, 3, 3, dtype=lib.float64))
    same_error(f)


def _pool(fn, x_shape, *args, **kw):
    return lambda lib: getattr(F(lib), fn)(lib.ones(x_shape), *args, **kw)


POOL_ERRORS = {
    "max_2d_input": _pool("max_pool2d", (4, 4), 2),
    "max_5d_input": _pool("max_pool2d", (1, 1, 1, 4, 4), 2),
    "max_empty": _pool("max_pool2d", (1, 0, 4, 4), 2),
    "max_padding": _pool("max_pool2d", (1, 1, 8, 8), 2, 2, 2),
    "max_padding_dilated": _pool("max_pool2d", (1, 1, 8, 8), 3, 1, 2, 2),
    "max_padding_effective": _pool("max_pool2d", (1, 1, 8, 8), 3, 1, 3, 1),
    "max_too_small": _pool("max_pool2d", (1, 1, 2, 2), 3),
    "max_stride0": _pool("max_pool2d", (1, 1, 8, 8), 2, 0),
    "max_kernel0": _pool("max_pool2d", (1, 1, 8, 8), 0),
    "max_negative_padding": _pool("max_pool2d", (1, 1, 8, 8), 2, 1, -1),
    "max_dilation0": _pool("max_pool2d", (1, 1, 8, 8), 2, 1, 0, 0),
    "max_negative_stride": _pool("max_pool2d", (1, 1, 8, 8), 2, -1),
    "avg_2d_input": _pool("avg_pool2d", (4, 4), 2),
    "avg_1d_input": _pool("avg_pool2d", (4,), 2),
    "avg_5d_input": _pool("avg_pool2d", (1, 1, 1, 4, 4), 2),
    "avg_empty": _pool("avg_pool2d", (1, 0, 4, 4), 2),
    "avg_padding": _pool("avg_pool2d", (1, 1, 8, 8), 2, 2, 2),
    "avg_too_small": _pool("avg_pool2d", (1, 1, 2, 2), 3),
    "avg_stride0": _pool("avg_pool2d", (1, 1, 8, 8), 2, 0),
    "avg_divisor0": _pool("avg_pool2d", (1, 1, 8, 8), 2, divisor_override=0),
}


@pytest.mark.parametrize("name", list(POOL_ERRORS))
def test_pool_errors(name):
    same_error(POOL_ERRORS[name])


def _loss(fn, x, t, **kw):
    def f(lib):
        k = dict(kw)
        if "weight" in k:
            k["weight"] = lib.ones(k["weight"])
        getattr(F(lib), fn)(lib.zeros(x), lib.tensor(t), **k)
    return f


LOSS_ERRORS = {
    "target_too_big": _loss("cross_entropy", (2, 3), [0, 3]),
    "target_negative": _loss("nll_loss", (2, 3), [-1, 0]),
    "target_too_big_4d": _loss("cross_entropy", (1, 3, 2, 1), [[[0], [5]]]),
    "float_target": _loss("nll_loss", (2, 3), [0.0, 1.0]),
    "float_target_ce": _loss("cross_entropy", (2, 3), [0.0, 1.0]),
    "batch_mismatch": _loss("cross_entropy", (2, 3), [0, 1, 2]),
    "batch_mismatch_nll": _loss("nll_loss", (2, 3), [0]),
    "target_shape_4d": _loss("cross_entropy", (2, 3, 2, 2), [[0, 1], [1, 0]]),
    "multi_target": _loss("nll_loss", (2, 3), [[0], [1]]),
    "bad_reduction": _loss("cross_entropy", (2, 3), [0, 1], reduction="avg"),
    "bad_reduction_mse": lambda lib: F(lib).mse_loss(lib.ones(2), lib.ones(2), reduction="x"),
    "bad_smoothing": _loss("cross_entropy", (2, 3), [0, 1], label_smoothing=1.5),
    "weight_size": _loss("cross_entropy", (2, 3), [0, 1], weight=(2,)),
    "weight_size_nll": _loss("nll_loss", (2, 3), [0, 1], weight=(4,)),
    "weight_size_probabilities": lambda lib: F(lib).cross_entropy(
        lib.zeros(2, 3), lib.ones(2, 3) / 3, weight=lib.ones(2)),
    "probabilities_shape": lambda lib: F(lib).cross_entropy(lib.zeros(2, 3), lib.ones(2, 4)),
    "nll_0d_input": _loss("nll_loss", (), 0),
    "target_shape_3d": _loss("cross_entropy", (2, 3, 2), [[0], [1]]),
    "target_size_4d": _loss("nll_loss", (2, 3, 2, 2), [[[0, 1]], [[1, 0]]]),
    "target_shape_5d": _loss("nll_loss", (1, 3, 2, 2, 1), [[[0, 1]]]),
    "target_size_1d_input": _loss("nll_loss", (3,), [0, 1]),
    "no_classes": _loss("cross_entropy", (2, 0), [0, 0]),
    "int32_target": lambda lib: F(lib).nll_loss(lib.zeros(2, 3), lib.tensor([0, 1], dtype=lib.int32)),
    "weight_dtype": lambda lib: F(lib).nll_loss(lib.zeros(2, 3), lib.tensor([0, 1]),
                                                weight=lib.ones(3, dtype=lib.float64)),
    "integer_probabilities": lambda lib: F(lib).cross_entropy(lib.zeros(2, 3), lib.ones(2, 3).long()),
    "ignore_index_probabilities": lambda lib: F(lib).cross_entropy(
        lib.zeros(2, 3), lib.ones(2, 3) / 3, ignore_index=0),
}


@pytest.mark.parametrize("name", list(LOSS_ERRORS))
def test_loss_errors(name):
    same_error(LOSS_ERRORS[name])


def test_dropout_bad_probability():
    same_error(lambda lib: F(lib).dropout(lib.ones(3), 1.5))
    same_error(lambda lib: F(lib).dropout(lib.ones(3), -0.1, training=False))


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (2, 3, 4, 5), (2, 3, 2, 2, 2)])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_nll_loss_graph_by_rank(shape, reduction):
    """torch's nll_loss_nd: 4-D input is NllLoss2DBackward0; 3-D and 5-D go through it as
    (N, C, 1, L) views."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    t = rng.integers(0, 3, (shape[0],) + shape[2:])
    same_structure(lambda T, x, t: F(T).nll_loss(x, t, reduction=reduction), x, t)
    check(lambda T, x: F(T).nll_loss(x, T.from_numpy(t), reduction=reduction), x)


def test_dropout_graph_lists_the_mask():
    x = np.ones((3, 4))
    same_structure(lambda T, x: F(T).dropout(x, 0.5), x)
    same_structure(lambda T, x: F(T).dropout(x.clone(), 0.5, inplace=True), x)


def test_softmax_at_the_top_level():
    check(lambda T, a: (T.softmax(a, 1), T.log_softmax(a, dim=0)), np.arange(6.0).reshape(2, 3))
