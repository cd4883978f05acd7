"""Corner cases of optim, save/load and utils.data, each run in minitorch and in torch.

An adversarial hunt: float16 and mixed-dtype parameters, state dicts through real files,
unusual objects and layouts in checkpoints, torch.save/torch.load's full signatures, odd
samples for default_collate, and what changes inside DataLoader worker processes. Every
test runs the same calls in both engines and compares the results (or the errors).
"""
import collections
import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data

import minitorch
import minitorch.utils.data as minitorch_data
from parity import assert_close, same_error

LIBS = (minitorch, torch)


def data_of(lib):
    return minitorch_data if lib is minitorch else torch_data


def describe(x):
    """A batch as plain Python: tensors become (dtype name, shape, values, requires_grad)."""
    if isinstance(x, (minitorch.Tensor, torch.Tensor)):
        return (str(x.dtype).split(".")[1], tuple(x.shape), x.tolist(), x.requires_grad)
    if isinstance(x, dict):
        return {k: describe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [describe(v) for v in x]
    return type(x).__name__, x


# ---- optimizers ------------------------------------------------------------------------------

def float16_run(lib, name, steps=20, **options):
    p = lib.nn.Parameter(lib.from_numpy(np.linspace(-1, 1, 7).astype(np.float16)))
    opt = getattr(lib.optim, name)([p], **options)
    for t in range(steps):
        p.grad = lib.from_numpy((np.sin(np.arange(7) + t) * 0.77).astype(np.float16))
        opt.step()
    return p, opt.state[p]


@pytest.mark.parametrize("options", [{}, {"amsgrad": True, "maximize": True},
                                     {"weight_decay": 0.1, "decoupled_weight_decay": True}])
def test_adam_on_float16_computes_in_float32_as_torch(options):
    """torch's kernels compute float16 in float32 (hyper-parameters too) and round each
    op's result: minitorch once rounded beta2 and the intermediates to float16."""
    (ours, ours_state), (theirs, theirs_state) = (
        float16_run(lib, "Adam", lr=0.0123, **options) for lib in LIBS)
    assert_close(ours.detach(), theirs.detach(), rtol=0)
    for key in theirs_state:
        assert_close(ours_state[key], theirs_state[key], rtol=0, what=key)


def test_sgd_on_float16_and_float64_params_together():
    def run(lib):
        params = [lib.nn.Parameter(lib.ones(3, dtype=lib.float16)),
                  lib.nn.Parameter(lib.ones(2, dtype=lib.float64))]
        opt = lib.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.01)
        for _ in range(3):
            for p in params:
                p.grad = lib.full(p.shape, 0.3, dtype=p.dtype)
            opt.step()
        return params, [opt.state[p]["momentum_buffer"] for p in params]
    (ours, ours_bufs), (theirs, theirs_bufs) = run(minitorch), run(torch)
    for o, t in zip(ours + ours_bufs, theirs + theirs_bufs):
        assert_close(o.detach(), t.detach(), rtol=0)


def test_adam_amsgrad_maximize_weight_decay_50_float32_steps():
    def run(lib):
        p = lib.nn.Parameter(lib.from_numpy(np.linspace(-1, 1, 7).astype(np.float32)))
        opt = lib.optim.Adam([p], lr=0.01, amsgrad=True, maximize=True, weight_decay=0.05)
        for t in range(50):
            noise = (np.sin(np.arange(7) * 1.3 + t) * 0.77).astype(np.float32)
            p.grad = lib.from_numpy(noise + np.float32(0.1) * p.detach().numpy())
            opt.step()
        return p
    assert_close(run(minitorch).detach(), run(torch).detach(), rtol=1e-6)


def test_lr_and_betas_changed_in_param_groups_between_steps():
    def run(lib):
        p = lib.nn.Parameter(lib.ones(3, dtype=lib.float64))
        opt = lib.optim.Adam([p], lr=0.1)
        for t in range(5):
            opt.param_groups[0]["lr"] = 0.1 / (t + 1)
            opt.param_groups[0]["betas"] = (0.8, 0.99)
            p.grad = lib.full((3,), 0.3 * (t + 1), dtype=lib.float64)
            opt.step()
        return p
    assert_close(run(minitorch).detach(), run(torch).detach(), rtol=1e-15)


