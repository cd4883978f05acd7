"""save / load in PyTorch's .pth format, so checkpoints move between minitorch and torch.

A .pth file, as `torch.save` writes it (torch/serialization.py `_save`), is a zip archive
whose members are stored uncompressed, each one's bytes starting at a multiple of 64:

    <archive>/data.pkl                 the object, pickled with protocol 2
    <archive>/.format_version          "1"
    <archive>/.storage_alignment       "64"
    <archive>/byteorder                "little" (the writer's byte order)
    <archive>/data/0, data/1, ...      one raw memory block ("storage") each
    <archive>/version                  "3\\n"
    <archive>/.data/serialization_id   40 digits that identify this file

In data.pkl a tensor is a call `torch._utils._rebuild_tensor_v2(storage, offset, size,
stride, requires_grad, OrderedDict())` whose storage is a *persistent id*
`('storage', torch.FloatStorage, '0', 'cpu', numel)`: a pointer to `data/0`. Tensors that
view the same memory point to the same storage, so sharing survives the trip.

minitorch never imports torch, yet its files must name torch's functions. Saving uses
Python's own pickler (`_Pickler`) with two changes: a tensor is written as that call, and
the functions and objects `load` maps torch's names to (the rebuild functions, dtypes,
Size, device) are written under those names. Everything else is pickled as pickle does,
so a whole Module, an optimizer or a user's object can be saved too (its classes named
where they live: `minitorch.nn.modules.conv Conv2d`). For a state_dict, data.pkl is byte
for byte what torch.save writes.

Loading reads data.pkl with one of two unpicklers:

- `_WeightsOnlyUnpickler`, for `weights_only=True` (the default, as torch's since 2.6): a
  name resolves only through `_ALLOWED_GLOBALS` (what a checkpoint of tensors needs) and
  the user's `add_safe_globals`; the file may call only those, and set attributes only on
  objects it made of those classes. Nothing else from the file runs.
- `_FullUnpickler`, for `weights_only=False` (an explicit opt-in): pickle's own rules, so
  the file may run any code, as with torch.load(weights_only=False). torch's names become
  minitorch's twins of the same name (torch.nn.modules.conv.Conv2d is minitorch.nn.Conv2d),
  so a model torch saved whole comes back as a minitorch model.
"""
import _compat_pickle
import collections
import contextlib
import functools
import importlib
import io
import os
import pickle
import pickletools
import struct
import sys
import warnings
import zipfile
import zlib

import numpy as np

from . import dtypes, errors
from ._files import atomic_open
from .nn.parameter import Parameter
from .tensor import Size, Tensor, device, storage_root

_ALIGNMENT = 64          # every record's bytes start at a multiple of this
_FILE_FORMAT_VERSION = b"3\n"
# the most dimensions a numpy array has (torch's tensors may have more)
_NUMPY_MAX_DIMS = 64 if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else 32
_LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"  # pickle of torch's old magic number


def _storage_class_name(np_dtype):
    """torch's typed storage class for a dtype: FloatStorage, LongStorage, ..."""
    return f"{dtypes.scalar_name(np_dtype)}Storage"


# ---- save: the pickle ------------------------------------------------------------------------

