"""Tensor: what a user holds, and every method they can call on it, in one place.

The state (the numpy array, requires_grad, grad_fn, the version counter) is TensorBase's
(tensor_base.py). This class adds the methods, grouped by family, each one line: the
function of the same name in facade/ (torch's surface: argument forms, promotion, checks),
which runs the op's math in ops/. `x.exp()` is `minitorch.exp(x)`; `x.exp_()` is the same
op written back into x's own storage (autograd/views.py says how that stays correct).
"""
from collections import OrderedDict

import numpy as np

from . import dtypes, errors
from .autograd import backward as _backward
from .autograd.hooks import RemovableHandle
from .autograd.views import apply_inplace, grad_node
from .facade import cumulative, elementwise, factory, indexing, linalg, reduce, shape
from .facade.out import resize_
from .facade.random import normal_, uniform_
from .facade.softmax import log_softmax, softmax
from .ops.elementwise import ToCopy
from .tensor_base import Size, TensorBase, check_device, device, storage_root

__all__ = ["Tensor", "Size", "device", "storage_root", "zero_grads"]


def _inplace(fn):
    """x.fn_(...): fn's result written into x's storage (autograd/views.py)."""
    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)
    method.__name__ = fn.__name__ + "_"
    return method


def _swap(fn):
    """The reflected operator: `2 - x` calls x.__rsub__(2), which is fn(2, x)."""
    def method(self, other):
        return fn(other, self)
    method.__name__ = f"__r{fn.__name__}__"
    return method


