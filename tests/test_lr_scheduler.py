"""minitorch.optim.lr_scheduler against torch.optim.lr_scheduler: the same optimizer (param
groups with their own rates), the same schedule and options, epoch after epoch.

Schedules are plain Python floats computed in torch's order, so everything is compared
exactly: get_last_lr(), every param group's hyper-parameters (lr, initial_lr, momentum or
betas as OneCycleLR sets them, ...), the scheduler's state_dict, and the warnings raised,
or, where torch raises, the same exception. A run takes milliseconds: the hypothesis tests
draw 100 cases each, to reach the rarer corners (a metric equal to the best with threshold
0, a cooldown ending on a plateau, a cosine restart).
"""
import inspect
import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from parity import same_error

LIBS = (minitorch, torch)
CHAINABLE = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"]
ALL = CHAINABLE + ["OneCycleLR", "ReduceLROnPlateau"]


# ---- lambdas (the same functions in both engines) -------------------------------------------

def halving_every_three(epoch):
    return 0.5 ** (epoch // 3)


class Warmup:
    """A callable object: its attributes go into LambdaLR's state dict."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


LAMBDAS = [lambda epoch: 0.95 ** epoch, lambda epoch: 1 / (1 + epoch), halving_every_three]


# ---- a run: optimizer, scheduler(s), epochs ------------------------------------------------

def make_optimizer(lib, kind, lrs):
    """An optimizer with one param group per rate (SGD with momentum, or Adam for betas)."""
    groups = [{"params": [lib.nn.Parameter(lib.ones(2))], "lr": lr} for lr in lrs]
    if kind == "Adam":
        return lib.optim.Adam(groups, lr=lrs[0])
    return lib.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def make_scheduler(lib, optimizer, name, options):
    options = dict(options)
    if name == "LambdaLR" and isinstance(options["lr_lambda"], list):
        # a fresh Warmup per run: its state belongs to the run
        options["lr_lambda"] = [Warmup(*f) if isinstance(f, tuple) else f
                                for f in options["lr_lambda"]]
    return getattr(lib.optim.lr_scheduler, name)(optimizer, **options)


def snapshot(optimizer, schedulers):
    """What a user sees: rates, hyper-parameters of every group, state dicts."""
    return ([s.get_last_lr() for s in schedulers],
            [{k: v for k, v in g.items() if k != "params"} for g in optimizer.param_groups],
            [s.state_dict() for s in schedulers])


def outcome(fn, lib):
    """fn(lib)'s result and the warnings it raised, or the exception it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(lib)
        except Exception as e:  # noqa: BLE001 - an exception is the result under test
            return ("raised", type(e).__name__, str(e).replace("minitorch", "torch"))
    return ("returned", result, [(w.category, str(w.message)) for w in caught])


def same_outcome(fn):
    ours, theirs = outcome(fn, minitorch), outcome(fn, torch)
    assert ours == theirs, f"\nminitorch: {ours}\ntorch:     {theirs}"
    return ours


def build(lib, optimizer_kind, lrs, schedules):
    optimizer = make_optimizer(lib, optimizer_kind, lrs)
    return optimizer, [make_scheduler(lib, optimizer, name, options) for name, options in schedules]


def epoch(lib, optimizer, schedulers, metric, scheduler_first=False):
    """optimizer.step(), then each scheduler's step() (or the other way round)."""
    if not scheduler_first:
        optimizer.step()
    for scheduler in schedulers:
        if isinstance(scheduler, lib.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(metric)
        else:
            scheduler.step()
    if scheduler_first:
        optimizer.step()


def run(lib, optimizer_kind, lrs, schedules, epochs, metrics=(), scheduler_first=False):
    """A snapshot after construction and after every epoch."""
    optimizer, schedulers = build(lib, optimizer_kind, lrs, schedules)
    record = [snapshot(optimizer, schedulers)]
    for t in range(epochs):
        epoch(lib, optimizer, schedulers, metrics[t], scheduler_first)
        record.append(snapshot(optimizer, schedulers))
    return record


# ---- options ---------------------------------------------------------------------------------

gammas = st.floats(0.01, 1.0)
lr_lists = st.lists(st.floats(1e-4, 1.0), min_size=1, max_size=3)


def per_group(values, groups):
    """One value for all groups, or a list of one per group."""
    return st.one_of(values, st.lists(values, min_size=groups, max_size=groups))


@st.composite
def options(draw, name, groups):
    if name == "StepLR":
        return {"step_size": draw(st.integers(1, 8)), "gamma": draw(gammas)}
    if name == "MultiStepLR":
        return {"milestones": draw(st.lists(st.integers(0, 30), max_size=5)),
                "gamma": draw(gammas)}
    if name == "ExponentialLR":
        return {"gamma": draw(st.floats(0.5, 1.0))}
    if name == "CosineAnnealingLR":
        return {"T_max": draw(st.integers(1, 12)),
                "eta_min": draw(st.sampled_from([0.0, 1e-4, 0.01]))}
    if name == "LambdaLR":
        one = st.sampled_from(LAMBDAS)
        warmup = st.integers(1, 6).map(lambda e: (e,))
        return {"lr_lambda": draw(st.one_of(one, st.lists(st.one_of(one, warmup),
                                                         min_size=groups, max_size=groups)))}
    if name == "OneCycleLR":
        opts = {"max_lr": draw(per_group(st.floats(1e-3, 1.0), groups)),
                "pct_start": draw(st.floats(0.0, 1.0)),
                "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
                "cycle_momentum": draw(st.booleans()),
                "base_momentum": draw(per_group(st.floats(0.5, 0.9), groups)),
                "max_momentum": draw(per_group(st.floats(0.9, 0.99), groups)),
                "div_factor": draw(st.sampled_from([25.0, 10.0, 2.5])),
                "final_div_factor": draw(st.sampled_from([1e4, 100.0])),
                "three_phase": draw(st.booleans())}
        if draw(st.booleans()):
            opts["total_steps"] = draw(st.integers(1, 40))
        else:
            opts["epochs"] = draw(st.integers(1, 5))
            opts["steps_per_epoch"] = draw(st.integers(1, 8))
        return opts
    # ReduceLROnPlateau
    return {"mode": draw(st.sampled_from(["min", "max"])), "factor": draw(st.floats(0.0, 0.9)),
            "patience": draw(st.integers(0, 4)),
            "threshold": draw(st.one_of(st.sampled_from([0.0, 0.05]), st.floats(0.0, 0.2))),
            "threshold_mode": draw(st.sampled_from(["rel", "abs"])),
            "cooldown": draw(st.integers(0, 3)),
            "min_lr": draw(per_group(st.sampled_from([0.0, 1e-3, 0.05]), groups)),
            "eps": draw(st.sampled_from([1e-8, 0.0, 1e-2]))}


@st.composite
def runs(draw, names):
    """An optimizer, one scheduler (two chainable ones, sometimes, on the same optimizer),
    an epoch count and the metric of each epoch."""
    lrs = draw(lr_lists)
    name = draw(st.sampled_from(names))
    schedules = [(name, draw(options(name, len(lrs))))]
    if name in CHAINABLE and draw(st.booleans()):
        other = draw(st.sampled_from(CHAINABLE))
        schedules.append((other, draw(options(other, len(lrs)))))
    if name == "OneCycleLR":  # to the end of the cycle, or one step past it
        opts = schedules[0][1]
        total = opts.get("total_steps") or opts["epochs"] * opts["steps_per_epoch"]
        epochs = draw(st.sampled_from([total - 1, total, total + 1]))
    else:
        epochs = draw(st.integers(0, 40))
    # (few values: plateaus, repeats of the best, and changes just at the threshold)
    metrics = draw(st.lists(st.sampled_from([1.0, 0.95, 1.05, 0.5, 2.0]),
                            min_size=epochs, max_size=epochs))
    return draw(st.sampled_from(["SGD", "Adam"])), lrs, schedules, epochs, metrics


# ---- epoch after epoch -----------------------------------------------------------------------

@given(runs(CHAINABLE))
@settings(max_examples=100)
def test_chainable_schedules_follow_torch(case):
    same_outcome(lambda lib: run(lib, *case))


@given(runs(["OneCycleLR"]))
@settings(max_examples=100)
def test_one_cycle_follows_torch(case):
    """Rates and momentum (SGD's momentum, Adam's beta1) to the end of the cycle; a step
    past it raises torch's error; phases of zero length divide by zero as torch's do."""
    same_outcome(lambda lib: run(lib, *case))


@given(runs(["ReduceLROnPlateau"]))
@settings(max_examples=100)
def test_reduce_on_plateau_follows_torch(case):
    same_outcome(lambda lib: run(lib, *case))


def test_reduce_on_plateau_takes_a_tensor_metric():
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1])
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0)
        for value in [1.0, 2.0, 3.0]:
            scheduler.step(lib.tensor(value))
        return snapshot(optimizer, [scheduler])
    result = same_outcome(fn)
    assert result[1][0][0][0] == pytest.approx(0.001)


