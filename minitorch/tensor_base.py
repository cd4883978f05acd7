"""TensorBase: what a tensor *is*, before anything is computed with it.

One numpy array (the storage) plus the state autograd keeps about it. torch splits its
Tensor the same way: `torch._C.TensorBase` holds the state (in C++), `torch.Tensor`
(`minitorch/tensor.py` here) adds the methods. Everything below this module (autograd,
the math in ops/, torch's surface in facade/) works with TensorBase, so none of them
needs the full Tensor class, and no module imports one that imports it back.

The array is the storage: `t.numpy()` returns it, and views (`view`, slicing, `T`,
`expand`...) are numpy views of it, so changes show through all of them, as in torch.
"""
import threading

import numpy as np

from . import dtypes, errors
from ._tensor_str import format_tensor

# torch computes 1/0 = inf and log(-1) = nan without a word; so does minitorch.
np.seterr(divide="ignore", invalid="ignore", over="ignore", under="ignore")


class Size(tuple):
    """A tensor's shape: a tuple that prints as `minitorch.Size([3, 4])`."""

    def __repr__(self):
        return f"minitorch.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


class device:
    """Where a tensor lives. minitorch computes on 'cpu' only."""

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif ":" in type:
            type, idx = type.split(":")
            index = int(idx)
        self.type, self.index = type, index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def check_device(dev):
    """minitorch computes on the CPU only: any other device is a clear error."""
    if device(dev).type != "cpu":
        raise errors.device_not_available(dev)


