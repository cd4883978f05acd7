"""Hooks' bookkeeping, as torch.utils.hooks keeps it.

RemovableHandle (autograd/hooks.py, shown here where torch.utils.hooks shows it): what every
`register_*_hook` returns; `.remove()` (or leaving a `with` block) takes the hook out of
the dict it was put in.

BackwardHook: how a Module's full backward hooks see the gradients of a call's inputs and
outputs. torch passes the call's input tensors, and later its output tensors, through an
identity op with one node (BackwardHookFunctionBackward) whose autograd hooks collect the
gradients. minitorch's engine knows nodes with one output only, so the identity is built
from several nodes (autograd's Node class, nothing of torch's surface):

    a gate        one node whose edges lead to the tensors' own histories; it is made
                  first, so the engine (newest node first) runs it after all the others
    per tensor    one node (the new tensor's grad_fn, named BackwardHookFunctionBackward)
                  that hands its gradient to the gate and sends the gate a 0-d zero (so
                  the gate is queued)

When the gate runs, it has every gradient that reached the tensors (None where none did),
calls the module's hooks with them, and passes on what the hooks return. The wrapped
tensors share their originals' memory and version counter. `next_functions` of each
per-tensor node shows the gate's edges: the graph reads as torch's.
"""
import warnings

import numpy as np

from .. import errors
from ..autograd.grad_mode import _State
from ..autograd.hooks import RemovableHandle  # noqa: F401  (torch.utils.hooks has it)
from ..autograd.node import NO_INPUT, Node, new_sequence_nr
from ..autograd.views import grad_node
from ..tensor_base import TensorBase


class _Gate(Node):
    """The node behind a set of hooked tensors: its edges lead to the tensors' histories.
    Its backward hands the gradients the tensors received to `on_gradients` and returns
    what that gives back, one per edge."""
    node_name = "BackwardHookFunctionBackward"

    def __init__(self, tensors, on_gradients):
        self.inputs = [(grad_node(t), t._data.shape, t._data.dtype) if t._requires_grad
                       else NO_INPUT for t in tensors]
        self.received = {}
        self.on_gradients = on_gradients
        self.sequence_nr = new_sequence_nr()  # older than the tensors' nodes: runs after them

    @staticmethod
    def backward(ctx, grad):
        received, ctx.received = ctx.received, {}
        return tuple(ctx.on_gradients([received.get(i) for i in range(len(ctx.inputs))]))


class _HookedTensor(Node):
    """One hooked tensor's node: its gradient goes to the gate (which then sends it on)."""
    node_name = "BackwardHookFunctionBackward"

    def __init__(self, gate, index, dtype):
        self.gate, self.index = gate, index
        self.inputs = [(gate, (), dtype)]
        self.sequence_nr = new_sequence_nr()

    @property
    def next_functions(self):
        return self.gate.next_functions  # torch's one node has the gate's edges

    def __repr__(self):  # torch names a Python-defined node with its module
        return f"<minitorch.autograd.function.{self.node_name} object at {hex(id(self))}>"

    @staticmethod
    def backward(ctx, grad):
        ctx.gate.received[ctx.index] = grad
        return np.zeros((), grad.dtype)  # (nothing: it only puts the gate in the queue)


def _hooked(tensors, on_gradients):
    """New tensors sharing `tensors`' memory, whose gradients pass through on_gradients."""
    gate = _Gate(tensors, on_gradients)
    hooked = []
    for i, t in enumerate(tensors):
        if not t._requires_grad:
            hooked.append(t)
            continue
        new = t._wrap(t._data)
        new._version_counter = t._version_counter  # one storage, one counter
        new.grad_fn = _HookedTensor(gate, i, t._data.dtype)
        new._requires_grad = True
        hooked.append(new)
    return hooked


def _checked(value, like):
    """A gradient a hook returned, as an array for `like` (None stays None); a wrong size
    or dtype is torch's error (the hook it names is torch's inner one, 'hook')."""
    if value is None:
        return None
    array = value._data
    if array.shape != like._data.shape:
        raise errors.hook_changed_size("hook")
    if array.dtype != like._data.dtype:
        raise errors.hook_changed_type("hook", like._data.dtype, array.dtype)
    return array


