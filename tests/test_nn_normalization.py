"""Batch norm, layer norm, embedding and adaptive pooling against torch.

Every parity test runs the same call in minitorch and in torch (tests/parity.py): values,
dtypes, shapes and every input's gradient under a random upstream gradient, float64 to
1e-10 and float32 to 1e-5, over shapes, layouts and options drawn by hypothesis. Batch
norm is also run as torch users run it, as layers stepped through training and evaluation:
the running estimates, num_batches_tracked and the state_dict (keys, dtypes, both ways
through load_state_dict and .pth files) must stay torch's. Graphs must show torch's node
names; bad input must raise torch's error type with torch's message (`same_error`).
"""
import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings, strategies as st

import minitorch
from parity import (FLOATS, LAYOUTS, assert_close, check, floats_array, layout, leaves,
                    same_error, to_minitorch, to_torch, torch_name)
from test_nn_functional import structure

LIBS = (minitorch, torch)


def F(lib):
    return lib.nn.functional


def same_graph(fn, *arrays):
    """fn(lib, *leaves) builds graphs with the same node names, inputs and order."""
    graphs = []
    for lib in LIBS:
        leaves = [lib.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f") for a in arrays]
        out = fn(lib, *leaves)
        graphs.append(structure((out[0] if isinstance(out, tuple) else out).grad_fn))
    assert graphs[0] == graphs[1]
    return graphs[0]


def torch_agrees_with_itself(fn, *arrays):
    """torch's gradients for these inputs equal its gradients for contiguous copies of them.

    Not always so: torch's batch norm backward misplaces the gradient of a 4-D input with a
    batch of one and a plane of one row or column laid out transposed (strides (1, 1, 2, 2)
    for shape (1, 2, 1, 2): channels-last by torch's test). Such draws are not compared."""
    grads = []
    for copies in (arrays, [a if a is None else np.ascontiguousarray(a) for a in arrays]):
        inputs = leaves(copies)[1]
        out = fn(torch, *inputs)
        out.backward(torch.from_numpy(np.linspace(-1, 1, out.numel()).reshape(out.shape)))
        grads.append([t.grad for t in inputs if isinstance(t, torch.Tensor)])
    return all(torch.allclose(a, b, equal_nan=True) for a, b in zip(*grads) if a is not None)


def same_repr(build):
    assert repr(build(minitorch)) == torch_name(repr(build(torch)))


def same_state(ours, theirs):
    """Two state_dicts with the same keys in the same order, dtypes, shapes and values."""
    assert list(ours) == list(theirs)
    for key in theirs:
        assert_close(ours[key], theirs[key], what=key)


@st.composite
def arrays(draw, shape, dtype, low=-3.0, high=3.0):
    return layout(draw(floats_array(shape, dtype, low, high)), draw(LAYOUTS))


# ---- batch norm: the function -------------------------------------------------------------

@st.composite
def batch_norm_cases(draw):
    """(x, weight, bias, running mean, running var): 2-D to 5-D inputs with more than one
    value per channel; weight and bias each present or not."""
    dtype = draw(st.sampled_from(FLOATS))
    ndim = draw(st.integers(2, 5))
    channels = draw(st.integers(1, 3))
    rest = tuple(draw(st.integers(1, 3)) for _ in range(ndim - 2))
    batch = draw(st.integers(1 if np.prod(rest) > 1 else 2, 3))
    x = draw(arrays((batch, channels) + rest, dtype))
    weight = draw(st.none() | arrays((channels,), dtype))
    bias = draw(st.none() | arrays((channels,), dtype))
    mean = draw(arrays((channels,), dtype))
    var = draw(arrays((channels,), dtype, 0.1, 3.0))
    return x, weight, bias, mean, var


@given(batch_norm_cases(), st.booleans(), st.sampled_from([0.1, 0.0, 1.0, 0.37]),
       st.sampled_from([1e-5, 1e-3, 0.5]))
def test_batch_norm_training(case, tracked, momentum, eps):
    """The batch's statistics, gradients through them, and the running estimates moved
    toward them (with the unbiased variance) in place."""
    x, weight, bias, mean, var = case
    running = {}

    def fn(T, x, w, b):
        stats = (T.from_numpy(mean.copy()), T.from_numpy(var.copy())) if tracked else (None,) * 2
        running[T] = stats
        return F(T).batch_norm(x, *stats, w, b, training=True, momentum=momentum, eps=eps)
    assume(torch_agrees_with_itself(fn, x, weight, bias))
    running.clear()
    check(fn, x, weight, bias)
    if tracked:
        for ours, theirs in zip(running[minitorch], running[torch]):
            assert_close(ours, theirs)


@given(batch_norm_cases(), st.sampled_from([1e-5, 0.0, 0.5]))
def test_batch_norm_evaluation(case, eps):
    """The running estimates as constants: gradients to x, weight and bias only."""
    x, weight, bias, mean, var = case

    def fn(T, x, w, b):
        return F(T).batch_norm(x, T.from_numpy(mean.copy()), T.from_numpy(var.copy()), w, b,
                               eps=eps)
    assume(torch_agrees_with_itself(fn, x, weight, bias))
    check(fn, x, weight, bias)


@pytest.mark.parametrize("wanted", ["x", "w", "b", "wb"])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_some_gradients(wanted, training):
    """Only the operands that require a gradient get one."""
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((3, 2, 4)), rng.standard_normal(2), rng.standard_normal(2)
    pick = lambda t, name: t if name in wanted else t.detach()
    check(lambda T, x, w, b: F(T).batch_norm(pick(x, "x"), T.zeros(2, dtype=T.float64),
                                             T.ones(2, dtype=T.float64),
                                             pick(w, "w"), pick(b, "b"), training), x, w, b)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_hard_values(training):
    """A constant channel (variance 0: only eps keeps it finite), huge values, a nan (it
    spreads over its channel) and infinities."""
    x = np.array([[[5.0, 5.0, 5.0], [1e150, -1e150, 3e149], [np.nan, 1.0, 2.0],
                   [np.inf, 1.0, 0.0]]] * 2)
    x[1] += 1.0
    x[1, 0] = 5.0
    weight, bias = np.array([1.0, 2.0, -1.0, 0.5]), np.array([0.0, 1.0, 2.0, 3.0])
    check(lambda T, x, w, b: F(T).batch_norm(x, T.zeros(4, dtype=T.float64),
                                             T.ones(4, dtype=T.float64), w, b, training),
          x, weight, bias)


def test_batch_norm_float16_with_float32_parameters():
    """torch's one mix of dtypes: a float16 input, float32 parameters; a float16 output."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 2)).astype(np.float16)
    w, b = rng.standard_normal(3).astype(np.float32), rng.standard_normal(3).astype(np.float32)
    check(lambda T, x, w, b: F(T).batch_norm(x, T.zeros(3), T.ones(3), w, b, True), x, w, b,
          rtol=2e-3)


@pytest.mark.parametrize("shape", [(0, 3, 2), (2, 3, 0), (0,)])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_of_no_values(shape, affine):
    """torch's path for an empty input: a copy times weight[0] plus bias[0] (so the graph
    reaches the parameters), and the running estimates stay as they are."""
    w, b = np.array([2.0, 3.0, 4.0]), np.array([1.0, 0.0, 0.0])
    fn = lambda T, x, w, b: F(T).batch_norm(x, None, None, w if affine else None,
                                            b if affine else None, training=True)
    check(fn, np.ones(shape), w, b)
    same_graph(fn, np.ones(shape), w, b)


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_graph(affine, training):
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((2, 3, 2)), rng.standard_normal(3), rng.standard_normal(3)
    graph = same_graph(lambda T, x, w, b: F(T).batch_norm(
        x, T.zeros(3, dtype=T.float64), T.ones(3, dtype=T.float64), w if affine else None,
        b if affine else None, training), x, w, b)
    assert graph[0] == "NativeBatchNormBackward0"


def _bn(shape, training=True, stats=3, weight=None, bias=None, dtype=None, params=None, **kw):
    """batch_norm of ones(shape) with running estimates of `stats` values (None: none)."""
    def f(lib):
        make = lambda n, fill: None if n is None else lib.full((n,), fill, dtype=params)
        x = lib.ones(shape, dtype=dtype)
        return F(lib).batch_norm(x, make(stats, 0.0), make(stats, 1.0), make(weight, 1.0),
                                 make(bias, 0.0), training, **kw)
    return f


BATCH_NORM_ERRORS = {
    "one_value_per_channel": _bn((1, 3)),
    "one_value_per_channel_3d": _bn((1, 3, 1)),
    "one_value_per_channel_4d": _bn((1, 3, 1, 1)),
    "0d_training": _bn(()),
    "1d_training": _bn((4,)),
    "1d_evaluation": _bn((4,), training=False),
    "1d_evaluation_no_stats": _bn((4,), training=False, stats=None),
    "1d_evaluation_empty_stats": _bn((4,), training=False, stats=0),
    "1d_weight": _bn((4,), stats=None, weight=4),
    "eps_zero_training": _bn((2, 3), eps=0.0),
    "eps_negative_evaluation": _bn((2, 3), training=False, eps=-1.0),
    "momentum_none": _bn((2, 3), momentum=None),
    "running_mean_length": _bn((2, 3), stats=4),
    "running_mean_length_evaluation": _bn((2, 3), training=False, stats=2),
    "weight_length": _bn((2, 3), weight=4),
    "bias_length": _bn((2, 3), stats=None, bias=2),
    "evaluation_without_stats": _bn((2, 3), training=False, stats=None),
    "evaluation_without_var": lambda lib: F(lib).batch_norm(lib.ones(2, 3), lib.zeros(3), None),
    "evaluation_without_mean": lambda lib: F(lib).batch_norm(lib.ones(2, 3), None, lib.ones(3)),
    "training_without_mean": lambda lib: F(lib).batch_norm(lib.ones(2, 3), None, lib.ones(3),
                                                           training=True),
    "integer_input": _bn((2, 3), dtype="int64", stats=None),
    "double_input_float_parameters": _bn((2, 3), dtype="float64", weight=3, bias=3),
    "float_input_double_parameters": _bn((2, 3), weight=3, bias=3, params="float64"),
    "float_input_double_stats": _bn((2, 3), params="float64"),
    "half_input_double_parameters": _bn((2, 3), dtype="float16", weight=3, params="float64"),
    "integer_input_float_stats": _bn((2, 3), dtype="int64"),
    "float_weight_double_bias": lambda lib: F(lib).batch_norm(
        lib.ones(2, 3), None, None, lib.ones(3), lib.zeros(3, dtype=lib.float64), True),
    "half_weight_float_bias": lambda lib: F(lib).batch_norm(
        lib.ones(2, 3, dtype=lib.float16), None, None, lib.ones(3, dtype=lib.float16),
        lib.zeros(3), True),
    "empty_channels_select": _bn((2, 0), stats=None, weight=0),
    "module_2d_of_3d": lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(3, 4, 5)),
    "module_1d_of_4d": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)),
    "module_1d_one_value": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)),
    "module_3d_of_4d": lambda lib: lib.nn.BatchNorm3d(3)(lib.ones(2, 3, 4, 5)),
    "module_channels": lambda lib: lib.nn.BatchNorm2d(4)(lib.ones(2, 3, 4, 5)),
    "module_channels_untracked": lambda lib: lib.nn.BatchNorm2d(
        4, track_running_stats=False)(lib.ones(2, 3, 4, 5)),
}


@pytest.mark.parametrize("name", list(BATCH_NORM_ERRORS))
def test_batch_norm_errors(name):
    def f(lib):
        dtype = {"int64": lib.int64, "float64": lib.float64, "float16": lib.float16}
        return BATCH_NORM_ERRORS[name](_Lib(lib, dtype))
    same_error(f)


class _Lib:
    """lib with dtype names resolved ('float64' -> lib.float64), for the tables above."""

    def __init__(self, lib, names):
        self._lib, self._names = lib, names

    def __getattr__(self, name):
        attr = getattr(self._lib, name)
        if name in ("ones", "zeros", "full"):
            def make(*args, dtype=None, **kw):
                return attr(*args, dtype=self._names.get(dtype, dtype), **kw)
            return make
        return attr


# ---- batch norm: the layers ----------------------------------------------------------------

def run_steps(lib, layer, inputs, train_steps):
    """Step `layer` through training on inputs[:train_steps] (the backward of each output's
    sum included), then evaluation on the rest; every output, and the layer's state."""
    outputs = []
    for i, x in enumerate(inputs):
        layer.train(i < train_steps)
        t = lib.from_numpy(x.copy()).requires_grad_()
        out = layer(t)
        (out * lib.from_numpy(np.linspace(-1, 1, out.numel()).reshape(out.shape))).sum().backward()
        outputs += [out, t.grad]
    return outputs, layer.state_dict(), [p.grad for p in layer.parameters()]


