"""Views, in-place writes and version counters: how autograd stays right when memory is shared.

Autograd would be simple if every op made a new array. torch also lets a user write into
a tensor (`x.add_(1)`, `x[0] = 5`, `w.zero_()`) and look at one storage through many
tensors (`x.view(...)`, `x[1:]`, `x.T`). Five rules, all torch's, keep gradients right:

1. **Version counters.** Every storage has one counter, shared by all the tensors that
   view it (`TensorBase._version_counter`). Every in-place write bumps it. When an op
   saves a tensor's array for backward it notes the version (`Node.saved_versions`);
   backward refuses to use an array whose version moved (`Node.check_saved`): the values
   it needs are gone.

2. **An in-place op is the out-of-place op, written back.** `x.exp_()` runs `exp` on a
   private copy of x's old values (so what exp saves stays valid), writes the result into
   x's storage, and x's history becomes exp's node (`apply_inplace`). A leaf that requires
   grad may not be written to: its old value is what .grad is about.

3. **Writing through a view rewrites its base's history.** When `x = base[1:]` is written
   to, base's values changed too. base's new node, CopySlices, says: the gradient of base
   is the old base's gradient, except in the view's region, where it flows through the
   in-place op's backward first.

4. **Stale views are regenerated.** After such a write, any other view of base still has
   its old grad_fn, which no longer says where its values come from. A view therefore
   remembers the version its history was made at; when the counter has moved, its
   history is made again from the base (`refresh_view`: an AsStridedBackward0 node, as
   in torch). Autograd asks for a tensor's node through `grad_node`, which does this.

5. **Inference tensors track no versions.** A tensor made in inference mode, and every
   view of one, is an inference tensor (`is_inference()`): inference mode promises that
   no graph will need its values, so torch spares it the version counter
   (`NO_VERSION_COUNTER` in tensor_base.py). Hence, outside inference mode: an in-place
   write to it is refused (after the write: torch's kernel runs before the counter
   refuses), `t._version` is an error, it cannot be saved for backward (`saved_version`:
   backward could not tell whether it changed), and it cannot be made to require grad.
   It may still be read: `w + t` records a graph (nothing of t is saved), while an op
   whose operands are all inference tensors records none, even if one requires grad
   (`only_inference_operands`: torch's inference tensors carry no autograd dispatch key;
   a Python number in a tensor's place counts as a normal tensor, as torch wraps it in
   one). Outside inference mode, `detach()` and `.data` of one are still inference
   tensors but get a counter of their own, so in-place writes to them work, as in torch.
   A view made in inference mode of a normal tensor is a normal tensor, sharing its
   base's counter.
"""
import numpy as np

from .. import dtypes, errors
from ..tensor_base import NO_VERSION_COUNTER, TensorBase
from .grad_mode import _State
from .node import NO_INPUT, AccumulateGrad, Node, new_sequence_nr, unbroadcast


# ---- views share their base's storage and version counter ------------------------------------

def become_view_of(view, parent, view_fn):
    """Mark `view` as a view of `parent`'s memory: one version counter, and the function
    that reads the view's array from the base's (composed through views of views). A view
    of an inference tensor is one, with no counter (rule 5)."""
    if parent._is_inference:
        view._is_inference, view._version_counter = True, NO_VERSION_COUNTER
    else:
        view._is_inference, view._version_counter = False, parent._version_counter
    view._view_version = view._version_counter[0]
    view._base = parent._base if parent._base is not None else parent
    if parent._view_fn is not None:
        outer, inner = view_fn, parent._view_fn
        view_fn = lambda array: outer(inner(array))  # noqa: E731
    view._view_fn = view_fn


def grad_node(t):
    """The node gradients for t flow into: its grad_fn, or its leaf's AccumulateGrad."""
    if t._base is not None:
        refresh_view(t)
    if t.grad_fn is not None:
        return t.grad_fn
    if t._accumulate_node is None:
        t._accumulate_node = AccumulateGrad(t)
    return t._accumulate_node


def refresh_view(view):
    """Rule 4: a view whose storage was written since its history was made takes its
    history from the base again."""
    base = view._base
    if view._version_counter[0] != view._view_version and base._requires_grad:
        set_history(view, AsStridedBackward(base, view._view_fn))
        view._view_version = view._version_counter[0]


class AsStridedBackward(Node):
    """A view re-derived from its base: the gradient lands in the view's region of a
    zero gradient for the base."""
    node_name = "AsStridedBackward0"

    def __init__(self, base, view_fn):
        self.view_fn, self.shape = view_fn, base._data.shape
        self.inputs = [(grad_node(base), base._data.shape, base._data.dtype)]
        self.sequence_nr = new_sequence_nr()

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        ctx.view_fn(out)[...] = grad
        return out


