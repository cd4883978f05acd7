"""SGD: stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

One step, for a parameter p with gradient g (torch's arithmetic, in torch's order):

    g = -g                        if maximize
    g = g + weight_decay * p      if weight_decay
    b = g (first step), else b = momentum * b + (1 - dampening) * g     if momentum
    g = g + momentum * b (nesterov), else g = b                          if momentum
    p = p - lr * g

The momentum buffer b starts as the first gradient itself, so dampening only applies
from the second step on.
"""
import numpy as np

from .. import errors
from ..tensor import Tensor
from .optimizer import Optimizer


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
            for p in group["params"]:
                if p.grad is not None:
                    self._update(p, self.state[p] if group["momentum"] != 0 else None, **group)
        return loss

    @staticmethod
    def _update(param, state, *, lr, momentum, dampening, weight_decay, nesterov, maximize,
                **_):
        """One SGD step for one parameter, written into its storage in place (numpy's
        out= forms: no temporaries where torch has none), bumping the version counter as
        torch's param.add_ does."""
        grad = param.grad._data
        if maximize:
            grad = -grad
        if weight_decay != 0:
            grad = grad + weight_decay * param._data
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = Tensor._make(grad.copy())
            else:  # buf = momentum * buf + (1 - dampening) * grad
                b = buf._data
                np.multiply(b, momentum, out=b)
                b += grad if dampening == 0 else (1 - dampening) * grad
                buf._version_counter[0] += 1
            grad = grad + momentum * buf._data if nesterov else buf._data
        np.subtract(param._data, lr * grad, out=param._data)
        param._version_counter[0] += 1