class _StorageTable:
    """Finds the memory block behind each tensor and gives each block one key.

    A tensor's numpy array is a view of a *root* array (follow `.base`); tensors with the
    same root share memory, as torch tensors share a storage. The root's bytes become the
    record data/<key>; a tensor is then (key, offset, strides) in elements of its dtype.
    An array numpy made in a way torch cannot describe (negative strides, a root that is
    itself strided) is saved as a contiguous copy of its own.
    """

    def __init__(self):
        self.blocks = {}    # id(root) -> (key, root kept alive, dtype, bytes of the block)
        self.records = []   # (key, bytes of the block), in key order

    def locate(self, array):
        """(key, storage dtype, numel of the storage, offset, strides) for one array."""
        root = storage_root(array)
        if not self._describable(array, root):
            root = array = np.ascontiguousarray(array)
        itemsize = array.itemsize
        if id(root) not in self.blocks:
            block = root.ravel(order="K").view(np.uint8)   # memory order, no copy
            key = str(len(self.blocks))
            self.blocks[id(root)] = (key, root, array.dtype, block)
            self.records.append((key, block))
        key, _, storage_dtype, block = self.blocks[id(root)]
        if storage_dtype != array.dtype:
            raise errors.save_storage_viewed_as_two_types()
        offset = (_address(array) - _address(root)) // itemsize
        strides = tuple(s // itemsize for s in array.strides)  # the array's own layout
        return key, storage_dtype, block.size // itemsize, offset, strides

    @staticmethod
    def _describable(array, root):
        """Whether `array` is (offset, non-negative strides) in whole elements of a dense root."""
        itemsize = array.itemsize
        return ((root.flags.c_contiguous or root.flags.f_contiguous)
                and root.nbytes % itemsize == 0
                and (_address(array) - _address(root)) % itemsize == 0
                and all(s >= 0 and s % itemsize == 0 for s in array.strides))


def _address(array):
    return array.__array_interface__["data"][0]


class _StorageRef:
    """A tensor's storage, pickled as torch's persistent id, not as an object."""
    __slots__ = ("persistent_id",)

    def __init__(self, key, np_dtype, numel):
        storage_type = _ALLOWED_GLOBALS[f"torch.{_storage_class_name(np_dtype)}"]
        self.persistent_id = (_STORAGE, storage_type, key, _CPU, numel)


_STORAGE, _CPU = "storage", "cpu"   # one object each, so the memo writes each once, as torch's


class _Pickler(pickle._Pickler):
    """Python's pickler, protocol 2, writing what torch's pickler writes for the same objects.

    It is pickle's pure-Python pickler (`pickle._Pickler`: the C one cannot be made to write
    a name that does not import, and torch's names must not). Two hooks change it:

    - `reducer_override`: a tensor is `_rebuild_tensor_v2(storage, offset, size, stride,
      requires_grad, OrderedDict())`, a Parameter `_rebuild_parameter(its data,
      requires_grad, OrderedDict())` (the arguments torch's `__reduce_ex__` gives; no hooks
      are saved), whose storage is a persistent id that points at a record of the archive;
    - `save_global`: the functions and objects `load` maps torch's names to (those rebuild
      functions, the dtypes, Size, device, the storage types) are written under the torch
      names they stand for (`torch._utils _rebuild_tensor_v2`, `torch float32`).

    Everything else is pickled as pickle does: a Module or an optimizer is its class (named
    where it lives) and its attributes; what pickle cannot pickle (a lambda) fails as in
    torch.save.
    """

    def __init__(self, file, storages):
        super().__init__(file, protocol=2)
        self.storages = storages

    def persistent_id(self, obj):
        return obj.persistent_id if type(obj) is _StorageRef else None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self.reduce_tensor(obj)
        if type(obj) is Size:
            return Size, (tuple(obj),)
        if type(obj) is device:
            return device, (obj.type,) if obj.index is None else (obj.type, obj.index)
        if id(obj) in _TORCH_NAMES:
            return _TORCH_NAMES[id(obj)][1]   # a name: pickle hands it to save_global
        return NotImplemented

    def save_global(self, obj, name=None):
        if id(obj) not in _TORCH_NAMES:
            return super().save_global(obj, name)
        module, name = _TORCH_NAMES[id(obj)]
        self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    def reduce_tensor(self, tensor):
        if isinstance(tensor, Parameter):
            return _rebuild_parameter, (Tensor._make(tensor._data), tensor.requires_grad,
                                        collections.OrderedDict())
        key, storage_dtype, numel, offset, strides = self.storages.locate(tensor._data)
        return _rebuild_tensor_v2, (_StorageRef(key, storage_dtype, numel), offset,
                                    tuple(tensor._data.shape), strides, tensor.requires_grad,
                                    collections.OrderedDict())


# ---- save: the zip archive -------------------------------------------------------------------

def _hash_combine(seed, value):
    """c10::hash_combine on 64-bit integers: how torch folds CRCs into serialization_id."""
    mask = (1 << 64) - 1
    return (seed ^ ((value + 0x9E3779B9 + (seed << 6) + (seed >> 2)) & mask)) & mask


class _ZipWriter:
    """Writes records the way torch's PyTorchStreamWriter (miniz) does: stored, no
    timestamps, UTF-8 names (flag 0x0800), CRC and sizes in a data descriptor after the
    bytes (flag 0x0008; an empty record has none), an "FB" extra field of 'Z's padding
    each record's bytes to a multiple of 64, then the central directory with zip64 end
    records."""

    def __init__(self, file, archive_name):
        self.file = file
        self.prefix = archive_name + "/"
        self.offset = 0
        self.entries = []        # (name, flags, crc, size, offset of the local header)
        self.combined_crc = 0

    def write(self, data):
        self.file.write(data)
        self.offset += len(data)

    def write_record(self, name, data):
        data = memoryview(data).cast("B")
        full_name = (self.prefix + name).encode("utf-8")
        if self.offset + len(data) + 30 + len(full_name) + 2 * _ALIGNMENT >= 0xFFFFFFFF:
            raise errors.save_file_reaches_4_gib(name)
        data_start = self.offset + 30 + len(full_name) + 4
        padding = -data_start % _ALIGNMENT
        extra = b"FB" + struct.pack("<H", padding) + b"Z" * padding
        crc = zlib.crc32(data)
        flags = 0x0808 if len(data) else 0x0800
        self.entries.append((full_name, flags, crc, len(data), self.offset))
        self.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, flags, 0, 0, 0, 0, 0, 0,
                               len(full_name), len(extra)) + full_name + extra)
        if len(data):
            self.write(data)
            self.write(struct.pack("<IIII", 0x08074B50, crc, len(data), len(data)))
            self.combined_crc = _hash_combine(self.combined_crc, crc)

    def finish(self):
        """The serialization id, then the central directory and the end records."""
        name_hash = 0
        for name, *_ in self.entries:   # torch hashes names with C++'s std::hash; we use CRC
            name_hash = _hash_combine(name_hash, zlib.crc32(name))
        self.write_record(".data/serialization_id", f"{name_hash:020d}{self.combined_crc:020d}"
                          .encode())
        directory_start = self.offset
        for name, flags, crc, size, offset in self.entries:
            self.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, flags, 0, 0, 0, crc,
                                   size, size, len(name), 0, 0, 0, 0, 0, offset) + name)
        count, directory_size = len(self.entries), self.offset - directory_start
        zip64_end = self.offset
        self.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 0x002D, 0, 0, count, count,
                               directory_size, directory_start))
        self.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1))
        self.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF),
                               min(count, 0xFFFF), directory_size, directory_start, 0))


