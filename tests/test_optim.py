"""minitorch.optim against torch.optim: the same parameters, the same gradients, the same
options, step after step.

Gradients are set by hand from each engine's own current parameter values (g = 0.5 p +
noise_t, the noise fixed per step), so the two runs feed back on their own trajectories and
any difference in the update rule shows up and grows. float64 runs must agree to 1e-12;
float32 to 1e-6 (torch's kernels fuse some multiply-adds, so the last bit may differ). State
dicts are compared key by key, and moved between the engines.
"""
import importlib
import warnings
from copy import deepcopy

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from parity import assert_close, same_error, to_minitorch, to_torch

LIBS = (minitorch, torch)
RTOL = {np.float64: 1e-12, np.float32: 1e-6}
STEPS = 20


# ---- a run: parameters, gradients by hand, steps -----------------------------------------

def parameters(lib, arrays):
    return [lib.nn.Parameter(lib.from_numpy(a.copy())) for a in arrays]


def set_grads(lib, params, seed, t, present):
    """Step t's gradients: 0.5 p + fixed noise, or None where `present` says so."""
    for i, p in enumerate(params):
        if not present(t, i):
            p.grad = None
            continue
        values = p.detach().numpy()
        noise = np.random.default_rng([seed, t, i]).standard_normal(values.shape)
        p.grad = lib.from_numpy(np.asarray(0.5 * values + noise, dtype=values.dtype))


def run_steps(lib, opt, params, seed, present, steps=STEPS, first=0):
    for t in range(first, first + steps):
        set_grads(lib, params, seed, t, present)
        opt.step()


def same_params(ours, theirs, versions=True):
    """Same values; and each in-place write counted in the version as torch counts it
    (torch's fused kernels write without counting: versions=False)."""
    for i, (o, t) in enumerate(zip(ours, theirs)):
        dtype = t.detach().numpy().dtype.type
        assert_close(o.detach(), t.detach(), rtol=RTOL[dtype], what=f"param {i}")
        if versions:
            assert o._version == t._version, f"param {i}: version {o._version} != {t._version}"


def same_state_dict(ours, theirs, rtol):
    assert list(ours) == ["state", "param_groups"] == list(theirs)
    assert ours["param_groups"] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"])
    for index, theirs_state in theirs["state"].items():
        ours_state = ours["state"][index]
        assert list(ours_state) == list(theirs_state), f"state {index}: keys"
        for key, t in theirs_state.items():
            assert_close(ours_state[key], t, rtol=rtol, what=f"state {index} {key}")


# ---- options ---------------------------------------------------------------------------------

def maybe(strategy, off=0):
    return st.one_of(st.just(off), strategy)


# torch's implementations (all computing the same rule): for-loop, foreach, fused
IMPLEMENTATIONS = [{}, {"foreach": False}, {"foreach": True}, {"fused": False, "foreach": None},
                   {"fused": True}]


@st.composite
def sgd_options(draw):
    opts = {"lr": draw(st.floats(0, 0.5)), "momentum": draw(maybe(st.floats(0, 0.99))),
            "dampening": draw(maybe(st.floats(0, 1))),
            "weight_decay": draw(maybe(st.floats(0, 0.1))), "maximize": draw(st.booleans())}
    if opts["momentum"] > 0 and opts["dampening"] == 0:
        opts["nesterov"] = draw(st.booleans())
    return opts


@st.composite
def adam_options(draw):
    """(beta2 >= 0.9: with a shorter memory, denom follows |g| down to near zero and the
    trajectory amplifies the last bit that torch's fused multiply-adds round differently.)"""
    return {"lr": draw(st.floats(0, 0.5)),
            "betas": (draw(st.floats(0, 0.99)), draw(st.floats(0.9, 0.9999))),
            "eps": draw(st.sampled_from([1e-8, 0.0, 1e-3])),
            "weight_decay": draw(maybe(st.floats(0, 0.1))), "amsgrad": draw(st.booleans()),
            "maximize": draw(st.booleans()), "decoupled_weight_decay": draw(st.booleans())}


