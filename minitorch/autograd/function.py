"""Function: one differentiable op, its forward and backward side by side.

A subclass defines
    forward(ctx, *inputs)   numpy arrays (and plain values) in, one numpy array out
    backward(ctx, grad)     the gradient of the output in, one gradient per input out
and is called as `Op.apply(*tensors_or_values)`. The `ctx` *is* the graph node: the
object a tensor's `.grad_fn` points at, named as torch names it (`node_name`).

minitorch's own ops work on numpy arrays (fast, and plain to read). A Function a user
writes outside minitorch is written as for torch, on tensors; `__init_subclass__` wraps
its forward and backward so that the rest of the machinery sees arrays all the same.

`apply` does the bookkeeping every op shares, so each op stays a few lines: it unwraps
tensors, runs forward, and, when a gradient is needed, records for each input its node,
shape and dtype (`inputs`; `next_functions` shows the nodes in torch's form). The engine
then sums broadcast gradients back to each input's shape and casts them to its dtype.
"""
import itertools
import re

import numpy as np

from ..dtypes import tensor_type_name
from .grad_mode import _State, no_grad

Tensor = None  # set by minitorch.tensor once the class exists (it imports this module)
_sequence = itertools.count()  # nodes are numbered as they are made: the engine's order
OUTPUT = "output"  # marks a saved array that is the node's own result
_NO_INPUT = (None, None, None)


class Function:
    node_name = "Function"
    inputs = ()  # (node, shape, dtype) per operand; (None, None, None) where no grad flows
    saved = ()
    retained = None  # a non-leaf tensor whose .grad is kept (retain_grad)
    hooks = ()  # register_hook: called with the gradient of this node's output
    needs_input_grad = ()  # per operand: does it want a gradient (set by apply)
    # (version counter, version, array, owner) for each saved array of a tensor: the
    # counter must still read `version` at backward. `owner` is the input tensor, or
    # OUTPUT for this node's own result (not the tensor itself: that would make a
    # reference cycle, and the graph would wait for the garbage collector to be freed).
    _watch = ()

    def __init_subclass__(cls, **kwargs):
        """A Function written outside minitorch is a user's, written as torch's are: its
        forward and backward take and return tensors. Wrap them to speak arrays."""
        super().__init_subclass__(**kwargs)
        if not cls.__module__.startswith("minitorch."):
            cls.node_name = cls.__name__ + "Backward"
            cls.forward = staticmethod(_tensor_forward(cls.__dict__["forward"]))
            cls.backward = staticmethod(_tensor_backward(cls.__dict__["backward"]))

    @property
    def saved_tensors(self):
        """What a user's forward saved (tensors), as torch's ctx.saved_tensors."""
        self._check_saved()
        return self.saved

    # ---- what ops call on ctx -----------------------------------------------------------
    def save_for_backward(self, *arrays):
        """Keep arrays for backward; an in-place change to them before backward is an error.
        (`ctx.needs_input_grad[i]` says whether operand i wants a gradient at all.)"""
        self.saved = arrays

    def name(self):
        return self.node_name

    @property
    def next_functions(self):
        return tuple((node, 0) for node, _, _ in self.inputs)

    def __repr__(self):
        return f"<{self.node_name} object at {hex(id(self))}>"

    # ---- the shared bookkeeping -----------------------------------------------------------
    is_view = False  # True for ops whose output shares the input's memory (view, slicing...)

    @classmethod
    def apply(cls, *args, **options):
        """Run the op on tensors: positional args are operands, keywords are options."""
        ctx = cls()
        # which operands want a gradient: forward saves only what their gradients need
        ctx.needs_input_grad = needs = [
            isinstance(a, Tensor) and a._requires_grad for a in args] if _State.enabled else ()
        arrays = [a._data if isinstance(a, Tensor) else a for a in args]
        try:
            out = cls.forward(ctx, *arrays, **options)
        except ValueError as e:
            if "broadcast" in str(e):
                raise_broadcast_error(*[np.shape(a) for a in arrays[:2]])
            raise
        extra = ()
        if type(out) is tuple:  # (differentiable output, non-differentiable extras...)
            out, *extra = out
        result = Tensor._make(out)
        if ctx.is_view:
            result._become_view_of(args[0], lambda arr: cls.forward(cls(), arr, **options))
        if True in needs:
            ctx._link(args, result)
        if extra:
            return (result, *(Tensor._make(e) for e in extra))
        return result

    def _link(self, args, result):
        """Make this node result's grad_fn: each input's node (torch's order), shape and
        dtype, and the versions that arrays saved for backward must keep."""
        saved = self.saved
        inputs, watch = [], []
        for a in args:
            if not isinstance(a, Tensor):
                inputs.append(_NO_INPUT)
                continue
            data = a._data
            if a._requires_grad:
                inputs.append((a._grad_node() if a._base is not None or a.grad_fn is None
                               else a.grad_fn, data.shape, data.dtype))
            else:
                inputs.append(_NO_INPUT)
            for arr in saved:  # (a user's Function saves tensors, not arrays)
                if arr is data or (type(arr) is Tensor and arr._data is data):
                    watch.append((a._vc, a._vc[0], data, a))
                    break
        for arr in saved:
            if arr is result._data:
                watch.append((result._vc, result._vc[0], arr, OUTPUT))
                break
        self.inputs = inputs
        self._seq = next(_sequence)
        if watch:
            self._watch = watch
        result.grad_fn = self
        result._requires_grad = True

    def _check_saved(self):
        if self.saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.")
        for vc, version, arr, owner in self._watch:
            if vc[0] != version:
                producer = self if owner is OUTPUT else owner.grad_fn
                out_of = (f", which is output 0 of {re.sub('Backward[0-9]+$', '', producer.name())},"
                          if producer is not None else "")
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: [{tensor_type_name(arr.dtype)} {list(arr.shape)}]{out_of} is "
                    f"at version {vc[0]}; expected version {version} instead. Hint: enable anomaly "
                    "detection to find the operation that failed to compute its gradient, with "
                    "minitorch.autograd.set_detect_anomaly(True, check_nan=False).")