def test_a_param_without_grad_for_a_while_gets_its_state_late():
    def run(lib):
        p, q = (lib.nn.Parameter(lib.ones(n, dtype=lib.float64)) for n in (3, 2))
        opt = lib.optim.SGD([p, q], lr=0.1, momentum=0.9)
        keys = []
        for t in range(4):
            p.grad = lib.full((3,), 0.3, dtype=lib.float64)
            q.grad = None if t < 2 else lib.full((2,), 0.5, dtype=lib.float64)
            opt.step()
            keys.append(list(opt.state_dict()["state"]))
        return q, keys
    (ours, ours_keys), (theirs, theirs_keys) = run(minitorch), run(torch)
    assert ours_keys == theirs_keys
    assert_close(ours.detach(), theirs.detach(), rtol=1e-15)


def test_a_param_that_views_a_bigger_tensor_updates_it_in_place():
    def run(lib):
        base = lib.zeros(6)
        view = base[1:4].requires_grad_(True)
        opt = lib.optim.SGD([view], lr=1.0)
        view.grad = lib.ones(3)
        opt.step()
        return base, view._version
    (ours, ours_version), (theirs, theirs_version) = run(minitorch), run(torch)
    assert_close(ours, theirs, rtol=0)
    assert ours_version == theirs_version


@pytest.mark.parametrize("kwargs", [{"momentum": 0.9, "dampening": 0.1, "nesterov": True},
                                    {"nesterov": True}])
def test_sgd_nesterov_errors(kwargs):
    same_error(lambda lib: lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1, **kwargs))


def test_optimizer_state_through_real_files_both_ways(tmp_path):
    """minitorch.save -> torch.load -> torch's load_state_dict, and back, then both go on
    stepping in lockstep."""
    def make(lib):
        p = lib.nn.Parameter(lib.from_numpy(np.linspace(-1, 1, 5)))
        return p, lib.optim.Adam([p], lr=0.05, amsgrad=True)

    def steps(lib, p, opt, first, n=5):
        for t in range(first, first + n):
            p.grad = lib.from_numpy(np.cos(np.arange(5) + t)) + 0.5 * p.detach()
            opt.step()

    (ours_p, ours), (theirs_p, theirs) = make(minitorch), make(torch)
    steps(minitorch, ours_p, ours, 0)
    minitorch.save(ours.state_dict(), tmp_path / "ours.pth")
    moved_p, moved = make(torch)
    moved_p.data.copy_(torch.from_numpy(ours_p.detach().numpy()))
    moved.load_state_dict(torch.load(tmp_path / "ours.pth", weights_only=True))
    steps(torch, theirs_p, theirs, 0)
    torch.save(theirs.state_dict(), tmp_path / "theirs.pth")
    back_p, back = make(minitorch)
    back_p.detach().numpy()[...] = theirs_p.detach().numpy()
    back.load_state_dict(minitorch.load(tmp_path / "theirs.pth"))
    for lib, p, opt in ((torch, moved_p, moved), (minitorch, back_p, back),
                        (torch, theirs_p, theirs)):
        steps(lib, p, opt, 5)
    assert_close(back_p.detach(), theirs_p.detach(), rtol=1e-12)
    assert moved_p.detach().numpy().tolist() == pytest.approx(theirs_p.detach().numpy().tolist(),
                                                              rel=1e-12)
    assert str(back.state[back_p]["step"].dtype).split(".")[1] == \
        str(theirs.state[theirs_p]["step"].dtype).split(".")[1]


# ---- save / load -----------------------------------------------------------------------------

def archive(lib, obj, **kwargs):
    buffer = io.BytesIO()
    lib.save(obj, buffer, **kwargs)
    buffer.seek(0)
    return buffer


def records(buffer):
    """Every record of the zip but the serialization id (which hashes names differently)."""
    zip_file = zipfile.ZipFile(buffer)
    return [(n, zip_file.read(n)) for n in zip_file.namelist() if "serialization_id" not in n]


PLAIN_OBJECTS = {"bytes": b"\x00\xffab", "empty_bytearray": bytearray(), "bytearray": bytearray(b"x"),
                 "set": {1, 2}, "complex": 1 + 2j, "counter": collections.Counter("aab")}


def test_bytes_sets_complex_and_counters_are_torchs_weights_only_objects():
    """torch.load(weights_only=True) reads these: minitorch once refused to write or read
    them. data.pkl is torch's byte for byte; each engine reads the other's file."""
    shared = b"twice"
    obj = {**PLAIN_OBJECTS, "shared": [shared, shared]}
    assert records(archive(minitorch, obj)) == records(archive(torch, obj))
    from_torch = minitorch.load(archive(torch, obj))
    assert from_torch == obj and from_torch["shared"][0] is from_torch["shared"][1]
    assert torch.load(archive(minitorch, obj), weights_only=True) == obj