@st.composite
def problems(draw, options):
    """Param groups (arrays, options), constructor defaults, a dtype, a seed and which
    gradients are None at which step."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        shapes = draw(st.lists(st.sampled_from([(), (3,), (2, 3), (4, 1)]), min_size=1,
                               max_size=2))
        arrays = [rng.uniform(-2, 2, size=s).astype(dtype) for s in shapes]
        groups.append((arrays, draw(options)))
    none_rate = draw(st.sampled_from([0.0, 0.3]))
    # (torch's fused SGD fails when some momentum buffers exist and others don't yet)
    implementation = draw(st.sampled_from(IMPLEMENTATIONS[:-1] if none_rate else IMPLEMENTATIONS))
    defaults = {**draw(options), **implementation}
    missing = rng.random((STEPS * 2, 6)) < none_rate
    return groups, defaults, dtype, seed, lambda t, i: not missing[t, i]


def build(lib, name, groups, defaults, arrays=None):
    """The optimizer over the groups (their own arrays, or `arrays` laid out in the same
    groups), and all its parameters in order."""
    arrays = [a for group_arrays, _ in groups for a in group_arrays] if arrays is None else arrays
    params = parameters(lib, arrays)
    param_groups, start = [], 0
    for group_arrays, opts in groups:
        param_groups.append({"params": params[start:start + len(group_arrays)], **opts})
        start += len(group_arrays)
    return getattr(lib.optim, name)(param_groups, **defaults), params


def check_run(name, problem):
    groups, defaults, dtype, seed, present = problem
    (ours, ours_p), (theirs, theirs_p) = (build(lib, name, groups, defaults) for lib in LIBS)
    run_steps(minitorch, ours, ours_p, seed, present)
    run_steps(torch, theirs, theirs_p, seed, present)
    same_params(ours_p, theirs_p, versions=not defaults.get("fused"))
    same_state_dict(ours.state_dict(), theirs.state_dict(), RTOL[dtype])


@given(problems(sgd_options()))
def test_sgd_follows_torch(problem):
    check_run("SGD", problem)


@given(problems(adam_options()))
def test_adam_follows_torch(problem):
    check_run("Adam", problem)


# ---- state dicts move within and between the engines ------------------------------------

@given(st.sampled_from([("SGD", sgd_options()), ("Adam", adam_options())]).flatmap(
    lambda kind: st.tuples(st.just(kind[0]), problems(kind[1]))))
def test_load_state_dict_continues_the_trajectory(case):
    """After 10 steps, a fresh optimizer loads the state dict (its own engine's, or the
    other engine's converted) and 10 more steps go as torch's go."""
    name, (groups, defaults, dtype, seed, present) = case
    ours, ours_p = build(minitorch, name, groups, defaults)
    theirs, theirs_p = build(torch, name, groups, defaults)
    run_steps(minitorch, ours, ours_p, seed, present, steps=10)
    run_steps(torch, theirs, theirs_p, seed, present, steps=10)
    saved_ours, saved_theirs = ours.state_dict(), theirs.state_dict()
    now = [p.detach().numpy() for p in theirs_p]
    plain = [(arrays, {}) for arrays, _ in groups]  # hyper-parameters come from the load
    resumed = []
    for lib, saved in [(minitorch, saved_ours), (minitorch, to_minitorch(saved_theirs)),
                       (torch, saved_theirs), (torch, to_torch(saved_ours))]:
        fresh, params = build(lib, name, plain, {}, arrays=now)
        fresh.load_state_dict(deepcopy(saved))  # as from a file: sharing no tensor
        run_steps(lib, fresh, params, seed, present, steps=10, first=10)
        resumed.append((fresh, params))
    run_steps(minitorch, ours, ours_p, seed, present, steps=10, first=10)
    run_steps(torch, theirs, theirs_p, seed, present, steps=10, first=10)
    for _, params in resumed:
        for i, (p, t) in enumerate(zip(params, theirs_p)):
            assert_close(to_minitorch(p.detach()), t.detach(), rtol=RTOL[dtype], what=f"param {i}")
    same_params(ours_p, theirs_p, versions=not defaults.get("fused"))
    same_state_dict(resumed[0][0].state_dict(), theirs.state_dict(), RTOL[dtype])
    same_state_dict(resumed[1][0].state_dict(), theirs.state_dict(), RTOL[dtype])


def test_loading_casts_state_to_the_params_dtype_and_shares_the_rest():
    """A float64 state loaded for float32 params is cast (a new tensor); one already of the
    param's dtype, and Adam's step counter, are taken as they are, as torch does."""
    for lib in LIBS:
        source = parameters(lib, [np.array([1.0, -2.0])])
        opt = lib.optim.Adam(source, lr=0.1)
        source[0].grad = lib.from_numpy(np.array([0.5, 0.25]))
        opt.step()
        saved = opt.state_dict()
        for dtype in (np.float32, np.float64):
            params = parameters(lib, [np.array([1.0, -2.0], dtype=dtype)])
            fresh = lib.optim.Adam(params)
            fresh.load_state_dict(saved)
            state, saved_state = fresh.state[params[0]], saved["state"][0]
            assert state["exp_avg"].dtype == params[0].dtype
            assert (state["exp_avg"] is saved_state["exp_avg"]) == (dtype == np.float64)
            assert state["step"] is saved_state["step"]
            assert fresh.param_groups[0]["lr"] == 0.1
            assert fresh.param_groups[0]["params"][0] is params[0]


def test_state_dict_keeps_param_names():
    """Params given as (name, tensor) pairs: names kept in the groups and the state dict."""
    dicts = []
    for lib in LIBS:
        a, b = parameters(lib, [np.ones(2), np.zeros(3)])
        opt = lib.optim.SGD([("a", a), ("b", b)], lr=0.1, momentum=0.9)
        assert [p is q for p, q in zip(opt.param_groups[0]["params"], [a, b])] == [True, True]
        dicts.append(opt.state_dict())
    assert dicts[0] == dicts[1]
    assert dicts[0]["param_groups"][0]["param_names"] == ["a", "b"]


# ---- zero_grad, closure, printed form -----------------------------------------------------

def test_zero_grad_sets_none_or_zeroes_in_place():
    x = np.array([1.0, 2.0, -3.0])
    results = []
    for lib in LIBS:
        p, q = parameters(lib, [x, x])
        opt = lib.optim.SGD([p, q], lr=0.1)
        p.grad = lib.from_numpy(x.copy()).requires_grad_() * 2   # a grad inside a graph
        q.grad = lib.from_numpy(x.copy()).requires_grad_()       # a grad requiring grad
        grad_p, grad_q = p.grad, q.grad
        opt.zero_grad(set_to_none=False)
        assert p.grad is grad_p and q.grad is grad_q   # the same tensors, zeroed in place
        results.append([(g.grad_fn is None, g.requires_grad, g.tolist(), g._version)
                        for g in (p.grad, q.grad)])
        opt.zero_grad()
        assert p.grad is None and q.grad is None
    assert results[0] == results[1]
    assert results[0][0][:3] == results[0][1][:3] == (True, False, [0.0, 0.0, 0.0])


def test_step_with_a_closure_returns_its_loss_and_records_under_no_grad():
    """The closure recomputes the loss with autograd on, even when step runs under
    no_grad; step returns the loss; the parameters follow torch's."""
    target = np.array([0.5, -1.0, 2.0])
    runs = []
    for lib in LIBS:
        (p,) = parameters(lib, [np.zeros(3)])
        opt = lib.optim.Adam([p], lr=0.1, amsgrad=True)
        goal = lib.from_numpy(target.copy())

        def closure():
            opt.zero_grad()
            loss = ((p - goal) ** 2).sum()
            loss.backward()
            return loss

        losses = []
        for _ in range(5):
            with lib.no_grad():
                losses.append(opt.step(closure).item())
        runs.append((p, losses))
    (ours, ours_losses), (theirs, theirs_losses) = runs
    np.testing.assert_allclose(ours_losses, theirs_losses, rtol=1e-12)
    same_params([ours], [theirs])
    assert minitorch.optim.SGD([ours]).step() is None


def test_repr_is_torchs():
    texts = []
    for lib in LIBS:
        a, b, c = parameters(lib, [np.ones(2), np.ones(3), np.ones(1)])
        texts.append([repr(lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5,
                                                              "momentum": 0.9}], lr=0.01)),
                      str(lib.optim.Adam([a, b], betas=(0.8, 0.99), amsgrad=True)),
                      repr(lib.optim.Adam([{"params": [c], "weight_decay": 0.1}], fused=True))])
    assert texts[0] == texts[1]
    assert texts[0][0].startswith("SGD (\nParameter Group 0\n    dampening: 0\n")
    assert "weight_decay: 0\n\nParameter Group 1\n" in texts[0][0]