LAYER_CASES = {
    "2d": ("BatchNorm2d", (3, 2, 3, 4), {}),
    "2d_cumulative": ("BatchNorm2d", (2, 3, 2, 2), dict(momentum=None)),
    "2d_not_affine": ("BatchNorm2d", (2, 3, 2, 2), dict(affine=False)),
    "2d_no_bias": ("BatchNorm2d", (2, 3, 2, 2), dict(bias=False)),
    "2d_untracked": ("BatchNorm2d", (2, 3, 2, 2), dict(track_running_stats=False)),
    "2d_bare": ("BatchNorm2d", (2, 3, 2, 2), dict(affine=False, track_running_stats=False)),
    "2d_eps_momentum": ("BatchNorm2d", (2, 3, 2, 2), dict(eps=0.1, momentum=0.5)),
    "1d_2d_input": ("BatchNorm1d", (5, 3), {}),
    "1d_3d_input": ("BatchNorm1d", (2, 3, 4), dict(momentum=None)),
    "3d": ("BatchNorm3d", (2, 2, 2, 3, 2), {}),
}


@pytest.mark.parametrize("name", list(LAYER_CASES))
@pytest.mark.parametrize("dtype", FLOATS)
def test_batch_norm_layers_over_steps(name, dtype):
    """Four training steps then two in evaluation: outputs, input and parameter gradients,
    running estimates and num_batches_tracked, step by step as torch's."""
    kind, shape, options = LAYER_CASES[name]
    rng = np.random.default_rng(4)
    inputs = [(rng.standard_normal(shape) * (i + 1) + i).astype(dtype) for i in range(6)]
    results = []
    for lib in LIBS:
        layer = getattr(lib.nn, kind)(shape[1], **options).to(getattr(lib, np.dtype(dtype).name))
        results.append(run_steps(lib, layer, inputs, train_steps=4))
    (ours, our_state, our_grads), (theirs, their_state, their_grads) = results
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert_close(o, t, what=f"output {i}")
    same_state(our_state, their_state)
    for o, t in zip(our_grads, their_grads):
        assert_close(o, t)


