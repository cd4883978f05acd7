"""Whole objects in checkpoints, against torch.save / torch.load as the oracle.

minitorch.save pickles a whole Module, an optimizer, or any object holding tensors, as
torch.save does; minitorch.load(weights_only=False) loads those, and whole models torch
saved, whose torch.nn classes become minitorch's twins of the same name. Under
weights_only=True (the default) the user's allowlist (add_safe_globals, safe_globals)
opens the file to the user's classes under torch's rules, and a file holding more than
weights gets torch's message in minitorch's words.

The user's model lives in a module of its own, `usernet`, written twice: once on torch
(`import torch`), once on minitorch (`import minitorch as torch`). A pickle names a class
by module and name, so a file torch wrote finds minitorch's `usernet.LeNet` when that is
the `usernet` minitorch loads under, as it would in a user's program.
"""
import collections
import importlib.util
import io
import os
import pickle
import struct
import sys
import warnings
import zipfile

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minitorch
from parity import same_error, torch_name
from test_serialization import RunsACommand

USERNET = '''
import {lib} as torch

nn = torch.nn
F = torch.nn.functional


class LeNet(nn.Module):
    """The seed's network, made of layers both engines have."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.fc2(F.relu(self.fc1(x)))
'''
LAYERS = ["Sequential", "Conv2d", "ReLU", "MaxPool2d", "Linear"]


@pytest.fixture
def usernet(tmp_path, monkeypatch):
    """use(lib): the user's module written on lib (made once per test), installed as
    `usernet`, where pickle looks for `usernet.LeNet`."""
    modules = {}

    def use(lib):
        if lib not in modules:
            path = tmp_path / lib.__name__ / "usernet.py"
            path.parent.mkdir()
            path.write_text(USERNET.format(lib=lib.__name__))
            spec = importlib.util.spec_from_file_location("usernet", path)
            modules[lib] = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(modules[lib])
        monkeypatch.setitem(sys.modules, "usernet", modules[lib])
        return modules[lib]
    return use


@pytest.fixture(autouse=True)
def empty_allowlists():
    """Every test starts and ends with both engines' allowlists empty."""
    for lib in (torch, minitorch):
        lib.serialization.clear_safe_globals()
    yield
    for lib in (torch, minitorch):
        lib.serialization.clear_safe_globals()


def saved(lib, obj):
    buffer = io.BytesIO()
    lib.save(obj, buffer)
    buffer.seek(0)
    return buffer


def data_pkl(file):
    return zipfile.ZipFile(file).read("archive/data.pkl")


def with_data_pkl(pkl, original=None):
    """A genuine torch file (by default one of {"w": ones(2)}) whose data.pkl is replaced."""
    original = zipfile.ZipFile(original or saved(torch, {"w": torch.ones(2)}))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in original.namelist():
            copy.writestr(name, pkl if name.endswith("data.pkl") else original.read(name))
    return out.getvalue()


def name(module, attr):
    """The opcode that pushes a global."""
    return pickle.GLOBAL + f"{module}\n{attr}\n".encode()


def numpy_of(t):
    return t.detach().numpy()


def same_parameters(ours, theirs):
    """Both models' parameters, by name, equal to float32's rounding."""
    ours, theirs = dict(ours.named_parameters()), dict(theirs.named_parameters())
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_allclose(numpy_of(ours[key]), numpy_of(theirs[key]), rtol=1e-5,
                                   atol=1e-6, err_msg=key)


def sgd_step(lib, model, optimizer, x, target):
    optimizer.zero_grad()
    loss = lib.nn.functional.cross_entropy(model(x), target)
    loss.backward()
    optimizer.step()
    return loss


def batch(seed=0, n=3):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, 1, 28, 28)).astype(np.float32),
            rng.integers(0, 10, n).astype(np.int64))


# ---- a whole model torch saved, loaded as minitorch's twins -------------------------------