# ---- errors -----------------------------------------------------------------------------

def one_param(lib):
    return parameters(lib, [np.ones(2)])


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.SGD(one_param(lib), lr=-1),
    lambda lib: lib.optim.SGD(one_param(lib), lr=0.1, momentum=-0.5),
    lambda lib: lib.optim.SGD(one_param(lib), weight_decay=-1e-3),
    lambda lib: lib.optim.SGD(one_param(lib), nesterov=True),
    lambda lib: lib.optim.SGD(one_param(lib), momentum=0.9, dampening=0.1, nesterov=True),
    lambda lib: lib.optim.SGD(one_param(lib), fused=True, foreach=True),
    lambda lib: lib.optim.Adam(one_param(lib), lr=-0.5),
    lambda lib: lib.optim.Adam(one_param(lib), eps=-1e-8),
    lambda lib: lib.optim.Adam(one_param(lib), betas=(1.0, 0.999)),
    lambda lib: lib.optim.Adam(one_param(lib), betas=(0.9, -0.1)),
    lambda lib: lib.optim.Adam(one_param(lib), betas=(0.9, 1)),
    lambda lib: lib.optim.Adam(one_param(lib), weight_decay=-1),
    lambda lib: lib.optim.Adam(one_param(lib), fused=True, foreach=True),
    lambda lib: lib.optim.SGD([]),
    lambda lib: lib.optim.Adam(iter([])),
    lambda lib: lib.optim.SGD(lib.ones(2, requires_grad=True)),
    lambda lib: lib.optim.SGD([{"params": {lib.ones(2, requires_grad=True)}}]),
    lambda lib: lib.optim.SGD([lib.ones(2, requires_grad=True) * 2]),
    lambda lib: lib.optim.SGD([lib.ones(2), 3]),
    lambda lib: lib.optim.SGD([("a", lib.ones(2)), lib.ones(2)]),
    lambda lib: lib.optim.SGD(one_param(lib)).add_param_group([lib.ones(2)]),
], ids=lambda _: "")
def test_bad_arguments_raise_torchs_errors(make):
    same_error(make)


