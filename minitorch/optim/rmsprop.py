"""RMSprop: each element's step divided by the running root-mean-square of its gradient.

One step for a parameter p with gradient g (torch's arithmetic, in torch's order, so
float64 trajectories agree to the last few bits):

    g = -g                                        if maximize
    g = g + weight_decay * p                      if weight_decay (L2 penalty)
    v = alpha * v + (1 - alpha) * g * g           running mean of g squared
    m = lerp(m, g, 1 - alpha)                     if centered: running mean of g
    avg = sqrt(v - m * m) + eps   if centered, else sqrt(v) + eps
    b = momentum * b + g / avg,  p = p - lr * b   if momentum
    p = p - lr * g / avg                          otherwise

v, m and b start at zero. Centered RMSprop divides by an estimate of the gradient's
standard deviation instead of its root-mean-square.
"""
import numpy as np

from .. import errors
from ..autograd.views import write
from ..creation import tensor, zeros_like
from ..dtypes import widen
from .adam import _CAPTURABLE_DEVICES, _lerp
from .optimizer import Optimizer, check_not_negative, gradient, stored


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_not_negative(("learning rate", lr), ("epsilon value", eps),
                           ("momentum value", momentum), ("weight_decay value", weight_decay),
                           ("alpha value", alpha))
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)
        self._check_implementation(None, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        self._fill_in_groups(momentum=0, centered=False, foreach=None, maximize=False,
                             differentiable=False, capturable=False)

    def step(self, closure=None):
        """Update every parameter that has a gradient; with a closure, first re-evaluate
        the loss and return it."""
        loss = self._evaluate(closure)
        for p, group in self._params_with_grads():
            state = self.state[p]
            if not state:
                state["step"] = tensor(0.0)  # a float tensor of the default dtype, as torch
                state["square_avg"] = zeros_like(p)
                if group["momentum"] > 0:
                    state["momentum_buffer"] = zeros_like(p)
                if group["centered"]:
                    state["grad_avg"] = zeros_like(p)
            if group["capturable"]:  # CUDA graphs: nothing minitorch (on the CPU) can do
                raise errors.capturable_on_the_cpu(_CAPTURABLE_DEVICES)
            self._update(p, state, **group)
        return loss

    @staticmethod
    def _update(param, state, *, lr, alpha, eps, weight_decay, momentum, centered, maximize,
                **_):
        """One RMSprop step for one parameter, written into its storage and its state.

        Each line is one of torch's ops: computed in float32 for a float16 parameter, its
        result rounded to the parameter's dtype (by `write`, or `stored` for a temporary)."""
        dtype = param._data.dtype
        grad = gradient(param, maximize, weight_decay)
        step_t, square_avg = state["step"], state["square_avg"]
        write(step_t, step_t._data + 1)
        write(square_avg, widen(square_avg._data) * alpha)
        write(square_avg, widen(square_avg._data) + (1 - alpha) * grad * grad)
        if centered:
            grad_avg = state["grad_avg"]
            write(grad_avg, _lerp(widen(grad_avg._data), grad, 1 - alpha))
            mean = widen(grad_avg._data)
            variance = stored(widen(square_avg._data) - mean * mean, dtype)
            avg = stored(np.sqrt(widen(variance)), dtype)
        else:
            avg = stored(np.sqrt(widen(square_avg._data)), dtype)
        avg = widen(stored(widen(avg) + eps, dtype))
        if momentum > 0:
            buf = state["momentum_buffer"]
            write(buf, widen(buf._data) * momentum)
            write(buf, widen(buf._data) + grad / avg)
            write(param, widen(param._data) + (-lr) * widen(buf._data))
        else:
            write(param, widen(param._data) + (-lr) * grad / avg)
