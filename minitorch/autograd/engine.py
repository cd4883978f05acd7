"""The backward engine: walk the graph from the outputs, calling each node's backward once.

Nodes run in a topological order found without recursion (a graph of 100,000 nodes is
fine): first count how many edges reach each node, then run a node once all of them have
delivered their gradient. Gradients arriving along several edges are summed.
"""
import numpy as np

from .function import AccumulateGrad, unbroadcast
from .grad_mode import _State


def run_backward(roots, retain_graph=False, capture=None):
    """Backpropagate from `roots`, a list of (node, gradient array) pairs.

    Leaves' `.grad` accumulate, unless `capture` (a dict node -> None) is given: then the
    gradients reaching those nodes are stored in it and no `.grad` is touched.
    """
    # 1. count the edges into each node reachable from the roots
    grads = {}
    for node, g in roots:
        grads[node] = grads[node] + g if node in grads else g
    deps = {}
    stack = list(grads)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
                if nxt not in grads:  # roots are expanded already
                    stack.append(nxt)
    # 2. run each node once all its edges have delivered
    ready = [node for node in grads if node not in deps]
    while ready:
        node = ready.pop()
        g = grads.pop(node, None)
        if capture is not None and node in capture:
            capture[node] = g
        if type(node) is AccumulateGrad:
            if g is not None and capture is None:
                _accumulate(node.variable, g)
            continue
        if g is None:  # nothing reached this node: its inputs get nothing from it
            in_grads = (None,) * len(node.next_functions)
        else:
            if node.retained is not None and capture is None:
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
        for (nxt, _), gi, meta in zip(node.next_functions, in_grads, node._meta):
            if nxt is None:
                continue
            if gi is not None:
                shape, dtype = meta
                if gi.shape != shape:
                    gi = unbroadcast(gi, shape)
                if gi.dtype is not dtype and gi.dtype != dtype:
                    gi = gi.astype(dtype)
                grads[nxt] = grads[nxt] + gi if nxt in grads else gi
            n = deps[nxt] - 1
            deps[nxt] = n
            if n == 0:
                ready.append(nxt)


def _check_nan(node, grads):
    for i, g in enumerate(grads):
        if g is not None and np.isnan(g).any():
            raise RuntimeError(f"Function '{node.node_name}' returned nan values in its {i}th output.")


def _accumulate(t, g):
    """Add g into t.grad (a fresh array the first time: g may be shared with other edges)."""
    from ..tensor import Tensor
    if t.grad is None:
        t.grad = Tensor._make(np.array(g, dtype=t._data.dtype, copy=True))
    else:
        t.grad._data += g
