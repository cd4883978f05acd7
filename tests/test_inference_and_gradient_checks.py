"""Inference tensors used outside inference mode, and the engine's check of every gradient a
backward returns, against torch.

Inference tensors (autograd/views.py, rule 5): what may be done with a tensor made in
inference mode once the mode is off (read it, copy it, detach it) and what torch refuses
(save it for backward, write to it in place, make it require grad, read its version),
with torch's messages; which of them record a graph; views of them; inference_mode(False)
inside inference mode.

Gradient checks (autograd/engine.py `fit`, autograd/custom_function.py): a gradient of a
shape the input expands to is summed down to it, any other shape is torch's error naming
the node and the input; a user's Function returning the wrong number of gradients, or
something that is not a tensor, gets torch's error too.
"""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minitorch
from parity import FLOATS, assert_close, raised, same_error, shapes


def _inference(lib, requires_grad=False):
    """A 2x3 tensor made in inference mode."""
    with lib.inference_mode():
        return lib.arange(6.0).reshape(2, 3).requires_grad_(requires_grad)


def _leaf(lib):
    return lib.ones(2, 3, requires_grad=True)


def _saving_function(lib):
    """A user's Function that saves its second operand for backward."""
    class MulBy(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(y)
            return x * y

        @staticmethod
        def backward(ctx, grad):
            y, = ctx.saved_tensors
            return grad * y, None
    return MulBy


def _inside_inference_mode_off(lib, fn):
    """fn() run under inference_mode(False) inside inference_mode."""
    with lib.inference_mode():
        with lib.inference_mode(False):
            return fn()


def _linear_made_in_inference_mode(lib):
    with lib.inference_mode():
        layer = lib.nn.Linear(3, 2)
    return layer(lib.ones(1, 3, requires_grad=True))


# ---- an inference tensor cannot be saved for backward --------------------------------------

SAVED = {
    "a * w": lambda T: _inference(T) * _leaf(T),
    "w * a": lambda T: _leaf(T) * _inference(T),
    "a view of one": lambda T: T.matmul(_leaf(T), _inference(T).T),
    "detached outside": lambda T: _leaf(T) * _inference(T).detach(),
    ".data outside": lambda T: _leaf(T) * _inference(T).data,
    "one requiring grad": lambda T: _inference(T, requires_grad=True) * _leaf(T),
    "in an in-place op": lambda T: (_leaf(T) * 1).mul_(_inference(T)),
    "inside inference_mode(False)": lambda T: _inside_inference_mode_off(
        T, lambda: _inference(T) * _leaf(T)),
    "a gather index": lambda T: _leaf(T).gather(0, _inference(T).long()),
    "a user's Function": lambda T: _saving_function(T).apply(_leaf(T), _inference(T)),
    "weights made in inference mode": _linear_made_in_inference_mode,
}


@pytest.mark.parametrize("case", SAVED)
def test_an_inference_tensor_cannot_be_saved_for_backward(case):
    same_error(SAVED[case])


# ---- nor written to in place, made to require grad, or asked its version --------------------

def _add(lib, t, other):
    return lib.add(t, other, out=t)


INPLACE = {
    "add_": lambda T, a: a.add_(1),
    "mul_ by a leaf (recorded)": lambda T, a: a.mul_(_leaf(T)),
    "setitem": lambda T, a: a.__setitem__(0, 5.0),
    "zero_": lambda T, a: a.zero_(),
    "fill_": lambda T, a: a.fill_(2),
    "exp_": lambda T, a: a.exp_(),
    "t_": lambda T, a: a.t_(),
    "uniform_": lambda T, a: a.uniform_(),
    "out=": lambda T, a: _add(T, a, a),
    "through a view": lambda T, a: a.view(6).add_(1),
    "through a view of it detached": lambda T, a: a.detach()[0].add_(1),
    "under no_grad": lambda T, a: _under_no_grad(T, lambda: a.add_(1)),
    "inside inference_mode(False)": lambda T, a: _inside_inference_mode_off(T, lambda: a.add_(1)),
}


def _under_no_grad(lib, fn):
    with lib.no_grad():
        return fn()


@pytest.mark.parametrize("case", INPLACE)
def test_no_inplace_update_of_an_inference_tensor_outside_inference_mode(case):
    same_error(lambda T: INPLACE[case](T, _inference(T)))


@pytest.mark.parametrize("case", ["add_", "setitem", "exp_", "t_", "out=", "through a view"])
def test_the_refused_inplace_update_has_written_as_in_torch(case):
    """torch's kernel writes first and the version counter refuses after: the values show it."""
    def written(lib):
        a = _inference(lib)
        assert raised(lambda _: INPLACE[case](lib, a), lib) is not None
        return a
    assert_close(written(minitorch), written(torch), what="values after the refusal")


REQUIRES_GRAD = {
    "requires_grad_()": lambda T: _inference(T).requires_grad_(),
    "requires_grad = True": lambda T: setattr(_inference(T), "requires_grad", True),
    "requires_grad_() of a view": lambda T: _inference(T)[0].requires_grad_(),
    "requires_grad_() of it detached": lambda T: _inference(T).detach().requires_grad_(),
    "requires_grad_() of its .data": lambda T: _inference(T).data.requires_grad_(),
    "one that requires grad": lambda T: _inference(T, requires_grad=True).requires_grad_(),
    "inside inference_mode(False)": lambda T: _inside_inference_mode_off(
        T, lambda: _inference(T).requires_grad_()),
    "of an integer one": lambda T: _inference(T).long().requires_grad_(),
}


@pytest.mark.parametrize("case", REQUIRES_GRAD)
def test_an_inference_tensor_cannot_be_made_to_require_grad_outside_inference_mode(case):
    same_error(REQUIRES_GRAD[case])


def _version_inside(lib):
    a = _inference(lib)
    with lib.inference_mode():
        return a._version


VERSION = {
    "itself": lambda T: _inference(T)._version,
    "a view": lambda T: _inference(T)[0]._version,
    "a view of it detached": lambda T: _inference(T).detach()[0:1]._version,
    "inside inference mode": _version_inside,
    "inside inference_mode(False)": lambda T: _inside_inference_mode_off(
        T, lambda: _inference(T)._version),
}


@pytest.mark.parametrize("case", VERSION)
def test_an_inference_tensor_tracks_no_version(case):
    same_error(VERSION[case])


# ---- what may be done with one --------------------------------------------------------------

def _node_name(t):
    return None if t.grad_fn is None else t.grad_fn.name()


def _twice(lib):
    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2
    return Twice


def _inference_tensors_story(T):
    """Flags, versions, values and graphs a script sees around inference tensors."""
    seen = []
    n = T.zeros(3)
    w = T.ones(3, requires_grad=True)
    with T.inference_mode():
        a = T.arange(3.0)
        ai = T.ones(3, requires_grad=True)
        index = T.tensor([2, 0, 1])
        view_of_normal, detached_normal, detached = n[0:2], n.detach(), a.detach()
        a.add_(1)      # inside inference mode: in place is fine, and counts nothing
        n.add_(1)      # a normal tensor's writes still count
        seen.append((a.tolist(), a.is_inference(), ai.is_inference(), ai.requires_grad,
                     ai.is_leaf, view_of_normal.is_inference(), detached_normal.is_inference(),
                     detached.is_inference(), n._version, view_of_normal._version,
                     detached_normal._version, n.data.is_inference(), n.data._version,
                     T.ones(2).requires_grad_().requires_grad, (w * 2).requires_grad))
        with T.inference_mode(False):
            b = T.ones(3)
            q = w * 2
            seen.append((b.is_inference(), b._version, _node_name(q), q.is_inference(),
                         T.is_inference_mode_enabled(), T.is_grad_enabled()))
    # outside: views and detached copies of normal tensors made inside are normal
    view_of_normal.add_(1)
    detached_normal.add_(1)
    seen.append((n.tolist(), n._version, view_of_normal._version))
    # views of an inference tensor are inference tensors; results of ops are not
    seen.append((a[0].is_inference(), a.view(3, 1).is_inference(), a.view(3, 1).t().is_inference(),
                 a.detach().is_inference(), a.data.is_inference(), a.clone().is_inference(),
                 (a * 2).is_inference(), a.sum().is_inference(), a.expand(2, 3).is_inference()))
    # detach() and .data outside inference mode have a counter of their own
    d = a.detach()
    d.add_(1)
    e = a.data
    e.mul_(2)
    seen.append((d._version, e._version, a.tolist()))
    # read in a graph that saves nothing of it: fine
    y = w + a
    y.sum().backward()
    seen.append((_node_name(y), w.grad.tolist()))
    # operands all inference tensors: no graph, even when one requires grad (a number in a
    # tensor's place is a normal tensor: torch wraps it in one)
    results = (ai.exp(), ai * ai, ai[0], ai.view(3), ai.sum(), ai.relu(), ai.pow(2),
               ai * 2, ai + 1, ai - 1, ai / 2, ai.mul(2), ai + n, ai * n, ai * T.tensor(2.0))
    seen.append([(_node_name(t), t.requires_grad) for t in results])
    z = ai + w  # an edge to ai's own leaf
    z.sum().backward()
    seen.append((ai.grad.tolist(), ai.requires_grad_(False).requires_grad))
    # nothing saved under no_grad, and values copied into a normal tensor are its own
    with T.no_grad():
        seen.append((a * w).requires_grad)
    m = T.zeros(3)
    m.copy_(a)
    m.add_(a)
    m[0] = a[1]
    seen.append((m.tolist(), m._version, T.arange(3.0).gather(0, index).tolist()))
    # a user's Function records its node whatever its operands (torch's too)
    seen.append((_node_name(_twice(T).apply(ai)), _twice(T).apply(a).is_inference()))
    return seen


def test_what_may_be_done_with_inference_tensors_as_in_torch():
    ours, theirs = _inference_tensors_story(minitorch), _inference_tensors_story(torch)
    assert len(ours) == len(theirs)
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert o == t, f"step {i}:\nminitorch: {o}\ntorch:     {t}"


# ---- the engine checks each gradient a node returns ---------------------------------------

INDEX = [[0, 1, 2, 0], [1, 2, 0, 1]]


def _scatter_backward(lib, method, src_shape, src_requires_grad=True):
    x = lib.zeros(3, 5, dtype=lib.float64, requires_grad=True)
    src = lib.arange(float(np.prod(src_shape)), dtype=lib.float64).reshape(src_shape)
    src.requires_grad_(src_requires_grad)
    index = lib.tensor(INDEX)
    if method == "scatter_":
        out = (x * 1).scatter_(0, index, src)
    else:
        out = getattr(x, method)(0, index, src)
    out.backward(lib.arange(15.0, dtype=lib.float64).reshape(3, 5))
    return x, src


@pytest.mark.parametrize("method", ["scatter", "scatter_add", "scatter_"])
@pytest.mark.parametrize("src_shape", [(3, 4), (2, 5), (3, 5)])
def test_scatter_from_a_src_larger_than_index_refuses_its_gradient(method, src_shape):
    same_error(lambda T: _scatter_backward(T, method, src_shape))


@pytest.mark.parametrize("method", ["scatter", "scatter_add", "scatter_"])
@pytest.mark.parametrize("src_shape", [(2, 4), (3, 5)])
def test_scatter_gradients_as_torch(method, src_shape):
    """src of index's shape takes its gradient; a larger src that needs none is fine."""
    requires_grad = src_shape == (2, 4)
    ours = _scatter_backward(minitorch, method, src_shape, requires_grad)
    theirs = _scatter_backward(torch, method, src_shape, requires_grad)
    assert_close(ours[0].grad, theirs[0].grad, what="grad of x")
    if requires_grad:
        assert_close(ours[1].grad, theirs[1].grad, what="grad of src")
    else:
        assert ours[1].grad is None and theirs[1].grad is None


def _function_returning(lib, make_grads, name="Returns"):
    """A user's Function of any arguments (the first tensor doubled) whose backward
    returns make_grads(lib, grad)."""
    def forward(ctx, *args):
        return next(a for a in args if isinstance(a, lib.Tensor)) * 2

    def backward(ctx, grad):
        return make_grads(lib, grad)
    return type(name, (lib.autograd.Function,), {"forward": staticmethod(forward),
                                                 "backward": staticmethod(backward)})


def _backward_through(lib, make_grads, *args, use_grad=False):
    """Call the Function on args (the string "x" stands for a 2x3 leaf, "n" for a 2x3
    tensor without grad) and backpropagate a sum through it."""
    x = lib.ones(2, 3, requires_grad=True)
    args = [x if a == "x" else lib.ones(2, 3) if a == "n" else a for a in args]
    out = _function_returning(lib, make_grads, name="Custom").apply(*args).sum()
    if use_grad:
        return lib.autograd.grad(out, x)
    out.backward()
    return x.grad


REFUSED = {
    "larger": (lambda T, g: T.ones(5), ("x",)),
    "of the same size, other shape": (lambda T, g: g.reshape(3, 2), ("x",)),
    "smaller": (lambda T, g: T.ones(3), ("x",)),
    "0-d": (lambda T, g: g.sum(), ("x",)),
    "more dims, not broadcast": (lambda T, g: T.ones(1, 1, 1, 3), ("x",)),
    "empty": (lambda T, g: T.ones(0), ("x",)),
    "after non-tensor arguments": (lambda T, g: (None, None, T.ones(4, 3)), (2.0, "n", "x")),
    "through autograd.grad": (lambda T, g: T.ones(5), ("x", "use_grad")),
    "too few": (lambda T, g: g, ("x", "n")),
    "too many": (lambda T, g: (g, g), ("x",)),
    "a list": (lambda T, g: [g, None], ("x", "n")),
    "a gradient for a number": (lambda T, g: (g, g), ("x", 2.0)),
    "a number": (lambda T, g: 3.0, ("x",)),
    "a numpy array": (lambda T, g: g.numpy(), ("x",)),
    "a number among tensors": (lambda T, g: (None, 1.0), ("n", "x")),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_a_users_backward_returns_is_refused_as_in_torch(case):
    make_grads, args = REFUSED[case]
    use_grad = "use_grad" in args
    args = [a for a in args if a != "use_grad"]
    same_error(lambda T: _backward_through(T, make_grads, *args, use_grad=use_grad))


ACCEPTED = {
    "extra trailing Nones": (lambda T, g: (g * 3, None, None, None), ("x", "n")),
    "a wrong shape for a tensor needing none": (lambda T, g: (g, T.ones(7)), ("x", "n")),
    "None for a number": (lambda T, g: (None, g * 5), (2.0, "x")),
    "an integer gradient, cast": (lambda T, g: T.ones(2, 3, dtype=T.int64), ("x",)),
    "a broadcast gradient, summed": (lambda T, g: T.ones(4, 2, 3, dtype=T.float64), ("x",)),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_what_a_users_backward_may_return_as_in_torch(case):
    make_grads, args = ACCEPTED[case]
    assert_close(_backward_through(minitorch, make_grads, *args),
                 _backward_through(torch, make_grads, *args), what="grad")


def test_a_users_function_has_one_edge_per_tensor_argument():
    def edges(lib):
        x = lib.ones(2, requires_grad=True)
        out = _function_returning(lib, lambda T, g: g).apply(2.0, lib.ones(2), "s", x, 3)
        return [None if node is None else node.name().split("::")[-1]
                for node, _ in out.grad_fn.next_functions]
    assert edges(minitorch) == edges(torch) == [None, "AccumulateGrad"]


@settings(max_examples=60)
@given(shapes(0, 3, 1, 2), shapes(0, 3, 0, 2), st.sampled_from(FLOATS),
       st.sampled_from(FLOATS), st.integers(0, 2**32 - 1))
def test_any_gradient_shape_is_taken_or_refused_as_in_torch(shape, grad_shape, dtype,
                                                              grad_dtype, seed):
    """A user's backward returns a gradient of a random shape: torch sums one the input
    expands to down to the input (`is_expandable_to`) and refuses any other."""
    values = np.random.default_rng(seed).standard_normal(grad_shape).astype(grad_dtype)

    def run(lib):
        x = lib.zeros(shape, dtype=getattr(lib, np.dtype(dtype).name), requires_grad=True)
        fn = _function_returning(lib, lambda T, g: T.tensor(values))
        fn.apply(x).sum().backward()
        return x.grad

    if raised(run, torch) is not None:
        same_error(run)
    else:
        assert_close(run(minitorch), run(torch), what="grad")