def test_a_whole_torch_model_loads_as_minitorch_twins_and_computes_the_same(usernet):
    torch_net = usernet(torch)
    theirs = torch_net.LeNet()
    file = saved(torch, theirs)
    minitorch_net = usernet(minitorch)
    ours = minitorch.load(file, weights_only=False)

    assert type(ours) is minitorch_net.LeNet   # the user's class, from the user's module
    for mine, their in zip(ours.modules(), theirs.modules()):
        if type(their).__name__ in LAYERS:
            assert type(mine) is getattr(minitorch.nn, type(their).__name__)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    same_parameters(ours, theirs)

    x, target = batch()
    outputs = []
    ours.fc2.register_forward_hook(lambda module, args, output: outputs.append(output))
    np.testing.assert_allclose(numpy_of(ours(minitorch.from_numpy(x))),
                               numpy_of(theirs(torch.from_numpy(x))), rtol=1e-5, atol=1e-6)
    assert len(outputs) == 1   # the loaded model's hooks work
    for lib, model in [(minitorch, ours), (torch, theirs)]:   # a training step, in each
        sgd_step(lib, model, lib.optim.SGD(model.parameters(), lr=0.1), lib.from_numpy(x),
                 lib.from_numpy(target))
    same_parameters(ours, theirs)
    ours.eval()
    assert not ours.fc1.training


def test_a_model_and_optimizer_torch_saved_whole_continue_training_as_in_torch(usernet):
    torch_net = usernet(torch)
    model = torch_net.LeNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, target = batch(1)
    sgd_step(torch, model, optimizer, torch.from_numpy(x), torch.from_numpy(target))
    file = saved(torch, {"model": model, "optimizer": optimizer, "epoch": 3})
    usernet(minitorch)
    checkpoint = minitorch.load(file, weights_only=False)

    ours, our_optimizer = checkpoint["model"], checkpoint["optimizer"]
    assert checkpoint["epoch"] == 3 and type(our_optimizer) is minitorch.optim.SGD
    assert our_optimizer.param_groups[0]["params"][0] is ours.features[0].weight
    x, target = batch(2)
    sgd_step(minitorch, ours, our_optimizer, minitorch.from_numpy(x), minitorch.from_numpy(target))
    sgd_step(torch, model, optimizer, torch.from_numpy(x), torch.from_numpy(target))
    same_parameters(ours, model)   # the momentum buffers came along


OPTIMIZERS = {"SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True}, "Adam": {"lr": 0.01},
              "AdamW": {"lr": 0.01}, "RMSprop": {"lr": 0.01, "momentum": 0.5},
              "Adagrad": {"lr": 0.1}}


@pytest.mark.parametrize("optimizer_name", OPTIMIZERS)
def test_optimizers_and_schedulers_torch_saved_whole_step_on_as_torchs(optimizer_name):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    optimizer = getattr(torch.optim, optimizer_name)(model.parameters(),
                                                    **OPTIMIZERS[optimizer_name])
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.5)

    def step(lib, model, optimizer, scheduler):
        optimizer.zero_grad()
        model(lib.from_numpy(x)).square().sum().backward()
        optimizer.step()
        scheduler.step()
    step(torch, model, optimizer, scheduler)
    loaded = minitorch.load(saved(torch, [model, optimizer, scheduler]), weights_only=False)
    assert [type(obj).__name__ for obj in loaded] == [type(model).__name__, optimizer_name,
                                                      "StepLR"]
    for _ in range(2):
        step(torch, model, optimizer, scheduler)
        step(minitorch, *loaded)
    same_parameters(loaded[0], model)
    assert loaded[2].get_last_lr() == scheduler.get_last_lr()


class Checkpoint:
    """A user's own object holding a model, as pickle finds it: in this module."""

    def __init__(self, model, epoch, best):
        self.model, self.epoch, self.best = model, epoch, best


def test_a_users_object_holding_a_torch_model_comes_from_the_users_module(usernet):
    usernet(torch)
    theirs = Checkpoint(sys.modules["usernet"].LeNet(), 7, torch.arange(3.0))
    file = saved(torch, theirs)
    usernet(minitorch)
    ours = minitorch.load(file, weights_only=False)
    assert type(ours) is Checkpoint and ours.epoch == 7
    assert type(ours.best) is minitorch.Tensor and ours.best.tolist() == [0.0, 1.0, 2.0]
    same_parameters(ours.model, theirs.model)