def storage_root(array):
    """The array whose memory `array` views (itself if it owns its memory): what torch
    calls the storage."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class _InferenceMode(threading.local):
    """Per thread: is inference mode on (autograd/grad_mode.py's inference_mode switches it)?
    Every tensor made while it is on is an inference tensor, as in torch."""
    enabled = False


INFERENCE_MODE = _InferenceMode()


class _NoVersionCounter(list):
    """What an inference tensor has in place of a version counter: torch's inference tensors
    track none (autograd/views.py, rule 5). Every in-place write bumps a tensor's counter,
    wherever it happens (views.write, an optimizer's step, t_): this one counts nothing
    inside inference mode and refuses outside it, after the write, as torch's kernels do."""

    def __setitem__(self, index, value):
        if not INFERENCE_MODE.enabled:
            raise errors.inplace_update_to_inference_tensor()


NO_VERSION_COUNTER = _NoVersionCounter([0])  # shared: it never changes


class TensorBase:
    """A tensor's storage and autograd state.

    _data               the numpy array
    _requires_grad      does autograd track this tensor
    grad_fn             the graph node that made it (None for a leaf)
    _grad               the gradient accumulated into it (leaves, and retain_grad())
    _version_counter    [n]: a mutable int shared with every view of the same storage,
                        bumped by each in-place write (autograd/views.py explains why);
                        NO_VERSION_COUNTER for an inference tensor
    _base, _view_fn     for a view: the tensor whose storage it shares, and how to get
                        this view's array from the base's (views.py again)
    _view_version       the version the view's history was recorded at
    _accumulate_node    a leaf's AccumulateGrad node, made once on first use
    _retains_grad       retain_grad() was called on this non-leaf
    _is_inference       made in inference mode, or a view of such a tensor (torch's
                        inference tensors: views.py, rule 5)
    """
    __array_priority__ = 1000  # `np.float64(2) * t` leaves the product to Tensor, as in torch
    __slots__ = ("_data", "_requires_grad", "_grad", "grad_fn", "_version_counter", "_base",
                 "_view_fn", "_view_version", "_accumulate_node", "_retains_grad",
                 "_is_inference", "__weakref__")

    def __init_subclass__(cls, **kwargs):
        """An op's result is of its input's class (a user's Tensor subclass stays itself,
        as torch's __torch_function__ rule has it); a class can say otherwise by setting
        `_result_class` (Parameter does: `w * 2` is a plain Tensor)."""
        super().__init_subclass__(**kwargs)
        if "_result_class" not in cls.__dict__:
            cls._result_class = cls

    def __new__(cls, *args):
        """`Tensor([1, 2])` copies data as float32; `Tensor(2, 3)` is uninitialised 2x3."""
        if len(args) == 1 and not isinstance(args[0], int):
            return cls._make(np.array(args[0], dtype=np.float32))
        return cls._make(np.empty(args or (0,), dtype=np.float32))

    @classmethod
    def _make(cls, data):
        """Wrap a numpy array (no copy): the fast path every op takes."""
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        t = object.__new__(cls)
        t._data = data
        t._requires_grad = False
        t._grad = t.grad_fn = t._base = t._view_fn = t._accumulate_node = None
        t._retains_grad = False
        if INFERENCE_MODE.enabled:  # an inference tensor (autograd/views.py, rule 5)
            t._is_inference, t._version_counter = True, NO_VERSION_COUNTER
        else:
            t._is_inference, t._version_counter = False, [0]
        return t

    def _wrap(self, data):
        """A new tensor holding `data`, of the class this tensor's results have."""
        return self._result_class._make(data)

    # ---- attributes ------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        return Size(self._data.shape) if dim is None else self._data.shape[self._dim(dim)]

    @property
    def dtype(self):
        return dtypes.from_np(self._data.dtype)

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    nelement = numel

    def data_ptr(self):
        """The address of the first element (views of one storage differ by their offset)."""
        return self._data.__array_interface__["data"][0]

    def storage_offset(self):
        """Where this tensor starts in the memory it shares, in elements."""
        if not self._data.size:
            return 0
        start = storage_root(self._data).__array_interface__["data"][0]
        return (self.data_ptr() - start) // self._data.itemsize

    def element_size(self):
        return self._data.itemsize

    def stride(self, dim=None):
        data = self._data
        if data.size == 0 and not any(data.strides):
            # numpy gives a fresh empty array zero strides; torch gives it contiguous ones
            strides, step = [], 1
            for n in reversed(data.shape):
                strides.insert(0, step)
                step *= max(n, 1)
            strides = tuple(strides)
        else:
            strides = tuple(s // data.itemsize for s in data.strides)
        return strides if dim is None else strides[self._dim(dim)]

    def is_contiguous(self):
        return self._data.flags.c_contiguous

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def _dim(self, dim, ndim=None):
        """A dim in range [0, ndim), from torch's allowed negative form; IndexError otherwise."""
        n = self._data.ndim if ndim is None else ndim
        lo, hi = (-n, n - 1) if n else (-1, 0)
        if not lo <= dim <= hi:
            raise errors.dim_out_of_range(dim, lo, hi)
        return dim % n if n else 0

    # ---- autograd state ----------------------------------------------------------------------
    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        """torch's checks: a gradient is a tensor of self's shape and dtype, or None."""
        if value is not None:
            if not isinstance(value, TensorBase):
                raise errors.grad_not_a_tensor(value)
            if value._data.shape != self._data.shape:
                raise errors.grad_wrong_size(value._data.shape, self._data.shape)
            if value._data.dtype != self._data.dtype:
                raise errors.grad_wrong_dtype(value._data.dtype, self._data.dtype)
        self._grad = value

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._data.dtype.kind != "f":
            raise errors.requires_grad_of_non_float(setter=True)
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None and not requires_grad:
            raise errors.requires_grad_of_non_leaf()
        if requires_grad and self._data.dtype.kind != "f":
            raise errors.requires_grad_of_non_float()
        if requires_grad and self._is_inference and not INFERENCE_MODE.enabled:
            raise errors.requires_grad_on_inference_tensor()
        self._requires_grad = bool(requires_grad) or self.grad_fn is not None
        return self

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def _version(self):
        if self._version_counter is NO_VERSION_COUNTER:
            raise errors.inference_tensor_version_counter()
        return self._version_counter[0]

    @property
    def data(self):
        """The same storage, outside the graph (and outside its in-place checks: a counter
        of its own). An inference tensor's stays one, with a counter outside inference mode
        (as torch's `.data` and `detach()`: in-place writes to it are allowed there)."""
        t = self._wrap(self._data)
        t._is_inference = self._is_inference
        t._version_counter = NO_VERSION_COUNTER if (
            self._is_inference and INFERENCE_MODE.enabled) else [0]
        return t

    @data.setter
    def data(self, other):
        self._data = other._data

    def detach(self):
        """The same storage and version counter, outside the graph (an inference tensor
        detached outside inference mode gets a counter of its own, as in torch)."""
        t = self._wrap(self._data)
        t._is_inference = self._is_inference
        if self._version_counter is not NO_VERSION_COUNTER or INFERENCE_MODE.enabled:
            t._version_counter = self._version_counter
        return t

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ---- conversions -------------------------------------------------------------------------
    def numpy(self, force=False):
        if self._requires_grad and not force:
            raise errors.numpy_of_tensor_requiring_grad()
        return self._data

    def __array__(self, dtype=None, copy=None):
        """NumPy's view of the tensor (np.asarray(t) shares its memory, as torch's does),
        under NumPy 2's protocol: copy=True always copies, copy=False never does (NumPy's
        ValueError when dtype asks for a conversion), None copies only to convert (NumPy 1
        never passes copy)."""
        if copy is None:
            return np.asarray(self._data, dtype=dtype)
        return np.array(self._data, dtype=dtype, copy=copy)

    def item(self):
        if self._data.size != 1:
            raise errors.item_of_many(self._data.size)
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def _scalar(self):
        if self._data.size != 1:
            raise errors.scalar_of_many()
        return self._data.reshape(()).item()

    def __bool__(self):
        if self._data.size != 1:
            raise errors.bool_of_many()
        return bool(self._data.reshape(()).item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise errors.index_of_non_integer()
        return int(self.item())

    def __len__(self):
        if self._data.ndim == 0:
            raise errors.len_of_0d()
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise errors.iteration_over_0d()
        return (self[i] for i in range(self._data.shape[0]))

    def __hash__(self):
        return id(self)

    def __repr__(self):
        name = self.grad_fn.node_name if self.grad_fn is not None else None
        return format_tensor(self._data, self.dtype.name, grad_fn=name,
                             requires_grad=self._requires_grad and self.grad_fn is None)

    __str__ = __repr__

    def __format__(self, spec):
        if self._data.ndim == 0:  # f"{loss}" and f"{loss:.3f}" format the number, as in torch
            return self.item().__format__(spec)
        return object.__format__(self, spec) if spec else repr(self)

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._result_class, self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        t = self._wrap(self._data.copy())
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad._wrap(self._grad._data.copy())
        memo[id(self)] = t
        return t


def _rebuild(cls, data, requires_grad):
    return cls._make(data).requires_grad_(requires_grad)