def test_initial_lr_is_set_as_torch_sets_it():
    """The first scheduler records each group's lr as "initial_lr" (a second keeps it);
    OneCycleLR writes its own (max_lr / div_factor), with max_lr and min_lr."""
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1, 0.2])
        lib.optim.lr_scheduler.StepLR(optimizer, 2)
        optimizer.param_groups[0]["lr"] = 0.5
        lib.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
        one_cycle = make_optimizer(lib, "Adam", [0.1, 0.2])
        lib.optim.lr_scheduler.OneCycleLR(one_cycle, [1.0, 2.0], total_steps=10)
        return [[{k: v for k, v in g.items() if k != "params"} for g in o.param_groups]
                for o in (optimizer, one_cycle)]
    result = same_outcome(fn)
    assert [g["initial_lr"] for g in result[1][0]] == [0.1, 0.2]


# ---- warnings --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_scheduler_step_before_optimizer_step_warns_as_torch(name):
    """The first scheduler.step() before any optimizer.step() warns (once); in the right
    order nothing warns."""
    def case(scheduler_first):
        opts = {"StepLR": {"step_size": 1}, "MultiStepLR": {"milestones": [1]},
                "ExponentialLR": {"gamma": 0.5}, "CosineAnnealingLR": {"T_max": 3},
                "LambdaLR": {"lr_lambda": halving_every_three},
                "OneCycleLR": {"max_lr": 1.0, "total_steps": 5}, "ReduceLROnPlateau": {}}[name]
        return lambda lib: run(lib, "SGD", [0.1], [(name, opts)], 3, [1.0] * 3, scheduler_first)
    warned = same_outcome(case(True))[2]
    assert len(warned) == (0 if name == "ReduceLROnPlateau" else 1)
    assert same_outcome(case(False))[2] == []


