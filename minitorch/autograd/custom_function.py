"""minitorch.autograd.Function: an op a user writes, on tensors, as for torch.

    class Exp(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y

minitorch's own ops (autograd/function.py) speak numpy arrays; a user's speaks tensors.
This class adapts one to the other, explicitly: its `apply` runs the user's forward on
tensors (outside the graph, as torch does) and links the node, with one edge per tensor
operand (torch's next_functions); the engine calls the node's `backward` with an array,
which hands the user's backward a tensor, and checks what it returns as torch does: one
gradient (or None) per forward argument, a tensor or None, None for an argument that was
not a tensor.
"""
import numpy as np

from .. import errors
from ..tensor_base import TensorBase
from . import function
from .grad_mode import _State, no_grad


class Function(function.Function):
    """torch.autograd.Function: subclass it with forward(ctx, ...) and backward(ctx, grad)
    written on tensors, and call `YourOp.apply(...)`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.node_name = cls.__name__ + "Backward"
        user_backward = cls.__dict__["backward"]
        cls.backward_on_tensors = staticmethod(getattr(user_backward, "__func__", user_backward))
        cls.backward = staticmethod(_backward_on_arrays)

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls()
        ctx.needs_input_grad = tuple(
            isinstance(a, TensorBase) and a._requires_grad for a in args) if _State.enabled else ()
        first = next(a for a in args if isinstance(a, TensorBase))
        ctx.wrap = first._wrap
        with no_grad():  # the user's forward is one node, not a graph of its own
            out = cls.forward(ctx, *[a.detach() if isinstance(a, TensorBase) else a
                                     for a in args], **kwargs)
        result = first._wrap(out._data if isinstance(out, TensorBase) else np.asarray(out))
        if True in ctx.needs_input_grad:
            ctx.tensor_arguments = tuple(isinstance(a, TensorBase) for a in args)
            ctx._link([a for a in args if isinstance(a, TensorBase)], result)
        return result

    @property
    def saved_tensors(self):
        """What forward saved (tensors), as torch's ctx.saved_tensors."""
        self.check_saved()
        return self.saved


def _backward_on_arrays(ctx, grad):
    """The engine's call (an array in, arrays out) turned into the user's (tensors)."""
    with no_grad():
        grads = ctx.backward_on_tensors(ctx, ctx.wrap(grad))
    grads = grads if isinstance(grads, tuple) else (grads,)
    return tuple(g._data if g is not None else None for g in _gradients_of_tensors(ctx, grads))


def _gradients_of_tensors(ctx, grads):
    """What the user's backward returned (one per forward argument), checked as torch's
    PyNode checks it, kept for the tensor arguments only (the node's edges). Extra
    trailing Nones are allowed."""
    expected = len(ctx.tensor_arguments)
    if len(grads) > expected and all(g is None for g in grads[expected:]):
        grads = grads[:expected]
    if len(grads) != expected:
        raise errors.wrong_number_of_gradients_returned(ctx.name(), expected, len(grads))
    kept = []
    for position, (g, is_tensor) in enumerate(zip(grads, ctx.tensor_arguments), start=1):
        if not is_tensor:
            if g is not None:
                raise errors.gradient_for_non_tensor_input(ctx.name(), position)
            continue
        if g is not None and not isinstance(g, TensorBase):
            raise errors.gradient_not_a_tensor(g)
        kept.append(g)
    return kept