def test_batch_norm_layer_evaluation_without_estimates():
    """With the running estimates removed, evaluation normalizes with the batch's own."""
    x = np.random.default_rng(5).standard_normal((4, 2, 3)).astype(np.float32)
    outs = []
    for lib in LIBS:
        layer = lib.nn.BatchNorm1d(2).eval()
        layer.running_mean = layer.running_var = None
        outs.append(layer(lib.from_numpy(x.copy())))
    assert_close(*outs)


@pytest.mark.parametrize("options", [{}, dict(momentum=None), dict(affine=False),
                                     dict(bias=False), dict(track_running_stats=False),
                                     dict(eps=1e-3, momentum=0.01)])
@pytest.mark.parametrize("kind", ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"])
def test_batch_norm_layer_repr_and_state(kind, options):
    build = lambda lib: getattr(lib.nn, kind)(4, **options)
    same_repr(build)
    ours, theirs = build(minitorch), build(torch)
    same_state(ours.state_dict(), theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for name in ("running_mean", "running_var", "num_batches_tracked", "weight", "bias"):
        assert (getattr(ours, name) is None) == (getattr(theirs, name) is None)


def test_batch_norm_layer_dtype_and_defaults():
    for lib in LIBS:
        layer = lib.nn.BatchNorm2d(3, dtype=lib.float64)
        assert str(layer.num_batches_tracked.dtype).endswith("int64")
        assert str(layer.running_mean.dtype).endswith("float64")
        assert not layer.running_mean.requires_grad
        layer.double()  # a cast leaves the count an integer
        assert str(layer.num_batches_tracked.dtype).endswith("int64")


def test_batch_norm_state_dict_round_trips(tmp_path):
    """A trained layer's state moves both ways: through load_state_dict and .pth files,
    with torch's keys and dtypes (num_batches_tracked an int64 scalar)."""
    rng = np.random.default_rng(6)
    layers = {lib: lib.nn.BatchNorm2d(3) for lib in LIBS}
    theirs = layers[torch]
    theirs(torch.from_numpy(rng.standard_normal((4, 3, 2, 2)).astype(np.float32)))
    theirs(torch.from_numpy(rng.standard_normal((4, 3, 2, 2)).astype(np.float32)))
    with torch.no_grad():
        theirs.weight.mul_(2)
    result = layers[minitorch].load_state_dict(to_minitorch(dict(theirs.state_dict())))
    assert repr(result) == "<All keys matched successfully>"
    same_state(layers[minitorch].state_dict(), theirs.state_dict())
    minitorch.save(layers[minitorch].state_dict(), tmp_path / "ours.pth")
    fresh = torch.nn.BatchNorm2d(3)
    fresh.load_state_dict(torch.load(tmp_path / "ours.pth"))
    same_state(layers[minitorch].state_dict(), fresh.state_dict())
    torch.save(theirs.state_dict(), tmp_path / "theirs.pth")
    loaded = minitorch.load(tmp_path / "theirs.pth")
    same_state(loaded, theirs.state_dict())
    back = minitorch.nn.BatchNorm2d(3)
    back.load_state_dict(loaded)
    same_state(back.state_dict(), theirs.state_dict())
    assert to_torch(back.state_dict())["num_batches_tracked"].dtype == torch.int64


def test_batch_norm_loads_a_state_without_num_batches_tracked():
    """An old checkpoint (no num_batches_tracked) loads, keeping the count, as in torch."""
    results = []
    for lib in LIBS:
        layer = lib.nn.BatchNorm1d(2)
        layer(lib.ones(3, 2))
        state = {k: v for k, v in layer.state_dict().items() if k != "num_batches_tracked"}
        fresh = lib.nn.BatchNorm1d(2)
        results.append((repr(fresh.load_state_dict(state)), fresh.state_dict()))
    assert results[0][0] == results[1][0]
    same_state(results[0][1], results[1][1])


def test_batch_norm_buffers_move_without_a_version_bump():
    """torch's kernel writes the running estimates directly: their version stays; the
    count's add_ bumps its own."""
    versions = []
    for lib in LIBS:
        layer = lib.nn.BatchNorm1d(2)
        before = [b._version for b in layer.buffers()]
        layer(lib.ones(3, 2))
        versions.append([b._version - v for b, v in zip(layer.buffers(), before)])
    assert versions[0] == versions[1]


# ---- layer norm ---------------------------------------------------------------------------

@st.composite
def layer_norm_cases(draw):
    dtype = draw(st.sampled_from(FLOATS))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    count = draw(st.integers(1, len(shape)))
    normalized = shape[len(shape) - count:]
    x = draw(arrays(shape, dtype))
    weight = draw(st.none() | arrays(normalized, dtype))
    bias = draw(st.none() | arrays(normalized, dtype))
    as_list = draw(st.booleans())
    return x, list(normalized) if as_list else normalized, weight, bias


@given(layer_norm_cases(), st.sampled_from([1e-5, 1e-2, 0.0]))
def test_layer_norm(case, eps):
    x, normalized, weight, bias = case
    check(lambda T, x, w, b: F(T).layer_norm(x, normalized, w, b, eps), x, weight, bias)


@pytest.mark.parametrize("wanted", ["x", "w", "b", "wb"])
def test_layer_norm_some_gradients(wanted):
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((3, 2, 4)), rng.standard_normal(4), rng.standard_normal(4)
    pick = lambda t, name: t if name in wanted else t.detach()
    check(lambda T, x, w, b: F(T).layer_norm(pick(x, "x"), (4,), pick(w, "w"), pick(b, "b")),
          x, w, b)


def test_layer_norm_hard_values():
    """A constant row (only eps keeps it finite), huge values, nan and inf in a row."""
    x = np.array([[5.0, 5.0, 5.0], [1e150, -1e150, 3e149], [np.nan, 1.0, 2.0],
                  [np.inf, 1.0, 0.0]])
    check(lambda T, x, w: F(T).layer_norm(x, (3,), w), x, np.array([1.0, -2.0, 0.5]))


@pytest.mark.parametrize("shape, normalized", [((0, 4), (4,)), ((2, 0), (0,))])
def test_layer_norm_of_no_values(shape, normalized):
    check(lambda T, x, w, b: F(T).layer_norm(x, normalized, w, b), np.ones(shape),
          np.ones(normalized), np.zeros(normalized))


def test_layer_norm_float16_with_float32_parameters():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((4, 3)).astype(np.float16)
    w, b = rng.standard_normal(3).astype(np.float32), rng.standard_normal(3).astype(np.float32)
    check(lambda T, x, w, b: F(T).layer_norm(x, (3,), w, b), x, w, b, rtol=2e-3)


@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm_graph(affine):
    rng = np.random.default_rng(9)
    x, w, b = rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal(3)
    graph = same_graph(lambda T, x, w, b: F(T).layer_norm(
        x, (3,), w if affine else None, b if affine else None), x, w, b)
    assert graph[0] == "NativeLayerNormBackward0"


@pytest.mark.parametrize("options", [{}, dict(eps=1e-3), dict(elementwise_affine=False),
                                     dict(bias=False)])
@pytest.mark.parametrize("shape", [4, (2, 4), [3, 2, 4]])
def test_layer_norm_layer(shape, options):
    """The layer: repr, state_dict, and a training step's output and gradients."""
    build = lambda lib: lib.nn.LayerNorm(shape, **options)
    same_repr(build)
    normalized = (shape,) if isinstance(shape, int) else tuple(shape)
    x = np.random.default_rng(10).standard_normal((2,) + normalized)
    results = []
    for lib in LIBS:
        layer = build(lib)
        out = layer(lib.from_numpy(x.copy()).float().requires_grad_())
        (out * out).sum().backward()
        results.append((out, layer.state_dict(), [p.grad for p in layer.parameters()]))
    assert_close(results[0][0], results[1][0])
    same_state(results[0][1], results[1][1])
    for o, t in zip(results[0][2], results[1][2]):
        assert_close(o, t)


def _ln(shape, normalized, weight=None, bias=None, dtype=None, params=None):
    def f(lib):
        make = lambda s: None if s is None else lib.ones(s, dtype=params)
        return F(lib).layer_norm(lib.ones(shape, dtype=dtype), normalized, make(weight),
                                 make(bias))
    return f


LAYER_NORM_ERRORS = {
    "int_shape": _ln((2, 3), 3),
    "bool_shape": _ln((2, 3), True),
    "float_in_shape": _ln((2, 3), (2.0, 3)),
    "float_later_in_shape": _ln((2, 3), (2, 3.0)),
    "wrong_shape": _ln((2, 3), (4,)),
    "wrong_shape_2d": _ln((2, 3, 4), (2, 4)),
    "shape_longer_than_input": _ln((2, 3), (1, 2, 3)),
    "empty_shape": _ln((2, 3), ()),
    "0d_input": _ln((), ()),
    "negative_shape": _ln((2, 3), (-3,)),
    "weight_shape": _ln((2, 3), (3,), weight=(2,)),
    "weight_2d": _ln((2, 3), (3,), weight=(1, 3)),
    "bias_shape": _ln((2, 3), (3,), bias=(4,)),
    "weight_before_input": _ln((2, 3), (5,), weight=(4,)),
    "integer_input": _ln((2, 3), (3,), dtype="int64"),
    "double_parameters": _ln((2, 3), (3,), weight=(3,), params="float64"),
    "double_input_float_parameters": _ln((2, 3), (3,), weight=(3,), dtype="float64"),
    "module_wrong_shape": lambda lib: lib.nn.LayerNorm(5)(lib.ones(2, 3)),
    "module_negative": lambda lib: lib.nn.LayerNorm(-1),
}


@pytest.mark.parametrize("name", list(LAYER_NORM_ERRORS))
def test_layer_norm_errors(name):
    def f(lib):
        dtype = {"int64": lib.int64, "float64": lib.float64}
        return LAYER_NORM_ERRORS[name](_Lib(lib, dtype))
    same_error(f)


# ---- embedding ----------------------------------------------------------------------------

@st.composite
def embedding_cases(draw):
    """(weight, indices, padding_idx): indices of any rank, repeats on purpose."""
    dtype = draw(st.sampled_from(FLOATS))
    rows, dim = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    weight = draw(arrays((rows, dim), dtype))
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    seed = draw(st.integers(0, 2**32 - 1))
    index_dtype = draw(st.sampled_from([np.int64, np.int32]))
    indices = np.random.default_rng(seed).integers(0, rows, size=shape).astype(index_dtype)
    padding_idx = draw(st.none() | st.integers(-rows, rows - 1))
    return weight, indices, padding_idx


@given(embedding_cases(), st.booleans())
def test_embedding(case, scale_grad_by_freq):
    weight, indices, padding_idx = case
    check(lambda T, w: F(T).embedding(T.from_numpy(indices.copy()), w, padding_idx,
                                      scale_grad_by_freq=scale_grad_by_freq), weight)


@given(embedding_cases(), st.sampled_from([0.5, 1.0, 3.0]), st.sampled_from([2.0, 1.0, 3.5,
                                                                           float("inf")]))
@settings(max_examples=10)
def test_embedding_max_norm(case, max_norm, norm_type):
    """max_norm scales the picked rows down in place (one version bump), then looks up."""
    weight, indices, _ = case
    tables = {}

    def fn(T, w):
        table = T.from_numpy(w.detach().numpy().copy())
        tables[T] = (table, table._version)
        return F(T).embedding(T.from_numpy(indices.copy()), table, max_norm=max_norm,
                              norm_type=norm_type)
    check(fn, weight)
    (ours, our_version), (theirs, their_version) = tables[minitorch], tables[torch]
    assert_close(ours, theirs)
    assert ours._version - our_version == theirs._version - their_version


def test_embedding_graph():
    graph = same_graph(lambda T, w: F(T).embedding(T.tensor([[0, 2], [1, 1]]), w),
                       np.ones((3, 2)))
    assert graph == ("EmbeddingBackward0", ("AccumulateGrad",))


def test_embedding_of_integer_weight():
    check(lambda T, w: F(T).embedding(T.tensor([2, 0]), w), np.arange(6).reshape(3, 2))


@pytest.mark.parametrize("options", [{}, dict(padding_idx=1), dict(padding_idx=-1),
                                     dict(max_norm=1.0, norm_type=1.0),
                                     dict(scale_grad_by_freq=True), dict(sparse=True)])
def test_embedding_layer_repr(options):
    same_repr(lambda lib: lib.nn.Embedding(5, 3, **options))


@pytest.mark.parametrize("padding_idx", [0, 3, -2])
def test_embedding_layer_padding_row(padding_idx):
    """The padding row starts at zero and gets a zero gradient; the rest of a step is
    torch's once the weights agree."""
    indices = [[0, 3, 3], [2, 0, 1]]
    results = []
    for lib in LIBS:
        layer = lib.nn.Embedding(5, 3, padding_idx=padding_idx)
        row = layer.weight[layer.padding_idx]
        assert row.abs().sum().item() == 0
        results.append(layer)
    results[0].load_state_dict(to_minitorch(dict(results[1].state_dict())))
    outs = []
    for lib, layer in zip(LIBS, results):
        out = layer(lib.tensor(indices))
        (out * out).sum().backward()
        outs.append((out, layer.weight.grad, layer.state_dict()))
    assert_close(outs[0][0], outs[1][0])
    assert_close(outs[0][1], outs[1][1])
    same_state(outs[0][2], outs[1][2])


@pytest.mark.parametrize("freeze", [True, False])
def test_embedding_from_pretrained(freeze):
    """The table is shared (no copy); frozen means no gradient."""
    table = np.arange(12.0).reshape(4, 3)
    for lib in LIBS:
        embeddings = lib.from_numpy(table.copy())
        layer = lib.nn.Embedding.from_pretrained(embeddings, freeze=freeze, padding_idx=1)
        assert layer.weight.requires_grad is not freeze
        assert layer.weight.data_ptr() == embeddings.data_ptr()
        assert layer(lib.tensor([1, 3])).tolist() == [[3.0, 4.0, 5.0], [9.0, 10.0, 11.0]]
    same_repr(lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(4, 3), padding_idx=1))


def _emb(indices, weight_shape=(5, 3), index_dtype=None, weight_dtype=None, **options):
    def f(lib):
        index_dtype_ = getattr(lib, index_dtype) if index_dtype else None
        weight_dtype_ = getattr(lib, weight_dtype) if weight_dtype else None
        return F(lib).embedding(lib.tensor(indices, dtype=index_dtype_),
                                lib.ones(weight_shape, dtype=weight_dtype_), **options)
    return f


EMBEDDING_ERRORS = {
    "index_too_large": _emb([5]),
    "index_negative": _emb([1, -1]),
    "index_negative_with_padding": _emb([-1], padding_idx=2),
    "float_indices": _emb([1.0]),
    "uint8_indices": _emb([1], index_dtype="uint8"),
    "int16_indices": _emb([1], index_dtype="int16"),
    "bool_indices": _emb([True]),
    "1d_weight": _emb([1], weight_shape=(5,)),
    "3d_weight": _emb([1], weight_shape=(5, 2, 2)),
    "padding_idx_too_large": _emb([1], padding_idx=5),
    "padding_idx_too_negative": _emb([1], padding_idx=-6),
    "empty_table": _emb([0], weight_shape=(0, 3)),
    "module_padding_idx": lambda lib: lib.nn.Embedding(5, 3, padding_idx=5),
    "module_padding_idx_negative": lambda lib: lib.nn.Embedding(5, 3, padding_idx=-6),
    "module_negative_size": lambda lib: lib.nn.Embedding(-1, 3),
    "module_weight_shape": lambda lib: lib.nn.Embedding(5, 3, _weight=lib.ones(4, 3)),
    "pretrained_1d": lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(5)),
    "module_index": lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([7])),
}