class TorchOnlyNet(torch.nn.Module):
    """A user's class built on torch's Module: minitorch cannot make one."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 2)


@pytest.mark.parametrize("weights_only", [True, False])
def test_a_torch_class_minitorch_lacks_is_named_in_one_clear_error(weights_only):
    models = [torch.nn.LSTM(2, 3)]
    if not weights_only:   # (weights_only=True names the first name it refuses: Sequential)
        models.append(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.LSTM(2, 3)))
    for model in models:
        file = saved(torch, model)
        torch.load(file, weights_only=False)   # a file torch reads
        file.seek(0)
        with pytest.raises(pickle.UnpicklingError, match=r"the file holds torch\.nn\.modules\."
                           r"rnn\.LSTM, and minitorch has no minitorch\.nn\.LSTM\. A whole"):
            minitorch.load(file, weights_only=weights_only)
    alexnet = with_data_pkl(b"\x80\x02" + name("torchvision.models.alexnet", "AlexNet")
                            + b")\x81.")
    with pytest.raises(pickle.UnpicklingError, match=r"torchvision\.models\.alexnet\.AlexNet, and "
                                                     r"minitorch has no minitorch\.vision\.models"):
        minitorch.load(io.BytesIO(alexnet), weights_only=weights_only)
    sparse = saved(torch, torch.ones(2).to_sparse())
    with pytest.raises(pickle.UnpicklingError, match=r"torch\._utils\._rebuild_sparse_tensor, and "
                                                     r"minitorch has no twin of it"):
        minitorch.load(sparse, weights_only=weights_only)


def test_a_users_class_built_on_torchs_classes_is_named():
    file = saved(torch, TorchOnlyNet())
    with pytest.raises(pickle.UnpicklingError,
                       match=r"TorchOnlyNet is a torch class \(it derives from "
                             r"torch\.nn\.modules\.module\.Module\)"):
        minitorch.load(file, weights_only=False)


# ---- whole objects minitorch saves --------------------------------------------------------

def test_minitorch_saves_a_whole_model_and_optimizer_and_resumes_as_torch_trains(usernet):
    minitorch_net = usernet(minitorch)
    ours = minitorch_net.LeNet()
    our_optimizer = minitorch.optim.SGD(ours.parameters(), lr=0.05, momentum=0.9)
    theirs = usernet(torch).LeNet()
    theirs.load_state_dict({k: torch.from_numpy(numpy_of(v).copy())
                            for k, v in ours.state_dict().items()})
    optimizer = torch.optim.SGD(theirs.parameters(), lr=0.05, momentum=0.9)
    for seed in (1, 2):   # two steps in torch; in minitorch one, a save and a load, one
        x, target = batch(seed)
        sgd_step(torch, theirs, optimizer, torch.from_numpy(x), torch.from_numpy(target))
        sgd_step(minitorch, ours, our_optimizer, minitorch.from_numpy(x),
                 minitorch.from_numpy(target))
        if seed == 1:
            usernet(minitorch)
            file = saved(minitorch, {"model": ours, "optimizer": our_optimizer})
            checkpoint = minitorch.load(file, weights_only=False)
            ours, our_optimizer = checkpoint["model"], checkpoint["optimizer"]
            assert type(ours) is minitorch_net.LeNet
            assert our_optimizer.param_groups[0]["params"][-1] is ours.fc2.bias
    same_parameters(ours, theirs)


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return type(other) is Point and vars(other) == vars(self)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, other):
        return type(other) is Slotted and (other.a, other.b) == (self.a, self.b)


def python_objects():
    recursive = [1, 2]
    recursive.append(recursive)
    shared = (1, [2])
    return {"complex": 1 + 2j, "frozenset": frozenset({1, 2}), "bytes": b"\x00\xff",
            "bytearray": bytearray(b"ab"), "empty": b"", "recursive": recursive,
            "shared": (shared, shared), "big": 2**100, "negative": -2**70, "text": "héllo ☃",
            "set": {3, 4}, "defaultdict": collections.defaultdict(list, {"a": [1]}),
            "point": Point(1.5, None), "slotted": Slotted(1, (2, 3)), "class": Point,
            "function": len, "range": range(3), "long list": list(range(2500)),
            "long dict": {i: -i for i in range(1200)},
            "ordered": collections.OrderedDict(a=1), "counter": collections.Counter("aab")}


def test_everything_but_tensors_is_pickled_byte_for_byte_as_torch_pickles_it():
    ours, theirs = saved(minitorch, python_objects()), saved(torch, python_objects())
    assert data_pkl(ours) == data_pkl(theirs)
    loaded = minitorch.load(io.BytesIO(ours.getvalue()), weights_only=False)
    expected = torch.load(io.BytesIO(theirs.getvalue()), weights_only=False)
    assert loaded["recursive"][2] is loaded["recursive"]
    assert loaded["shared"][0] is loaded["shared"][1]
    assert loaded.pop("recursive")[:2] == expected.pop("recursive")[:2]
    assert loaded == expected == {k: v for k, v in python_objects().items() if k != "recursive"}


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    | st.binary() | st.complex_numbers(allow_nan=False),
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner)
    | st.frozensets(st.integers()) | st.builds(Point, inner, inner), max_leaves=20)


@settings(max_examples=30)
@given(obj=PLAIN)
def test_any_plain_object_is_pickled_as_torch_pickles_it_and_loads_back(obj):
    ours = saved(minitorch, obj)
    assert data_pkl(ours) == data_pkl(saved(torch, obj))
    assert minitorch.load(io.BytesIO(ours.getvalue()), weights_only=False) == obj


def test_a_users_object_holding_tensors_loads_in_torch():
    """The other direction works where torch's unpickler can resolve every name: here the
    user's class (this module) and tensors."""
    weights = minitorch.arange(6.0).reshape(2, 3)
    ours = Checkpoint({"w": weights, "w_row": weights[1]}, 4, minitorch.tensor([0.5]))
    theirs = torch.load(saved(minitorch, ours), weights_only=False)
    assert type(theirs) is Checkpoint and theirs.epoch == 4
    assert theirs.model["w_row"].tolist() == [3.0, 4.0, 5.0]
    assert theirs.model["w_row"].untyped_storage().data_ptr() == \
        theirs.model["w"].untyped_storage().data_ptr()
    assert type(theirs.best) is torch.Tensor and theirs.best.tolist() == [0.5]


