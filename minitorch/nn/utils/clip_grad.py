"""Gradient clipping, as torch.nn.utils does it, after backward and before the step.

clip_grad_norm_ scales every gradient by one factor, so that the norm of all of them
together (as if concatenated into one vector) is at most max_norm; the factor is
max_norm / (total_norm + 1e-6), capped at 1, always multiplied in (no branch, as torch).
clip_grad_value_ clamps each gradient element into [-clip_value, clip_value].
The gradients are changed in place, outside the graph; `foreach` (torch's choice of
fused kernels) changes nothing here and is accepted for torch's signature.
"""
import types
import warnings

from ... import errors
from ...autograd.grad_mode import no_grad
from ...creation import tensor
from ...facade.elementwise import clamp
from ...facade.reduce import norm
from ...facade.shape import stack
from ...tensor_base import TensorBase


def _tensor_list(tensors):
    """One tensor, or an iterable of them, as a list."""
    return [tensors] if isinstance(tensors, TensorBase) else list(tensors)


@no_grad()
def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the tensors' norms: their norm as if concatenated into one vector."""
    tensors = _tensor_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    total_norm = norm(stack([norm(t, norm_type) for t in tensors]), norm_type)
    if error_if_nonfinite and not total_norm.isfinite().item():
        raise errors.non_finite_total_norm(norm_type)
    return total_norm


@no_grad()
def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the parameters' gradients by max_norm / (total_norm + 1e-6), capped at 1."""
    grads = [p.grad for p in _tensor_list(parameters) if p.grad is not None]
    max_norm = float(max_norm)
    if not grads:
        return
    clip_coef_clamped = clamp(max_norm / (total_norm + 1e-6), max=1.0)
    for grad in grads:
        grad.mul_(clip_coef_clamped)


@no_grad()
def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Clip the gradients' total norm to max_norm (in place); returns the total norm (as
    it was before clipping) as a tensor."""
    if isinstance(parameters, TensorBase):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)  # (a generator would be used up by the first pass)
        if is_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will "
                          "occur.", stacklevel=3)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                   foreach=None):
    """Deprecated: clip_grad_norm_ under its old name (with torch's FutureWarning)."""
    warnings.warn("`minitorch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`minitorch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@no_grad()
def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value] (in place)."""
    clip_value = float(clip_value)
    for p in _tensor_list(parameters):
        if p.grad is not None:
            p.grad.clamp_(min=-clip_value, max=clip_value)
