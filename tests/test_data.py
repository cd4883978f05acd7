"""minitorch.utils.data and minitorch.Generator against torch.utils.data and torch.Generator.

Collation and the single-process DataLoader run the same calls on the same data in both
engines and compare every batch. The worker tests (few and small: starting processes is
slow) check that batches really come from other processes, in the single-process order,
with torch's seeding, errors and clean shutdown.
"""
import collections
import multiprocessing
import os
import random
import time
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from hypothesis import given, strategies as st
from torch.utils.data._utils.worker import _generate_state

import minitorch
import minitorch.utils.data as data
from tests.parity import assert_close, same_error

Point = collections.namedtuple("Point", ["x", "y"])
DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


def assert_same(ours, theirs, where="batch"):
    """minitorch's batch has torch's structure, container types, dtypes, shapes and values."""
    if isinstance(theirs, torch.Tensor):
        assert_close(ours, theirs, what=where)
    elif isinstance(theirs, (dict, list, tuple)):
        assert type(ours) is type(theirs), f"{where}: {type(ours)} != {type(theirs)}"
        assert len(ours) == len(theirs), where
        keys = theirs.keys() if isinstance(theirs, dict) else range(len(theirs))
        assert list(keys) == list(ours.keys() if isinstance(ours, dict) else range(len(ours)))
        for k in keys:
            assert_same(ours[k], theirs[k], f"{where}[{k!r}]")
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def array(seed, shape, dtype):
    values = np.random.default_rng(seed).uniform(-5, 5, size=shape)
    return np.asarray(values > 0) if dtype == "bool" else values.astype(dtype)


def sample(lib, i, shape, dtype):
    """One sample holding every kind of leaf and container default_collate knows."""
    return {"tensor": lib.from_numpy(array(i, shape, dtype)),
            "array": array(100 + i, shape, dtype),
            "int": i, "float": i / 3, "bool": i % 2 == 0, "str": f"s{i}", "bytes": b"b",
            "np_scalar": np.float32(i) / 7, "np_int": np.int32(i),
            "point": Point(lib.tensor([i, i + 1]), [i, (i * 0.5, "x")])}


@given(n=st.integers(1, 4), shape=st.lists(st.integers(1, 3), max_size=3),
       dtype=st.sampled_from(DTYPES))
def test_default_collate_matches_torch(n, shape, dtype):
    ours = data.default_collate([sample(minitorch, i, shape, dtype) for i in range(n)])
    theirs = torch_data.default_collate([sample(torch, i, shape, dtype) for i in range(n)])
    assert_same(ours, theirs)


@given(shape=st.lists(st.integers(1, 3), max_size=3), dtype=st.sampled_from(DTYPES))
def test_default_convert_matches_torch(shape, dtype):
    ours = data.default_convert(sample(minitorch, 2, shape, dtype))
    theirs = torch_data.default_convert(sample(torch, 2, shape, dtype))
    assert_same(ours, theirs)
    assert_same(data.default_convert((np.ones(2), [np.int64(3)])),
                torch_data.default_convert((np.ones(2), [np.int64(3)])))
    words = np.array(["a", "b"])
    assert data.default_convert(words) is words


def test_collate_keeps_mutable_containers_and_tuples_become_lists():
    class Record(dict):
        pass
    batch = [Record(a=1), Record(a=2)]
    out = data.default_collate(batch)
    assert type(out) is Record and out["a"].tolist() == [1, 2]
    assert_same(data.default_collate([(1, 2.0), (3, 4.0)]),
                torch_data.default_collate([(1, 2.0), (3, 4.0)]))


@pytest.mark.parametrize("make_batch, exact", [
    (lambda lib: [lib.zeros(2), lib.zeros(3)], True),                  # ragged tensors
    (lambda lib: [np.zeros((2, 1)), np.zeros((2, 2))], True),          # ragged arrays
    (lambda lib: [[1, 2], [3]], True),                                  # ragged lists
    (lambda lib: [object(), object()], True),                           # unknown type
    (lambda lib: [np.array(["a"]), np.array(["b"])], True),             # numpy strings
    (lambda lib: [{"a": [1, 2]}, {"a": [1]}], True),
])
def test_collate_errors_match_torch(make_batch, exact):
    def collate(lib):
        module = data if lib is minitorch else torch_data
        return module.default_collate(make_batch(lib))
    same_error(collate, exact=exact)


