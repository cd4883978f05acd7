"""Printing of tensors: the text that ``repr(tensor)`` shows.

This reproduces the behaviour of PyTorch's ``torch/_tensor_str.py`` (torch 2.14)
for dense CPU tensors, using numpy only, so that a minitorch tensor prints
exactly as torch prints a tensor with the same values, dtype and autograd
state (with ``torch.`` spelled ``minitorch.``).

The rules, in short:

* Every element of a tensor is printed with one shared *formatter*, chosen by
  looking at all the (possibly summarized) values: integers and bools are
  printed as Python prints them; floats are printed either in fixed point
  with ``precision`` digits, as integers with a trailing ``.`` (when every
  finite value is integer-valued), or in scientific notation (when the finite
  non-zero magnitudes span more than a factor 1000, exceed 1e8 or fall below
  1e-4, unless ``sci_mode`` forces a choice).  All elements are right-aligned
  to the widest finite, non-zero element.
* Tensors with more than ``threshold`` elements are summarized: along each
  dimension longer than ``2 * edgeitems`` only the first and last
  ``edgeitems`` entries are shown, with ``...`` in between.
* Rows are wrapped so that lines fit in ``linewidth`` characters, and nested
  dimensions are indented under their opening bracket.
* Suffixes (``size=``, ``dtype=``, ``grad_fn=``/``requires_grad=``) follow the
  data, each moved to its own line when it would not fit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any, Iterator

import numpy as np

__all__ = ["format_tensor", "set_printoptions", "get_printoptions", "printoptions"]


# ---------------------------------------------------------------------------
# Print options
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class _PrintOptions:
    """The global print options, with torch's defaults."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

