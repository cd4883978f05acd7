"""Node: one step of the recorded graph, the object a tensor's `.grad_fn` points at.

A node remembers what backward needs and nothing else:

    inputs            per operand of the op: (the operand's node, its shape, its dtype),
                      or (None, None, None) where no gradient flows; torch shows the nodes
                      as `next_functions`, in the op's operand order
    saved             the arrays the op kept for its backward (freed after backward)
    saved_versions    for each saved array that is a tensor's storage: (the tensor's
                      version counter, its version when saved, the array, whose it is);
                      the counter must still read that version when backward runs
    sequence_nr       a number from a counter: nodes are numbered as they are made, and
                      the engine runs the newest first
    hooks, retained   register_hook's functions, and a non-leaf whose .grad is kept

Leaves end the graph with an AccumulateGrad node, which adds what reaches it into the
leaf's `.grad`. The node classes of the ops (autograd/function.py) and of in-place writes
(autograd/views.py) build on Node.
"""
import itertools
import re
from types import MappingProxyType

from .. import errors
from ..dtypes import tensor_type_name

new_sequence_nr = itertools.count().__next__
OUTPUT = "output"  # in saved_versions: the saved array is the node's own result
NO_INPUT = (None, None, None)


class Node:
    node_name = "Node"      # torch's name for this node, e.g. "MulBackward0"
    inputs = ()
    saved = ()
    saved_versions = ()
    retained = None
    hooks = MappingProxyType({})  # register_hook's, by handle id (a node's own dict once set)
    untracked_operands = 0  # operands torch's node lists that no gradient flows to here
                            # (dropout's mask): shown as (None, 0) in next_functions

    def name(self):
        return self.node_name

    @property
    def next_functions(self):
        return (tuple((node, 0) for node, _, _ in self.inputs)
                + ((None, 0),) * self.untracked_operands)

    def __repr__(self):
        return f"<{self.node_name} object at {hex(id(self))}>"

    def save_for_backward(self, *arrays):
        """Keep arrays for backward; an in-place change to them before backward is an error."""
        self.saved = arrays

    def check_saved(self):
        """Before backward: the saved arrays are still there and still hold the values
        they held when saved (no in-place write has bumped their tensor's version)."""
        if self.saved is None:
            raise errors.backward_through_freed_graph()
        for counter, version, array, owner in self.saved_versions:
            if counter[0] != version:
                producer = self if owner is OUTPUT else owner.grad_fn
                raise errors.saved_tensor_modified(
                    tensor_type_name(array.dtype), array.shape,
                    None if producer is None else re.sub("Backward[0-9]+$", "", producer.name()),
                    counter[0], version)


class AccumulateGrad(Node):
    """The node of a leaf tensor: adds the gradient that reaches it into `variable.grad`."""

    node_name = "AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"  # torch's own name for this C++ node


def unbroadcast(grad, shape):
    """Sum a broadcast gradient back down to `shape` (the reverse of broadcasting): an
    operand that was broadcast was used many times, so its gradient is the sum."""
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, n in enumerate(shape) if n == 1 and grad.shape[i + extra] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape) if extra else grad
