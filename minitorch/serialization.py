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

minitorch never imports torch, so it cannot let Python's pickler name torch's functions.
`_PickleWriter` writes the opcodes itself, the same ones torch's pickler writes for the
same objects, and `_SafeUnpickler` reads them back mapping torch's names to minitorch's.
Loading never runs code from the file: only the few names a checkpoint needs resolve.
"""
import _compat_pickle
import collections
import io
import os
import pickle
import struct
import sys
import zipfile
import zlib

import numpy as np

from . import dtypes
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
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data "
                               "as different types")
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



class _Global:
    """A name in torch (`torch._utils._rebuild_tensor_v2`) that the pickle refers to."""
    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module, self.name = module, name


class _StorageRef:
    """A tensor's storage, pickled as torch's persistent id, not as an object."""
    __slots__ = ("persistent_id",)

    def __init__(self, key, np_dtype, numel):
        storage_class = _Global("torch", _storage_class_name(np_dtype))
        self.persistent_id = (_STORAGE, storage_class, key, _CPU, numel)


_STORAGE, _CPU = "storage", "cpu"   # one object each, so the memo writes each once, as torch's
_LATIN1 = "latin1"   # the encoding argument of every bytes object's call, memoized once


class _PickleWriter:
    """Pickles a checkpoint (containers, numbers, strings, tensors) with protocol 2.

    It writes the opcodes Python's pickler writes, memo included, so for the same objects
    data.pkl is byte for byte what `torch.save` writes. torch's names are written as
    GLOBAL opcodes by hand. Other objects are refused: `load` could not read them back.
    """

    def __init__(self, storages):
        self.storages = storages
        self.out = bytearray()
        self.memo = {}      # id(obj) -> (memo index, obj kept alive so that its id stays its own)
        self.globals = {}   # (module, name) -> memo index of its GLOBAL
        self.size = 0       # entries in the memo

    def dump(self, obj):
        self.out += pickle.PROTO + b"\x02"
        self.save(obj)
        self.out += pickle.STOP
        return bytes(self.out)

    def put(self, obj):
        """Memoize obj (a container, string, call result) so a second sight is a GET."""
        self.memo[id(obj)] = (self.size, obj)
        self.write_put()

    def write_put(self):
        index, self.size = self.size, self.size + 1
        self.out += (pickle.BINPUT + bytes([index]) if index < 256
                     else pickle.LONG_BINPUT + struct.pack("<I", index))

    def get(self, index):
        self.out += (pickle.BINGET + bytes([index]) if index < 256
                     else pickle.LONG_BINGET + struct.pack("<I", index))

    def save(self, obj):
        if obj is None:
            self.out += pickle.NONE
        elif isinstance(obj, bool):
            self.out += pickle.NEWTRUE if obj else pickle.NEWFALSE
        elif isinstance(obj, int):
            self.save_int(int(obj))
        elif isinstance(obj, float):
            self.out += pickle.BINFLOAT + struct.pack(">d", obj)
        elif type(obj) is _Global:
            self.save_global(obj)
        elif type(obj) is _StorageRef:
            self.save(obj.persistent_id)
            self.out += pickle.BINPERSID
        elif id(obj) in self.memo:
            self.get(self.memo[id(obj)][0])
        elif type(obj) is str:
            encoded = obj.encode("utf-8", "surrogatepass")
            self.out += pickle.BINUNICODE + struct.pack("<I", len(encoded)) + encoded
            self.put(obj)
        elif isinstance(obj, Tensor):
            self.save_tensor(obj)
        elif type(obj) is tuple:
            self.save_tuple(obj)
        elif type(obj) is list:
            self.out += pickle.EMPTY_LIST
            self.put(obj)
            self.save_batches(obj, pickle.APPEND, pickle.APPENDS)
        elif type(obj) is dict:
            self.out += pickle.EMPTY_DICT
            self.put(obj)
            self.save_batches(obj.items(), pickle.SETITEM, pickle.SETITEMS)
        elif type(obj) is bytes:   # protocol 2 has no bytes opcode: Python writes a call
            if obj:
                self.save_call(_Global("_codecs", "encode"), (obj.decode(_LATIN1), _LATIN1), obj)
            else:
                self.save_call(_Global("__builtin__", "bytes"), (), obj)
        elif type(obj) is bytearray:
            self.save_call(_Global("__builtin__", "bytearray"), (bytes(obj),) if obj else (), obj)
        elif type(obj) is set:
            self.save_call(_Global("__builtin__", "set"), (list(obj),), obj)
        elif type(obj) is complex:
            self.save_call(_Global("__builtin__", "complex"), (obj.real, obj.imag), obj)
        elif type(obj) is collections.Counter:
            self.save_call(_Global("collections", "Counter"), (dict(obj),), obj)
        elif type(obj) is collections.OrderedDict:
            self.save_call(_Global("collections", "OrderedDict"), (), obj)
            self.save_batches(obj.items(), pickle.SETITEM, pickle.SETITEMS)
            if vars(obj):   # e.g. the `_metadata` of a Module's state_dict
                self.save(vars(obj))
                self.out += pickle.BUILD
        elif isinstance(obj, dtypes.dtype):
            self.save_global(_Global("torch", obj.name))
        elif type(obj) is Size:
            self.save_call(_Global("torch", "Size"), (tuple(obj),), obj)
        elif type(obj) is device:
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            self.save_call(_Global("torch", "device"), args, obj)
        else:
            raise pickle.PicklingError(
                f"save: cannot save an object of type {type(obj).__module__}."
                f"{type(obj).__qualname__}: minitorch.save writes tensors, nn.Parameters, "
                "dtypes, Size, device, dict, OrderedDict, Counter, list, tuple, set, int, "
                "float, complex, bool, str, bytes, bytearray and None")

    def save_global(self, name):
        key = (name.module, name.name)
        if key in self.globals:
            return self.get(self.globals[key])
        self.out += pickle.GLOBAL + f"{name.module}\n{name.name}\n".encode()
        self.globals[key] = self.size
        self.write_put()

    def save_call(self, function, args, result):
        """`function(*args)`: GLOBAL, the argument tuple, REDUCE; the result is memoized."""
        self.save(function)
        self.save(args)
        self.out += pickle.REDUCE
        self.put(result)

    def save_int(self, n):
        if 0 <= n < 256:
            self.out += pickle.BININT1 + bytes([n])
        elif 0 <= n < 65536:
            self.out += pickle.BININT2 + struct.pack("<H", n)
        elif -2**31 <= n < 2**31:
            self.out += pickle.BININT + struct.pack("<i", n)
        else:   # little-endian two's complement, as short as it goes
            encoded = n.to_bytes(n.bit_length() // 8 + 1, "little", signed=True)
            if n < 0 and len(encoded) > 1 and encoded[-1] == 0xFF and encoded[-2] & 0x80:
                encoded = encoded[:-1]
            if len(encoded) < 256:
                self.out += pickle.LONG1 + bytes([len(encoded)]) + encoded
            else:
                self.out += pickle.LONG4 + struct.pack("<i", len(encoded)) + encoded

    def save_tuple(self, items):
        if not items:
            self.out += pickle.EMPTY_TUPLE
            return
        short = len(items) <= 3
        if not short:
            self.out += pickle.MARK
        for item in items:
            self.save(item)
        if id(items) in self.memo:   # reached through its own items: use the copy made there
            self.out += pickle.POP * len(items) if short else pickle.POP_MARK
            return self.get(self.memo[id(items)][0])
        self.out += (pickle.TUPLE1, pickle.TUPLE2, pickle.TUPLE3)[len(items) - 1] if short \
            else pickle.TUPLE
        self.put(items)

    def save_batches(self, items, one, many):
        """List items (APPEND) or dict items (SETITEM), in batches of 1000 as pickle does."""
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) == 1000:
                self.save_batch(batch, one, many)
                batch = []
        self.save_batch(batch, one, many)

    def save_batch(self, batch, one, many):
        if len(batch) > 1:
            self.out += pickle.MARK
        for item in batch:
            for part in (item if one == pickle.SETITEM else (item,)):
                self.save(part)
        if batch:
            self.out += many if len(batch) > 1 else one

    def save_tensor(self, tensor):
        """A Parameter is `_rebuild_parameter(its data, requires_grad, OrderedDict())`, a
        tensor `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
        OrderedDict())`: the arguments torch's `__reduce_ex__` gives (no hooks are saved)."""
        if isinstance(tensor, Parameter):
            args = (Tensor._make(tensor._data), tensor.requires_grad, collections.OrderedDict())
            return self.save_call(_Global("torch._utils", "_rebuild_parameter"), args, tensor)
        key, storage_dtype, numel, offset, strides = self.storages.locate(tensor._data)
        args = (_StorageRef(key, storage_dtype, numel), offset, tuple(tensor._data.shape),
                strides, tensor.requires_grad, collections.OrderedDict())
        self.save_call(_Global("torch._utils", "_rebuild_tensor_v2"), args, tensor)


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
            raise RuntimeError(f"save: the file would reach 4 GiB at record {name}; minitorch "
                               "does not write the zip64 records such files need")
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
        raise ValueError(f"save: minitorch writes pickle protocol 2 (torch's default), got "
                         f"pickle_protocol={pickle_protocol}")
    storages = _StorageTable()
    return _PickleWriter(storages).dump(obj), storages


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
        raise RuntimeError(f"invalid file name: {path}")
    return stem


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save obj (a tensor, a state_dict, an optimizer's state_dict...) in torch's .pth
    format: `torch.load` reads it, and `minitorch.load` reads torch's files.

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
        raise ValueError(f"save: minitorch writes the pickle itself and cannot use "
                         f"pickle_module={pickle_module!r}; leave it at Python's pickle")
    if not _use_new_zipfile_serialization:
        raise ValueError("save: minitorch writes only the zip format of torch >= 1.6, not the "
                         "legacy format that _use_new_zipfile_serialization=False asks for")
    byteorder_first = not _disable_byteorder_record
    if not isinstance(f, (str, os.PathLike)):
        if not hasattr(f, "write"):
            raise AttributeError("expected 'f' to be string, path, or a file-like object with "
                                 "a 'write' attribute")
        return _write_archive(_pickle(obj, pickle_protocol), f, "archive", byteorder_first)
    path = os.fspath(f)
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    if os.path.isdir(path):
        raise RuntimeError(f"save: cannot write {path}: open file failed with strerror: "
                           "Is a directory")
    pickled = _pickle(obj, pickle_protocol)
    with atomic_open(path) as file:
        _write_archive(pickled, file, _archive_name(path), byteorder_first)


# ---- load ------------------------------------------------------------------------------------

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
        if len(size) > _NUMPY_MAX_DIMS:   # torch loads it; a numpy array cannot hold it
            raise RuntimeError(f"load: a tensor of {len(size)} dimensions cannot be loaded: "
                               f"minitorch keeps tensors in numpy arrays, which have at most "
                               f"{_NUMPY_MAX_DIMS} dimensions (numpy {np.__version__})")
        if (len(size) != len(stride) or offset < 0 or any(n < 0 for n in size)
                or any(s < 0 for s in stride)):
            raise RuntimeError(f"load: invalid tensor layout: sizes {list(size)}, strides "
                               f"{list(stride)}, storage offset {offset}")
        needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
        if needed > numel:
            raise RuntimeError(
                f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
                f"{offset}, and itemsize {itemsize} requiring a storage size of "
                f"{needed * itemsize} are out of bounds for storage of size {numel * itemsize}")
        return np.ndarray(size, self.array.dtype, buffer=self.array,
                          offset=min(offset, numel) * itemsize,
                          strides=tuple(s * itemsize for s in stride))


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    """torch._utils._rebuild_tensor_v2: a tensor viewing `storage` (hooks are not kept)."""
    if metadata:
        raise pickle.UnpicklingError(f"load: tensor metadata {metadata!r} is not supported")
    tensor = Tensor._make(storage.view(storage_offset, size, stride))
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """torch._utils._rebuild_parameter: an nn.Parameter sharing data's memory."""
    return Parameter(data, requires_grad)


def _encode(text, encoding):
    """_codecs.encode as protocol-2 pickles use it, for bytes: latin-1 text to bytes (and
    nothing else: a file cannot reach the other codecs through it)."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(f"load: _codecs.encode is allowed for bytes only "
                                     f"(latin-1 text), got encoding {encoding!r}")
    return text.encode("latin1")


def _bytearray(*args):
    """builtins.bytearray as pickles use it: from bytes (protocol 2 writes `bytearray()` or
    `bytearray(bytes)`). `bytearray(n)` is refused: pickle never writes it, and it would
    let a few bytes of file ask for n bytes of memory."""
    if args and isinstance(args[0], int):
        raise pickle.UnpicklingError(f"load: bytearray({args[0]!r}) is not something a pickler "
                                     "writes: a bytearray is rebuilt from its bytes")
    return bytearray(*args)


# The only names a checkpoint may use, and what each means in minitorch (torch's
# weights_only list, less quantized and subclassed tensors).
_ALLOWED_GLOBALS = {
    "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
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


def _location_mapper(map_location):
    """map_location (None, 'cpu', a device, a dict of locations, or a callable) as a
    function (storage, saved location) -> storage on the CPU; anything else is refused."""
    def on_cpu(storage, location):
        location = str(location)
        if location.startswith("cuda"):
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "minitorch.cuda.is_available() is False. If you are running on a CPU-only "
                "machine, please use minitorch.load with map_location=minitorch.device('cpu') "
                "to map your storages to the CPU.")
        if location != "cpu":
            raise RuntimeError(f"load: minitorch computes on the CPU only and cannot place "
                               f"storages on device '{location}'")
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
    raise TypeError(f"load: map_location must be None, a str, a device, a dict or a callable, "
                    f"got {type(map_location).__name__}")


class _SafeUnpickler(pickle._Unpickler):
    """Reads data.pkl with pickle's pure-Python unpickler (`pickle._Unpickler`, whose
    opcodes are methods one can replace, unlike the C one's), held to what a checkpoint
    needs:

    - a name (GLOBAL) resolves only through `_ALLOWED_GLOBALS`, so the file can build
      tensors and containers but can never call anything else;
    - BUILD (set an object's attributes) works only on the OrderedDicts and Counters the
      file made itself. The names it resolves are minitorch's own shared objects (the
      dtypes, Size, the rebuild functions): setting `minitorch.float32.np` from a file
      would change every later tensor of the process. torch refuses the same way;
    - its memo is a dict. The C unpickler keeps the memo in an array as long as the
      largest index the file names, so 9 bytes asking for index 2**28 cost gigabytes;
      here an entry costs what it holds, as in torch's own (pure-Python) unpickler.
    """

    def __init__(self, file, archive, restore_location, **pickle_load_args):
        super().__init__(file, **pickle_load_args)
        self.archive = archive
        self.restore_location = restore_location

    dispatch = dict(pickle._Unpickler.dispatch)

    def load_build(self):
        state = self.stack.pop()
        target = self.stack[-1]
        if type(target) not in (collections.OrderedDict, collections.Counter):
            names = [name for name, value in _ALLOWED_GLOBALS.items() if value is target]
            what = names[0] if names else f"a {type(target).__name__}"
            raise pickle.UnpicklingError(
                f"Weights only load failed. Can only build OrderedDict or Counter, but got "
                f"{type(target)}: a checkpoint may not set attributes of {what}")
        target.__dict__.update(state)   # (as torch: no __setstate__, no slot state)

    dispatch[pickle.BUILD[0]] = load_build

    def find_class(self, module, name):
        # protocol 2 names Python 2's modules (__builtin__.set): Python 3's, as pickle does
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        try:
            return _ALLOWED_GLOBALS[f"{module}.{name}"]
        except KeyError:
            raise pickle.UnpicklingError(
                f"Weights only load failed. Unsupported global: GLOBAL {module}.{name} is not "
                "allowed. minitorch.load never runs code from a file: it rebuilds tensors, "
                "nn.Parameters, dtypes, Size, device and containers (dict, OrderedDict, list, "
                "tuple, numbers, str) only.") from None

    def persistent_load(self, persistent_id):
        if not (isinstance(persistent_id, tuple) and len(persistent_id) == 5
                and persistent_id[0] == "storage" and isinstance(persistent_id[1], _StorageType)):
            raise pickle.UnpicklingError(f"load: unsupported persistent id {persistent_id!r}")
        _, storage_type, key, location, numel = persistent_id
        array = self.archive.storage(str(key), storage_type.np, numel)
        return self.restore_location(_Storage(array), location)


class _Archive:
    """The records of a torch zip archive, read with Python's zipfile (which checks each
    record's CRC); every failure becomes a RuntimeError that names the file."""

    def __init__(self, file, name):
        self.name = name
        head = file.read(len(_LEGACY_MAGIC))
        file.seek(-len(head), os.SEEK_CUR)
        if head.startswith(_LEGACY_MAGIC):
            raise RuntimeError(f"{name} was written in torch's legacy format (before torch 1.6, "
                               "or with _use_new_zipfile_serialization=False), which minitorch "
                               "does not read: load it in torch and save it again")
        if not head.startswith(b"PK\x03\x04"):
            why = "the file is empty" if not head else "the file is not a zip archive"
            raise self.error(f"reading zip archive: failed finding central directory ({why})")
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise self.error(f"reading zip archive: failed finding central directory ({e}; "
                             "the file is truncated or corrupt)") from None
        names = self.zip.namelist()
        if not names or "/" not in names[0]:
            raise self.error("reading zip archive: its files are not in a subdirectory")
        if len(set(names)) != len(names):   # zipfile would read one copy, torch may read another
            twice = sorted(name for name, n in collections.Counter(names).items() if n > 1)
            raise self.error(f"reading zip archive: records stored more than once: {twice}")
        self.prefix = names[0].split("/")[0] + "/"
        self.blocks = {}   # key -> the record's bytes, read once, shared by all its tensors
        byteorder = self.read("byteorder").decode() if self.has("byteorder") else sys.byteorder
        if byteorder not in ("little", "big"):
            raise ValueError(f"Unknown endianness type: {byteorder}")
        self.swap = byteorder != sys.byteorder

    def error(self, what):
        return RuntimeError(f"PytorchStreamReader failed {what}: file {self.name}")

    def has(self, record):
        return self.prefix + record in self.zip.NameToInfo

    def info(self, record):
        """The zip's entry for a record. Only stored records (all torch writes) and deflated
        ones (which torch's reader, miniz, also inflates, at most ~1000 bytes per byte of
        file) are read: bzip2 or lzma could inflate a kilobyte of file to gigabytes."""
        if not self.has(record):
            raise self.error(f"locating file {record}: file not found")
        info = self.zip.getinfo(self.prefix + record)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self.error(f"retrieving file meta-data for {record}: unsupported method "
                             f"(compression {info.compress_type}; torch stores records "
                             "uncompressed)")
        return info

    def read(self, record):
        info = self.info(record)
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
            raise self.error(f"reading file {record}: {e}") from None

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
            raise self.error(f"reading file {record}: it holds {size} bytes, not the {numel} "
                             f"elements of {np_dtype.itemsize} bytes the pickle expects")


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what `save` or `torch.save` wrote (the zip format of torch >= 1.6).

    The file's pickle is read by a restricted unpickler that knows only the names a
    checkpoint needs (tensors, nn.Parameters, dtypes, Size, device, containers, bytes,
    complex numbers), torch's weights_only list; any other name raises
    `pickle.UnpicklingError` and nothing from the file runs. This holds for
    `weights_only=False` and any `pickle_module` too: minitorch has no unsafe loader.
    Tensors that shared memory when saved share it again. `map_location` may only lead to
    the CPU. `mmap=True` (a path only, as in torch) reads the records into memory: the
    tensors are private copies, as torch's copy-on-write mappings are."""
    restore_location = _location_mapper(map_location)
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise ValueError("f must be a file path in order to use the mmap argument")
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            return _load_archive(_Archive(file, os.fspath(f)), restore_location,
                                 pickle_load_args)
    if not hasattr(f, "seek"):
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'seek'. You can "
                             "only minitorch.load from a file that is seekable. Please pre-load "
                             "the data into a buffer like io.BytesIO and try to load from it "
                             "instead.")
    name = getattr(f, "name", None) or f"<{type(f).__name__} object>"
    return _load_archive(_Archive(f, name), restore_location, pickle_load_args)


def _load_archive(archive, restore_location, pickle_load_args):
    pickle_load_args.setdefault("encoding", "utf-8")
    data_pkl = archive.read("data.pkl")
    unpickler = _SafeUnpickler(io.BytesIO(data_pkl), archive, restore_location,
                               **pickle_load_args)
    return unpickler.load()
