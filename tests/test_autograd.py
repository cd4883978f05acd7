"""The autograd API and the structure of the recorded graph, vs torch.

Everything runs the same code in minitorch and in torch and compares gradients, flags
(requires_grad, is_leaf, grad_fn) and the graph's node names and links.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from parity import assert_close, broadcast_pair, tensors

LIBS = (minitorch, torch)


def leaf(lib, a, requires_grad=True):
    return lib.from_numpy(a.copy()).requires_grad_(requires_grad)


def same_grad(ours, theirs, what="grad"):
    if theirs.grad is None:
        assert ours.grad is None, f"{what}: torch has no grad, minitorch has one"
    else:
        assert ours.grad is not None, f"{what}: minitorch has no grad, torch has one"
        assert_close(ours.grad, theirs.grad, what=what)


def same_flags(ours, theirs, what="tensor"):
    assert ours.requires_grad == theirs.requires_grad, f"{what}: requires_grad"
    assert ours.is_leaf == theirs.is_leaf, f"{what}: is_leaf"
    assert (ours.grad_fn is None) == (theirs.grad_fn is None), f"{what}: grad_fn"
    if theirs.grad_fn is not None:
        assert ours.grad_fn.name() == theirs.grad_fn.name(), f"{what}: grad_fn name"


# ---- backward -------------------------------------------------------------------------

@given(tensors())
def test_backward_of_a_scalar(a):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        y = (x * x + x.exp() * 2).sum()
        r = y.backward()
        assert r is None
        out[lib] = x
    same_grad(out[minitorch], out[torch])


@given(broadcast_pair())
def test_backward_with_gradient_on_non_scalar(pair):
    a, b = pair
    out = {}
    g = None
    for lib in LIBS:
        x, w = leaf(lib, a), leaf(lib, b)
        y = x * w + x
        if g is None:
            g = np.random.default_rng(0).standard_normal(tuple(y.shape)).astype(a.dtype)
        y.backward(lib.from_numpy(g.copy()))
        out[lib] = (x, w)
    for i in range(2):
        same_grad(out[minitorch][i], out[torch][i], what=f"input {i}")


def test_backward_gradient_keyword_and_0d():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        (x * 3).backward(gradient=lib.tensor([1.0, 0.5, -1.0]))
        s = lib.tensor(2.0, requires_grad=True)
        (s * s).backward(lib.tensor(3.0))
        out[lib] = (x, s)
    for o, t in zip(out[minitorch], out[torch]):
        same_grad(o, t)


@given(tensors())
def test_leaf_grad_accumulates(a):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        (x * x).sum().backward()
        first = x.grad.clone()
        (x * 3).sum().backward()
        out[lib] = (x.grad, first)
        assert x.grad.requires_grad is False and x.grad.grad_fn is None
    for o, t in zip(out[minitorch], out[torch]):
        assert_close(o, t)


def test_grad_can_be_zeroed_or_reset():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        x.grad.zero_()
        (x * 5).sum().backward()
        after_zero = x.grad.clone()
        x.grad = None
        (x * 7).sum().backward()
        out[lib] = (after_zero, x.grad)
    for o, t in zip(out[minitorch], out[torch]):
        assert_close(o, t)


@given(tensors())
def test_retain_graph_allows_a_second_backward(a):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        y = (x.sigmoid() * x).sum()
        y.backward(retain_graph=True)
        once = x.grad.clone()
        y.backward()
        out[lib] = (once, x.grad)
    for o, t in zip(out[minitorch], out[torch]):
        assert_close(o, t)


def test_autograd_backward_function():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y1, y2 = x * 2, (x * x).sum()
        lib.autograd.backward([y1, y2], [lib.ones(3), lib.tensor(2.0)])
        out[lib] = x
    same_grad(out[minitorch], out[torch])


# ---- autograd.grad ----------------------------------------------------------------------

@given(broadcast_pair())
def test_autograd_grad_returns_a_tuple_and_leaves_grad_alone(pair):
    a, b = pair
    out = {}
    for lib in LIBS:
        x, w = leaf(lib, a), leaf(lib, b)
        y = (x * w - w.exp()).sum()
        gs = lib.autograd.grad(y, [x, w])
        assert isinstance(gs, tuple) and len(gs) == 2
        assert x.grad is None and w.grad is None
        out[lib] = gs
    for o, t in zip(out[minitorch], out[torch]):
        assert_close(o, t)


def test_autograd_grad_single_input_and_keywords():
    out = {}
    for lib in LIBS:
        x = lib.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
        y = x * x * x
        g = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        first = lib.autograd.grad(outputs=y, inputs=x, grad_outputs=g, retain_graph=True)
        second = lib.autograd.grad([y], (x,), grad_outputs=[g])
        assert isinstance(first, tuple) and len(first) == 1
        assert isinstance(second, tuple) and len(second) == 1
        out[lib] = (first[0], second[0])
    for o, t in zip(out[minitorch], out[torch]):
        assert_close(o, t)


def test_autograd_grad_allow_unused():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        unused = lib.tensor([3.0, 4.0], requires_grad=True)
        y = (x * 2).sum()
        gs = lib.autograd.grad(y, [x, unused], allow_unused=True)
        assert isinstance(gs, tuple) and len(gs) == 2 and gs[1] is None
        out[lib] = gs[0]
    assert_close(out[minitorch], out[torch])


def test_autograd_grad_frees_the_graph_unless_retained():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        lib.autograd.grad(y, x, retain_graph=True)
        lib.autograd.grad(y, x)
        with pytest.raises(RuntimeError):
            lib.autograd.grad(y, x)


# ---- grad modes -------------------------------------------------------------------------

def _no_grad_result(lib, mode):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    if mode == "no_grad":
        with lib.no_grad():
            return x * 2
    if mode == "set_grad_enabled_false":
        with lib.set_grad_enabled(False):
            return x * 2
    if mode == "no_grad_decorator":
        @lib.no_grad()
        def f(t):
            return t * 2
        return f(x)
    if mode == "no_grad_bare_decorator":
        @lib.no_grad
        def f(t):
            return t * 2
        return f(x)
    if mode == "set_grad_enabled_decorator":
        @lib.set_grad_enabled(False)
        def f(t):
            return t * 2
        return f(x)
    if mode == "enable_grad_inside_no_grad":
        with lib.no_grad():
            with lib.enable_grad():
                return x * 2
    if mode == "enable_grad_decorator_inside_no_grad":
        @lib.enable_grad()
        def f(t):
            return t * 2
        with lib.no_grad():
            return f(x)
    if mode == "set_grad_enabled_true_inside_no_grad":
        with lib.no_grad():
            with lib.set_grad_enabled(True):
                return x * 2
    if mode == "after_no_grad":
        with lib.no_grad():
            pass
        return x * 2
    if mode == "inplace_under_no_grad":
        with lib.no_grad():
            x.add_(1)                # allowed on a leaf under no_grad
        return x
    raise AssertionError(mode)


@pytest.mark.parametrize("mode", ["no_grad", "set_grad_enabled_false", "no_grad_decorator", "no_grad_bare_decorator",
                                  "set_grad_enabled_decorator", "enable_grad_inside_no_grad",
                                  "enable_grad_decorator_inside_no_grad",
                                  "set_grad_enabled_true_inside_no_grad", "after_no_grad",
                                  "inplace_under_no_grad"])
def test_grad_modes(mode):
    ours, theirs = _no_grad_result(minitorch, mode), _no_grad_result(torch, mode)
    same_flags(ours, theirs, mode)
    assert_close(ours.detach(), theirs.detach())
    assert minitorch.is_grad_enabled() and torch.is_grad_enabled()


def test_is_grad_enabled_and_set_grad_enabled_as_a_call():
    for lib in LIBS:
        assert lib.is_grad_enabled()
        with lib.no_grad():
            assert not lib.is_grad_enabled()
            with lib.enable_grad():
                assert lib.is_grad_enabled()
            assert not lib.is_grad_enabled()
        assert lib.is_grad_enabled()
        lib.set_grad_enabled(False)
        try:
            assert not lib.is_grad_enabled()
            x = lib.ones(2, requires_grad=True)
            assert not (x * 2).requires_grad
        finally:
            lib.set_grad_enabled(True)
        assert lib.is_grad_enabled()


def test_no_grad_restores_mode_after_an_exception():
    for lib in LIBS:
        with pytest.raises(ZeroDivisionError):
            with lib.no_grad():
                1 / 0
        assert lib.is_grad_enabled()


def test_decorated_function_keeps_its_name_and_result():
    for lib in LIBS:
        @lib.no_grad()
        def named(a, b=3):
            "doc"
            return a + b
        assert named.__name__ == "named" and named(1) == 4


# ---- requires_grad_, detach, retain_grad, is_leaf --------------------------------------

def test_requires_grad_():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0])
        r = x.requires_grad_()
        assert r is x
        y = x * 2
        z = lib.tensor([3.0], requires_grad=True).requires_grad_(False)
        out[lib] = (x, y, z)
    for i, (o, t) in enumerate(zip(out[minitorch], out[torch])):
        same_flags(o, t, f"tensor {i}")


def test_requires_grad_attribute_is_settable_on_leaves():
    out = {}
    for lib in LIBS:
        x = lib.ones(3)
        x.requires_grad = True
        (x * x).sum().backward()
        out[lib] = x
    same_flags(out[minitorch], out[torch])
    same_grad(out[minitorch], out[torch])


@given(tensors())
def test_detach_shares_memory_and_has_no_grad(a):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        y = x * 2
        d = y.detach()
        dx = x.detach()
        same = (d.requires_grad, d.grad_fn, d.is_leaf, dx.requires_grad, dx.is_leaf)
        d.add_(1)                  # shows in y
        dx.mul_(3)                 # shows in x (a leaf that requires grad, through detach)
        out[lib] = (x.detach().clone(), y.detach().clone(), d, dx, same)
    o, t = out[minitorch], out[torch]
    for i in range(4):
        assert_close(o[i], t[i], what=f"tensor {i}")
    assert o[4] == t[4]


def test_retain_grad_on_a_non_leaf():
    out = {}
    for lib in LIBS:
        x = lib.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
        h = x * x
        h.retain_grad()
        k = h.exp()                # no retain_grad: no .grad kept
        y = (k * 2 + h).sum()
        y.backward()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # torch warns when .grad of a non-leaf is read
            out[lib] = (x, h, k)
    for i, (o, t) in enumerate(zip(out[minitorch], out[torch])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same_grad(o, t, what=f"tensor {i}")
            same_flags(o, t, what=f"tensor {i}")


def test_retain_grad_accumulates_over_two_backward_calls():
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.retain_grad()
        z = (y * y).sum()
        z.backward(retain_graph=True)
        z.backward()
        out[lib] = (x, y)
    for o, t in zip(out[minitorch], out[torch]):
        same_grad(o, t)


def native_name(fn):
    """torch names its C++ nodes 'torch::autograd::CopySlices'; minitorch may use its own
    namespace ('minitorch::autograd::CopySlices')."""
    return fn.name().replace("minitorch::autograd::", "torch::autograd::")


def _add_mul_(lib, x):
    y = x * 2
    y.add_(1)
    return y.mul_(3)


def _setitem(lib, x):
    y = x * 2
    y[0] = 0
    return y


def _inplace_on_a_view(lib, x):
    y = x * 2
    y[1:].mul_(5)
    return y


def _setitem_tensor_value(lib, x):
    y = x * 2
    y[1:] = x[:2].exp()          # the value carries a graph too
    return y


def _inplace_with_a_tensor(lib, x):
    y = x + 0
    y.mul_(x)                    # y * x, in place
    return y.sigmoid()


@pytest.mark.parametrize("case", [_add_mul_, _setitem, _inplace_on_a_view, _setitem_tensor_value,
                                  _inplace_with_a_tensor], ids=lambda f: f.__name__.strip("_"))
def test_inplace_ops_on_non_leaf_tensors_are_recorded(case):
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = case(lib, x)
        names = (native_name(y.grad_fn), [native_name(f) if f is not None else None
                                          for f, _ in y.grad_fn.next_functions])
        y.backward(lib.tensor([1.0, 0.5, -2.0]))
        out[lib] = (x, y, names)
    (x_o, y_o, n_o), (x_t, y_t, n_t) = out[minitorch], out[torch]
    assert n_o == n_t
    same_flags(y_o, y_t)
    assert_close(y_o.detach(), y_t.detach())
    same_grad(x_o, x_t)


def test_is_leaf():
    def cases(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        c = lib.tensor([1.0, 2.0])
        with lib.no_grad():
            ng = x * 2
        return [x, c, x * 2, c * 2, x.detach(), ng, x[0], c + x, x.sum(), lib.ones(2),
                lib.zeros(2, requires_grad=True), (x * 2).detach().requires_grad_()]
    for i, (o, t) in enumerate(zip(cases(minitorch), cases(torch))):
        same_flags(o, t, f"case {i}")


# ---- graph structure --------------------------------------------------------------------

def _structure(fn, leaves, seen=None):
    """torch's graph as plain data: node names, input numbers, None links and which leaf
    each AccumulateGrad holds (checked through `.variable is leaf`)."""
    if fn is None:
        return None
    name = fn.name()
    if name.endswith("AccumulateGrad"):
        # torch names it 'torch::autograd::AccumulateGrad'; minitorch may say 'minitorch::'
        assert name in ("torch::autograd::AccumulateGrad", "minitorch::autograd::AccumulateGrad"), name
        assert repr(fn).startswith("<AccumulateGrad object at 0x"), repr(fn)
        idx = [i for i, l in enumerate(leaves) if fn.variable is l]
        assert len(idx) == 1, "AccumulateGrad.variable must be the leaf itself"
        return ("AccumulateGrad", idx[0])
    return (name, tuple((_structure(f, leaves), nr) for f, nr in fn.next_functions))


EXPRESSIONS = {
    "add": lambda lib, x, w, b: x + w,
    "sub": lambda lib, x, w, b: x - w,
    "mul": lambda lib, x, w, b: x * w,
    "div": lambda lib, x, w, b: x / w,
    "mul_scalar": lambda lib, x, w, b: x * 2,
    "add_scalar": lambda lib, x, w, b: x + 1,
    "mul_const_tensor": lambda lib, x, w, b: x * lib.ones(3, 3),
    "const_tensor_mul": lambda lib, x, w, b: lib.ones(3, 3) * x,
    "neg": lambda lib, x, w, b: -x,
    "pow": lambda lib, x, w, b: x ** 2,
    "exp": lambda lib, x, w, b: x.exp(),
    "log": lambda lib, x, w, b: (x * x + 1).log(),
    "sigmoid": lambda lib, x, w, b: x.sigmoid(),
    "tanh": lambda lib, x, w, b: x.tanh(),
    "relu": lambda lib, x, w, b: x.relu(),
    "torch_relu": lambda lib, x, w, b: lib.relu(x),
    "sum": lambda lib, x, w, b: x.sum(),
    "sum_dim": lambda lib, x, w, b: x.sum(0),
    "mean": lambda lib, x, w, b: x.mean(),
    "mean_dim": lambda lib, x, w, b: x.mean(1),
    "mm": lambda lib, x, w, b: x @ w,
    "matmul": lambda lib, x, w, b: x.matmul(w),
    "torch_mm": lambda lib, x, w, b: lib.mm(x, w),
    "t": lambda lib, x, w, b: w.t(),
    "view": lambda lib, x, w, b: x.view(9),
    "linear": lambda lib, x, w, b: x @ w.t() + b,
    "const_linear": lambda lib, x, w, b: lib.ones(2, 3) @ w.t() + b,
    "chain": lambda lib, x, w, b: ((x * w).sum(1) + b).mean(),
    "diamond": lambda lib, x, w, b: x * x + x,
    "mse": lambda lib, x, w, b: ((x @ w - 1) ** 2).mean(),
}


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_graph_structure_matches_torch(name):
    graphs, outs = {}, {}
    for lib in LIBS:
        rng = np.random.default_rng(0)
        x = lib.from_numpy(rng.standard_normal((3, 3)).astype(np.float32)).requires_grad_()
        w = lib.from_numpy(rng.standard_normal((3, 3)).astype(np.float32)).requires_grad_()
        b = lib.from_numpy(rng.standard_normal(3).astype(np.float32)).requires_grad_()
        y = EXPRESSIONS[name](lib, x, w, b)
        fn = y.grad_fn
        assert fn is not None
        graphs[lib] = _structure(fn, [x, w, b])
        outs[lib] = (y, fn)
    assert graphs[minitorch] == graphs[torch]
    (y_o, fn_o), (y_t, fn_t) = outs[minitorch], outs[torch]
    assert repr(fn_o).startswith(f"<{fn_t.name()} object at 0x"), repr(fn_o)
    assert repr(fn_o).endswith(">")
    assert str(fn_o) == repr(fn_o)
    assert isinstance(fn_o.next_functions, tuple)
    assert all(isinstance(p, tuple) and len(p) == 2 for p in fn_o.next_functions)
    assert_close(y_o, y_t, what=name)


def test_seed_style_walk_of_next_functions():
    """The seed's `loss.grad_fn.next_functions[0][0]` walk prints the same names."""
    lines = {}
    for lib in LIBS:
        x = lib.ones(4, 3)
        w = lib.ones(2, 3, requires_grad=True)
        b = lib.zeros(2, requires_grad=True)
        loss = ((x @ w.t() + b).relu() - 1).pow(2).mean()
        fn, names = loss.grad_fn, []
        while fn is not None:
            names.append(repr(fn).split(" object")[0])
            fn = fn.next_functions[0][0] if fn.next_functions else None
        lines[lib] = names
    assert lines[minitorch] == lines[torch]