def test_empty_bytes_are_refused_on_loading_as_by_torch():
    same_error(lambda lib: lib.load(archive(torch, {"b": b""})), exact=False,
               key="Weights only load failed")


def test_disable_byteorder_record_moves_it_to_the_end_as_torch():
    def names(lib):
        return zipfile.ZipFile(archive(lib, lib.ones(1), _disable_byteorder_record=True)).namelist()
    assert names(minitorch) == names(torch)


def test_save_takes_torchs_positional_pickle_module_and_zipfile_flag():
    def run(lib):
        buffer = io.BytesIO()
        lib.save(lib.arange(3), buffer, pickle, 2, True)
        buffer.seek(0)
        return lib.load(buffer, None, None).tolist()
    assert run(minitorch) == run(torch)


def test_saving_to_a_directory_is_a_runtime_error_and_leaves_nothing(tmp_path):
    for lib in LIBS:
        (tmp_path / lib.__name__).mkdir()
    same_error(lambda lib: lib.save(lib.ones(1), tmp_path / lib.__name__), exact=False,
               key="open file failed with strerror: Is a directory")
    assert sorted(os.listdir(tmp_path)) == ["minitorch", "torch"]
    assert os.listdir(tmp_path / "minitorch") == []


def test_save_to_something_without_write_and_load_from_something_without_seek():
    same_error(lambda lib: lib.save(lib.ones(1), b"/tmp/x.pth"))
    same_error(lambda lib: lib.load(b"/tmp/x.pth"), exact=False,
               key="You can only torch.load from a file that is seekable")


def test_mmap_needs_a_path_and_loads_from_one(tmp_path):
    same_error(lambda lib: lib.load(archive(lib, lib.ones(1)), mmap=True))
    for lib in LIBS:
        lib.save({"w": lib.arange(4.0)}, tmp_path / f"{lib.__name__}.pth")
    ours = minitorch.load(tmp_path / "torch.pth", mmap=True)["w"]
    theirs = torch.load(tmp_path / "minitorch.pth", mmap=True)["w"]
    assert ours.tolist() == theirs.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_shared_views_expanded_and_sliced_tensors_save_whole_storages(tmp_path):
    """Views of one tensor under different keys share one storage; an expanded tensor
    saves its few elements; a strided slice of a big tensor saves the whole storage, as
    torch does (file sizes equal)."""
    def make(lib):
        w = lib.arange(6.0).reshape(2, 3)
        big = lib.arange(10000.0).reshape(100, 100)
        return {"a": {"w": w, "views": [w.t(), w[1]]}, "b": (w,),
                "expanded": lib.tensor([1.0, 2.0]).reshape(2, 1).expand(2, 3),
                "slice": big[3:5, ::7]}
    for lib in LIBS:
        (tmp_path / lib.__name__).mkdir()
        lib.save(make(lib), tmp_path / lib.__name__ / "model.pth")
    ours_file, theirs_file = (tmp_path / lib.__name__ / "model.pth" for lib in LIBS)
    assert os.path.getsize(ours_file) == os.path.getsize(theirs_file)
    ours, theirs = minitorch.load(theirs_file), torch.load(ours_file)
    assert ours["a"]["w"] is ours["b"][0] and theirs["a"]["w"] is theirs["b"][0]
    for key in ("expanded", "slice"):
        assert ours[key].stride() == theirs[key].stride()
        assert ours[key].tolist() == theirs[key].tolist()
    transposed = ours["a"]["views"][0]
    transposed.detach().numpy()[0, 1] = 99.0     # it still views w's memory
    assert ours["a"]["w"].tolist()[1][0] == 99.0


def test_small_dtypes_zero_dim_and_requires_grad_both_ways():
    def make(lib):
        return [lib.tensor([True, False]), lib.tensor([1, 255], dtype=lib.uint8),
                lib.tensor([-128, 127], dtype=lib.int8), lib.tensor(3.5), lib.tensor(7),
                lib.ones(2, requires_grad=True), [lib.nn.Parameter(lib.ones(1))]]
    ours, theirs = minitorch.load(archive(torch, make(torch))), torch.load(archive(minitorch, make(minitorch)))
    assert describe(ours) == describe(theirs)
    assert type(ours[-1][0]).__name__ == type(theirs[-1][0]).__name__ == "Parameter"


def test_overwriting_the_file_being_loaded(tmp_path):
    def run(lib):
        path = tmp_path / f"{lib.__name__}.pth"
        lib.save({"a": lib.arange(4.0)}, path)
        loaded = lib.load(path)
        lib.save({"a": loaded["a"] * 2}, path)
        return lib.load(path)["a"].tolist()
    assert run(minitorch) == run(torch)


