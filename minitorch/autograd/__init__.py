"""minitorch.autograd: backward, grad, Function and the grad-mode switches.

Reading order: node.py (what a graph node holds), function.py (how an op records one),
engine.py (how backward walks them), views.py (in-place writes and shared memory),
custom_function.py (a user's own op), grad_mode.py (no_grad and friends).
"""
import numpy as np

from .. import errors
from ..tensor_base import Size, TensorBase
from .custom_function import Function
from .engine import accumulate, run_backward
from .grad_mode import (detect_anomaly, enable_grad, is_grad_enabled, no_grad,
                        set_detect_anomaly, set_grad_enabled)
from .views import grad_node

__all__ = ["backward", "grad", "Function", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "set_detect_anomaly", "detect_anomaly"]


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into every leaf's .grad (or only into `inputs`')."""
    _no_create_graph(create_graph)
    roots = _roots(tensors, grad_tensors, "backward")
    if inputs is None:
        run_backward(roots, retain_graph=bool(retain_graph))
        return
    inputs = (inputs,) if isinstance(inputs, TensorBase) else tuple(inputs)
    nodes = [grad_node(t) for t in inputs]
    capture = dict.fromkeys(nodes)
    run_backward(roots, retain_graph=bool(retain_graph), capture=capture)
    for t, node in zip(inputs, nodes):
        if capture[node] is not None:
            accumulate(t, capture[node])


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """Return d(outputs)/d(inputs) as a tuple, without touching any .grad."""
    _no_create_graph(create_graph)
    inputs = (inputs,) if isinstance(inputs, TensorBase) else tuple(inputs)
    for t in inputs:
        if not t._requires_grad:
            raise errors.input_without_grad()
    nodes = [grad_node(t) for t in inputs]
    capture = dict.fromkeys(nodes)
    run_backward(_roots(outputs, grad_outputs, "grad"), retain_graph=bool(retain_graph),
                 capture=capture, retained=False)
    result = []
    for i, (t, node) in enumerate(zip(inputs, nodes)):
        g = capture[node]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise errors.input_not_in_graph(i)
            result.append(t._wrap(np.zeros_like(t._data)) if materialize_grads else None)
        else:
            result.append(t._wrap(np.array(g, dtype=t._data.dtype)))
    return tuple(result)


def _roots(outputs, grad_outputs, who):
    """Pair each output's node with its upstream gradient (implicit 1 for scalars)."""
    if isinstance(outputs, TensorBase):
        outputs = (outputs,)
    if grad_outputs is None or isinstance(grad_outputs, TensorBase):
        grad_outputs = (grad_outputs,) * len(outputs) if grad_outputs is None else (grad_outputs,)
    if len(grad_outputs) != len(outputs):
        raise errors.wrong_number_of_gradients(who, len(grad_outputs), len(outputs))
    roots = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise errors.output_without_grad(i)
        if g is None:
            if out.numel() != 1:
                raise errors.implicit_grad_of_non_scalar()
            g = np.ones(out.shape, dtype=out._data.dtype)
        else:
            g = g._data if isinstance(g, TensorBase) else np.asarray(g, dtype=out._data.dtype)
            if g.shape != out._data.shape:
                raise errors.gradient_shape_mismatch(i, Size(g.shape), out.shape)
        roots.append((grad_node(out), g))
    return roots


def _no_create_graph(create_graph):
    if create_graph:
        raise errors.create_graph_not_supported()