# ---- datasets ---------------------------------------------------------------------------

def test_tensor_dataset_and_its_errors():
    x, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    ours = data.TensorDataset(minitorch.from_numpy(x), minitorch.from_numpy(y))
    theirs = torch_data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    assert len(ours) == len(theirs) == 6
    for i in (0, 5, -1, slice(1, 4)):
        assert_same(ours[i], theirs[i])
    same_error(lambda lib: (data if lib is minitorch else torch_data).TensorDataset(
        lib.zeros(3), lib.zeros(4)))


def test_subset_concat_and_dataset_base():
    for lib, module in ((minitorch, data), (torch, torch_data)):
        base = module.TensorDataset(lib.arange(10))
        sub = module.Subset(base, [7, 2, 5])
        assert len(sub) == 3 and sub[1][0].item() == 2 and sub[-1][0].item() == 5
        both = sub + module.Subset(base, [0, 9])
        assert isinstance(both, module.ConcatDataset)
        assert len(both) == 5 and both.cumulative_sizes == [3, 5]
        assert [both[i][0].item() for i in range(-5, 5)] == [7, 2, 5, 0, 9] * 2
    same_error(lambda lib: _module(lib).ConcatDataset([_module(lib).Subset([1, 2], [0])])[-2])
    same_error(lambda lib: _module(lib).ConcatDataset([]))
    same_error(lambda lib: _module(lib).Dataset()[0])

    class Doubled(data.Subset):
        def __getitem__(self, i):
            return 2 * super().__getitem__(i)
    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Doubled([1, 2], [0])


def _module(lib):
    return data if lib is minitorch else torch_data


@pytest.mark.parametrize("n, lengths", [(10, [3, 7]), (30, [0.3, 0.3, 0.4]), (5, [0.5, 0.5]),
                                        (7, [0.1, 0.2, 0.7]), (4, [0.25, 0.75, 0.0])])
def test_random_split_lengths_match_torch(n, lengths):
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        ours = data.random_split(range(n), lengths,
                                 generator=minitorch.Generator().manual_seed(0))
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        theirs = torch_data.random_split(range(n), lengths, generator=torch.Generator())
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]
    assert all(isinstance(s, data.Subset) for s in ours)
    assert sorted(i for s in ours for i in s) == list(range(n))   # disjoint, covering
    with warnings.catch_warnings(record=True):
        again = data.random_split(range(n), lengths,
                                  generator=minitorch.Generator().manual_seed(0))
    assert [s.indices for s in again] == [s.indices for s in ours]


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [1.5, -0.5]])
def test_random_split_errors_match_torch(lengths):
    same_error(lambda lib: _module(lib).random_split(range(10), lengths))


# ---- samplers and the single-process DataLoader ----------------------------------------------

def loaders(x, y, **kwargs):
    """The same DataLoader over the same data in both engines."""
    ours = data.DataLoader(data.TensorDataset(minitorch.from_numpy(x), minitorch.from_numpy(y)),
                           **kwargs)
    theirs = torch_data.DataLoader(torch_data.TensorDataset(torch.from_numpy(x),
                                                            torch.from_numpy(y)), **kwargs)
    return ours, theirs


@given(n=st.integers(1, 9), batch_size=st.sampled_from([1, 2, 3, 4, None]),
       drop_last=st.booleans())