def test_torch_refuses_a_minitorch_model_by_its_own_allowlist_and_takes_its_state_dict(usernet):
    """torch.load names minitorch's class as it would any class it does not know; the
    state_dict is the way a model moves to torch."""
    ours = usernet(minitorch).LeNet()
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL usernet.LeNet was not an allowed "
                                                     "global by default"):
        torch.load(saved(minitorch, ours))
    theirs = usernet(torch).LeNet()
    theirs.load_state_dict(torch.load(saved(minitorch, ours.state_dict())))
    same_parameters(ours, theirs)


# ---- weights_only=True: torch's message, in minitorch's words -------------------------------

TORCH_DEFAULT = torch.serialization.UNSAFE_MESSAGE.split(" Re-running")[0]
OUR_DEFAULT = ("`minitorch.load` defaults to `weights_only=True`, as `torch.load` does since "
               "PyTorch 2.6.")
TORCH_DOCS = "\n\nCheck the documentation of torch.load"
OUR_LOADS = "\n\nWith weights_only=True, minitorch.load rebuilds tensors"


def in_minitorch_words(torch_message):
    """torch's weights_only message as minitorch words it: its names, (1) saying what
    minitorch's default is, and what minitorch loads in place of the link to torch's docs
    (compared up to there)."""
    head = torch_message.split(TORCH_DOCS)[0]
    return torch_name(head.replace(TORCH_DEFAULT, "DEFAULT")).replace("DEFAULT", OUR_DEFAULT)


def assert_torchs_message(ours, theirs):
    assert type(ours) is type(theirs) is pickle.UnpicklingError
    assert OUR_LOADS in str(ours) and TORCH_DOCS in str(theirs)
    assert str(ours).split(OUR_LOADS)[0] == in_minitorch_words(str(theirs))


def test_a_whole_model_under_weights_only_gets_torchs_message_naming_its_class(usernet):
    files = {lib: saved(lib, usernet(lib).LeNet()) for lib in (torch, minitorch)}
    ours, theirs = (pytest.raises(pickle.UnpicklingError, lib.load, files[lib]).value
                    for lib in (minitorch, torch))
    assert "GLOBAL usernet.LeNet was not an allowed global" in str(ours)
    assert "minitorch.serialization.add_safe_globals([usernet.LeNet])" in str(ours)
    assert_torchs_message(ours, theirs)