def _pickle(obj, pickle_protocol):
    """data.pkl and the storages it points to. save pickles before it opens the file, so an
    unpicklable object writes nothing (not even where the file is written in place)."""
    if pickle_protocol != 2:
        raise errors.save_pickle_protocol(pickle_protocol)
    storages, data_pkl = _StorageTable(), io.BytesIO()
    _Pickler(data_pkl, storages).dump(obj)
    return data_pkl.getvalue(), storages


def _write_archive(pickled, file, archive_name, byteorder_first):
    """Write the records in torch's order. (torch's _disable_byteorder_record only moves
    the byteorder record: its C++ writer adds one at the end when Python left it out.)"""
    data_pkl, storages = pickled
    zip_file = _ZipWriter(file, archive_name)
    zip_file.write_record("data.pkl", data_pkl)
    zip_file.write_record(".format_version", b"1")
    zip_file.write_record(".storage_alignment", str(_ALIGNMENT).encode())
    if byteorder_first:
        zip_file.write_record("byteorder", sys.byteorder.encode())
    for key, block in storages.records:
        zip_file.write_record(f"data/{key}", block)
    zip_file.write_record("version", _FILE_FORMAT_VERSION)
    if not byteorder_first:
        zip_file.write_record("byteorder", sys.byteorder.encode())
    zip_file.finish()


def _archive_name(path):
    """torch names the folder inside the zip after the file, less its extension
    ("runs/model.pth" -> "model/"); a name torch's C++ writer cannot take gets "archive"."""
    if not path.isascii():
        return "archive"
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[:base.rfind(".")] if "." in base else base
    if not stem:
        raise errors.save_invalid_file_name(path)
    return stem


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save obj (a tensor, a state_dict, an optimizer's state_dict...) in torch's .pth
    format: `torch.load` reads it, and `minitorch.load` reads torch's files.

    obj may also be a whole Module, an optimizer, or any object pickle can pickle that holds
    tensors (`{"model": model, "optimizer": optimizer}`), as with torch.save: its tensors
    become storages in the archive and the rest is pickled, naming minitorch's classes.
    Loading such a file back takes `minitorch.load(f, weights_only=False)`, or the classes
    allowlisted with `minitorch.serialization.add_safe_globals`.

    `f` is a path or a binary file object. A path is written atomically: the bytes go to
    `<f>.partial` in the same folder, are flushed to disk, and the temporary is then
    renamed over `f` (over the file it points to, if `f` is a symlink; with `f`'s old
    permission bits). If anything fails, the temporary is removed and an existing `f` is
    left untouched. (So a file object already open on `f` keeps reading the old bytes,
    where torch, writing `f` in place, would have changed them under it.) In a folder
    that takes no new files, `f` is written in place, as torch does.

    The arguments are torch's. minitorch writes the pickle itself, so `pickle_module` must
    be Python's pickle, and it writes only the zip format (torch's default)."""
    if pickle_module is not pickle:
        raise errors.save_pickle_module(pickle_module)
    if not _use_new_zipfile_serialization:
        raise errors.save_legacy_format()
    byteorder_first = not _disable_byteorder_record
    if not isinstance(f, (str, os.PathLike)):
        if not hasattr(f, "write"):
            raise errors.save_not_a_file()
        return _write_archive(_pickle(obj, pickle_protocol), f, "archive", byteorder_first)
    path = os.fspath(f)
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        raise errors.save_parent_directory_missing(folder)
    if os.path.isdir(path):
        raise errors.save_path_is_a_directory(path)
    pickled = _pickle(obj, pickle_protocol)
    with atomic_open(path) as file:
        _write_archive(pickled, file, _archive_name(path), byteorder_first)


# ---- load: tensors from storages, and the names a checkpoint uses ----------------------------

class _StorageType:
    """What `torch.FloatStorage` and friends stand for in a checkpoint: a dtype."""
    __slots__ = ("np",)

    def __init__(self, np_dtype):
        self.np = np.dtype(np_dtype)


class _Storage:
    """One data/<key> record: a flat numpy array that the tensors rebuilt from it view."""
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def view(self, offset, size, stride):
        """The strided view torch's `set_(storage, offset, size, stride)` makes; its bounds
        are checked first, so a hostile file cannot make numpy read outside the record."""
        size, stride = tuple(size), tuple(stride)
        numel, itemsize = self.array.size, self.array.itemsize
        if len(size) > _NUMPY_MAX_DIMS:
            raise errors.load_too_many_dims(len(size), _NUMPY_MAX_DIMS, np.__version__)
        if (len(size) != len(stride) or offset < 0 or any(n < 0 for n in size)
                or any(s < 0 for s in stride)):
            raise errors.load_invalid_layout(size, stride, offset)
        needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
        if needed > numel:
            raise errors.load_storage_out_of_bounds(size, stride, offset, itemsize, needed, numel)
        return np.ndarray(size, self.array.dtype, buffer=self.array,
                          offset=min(offset, numel) * itemsize,
                          strides=tuple(s * itemsize for s in stride))


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    """torch._utils._rebuild_tensor_v2: a tensor viewing `storage` (hooks are not kept)."""
    if metadata:
        raise errors.load_tensor_metadata(metadata)
    tensor = Tensor._make(storage.view(storage_offset, size, stride))
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    """torch._utils._rebuild_tensor_v3: the same on an untyped (byte) storage, the dtype
    given last. torch writes it for the dtypes that have no typed storage (uint16, the
    float8s...), none of which minitorch has: their names fail first, as unsupported."""
    if not isinstance(dtype, dtypes.dtype) or storage.array.nbytes % dtype.itemsize:
        raise errors.load_storage_of_dtype(storage.array.nbytes, dtype)
    return _rebuild_tensor_v2(_Storage(storage.array.view(np.uint8).view(dtype.np)),
                              storage_offset, size, stride, requires_grad, backward_hooks,
                              metadata)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """torch._utils._rebuild_parameter: an nn.Parameter sharing data's memory."""
    return Parameter(data, requires_grad)


