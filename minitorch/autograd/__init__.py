"""minitorch.autograd: backward, grad, Function and the grad-mode switches."""
import numpy as np

from .engine import _accumulate, run_backward
from .function import Function
from .grad_mode import (detect_anomaly, enable_grad, is_grad_enabled, no_grad,
                        set_detect_anomaly, set_grad_enabled)

__all__ = ["backward", "grad", "Function", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "set_detect_anomaly", "detect_anomaly"]


def _roots(outputs, grad_outputs, who):
    """Pair each output's node with its upstream gradient (implicit 1 for scalars)."""
    from ..tensor import Size, Tensor
    if isinstance(outputs, Tensor):
        outputs = (outputs,)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,) * len(outputs) if grad_outputs is None else (grad_outputs,)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"{who}: got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    roots = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = np.ones(out.shape, dtype=out._data.dtype)
        else:
            g = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=out._data.dtype)
            if g.shape != out._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g.shape)!r} "
                    f"and output[{i}] has a shape of {out.shape!r}.")
        roots.append((out._grad_node(), g))
    return roots


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into every leaf's .grad (or only into `inputs`')."""
    _no_create_graph(create_graph)
    roots = _roots(tensors, grad_tensors, "backward")
    if inputs is None:
        run_backward(roots, retain_graph=bool(retain_graph))
        return
    from ..tensor import Tensor
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    nodes = [t._grad_node() for t in inputs]
    capture = dict.fromkeys(nodes)
    run_backward(roots, retain_graph=bool(retain_graph), capture=capture)
    for t, node in zip(inputs, nodes):
        if capture[node] is not None:
            _accumulate(t, capture[node])


def _no_create_graph(create_graph):
    if create_graph:
        raise NotImplementedError("minitorch computes gradients with numpy, outside the graph: "
                                  "create_graph=True (higher-order gradients) is not supported")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """Return d(outputs)/d(inputs) as a tuple, without touching any .grad."""
    _no_create_graph(create_graph)
    from ..tensor import Tensor
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    nodes = [t._grad_node() for t in inputs]
    capture = dict.fromkeys(nodes)
    run_backward(_roots(outputs, grad_outputs, "grad"), retain_graph=bool(retain_graph),
                 capture=capture, retained=False)
    result = []
    for i, (t, node) in enumerate(zip(inputs, nodes)):
        g = capture[node]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
            result.append(Tensor._make(np.zeros_like(t._data)) if materialize_grads else None)
        else:
            result.append(Tensor._make(np.array(g, dtype=t._data.dtype)))
    return tuple(result)