def test_a_builtin_is_named_as_torch_names_it():
    ours, theirs = (pytest.raises(pickle.UnpicklingError, lib.load, saved(lib, [print])).value
                    for lib in (minitorch, torch))
    assert "add_safe_globals([print])" in str(ours)
    assert_torchs_message(ours, theirs)


def test_os_sys_posix_are_blocked_even_when_allowlisted(tmp_path):
    marker = tmp_path / "ran"
    file = saved(torch, {"w": RunsACommand(marker)})
    errors = []
    for lib in (minitorch, torch):
        with lib.serialization.safe_globals([os.system]):
            file.seek(0)
            errors.append(pytest.raises(pickle.UnpicklingError, lib.load, file).value)
    assert_torchs_message(*errors)
    assert "GLOBAL posix.system whose module posix is blocked" in str(errors[0])
    assert not marker.exists()


CALLS = []


def record(*args):
    CALLS.append(args)
    return args


class Recorded:
    def __reduce__(self):
        return (record, ("from the file",))


def test_weights_only_false_runs_the_files_code_as_torch_does_and_only_then():
    file = saved(minitorch, {"x": Recorded()})
    CALLS.clear()
    for lib in (minitorch, torch):
        file.seek(0)
        with pytest.raises(pickle.UnpicklingError, match="GLOBAL .*record was not an allowed"):
            lib.load(file)
        assert CALLS == []
    for lib in (minitorch, torch):
        file.seek(0)
        assert lib.load(file, weights_only=False) == {"x": ("from the file",)}
    assert CALLS == [("from the file",)] * 2


def test_pickle_module_chooses_the_unpickler_as_in_torch(usernet):
    plain = saved(minitorch, minitorch.ones(2)).getvalue()
    same_error(lambda lib: lib.load(io.BytesIO(plain), weights_only=True, pickle_module=pickle))
    for lib in (minitorch, torch):   # a pickle_module without weights_only: the full unpickler
        model = lib.load(saved(lib, usernet(lib).LeNet()), pickle_module=pickle)
        assert type(model) is sys.modules["usernet"].LeNet
    with pytest.raises(ValueError, match="cannot use pickle_module=<module 'json'"):
        import json
        minitorch.load(io.BytesIO(plain), weights_only=False, pickle_module=json)
    caught = {}
    for lib in (minitorch, torch):
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            assert lib.load(io.BytesIO(plain), encoding="latin1").tolist() == [1.0, 1.0]
        caught[lib] = [(w.category, str(w.message)) for w in warned]
    assert caught[minitorch] == caught[torch] != []


# ---- the user's allowlist -------------------------------------------------------------------

def test_allowlisted_classes_load_under_weights_only_as_in_torch(usernet):
    for lib in (torch, minitorch):
        user = usernet(lib)
        model = user.LeNet()
        file = saved(lib, model)
        allowed = [user.LeNet] + [getattr(lib.nn, layer) for layer in LAYERS]
        with lib.serialization.safe_globals(allowed):
            loaded = lib.load(file)
        assert type(loaded) is user.LeNet
        assert repr(loaded) == repr(model)
        x = lib.from_numpy(batch()[0])
        np.testing.assert_array_equal(numpy_of(loaded(x)), numpy_of(model(x)))
        assert lib.serialization.get_safe_globals() == []


def test_a_torch_file_loads_under_weights_only_with_twins_allowlisted_under_torchs_names(usernet):
    """The message's advice for a torch name: the twin, under torch's name."""
    theirs = usernet(torch).LeNet()
    file = saved(torch, theirs).getvalue()
    user = usernet(minitorch)
    with minitorch.serialization.safe_globals([user.LeNet]):
        with pytest.raises(pickle.UnpicklingError) as refused:
            minitorch.load(io.BytesIO(file))
        assert ("add_safe_globals([(minitorch.nn.Sequential, "
                "'torch.nn.modules.container.Sequential')])") in str(refused.value)
        unsafe = minitorch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(file))
    with torch.serialization.safe_globals([user.LeNet]):
        assert sorted(unsafe) == sorted(
            torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(file)))
    assert len(unsafe) == len(LAYERS)   # torch's nn classes, each to get its twin
    twins = [(getattr(minitorch.nn, full_name.rsplit(".", 1)[1]), full_name)
             for full_name in unsafe]
    with minitorch.serialization.safe_globals([user.LeNet, *twins]):
        ours = minitorch.load(io.BytesIO(file))
    assert type(ours) is user.LeNet and type(ours.fc1) is minitorch.nn.Linear
    x = batch()[0]
    np.testing.assert_allclose(numpy_of(ours(minitorch.from_numpy(x))),
                               numpy_of(theirs(torch.from_numpy(x))), rtol=1e-5, atol=1e-6)