def _encode(text, encoding):
    """_codecs.encode as protocol-2 pickles use it, for bytes: latin-1 text to bytes (and
    nothing else: a file cannot reach the other codecs through it)."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise errors.load_codecs_encode(encoding)
    return text.encode("latin1")


def _bytearray(*args):
    """builtins.bytearray as pickles use it: from bytes (protocol 2 writes `bytearray()` or
    `bytearray(bytes)`). `bytearray(n)` is refused: pickle never writes it, and it would
    let a few bytes of file ask for n bytes of memory."""
    if args and isinstance(args[0], int):
        raise errors.load_bytearray_of_size(args[0])
    return bytearray(*args)


# The names a checkpoint of tensors uses, and what each means in minitorch: torch's
# weights_only list, less the tensors minitorch has no twin of (quantized, sparse, nested,
# subclassed). save writes these objects under these names.
_ALLOWED_GLOBALS = {
    "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
    "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
    "torch._utils._rebuild_parameter": _rebuild_parameter,
    "collections.OrderedDict": collections.OrderedDict,
    "collections.Counter": collections.Counter,
    "_codecs.encode": _encode,
    "builtins.bytearray": _bytearray,
    "builtins.set": set,
    "builtins.complex": complex,
    "torch.Size": Size,
    "torch.device": device,
    "torch.storage.UntypedStorage": _StorageType(np.uint8),
    **{f"torch.{_storage_class_name(d.np)}": _StorageType(d.np) for d in dtypes.ALL},
    **{f"torch.{d.name}": d for d in dtypes.ALL},
}
_ALLOWED_IDS = {id(value) for value in _ALLOWED_GLOBALS.values()}
# what save writes for minitorch's objects: id(object) -> (torch's module, name)
_TORCH_NAMES = {id(value): tuple(name.rsplit(".", 1))
                for name, value in _ALLOWED_GLOBALS.items() if name.startswith("torch.")}

# torch's dtypes that minitorch lacks, under the names a file gives them: the dtype itself
# (torch.bfloat16), a tensor's typed storage (torch.BFloat16Storage), the rebuild function
# of quantized tensors. Loading one is an "unsupported dtype", not a refused file.
_QUANTIZED = ("qint8", "quint8", "qint32", "quint4x2", "quint2x4")
_UNSUPPORTED_DTYPES = {
    **{f"torch.{name}": f"torch.{name}" for name in (
        "bfloat16", "complex32", "complex64", "complex128", "bcomplex32", "float8_e4m3fn",
        "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
        "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "bits1x8", "bits2x4", "bits4x2",
        "bits8", "bits16", *_QUANTIZED, *(f"{kind}{bits}" for kind in ("int", "uint")
                                          for bits in range(1, 8)))},
    "torch.BFloat16Storage": "torch.bfloat16",
    "torch.ComplexFloatStorage": "torch.complex64",
    "torch.ComplexDoubleStorage": "torch.complex128",
    "torch.QInt8Storage": "torch.qint8",
    "torch.QUInt8Storage": "torch.quint8",
    "torch.QInt32Storage": "torch.qint32",
    "torch.QUInt4x2Storage": "torch.quint4x2",
    "torch.QUInt2x4Storage": "torch.quint2x4",
    "torch._utils._rebuild_qtensor": "quantized (" + ", ".join(f"torch.{name}" for name in
                                                              _QUANTIZED) + ")",
}


# ---- load: the user's allowlist (torch.serialization's API) -------------------------------

_safe_globals = set()   # what add_safe_globals was given: objects, or (object, "module.name")


def add_safe_globals(safe_globals):
    """Allow these globals (classes, functions) in `load(weights_only=True)`: the file may
    name them, call them, make instances of the classes and set those instances' state, as
    with torch.serialization.add_safe_globals. An entry is an object, found in a file under
    `{obj.__module__}.{obj.__qualname__}`, or a tuple (object, "module.name") for another
    name: `(minitorch.nn.Conv2d, "torch.nn.modules.conv.Conv2d")` lets a file torch wrote
    name torch's Conv2d and get minitorch's."""
    global _safe_globals
    _safe_globals = _safe_globals.union(set(safe_globals))


def get_safe_globals():
    """The globals add_safe_globals (or a safe_globals block) allowed, as a list."""
    return list(_safe_globals)


def clear_safe_globals():
    """Forget every global add_safe_globals allowed."""
    global _safe_globals
    _safe_globals = set()


class safe_globals:
    """`with minitorch.serialization.safe_globals([MyClass]): minitorch.load(f)`: the
    globals are allowed inside the block only (they are removed on leaving it, even if they
    had been added before, as in torch)."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc_info):
        global _safe_globals
        _safe_globals = _safe_globals - set(self.safe_globals)