def test_accumulate_grad_node_is_shared_per_leaf():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        a, b = y.grad_fn.next_functions
        assert a[0].name().endswith("::autograd::AccumulateGrad") and a[0].variable is x
        assert repr(a[0]).startswith("<AccumulateGrad object at 0x")
        assert b[0].variable is x


# ---- graph shapes: deep chains, diamonds ------------------------------------------------

@pytest.mark.parametrize("op", ["mul", "add"])
def test_deep_chain_backpropagates_without_recursion_error(op):
    n = 100_000
    out = {}
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * 1.0001 if op == "mul" else y + 1
        y.sum().backward()
        del y
        out[lib] = x.grad
    assert_close(out[minitorch], out[torch])


@given(tensors())
def test_diamond_graphs_sum_gradients(a):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        h = x * 2                        # an intermediate used three times
        y = (h * h + h.exp() + x * h).sum()
        y.backward()
        out[lib] = x
    same_grad(out[minitorch], out[torch])


def test_same_leaf_twice_in_one_op():
    out = {}
    for lib in LIBS:
        x = lib.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
        (x @ x).sum().backward()
        y = lib.tensor([0.5, -1.5], requires_grad=True)
        (y * y * y).sum().backward()
        out[lib] = (x, y)
    for o, t in zip(out[minitorch], out[torch]):
        same_grad(o, t)


