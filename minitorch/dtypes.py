"""dtypes (minitorch.float32, ...) and torch's type-promotion rules."""
import builtins

import numpy as np


class dtype:
    """A tensor element type; wraps the numpy dtype that stores it."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name, np_type):
        self.name = name
        self.np = np.dtype(np_type)
        self.is_floating_point = self.np.kind == "f"
        self.is_signed = self.np.kind in "fi"
        self.itemsize = self.np.itemsize

    def __repr__(self):
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool = dtype("bool", np.bool_)

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_FROM_NP = {d.np: d for d in ALL}


def _by_name(name):
    return globals()[name]


# How torch's messages name a dtype: as a scalar type ("Float"), as a C type ("float"),
# and as a legacy tensor type ("minitorch.FloatTensor").
_NAMES = {"float32": ("Float", "float"), "float64": ("Double", "double"),
          "float16": ("Half", "c10::Half"), "int64": ("Long", "long int"), "int32": ("Int", "int"),
          "int16": ("Short", "short int"), "int8": ("Char", "signed char"),
          "uint8": ("Byte", "unsigned char"), "bool": ("Bool", "bool")}


def scalar_name(np_dtype):
    return _NAMES[np.dtype(np_dtype).name][0]


def c_type_name(np_dtype):
    return _NAMES[np.dtype(np_dtype).name][1]


def tensor_type_name(np_dtype):
    return f"minitorch.{scalar_name(np_dtype)}Tensor"


def get_default_dtype():
    return float32


def from_np(np_dtype):
    """The minitorch dtype stored as this numpy dtype."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        raise TypeError(f"minitorch has no dtype for numpy's {np_dtype}") from None


def to_np(d):
    """numpy dtype for a minitorch dtype, a Python type (float, int, bool) or a numpy dtype."""
    if isinstance(d, dtype):
        return d.np
    if d is builtins.float:  # as a dtype, Python's float means double precision, as in torch
        return float64.np
    if d is builtins.int:
        return int64.np
    if d is builtins.bool:
        return bool.np
    return from_np(np.dtype(d)).np


# ---- promotion ---------------------------------------------------------------------------
# torch promotes by category (bool < integer < floating) and priority: tensors with
# dimensions decide first, then 0-d tensors, then Python numbers. A lower-priority operand
# only matters when its category is higher than everything above it; Python numbers then
# give the default type of their category (float -> float32, int -> int64).

def raise_not_implemented(kernel, np_dtype):
    """torch's error for a kernel that has no version for this dtype (integers, bool)."""
    raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(np_dtype)}\'')


def compute_dtype(np_dtype):
    """The dtype torch's CPU kernels compute in: float16 is widened to float32 (sums of
    many float16 terms would lose digits); every other dtype computes as itself."""
    return np.dtype(np.float32) if np_dtype == np.float16 else np_dtype


def widen(array):
    """array in its compute_dtype (a float32 copy of a float16 array, else array itself)."""
    return array.astype(np.float32) if array.dtype == np.float16 else array


def category(np_dtype):
    """0 for bool, 1 for integers, 2 for floats: torch promotes and casts by category."""
    return 0 if np_dtype.kind == "b" else 2 if np_dtype.kind == "f" else 1


def promote_np(a, b):
    """torch.promote_types on numpy dtypes: the higher category wins outright (int32 and
    float16 give float16); within a category the wider type (uint8 and int8 give int16)."""
    if category(a) != category(b):
        return a if category(a) > category(b) else b
    return np.promote_types(a, b)


def promote_types(type1, type2):
    return from_np(promote_np(to_np(type1), to_np(type2)))


_SCALAR_DEFAULT = {builtins.bool: np.dtype(np.bool_), builtins.int: np.dtype(np.int64),
                   builtins.float: np.dtype(np.float32)}


def number_dtype(x):
    """The dtype torch gives a Python number: bool, int64, or the default float32."""
    return _SCALAR_DEFAULT[builtins.bool if isinstance(x, builtins.bool)
                           else builtins.int if isinstance(x, (builtins.int, np.integer))
                           else builtins.float]


def result_type(*operands):
    """numpy dtype of torch's result for operands that are arrays (dim or 0-d) or numbers."""
    levels = [None, None, None]  # promoted dtype of: dimensioned arrays, 0-d arrays, numbers
    for x in operands:
        if isinstance(x, np.ndarray):
            level, dt = (0 if x.ndim else 1), x.dtype
        elif isinstance(x, np.generic):
            level, dt = 1, x.dtype
        else:
            level, dt = 2, number_dtype(x)
        prev = levels[level]
        if prev is None or category(dt) > category(prev):
            levels[level] = dt  # a higher category wins outright: int32 + float32 is float32
        elif level < 2 and category(dt) == category(prev):
            levels[level] = promote_np(prev, dt)
    top = max(category(dt) for dt in levels if dt is not None)
    for dt in levels:
        if dt is not None and category(dt) == top:
            return dt