def test_a_replaced_optimizer_step_warns_as_torch():
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1])
        scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 1)
        optimizer.step = lambda closure=None: None
        optimizer.step()
        scheduler.step()
        return scheduler.get_last_lr()
    assert len(same_outcome(fn)[2]) == 1


def test_calling_get_lr_warns_as_torch():
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1, 0.3])
        scheduler = lib.optim.lr_scheduler.MultiStepLR(optimizer, [1, 1, 2], gamma=0.5)
        optimizer.step()
        scheduler.step()
        return scheduler.get_lr()
    assert len(same_outcome(fn)[2]) == 1


@pytest.mark.parametrize("name, opts", [
    ("StepLR", {"step_size": 3, "gamma": 0.5}), ("MultiStepLR", {"milestones": [2, 2, 7]}),
    ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.01}),
    ("LambdaLR", {"lr_lambda": halving_every_three}),
    ("ReduceLROnPlateau", {"patience": 0})])
def test_step_with_an_epoch_uses_the_closed_form_and_warns(name, opts):
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1, 0.4])
        scheduler = getattr(lib.optim.lr_scheduler, name)(optimizer, **opts)
        rates = []
        for epoch in [4, 9, 2, 11]:
            optimizer.step()
            if name == "ReduceLROnPlateau":
                scheduler.step(1.0, epoch)
            else:
                scheduler.step(epoch)
            rates.append(snapshot(optimizer, [scheduler]))
        return rates
    assert len(same_outcome(fn)[2]) == 4