def _user_allowed_globals():
    """{"module.name": object} of the allowlist; a malformed entry fails here, when a load
    first needs the list, as in torch."""
    allowed = {}
    for entry in _safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise errors.safe_global_tuple_length(len(entry))
            if type(entry[1]) is not str:
                raise errors.safe_global_tuple_name(type(entry[1]))
            allowed[entry[1]] = entry[0]
        else:
            allowed[f"{entry.__module__}.{entry.__qualname__}"] = entry
    return allowed


# ---- load: torch's names and minitorch's twins ----------------------------------------------

_TORCH_PACKAGES = ("torch", "torchvision")
# Where minitorch keeps the twin of a torch name: the object of the same name in the
# namespace given for the name's module or a package above it (the nearest one wins; plain
# `torch` covers only its own names). torch.nn.modules.conv.Conv2d is minitorch.nn.Conv2d,
# torch.optim.sgd.SGD is minitorch.optim.SGD, torch.flatten is minitorch.flatten.
_TWIN_NAMESPACES = {
    "torch": "minitorch",
    "torch.nn.modules": "minitorch.nn",
    "torch.nn.parameter": "minitorch.nn",
    "torch.nn.functional": "minitorch.nn.functional",
    "torch.optim": "minitorch.optim",
    "torch.optim.lr_scheduler": "minitorch.optim.lr_scheduler",
    "torch.utils.data": "minitorch.utils.data",
    "torchvision.models": "minitorch.vision.models",
    "torchvision.transforms": "minitorch.vision.transforms",
}


def _is_torch_name(module):
    return module.split(".")[0] in _TORCH_PACKAGES


def _twin_namespace(module):
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        package = ".".join(parts[:n])
        if package in _TWIN_NAMESPACES and (package != "torch" or n == len(parts)):
            return _TWIN_NAMESPACES[package]
    return None


def _twin(module, name):
    """(its name, the object): minitorch's twin of torch's `module.name`. Its namespace is
    imported by name, as pickle imports the modules a file names. No twin: a clear error."""
    namespace = _twin_namespace(module)
    if namespace is not None:
        twin = getattr(importlib.import_module(namespace), name, None)
        if twin is not None:
            return f"{namespace}.{name}", twin
    raise errors.load_class_without_twin(f"{module}.{name}", namespace and f"{namespace}.{name}")


def _torch_base(cls):
    """The first torch class among cls's bases ("torch.nn.modules.module.Module"), or None."""
    for base in getattr(cls, "__mro__", ()) if isinstance(cls, type) else ():
        if _is_torch_name(base.__module__):
            return f"{base.__module__}.{base.__qualname__}"
    return None


# ---- load: reading the file ------------------------------------------------------------------

