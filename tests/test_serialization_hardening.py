"""Checkpoints crafted by hand, opcode by opcode and record by record, and saves into odd
places: what a user's file or folder can do to minitorch.save / minitorch.load.

Nothing a file holds may change minitorch's own objects; a few bytes of file may not claim
gigabytes; a zip that reads two ways is refused; a save goes through symlinks, keeps the
file's mode, works where torch.save works and never leaves temporaries piling up. torch
is the oracle: where it refuses, we refuse with the same exception type; where it loads,
we load.
"""
import collections
import contextlib
import io
import json
import os
import pickle
import stat
import struct
import subprocess
import sys
import threading
import warnings
import zipfile

import numpy as np
import pytest
import torch

import minitorch
from minitorch import serialization


# ---- crafting files ------------------------------------------------------------------------

def text(s):
    """The opcode that pushes the string s."""
    data = s.encode()
    return pickle.BINUNICODE + struct.pack("<I", len(data)) + data


def name(module, attr):
    """The opcode that pushes a global, e.g. torch.float32."""
    return pickle.GLOBAL + f"{module}\n{attr}\n".encode()


def linear_checkpoint():
    """A genuine file: the state_dict of nn.Linear(2, 2), as minitorch.save writes it."""
    buffer = io.BytesIO()
    minitorch.save(minitorch.nn.Linear(2, 2).state_dict(), buffer)
    return buffer.getvalue()


def rezip(checkpoint, data_pkl=None, compress=None, extra=()):
    """The checkpoint's records written again with zipfile: data.pkl replaced by
    data_pkl(old bytes), records compressed by method ({record: method}), and extra
    (name, bytes) records appended."""
    original = zipfile.ZipFile(io.BytesIO(checkpoint))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # "Duplicate name": on purpose
        for info in original.infolist():
            data, record = original.read(info), info.filename.split("/", 1)[1]
            if data_pkl and record == "data.pkl":
                data = data_pkl(data)
            copy.writestr(info.filename, data, (compress or {}).get(record, zipfile.ZIP_STORED))
        for record, data in extra:
            copy.writestr(record, data)
    return out.getvalue()


def with_entry(checkpoint, ops):
    """The checkpoint with one more entry, state_dict["evil"] = what `ops` push, written
    just before the pickle's STOP: the file stays one torch.load reads."""
    return rezip(checkpoint, lambda pkl: pkl[:-1] + text("evil") + ops + pickle.SETITEM + b".")


def load_both(data):
    """(minitorch's result or exception, torch's result or exception)."""
    results = []
    for lib in (minitorch, torch):
        try:
            results.append(lib.load(io.BytesIO(data)))
        except Exception as e:   # noqa: BLE001 - compared below
            results.append(e)
    return results


# ---- 1. nothing a file holds changes minitorch's own objects --------------------------------

def shared_state():
    """Every attribute a file could reach on the objects the unpickler hands out (dtypes,
    Size, device, storage types, the rebuild functions...), copied."""
    def attributes(obj):
        slots = {slot: getattr(obj, slot, None) for slot in getattr(type(obj), "__slots__", ())}
        return slots, dict(getattr(obj, "__dict__", {})), getattr(obj, "__defaults__", None)
    return {key: attributes(obj) for key, obj in serialization._ALLOWED_GLOBALS.items()}


def build(target, slot_state):
    """`target`, then BUILD with state (None, slot_state): pickle's way to setattr."""
    items = b"".join(text(k) + v + pickle.SETITEM for k, v in slot_state.items())
    return target + pickle.NONE + pickle.EMPTY_DICT + items + pickle.TUPLE2 + pickle.BUILD