def test_the_allowlist_calls_behave_as_torchs():
    def observe(lib):
        serialization = lib.serialization
        seen = []
        serialization.add_safe_globals([Point])
        seen.append(set(serialization.get_safe_globals()))
        with serialization.safe_globals([Point, (Slotted, "a.b")]) as entered:
            seen.append((entered, set(serialization.get_safe_globals())))
        seen.append(set(serialization.get_safe_globals()))   # Point went too, as in torch
        serialization.add_safe_globals([Slotted])
        serialization.add_safe_globals([Slotted, Point])
        seen.append(sorted(serialization.get_safe_globals(), key=str))
        serialization.clear_safe_globals()
        seen.append(serialization.get_safe_globals())
        return seen
    assert observe(minitorch) == observe(torch)


def test_the_users_objects_load_under_weights_only_as_in_torch():
    values = {"point": Point(1, (2.5, "three")), "slotted": Slotted([1], {"k": None})}
    files = {lib: saved(lib, {**values, "w": lib.ones(2)}).getvalue() for lib in (minitorch, torch)}
    for lib in (minitorch, torch):
        with lib.serialization.safe_globals([Point, Slotted]):
            loaded = lib.load(io.BytesIO(files[lib]))
        assert loaded["point"] == values["point"] and loaded["slotted"] == values["slotted"]
        assert loaded["w"].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("entry", [(Point, "a", "b"), (Point, 3)])
def test_a_malformed_allowlist_entry_fails_at_load_as_in_torch(entry):
    file = saved(minitorch, Point(1, 2)).getvalue()

    def load_with_entry(lib):
        lib.serialization.add_safe_globals([entry])
        try:
            return lib.load(io.BytesIO(file))
        finally:
            lib.serialization.clear_safe_globals()
    same_error(load_with_entry)


def test_get_unsafe_globals_in_checkpoint_as_torchs(usernet):
    file = saved(torch, {"model": usernet(torch).LeNet(), "point": Point(1, 2)}).getvalue()
    for allowed in ([], [Point]):
        found = []
        for lib in (minitorch, torch):
            with lib.serialization.safe_globals(allowed):
                found.append(sorted(lib.serialization.get_unsafe_globals_in_checkpoint(
                    io.BytesIO(file))))
        assert found[0] == found[1]
        assert ("test_serialization_objects.Point" in " ".join(found[0])) == (not allowed)
    same_error(lambda lib: lib.serialization.get_unsafe_globals_in_checkpoint(
        io.BytesIO(b"not a zip file")))


class CallRecorder:
    def __call__(self, *args):
        CALLS.append(args)


class AppendRecorder:
    def append(self, item):
        CALLS.append(item)


class ItemRecorder:
    def __setitem__(self, key, value):
        CALLS.append((key, value))


MADE = {cls.__name__: name(__name__, cls.__name__) + pickle.EMPTY_TUPLE + pickle.NEWOBJ
        for cls in (CallRecorder, AppendRecorder, ItemRecorder)}
# what a file might try with the user's classes allowlisted, and torch refuses too
HOSTILE = {
    "call an instance": MADE["CallRecorder"] + pickle.NONE + pickle.TUPLE1 + pickle.REDUCE,
    "append to an instance": MADE["AppendRecorder"] + pickle.NONE + pickle.APPEND,
    "appends to an instance": MADE["AppendRecorder"] + pickle.MARK + pickle.NONE
    + pickle.NONE + pickle.APPENDS,
    "set an item of an instance": MADE["ItemRecorder"] + pickle.NONE + pickle.NONE
    + pickle.SETITEM,
    "set items of an instance": MADE["ItemRecorder"] + pickle.MARK + pickle.NONE + pickle.NONE
    + pickle.SETITEMS,
    "instantiate an instance": name("collections", "OrderedDict") + pickle.EMPTY_TUPLE
    + pickle.REDUCE + pickle.EMPTY_TUPLE + pickle.NEWOBJ,
}