def test_a_param_in_two_groups():
    def make(lib):
        p = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([{"params": [p]}, {"params": [lib.zeros(1)]}])
        opt.add_param_group({"params": p})
    same_error(make)


def test_groups_with_and_without_names():
    same_error(lambda lib: lib.optim.Adam([{"params": [("a", lib.ones(2))]},
                                           {"params": [lib.ones(2)]}]))


def test_a_group_missing_a_required_hyper_parameter():
    def make(lib):
        required = importlib.import_module(lib.__name__ + ".optim.optimizer").required

        class NoDefaultLr(lib.optim.Optimizer):
            def __init__(self, params, lr=required):
                super().__init__(params, {"lr": lr})
        opt = NoDefaultLr([{"params": [lib.ones(2)], "lr": 0.1}])
        assert opt.param_groups[0]["lr"] == 0.1
        assert repr(required) == "<required parameter>"
        NoDefaultLr([lib.ones(2)])
    same_error(make)


@pytest.mark.parametrize("how", ["groups", "sizes"])
def test_loading_a_state_dict_of_another_layout(how):
    def make(lib):
        a, b = parameters(lib, [np.ones(2), np.ones(3)])
        source = lib.optim.SGD([a, b] if how == "sizes" else [{"params": [a]}, {"params": [b]}])
        target = lib.optim.SGD([a] if how == "sizes" else [a, b])
        target.load_state_dict(source.state_dict())
    same_error(make)


def test_capturable_adam_cannot_step_on_the_cpu():
    def make(lib):
        (p,) = one_param(lib)
        p.grad = lib.ones(2, dtype=p.dtype)
        lib.optim.Adam([p], capturable=True).step()
    same_error(make)


def test_duplicate_params_warn_as_torch():
    messages = []
    for lib in LIBS:
        (p,) = one_param(lib)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.optim.SGD([p, p], lr=0.1)
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_differentiable_steps_are_refused():
    """(torch differentiates through step(); minitorch updates outside autograd and says so)"""
    for make in (minitorch.optim.SGD, minitorch.optim.Adam):
        with pytest.raises(NotImplementedError, match="differentiable=True"):
            make(one_param(minitorch), differentiable=True)
