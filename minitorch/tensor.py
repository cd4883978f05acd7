"""Tensor: one numpy array plus what autograd needs to know about it.

The array is the storage: `t.numpy()` returns it, views (`view`, slicing, `T`,
`expand`...) are numpy views of it, so changes show through all of them, as in torch.
Every op lives in `minitorch/ops/`; this file attaches them as methods and operators,
and holds what is Tensor's own: attributes, conversions, `backward`, in-place writes.
"""
import numpy as np

from . import dtypes
from ._tensor_str import format_tensor
from .autograd import function
from .autograd.function import AccumulateGrad, raise_broadcast_error
from .autograd.grad_mode import _State

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


class Tensor:
    __array_priority__ = 1000  # `np.float64(2) * t` leaves the product to Tensor, as in torch
    __slots__ = ("_data", "_requires_grad", "_grad", "grad_fn", "_vc", "_base", "_view_fn",
                 "_view_version", "_node", "_retains_grad", "__weakref__")

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
        t._grad = t.grad_fn = None
        t._vc = [0]          # version counter, shared with views: bumped by in-place ops
        t._base = None       # the tensor whose memory this view shares
        t._view_fn = None    # base array -> this view's array
        t._node = None       # AccumulateGrad of a leaf, made once
        t._retains_grad = False
        return t

    def _become_view_of(self, parent, view_fn):
        """Mark self as a view sharing parent's memory and version counter."""
        self._vc = parent._vc
        self._view_version = parent._vc[0]  # the version its history was made at
        self._base = parent._base if parent._base is not None else parent
        if parent._view_fn is not None:
            outer, inner = view_fn, parent._view_fn
            view_fn = lambda arr: outer(inner(arr))  # noqa: E731
        self._view_fn = view_fn

    def _refresh_view(self):
        """A view whose storage was written in place since its history was made (through
        its base or another view) takes its history from the base again, as torch does:
        its old grad_fn no longer says where its values come from."""
        if self._vc[0] != self._view_version and self._base._requires_grad:
            from .ops.shape import AsStrided
            self._set_history(AsStrided.apply(self._base, view_fn=self._view_fn).grad_fn)
            self._view_version = self._vc[0]

    def _grad_node(self):
        """The node gradients for self flow into: grad_fn, or the leaf's AccumulateGrad."""
        if self._base is not None:
            self._refresh_view()
        if self.grad_fn is not None:
            return self.grad_fn
        if self._node is None:
            self._node = AccumulateGrad(self)
        return self._node

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
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' "
                                   f"to a tensor of size '{list(self.shape)}'. Please ensure that "
                                   "the gradient and the tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{dtypes.c_type_name(value._data.dtype)}' to a tensor with grad_dtype '{dtypes.scalar_name(self._data.dtype)}'. The gradient "
                    "must match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    "its gradient may break downstream systems that assume they match.")
        self._grad = value

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._data.dtype.kind != "f":  # (torch's wording differs from requires_grad_)
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad) or self.grad_fn is not None
        return self

    @property
    def _version(self):
        return self._vc[0]

    @property
    def data(self):
        """The same storage, outside the graph (and outside its in-place checks)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, other):
        self._data = other._data

    @property
    def T(self):
        return self.permute(*range(self.ndim - 1, -1, -1))

    @property
    def mT(self):
        if self.ndim < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got {self.ndim}-D tensor.")
        return self.transpose(-2, -1)

    def _dim(self, dim, ndim=None):
        """A dim in range [0, ndim), from torch's allowed negative form; IndexError otherwise."""
        n = self._data.ndim if ndim is None else ndim
        lo, hi = (-n, n - 1) if n else (-1, 0)
        if not lo <= dim <= hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                             f"but got {dim})")
        return dim % n if n else 0

    # ---- conversions -------------------------------------------------------------------------
    def numpy(self, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()).item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
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
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        t = Tensor._make(self._data.copy())
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = t
        return t

    def to(self, *args, **kwargs):
        """Cast to a dtype and/or move to a device (only 'cpu' exists)."""
        dtype, dev = kwargs.get("dtype"), kwargs.get("device")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, (dtypes.dtype, type, np.dtype)):
                dtype = a
            elif a is not None:
                dev = a
        if dev is not None:
            _check_device(dev)
        if dtype is None or dtypes.to_np(dtype) == self._data.dtype:
            return self.clone() if kwargs.get("copy") else self
        target = dtypes.to_np(dtype)
        if target.kind != "f":  # integers and bools carry no gradient: outside the graph
            return Tensor._make(self._data.astype(target))
        from .ops.elementwise import ToCopy
        return ToCopy.apply(self, dtype=target)

    def type(self, dtype=None):
        if dtype is None:
            return dtypes.tensor_type_name(self._data.dtype)
        return self.to(dtype)

    def cpu(self):
        return self

    def cuda(self, device=None):
        _check_device("cuda")

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    def long(self):
        return self.to(dtypes.int64)

    def int(self):
        return self.to(dtypes.int32)

    def bool(self):
        return self.to(dtypes.bool)

    def byte(self):
        return self.to(dtypes.uint8)

    # ---- autograd ----------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's .grad."""
        from .autograd import backward
        backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph,
                 inputs=inputs)

    def detach(self):
        """The same storage and version counter, outside the graph."""
        t = Tensor._make(self._data)
        t._vc = self._vc
        return t

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        """Keep .grad on a non-leaf too (leaves always keep theirs)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            self._retains_grad = True
            self.grad_fn.retained = self

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Call hook(grad) whenever self's gradient is computed; a tensor it returns
        replaces the gradient. Returns a handle whose remove() unregisters it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self._grad_node()
        if not node.hooks:
            node.hooks = []
        node.hooks.append(hook)
        return _RemovableHandle(node.hooks, hook)

    # ---- in-place writes -----------------------------------------------------------------
    def _inplace(self, op, *args, **kwargs):
        """Compute op(self, *args) and write the result into self's storage, as `x.op_()`.

        Without a graph to record this is a plain numpy write. With one, the op runs on a
        private copy of self's old values (so what it saves for backward stays valid), the
        result is written into the shared storage, and self's history becomes the op's
        node: for a view, its base's history becomes a CopySlices node as in torch.
        """
        recording = _State.enabled and (
            self._requires_grad or (self._base is not None and self._base._requires_grad)
            or any(isinstance(a, Tensor) and a._requires_grad for a in args))
        if not recording:
            self._write(op(self.detach(), *args, **kwargs)._data)
            return self
        if self._base is not None:
            self._refresh_view()
        if self.grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        base = self._base
        if base is not None and base.grad_fn is None and base._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        old = Tensor._make(self._data.copy())  # self's old values, with self's history
        old.grad_fn, old._requires_grad = self.grad_fn, self._requires_grad
        out = op(old, *args, **kwargs)
        self._write(out._data)  # for a view, this writes into its base's storage too
        if base is None:
            self._rebase(out)
            return self
        from .ops.shape import CopySlices
        base._set_history(CopySlices.wrap(base, out.grad_fn, self._view_fn))
        self._refresh_view()  # self, like every view of base, now reads from the new base
        return self

    def _write(self, values):
        """Copy values into self's storage (casting as torch allows) and bump the version."""
        values = np.asarray(values)
        if values.dtype != self._data.dtype and (
                dtypes.category(values.dtype) > dtypes.category(self._data.dtype)):
            raise RuntimeError(f"result type {dtypes.scalar_name(values.dtype)} can't be cast to "
                               f"the desired output type {dtypes.scalar_name(self._data.dtype)}")
        check_fits(self._data.shape, values.shape)
        if not self._data.flags.writeable:  # an expand()ed view: elements share memory
            raise RuntimeError("unsupported operation: more than one element of the written-to "
                               "tensor refers to a single memory location. Please clone() the "
                               "tensor before performing the operation.")
        self._data[...] = values
        self._vc[0] += 1

    def _rebase(self, out):
        """After an in-place op, self's history is that of `out`, the op's result."""
        node = out.grad_fn
        if node is None:
            return
        # the op's own result now lives in self: watch self's version counter instead
        node._watch = [(self._vc, self._vc[0], arr, who) if vc is out._vc else (vc, v, arr, who)
                       for vc, v, arr, who in node._watch]
        self._set_history(node)

    def _set_history(self, node):
        if self._retains_grad:  # .grad follows the tensor to its new history
            if self.grad_fn is not None and self.grad_fn.retained is self:
                self.grad_fn.retained = None
            node.retained = self
        self.grad_fn = node
        self._requires_grad = True