@pytest.mark.parametrize("attack", HOSTILE)
def test_the_users_classes_open_the_file_no_further_than_torch_does(attack):
    file = with_data_pkl(b"\x80\x02" + HOSTILE[attack] + pickle.STOP)
    CALLS.clear()
    for lib in (minitorch, torch):
        with lib.serialization.safe_globals([CallRecorder, AppendRecorder, ItemRecorder]):
            with pytest.raises(pickle.UnpicklingError, match="Can only|unrecognized function"):
                lib.load(io.BytesIO(file))
    assert CALLS == []


def test_an_allowlisted_class_does_not_open_minitorchs_shared_objects_to_build():
    """A dtype is a shared object: even with its class allowlisted, the file may not set
    its attributes (here, make float32 store float16)."""
    state = pickle.EMPTY_DICT + pickle.BINUNICODE + struct.pack("<I", 2) + b"np" \
        + pickle.BINUNICODE + struct.pack("<I", 7) + b"float16" + pickle.SETITEM
    file = with_data_pkl(b"\x80\x02" + name("torch", "float32") + state + pickle.BUILD + b".")
    with minitorch.serialization.safe_globals([minitorch.dtype]):
        with pytest.raises(pickle.UnpicklingError, match="may not set attributes of "
                                                         "torch.float32"):
            minitorch.load(io.BytesIO(file))
    assert minitorch.ones(1).numpy().dtype == np.float32


# ---- dtypes minitorch lacks -----------------------------------------------------------------

def torch_dtypes_minitorch_lacks():
    every = {getattr(torch, n) for n in dir(torch) if isinstance(getattr(torch, n), torch.dtype)}
    return sorted((d for d in every if not hasattr(minitorch, str(d).split(".")[1])), key=str)


@pytest.mark.parametrize("weights_only", [True, False])
def test_a_dtype_minitorch_lacks_is_an_unsupported_dtype_named(weights_only):
    lacking = torch_dtypes_minitorch_lacks()
    assert torch.bfloat16 in lacking and torch.complex64 in lacking
    for dtype in lacking:   # as a value
        with pytest.raises(TypeError, match=rf"^load: unsupported dtype {dtype}: minitorch's"):
            minitorch.load(saved(torch, {"dtype": dtype}), weights_only=weights_only)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # torch: complex32 is experimental
        tensors = [torch.ones(2, dtype=d) for d in (torch.bfloat16, torch.complex64,
                                                    torch.complex128, torch.uint16,
                                                    torch.uint64, torch.float8_e4m3fn,
                                                    torch.complex32)]
    for tensor in tensors:   # as a tensor: by its storage, or by its dtype (rebuild_tensor_v3)
        with pytest.raises(TypeError, match=rf"^load: unsupported dtype {tensor.dtype}:"):
            minitorch.load(saved(torch, {"w": tensor}), weights_only=weights_only)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # torch: quantized tensors are deprecated
        quantized = torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.qint8)
    with pytest.raises(TypeError, match=r"unsupported dtype quantized \(torch\.qint8"):
        minitorch.load(saved(torch, quantized), weights_only=weights_only)


def test_rebuild_tensor_v3_of_a_dtype_minitorch_has_loads_as_in_torch():
    """torch writes _rebuild_tensor_v3 (an untyped storage, the dtype last) only for dtypes
    minitorch lacks; the same call with one it has loads in both."""
    file = saved(torch, torch.tensor([1, 2, 258], dtype=torch.uint16))
    pkl = data_pkl(file).replace(name("torch", "uint16"), name("torch", "int16"))
    file = with_data_pkl(pkl, original=file)
    both = [lib.load(io.BytesIO(file)) for lib in (minitorch, torch)]
    assert both[0].tolist() == both[1].tolist() == [1, 2, 258]
    assert str(both[0].dtype) == "minitorch.int16"
