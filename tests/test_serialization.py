"""minitorch.save / minitorch.load against torch.save / torch.load, the oracle.

Files go both ways (minitorch -> torch.load(weights_only=True), torch.save ->
minitorch.load), for every dtype and layout; data.pkl must be byte for byte what torch
writes; hostile, broken and foreign files must fail clearly without running anything.
"""
import collections
import io
import os
import pickle
import struct
import zipfile

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import minitorch

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def torch_file(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return buffer


def minitorch_file(obj):
    buffer = io.BytesIO()
    minitorch.save(obj, buffer)
    buffer.seek(0)
    return buffer


def assert_same_tensor(ours, theirs):
    """Same dtype, shape, strides (where they matter: not along dims of size 1), requires_grad
    and bits."""
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_same_strides(ours, theirs)
    assert ours.requires_grad == theirs.requires_grad
    assert ours.detach().numpy().tobytes() == theirs.detach().numpy().tobytes()


def assert_same_strides(ours, theirs):
    if theirs.numel():
        assert [s for s, n in zip(ours.stride(), ours.shape) if n > 1] == \
            [s for s, n in zip(theirs.stride(), theirs.shape) if n > 1]


def random_array(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 256, size=int(np.prod(shape)) * np.dtype(dtype).itemsize, dtype=np.uint8)
    array = raw.view(dtype).reshape(shape)
    return array.astype(bool) if dtype == "bool" else array


def both(array):
    return minitorch.from_numpy(array.copy()), torch.from_numpy(array.copy())


# ---- the file is torch's ---------------------------------------------------------------------

def state_dict(lib):
    w = lib.arange(12.0).reshape(3, 4)
    parameter = (minitorch.nn.Parameter if lib is minitorch else torch.nn.Parameter)(lib.ones(2))
    return {"w": w, "row": w[1], "wt": w.t(), "every_other": w[:, ::2], "p": parameter,
            "mask": lib.tensor([True, False]), "step": lib.tensor(3, dtype=lib.int64),
            "empty": lib.from_numpy(np.zeros((0, 3), np.float32)), "meta": collections.OrderedDict(version=1),
            "lr": 1e-3, "none": None, "big": 2**70, "neg": -70000, "name": "net",
            "betas": (0.9, 0.999), "ids": [0, 1, 2, 3], "dtype": lib.float16}


def test_every_record_is_byte_for_byte_torchs():
    ours, theirs = minitorch_file(state_dict(minitorch)), torch_file(state_dict(torch))
    ours_zip, theirs_zip = zipfile.ZipFile(ours), zipfile.ZipFile(theirs)
    assert ours_zip.namelist() == theirs_zip.namelist()
    for name in theirs_zip.namelist():
        if name.endswith("serialization_id"):
            # 20 digits hash the record names (torch uses C++'s std::hash), 20 fold the CRCs
            assert ours_zip.read(name)[20:] == theirs_zip.read(name)[20:]
        else:
            assert ours_zip.read(name) == theirs_zip.read(name), name
    # same layout too: every header, padding and directory entry at the same offset
    assert [i.header_offset for i in ours_zip.infolist()] == \
        [i.header_offset for i in theirs_zip.infolist()]
    # the whole file, once torch's id (and that record's CRC) is swapped for ours
    id_record = "archive/.data/serialization_id"
    expected = theirs.getvalue().replace(theirs_zip.read(id_record), ours_zip.read(id_record))
    expected = expected.replace(struct.pack("<I", theirs_zip.getinfo(id_record).CRC),
                                struct.pack("<I", ours_zip.getinfo(id_record).CRC))
    assert ours.getvalue() == expected
    for info in ours_zip.infolist():   # each record's bytes start at a multiple of 64
        name_length, extra_length = struct.unpack_from("<HH", ours.getvalue(),
                                                       info.header_offset + 26)
        assert (info.header_offset + 30 + name_length + extra_length) % 64 == 0


def test_archive_folder_is_named_after_the_path_as_torch_does(tmp_path):
    for name in ["model.pth", "model.tar.pth", "checkpoint"]:
        minitorch.save({"x": minitorch.ones(1)}, tmp_path / ("m_" + name))
        torch.save({"x": torch.ones(1)}, tmp_path / ("t_" + name))
        ours = zipfile.ZipFile(tmp_path / ("m_" + name)).namelist()
        theirs = zipfile.ZipFile(tmp_path / ("t_" + name)).namelist()
        assert [n.replace("m_", "", 1) for n in ours] == [n.replace("t_", "", 1) for n in theirs]


# ---- dtypes, 0-d, zero-size, layouts both ways -----------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (5,), (3, 4)])
def test_dtype_and_shape_both_ways(dtype, shape):
    ours, theirs = both(random_array(dtype, shape))
    assert_same_tensor(torch.load(minitorch_file(ours), weights_only=True), ours)
    assert_same_tensor(minitorch.load(torch_file(theirs)), theirs)


LAYOUTS = {
    "contiguous": lambda t: t,
    "transposed": lambda t: t.transpose(0, -1),
    "strided": lambda t: t[::2],
    "narrowed": lambda t: t[1:],
    "expanded": lambda t: t.unsqueeze(0).expand(2, *t.shape),
}


@given(dtype=st.sampled_from(DTYPES), layout=st.sampled_from(sorted(LAYOUTS)),
       shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
       seed=st.integers(0, 2**16))
def test_layouts_both_ways_and_round_trip(dtype, layout, shape, seed):
    ours, theirs = (LAYOUTS[layout](t) for t in both(random_array(dtype, shape, seed)))
    assert_same_strides(ours, theirs)
    from_ours = torch.load(minitorch_file({"t": ours}), weights_only=True)["t"]
    assert_same_tensor(from_ours, theirs)
    if theirs.numel():  # an empty view's offset points at nothing; torch keeps it, numpy not
        assert from_ours.storage_offset() == theirs.storage_offset()
    assert_same_tensor(minitorch.load(torch_file({"t": theirs}))["t"], theirs)
    assert_same_tensor(minitorch.load(minitorch_file({"t": ours}))["t"], theirs)


# ---- shared storage ---------------------------------------------------------------------------

def test_torch_views_come_back_sharing_memory():
    w = torch.arange(12.0).reshape(3, 4)
    loaded = minitorch.load(torch_file({"w": w, "row": w[1], "wt": w.t(), "other": w.clone()}))
    loaded["w"][1, 2] = 100.0
    assert loaded["row"][2].item() == 100.0
    assert loaded["wt"][2, 1].item() == 100.0
    assert loaded["other"][1, 2].item() == 6.0


def test_minitorch_views_are_saved_once_and_share_in_torch():
    w = minitorch.arange(12.0).reshape(3, 4)
    file = minitorch_file({"w": w, "row": w[1], "wt": w.t(), "other": w.clone()})
    assert sorted(n for n in zipfile.ZipFile(file).namelist() if "/data/" in n) == \
        ["archive/data/0", "archive/data/1"]
    file.seek(0)
    loaded = torch.load(file, weights_only=True)
    assert loaded["row"].untyped_storage().data_ptr() == loaded["w"].untyped_storage().data_ptr()
    assert loaded["row"].storage_offset() == 4
    loaded["w"][1, 2] = 100.0
    assert loaded["row"][2].item() == 100.0 and loaded["wt"][2, 1].item() == 100.0
    assert loaded["other"][1, 2].item() == 6.0


def test_one_tensor_twice_loads_as_one_object():
    t = minitorch.ones(2)
    loaded = minitorch.load(minitorch_file([t, t]))
    assert loaded[0] is loaded[1]
    theirs = torch.load(minitorch_file([t, t]), weights_only=True)
    assert theirs[0] is theirs[1]


# ---- parameters and state dicts ----------------------------------------------------------------

@pytest.mark.parametrize("requires_grad", [True, False])
def test_parameters_both_ways(requires_grad):
    data = random_array("float32", (2, 3))
    ours = minitorch.nn.Parameter(minitorch.from_numpy(data.copy()), requires_grad)
    theirs = torch.nn.Parameter(torch.from_numpy(data.copy()), requires_grad)
    from_ours = torch.load(minitorch_file({"p": ours}), weights_only=True)["p"]
    assert type(from_ours) is torch.nn.Parameter
    assert_same_tensor(from_ours, theirs)
    from_theirs = minitorch.load(torch_file({"p": theirs}))["p"]
    assert type(from_theirs) is minitorch.nn.Parameter
    assert_same_tensor(from_theirs, theirs)


def test_requires_grad_of_a_plain_tensor_both_ways():
    ours, theirs = (t.requires_grad_() for t in both(random_array("float64", (3,))))
    assert torch.load(minitorch_file(ours), weights_only=True).requires_grad
    loaded = minitorch.load(torch_file(theirs))
    assert type(loaded) is minitorch.Tensor and loaded.requires_grad


def optimizer_state(lib):
    buffers = [lib.ones(2, 3) * 0.5, lib.zeros(3)]
    return {"state": {0: {"momentum_buffer": buffers[0], "step": lib.tensor(7.0)},
                      1: {"momentum_buffer": buffers[1], "step": lib.tensor(7.0)}},
            "param_groups": [{"lr": 0.001, "momentum": 0.9, "dampening": 0, "weight_decay": 0,
                              "nesterov": False, "maximize": False, "foreach": None,
                              "betas": (0.9, 0.999), "params": [0, 1]}]}


def assert_same_structure(ours, theirs):
    if isinstance(theirs, torch.Tensor):
        return assert_same_tensor(ours, theirs)
    assert type(ours) is type(theirs)
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_same_structure(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same_structure(a, b)
    else:
        assert ours == theirs


def test_optimizer_like_state_dicts_both_ways():
    assert_same_structure(minitorch.load(torch_file(optimizer_state(torch))),
                          optimizer_state(torch))
    assert_same_structure(torch.load(minitorch_file(optimizer_state(minitorch)),
                                     weights_only=True), optimizer_state(torch))


def test_ordered_dict_with_metadata_like_a_module_state_dict():
    def make(lib):
        sd = collections.OrderedDict(weight=lib.ones(2), bias=lib.zeros(1))
        sd._metadata = collections.OrderedDict({"": {"version": 1}})
        return sd
    from_ours = torch.load(minitorch_file(make(minitorch)), weights_only=True)
    assert from_ours._metadata == make(torch)._metadata
    from_theirs = minitorch.load(torch_file(make(torch)))
    assert type(from_theirs) is collections.OrderedDict
    assert from_theirs._metadata == make(torch)._metadata
    assert_same_structure(from_theirs, make(torch))


# ---- files and paths ----------------------------------------------------------------------------

def test_paths_str_and_pathlike_and_file_objects(tmp_path):
    t = minitorch.arange(5)
    minitorch.save(t, str(tmp_path / "a.pth"))
    minitorch.save(t, tmp_path / "b.pth")
    with open(tmp_path / "c.pth", "wb") as file:
        minitorch.save(t, file)
    for name in ["a.pth", "b.pth", "c.pth"]:
        assert torch.load(tmp_path / name, weights_only=True).tolist() == [0, 1, 2, 3, 4]
        assert minitorch.load(tmp_path / name).tolist() == [0, 1, 2, 3, 4]
        with open(tmp_path / name, "rb") as file:
            assert minitorch.load(file).tolist() == [0, 1, 2, 3, 4]
    assert sorted(os.listdir(tmp_path)) == ["a.pth", "b.pth", "c.pth"]


def test_a_failed_save_leaves_nothing_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "model.pth"
    with pytest.raises(pickle.PicklingError, match="Can't pickle <function"):
        minitorch.save({"w": minitorch.ones(2), "f": lambda x: x}, path)
    assert os.listdir(tmp_path) == []
    minitorch.save({"w": minitorch.ones(2)}, path)
    before = path.read_bytes()
    with pytest.raises(pickle.PicklingError):
        minitorch.save({"w": minitorch.zeros(2), "f": lambda x: x}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.pth"]
    with pytest.raises(RuntimeError, match="Parent directory .*missing does not exist"):
        minitorch.save(minitorch.ones(1), tmp_path / "missing" / "model.pth")


def test_a_save_that_fails_while_writing_removes_its_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.pth"
    minitorch.save(minitorch.ones(1), path)
    before = path.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        minitorch.save(minitorch.zeros(1000), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.pth"]


# ---- map_location -------------------------------------------------------------------------------

def torch_file_on(location):
    """A torch file whose storage says it was saved from `location`."""
    original = zipfile.ZipFile(torch_file({"w": torch.ones(2)}))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name.endswith("data.pkl"):
                data = data.replace(b"X\x03\x00\x00\x00cpu",
                                    b"X" + len(location).to_bytes(4, "little") + location.encode())
            copy.writestr(name, data)
    out.seek(0)
    return out


def test_map_location():
    for location in ["cpu", minitorch.device("cpu"), torch.device("cpu"), {"cuda:0": "cpu"},
                     lambda storage, loc: storage]:
        assert minitorch.load(torch_file_on("cuda:0"), map_location=location)["w"].tolist() == [1, 1]
    with pytest.raises(RuntimeError, match="CUDA device but minitorch.cuda.is_available"):
        minitorch.load(torch_file_on("cuda:0"))
    with pytest.raises(RuntimeError, match="CUDA device"):
        minitorch.load(torch_file_on("cpu"), map_location="cuda")
    with pytest.raises(RuntimeError, match="CUDA device"):
        minitorch.load(torch_file_on("cpu"), map_location={"cpu": "cuda:1"})


# ---- hostile, broken, foreign files -------------------------------------------------------------

class RunsACommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def with_data_pkl(data_pkl):
    """A genuine torch file whose data.pkl is replaced."""
    original = zipfile.ZipFile(torch_file({"w": torch.ones(2)}))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in original.namelist():
            copy.writestr(name, data_pkl if name.endswith("data.pkl") else original.read(name))
    out.seek(0)
    return out


@pytest.mark.parametrize("weights_only", [True, None])   # (False runs it, as in torch)
def test_a_malicious_global_is_refused_and_nothing_runs(tmp_path, weights_only):
    marker = tmp_path / "ran"
    evil = pickle.dumps({"w": RunsACommand(marker)}, protocol=2)
    with pytest.raises(pickle.UnpicklingError,
                       match=r"(?s)Weights only load failed.*GLOBAL posix\.system whose module "
                             r"posix is blocked"):
        minitorch.load(with_data_pkl(evil), weights_only=weights_only)
    assert not marker.exists()


def test_a_tensor_reaching_outside_its_storage_is_refused():
    data_pkl = zipfile.ZipFile(torch_file(torch.ones(2))).read("archive/data.pkl")
    # size (2,) -> (200,): the record still holds two floats
    hostile = data_pkl.replace(b"K\x00K\x02\x85", b"K\x00K\xc8\x85")
    assert hostile != data_pkl
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 8"):
        minitorch.load(with_data_pkl(hostile))


def test_broken_and_foreign_files_fail_clearly(tmp_path):
    good = minitorch_file({"w": minitorch.ones(100)}).getvalue()
    cases = {"empty.pth": b"", "text.pth": b"not a checkpoint at all",
             "truncated.pth": good[:len(good) // 2], "cut_end.pth": good[:-30]}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(RuntimeError, match=r"PytorchStreamReader failed reading zip archive: "
                           r"failed finding central directory.*" + name):
            minitorch.load(tmp_path / name)
    corrupt = bytearray(good)
    corrupt[good.index(b"\x00\x00\x80?")] ^= 0xFF   # one bit of data/0: its CRC fails
    (tmp_path / "corrupt.pth").write_bytes(bytes(corrupt))
    with pytest.raises(RuntimeError, match="failed reading file data/0.*corrupt.pth"):
        minitorch.load(tmp_path / "corrupt.pth")
    with zipfile.ZipFile(tmp_path / "no_pickle.pth", "w") as z:
        z.writestr("archive/version", "3\n")
    with pytest.raises(RuntimeError, match="failed locating file data.pkl.*no_pickle.pth"):
        minitorch.load(tmp_path / "no_pickle.pth")


def test_torch_legacy_format_is_refused_clearly(tmp_path):
    torch.save({"w": torch.ones(2)}, tmp_path / "old.pth", _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="old.pth was written in torch's legacy format"):
        minitorch.load(tmp_path / "old.pth")
