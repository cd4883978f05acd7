"""Module hooks and nn.utils against torch.

Hooks: the same hooks on the same module (the seed's nets, with torch's weights copied
in; small modules of several inputs and outputs) record what they see in both engines:
the calls in order, the arguments, outputs and gradients. Forward hooks may replace the
input and output, backward hooks the gradients; the handles remove them; bad returns
raise torch's errors.

nn.utils: clip_grad_norm_ (every norm type, nan and inf gradients, error_if_nonfinite),
clip_grad_value_, get_total_norm, clip_grads_with_norm_, parameters_to_vector and
vector_to_parameters, run on the same parameters and gradients in both engines.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import assume, given, strategies as st

import minitorch
from parity import FLOATS, assert_close, same_error, torch_name
from reference import models
from reference.transfer import copy_weights
from minitorch.vision.models import CifarNet, FashionMNISTNet, LeNet

LIBS = (minitorch, torch)


def plain(value):
    """What a hook saw, as comparable data: tensors as (dtype, rounded values), tuples and
    lists element by element, everything else as it is."""
    if isinstance(value, (minitorch.Tensor, torch.Tensor)):
        a = value.detach().numpy()
        return str(value.dtype).split(".")[1], a.round(6 if a.dtype == np.float64 else 4).tolist()
    if isinstance(value, (tuple, list)):
        return type(value).__name__, [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def twins(minitorch_cls, dtype="float64"):
    """The same seed net in both engines: minitorch's, and torch's with its weights."""
    minitorch.manual_seed(0)
    ours = minitorch_cls().to(getattr(minitorch, dtype))
    theirs = copy_weights(ours, models.twin_of(minitorch_cls)().to(getattr(torch, dtype)))
    return ours, theirs


def input_of(net_cls, dtype="float64", requires_grad=False):
    shape = {LeNet: (2, 1, 32, 32), CifarNet: (2, 3, 32, 32), FashionMNISTNet: (2, 1, 28, 28)}
    x = np.random.default_rng(0).standard_normal(shape[net_cls]).astype(dtype)
    return [lib.from_numpy(x.copy()).requires_grad_(requires_grad) for lib in LIBS]


def caught(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(m.message) for m in w]


# ---- forward hooks ---------------------------------------------------------------------------

@pytest.mark.parametrize("net_cls", [LeNet, CifarNet, FashionMNISTNet])
def test_forward_hooks_see_every_call_in_order(net_cls):
    """Pre-hooks and hooks on every module of a seed net: the same calls, in the same order
    (CifarNet's one pool module runs twice), seeing the same arguments and outputs."""
    logs = []
    for net, x in zip(twins(net_cls), input_of(net_cls)):
        log = []
        for name, module in net.named_modules():
            module.register_forward_pre_hook(lambda m, args, name=name: log.append(
                ("pre", name, plain(args))))
            module.register_forward_hook(lambda m, args, out, name=name: log.append(
                ("post", name, plain(out))))
        net(x)
        logs.append(log)
    assert logs[0] == logs[1]


def test_forward_hooks_replace_input_and_output():
    def run(lib):
        lin = lib.nn.Linear(2, 2).double()
        with lib.no_grad():
            lin.weight.copy_(lib.tensor([[1.0, 2.0], [3.0, 4.0]]))
            lin.bias.fill_(0.5)
        log = []
        handles = [
            lin.register_forward_pre_hook(lambda m, args: args[0] * 2),          # not a tuple
            lin.register_forward_pre_hook(lambda m, args: (args[0] + 1,)),
            lin.register_forward_pre_hook(lambda m, args, kwargs: (args, kwargs), with_kwargs=True),
            lin.register_forward_hook(lambda m, args, out: out * 10),
            lin.register_forward_hook(lambda m, args, out: log.append(plain(out))),
            lin.register_forward_hook(lambda m, args, kwargs, out: log.append(("kw", plain(kwargs))),
                                      with_kwargs=True),
            lin.register_forward_hook(lambda m, args, out: log.append("first"), prepend=True),
            lin.register_forward_pre_hook(lambda m, args: log.append(("pre first", plain(args))),
                                          prepend=True),
        ]
        x = lib.tensor([[1.0, -1.0]], dtype=lib.float64)
        log.append(plain(lin(x)))
        handles[0].remove()
        handles[3].remove()
        handles[3].remove()  # (twice is fine)
        log.append(plain(lin(x)))
        with lin.register_forward_hook(lambda m, args, out: out + 100):
            log.append(plain(lin(x)))
        log.append(plain(lin(x)))
        log.append([isinstance(h.id, int) for h in handles])
        return log
    assert run(minitorch) == run(torch)


def test_forward_hooks_with_kwargs():
    def run(lib):
        class Scale(lib.nn.Module):
            def forward(self, x, factor=1.0, *, shift=0.0):
                return x * factor + shift
        m, log = Scale(), []
        m.register_forward_pre_hook(
            lambda m, args, kwargs: (args, {**kwargs, "shift": 5.0}), with_kwargs=True)
        m.register_forward_hook(
            lambda m, args, kwargs, out: log.append((plain(args), plain(kwargs), plain(out))),
            with_kwargs=True)
        log.append(plain(m(lib.tensor([1.0, 2.0]), 3.0, shift=1.0)))
        return log
    assert run(minitorch) == run(torch)


def test_forward_pre_hook_with_kwargs_must_return_a_pair():
    def call(lib):
        m = lib.nn.Identity()
        m.register_forward_pre_hook(lambda m, a, k: 5, with_kwargs=True)
        m(lib.ones(1))
    same_error(call)


def test_always_call_hooks_run_when_forward_raises():
    def run(lib):
        log = []

        class Broken(lib.nn.Module):
            def forward(self, x):
                raise ValueError("broken forward")
        m = Broken()
        m.register_forward_hook(lambda m, args, out: log.append(("always", out)),
                                always_call=True)
        m.register_forward_hook(lambda m, args, out: log.append("never"))

        def failing(m, args, out):
            raise KeyError("also broken")
        m.register_forward_hook(failing, always_call=True)
        _, messages = caught(lambda: pytest.raises(ValueError, m, lib.ones(1)))
        return log, messages
    assert run(minitorch) == run(torch)


def test_hook_dicts_and_handles_as_torch_keeps_them():
    for lib in LIBS:
        m = lib.nn.Linear(1, 1)
        assert not (m._forward_hooks or m._forward_pre_hooks or m._backward_hooks
                    or m._backward_pre_hooks)
        h = m.register_forward_hook(print, with_kwargs=True, always_call=True)
        assert list(m._forward_hooks) == [h.id] and m._forward_hooks[h.id] is print
        assert h.id in m._forward_hooks_with_kwargs and h.id in m._forward_hooks_always_called
        h.remove()
        assert not (m._forward_hooks or m._forward_hooks_with_kwargs
                    or m._forward_hooks_always_called)
        assert type(h).__name__ == "RemovableHandle"
    assert minitorch.utils.hooks.RemovableHandle.__name__ == "RemovableHandle"


# ---- backward hooks ----------------------------------------------------------------------------

def record_backward(net, log):
    """Full backward hooks (and pre-hooks) on every module, logging what they see."""
    for name, module in net.named_modules():
        module.register_full_backward_pre_hook(lambda m, go, name=name: log.append(
            ("pre", name, plain(go))))
        module.register_full_backward_hook(lambda m, gi, go, name=name: log.append(
            ("full", name, plain(gi), plain(go))))


@pytest.mark.parametrize("net_cls", [LeNet, CifarNet, FashionMNISTNet])
@pytest.mark.parametrize("input_requires_grad", [False, True])
def test_full_backward_hooks_on_the_seed_nets(net_cls, input_requires_grad):
    """grad_input / grad_output as torch gives them, module by module, in torch's order;
    where no input requires grad the hook fires from the output (with torch's warning)."""
    results = []
    for lib, net, x in zip(LIBS, twins(net_cls), input_of(net_cls, requires_grad=input_requires_grad)):
        log = []
        record_backward(net, log)
        out = net(x)
        assert out.grad_fn.name() == "BackwardHookFunctionBackward"
        _, messages = caught(lambda: (out * out).sum().backward())
        messages = [m for m in messages if "Full backward hook is firing" in m]
        grads = [plain(p.grad) for p in net.parameters()] + [plain(x.grad)]
        results.append((log, len(messages), grads))
    assert results[0] == results[1]
    assert (results[0][1] == 0) == input_requires_grad


def test_backward_hooks_replace_gradients():
    """A pre-hook's grad_output flows into the module; a hook's grad_input flows on to the
    layers before it. Both change what every parameter gets, as in torch."""
    results = []
    for net, x in zip(twins(LeNet), input_of(LeNet)):
        net.fc2.register_full_backward_pre_hook(lambda m, go: (go[0] * 3,))
        net.conv2.register_full_backward_hook(lambda m, gi, go: (gi[0] * -2,))
        net.fc3.register_full_backward_hook(lambda m, gi, go: None)
        net(x).sum().backward()
        results.append([plain(p.grad) for p in net.parameters()])
    assert results[0] == results[1]


def test_backward_hooks_with_several_inputs_and_outputs():
    """grad_input has one entry per positional argument: None for what is not a tensor,
    zeros for a tensor no gradient reached; grad_output None for an unused output."""
    def run(lib, backward):
        class Two(lib.nn.Module):
            def forward(self, a, k, b, c):
                return a * b * k, a + 1, c * 2
        m, log = Two(), []
        m.register_full_backward_pre_hook(lambda m, go: log.append(("pre", plain(go))))
        m.register_full_backward_hook(lambda m, gi, go: log.append(("full", plain(gi), plain(go))))
        a = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([3.0, -1.0], dtype=lib.float64)
        c = lib.tensor([0.5], dtype=lib.float64, requires_grad=True)
        outs = m(a, 2.0, b, c)
        log.append([o.grad_fn.name() for o in outs])
        backward(outs)
        log.append((plain(a.grad), plain(c.grad)))
        return log
    for backward in (lambda o: o[0].sum().backward(),
                     lambda o: (o[0].sum() + o[2].sum()).backward(),
                     lambda o: (o[1] * o[0]).sum().backward()):
        assert run(minitorch, backward) == run(torch, backward)


def test_backward_hook_graph_reads_as_torch():
    def structure(fn, depth=3):
        if fn is None or depth == 0:
            return fn and fn.name().split("::")[-1]
        return fn.name().split("::")[-1], tuple(structure(f, depth - 1) for f, _ in fn.next_functions)

    def graph(lib):
        lin = lib.nn.Linear(3, 2)
        lin.register_full_backward_hook(lambda *a: None)
        return structure(lin(lib.ones(4, 3, requires_grad=True)).grad_fn, 4)
    assert graph(minitorch) == graph(torch)
    for lib in LIBS:
        lin = lib.nn.Linear(3, 2)
        lin.register_full_backward_hook(lambda *a: None)
        node = lin(lib.ones(1, 3, requires_grad=True)).grad_fn
        assert repr(node).startswith(f"<{lib.__name__}.autograd.function."
                                     "BackwardHookFunctionBackward object at 0x")


def test_backward_hooks_removed_and_under_no_grad():
    def run(lib):
        lin, log = lib.nn.Linear(2, 1), []
        h = lin.register_full_backward_hook(lambda m, gi, go: log.append("full"))
        p = lin.register_full_backward_pre_hook(lambda m, go: log.append("pre"), prepend=True)
        x = lib.ones(1, 2, requires_grad=True)
        lin(x).sum().backward()
        with lib.no_grad():
            out = lin(x)
        log.append(out.requires_grad)
        h.remove()
        lin(x).sum().backward()
        p.remove()
        out = lin(x)
        log.append(out.grad_fn.name())
        return log
    assert run(minitorch) == run(torch)


def test_backward_hook_errors():
    def lin_with(register, hook, x_requires_grad=True):
        def call(lib):
            lin = lib.nn.Linear(3, 2)
            getattr(lin, register)(hook(lib))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lin(lib.ones(4, 3, requires_grad=x_requires_grad)).sum().backward()
        return call
    full, pre = "register_full_backward_hook", "register_full_backward_pre_hook"
    same_error(lin_with(full, lambda lib: lambda m, gi, go: (gi[0], gi[0])))
    same_error(lin_with(full, lambda lib: lambda m, gi, go: (lib.ones(5),)))
    same_error(lin_with(full, lambda lib: lambda m, gi, go: (lib.ones(4, 3, dtype=lib.float64),)))
    same_error(lin_with(pre, lambda lib: lambda m, go: (go[0], 1)))
    same_error(lin_with(pre, lambda lib: lambda m, go: (lib.ones(3),)))
    same_error(lin_with(full, lambda lib: lambda m, gi, go: (lib.ones(4, 3),), False))


def test_backward_hook_output_not_a_tensor_warns():
    def run(lib):
        class Listy(lib.nn.Module):
            def forward(self, x):
                return [x * 2]
        m = Listy()
        m.register_full_backward_hook(lambda *a: None)
        out, messages = caught(lambda: m(lib.ones(1, requires_grad=True)))
        return [torch_name(s) if lib is torch else s for s in messages], out[0].grad_fn.name()
    assert run(minitorch) == run(torch)


# ---- nn.utils: clipping ------------------------------------------------------------------------

SHAPES = [(3, 2), (4,), (), (2, 1, 2)]


@st.composite
def gradient_sets(draw, specials=False):
    """Gradients for a few parameters (some without one), dtypes drawn per parameter."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    grads = []
    for shape in SHAPES[:draw(st.integers(1, len(SHAPES)))]:
        dtype = draw(st.sampled_from(FLOATS))
        if draw(st.integers(0, 4)) == 0:
            grads.append((shape, dtype, None))
            continue
        g = np.array(rng.standard_normal(shape) * draw(st.sampled_from([1e-3, 1.0, 50.0])))
        if specials:
            special = rng.random(shape) < 0.3
            g[special] = rng.choice([np.nan, np.inf, -np.inf, 0.0], size=int(special.sum()))
        grads.append((shape, dtype, np.asarray(g).astype(dtype)))
    return grads


def parameters(lib, grads):
    params = []
    for shape, dtype, g in grads:
        p = lib.nn.Parameter(lib.zeros(shape, dtype=getattr(lib, np.dtype(dtype).name)))
        p.grad = None if g is None else lib.from_numpy(g.copy())
        params.append(p)
    return params


def same_grads(ours, theirs, rtol=None):
    for o, t in zip(ours, theirs):
        assert (o.grad is None) == (t.grad is None)
        if t.grad is not None:
            assert_close(o.grad, t.grad, rtol, what="clipped grad")


NORM_TYPES = st.sampled_from([2.0, 1, 3.0, 0.5, float("inf"), "inf"])


@given(gradient_sets(), st.sampled_from([0.1, 1.0, 1e3]), NORM_TYPES)
def test_clip_grad_norm(grads, max_norm, norm_type):
    ours, theirs = parameters(minitorch, grads), parameters(torch, grads)
    mixed = len({dtype for _, dtype, g in grads if g is not None}) > 1
    rtol = 1e-5 if mixed or any(g is not None and g.dtype == np.float32 for *_, g in grads) \
        else None
    total = [lib.nn.utils.clip_grad_norm_(p, max_norm, norm_type)
             for lib, p in zip(LIBS, (iter(ours), theirs))]  # (a generator, and a list)
    assert_close(total[0], total[1], rtol, what="total norm")
    same_grads(ours, theirs, rtol)


@given(gradient_sets(specials=True), NORM_TYPES)
def test_clip_grad_norm_of_nonfinite_gradients(grads, norm_type):
    """inf and nan make the total norm inf or nan: scaled anyway, or refused on request."""
    ours, theirs = parameters(minitorch, grads), parameters(torch, grads)
    totals = [lib.nn.utils.clip_grad_norm_(p, 1.0, norm_type) for lib, p in zip(LIBS, (ours, theirs))]
    assert_close(totals[0], totals[1], 1e-5, what="total norm")
    same_grads(ours, theirs, 1e-5)
    if not np.isfinite(totals[1].item()):
        same_error(lambda lib: lib.nn.utils.clip_grad_norm_(
            parameters(lib, grads), 1.0, norm_type, error_if_nonfinite=True))


def test_clip_grad_norm_corner_cases():
    g = np.array([3.0, 4.0])
    for lib in LIBS:
        p = lib.nn.Parameter(lib.zeros(2))
        p.grad = lib.from_numpy(g.astype(np.float32))
        assert lib.nn.utils.clip_grad_norm_(p, 1.0).item() == pytest.approx(5.0)  # one tensor
        assert p.grad.tolist() == pytest.approx([0.6, 0.8], rel=1e-5)
        assert lib.nn.utils.clip_grad_norm_([], 1.0).tolist() == 0.0
        assert lib.nn.utils.clip_grad_norm_([lib.nn.Parameter(lib.ones(1))], 1.0).item() == 0.0
    messages = []
    for lib in LIBS:
        _, found = caught(lambda: lib.nn.utils.clip_grad_norm_((p for p in []), 1.0))
        messages.append(found)
    assert messages[0] == messages[1] and messages[0]
    deprecated = []
    for lib in LIBS:
        p = lib.nn.Parameter(lib.ones(2))
        p.grad = lib.ones(2)
        total, found = caught(lambda: lib.nn.utils.clip_grad_norm(p, 1.0))
        deprecated.append(([torch_name(m) if lib is torch else m for m in found], plain(total)))
    assert deprecated[0] == deprecated[1]


@given(gradient_sets(specials=True), st.sampled_from([0.0, 0.5, 2.0, -1.0]))
def test_clip_grad_value(grads, clip_value):
    # (torch 2.14 fails an internal check when no parameter has a gradient; minitorch has
    # nothing to clip then)
    assume(any(g is not None for *_, g in grads))
    ours, theirs = parameters(minitorch, grads), parameters(torch, grads)
    for lib, p in zip(LIBS, (ours, theirs)):
        assert lib.nn.utils.clip_grad_value_(p, clip_value) is None
    same_grads(ours, theirs)


@given(gradient_sets(), NORM_TYPES)
def test_get_total_norm_and_clip_grads_with_norm(grads, norm_type):
    ours, theirs = parameters(minitorch, grads), parameters(torch, grads)
    totals = []
    for lib, params in zip(LIBS, (ours, theirs)):
        total = lib.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None],
                                            norm_type)
        lib.nn.utils.clip_grads_with_norm_(params, 0.5, total)
        totals.append(total)
    assert_close(totals[0], totals[1], 1e-5, what="total norm")
    same_grads(ours, theirs, 1e-5)


def test_clipping_stays_out_of_the_graph():
    for lib in LIBS:
        p = lib.nn.Parameter(lib.ones(2))
        (p * p).sum().backward(create_graph=False)
        total = lib.nn.utils.clip_grad_norm_([p], 0.1)
        assert not total.requires_grad and p.grad.grad_fn is None


# ---- nn.utils: parameters as a vector ----------------------------------------------------------

@pytest.mark.parametrize("net_cls", [LeNet, FashionMNISTNet])
def test_parameters_to_vector_and_back(net_cls):
    ours, theirs = twins(net_cls)
    vectors = [lib.nn.utils.parameters_to_vector(net.parameters())
               for lib, net in zip(LIBS, (ours, theirs))]
    assert_close(vectors[0], vectors[1])
    assert vectors[0].grad_fn.name() == vectors[1].grad_fn.name() == "CatBackward0"
    assert [n.name() for n, _ in vectors[0].grad_fn.next_functions[:2]] == \
        [n.name() for n, _ in vectors[1].grad_fn.next_functions[:2]]
    # the gradient through the vector reaches every parameter
    for v in vectors:
        (v * v).sum().backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert_close(p.grad, q.grad)
    new = np.random.default_rng(0).standard_normal(vectors[0].shape[0])
    for lib, net in zip(LIBS, (ours, theirs)):
        vec = lib.from_numpy(new.copy())
        lib.nn.utils.vector_to_parameters(vec, net.parameters())
        with lib.no_grad():
            vec[0] = 7.0  # the parameters now view the vector's memory, as in torch
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert_close(p, q, what=name)
        assert type(p).__name__ == "Parameter" and p.requires_grad
    assert next(ours.parameters()).flatten()[0].item() == 7.0


def test_vector_to_parameters_errors():
    same_error(lambda lib: lib.nn.utils.vector_to_parameters([1.0], [lib.nn.Parameter(lib.ones(1))]))
    same_error(lambda lib: lib.nn.utils.vector_to_parameters(np.ones(1), [lib.nn.Parameter(lib.ones(1))]))
