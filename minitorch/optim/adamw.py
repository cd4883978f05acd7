"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW.

The decay shrinks the parameter itself, p = p * (1 - lr * weight_decay), before the Adam
step, instead of adding weight_decay * p to the gradient: so the decay is not divided by
the running root-mean-square of the gradient, and every weight decays at the same rate.
The rule is Adam's with decoupled_weight_decay=True (adam.py has it, line by line); AdamW
only changes the default weight_decay to 0.01 and keeps the decay decoupled whatever a
loaded state dict says.
"""
from .adam import Adam


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state):
        """A loaded state dict (an Adam one too) keeps the decay decoupled, as torch's does."""
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