@given(tensors(), st.integers(1, 6))
def test_branches_of_different_lengths(a, depth):
    out = {}
    for lib in LIBS:
        x = leaf(lib, a)
        short = x * 3
        long = x
        for _ in range(depth):
            long = long.sigmoid() * 2
        (short + long).sum().backward()
        out[lib] = x
    same_grad(out[minitorch], out[torch])


# ---- anomaly mode ------------------------------------------------------------------------

def test_detect_anomaly_names_the_node_that_returned_nan():
    """sqrt's gradient at 0 is inf; times 0 it is nan: both engines name SqrtBackward0."""
    messages = []
    for lib in (torch, minitorch):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        with lib.autograd.set_detect_anomaly(True), pytest.raises(RuntimeError) as err, \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x.sqrt().mul(0).sum().backward()
        messages.append(str(err.value))
        assert not lib.is_anomaly_enabled()
    assert messages[1] == messages[0]
    # and without anomaly mode, the nan just arrives in .grad, in both
    grads = []
    for lib in (torch, minitorch):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        x.sqrt().mul(0).sum().backward()
        grads.append(x.grad.tolist())
    assert str(grads[0]) == str(grads[1])


# ---- hooks and backward(inputs=) ---------------------------------------------------------

def _hooked(lib):
    """A leaf and a non-leaf hook: one records, one doubles the gradient it sees."""
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()))
    y = x * x
    handle = y.register_hook(lambda g: g * 2)
    y.sum().backward(retain_graph=True)
    handle.remove()
    y.sum().backward()
    return x.grad.tolist(), seen


