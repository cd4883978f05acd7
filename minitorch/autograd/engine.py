"""The backward engine: run each node's backward once, newest node first.

Every node gets a sequence number when it is made (`Function._link`). A node is only
ever an input of nodes made after it, so running the waiting nodes in decreasing
sequence order (a heap) means every gradient a node will receive has arrived before it
runs: no recursion and no pass to count edges first, so graphs of 100,000 nodes are
fine. Gradients arriving along several edges are summed. Leaves (AccumulateGrad nodes)
go last: their summed gradient is added into `.grad`.
"""
import heapq

import numpy as np

from . import function
from .function import AccumulateGrad, unbroadcast
from .grad_mode import _State


def run_backward(roots, retain_graph=False, capture=None, retained=True):
    """Backpropagate from `roots`, a list of (node, gradient array) pairs.

    Leaves' `.grad` accumulate, unless `capture` (a dict node -> None) is given: then the
    gradients reaching those nodes are stored in it and no leaf's `.grad` is touched.
    `retained`: whether retain_grad() tensors get their `.grad` (not in autograd.grad).
    """
    grads = {}  # node -> the sum of the gradients that reached it so far
    waiting = []  # heap of (-sequence number, node): the newest node pops first
    for node, g in roots:
        _deliver(node, g, grads, waiting)
    while waiting:
        _, node = heapq.heappop(waiting)
        g = grads.pop(node)
        if capture is not None and node in capture:
            capture[node] = g
        if node.hooks:
            g = _run_hooks(node.hooks, g)
        if retained and node.retained is not None:
            _accumulate(node.retained, g)
        if node.saved is None:
            node._check_saved()
        for vc, version, _, _ in node._watch:
            if vc[0] != version:
                node._check_saved()
        in_grads = node.backward(node, g)
        if type(in_grads) is not tuple:
            in_grads = (in_grads,)
        if _State.anomaly:
            _check_nan(node, in_grads)
        if not retain_graph and node.saved:
            node.saved = None
        for (nxt, shape, dtype), gi in zip(node.inputs, in_grads):
            if nxt is not None and gi is not None:
                if gi.shape != shape:
                    gi = unbroadcast(gi, shape)
                if gi.dtype is not dtype and gi.dtype != dtype:
                    gi = gi.astype(dtype)
                _deliver(nxt, gi, grads, waiting)
    for leaf, g in grads.items():  # only AccumulateGrad nodes are left
        if capture is not None:
            if leaf in capture:
                capture[leaf] = g
            continue
        if leaf.hooks:
            g = _run_hooks(leaf.hooks, g)
        _accumulate(leaf.variable, g)


def _deliver(node, g, grads, waiting):
    """Add g to what node has received; a node's first gradient puts it in the queue."""
    if node in grads:
        grads[node] = grads[node] + g
    else:
        grads[node] = g
        if type(node) is not AccumulateGrad:
            heapq.heappush(waiting, (-node._seq, node))


def _run_hooks(hooks, g):
    """Each hook sees the gradient; one that returns a tensor replaces it."""
    for hook in hooks:
        out = hook(function.Tensor._make(g))
        if out is not None:
            g = out._data
    return g


def _check_nan(node, grads):
    for i, g in enumerate(grads):
        if g is not None and np.isnan(g).any():
            raise RuntimeError(f"Function '{node.node_name}' returned nan values in its {i}th output.")


def _accumulate(t, g):
    """Add g into t.grad (a fresh array the first time: g may be shared with other edges)."""
    if t._grad is None:  # a fresh array laid out like the leaf (as torch's grads are)
        grad = np.empty_like(t._data)
        grad[...] = g
        t._grad = function.Tensor._make(grad)
    else:
        t._grad._data += g