# ---- saving and resuming ---------------------------------------------------------------------

def resumed(lib, source_lib, case, split):
    """`split` epochs in source_lib; then fresh objects in lib (the scheduler built first, as
    torch's docs say) load both state dicts (they hold only numbers here: they move
    between the engines as they are) and run the remaining epochs, snapshot by snapshot."""
    optimizer_kind, lrs, schedules, epochs, metrics = case
    optimizer, schedulers = build(source_lib, optimizer_kind, lrs, schedules)
    for t in range(split):
        epoch(source_lib, optimizer, schedulers, metrics[t])
    saved = optimizer.state_dict(), [s.state_dict() for s in schedulers]
    optimizer, schedulers = build(lib, optimizer_kind, [1.0] * len(lrs), schedules)
    optimizer.load_state_dict(saved[0])
    for scheduler, scheduler_saved in zip(schedulers, saved[1]):
        scheduler.load_state_dict(scheduler_saved)
    record = [snapshot(optimizer, schedulers)]
    for t in range(split, epochs):
        epoch(lib, optimizer, schedulers, metrics[t])
        record.append(snapshot(optimizer, schedulers))
    return record


@given(runs(ALL).filter(lambda case: case[3] >= 2), st.data())
def test_state_dicts_resume_the_schedule_in_either_engine(case, data):
    """Saved after some epochs, loaded into fresh objects (of the same engine or the other),
    the rest of the schedule goes as without the break."""
    split = data.draw(st.integers(1, case[3] - 1))
    whole = outcome(lambda lib: run(lib, *case), torch)
    if whole[0] == "raised":
        return  # (the schedule's own errors are compared above)
    expected = whole[1][split:]
    for lib, source_lib in [(minitorch, minitorch), (minitorch, torch), (torch, minitorch)]:
        got = resumed(lib, source_lib, case, split)
        assert got[1:] == expected[1:], f"{lib.__name__} resuming from {source_lib.__name__}"
        assert got[0][0] == expected[0][0]  # the rates at the break


def test_lambda_lr_saves_callable_objects_not_functions():
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1, 0.2])
        warmup = Warmup(4)
        scheduler = lib.optim.lr_scheduler.LambdaLR(optimizer, [halving_every_three, warmup])
        saved = scheduler.state_dict()
        warmup.epochs = 10
        scheduler.load_state_dict(saved)
        return saved, warmup.epochs, "lr_lambdas" in saved
    saved, epochs, kept = same_outcome(fn)[1]
    assert saved["lr_lambdas"] == [None, {"epochs": 4}] and epochs == 4 and kept


@pytest.mark.parametrize("name, opts", [
    ("StepLR", {"step_size": 3, "gamma": 0.5}), ("MultiStepLR", {"milestones": [2, 5]}),
    ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.01}),
    ("LambdaLR", {"lr_lambda": halving_every_three}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 12})])