def test_hooks_see_and_replace_gradients_like_torch():
    assert _hooked(minitorch) == _hooked(torch)


def _backward_inputs(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    (h * a).sum().backward(inputs=[a, h])
    return a.grad.tolist(), b.grad, h.grad.tolist()


def test_backward_accumulates_only_into_inputs_like_torch():
    assert _backward_inputs(minitorch) == _backward_inputs(torch)


def test_hook_on_a_tensor_without_grad_raises_like_torch():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
            lib.ones(2).register_hook(print)


def _grad_mode_in_a_thread(lib):
    """no_grad entered in another thread does not turn recording off here, as in torch."""
    import threading
    inside, go_on = threading.Event(), threading.Event()

    def worker():
        with lib.no_grad():
            inside.set()
            go_on.wait(5)
    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    y = lib.ones(2, requires_grad=True) * 2
    go_on.set()
    t.join()
    return y.requires_grad, lib.is_grad_enabled()


def test_grad_mode_is_per_thread_like_torch():
    assert _grad_mode_in_a_thread(minitorch) == _grad_mode_in_a_thread(torch) == (True, True)


# ---- a user's own autograd.Function, written as for torch --------------------------------

def _legendre(lib):
    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)
    return LegendrePolynomial3


@given(tensors())
def test_a_users_function_runs_as_in_torch(a):
    from parity import check
    out = check(lambda T, x: _legendre(T).apply(x * 2), a)
    assert out.grad_fn.name() == "LegendrePolynomial3Backward" == \
        _legendre(torch).apply(torch.ones(1, requires_grad=True)).grad_fn.name()


def test_a_users_function_checks_saved_versions_like_torch():
    def f(lib):
        x = lib.ones(3, dtype=lib.float64, requires_grad=True)
        h = x * 1
        y = _legendre(lib).apply(h)
        h.add_(1)
        y.sum().backward()
    from parity import same_error
    same_error(f, exact=False, key="modified by an inplace operation")