# Values that set_printoptions(profile=...) installs before applying the other
# arguments.  An unknown profile name is ignored, as torch ignores it.
_PROFILES: dict[str, dict[str, Any]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set the options used when printing tensors (same meaning as torch's).

    Args:
        precision: digits after the decimal point for floats (default 4).
        threshold: element count above which a tensor is summarized
            (default 1000).
        edgeitems: entries kept at each end of a summarized dimension
            (default 3).
        linewidth: characters per line used for wrapping (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``; installs a preset
            first, which the other arguments then override.
        sci_mode: ``True``/``False`` forces scientific notation on/off for
            floats; ``None`` lets the formatter decide.  Like torch, every call
            sets it, so a call without ``sci_mode`` resets it to ``None``.
    """
    if profile is not None:
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current options as a dict that set_printoptions(**d) accepts."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs) -> Iterator[None]:
    """Temporarily change the print options (arguments as set_printoptions)."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ---------------------------------------------------------------------------
# Dtypes
# ---------------------------------------------------------------------------

_NUMPY_DTYPES: dict[str, type] = {
    "float16": np.float16,
    "float32": np.float32,
    "float64": np.float64,
    "int64": np.int64,
    "int32": np.int32,
    "int16": np.int16,
    "int8": np.int8,
    "uint8": np.uint8,
    "bool": np.bool_,
}

_FLOAT_DTYPES = frozenset({"float16", "float32", "float64"})

# The default floating dtype: the dtype torch assumes for an empty tensor.
_DEFAULT_DTYPE = "float32"

# Dtypes that a non-empty tensor's values already imply, so torch does not
# print a ``dtype=`` suffix for them: the default float dtype, int64 (what
# integer literals give) and bool.
_IMPLIED_DTYPES = frozenset({_DEFAULT_DTYPE, "int64", "bool"})


def _as_array(data, dtype: str) -> np.ndarray:
    """``data`` as a numpy array holding exactly the values of that dtype."""
    try:
        np_dtype = _NUMPY_DTYPES[dtype]
    except KeyError:
        raise ValueError(f"cannot print tensors of dtype {dtype!r}") from None
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(data).astype(np_dtype, copy=False)


# ---------------------------------------------------------------------------
# Element formatting
# ---------------------------------------------------------------------------


class _Formatter:
    """Formats single elements so that all elements of a tensor line up.

    It is built once from every value that will be shown (the summarized
    values when the tensor is summarized) and decides, for floats, between
    fixed-point, integer (``1.``) and scientific style, plus the common
    width to which each element is right-aligned.
    """

    def __init__(self, values: np.ndarray, floating: bool):
        self.floating = floating
        self.int_mode = True  # floats only: every finite value is an integer
        self.sci_mode = False  # floats only: scientific notation
        self.max_width = 1
        if not floating:
            self.max_width = max(1, _widest_integer(values))
            return

        shown = values[np.isfinite(values) & (values != 0)]
        if shown.size == 0:
            # Only zeros, nans and infs: torch keeps the integer style and
            # width 1 here, even when sci_mode=True was requested.
            return
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = _needs_scientific(np.abs(shown.astype(np.float64)))
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        self.max_width = max(len(self._plain(v)) for v in shown.tolist())

    def _plain(self, value: float) -> str:
        """A finite value in the chosen style, before any padding."""
        precision = PRINT_OPTS.precision
        if self.sci_mode:
            return f"{value:.{precision}e}"
        if self.int_mode:
            return f"{value:.0f}."
        return f"{value:.{precision}f}"

    def width(self) -> int:
        """The width every element is padded to."""
        return self.max_width

    def format(self, value) -> str:
        """One element (a Python int, bool or float), right-aligned."""
        if not self.floating:
            text = str(value)
        elif math.isfinite(value):
            text = self._plain(value)
        else:
            text = f"{value:.0f}"  # "nan", "inf" or "-inf", in every style
        return text.rjust(self.max_width)


def _widest_integer(values: np.ndarray) -> int:
    """Length of the longest ``str()`` of an int or bool element.

    The longest text always belongs to the smallest or the largest value
    (most digits, or a minus sign), so only those two are formatted.
    """
    if values.size == 0:
        return 0
    return max(len(str(values.min().item())), len(str(values.max().item())))


def _needs_scientific(magnitudes: np.ndarray) -> bool:
    """torch's automatic choice of scientific notation (in double precision).

    ``magnitudes`` are the absolute values of the finite, non-zero elements.
    Their ratio may overflow to inf, which correctly means "scientific".
    """
    smallest, largest = magnitudes.min(), magnitudes.max()
    with np.errstate(over="ignore"):
        ratio = largest / smallest
    return bool(ratio > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)


# ---------------------------------------------------------------------------
# Layout of the bracketed body
# ---------------------------------------------------------------------------


def _edge_indices(length: int, edgeitems: int) -> np.ndarray:
    """Indices shown along a dimension of ``length`` when summarizing."""
    if length > 2 * edgeitems:
        return np.r_[0:edgeitems, length - edgeitems : length]
    return np.arange(length)


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows (used to choose the formatter)."""
    edgeitems = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr
    if arr.ndim >= 2 and not edgeitems:
        # Nothing but "..." is shown.
        return arr[tuple(slice(0, 0) for _ in arr.shape)]
    return arr[np.ix_(*(_edge_indices(n, edgeitems) for n in arr.shape))]


def _vector_str(row: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """A 1-d tensor: elements separated by ", ", wrapped to the line width.

    ``indent`` is the column of the opening bracket; continuation lines
    start one column further.  How many elements fit on a line is computed
    from the formatter's width (the ``...`` marker counts as an element).
    """
    edgeitems = PRINT_OPTS.edgeitems
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.width() + 2)))

    if summarize and not edgeitems:
        items = ["..."]
    elif summarize and len(row) > 2 * edgeitems:
        items = (
            [fmt.format(v) for v in row[:edgeitems].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in row[-edgeitems:].tolist()]
        )
    else:
        items = [fmt.format(v) for v in row.tolist()]

    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """Any tensor with at least one element, as nested brackets.

    Sub-tensors of an n-d tensor are separated by a comma and n-1 newlines
    (so 3-d blocks get a blank line between them) and indented one column
    past the enclosing bracket.
    """
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _vector_str(arr, indent, summarize, fmt)

    edgeitems = PRINT_OPTS.edgeitems

    def sub(i: int) -> str:
        return _nested_str(arr[i], indent + 1, summarize, fmt)

    if summarize and len(arr) > 2 * edgeitems:
        head = [sub(i) for i in range(edgeitems)]
        tail = [sub(i) for i in range(len(arr) - edgeitems, len(arr))]
        parts = head + ["..."] + tail
    else:
        parts = [sub(i) for i in range(len(arr))]
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _body_str(arr: np.ndarray, floating: bool, indent: int) -> str:
    """The bracketed values of a tensor whose opening bracket is at ``indent``."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > PRINT_OPTS.threshold
    fmt = _Formatter(_summarized(arr) if summarize else arr, floating)
    return _nested_str(arr, indent, summarize, fmt)


# ---------------------------------------------------------------------------
# Whole repr
# ---------------------------------------------------------------------------


def _torch_len(suffix: str) -> int:
    """The length of ``suffix`` as torch spells it (``torch.`` for ``minitorch.``).

    Line breaks between suffixes are decided with torch's lengths, so that
    our repr is torch's repr with only the module name changed, even when
    the longer ``minitorch.`` makes a line run past the line width.
    """
    return len(suffix.replace("minitorch.", "torch."))


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing ``)``.

    A suffix that would make the current line longer than the line width
    starts a new line, indented to ``indent``.  The length of the current
    line is reckoned as torch reckons it: two more than the characters after
    the last newline (or than the whole text, when it has no newline).
    """
    pieces = [text]
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        suffix_len = _torch_len(suffix)
        if line_len + suffix_len + 2 > PRINT_OPTS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            line_len = indent + suffix_len
        else:
            pieces.append(", " + suffix)
            line_len += suffix_len + 2
    pieces.append(")")
    return "".join(pieces)


def format_tensor(
    data: np.ndarray,
    dtype: str,
    *,
    grad_fn: str | None = None,
    requires_grad: bool = False,
) -> str:
    """The repr of a tensor holding ``data``, exactly as torch prints it.

    Args:
        data: the values (any array-like; cast to ``dtype``).
        dtype: minitorch dtype name: ``"float16"``, ``"float32"``,
            ``"float64"``, ``"int64"``, ``"int32"``, ``"int16"``, ``"int8"``,
            ``"uint8"`` or ``"bool"``.
        grad_fn: name of the autograd node that produced the tensor, e.g.
            ``"AddBackward0"``; printed as ``grad_fn=<AddBackward0>``.
        requires_grad: for a leaf (no ``grad_fn``) that requires grad;
            printed as ``requires_grad=True``.

    The device is always the CPU, which torch does not print.
    """
    arr = _as_array(data, dtype)
    prefix = "tensor("
    indent = len(prefix)
    size_suffix = f"size={tuple(arr.shape)}"
    dtype_suffix = f"dtype=minitorch.{dtype}"
    suffixes = []

    if arr.size == 0:
        # No values to go by, so torch spells out the shape (unless it is
        # the plain (0,)) and every dtype but the default float one.
        if arr.ndim != 1:
            suffixes.append(size_suffix)
        if dtype != _DEFAULT_DTYPE:
            suffixes.append(dtype_suffix)
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            # The body is just "[...]", so the shape is printed instead.
            suffixes.append(size_suffix)
        if dtype not in _IMPLIED_DTYPES:
            suffixes.append(dtype_suffix)
        body = _body_str(arr, dtype in _FLOAT_DTYPES, indent)

    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(prefix + body, suffixes, indent)