class Tensor(TensorBase):
    __slots__ = ()
    __hash__ = TensorBase.__hash__  # (defining __eq__ below would otherwise unset it)

    # ---- arithmetic ----------------------------------------------------------------------
    add = elementwise.add
    sub = subtract = elementwise.sub
    mul = multiply = elementwise.mul
    div = divide = true_divide = elementwise.div
    pow = elementwise.pow
    neg = negative = elementwise.neg
    reciprocal = elementwise.reciprocal
    square = elementwise.square
    __add__ = __radd__ = elementwise.add
    __sub__ = elementwise.sub
    __rsub__ = elementwise.rsub
    __mul__ = __rmul__ = elementwise.mul
    __truediv__ = elementwise.div
    __rtruediv__ = _swap(elementwise.div)
    __pow__ = elementwise.pow
    __rpow__ = _swap(elementwise.pow)
    __neg__ = elementwise.neg
    __abs__ = elementwise.abs

    def __floordiv__(self, other):
        return elementwise.div(self, other, rounding_mode="floor")

    # ---- elementwise math ------------------------------------------------------------------
    abs = elementwise.abs
    exp = elementwise.exp
    log = elementwise.log
    sqrt = elementwise.sqrt
    rsqrt = elementwise.rsqrt
    sin = elementwise.sin
    cos = elementwise.cos
    tanh = elementwise.tanh
    sigmoid = elementwise.sigmoid
    relu = elementwise.relu
    clamp = clip = elementwise.clamp
    maximum = elementwise.maximum
    minimum = elementwise.minimum
    round = elementwise.round
    floor = elementwise.floor
    ceil = elementwise.ceil
    trunc = fix = elementwise.trunc
    sign = elementwise.sign

    def where(self, condition, other):
        return elementwise.where(condition, self, other)

    # ---- comparisons and logic (no gradient) --------------------------------------------------
    eq = __eq__ = elementwise.eq
    ne = __ne__ = elementwise.ne
    lt = __lt__ = elementwise.lt
    le = __le__ = elementwise.le
    gt = __gt__ = elementwise.gt
    ge = __ge__ = elementwise.ge
    isnan = elementwise.isnan
    isinf = elementwise.isinf
    isfinite = elementwise.isfinite
    equal = elementwise.equal
    allclose = elementwise.allclose
    logical_not = elementwise.logical_not
    logical_and = elementwise.logical_and
    logical_or = elementwise.logical_or
    bitwise_and = __and__ = __rand__ = elementwise.bitwise_and
    bitwise_or = __or__ = __ror__ = elementwise.bitwise_or
    bitwise_xor = __xor__ = __rxor__ = elementwise.bitwise_xor
    bitwise_not = __invert__ = elementwise.bitwise_not

    # ---- reductions ----------------------------------------------------------------------------
    sum = reduce.sum
    mean = reduce.mean
    var = reduce.var
    std = reduce.std
    max = reduce.max
    min = reduce.min
    amax = reduce.amax
    amin = reduce.amin
    argmax = reduce.argmax
    argmin = reduce.argmin
    logsumexp = reduce.logsumexp
    norm = reduce.norm
    all = reduce.all
    any = reduce.any
    softmax = softmax
    log_softmax = log_softmax

    # ---- cumulative sums and products ------------------------------------------------------
    cumsum = cumulative.cumsum
    cumprod = cumulative.cumprod
    cumsum_ = _inplace(cumulative.cumsum)
    cumprod_ = _inplace(cumulative.cumprod)

    # ---- indexing and sorting ----------------------------------------------------------------
    gather = indexing.gather
    scatter = indexing.scatter
    scatter_ = indexing.scatter_
    scatter_add = indexing.scatter_add
    scatter_add_ = indexing.scatter_add_
    index_select = indexing.index_select
    masked_fill = indexing.masked_fill
    masked_fill_ = indexing.masked_fill_
    topk = indexing.topk
    sort = indexing.sort
    argsort = indexing.argsort

    # ---- matrix products -------------------------------------------------------------------
    matmul = __matmul__ = linalg.matmul
    __rmatmul__ = _swap(linalg.matmul)
    mm = linalg.mm
    bmm = linalg.bmm
    dot = linalg.dot
    mv = linalg.mv
    addmm = linalg.addmm

    # ---- shape: views share storage, the rest copy -------------------------------------------
    view = shape.view
    reshape = shape.reshape
    flatten = shape.flatten
    unflatten = shape.unflatten
    permute = shape.permute
    transpose = swapaxes = shape.transpose
    t = shape.t
    expand = shape.expand
    expand_as = shape.expand_as
    squeeze = shape.squeeze
    unsqueeze = shape.unsqueeze
    clone = shape.clone
    contiguous = shape.contiguous
    split = shape.split
    chunk = shape.chunk
    unbind = shape.unbind
    narrow = shape.narrow
    repeat = shape.repeat
    flip = shape.flip
    roll = shape.roll
    __getitem__ = shape.getitem
    __setitem__ = shape.setitem

    def view_as(self, other):
        return shape.view(self, other.shape)

    def reshape_as(self, other):
        return shape.reshape(self, other.shape)

    @property
    def T(self):
        return shape.permute(self, *range(self.ndim - 1, -1, -1))

    @property
    def mT(self):
        if self.ndim < 2:
            raise errors.mT_of_vector(self.ndim)
        return shape.transpose(self, -2, -1)

    # ---- in place: the op's result written into self ---------------------------------------
    add_ = __iadd__ = _inplace(elementwise.add)
    sub_ = __isub__ = _inplace(elementwise.sub)
    mul_ = __imul__ = _inplace(elementwise.mul)
    div_ = __itruediv__ = _inplace(elementwise.div)
    pow_ = _inplace(elementwise.pow)
    neg_ = _inplace(elementwise.neg)
    abs_ = _inplace(elementwise.abs)
    exp_ = _inplace(elementwise.exp)
    log_ = _inplace(elementwise.log)
    sqrt_ = _inplace(elementwise.sqrt)
    sin_ = _inplace(elementwise.sin)
    cos_ = _inplace(elementwise.cos)
    tanh_ = _inplace(elementwise.tanh)
    sigmoid_ = _inplace(elementwise.sigmoid)
    relu_ = _inplace(elementwise.relu)
    clamp_ = clip_ = _inplace(elementwise.clamp)
    reciprocal_ = _inplace(elementwise.reciprocal)
    square_ = _inplace(elementwise.square)
    round_ = _inplace(elementwise.round)
    floor_ = _inplace(elementwise.floor)
    ceil_ = _inplace(elementwise.ceil)
    trunc_ = fix_ = _inplace(elementwise.trunc)
    sign_ = _inplace(elementwise.sign)
    uniform_ = uniform_
    normal_ = normal_
    resize_ = resize_
    copy_ = shape.copy_
    fill_ = shape.fill_
    zero_ = shape.zero_

    def t_(self):
        """Transpose in place: self becomes the transposed view of its own storage."""
        shape.t(self)  # the same checks as t()
        self._data = self._data.T
        self._version_counter[0] += 1
        return self

    # ---- new tensors like this one: its dtype, unless dtype= says otherwise -----------------
    new_tensor = factory.new_tensor
    new_zeros = factory.new_zeros
    new_ones = factory.new_ones
    new_full = factory.new_full
    new_empty = factory.new_empty

    # ---- dtype and device ---------------------------------------------------------------------
    def to(self, *args, **kwargs):
        """Cast to a dtype and/or move to a device (only 'cpu' exists)."""
        dtype, dev = kwargs.get("dtype"), kwargs.get("device")
        for a in args:
            if isinstance(a, TensorBase):
                dtype = a.dtype
            elif isinstance(a, (dtypes.dtype, type, np.dtype)):
                dtype = a
            elif a is not None:
                dev = a
        if dev is not None:
            check_device(dev)
        if dtype is None or dtypes.to_np(dtype) == self._data.dtype:
            return self.clone() if kwargs.get("copy") else self
        target = dtypes.to_np(dtype)
        if target.kind != "f":  # integers and bools carry no gradient: outside the graph
            return self._wrap(self._data.astype(target))
        return ToCopy.apply(self, dtype=target)

    def type(self, dtype=None):
        if dtype is None:
            return dtypes.tensor_type_name(self._data.dtype)
        return self.to(dtype)

    def cpu(self):
        return self

    def cuda(self, device=None):
        check_device("cuda")

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

    # ---- autograd -------------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's .grad (autograd/engine.py)."""
        _backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph,
                  inputs=inputs)

    def is_inference(self):
        """Made in inference mode, or a view of such a tensor (views.py, rule 5)."""
        return self._is_inference

    def retain_grad(self):
        """Keep .grad on a non-leaf too (leaves always keep theirs)."""
        if not self._requires_grad:
            raise errors.retain_grad_without_grad()
        if self.grad_fn is not None and not self._retains_grad:
            self._retains_grad = True
            self.grad_fn.retained = self

    def register_hook(self, hook):
        """Call hook(grad) whenever self's gradient is computed; a tensor it returns
        replaces the gradient. Returns a handle whose remove() unregisters it."""
        if not self._requires_grad:
            raise errors.hook_without_grad()
        node = grad_node(self)

        def on_array(grad):  # the engine works on arrays; the user's hook on tensors
            out = hook(self._wrap(grad))
            if out is None:
                return None
            if out._data.shape != grad.shape:
                raise errors.hook_changed_size(hook)
            if out._data.dtype != grad.dtype:
                raise errors.hook_changed_type(hook, grad.dtype, out._data.dtype)
            return out._data
        if not node.hooks:
            node.hooks = OrderedDict()
        handle = RemovableHandle(node.hooks)
        node.hooks[handle.id] = on_array
        return handle


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