class _RemovableHandle:
    def __init__(self, hooks, hook):
        self.hooks, self.hook = hooks, hook

    def remove(self):
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def storage_root(array):
    """The array whose memory `array` views (itself if it owns its memory): what torch
    calls the storage."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def zero_grads(tensors, set_to_none=True):
    """What Module.zero_grad and Optimizer.zero_grad both do to each tensor's .grad: forget
    it (set_to_none), or fill it with zeros in place, first cutting it out of any graph it
    belongs to."""
    for t in tensors:
        if t.grad is None:
            continue
        if set_to_none:
            t.grad = None
            continue
        if t.grad.grad_fn is not None:
            t.grad.detach_()
        else:
            t.grad.requires_grad_(False)
        t.grad.zero_()


def check_fits(target, shape):
    """torch's errors when values of `shape` cannot be written into a tensor of `target` shape."""
    if shape == target:
        return
    try:
        broadcast = np.broadcast_shapes(shape, target)
    except ValueError:
        raise_broadcast_error(target, shape)
    if broadcast != target:
        raise RuntimeError(f"output with shape {list(target)} doesn't match the broadcast shape "
                           f"{list(broadcast)}")


def _check_device(dev):
    """minitorch computes on the CPU only: any other device is a clear error."""
    if device(dev).type != "cpu":
        raise RuntimeError(f"device '{dev}' is not available: minitorch computes on 'cpu' only "
                           "(minitorch.cuda.is_available() is False)")


function.Tensor = Tensor


def _rebuild(data, requires_grad):
    return Tensor._make(data).requires_grad_(requires_grad)