def _location_mapper(map_location):
    """map_location (None, 'cpu', a device, a dict of locations, or a callable) as a
    function (storage, saved location) -> storage on the CPU; anything else is refused."""
    def on_cpu(storage, location):
        location = str(location)
        if location.startswith("cuda"):
            raise errors.load_on_cuda()
        if location != "cpu":
            raise errors.load_on_device(location)
        return storage

    if map_location is None:
        return on_cpu
    if isinstance(map_location, (str, device)) or type(map_location).__name__ == "device":
        on_cpu(None, map_location)   # asking for a device minitorch lacks fails before reading
        return lambda storage, location: storage
    if isinstance(map_location, dict):
        return lambda storage, location: on_cpu(storage, map_location.get(location, location))
    if callable(map_location):
        def mapped(storage, location):
            result = map_location(storage, location)
            return on_cpu(storage, location) if result is None else result
        return mapped
    raise errors.load_map_location_type(map_location)


class _Unpickler(pickle._Unpickler):
    """What both unpicklers share. They are pickle's pure-Python unpickler
    (`pickle._Unpickler`), whose opcodes are methods in a table one can replace, unlike the
    C one's; and whose memo is a dict, where an entry costs what it holds (the C unpickler
    keeps its memo in an array as long as the largest index the file names: 9 bytes asking
    for index 2**28 would cost gigabytes), as in torch's own unpickler.

    - A storage (persistent id `('storage', storage type, key, location, numel)`) is the
      record data/<key>, read once and shared by every tensor that views it.
    - A name (GLOBAL) is read as Python 3's (protocol 2 names Python 2's modules:
      __builtin__.set); a checkpoint name (`_ALLOWED_GLOBALS`) means the same to both; a
      dtype minitorch lacks is an unsupported dtype; each unpickler resolves the rest.
    """
    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, archive, restore_location, **pickle_load_args):
        super().__init__(file, **pickle_load_args)
        self.archive = archive
        self.restore_location = restore_location

    def find_class(self, module, name):
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        full_name = f"{module}.{name}"
        if full_name in _ALLOWED_GLOBALS:
            return _ALLOWED_GLOBALS[full_name]
        if full_name in _UNSUPPORTED_DTYPES:
            raise errors.load_unsupported_dtype(_UNSUPPORTED_DTYPES[full_name])
        return self.resolve(module, name)

    def persistent_load(self, persistent_id):
        if not (isinstance(persistent_id, tuple) and len(persistent_id) == 5
                and persistent_id[0] == "storage" and isinstance(persistent_id[1], _StorageType)):
            raise errors.load_persistent_id(persistent_id)
        _, storage_type, key, location, numel = persistent_id
        array = self.archive.storage(str(key), storage_type.np, numel)
        return self.restore_location(_Storage(array), location)


