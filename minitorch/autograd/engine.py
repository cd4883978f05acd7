"""The backward engine: run each node's backward once, newest node first.

Every node gets a sequence number when it is made. A node is only ever an input of nodes
made after it, so running the waiting nodes in decreasing sequence order (a heap) means
every gradient a node will receive has arrived before it runs: no recursion and no pass
to count edges first, so graphs of 100,000 nodes are fine. Gradients arriving along
several edges are summed. Leaves (AccumulateGrad nodes) go last: their summed gradient
is added into `.grad`.

The loop is `run_backward`; everything else a torch user can ask for (hooks, retain_grad,
anomaly detection, the saved-tensor checks, the check of each gradient a node returns) is
a named step it calls.
"""
import heapq
import threading

import numpy as np

from .. import errors
from .grad_mode import _State
from .node import AccumulateGrad, unbroadcast


def run_backward(roots, retain_graph=False, capture=None, retained=True):
    """Backpropagate from `roots`, a list of (node, gradient array) pairs.

    Leaves' `.grad` accumulate, unless `capture` (a dict node -> None) is given: then the
    gradients reaching those nodes are stored in it and no leaf's `.grad` is touched.
    `retained`: whether retain_grad() tensors get their `.grad` (not in autograd.grad).
    """
    grads = {}    # node -> the sum of the gradients that reached it so far
    waiting = []  # heap of (-sequence number, node): the newest node pops first
    for node, grad in roots:
        deliver(node, grad, grads, waiting)
    while waiting:
        _, node = heapq.heappop(waiting)
        grad = before_backward(node, grads.pop(node), capture, retained)
        input_grads = node.backward(node, grad)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        if _State.anomaly:
            check_nan(node, input_grads)
        if not retain_graph and node.saved:
            node.saved = None  # free what forward kept: a second backward is an error
        for index, ((input_node, shape, dtype), input_grad) in enumerate(
                zip(node.inputs, input_grads)):
            if input_node is not None and input_grad is not None:
                deliver(input_node, fit(input_grad, shape, dtype, node, index), grads, waiting)
    for leaf, grad in grads.items():  # only AccumulateGrad nodes are left
        if capture is not None:
            if leaf in capture:
                capture[leaf] = grad
        else:
            accumulate(leaf.variable, run_hooks(leaf.hooks, grad))


def deliver(node, grad, grads, waiting):
    """Add grad to what node has received; a node's first gradient puts it in the queue."""
    if node in grads:
        grads[node] = grads[node] + grad
    else:
        grads[node] = grad
        if type(node) is not AccumulateGrad:
            heapq.heappush(waiting, (-node.sequence_nr, node))


def before_backward(node, grad, capture, retained):
    """What happens to a node's summed gradient before its backward runs: captured for
    autograd.grad, passed through register_hook's hooks, kept as a retain_grad() tensor's
    .grad; and the node's saved arrays checked (freed graph, in-place changes)."""
    if capture is not None and node in capture:
        capture[node] = grad
    if node.hooks:
        grad = run_hooks(node.hooks, grad)
    if retained and node.retained is not None:
        accumulate(node.retained, grad)
    if node.saved is None or node.saved_versions:
        node.check_saved()
    return grad


def fit(grad, shape, dtype, node, index):
    """The gradient `node` returned for its input `index`, made one for that input's shape
    and dtype, as torch's engine checks every node's outputs (validate_outputs): a gradient
    of a shape the input's shape expands to is summed back down to it (an operand that was
    broadcast); any other shape is the node's error; the dtype is cast."""
    if grad.shape != shape:
        if not is_expandable_to(shape, grad.shape):
            raise errors.invalid_gradient_shape(node.name(), index, grad.shape, shape)
        grad = unbroadcast(grad, shape)
    if grad.dtype is not dtype and grad.dtype != dtype:
        grad = grad.astype(dtype)
    return grad


def is_expandable_to(shape, desired):
    """Does `shape` broadcast to `desired` (torch's is_expandable_to): no more dims, and each
    of its trailing dims equal to desired's or 1."""
    if len(shape) > len(desired):
        return False
    for size, target in zip(reversed(shape), reversed(desired)):
        if size != target and size != 1:
            return False
    return True


def run_hooks(hooks, grad):
    """Each hook sees the gradient; one that returns an array replaces it (Tensor's
    register_hook turns a user's tensor hook into such a function)."""
    for hook in hooks.values():
        out = hook(grad)
        if out is not None:
            grad = out
    return grad


def check_nan(node, grads):
    """Anomaly mode: a node that returns nan gradients is named at once."""
    for i, grad in enumerate(grads):
        if grad is not None and np.isnan(grad).any():
            raise errors.nan_in_gradient(node.node_name, i)


_accumulating = threading.Lock()


def accumulate(t, grad):
    """Add grad into t.grad (a fresh array the first time: grad may be shared with other
    edges, and torch lays a leaf's gradient out like the leaf).

    Backward passes may run in several threads into one shared leaf (as torch allows):
    the read-add-write of .grad holds a lock, or two threads' gradients could become one."""
    with _accumulating:
        if t._grad is None:
            array = np.empty_like(t._data)
            array[...] = grad
            t._grad = t._wrap(array)
        else:
            t._grad._data += grad