def test_dataloader_batches_match_torch(n, batch_size, drop_last):
    if batch_size is None:
        drop_last = False
    x, y = np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n)
    ours, theirs = loaders(x, y, batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    ours_batches, theirs_batches = list(ours), list(theirs)
    assert len(ours_batches) == len(theirs_batches) == len(theirs)
    for o, t in zip(ours_batches, theirs_batches):
        assert_same(o, t)


def test_dataloader_custom_collate_sampler_and_batch_sampler():
    x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    for kwargs in ({"collate_fn": lambda batch: len(batch), "batch_size": 2},
                   {"sampler": [4, 0, 3], "batch_size": 2},
                   {"batch_sampler": [[3, 1], [4], [0, 2, 1]]},
                   {"sampler": data.SequentialSampler(range(3)), "batch_size": None}):
        if isinstance(kwargs.get("sampler"), data.SequentialSampler):
            ours = data.DataLoader([np.ones(2) * i for i in range(3)], **kwargs)
            theirs = torch_data.DataLoader([np.ones(2) * i for i in range(3)], batch_size=None,
                                           sampler=torch_data.SequentialSampler(range(3)))
        else:
            ours, theirs = loaders(x, y, **kwargs)
        assert len(ours) == len(theirs)
        assert_same(list(ours), list(theirs))


@pytest.mark.parametrize("kwargs", [
    {"num_workers": -1}, {"timeout": -1}, {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": -1}, {"persistent_workers": True},
    {"sampler": [0, 1], "shuffle": True}, {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "drop_last": True}, {"batch_size": None, "drop_last": True},
    {"batch_size": 0}, {"batch_size": 2.0}, {"drop_last": 1},
    {"multiprocessing_context": "fork"}, {"num_workers": 1, "multiprocessing_context": "nope"},
    {"num_workers": 1, "multiprocessing_context": 3},
])
def test_dataloader_argument_errors_match_torch(kwargs):
    same_error(lambda lib: _module(lib).DataLoader(range(4), **kwargs))


def test_dataloader_attributes_are_frozen_and_samplers_checked():
    def set_batch_size(lib):
        _module(lib).DataLoader(range(4)).batch_size = 3
    same_error(set_batch_size)
    same_error(lambda lib: _module(lib).RandomSampler(range(3), replacement=1))
    same_error(lambda lib: _module(lib).RandomSampler(range(3), num_samples=0))
    loader = data.DataLoader(range(5), batch_size=2)
    assert loader.multiprocessing_context is None and loader.prefetch_factor is None
    assert isinstance(loader.sampler, data.SequentialSampler)
    assert isinstance(loader.batch_sampler, data.BatchSampler)


def test_pin_memory_warns_as_torch_without_accelerator():
    messages = []
    for module in (data, torch_data):
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            batches = list(module.DataLoader(range(3), batch_size=2, pin_memory=True))
        assert batches[1].tolist() == [2]
        messages.append([str(w.message) for w in warned])
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_random_sampler_lengths_and_replacement():
    assert sorted(data.RandomSampler(range(6))) == list(range(6))
    over = list(data.RandomSampler(range(4), num_samples=10))
    assert len(over) == 10 and sorted(over[:8]) == sorted(list(range(4)) * 2)
    drawn = list(data.RandomSampler(range(3), replacement=True, num_samples=50))
    assert len(drawn) == 50 and set(drawn) == {0, 1, 2}


def test_shuffle_is_new_each_epoch_and_reproducible():
    loader = data.DataLoader(range(20), batch_size=5, shuffle=True)
    minitorch.manual_seed(0)
    first, second = ([b.tolist() for b in loader] for _ in range(2))
    assert first != second
    assert sorted(sum(first, [])) == sorted(sum(second, [])) == list(range(20))
    minitorch.manual_seed(0)
    assert [b.tolist() for b in loader] == first
    seeded = [[b.tolist() for b in data.DataLoader(range(20), batch_size=5, shuffle=True,
                                                  generator=minitorch.Generator().manual_seed(3))]
              for _ in range(2)]
    assert seeded[0] == seeded[1]


# ---- Generator ---------------------------------------------------------------------------

def test_generator_streams_are_reproducible():
    g = minitorch.Generator()
    assert g.manual_seed(5) is g and g.initial_seed() == 5
    assert str(g.device) == "cpu"
    draws = [minitorch.rand(3, generator=g), minitorch.randn(2, generator=g),
             minitorch.randint(0, 9, (4,), generator=g), minitorch.randperm(6, generator=g)]
    g.manual_seed(5)
    again = [minitorch.rand(3, generator=g), minitorch.randn(2, generator=g),
             minitorch.randint(0, 9, (4,), generator=g), minitorch.randperm(6, generator=g)]
    assert all(a.tolist() == b.tolist() for a, b in zip(draws, again))
    # a Generator seeded like the global stream draws the same numbers
    minitorch.manual_seed(11)
    assert minitorch.rand(4).tolist() == \
        minitorch.rand(4, generator=minitorch.Generator().manual_seed(11)).tolist()
    # numpy Generators are still accepted
    assert minitorch.rand(2, generator=np.random.default_rng(1)).shape == (2,)
    # fresh generators start from torch's default seed; negative seeds wrap as in torch
    assert minitorch.Generator().initial_seed() == torch.Generator().initial_seed()
    assert minitorch.Generator().manual_seed(-3).initial_seed() == \
        torch.Generator().manual_seed(-3).initial_seed()
    fresh = g.seed()
    assert g.initial_seed() == fresh and 0 <= fresh < 2**64


def test_generator_state_round_trips():
    g = minitorch.Generator().manual_seed(7)
    minitorch.rand(5, generator=g)    # five 32-bit draws: half of a 64-bit one is cached
    assert g._numpy.bit_generator.state["has_uint32"] == 1
    state = g.get_state()
    assert state.dtype == minitorch.uint8 and state.ndim == 1
    expected = minitorch.rand(4, generator=g).tolist()
    other = minitorch.Generator().manual_seed(99)
    assert other.set_state(state) is other
    assert other.initial_seed() == 7
    assert minitorch.rand(4, generator=other).tolist() == expected


@pytest.mark.parametrize("call, exact, key", [
    (lambda lib: lib.Generator().manual_seed("a"), True, None),
    (lambda lib: lib.Generator().manual_seed(1.5), True, None),
    (lambda lib: lib.Generator().manual_seed(2**64), True, None),
    (lambda lib: lib.Generator().set_state(3), True, None),
    (lambda lib: lib.Generator().set_state(lib.zeros(4)), True, None),
    (lambda lib: lib.Generator().set_state(lib.zeros(4, dtype=lib.uint8)), False,
     "but found the input RNG state size to be 4"),
])
def test_generator_errors_match_torch(call, exact, key):
    same_error(call, exact=exact, key=key)


# ---- worker processes --------------------------------------------------------------------

class Probe(data.Dataset):
    """Sample i: i, and what the process reading it knows (pid, worker id and seed, first
    draws of its random streams, how often worker_init_fn ran there)."""

    def __init__(self, n, fail_at=None, error=ValueError):
        self.n, self.fail_at, self.error = n, fail_at, error

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.fail_at:
            raise self.error(f"sample {i} is broken")
        info = data.get_worker_info()
        return {"i": i, "pid": os.getpid(),
                "worker": -1 if info is None else info.id,
                "seed": -1 if info is None else info.seed,
                "init_calls": len(INIT_CALLS),
                "np": np.random.randint(2**31), "random": random.random(),
                "minitorch": minitorch.rand(()).item()}


INIT_CALLS = []


def record_init(worker_id):
    INIT_CALLS.append(worker_id)


def test_workers_load_in_other_processes_in_sampler_order():
    assert data.get_worker_info() is None
    kwargs = dict(batch_size=3, shuffle=True, worker_init_fn=record_init)
    alone = data.DataLoader(Probe(14), generator=minitorch.Generator().manual_seed(4),
                            **{k: v for k, v in kwargs.items() if k != "worker_init_fn"})
    workers = data.DataLoader(Probe(14), num_workers=2,
                              generator=minitorch.Generator().manual_seed(4), **kwargs)
    expected = [b["i"].tolist() for b in alone]
    batches = list(workers)
    assert [b["i"].tolist() for b in batches] == expected
    assert sorted(sum(expected, [])) == list(range(14))
    pids = {b["pid"][0].item() for b in batches}
    assert len(pids) == 2 and os.getpid() not in pids
    for n, b in enumerate(batches):   # batch n is read by worker n % 2, which ran init once
        assert b["worker"].tolist() == [n % 2] * len(b["i"])
        assert b["init_calls"].tolist() == [1] * len(b["i"])
    assert INIT_CALLS == []           # worker_init_fn ran in the workers only
    # seeds: base + worker id; each stream seeded as torch seeds it
    base = batches[0]["seed"][0].item()
    assert batches[1]["seed"][0].item() == base + 1
    for worker_id in (0, 1):
        first = batches[worker_id]
        seed = base + worker_id
        assert first["random"][0].item() == random.Random(seed).random()
        assert first["np"][0].item() == \
            np.random.RandomState(_generate_state(base, worker_id)).randint(2**31)
        assert first["minitorch"][0].item() == minitorch.rand(
            (), generator=minitorch.Generator().manual_seed(seed)).item()
    assert multiprocessing.active_children() == []   # shut down at the end of the epoch


def torch_worker_message(error):
    """torch's text for `error` raised in worker 0, made by torch's own ExceptionWrapper
    (a torch DataLoader with workers would do the same, but takes seconds to shut down)."""
    try:
        raise error
    except type(error):
        wrapper = torch._utils.ExceptionWrapper(where="in DataLoader worker process 0")
    try:
        wrapper.reraise()
    except type(error) as e:
        return str(e)


@pytest.mark.parametrize("error", [ValueError, KeyError])
def test_worker_exception_surfaces_with_its_traceback(error):
    loader = data.DataLoader(Probe(6, fail_at=4, error=error), batch_size=2, num_workers=2)
    with pytest.raises(error) as caught:
        list(loader)
    ours = str(caught.value)
    del caught   # its traceback holds the iterator
    theirs = torch_worker_message(error("sample 4 is broken"))
    assert ours.splitlines()[:2] == theirs.splitlines()[:2] == [
        f"Caught {error.__name__} in DataLoader worker process 0.",
        "Original Traceback (most recent call last):"]
    assert ours.rstrip().splitlines()[-1] == theirs.rstrip().splitlines()[-1]
    assert "sample 4 is broken" in ours.rstrip().splitlines()[-1]
    assert 'in __getitem__' in ours and "raise self.error(" in ours
    assert multiprocessing.active_children() == []


def test_broken_off_iteration_leaves_no_processes():
    def take_two():
        for n, _ in enumerate(data.DataLoader(Probe(20), batch_size=2, num_workers=2)):
            if n == 1:
                break
    take_two()
    assert multiprocessing.active_children() == []
    iterator = iter(data.DataLoader(Probe(20), num_workers=1))
    next(iterator)
    del iterator
    assert multiprocessing.active_children() == []


def test_persistent_workers_survive_epochs():
    loader = data.DataLoader(Probe(9), batch_size=2, num_workers=2, persistent_workers=True,
                             in_order=False)
    first = list(loader)
    pids = {b["pid"][0].item() for b in first}
    next(iter(loader))                # an epoch broken off: its leftovers must not leak
    second = list(loader)
    assert {b["pid"][0].item() for b in second} == pids
    for epoch in (first, second):
        assert sorted(sum((b["i"].tolist() for b in epoch), [])) == list(range(9))
    assert len(multiprocessing.active_children()) == 2
    del loader
    assert multiprocessing.active_children() == []


class Slow(data.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(1.0)
        return i


class Dies(data.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        os._exit(3)


def test_dead_worker_is_reported():
    loader = data.DataLoader(Dies(), num_workers=1, timeout=0.3)
    with pytest.raises(RuntimeError, match=r"^DataLoader worker \(pid\(s\) \d+\) exited "
                                           r"unexpectedly$"):
        next(iter(loader))
    assert multiprocessing.active_children() == []


def test_timeout_and_context_object():
    loader = data.DataLoader(Slow(), num_workers=1, timeout=0.2,
                             multiprocessing_context=multiprocessing.get_context("fork"))
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.2 seconds$"):
        next(iter(loader))
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("batch", [
    [np.int32(1), np.int32(2)], [np.float32(1), np.int64(2)], [np.uint8(1), np.int8(3)],
    [np.float16(1), np.float64(2)], [np.bool_(True), np.bool_(False)],
], ids=["int32", "float32+int64", "uint8+int8", "float16+float64", "bool"])
def test_numpy_scalars_of_mixed_dtypes_collate_as_torch(batch):
    ours, theirs = data.default_collate(batch), torch.utils.data.default_collate(batch)
    assert_close(ours, theirs)