# The user's file: minitorch.float32 became float16 for every later default tensor.
ATTACKS = {
    "dtype": build(name("torch", "float32"), {"np": text("float16")}),
    "storage type": build(name("torch", "FloatStorage"), {"np": text("float16")}),
    "Size": build(name("torch", "Size"), {"__add__": pickle.NONE}),
    "device": build(name("torch", "device"), {"__repr__": pickle.NONE}),
    "rebuild defaults": build(name("torch._utils", "_rebuild_tensor_v2"),
                              {"__defaults__": pickle.NONE + pickle.TUPLE1}),
    "function dict": name("torch._utils", "_rebuild_tensor_v2") + pickle.EMPTY_DICT
    + text("x") + pickle.NONE + pickle.SETITEM + pickle.BUILD,
    "OrderedDict class": build(name("collections", "OrderedDict"), {"x": pickle.NONE}),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_file_cannot_set_attributes_on_minitorchs_shared_objects(attack):
    before = shared_state()
    hostile = with_entry(linear_checkpoint(), ATTACKS[attack])
    ours, theirs = load_both(hostile)
    assert isinstance(theirs, pickle.UnpicklingError)
    assert isinstance(ours, pickle.UnpicklingError)
    assert "Can only build OrderedDict or Counter" in str(ours)
    assert shared_state() == before
    assert minitorch.ones(2).dtype is minitorch.float32
    assert str(minitorch.ones(2).numpy().dtype) == "float32"


def test_the_same_files_without_build_load():
    """The refusal is of BUILD only: the same globals as plain values load in both."""
    for module, attr in [("torch", "float32"), ("torch", "Size"), ("torch._utils",
                                                                  "_rebuild_tensor_v2")]:
        ours, theirs = load_both(with_entry(linear_checkpoint(), name(module, attr)))
        assert sorted(ours) == sorted(theirs) == ["bias", "evil", "weight"]


@pytest.mark.parametrize("container", ["OrderedDict", "Counter"])
def test_build_on_an_ordered_dict_or_counter_the_file_made_loads_as_in_torch(container):
    made = name("collections", container) + pickle.EMPTY_TUPLE + pickle.REDUCE
    ours, theirs = load_both(with_entry(linear_checkpoint(), made + pickle.EMPTY_DICT
                                        + text("a") + pickle.NEWTRUE + pickle.SETITEM
                                        + pickle.BUILD))
    assert ours["evil"].a is theirs["evil"].a is True
    assert type(ours["evil"]) is type(theirs["evil"]) is getattr(collections, container)


# ---- 2. memory is bounded by the file --------------------------------------------------------

LOAD_UNDER_A_MEMORY_LIMIT = r"""
import json, re, resource, sys
import minitorch

def status(field):   # in MB
    with open("/proc/self/status") as f:
        return int(re.search(field + r":\s+(\d+)", f.read()).group(1)) / 1024

soft, hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (int((status("VmSize") + 256) * 2**20), hard))
results = {}
for path in sys.argv[1:]:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")   # the peak (VmHWM) starts again from here
    before = status("VmRSS")
    try:
        result = repr(minitorch.load(path))[:200]
    except BaseException as e:
        result = f"{type(e).__name__}: {e}"[:300]
    results[path] = result, status("VmHWM") - before
print(json.dumps(results))
"""


def load_in_a_child(paths):
    """{file name: (what loading it gave, how far resident memory rose meanwhile, in MB)},
    each loaded in a fresh process whose address space may grow by 256 MB at most."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(minitorch.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    child = subprocess.run([sys.executable, "-c", LOAD_UNDER_A_MEMORY_LIMIT, *map(str, paths)],
                           capture_output=True, text=True, env=env, timeout=300)
    assert child.returncode == 0, child.stderr
    results = json.loads(child.stdout.splitlines()[-1])
    return {os.path.basename(path): outcome for path, outcome in results.items()}


def record_of_zeros(checkpoint, record, nbytes, method):
    """The checkpoint with `record` replaced by nbytes of zeros compressed with `method`
    (streamed: the zeros are never all in memory here)."""
    original = zipfile.ZipFile(io.BytesIO(checkpoint))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            if info.filename.endswith("/" + record):
                entry = zipfile.ZipInfo(info.filename)
                entry.compress_type = method
                with copy.open(entry, "w", force_zip64=True) as stream:
                    for _ in range(nbytes >> 20):
                        stream.write(bytes(1 << 20))
            else:
                copy.writestr(info.filename, original.read(info))
    return out.getvalue()


BOMB = 32 << 20   # inflated whole (and copied), it would show as ~70 MB of peak memory


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    """Files of a few kilobytes that, read naively, need gigabytes or tens of megabytes."""
    folder = tmp_path_factory.mktemp("bombs")
    checkpoint = linear_checkpoint()
    files = {
        # PROTO 2, NONE, LONG_BINPUT 2**28, STOP: the C unpickler grows its memo to 2**28
        "memo": rezip(checkpoint, lambda pkl: b"\x80\x02N" + pickle.LONG_BINPUT
                      + struct.pack("<I", 2**28) + b"."),
        # bytearray(2**31): 2 GiB asked for by 25 bytes
        "bytearray": rezip(checkpoint, lambda pkl: b"\x80\x02" + name("__builtin__", "bytearray")
                           + pickle.BININT + struct.pack("<i", 2**31 - 1) + pickle.TUPLE1
                           + pickle.REDUCE + b"."),
        "bzip2": record_of_zeros(checkpoint, "data/0", BOMB, zipfile.ZIP_BZIP2),
        "lzma": record_of_zeros(checkpoint, "data/0", BOMB, zipfile.ZIP_LZMA),
        # deflate, which torch reads, but 32 MB where the pickle wants 16 bytes
        "deflate": record_of_zeros(checkpoint, "data/0", BOMB, zipfile.ZIP_DEFLATED),
    }
    for kind, data in files.items():
        (folder / f"{kind}.pth").write_bytes(data)
    return folder


def test_a_few_bytes_of_file_never_claim_gigabytes(bombs):
    outcome = load_in_a_child(sorted(bombs.iterdir()))
    results = {kind[:-4]: result for kind, (result, _) in outcome.items()}
    assert results["memo"] == "None"   # torch's memo is a dict too: it returns None
    assert results["bytearray"].startswith("UnpicklingError: load: bytearray(2147483647)")
    for method in ("bzip2", "lzma"):
        assert results[method].startswith("RuntimeError: PytorchStreamReader failed retrieving "
                                          "file meta-data for data/0: unsupported method")
    assert results["deflate"].startswith("RuntimeError: PytorchStreamReader failed reading "
                                         "file data/0: it holds 33554432 bytes, not the 4")
    assert {kind: rise for kind, (_, rise) in outcome.items() if rise > 16} == {}


def test_torch_refuses_bzip2_and_lzma_records_and_returns_the_memo_files_none(bombs):
    assert torch.load(bombs / "memo.pth") is None
    for method in ("bzip2", "lzma"):
        with pytest.raises(RuntimeError, match="data/0: unsupported method"):
            torch.load(bombs / f"{method}.pth")


@pytest.mark.parametrize("record", ["data.pkl", "data/0", "byteorder"])
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compressed_records_load_where_torch_reads_them(record, method):
    """torch's reader (miniz) inflates deflated records and refuses bzip2 and lzma."""
    checkpoint = linear_checkpoint()
    ours, theirs = load_both(rezip(checkpoint, compress={record: method}))
    if method == zipfile.ZIP_DEFLATED:
        expected = minitorch.load(io.BytesIO(checkpoint))
        assert ours["weight"].tolist() == theirs["weight"].tolist() == expected["weight"].tolist()
    else:
        assert isinstance(theirs, RuntimeError) and isinstance(ours, RuntimeError)
        assert f"failed retrieving file meta-data for {record}: unsupported method" in str(ours)


def test_a_compressed_record_that_is_never_read_does_not_matter_as_in_torch():
    extra = [("archive/notes", b"x" * 100)]
    data = rezip(linear_checkpoint(), compress={"notes": zipfile.ZIP_BZIP2}, extra=extra)
    ours, theirs = load_both(data)
    assert sorted(ours) == sorted(theirs) == ["bias", "weight"]


# ---- 3. a zip that reads two ways ------------------------------------------------------------

@pytest.mark.parametrize("record", ["data/0", "data.pkl", "byteorder"])
def test_a_record_stored_twice_is_refused(record):
    checkpoint = linear_checkpoint()
    second = zipfile.ZipFile(io.BytesIO(checkpoint)).read(f"archive/{record}")
    with pytest.raises(RuntimeError, match=rf"reading zip archive: records stored more than "
                                           rf"once: \['archive/{record}'\]"):
        minitorch.load(io.BytesIO(rezip(checkpoint, extra=[(f"archive/{record}", second)])))


# ---- 4. saving: symlinks, modes, folders without new files, kills -------------------------

LIBS = [minitorch, torch]


def saved(lib, path, value):
    lib.save({"w": lib.full((3,), float(value))}, path)


def loaded(lib, path):
    return lib.load(path)["w"].tolist()


@pytest.mark.parametrize("lib", LIBS, ids=lambda lib: lib.__name__)
def test_save_through_a_symlink_replaces_the_file_it_points_to(tmp_path, lib):
    (tmp_path / "runs").mkdir()
    (tmp_path / "latest").mkdir()
    real, link = tmp_path / "runs" / "model.pth", tmp_path / "latest" / "model.pth"
    saved(lib, real, 1)
    link.symlink_to(real)
    saved(lib, link, 2)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert loaded(lib, real) == [2.0, 2.0, 2.0]
    assert os.listdir(tmp_path / "runs") == ["model.pth"]
    assert os.listdir(tmp_path / "latest") == ["model.pth"]


@pytest.mark.parametrize("lib", LIBS, ids=lambda lib: lib.__name__)
def test_save_keeps_the_files_mode_and_a_new_file_gets_torchs(tmp_path, lib):
    path = tmp_path / "private.pth"
    saved(lib, path, 1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()
    path.chmod(0o600)
    saved(lib, path, 2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert loaded(lib, path) == [2.0, 2.0, 2.0]


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def taking_no_new_files(folder):
    """The folder refuses new entries; its files can still be written. As root, who
    ignores permissions, that is `chattr +i` (an immutable folder); else chmod 0o555."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    # as root, only chattr +i makes a folder refuse new files (Debian's e2fsprogs has it)
    subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("lib", LIBS, ids=lambda lib: lib.__name__)
def test_save_in_a_folder_that_takes_no_new_files_overwrites_in_place(tmp_path, lib):
    path = tmp_path / "model.pth"
    saved(lib, path, 1)
    with taking_no_new_files(tmp_path):
        with pytest.raises(OSError):
            open(tmp_path / "probe", "x").close()
        saved(lib, path, 2)
        assert loaded(lib, path) == [2.0, 2.0, 2.0]
        if lib is minitorch:   # (torch opens the file first: it leaves a zip without data.pkl)
            with pytest.raises(pickle.PicklingError):   # the pickle is made before the file opens
                lib.save({"w": lib.ones(1), "f": lambda x: x}, path)
            assert loaded(lib, path) == [2.0, 2.0, 2.0]
        with pytest.raises((OSError, RuntimeError), match="Operation not permitted|Permission"):
            saved(lib, tmp_path / "new.pth", 3)   # a new file cannot be made here at all
    assert os.listdir(tmp_path) == ["model.pth"]


KILLED_MID_WRITE = r"""
import sys, time
import minitorch
from minitorch import serialization

def hang(self):   # every record but the central directory is written: kill -9 comes here
    print("written", flush=True)
    time.sleep(600)

serialization._ZipWriter.finish = hang
minitorch.save({"w": minitorch.zeros(4_000_000)}, sys.argv[1])
"""


def kill_a_save_mid_write(path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(minitorch.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, str(path)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline() == "written\n"
    finally:
        child.kill()   # SIGKILL: no cleanup runs
        child.wait()
        child.stdout.close()


def test_killed_saves_leave_the_old_file_and_no_temporaries_piling_up(tmp_path):
    path = tmp_path / "model.pth"
    saved(minitorch, path, 1)
    for _ in range(2):
        kill_a_save_mid_write(path)
        assert loaded(minitorch, path) == [1.0, 1.0, 1.0]   # never half a checkpoint
        assert len(os.listdir(tmp_path)) <= 2               # at most one temporary, reused
    saved(minitorch, path, 2)
    assert os.listdir(tmp_path) == ["model.pth"]
    assert loaded(minitorch, path) == [2.0, 2.0, 2.0]


def test_concurrent_saves_of_one_path_take_turns(tmp_path):
    path = tmp_path / "model.pth"
    start = threading.Barrier(4)
    errors = []

    def save_many(value):
        start.wait()
        try:
            for _ in range(10):
                minitorch.save({"w": minitorch.full((50_000,), float(value))}, path)
        except Exception as e:   # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=save_many, args=(value,)) for value in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(minitorch.load(path)["w"].tolist())) == 1
    assert os.listdir(tmp_path) == ["model.pth"]


def test_a_symlink_planted_at_the_temporary_name_is_not_followed(tmp_path):
    victim, path = tmp_path / "victim", tmp_path / "model.pth"
    victim.write_bytes(b"precious")
    (tmp_path / "model.pth.partial").symlink_to(victim)
    saved(minitorch, path, 1)
    assert victim.read_bytes() == b"precious"
    assert loaded(minitorch, path) == [1.0, 1.0, 1.0]


# ---- 5. more dimensions than numpy holds -----------------------------------------------------

def numpy_max_dims():
    """64 with numpy 2, 32 before: the most dimensions an array may have."""
    def fits(n):
        try:
            return np.empty((1,) * n).ndim == n
        except ValueError:
            return False
    return max(n for n in (32, 64) if fits(n))


def test_a_tensor_with_more_dimensions_than_numpy_holds_is_a_clear_runtime_error():
    limit = numpy_max_dims()   # torch goes further: it loads a 65-dimensional tensor
    buffer = io.BytesIO()
    torch.save({"deep": torch.zeros([1] * (limit + 1))}, buffer)
    buffer.seek(0)
    assert torch.load(buffer)["deep"].dim() == limit + 1
    buffer.seek(0)
    with pytest.raises(RuntimeError, match=rf"a tensor of {limit + 1} dimensions cannot be "
                                           rf"loaded: .* at most {limit} dimensions"):
        minitorch.load(buffer)


def test_a_tensor_with_as_many_dimensions_as_numpy_holds_loads():
    shape = [1] * (numpy_max_dims() - 1) + [3]
    buffer = io.BytesIO()
    torch.save(torch.arange(3.0).reshape(shape), buffer)
    buffer.seek(0)
    tensor = minitorch.load(buffer)
    assert tuple(tensor.shape) == tuple(shape) and tensor.flatten().tolist() == [0.0, 1.0, 2.0]