class _WeightsOnlyUnpickler(_Unpickler):
    """weights_only=True: the file can build tensors and containers, and the user's
    allowlisted classes, and can never call anything else.

    - A name resolves only through `_ALLOWED_GLOBALS` and the user's allowlist
      (`add_safe_globals`); a name in os, sys, posix or nt never does (as in torch).
    - Only those names may be called (REDUCE) or instantiated (NEWOBJ, OBJ).
    - BUILD (set an object's attributes) works only on objects the file made: its
      OrderedDicts and Counters, and instances of the user's classes. The names themselves
      are shared objects (minitorch's dtypes, Size, the rebuild functions): setting
      `minitorch.float32.np` from a file would change every later tensor of the process.
    - Items go only into lists (APPEND), dicts, OrderedDicts and Counters (SETITEM), sets.
    torch's weights_only unpickler holds files to the same rules.
    """
    dispatch = dict(_Unpickler.dispatch)

    @functools.cached_property
    def user_globals(self):
        return _user_allowed_globals()

    @functools.cached_property
    def user_ids(self):
        return {id(value) for value in self.user_globals.values()}

    def is_named(self, obj):
        """Whether obj is what a name the file may use stands for."""
        return id(obj) in _ALLOWED_IDS or id(obj) in self.user_ids

    def resolve(self, module, name):
        full_name = f"{module}.{name}"
        if module in ("sys", "os", "posix", "nt"):
            raise errors.weights_only_blocked_module(full_name, module)
        if full_name in self.user_globals:
            return self.user_globals[full_name]
        if _is_torch_name(module):   # suggest its twin, under torch's name (or: it has none)
            twin_name, _ = _twin(module, name)
            raise errors.weights_only_unsupported_global(full_name, f"({twin_name}, "
                                                                    f"'{full_name}')")
        shown = name if module == "builtins" else full_name   # as torch shows it: print
        raise errors.weights_only_unsupported_global(shown, shown)

    def below_mark(self):
        """What an opcode that follows a MARK (APPENDS, SETITEMS, ADDITEMS) works on."""
        under = self.metastack[-1] if self.metastack else ()
        return under[-1] if under else None

    def load_reduce(self):
        if not self.is_named(self.stack[-2]):
            raise errors.weights_only_reduce(self.stack[-2])
        super().load_reduce()

    dispatch[pickle.REDUCE[0]] = load_reduce

    def load_newobj(self):
        if not self.is_named(self.stack[-2]):
            raise errors.weights_only_new_object(self.stack[-2])
        super().load_newobj()

    dispatch[pickle.NEWOBJ[0]] = load_newobj

    def load_newobj_ex(self):
        if not self.is_named(self.stack[-3]):
            raise errors.weights_only_new_object(self.stack[-3])
        super().load_newobj_ex()

    dispatch[pickle.NEWOBJ_EX[0]] = load_newobj_ex

    def load_obj(self):
        if self.stack and not self.is_named(self.stack[0]):
            raise errors.weights_only_new_object(self.stack[0])
        super().load_obj()

    dispatch[pickle.OBJ[0]] = load_obj

    def load_build(self):
        target = self.stack[-2]
        if type(target) in (collections.OrderedDict, collections.Counter):
            state = self.stack.pop()
            target.__dict__.update(state)   # (as torch: no __setstate__, no slot state)
        elif id(type(target)) in self.user_ids and not self.is_named(target):
            super().load_build()
        else:
            names = {**_ALLOWED_GLOBALS, **self.user_globals}
            what = next((name for name, value in names.items() if value is target),
                        f"a {type(target).__name__}")
            raise errors.weights_only_build(type(target), what)

    dispatch[pickle.BUILD[0]] = load_build

    def check_list(self, target):
        if type(target) is not list and not (isinstance(target, list)
                                             and id(type(target)) in self.user_ids):
            raise errors.weights_only_append(type(target))

    def check_dict(self, target, opcode):
        if type(target) not in (dict, collections.OrderedDict, collections.Counter):
            raise errors.weights_only_set_item(opcode, type(target))

    def load_append(self):
        self.check_list(self.stack[-2])
        super().load_append()

    dispatch[pickle.APPEND[0]] = load_append

    def load_appends(self):
        self.check_list(self.below_mark())
        super().load_appends()

    dispatch[pickle.APPENDS[0]] = load_appends

    def load_setitem(self):
        self.check_dict(self.stack[-3], "SETITEM")
        super().load_setitem()

    dispatch[pickle.SETITEM[0]] = load_setitem

    def load_setitems(self):
        self.check_dict(self.below_mark(), "SETITEMS")
        super().load_setitems()

    dispatch[pickle.SETITEMS[0]] = load_setitems

    def load_additems(self):
        if type(self.below_mark()) is not set:
            raise errors.weights_only_add_items(type(self.below_mark()))
        super().load_additems()

    dispatch[pickle.ADDITEMS[0]] = load_additems


class _FullUnpickler(_Unpickler):
    """weights_only=False: pickle's rules. A name resolves as pickle resolves it, importing
    its module, so the file may run any code (only ever on this explicit opt-in); a user's
    class comes from the user's module. torch's names are the exception: each becomes
    minitorch's twin of the same name (torch.nn.modules.conv.Conv2d is minitorch.nn.Conv2d),
    and a torch name without a twin, or a class built on torch's, is a clear error."""

    def resolve(self, module, name):
        if _is_torch_name(module):
            return _twin(module, name)[1]
        found = pickle._Unpickler.find_class(self, module, name)
        torch_base = _torch_base(found)
        if torch_base is not None:
            raise errors.load_torch_class(f"{module}.{name}", torch_base)
        return found


