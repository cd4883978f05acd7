"""Reading IDX files, the format of MNIST and Fashion-MNIST (plain or gzipped).

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of
dimensions), one big-endian uint32 per dimension, then the values in C order. MNIST's
files hold uint8 values (type code 0x08): images are N x 28 x 28, labels are N.
"""
import gzip
import struct
import zlib

import numpy as np

UINT8 = 0x08


def read_idx_uint8(path, ndim):
    """The uint8 array stored in the IDX file `path` (gzipped if it ends in .gz), which
    must have `ndim` dimensions. A file that is not such an IDX file, or whose length does
    not match its dimensions (truncated, padded), raises RuntimeError naming the file."""
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise RuntimeError(f"Cannot read the IDX file {path}: {e}") from e
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise RuntimeError(f"The IDX file {path} is truncated: {len(data)} bytes, shorter than "
                           f"the header of a {ndim}-dimensional IDX file ({header_size} bytes)")
    magic = data[:4]
    if magic != bytes([0, 0, UINT8, ndim]):
        raise RuntimeError(f"{path} is not a {ndim}-dimensional uint8 IDX file: its magic number "
                           f"is 0x{magic.hex()}, expected 0x0000{UINT8:02x}{ndim:02x}")
    dims = struct.unpack(f">{ndim}I", data[4:header_size])
    expected = header_size + int(np.prod(dims))
    if len(data) != expected:
        raise RuntimeError(f"The IDX file {path} is truncated or corrupt: it has {len(data)} bytes, "
                           f"but dimensions {list(dims)} need {expected}")
    # a bytearray makes the array writable, as torchvision's tensors are
    return np.frombuffer(bytearray(data), dtype=np.uint8, offset=header_size).reshape(dims)
