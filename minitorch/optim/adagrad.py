"""Adagrad: each element's step divided by the root of the sum of all its squared gradients.

One step t (counted from 1) for a parameter p with gradient g (torch's arithmetic, in
torch's order, so float64 trajectories agree to the last few bits):

    g = -g                                     if maximize
    g = g + weight_decay * p                   if weight_decay (L2 penalty)
    clr = lr / (1 + (t - 1) * lr_decay)
    s = s + g * g                              s starts at initial_accumulator_value
    p = p - clr * g / (sqrt(s) + eps)

Elements with large gradients so far take small steps, rarely-moved ones large steps; as s
only grows, every step size shrinks over time.
"""
import numpy as np

from .. import dtypes
from ..autograd.views import write
from ..creation import full_like, tensor
from ..dtypes import widen
from .optimizer import Optimizer, check_not_negative, gradient, stored


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_not_negative(("learning rate", lr), ("lr_decay value", lr_decay),
                           ("weight_decay value", weight_decay),
                           ("initial_accumulator_value value", initial_accumulator_value),
                           ("epsilon value", eps))
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        self._check_implementation(fused, foreach, differentiable)
        # torch fills every parameter's state now, all from the constructor's
        # initial_accumulator_value (a group's own value is not used)
        for group in self.param_groups:
            for p in group["params"]:
                self._initial_state(self.state[p], p, group)

    def _initial_state(self, state, param, group):
        """"step" (a float32 tensor when fused, as torch's) and "sum" at the constructor's
        initial_accumulator_value."""
        state["step"] = tensor(0.0, dtype=dtypes.float32) if group["fused"] else tensor(0.0)
        state["sum"] = full_like(param, self.defaults["initial_accumulator_value"])

    def __setstate__(self, state):
        super().__setstate__(state)
        self._fill_in_groups(foreach=None, maximize=False, differentiable=False, fused=None)

    def step(self, closure=None):
        """Update every parameter that has a gradient; with a closure, first re-evaluate
        the loss and return it."""
        loss = self._evaluate(closure)
        for p, group in self._params_with_grads():
            state = self.state[p]
            if not state:  # a parameter added by add_param_group after construction
                self._initial_state(state, p, group)
            self._update(p, state, **group)
        return loss

    @staticmethod
    def _update(param, state, *, lr, lr_decay, weight_decay, eps, maximize, **_):
        """One Adagrad step for one parameter, in its storage and its state: torch's ops
        line by line, each rounded to the parameter's dtype as torch rounds it."""
        dtype = param._data.dtype
        grad = gradient(param, maximize, weight_decay)
        step_t, state_sum = state["step"], state["sum"]
        write(step_t, step_t._data + 1)
        clr = lr / (1 + (step_t.item() - 1) * lr_decay)
        write(state_sum, widen(state_sum._data) + grad * grad)
        std = stored(np.sqrt(widen(state_sum._data)), dtype)
        std = widen(stored(widen(std) + eps, dtype))
        write(param, widen(param._data) + (-clr) * grad / std)