class CopySlices(Node):
    """Rule 3: base, after an in-place op `fn` wrote into one of its views.

    Inputs are base's old history and fn's other operands (torch's order). Backward takes
    the gradient of the view's region through fn's backward; what fn returns for the view's
    old values flows back into base's old history; the rest of base passes straight through.
    """
    node_name = "CopySlices"

    def __init__(self, base, fn, view_fn):
        self.fn, self.view_fn = fn, view_fn
        base_node = grad_node(base) if base._requires_grad else None
        others = fn.inputs[1:] if fn is not None else [NO_INPUT]
        self.inputs = [(base_node, base._data.shape, base._data.dtype)] + others
        self.sequence_nr = new_sequence_nr()

    def name(self):
        return "torch::autograd::CopySlices"  # torch's own name for this C++ node

    @staticmethod
    def backward(ctx, grad):
        grad_base = grad.copy()
        region = ctx.view_fn(grad_base)
        if ctx.fn is None:
            region[...] = 0
            return grad_base, None
        ctx.fn.check_saved()
        grads = ctx.fn.backward(ctx.fn, region.copy())
        grads = grads if type(grads) is tuple else (grads,)
        region[...] = 0 if grads[0] is None else unbroadcast(grads[0], region.shape)
        return (grad_base, *grads[1:])


# ---- in-place writes -------------------------------------------------------------------------

def apply_inplace(t, op, *args, **kwargs):
    """Rule 2: compute op(t, *args) and write the result into t's storage, as `t.op_()`.

    Without a graph to record this is a plain numpy write. With one, the op runs on a
    private copy of t's old values, the result is written into the shared storage, and
    t's history becomes the op's node; for a view, its base's becomes a CopySlices node.
    """
    base = t._base
    recording = _State.enabled and (
        t._requires_grad or (base is not None and base._requires_grad)
        or any(getattr(a, "_requires_grad", False) for a in args))
    if not recording:
        write(t, op(t.detach(), *args, **kwargs)._data)
        return t
    if base is not None:
        refresh_view(t)
    if t.grad_fn is None and t._requires_grad:
        raise errors.inplace_on_leaf()
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise errors.inplace_on_view_of_leaf()
    old = t._wrap(t._data.copy())  # t's old values, with t's history
    old.grad_fn, old._requires_grad = t.grad_fn, t._requires_grad
    out = op(old, *args, **kwargs)
    write(t, out._data)  # for a view, this writes into its base's storage too
    if base is None:
        rebase(t, out)
        return t
    set_history(base, CopySlices(base, out.grad_fn, t._view_fn))
    refresh_view(t)  # t, like every view of base, now reads from the new base
    return t


def write(t, values):
    """Copy values into t's storage (casting as torch allows) and bump the version (an
    inference tensor's refuses outside inference mode, rule 5)."""
    values = np.asarray(values)
    if values.dtype != t._data.dtype and (
            dtypes.category(values.dtype) > dtypes.category(t._data.dtype)):
        raise errors.result_type_cannot_be_cast(values.dtype, t._data.dtype)
    check_fits(t._data.shape, values.shape)
    if not t._data.flags.writeable:  # an expand()ed view: elements share memory
        raise errors.write_to_overlapping_memory()
    t._data[...] = values
    t._version_counter[0] += 1


def check_fits(target, shape):
    """torch's errors when values of `shape` cannot be written into a tensor of `target` shape."""
    if shape == target:
        return
    try:
        broadcast = np.broadcast_shapes(shape, target)
    except ValueError:
        raise errors.broadcast_mismatch(target, shape) from None
    if broadcast != target:
        raise errors.output_shape_mismatch(target, broadcast)


def rebase(t, out):
    """After an in-place op, t's history is that of `out`, the op's result."""
    node = out.grad_fn
    if node is None:
        return
    # the op's own result now lives in t: check t's version counter instead of out's
    node.saved_versions = [
        (t._version_counter, t._version_counter[0], array, owner)
        if counter is out._version_counter else (counter, version, array, owner)
        for counter, version, array, owner in node.saved_versions]
    set_history(t, node)


def set_history(t, node):
    """Make node t's grad_fn (a retained .grad follows t to its new history)."""
    if t._retains_grad:
        if t.grad_fn is not None and t.grad_fn.retained is t:
            t.grad_fn.retained = None
        node.retained = t
    t.grad_fn = node
    t._requires_grad = True


# ---- inference tensors -----------------------------------------------------------------------

def saved_version(t):
    """Rule 1's record of a tensor whose array an op saved for backward: its counter, the
    version now, its array, the tensor (Node.check_saved compares them). An inference
    tensor has no versions to check: torch refuses to save it (rule 5). (Function._link
    makes the same record for an op's operands, inline: it runs on every recorded op.)"""
    if t._is_inference:
        raise errors.inference_tensor_saved_for_backward()
    return (t._version_counter, t._version_counter[0], t._data, t)


def only_inference_operands(operands):
    """Rule 5: are all of an op's operands inference tensors? Then torch records no graph.
    A number in a tensor's place counts as a normal tensor (torch wraps it in one: `t * 2`
    records where `t.exp()` does not); None (an absent operand) does not count."""
    for operand in operands:
        if isinstance(operand, TensorBase):
            if not operand._is_inference:
                return False
        elif isinstance(operand, (int, float)):
            return False
    return True