class BackwardHook:
    """One call's backward hooks: set up on the call's inputs (before forward) and its
    outputs (after); the module's hooks run when the gradients reach them."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module, self.user_hooks, self.user_pre_hooks = module, user_hooks, user_pre_hooks
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_tensors_index = self.output_tensors_index = None
        self.inputs = self.outputs = ()

    def _pack_with_none(self, indices, values, size):
        packed = [None] * size
        for i, value in zip(indices, values):
            packed[i] = value
        return tuple(packed)

    def _apply_on_tensors(self, on_gradients, args):
        """args with its tensors hooked (when one requires grad and grad mode is on), and
        the positions of the tensors (None when nothing was hooked)."""
        indices = [i for i, a in enumerate(args) if isinstance(a, TensorBase)]
        tensors = [args[i] for i in indices]
        if not (_State.enabled and any(t._requires_grad for t in tensors)):
            return args, None, ()
        replaced = list(args)
        for i, new in zip(indices, _hooked(tensors, on_gradients)):
            replaced[i] = new
        out = tuple(replaced) if type(args) is tuple else type(args)(*replaced)
        return out, indices, tensors

    def setup_input_hook(self, args):
        args, self.input_tensors_index, self.inputs = self._apply_on_tensors(
            self._input_gradients, args)
        self.n_inputs = len(args)
        return args

    def setup_output_hook(self, result):
        is_tuple = isinstance(result, tuple)
        outputs = result if is_tuple else (result,)
        outputs, self.output_tensors_index, self.outputs = self._apply_on_tensors(
            self._output_gradients, outputs)
        self.n_outputs = len(outputs)
        return outputs if is_tuple else outputs[0]

    def _output_gradients(self, grads):
        """The gradients of the outputs arrived: the pre-hooks may replace them; with no
        input to wait for, the hooks run now."""
        self.grad_outputs = self._pack_with_none(
            self.output_tensors_index,
            [None if g is None else t._wrap(g) for t, g in zip(self.outputs, grads)],
            self.n_outputs)
        expected = len(self.grad_outputs)
        for pre_hook in self.user_pre_hooks:
            replaced = pre_hook(self.module, self.grad_outputs)
            if replaced is None:
                continue
            if len(replaced) != expected:
                raise errors.backward_pre_hook_result_count(len(replaced), expected)
            self.grad_outputs = replaced
        grad_outputs = self.grad_outputs
        if self.input_tensors_index is None:
            if self.user_hooks:
                warnings.warn(
                    "Full backward hook is firing when gradients are computed with respect to "
                    "module outputs since no inputs require gradients. See "
                    "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                    "#torch.nn.Module.register_full_backward_hook for more details.",
                    stacklevel=5)
                grad_inputs = (None,) * self.n_inputs
                for hook in self.user_hooks:
                    result = hook(self.module, grad_inputs, self.grad_outputs)
                    if result is not None and not (isinstance(result, tuple)
                                                   and all(r is None for r in result)):
                        raise errors.backward_hook_without_input_grad()
            self.grad_outputs = None
        return [_checked(grad_outputs[i], t)
                for i, t in zip(self.output_tensors_index, self.outputs)]

    def _input_gradients(self, grads):
        """The gradients of the inputs arrived: the hooks see them (zeros for an input
        tensor no gradient reached, as torch's node fills them in) and may replace them."""
        if self.grad_outputs is None:  # (reached without passing through the outputs)
            return grads
        grad_inputs = self._pack_with_none(
            self.input_tensors_index,
            [t._wrap(np.zeros(t._data.shape, t._data.dtype) if g is None else g)
             for t, g in zip(self.inputs, grads)],
            self.n_inputs)
        for hook in self.user_hooks:
            replaced = hook(self.module, grad_inputs, self.grad_outputs)
            if replaced is None:
                continue
            if len(replaced) != len(grad_inputs):
                raise errors.backward_hook_result_count(len(replaced), len(grad_inputs))
            grad_inputs = replaced
        self.grad_outputs = None
        return [_checked(grad_inputs[i], t)
                for i, t in zip(self.input_tensors_index, self.inputs)]