class _Archive:
    """The records of a torch zip archive, read with Python's zipfile (which checks each
    record's CRC); every failure becomes a RuntimeError that names the file."""

    def __init__(self, file, name):
        self.name = name
        head = file.read(len(_LEGACY_MAGIC))
        file.seek(-len(head), os.SEEK_CUR)
        if head.startswith(_LEGACY_MAGIC):
            raise errors.load_legacy_format(name)
        if not head.startswith(b"PK\x03\x04"):
            raise errors.load_not_a_zip(name, empty=not head)
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise errors.load_corrupt_zip(name, e) from None
        names = self.zip.namelist()
        if not names or "/" not in names[0]:
            raise errors.load_records_not_in_a_folder(name)
        if len(set(names)) != len(names):   # zipfile would read one copy, torch may read another
            twice = sorted(record for record, n in collections.Counter(names).items() if n > 1)
            raise errors.load_records_stored_twice(name, twice)
        self.prefix = names[0].split("/")[0] + "/"
        self.blocks = {}   # key -> the record's bytes, read once, shared by all its tensors
        byteorder = self.read("byteorder").decode() if self.has("byteorder") else sys.byteorder
        if byteorder not in ("little", "big"):
            raise errors.load_unknown_endianness(byteorder)
        self.swap = byteorder != sys.byteorder

    def has(self, record):
        return self.prefix + record in self.zip.NameToInfo

    def info(self, record):
        """The zip's entry for a record. Only stored records (all torch writes) and deflated
        ones (which torch's reader, miniz, also inflates, at most ~1000 bytes per byte of
        file) are read: bzip2 or lzma could inflate a kilobyte of file to gigabytes."""
        if not self.has(record):
            raise errors.load_record_missing(self.name, record)
        info = self.zip.getinfo(self.prefix + record)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise errors.load_record_compression(self.name, record, info.compress_type)
        return info

    def read(self, record):
        info = self.info(record)
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
            raise errors.load_record_unreadable(self.name, record, e) from None

    def storage(self, key, np_dtype, numel):
        """data/<key> as a writable flat array of numel elements of np_dtype. Its size is
        checked against the pickle's before it is read (so the zip cannot make us inflate
        more than the tensors need), and again after."""
        record = f"data/{key}"
        if key not in self.blocks:
            self.check_size(record, self.info(record).file_size, numel, np_dtype)
            block = np.frombuffer(bytearray(self.read(record)), np.uint8)
            if self.swap:
                block.view(np_dtype).byteswap(inplace=True)
            self.blocks[key] = block
        self.check_size(record, self.blocks[key].size, numel, np_dtype)
        return self.blocks[key].view(np_dtype)

    def check_size(self, record, size, numel, np_dtype):
        if size != numel * np_dtype.itemsize:
            raise errors.load_record_size(self.name, record, size, numel, np_dtype.itemsize)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what `save` or `torch.save` wrote (the zip format of torch >= 1.6).

    With `weights_only=True` (the default, as in torch since 2.6) the file's pickle is read
    by `_WeightsOnlyUnpickler`: it knows only the names a checkpoint of tensors needs
    (tensors, nn.Parameters, dtypes, Size, device, containers, bytes, complex numbers), and
    the classes and functions allowlisted with `add_safe_globals`; any other name raises
    `pickle.UnpicklingError` and nothing from the file runs.

    `weights_only=False` (or, as in torch, a `pickle_module` without `weights_only`) reads it
    with `_FullUnpickler`, pickle's own rules: whole objects come back (a Module, an
    optimizer, a user's class from the user's module), and the file may run any code, so
    do it only with files you trust. A model torch saved whole comes back as a minitorch
    model when each of its classes has a minitorch twin of the same name.

    Tensors that shared memory when saved share it again. `map_location` may only lead to
    the CPU. `mmap=True` (a path only, as in torch) reads the records into memory: the
    tensors are private copies, as torch's copy-on-write mappings are."""
    if weights_only is None:
        weights_only = pickle_module is None
    if weights_only and pickle_module is not None:
        raise errors.load_pickle_module_with_weights_only()
    if pickle_module not in (None, pickle):
        raise errors.load_pickle_module(pickle_module)
    if pickle_load_args and weights_only:
        warnings.warn(errors.load_pickle_args_ignored(), stacklevel=2)
    unpickler = _WeightsOnlyUnpickler if weights_only else _FullUnpickler
    restore_location = _location_mapper(map_location)
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise errors.load_mmap_not_a_path()
    pickle_load_args.setdefault("encoding", "utf-8")
    with _reading(f) as (file, name):
        archive = _Archive(file, name)
        data_pkl = io.BytesIO(archive.read("data.pkl"))
        return unpickler(data_pkl, archive, restore_location, **pickle_load_args).load()


@contextlib.contextmanager
def _reading(f):
    """(binary file, its name for messages) for a path (opened and closed here) or a file
    object, which must be seekable, as in torch."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            yield file, os.fspath(f)
        return
    if not hasattr(f, "seek"):
        raise errors.load_not_seekable(type(f).__name__)
    yield f, getattr(f, "name", None) or f"<{type(f).__name__} object>"


def get_unsafe_globals_in_checkpoint(f):
    """The names ("module.name") in a checkpoint's pickle that `load(weights_only=True)`
    would refuse: neither a checkpoint name nor allowlisted with add_safe_globals. The
    pickle is read, not run (as torch's: names a pickle computes while it runs are not
    seen). Pass the ones you trust to add_safe_globals."""
    with _reading(f) as (file, name):
        if file.read(4) != b"PK\x03\x04":
            raise errors.unsafe_globals_not_a_checkpoint()
        file.seek(-4, os.SEEK_CUR)
        data_pkl = _Archive(file, name).read("data.pkl")
    found = set()
    for opcode, argument, _ in pickletools.genops(data_pkl):
        if opcode.name == "GLOBAL":
            module, name = argument.split(" ", 1)
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            found.add(f"{_compat_pickle.IMPORT_MAPPING.get(module, module)}.{name}")
    return sorted(found - set(_ALLOWED_GLOBALS) - set(_user_allowed_globals()))
