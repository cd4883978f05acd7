"""Function: one differentiable op, its forward and backward side by side.

A subclass defines

    forward(ctx, *arrays, **options)   numpy arrays (and plain values) in, one array out
                                       (or a tuple: the output, then non-differentiable
                                       extras such as max's indices)
    backward(ctx, grad)                the output's gradient in, one gradient per operand
                                       out (None where an operand needs none)

and is called as `Op.apply(*operands, **options)`: positional operands may be tensors,
keywords are plain options. The `ctx` both methods receive *is* the graph node: the
object the output's `.grad_fn` points at, named as torch names it (`node_name`).

`apply` does the bookkeeping every op shares, so each op stays a few lines: it unwraps
tensors, tells forward which operands want a gradient (`ctx.needs_input_grad`, so forward
saves only what those gradients need), runs forward, wraps the result, and, when a
gradient is needed, links the node into the graph. Backward may return a gradient of the
output's (broadcast) shape: the engine sums it back to each operand's shape and dtype.

Autograd sees tensors only through a small interface (TensorBase's state: `_data`,
`_requires_grad`, `grad_fn`, `_version_counter`, `_base`, `_wrap`), never the Tensor class.
"""
import numpy as np

from .. import errors
from ..tensor_base import TensorBase
from .grad_mode import _State
from .node import NO_INPUT, OUTPUT, Node, new_sequence_nr
from .views import become_view_of, grad_node, only_inference_operands


class Function(Node):
    node_name = "Function"
    needs_input_grad = ()  # per operand: does it want a gradient (set by apply)
    is_view = False        # True for ops whose output shares the input's memory (views.py)

    @classmethod
    def apply(cls, *args, **options):
        ctx = cls()
        tracking = _State.enabled
        needs, arrays, first = [], [], None   # (one loop: two comprehensions took twice as long)
        for a in args:
            if isinstance(a, TensorBase):
                arrays.append(a._data)
                needs.append(tracking and a._requires_grad)
                first = a if first is None else first
            else:
                arrays.append(a)
                needs.append(False)
        ctx.needs_input_grad = needs if tracking else ()
        try:
            out = cls.forward(ctx, *arrays, **options)
        except ValueError as e:  # numpy's words for operands that do not broadcast: torch's
            if "broadcast" in str(e):
                raise errors.broadcast_mismatch(*[np.shape(a) for a in arrays[:2]]) from None
            raise
        extra = ()
        if type(out) is tuple:  # (differentiable output, non-differentiable extras...)
            out, *extra = out
        result = first._result_class._make(out)  # (first._wrap(out), one call fewer)
        if cls.is_view:
            become_view_of(result, first, lambda array: cls.forward(cls(), array, **options))
        if True in needs and not (first._is_inference and only_inference_operands(args)):
            ctx._link(args, result)
        if extra:
            return (result, *(first._result_class._make(e) for e in extra))
        return result

    def _link(self, args, result):
        """Make this node result's grad_fn: record each operand's node (torch's order),
        shape and dtype, and the versions of the tensors whose arrays forward saved (an
        inference tensor cannot be saved)."""
        saved = self.saved
        inputs, saved_versions = [], []
        for a in args:
            if not isinstance(a, TensorBase):
                inputs.append(NO_INPUT)
                continue
            data = a._data
            if a._requires_grad:
                node = a.grad_fn if a._base is None and a.grad_fn is not None else grad_node(a)
                inputs.append((node, data.shape, data.dtype))
            else:
                inputs.append(NO_INPUT)
            for array in saved:  # (a user's Function saves tensors, not arrays)
                if array is data or (isinstance(array, TensorBase) and array._data is data):
                    if a._is_inference:  # views.py, rule 5 (views.saved_version, inlined)
                        raise errors.inference_tensor_saved_for_backward()
                    saved_versions.append((a._version_counter, a._version_counter[0], data, a))
                    break
        for array in saved:
            if array is result._data:
                saved_versions.append((result._version_counter, result._version_counter[0],
                                       array, OUTPUT))
                break
        self.inputs = inputs
        self.sequence_nr = new_sequence_nr()
        if saved_versions:
            self.saved_versions = saved_versions
        result.grad_fn = self
        result._requires_grad = True