class AccumulateGrad:
    """The node of a leaf tensor: adds the gradient that reaches it into `variable.grad`."""

    node_name = "AccumulateGrad"
    next_functions = inputs = ()
    hooks = ()

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"  # torch's own name for this C++ node

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"


def _tensor_forward(forward):
    """A user's forward on tensors (outside the graph), seen from apply as arrays in, array out."""
    forward = forward.__func__ if isinstance(forward, staticmethod) else forward

    def on_arrays(ctx, *arrays, **options):
        with no_grad():
            out = forward(ctx, *[Tensor._make(a) if isinstance(a, np.ndarray) else a
                                 for a in arrays], **options)
        return out._data if isinstance(out, Tensor) else np.asarray(out)
    return on_arrays


def _tensor_backward(backward):
    """A user's backward on tensors, seen from the engine as array in, arrays out."""
    backward = backward.__func__ if isinstance(backward, staticmethod) else backward

    def on_arrays(ctx, grad):
        with no_grad():
            grads = backward(ctx, Tensor._make(grad))
        grads = grads if isinstance(grads, tuple) else (grads,)
        return tuple(g._data if isinstance(g, Tensor) else g for g in grads)
    return on_arrays


def raise_broadcast_error(a, b):
    """Raise torch's error for two shapes that do not broadcast together."""
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            raise RuntimeError(f"The size of tensor a ({a[-i]}) must match the size of tensor b "
                               f"({b[-i]}) at non-singleton dimension {max(len(a), len(b)) - i}")
    raise RuntimeError(f"shapes {list(a)} and {list(b)} cannot be broadcast together")


def unbroadcast(grad, shape):
    """Sum a broadcast gradient back down to `shape` (the reverse of broadcasting)."""
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, n in enumerate(shape) if n == 1 and grad.shape[i + extra] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape) if extra else grad