def test_resuming_with_last_epoch(name, opts):
    """A scheduler built with last_epoch=k on an optimizer that has "initial_lr" (loaded)
    continues from epoch k+1 as torch's does."""
    def fn(lib):
        optimizer = make_optimizer(lib, "SGD", [0.1, 0.4])
        getattr(lib.optim.lr_scheduler, name)(optimizer, **opts)
        for _ in range(4):
            optimizer.step()
        saved = optimizer.state_dict()
        fresh = make_optimizer(lib, "SGD", [0.1, 0.4])
        fresh.load_state_dict(saved)
        scheduler = getattr(lib.optim.lr_scheduler, name)(fresh, last_epoch=3, **opts)
        rates = [snapshot(fresh, [scheduler])]
        for _ in range(5):
            fresh.step()
            scheduler.step()
            rates.append(snapshot(fresh, [scheduler]))
        return rates
    same_outcome(fn)


# ---- surface: signatures and errors ----------------------------------------------------------

@pytest.mark.parametrize("name", ALL + ["LRScheduler"])
def test_signature_is_torchs(name):
    def shape(cls):
        return [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]
    ours = getattr(minitorch.optim.lr_scheduler, name)
    theirs = getattr(torch.optim.lr_scheduler, name)
    assert shape(ours) == shape(theirs)
    for method in ["step", "get_last_lr", "state_dict", "load_state_dict"]:
        assert shape(getattr(ours, method)) == shape(getattr(theirs, method)), method


def sgd(lib, groups=1):
    return make_optimizer(lib, "SGD", [0.1] * groups)


def stepped(scheduler):
    scheduler.optimizer.step()
    scheduler.step()


def one_cycle(lib, **opts):
    return lib.optim.lr_scheduler.OneCycleLR(sgd(lib), **{"max_lr": 0.1, **opts})


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.lr_scheduler.StepLR(None, 3),
    lambda lib: lib.optim.lr_scheduler.ExponentialLR(sgd(lib), 0.9, last_epoch=4),
    lambda lib: lib.optim.lr_scheduler.LambdaLR(sgd(lib), [halving_every_three] * 2),
    lambda lib: stepped(lib.optim.lr_scheduler.CosineAnnealingLR(sgd(lib), T_max=0)),
    lambda lib: one_cycle(lib, max_lr=[0.1, 0.2], total_steps=5),
    lambda lib: one_cycle(lib, total_steps=0),
    lambda lib: one_cycle(lib, total_steps=2.0),
    lambda lib: one_cycle(lib, epochs=0, steps_per_epoch=3),
    lambda lib: one_cycle(lib, epochs=2, steps_per_epoch=3.5),
    lambda lib: one_cycle(lib, epochs=2),
    lambda lib: one_cycle(lib, total_steps=3, pct_start=1),
    lambda lib: one_cycle(lib, total_steps=3, pct_start=1.5),
    lambda lib: one_cycle(lib, total_steps=3, anneal_strategy="exp"),
    lambda lib: one_cycle(lib, total_steps=3, max_momentum=[0.9, 0.95]),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(
        lib.optim.Adagrad([lib.nn.Parameter(lib.ones(2))]), 0.1, total_steps=3),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(sgd(lib), factor=1.0),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(sgd(lib), min_lr=[0.1, 0.2]),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(sgd(lib), mode="minimum"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(sgd(lib), threshold_mode="relative"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(3),
], ids=lambda _: "")
def test_bad_arguments_raise_torchs_errors(make):
    same_error(make)


def test_a_param_group_added_after_a_plateau_scheduler_with_min_lrs():
    """A group added later: one min_lr for all is extended; a list cannot be."""
    def make(lib, min_lr):
        optimizer = sgd(lib)
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0,
                                                             min_lr=min_lr)
        optimizer.add_param_group({"params": [lib.nn.Parameter(lib.ones(1))]})
        for value in [1.0, 2.0]:
            scheduler.step(value)
        return snapshot(optimizer, [scheduler])
    same_outcome(lambda lib: make(lib, 0.01))
    same_error(lambda lib: make(lib, [0.01]))


def test_base_scheduler_needs_get_lr():
    same_error(lambda lib: lib.optim.lr_scheduler.LRScheduler(sgd(lib)))
