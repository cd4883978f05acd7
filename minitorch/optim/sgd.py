"""SGD: stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

One step, for a parameter p with gradient g (torch's arithmetic, in torch's order):

    g = -g                        if maximize
    g = g + weight_decay * p      if weight_decay
    b = g (first step), else b = momentum * b + (1 - dampening) * g     if momentum
    g = g + momentum * b (nesterov), else g = b                          if momentum
    p = p - lr * g

The momentum buffer b starts as the first gradient itself, so dampening only applies
from the second step on.

`by_steps` runs this as numpy array operations, `in_one_pass` as one loop over the
elements (kernels/optim.py: the same arithmetic, bit for bit, about half the time for
LeNet's ten parameters); float32 and float64 parameters take the loop.
"""
import numpy as np

from .. import errors, kernels
from ..tensor import Tensor
from .optimizer import Optimizer

# the dtypes kernels/optim.py's loop takes
ONE_PASS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        if lr < 0.0:
            raise errors.optimizer_value_invalid("learning rate", lr)
        if momentum < 0.0:
            raise errors.optimizer_value_invalid("momentum value", momentum)
        if weight_decay < 0.0:
            raise errors.optimizer_value_invalid("weight_decay value", weight_decay)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise errors.nesterov_without_momentum()
        super().__init__(params, defaults)
        self._check_implementation(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure=None):
        """Update every parameter that has a gradient (those whose .grad is None are left
        alone); with a closure, first re-evaluate the loss and return it."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            options = {key: group[key] for key in (
                "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")}
            for p in group["params"]:
                if p._grad is not None:
                    self._update(p, self.state[p] if options["momentum"] != 0 else None,
                                 **options)
        return loss

    @staticmethod
    def _update(param, state, *, lr, momentum, dampening, weight_decay, nesterov, maximize):
        """One SGD step for one parameter, written into its storage in place, bumping the
        version counters as torch's param.add_ and buf.mul_ do."""
        data, grad = param._data, param._grad._data
        buf = None if momentum == 0 else state.get("momentum_buffer")
        first = momentum != 0 and buf is None
        if first:
            buf = state["momentum_buffer"] = Tensor._make(np.empty_like(grad))
        buffer = None if buf is None else buf._data
        update = in_one_pass if fits_one_pass(data, grad, buffer, lr) else by_steps
        update(data, grad, buffer, lr, momentum, dampening, weight_decay, nesterov, maximize,
               first)
        if buf is not None and not first:
            buf._version_counter[0] += 1
        param._version_counter[0] += 1


def by_steps(param, grad, buffer, lr, momentum, dampening, weight_decay, nesterov, maximize,
             first):
    """The step (the module's docstring) as numpy array operations: numpy's out= forms, no
    temporaries where torch has none. buffer is the momentum buffer (None without
    momentum); on the first step it is filled with the gradient."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    if buffer is not None:
        if first:
            buffer[...] = grad
        else:  # b = momentum * b + (1 - dampening) * g
            np.multiply(buffer, momentum, out=buffer)
            buffer += grad if dampening == 0 else (1 - dampening) * grad
        grad = grad + momentum * buffer if nesterov else buffer
    np.subtract(param, lr * grad, out=param)


def in_one_pass(param, grad, buffer, lr, momentum, dampening, weight_decay, nesterov,
                maximize, first):
    """by_steps's arithmetic in one loop over the elements (kernels/optim.py), bit for bit
    the same; the numbers cast to param's dtype as numpy casts a Python number."""
    constants = np.array([lr, momentum, 1 - dampening, weight_decay], param.dtype)
    kernels.optim.sgd_update(param, grad, param if buffer is None else buffer, constants,
                             weight_decay != 0, buffer is not None, nesterov, maximize, first)


def fits_one_pass(param, grad, buffer, lr):
    """Can in_one_pass take this step: float32 or float64 arrays of one dtype, laid out in
    order, and a learning rate that is a Python number (float16, strided storage or a
    tensor learning rate take by_steps)."""
    return (param.dtype in ONE_PASS_DTYPES and grad.dtype == param.dtype
            and param.flags.c_contiguous and grad.flags.c_contiguous
            and (buffer is None or buffer.flags.c_contiguous) and isinstance(lr, (int, float)))
