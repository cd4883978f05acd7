"""Adam: per-element step sizes from running averages of the gradient and its square.

One step t (counted from 1) for a parameter p with gradient g (torch's arithmetic, in
torch's order, so float64 trajectories agree to the last few bits):

    g = -g                                     if maximize
    p = p * (1 - lr * weight_decay)            if weight_decay and decoupled (AdamW)
    g = g + weight_decay * p                   if weight_decay otherwise (L2 penalty)
    m = lerp(m, g, 1 - beta1)                  running mean of g
    v = v * beta2 + (1 - beta2) * g * g        running mean of g squared
    v_max = max(v_max, v)                      if amsgrad (then v_max is used below)
    denom = sqrt(v) / sqrt(1 - beta2**t) + eps
    p = p - (lr / (1 - beta1**t)) * m / denom

m and v start at zero, which biases them toward zero early on: the two (1 - beta**t)
factors correct that bias.
"""
import numpy as np

from .. import errors
from ..creation import tensor, zeros_like
from ..autograd.views import write
from ..dtypes import widen
from .optimizer import Optimizer, stored

# the devices torch names when capturable=True meets a CPU parameter
_CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if not 0.0 <= lr:
            raise errors.optimizer_value_invalid("learning rate", lr)
        if not 0.0 <= eps:
            raise errors.optimizer_value_invalid("epsilon value", eps)
        if not 0.0 <= betas[0] < 1.0:
            raise errors.optimizer_value_invalid("beta parameter at index 0", betas[0])
        if not 0.0 <= betas[1] < 1.0:
            raise errors.optimizer_value_invalid("beta parameter at index 1", betas[1])
        if not 0.0 <= weight_decay:
            raise errors.optimizer_value_invalid("weight_decay value", weight_decay)
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise errors.betas_of_mixed_types()
        defaults = dict(lr=lr, betas=(betas[0], betas[1]), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        self._check_implementation(fused, foreach, differentiable)

    def __setstate__(self, state):
        """Fill in options older state dicts lack; a plain-number "step" becomes a tensor."""
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if p_state and not hasattr(p_state["step"], "_data"):
                    p_state["step"] = tensor(float(p_state["step"]))

    def step(self, closure=None):
        """Update every parameter that has a gradient (those whose .grad is None are left
        alone); with a closure, first re-evaluate the loss and return it."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = tensor(0.0)  # a float tensor of the default dtype, as torch
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = zeros_like(p)
                if group["capturable"]:  # CUDA graphs: nothing minitorch (on the CPU) can do
                    raise errors.capturable_on_the_cpu(_CAPTURABLE_DEVICES)
                self._update(p, state, **group)
        return loss

    @staticmethod
    def _update(param, state, *, lr, betas, eps, weight_decay, amsgrad, maximize,
                decoupled_weight_decay, **_):
        """One Adam step for one parameter, written into its storage and its state.

        Each line is one of torch's ops: computed in float32 for a float16 parameter (as
        torch's CPU kernels do, hyper-parameters included), its result rounded to the
        parameter's dtype (by `_write`, or `stored` for a temporary)."""
        beta1, beta2 = betas
        dtype = param._data.dtype
        grad = param.grad._data
        if maximize:
            grad = -grad
        step_t, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
        write(step_t, step_t._data + 1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                write(param, widen(param._data) * (1 - lr * weight_decay))
            else:
                # torch's grad.add(param, alpha=weight_decay): alpha in the param's dtype
                alpha = widen(stored(np.asarray(weight_decay), dtype))
                grad = stored(widen(grad) + alpha * widen(param._data), dtype)
        grad = widen(grad)
        write(exp_avg, _lerp(widen(exp_avg._data), grad, 1 - beta1))
        write(exp_avg_sq, widen(exp_avg_sq._data) * beta2)
        write(exp_avg_sq, widen(exp_avg_sq._data) + (1 - beta2) * grad * grad)

        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if amsgrad:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            write(max_exp_avg_sq, np.maximum(max_exp_avg_sq._data, exp_avg_sq._data))
            second_moment = max_exp_avg_sq._data
        else:
            second_moment = exp_avg_sq._data
        denom = stored(np.sqrt(widen(second_moment)), dtype)
        denom = stored(widen(denom) / bias_correction2_sqrt, dtype)
        denom = widen(stored(widen(denom) + eps, dtype))
        write(param, widen(param._data) + (-step_size) * widen(exp_avg._data) / denom)


def _lerp(start, end, weight):
    """start + weight * (end - start), computed from the nearer end as torch's lerp does
    (for weight >= 0.5 from `end`, which rounds better there), in the arrays' precision."""
    weight = start.dtype.type(weight)
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)