# ---- data ------------------------------------------------------------------------------------

class Items:
    """A map-style dataset over a list of samples (either engine's)."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def batches(lib, items, **kwargs):
    return [describe(b) for b in data_of(lib).DataLoader(Items(items(lib)), **kwargs)]


SAMPLES = {
    "dicts of tensors": lambda lib: [{"x": lib.ones(2) * i, "y": i, "z": float(i), "s": f"a{i}"}
                                     for i in range(3)],
    "nested tuples": lambda lib: [((i, (np.float32(i), np.int16(i))), [lib.tensor(i)])
                                  for i in range(3)],
    "numpy scalars": lambda lib: [(np.float64(i), np.bool_(i % 2), np.uint8(i)) for i in range(3)],
    "dtypes per field": lambda lib: [(lib.tensor([i], dtype=lib.uint8),
                                      lib.tensor([i], dtype=lib.float16), lib.tensor(i > 0))
                                     for i in range(3)],
    "leaves requiring grad": lambda lib: [lib.ones(2, requires_grad=True)] * 3,
}


@pytest.mark.parametrize("name", SAMPLES)
def test_default_collate_of_structured_samples(name):
    assert batches(minitorch, SAMPLES[name], batch_size=2) == \
        batches(torch, SAMPLES[name], batch_size=2)


def test_batch_size_none_converts_numpy_items():
    def items(lib):
        return [(np.arange(2) * i, np.int8(3), "s", [np.ones(1)]) for i in range(2)]
    assert batches(minitorch, items, batch_size=None) == batches(torch, items, batch_size=None)


@pytest.mark.parametrize("items", [[None, None], [(1, None), (2, None)]])
def test_none_in_a_sample_is_torchs_type_error(items):
    same_error(lambda lib: list(data_of(lib).DataLoader(Items(items), batch_size=2)))


def test_lengths_drop_last_exact_multiple_and_subset():
    def run(lib):
        data = data_of(lib)
        exact = data.DataLoader(list(range(6)), batch_size=3, drop_last=True)
        subset = data.DataLoader(data.Subset(list(range(10)), [1, 3, 5]), batch_size=2)
        return (len(exact), [b.tolist() for b in exact], len(subset),
                [b.tolist() for b in subset], len(data.RandomSampler(range(3), num_samples=7)))
    assert run(minitorch) == run(torch)


def test_two_iterators_of_one_loader_run_independently():
    def run(lib):
        loader = data_of(lib).DataLoader(list(range(6)), batch_size=2)
        a, b = iter(loader), iter(loader)
        return [next(a).tolist(), next(b).tolist(), next(a).tolist(), len(b)]
    assert run(minitorch) == run(torch)


def test_a_seeded_generator_shuffles_differently_each_epoch_and_repeats_when_reseeded():
    def run(lib):
        generator = lib.Generator().manual_seed(0)
        loader = data_of(lib).DataLoader(list(range(8)), batch_size=8, shuffle=True,
                                         generator=generator)
        first = [[b.tolist() for b in loader] for _ in range(2)]
        generator.manual_seed(0)
        again = [[b.tolist() for b in loader] for _ in range(2)]
        return first[0] != first[1], first == again, sorted(first[0][0])
    assert run(minitorch) == run(torch)


def worker_batches(lib, items):
    """The batches one worker process makes, or the error the loader raises."""
    loader = data_of(lib).DataLoader(Items(items(lib)), batch_size=2, num_workers=1, timeout=20)
    try:
        return [describe(b) for b in loader]
    except Exception as e:   # noqa: BLE001 - the error is the result under test
        return type(e).__name__, str(e).splitlines()[0]


WORKER_SAMPLES = {
    "float16 then float32": lambda lib: [lib.tensor([1.5], dtype=lib.float16), lib.tensor([1.25])],
    "int64 then float32": lambda lib: [lib.tensor([1]), lib.tensor([1.5])],
    "leaves requiring grad": lambda lib: [lib.ones(2, requires_grad=True)] * 2,
}


@pytest.mark.parametrize("name", WORKER_SAMPLES)
def test_workers_stack_into_the_first_samples_dtype_without_autograd(name):
    """In a worker torch stacks into a shared buffer of the first tensor's dtype
    (stack(out=...)): a float16 batch where the main process would promote, a TypeError
    where the first is an integer, a RuntimeError for tensors requiring grad. minitorch
    once promoted and kept requires_grad silently."""
    assert worker_batches(minitorch, WORKER_SAMPLES[name]) == \
        worker_batches(torch, WORKER_SAMPLES[name])