@pytest.mark.parametrize("name", list(EMBEDDING_ERRORS))
def test_embedding_errors(name):
    same_error(EMBEDDING_ERRORS[name])


def test_embedding_sparse_is_refused():
    """torch's sparse=True gives a sparse gradient; minitorch has no sparse tensors."""
    with pytest.raises(NotImplementedError, match="sparse"):
        F(minitorch).embedding(minitorch.tensor([1]), minitorch.ones(3, 2), sparse=True)


# ---- adaptive pooling ---------------------------------------------------------------------

@st.composite
def adaptive_cases(draw, ties=False):
    """(x, output_size): 3-D and 4-D inputs, output sizes smaller, equal and larger than the
    input, zero, one (torch's mean shortcut at (1, 1)), as an int, a tuple or a list, with
    None entries (keep the input's size)."""
    dtype = draw(st.sampled_from(FLOATS))
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    shape = batch + (draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = rng.integers(-1, 2, size=shape) if ties else rng.uniform(-3, 3, size=shape)
    x = layout(values.astype(dtype), draw(LAYOUTS))
    size = st.integers(0, 7)
    output_size = draw(st.one_of(size, st.tuples(size | st.none(), size | st.none()),
                                 st.lists(size, min_size=2, max_size=2), st.just(1),
                                 st.just((1, 1))))
    return x, output_size


def differentiable(x, output_size):
    """Whether torch can back-propagate through the pooling: its backward refuses an output
    with no values in a plane (minitorch's returns zeros); for those only values compare."""
    out = torch.nn.functional.adaptive_max_pool2d(torch.from_numpy(x), output_size)
    return out.shape[-1] * out.shape[-2] > 0


@given(adaptive_cases())
def test_adaptive_avg_pool2d(case):
    x, output_size = case
    check(lambda T, x: F(T).adaptive_avg_pool2d(x, output_size), x,
          requires_grad=differentiable(x, output_size))


@given(adaptive_cases(ties=True))
def test_adaptive_max_pool2d_with_ties(case):
    """Tied maxima: the gradient goes to the very pixel torch picks (the first)."""
    x, output_size = case
    grad = differentiable(x, output_size)
    check(lambda T, x: F(T).adaptive_max_pool2d(x, output_size, return_indices=True), x,
          requires_grad=grad)
    check(lambda T, x: F(T).adaptive_max_pool2d(x, output_size), x, requires_grad=grad)


@given(adaptive_cases(), st.integers(0, 2**32 - 1))
def test_adaptive_max_pool2d_inf_and_nan(case, seed):
    """-inf pixels (whole windows of them too) and nans: the last nan wins its window."""
    x, output_size = case
    rng = np.random.default_rng(seed)
    x = x.copy()
    x[rng.random(x.shape) < 0.4] = -np.inf
    x[rng.random(x.shape) < 0.2] = np.nan
    check(lambda T, x: F(T).adaptive_max_pool2d(x, output_size, True), x,
          requires_grad=differentiable(x, output_size))


@pytest.mark.parametrize("pool", ["adaptive_avg_pool2d", "adaptive_max_pool2d"])
@pytest.mark.parametrize("shape", [(0, 2, 3, 3), (0, 3, 3)])
def test_adaptive_pool_empty_batch(pool, shape):
    check(lambda T, x: getattr(F(T), pool)(x, 2), np.ones(shape))


def test_adaptive_avg_pool2d_mean_shortcut_in_any_rank():
    """Output (1, 1) is torch's mean over the last two dims, for any input rank."""
    for shape in [(2, 3), (1, 2, 3, 4, 5), (2, 3, 0, 4)]:
        check(lambda T, x: F(T).adaptive_avg_pool2d(x, 1), np.ones(shape))


def test_adaptive_pool_graphs():
    x = np.random.default_rng(11).standard_normal((1, 2, 5, 5))
    assert same_graph(lambda T, x: F(T).adaptive_avg_pool2d(x, 2), x)[0] == \
        "AdaptiveAvgPool2DBackward0"
    assert same_graph(lambda T, x: F(T).adaptive_avg_pool2d(x, (1, 1)), x)[0] == \
        "MeanBackward1"
    assert same_graph(lambda T, x: F(T).adaptive_max_pool2d(x, 3), x)[0] == \
        "AdaptiveMaxPool2DBackward0"
    assert same_graph(lambda T, x: F(T).adaptive_max_pool2d(x[0], 3), x)[0] == \
        "AdaptiveMaxPool2DBackward0"
    same_graph(lambda T, x: F(T).adaptive_max_pool2d_with_indices(x, 1), x)


@pytest.mark.parametrize("output_size", [1, 3, (2, None), (None, None), [4, 1]])
def test_adaptive_pool_layers(output_size):
    x = np.random.default_rng(12).standard_normal((2, 3, 5, 4)).astype(np.float32)
    same_repr(lambda lib: lib.nn.AdaptiveAvgPool2d(output_size))
    same_repr(lambda lib: lib.nn.AdaptiveMaxPool2d(output_size, return_indices=True))
    check(lambda T, x: T.nn.AdaptiveAvgPool2d(output_size)(x), x)
    check(lambda T, x: T.nn.AdaptiveMaxPool2d(output_size, True)(x), x)
    check(lambda T, x: T.nn.AdaptiveMaxPool2d(output_size)(x), x)


def _adaptive(pool, shape, output_size, dtype=None):
    def f(lib):
        x = lib.ones(shape, dtype=getattr(lib, dtype) if dtype else None)
        return getattr(F(lib), pool)(x, output_size)
    return f


ADAPTIVE_ERRORS = {}
for _pool in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
    ADAPTIVE_ERRORS.update({
        f"{_pool}_none": _adaptive(_pool, (2, 3, 4), None),
        f"{_pool}_float": _adaptive(_pool, (2, 3, 4), 2.0),
        f"{_pool}_bool": _adaptive(_pool, (2, 3, 4), True),
        f"{_pool}_float_first": _adaptive(_pool, (2, 3, 4), (2.0, 2)),
        f"{_pool}_float_later": _adaptive(_pool, (2, 3, 4), (2, 1.5)),
        f"{_pool}_string": _adaptive(_pool, (2, 3, 4), "ab"),
        f"{_pool}_bool_first": _adaptive(_pool, (2, 3, 4), (True, 2)),
        f"{_pool}_one_entry": _adaptive(_pool, (2, 3, 4), (3,)),
        f"{_pool}_one_entry_2d": _adaptive(_pool, (3, 4), (3,)),
        f"{_pool}_three_entries": _adaptive(_pool, (2, 3, 4, 5), (1, 2, 3)),
        f"{_pool}_too_many_entries": _adaptive(_pool, (2, 3, 3), (1, 1, 1)),
        f"{_pool}_tuple_of_1d": _adaptive(_pool, (3,), (1, 1)),
        f"{_pool}_2d": _adaptive(_pool, (3, 4), 2),
        f"{_pool}_2d_empty": _adaptive(_pool, (3, 0), 2),
        f"{_pool}_5d": _adaptive(_pool, (1, 2, 3, 4, 5), 2),
        f"{_pool}_negative": _adaptive(_pool, (2, 3, 4, 5), -1),
        f"{_pool}_negative_one": _adaptive(_pool, (2, 3, 4, 5), (1, -1)),
        f"{_pool}_negative_2d": _adaptive(_pool, (3, 4), -1),
        f"{_pool}_negative_empty": _adaptive(_pool, (2, 3, 0, 4), -1),
        f"{_pool}_empty_height": _adaptive(_pool, (2, 3, 0, 5), 2),
        f"{_pool}_empty_3d": _adaptive(_pool, (3, 0, 5), 2),
        f"{_pool}_integers": _adaptive(_pool, (2, 3, 4, 5), 2, "int64"),
        f"{_pool}_integers_empty": _adaptive(_pool, (2, 3, 0, 4), 2, "int64"),
        f"{_pool}_integers_negative": _adaptive(_pool, (2, 3, 3, 4), -2, "int64"),
        f"{_pool}_bool_input": _adaptive(_pool, (2, 3, 4, 5), 2, "bool"),
        f"{_pool}_bool_input_mean": _adaptive(_pool, (2, 3, 4, 5), 1, "bool"),
        f"{_pool}_1_of_1d": _adaptive(_pool, (3,), 1),
    })
ADAPTIVE_ERRORS["adaptive_max_pool2d_empty_channels"] = _adaptive(
    "adaptive_max_pool2d", (2, 0, 4, 5), 2)
ADAPTIVE_ERRORS["adaptive_max_pool2d_empty_channels_one_entry"] = _adaptive(
    "adaptive_max_pool2d", (2, 0, 4), (3,))


@pytest.mark.parametrize("name", list(ADAPTIVE_ERRORS))
def test_adaptive_pool_errors(name):
    same_error(ADAPTIVE_ERRORS[name])


def test_adaptive_avg_pool2d_of_empty_channels():
    """avg checks only the plane's dims (max checks the channels too: an error above).
    torch's backward refuses it: values only."""
    check(lambda T, x: F(T).adaptive_avg_pool2d(x, 2), np.ones((2, 0, 4, 5)),
          requires_grad=False)
