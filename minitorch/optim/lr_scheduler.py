"""Learning-rate schedulers: torch.optim.lr_scheduler's schedules, in plain Python.

A scheduler rewrites `group["lr"]` in its optimizer's param groups each time its `step()`
is called (once per epoch, or per batch for OneCycleLR). The arithmetic is torch's, float
for float in the same order, so the rates agree with torch's exactly, and the state dicts
(every attribute but the optimizer) are interchangeable with torch's.

Most schedules are *chainable*: `get_lr()` computes the next rate from the current
`group["lr"]` (StepLR multiplies it by gamma every step_size epochs), so two schedulers on
one optimizer compose. `step(epoch)` (deprecated in torch) jumps to an epoch with the
closed form, from `base_lrs`, where a schedule has one.

The base class, LRScheduler, keeps the shared bookkeeping: it records `initial_lr` in
every param group (base_lrs are read from there), counts steps in `last_epoch`, takes the
first step itself when constructed (epoch 0), and watches the optimizer's `step` so that a
`scheduler.step()` before any `optimizer.step()` warns, as torch's does.
"""
import math
import types
import warnings
from bisect import bisect_right
from collections import Counter
from functools import wraps
from weakref import ref

from .. import errors
from .optimizer import Optimizer

__all__ = ["LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
           "ReduceLROnPlateau", "OneCycleLR", "LRScheduler"]


def _per_group(name, optimizer, value):
    """value given once for all param groups, or as a list with one per group."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise errors.scheduler_values_per_group(name, len(value), len(optimizer.param_groups))
        return list(value)
    return [value] * len(optimizer.param_groups)


def _group_values(optimizer, key):
    """group[key] of every param group, in order."""
    return [group[key] for group in optimizer.param_groups]


class LRScheduler:
    """Base class: subclasses write get_lr() (the next rates, one per param group) and may
    give _get_closed_form_lr() (the rates at last_epoch, from base_lrs)."""

    _get_lr_called_within_step = False
    _is_initial = False

    def __init__(self, optimizer, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise errors.scheduler_without_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise errors.scheduler_resumed_without_initial_lr(i)
        self.base_lrs = _group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _watch_optimizer_step(optimizer)
        self._initial_step()

    def _initial_step(self):
        """The constructor's step: to epoch 0 (or last_epoch + 1 when resuming)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self):
        """Every attribute but the optimizer (torch's layout: the same keys, in order)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)

    def get_last_lr(self):
        """The rates the last step() set, one per param group."""
        return self._last_lr

    def get_lr(self):
        """The next rates, computed by step(); to read the current ones, use get_last_lr()."""
        raise NotImplementedError

    def step(self, epoch=None):
        """Move to the next epoch (or, deprecated, to `epoch`) and set the groups' rates.
        Called after optimizer.step(); the first call warns when it came before."""
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(errors.scheduler_optimizer_step_replaced(), stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(errors.scheduler_stepped_before_optimizer(), stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(errors.scheduler_epoch_deprecated(), stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", self.get_lr)
                values = closed_form()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = _group_values(self.optimizer, "lr")

    def _warn_if_called_by_the_user(self):
        """get_lr() outside step(): torch warns that get_last_lr() is what reads the rates."""
        if not self._get_lr_called_within_step:
            warnings.warn(errors.scheduler_get_lr_outside_step(), stacklevel=2)


class _LRScheduler(LRScheduler):
    """The base class's old name, kept as torch keeps it."""


def _watch_optimizer_step(optimizer):
    """Replace optimizer.step (on this instance only) by a wrapper that records that it ran
    (`optimizer._opt_called`), as torch does; done once however many schedulers watch."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    optimizer_ref = ref(optimizer)  # the wrapper, stored on the optimizer, must not hold it
    func = optimizer.step.__func__

    @wraps(func)
    def wrapper(*args, **kwargs):
        opt = optimizer_ref()
        opt._opt_called = True
        return func.__get__(opt, opt.__class__)(*args, **kwargs)

    wrapper._wrapped_by_lr_sched = True
    optimizer.step = wrapper


# ---- schedules from the epoch count ------------------------------------------------------

class LambdaLR(LRScheduler):
    """lr = initial_lr * lr_lambda(epoch), one function for all groups or one per group."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        self.optimizer = optimizer
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        else:
            if len(lr_lambda) != len(optimizer.param_groups):
                raise errors.lr_lambdas_per_group(len(optimizer.param_groups), len(lr_lambda))
            self.lr_lambdas = list(lr_lambda)
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        """As the base's, with lr_lambdas last: None for a function or lambda (they cannot be
        saved), the attributes of a callable object."""
        state_dict = {key: value for key, value in self.__dict__.items()
                      if key not in ("optimizer", "lr_lambdas")}
        state_dict["lr_lambdas"] = [None if isinstance(fn, types.FunctionType)
                                    else fn.__dict__.copy() for fn in self.lr_lambdas]
        return state_dict

    def load_state_dict(self, state_dict):
        """Restore the attributes; callable objects get theirs back (the dict given is left
        as it was)."""
        lr_lambdas = state_dict.pop("lr_lambdas")
        self.__dict__.update(state_dict)
        state_dict["lr_lambdas"] = lr_lambdas
        for fn, saved in zip(self.lr_lambdas, lr_lambdas):
            if saved is not None:
                fn.__dict__.update(saved)

    def get_lr(self):
        self._warn_if_called_by_the_user()
        return [base_lr * lmbda(self.last_epoch)
                for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)]


class StepLR(LRScheduler):
    """lr times gamma every step_size epochs."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_if_called_by_the_user()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size)
                for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    """lr times gamma at each milestone epoch (times gamma**n for a milestone given n times)."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_if_called_by_the_user()
        if self.last_epoch not in self.milestones:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch]
                for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        milestones = sorted(self.milestones.elements())
        return [base_lr * self.gamma ** bisect_right(milestones, self.last_epoch)
                for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr times gamma every epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_if_called_by_the_user()
        if self._is_initial:  # (resuming must not move the rate one step ahead)
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr follows half a cosine from initial_lr down to eta_min over T = T_max epochs (and
    back up over the next T, and so on), computed step by step from the current rate:

        lr_t = eta_min + (lr_{t-1} - eta_min) * (1 + cos(pi t / T)) / (1 + cos(pi (t-1) / T))

    which is the closed form eta_min + (base_lr - eta_min) * (1 + cos(pi t / T_max)) / 2
    when nothing else changes the rate."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_if_called_by_the_user()
        if self._is_initial:
            return _group_values(self.optimizer, "lr")
        if self._step_count == 1 and self.last_epoch > 0:  # resumed: the closed form
            return [self.eta_min + (base_lr - self.eta_min)
                    * (1 + math.cos(self.last_epoch * math.pi / self.T_max)) / 2
                    for base_lr in self.base_lrs]
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:  # the bottom: 0/0
            return [group["lr"]
                    + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                    for base_lr, group in zip(self.base_lrs, self.optimizer.param_groups,
                                              strict=True)]
        return [(1 + math.cos(math.pi * self.last_epoch / self.T_max))
                / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
                * (group["lr"] - self.eta_min) + self.eta_min
                for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [self.eta_min + (base_lr - self.eta_min)
                * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base_lr in self.base_lrs]


# ---- one cycle: up to max_lr and down, momentum the other way -------------------------------

class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topan), stepped once per batch: lr rises from
    max_lr / div_factor to max_lr over the first pct_start of total_steps, then falls to
    initial_lr / final_div_factor (three_phase: back to initial_lr first, symmetrically,
    then down). With cycle_momentum, the momentum (SGD's momentum, Adam's beta1) moves the
    opposite way between max_momentum and base_momentum. Each phase anneals by half a cosine
    or linearly (anneal_strategy)."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise errors.scheduler_without_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise errors.one_cycle_count_not_positive("total_steps", total_steps)
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise errors.one_cycle_count_not_positive("epochs", epochs)
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise errors.one_cycle_count_not_positive("steps_per_epoch", steps_per_epoch)
            self.total_steps = epochs * steps_per_epoch
        else:
            raise errors.one_cycle_length_missing()
        self._schedule_phases = self._phases(pct_start, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise errors.one_cycle_pct_start_invalid(pct_start)
        if anneal_strategy not in ["cos", "linear"]:
            raise errors.one_cycle_anneal_strategy_unknown(anneal_strategy)
        self._anneal_func_type = anneal_strategy

        max_lrs = _per_group("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, group_max_lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = group_max_lr / div_factor
                group["max_lr"] = group_max_lr
                group["min_lr"] = group["initial_lr"] / final_div_factor

        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise errors.one_cycle_without_momentum()
            self.use_beta1 = "betas" in optimizer.defaults
            max_momentums = _per_group("max_momentum", optimizer, max_momentum)
            base_momentums = _per_group("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for group, group_max, group_base in zip(optimizer.param_groups, max_momentums,
                                                        base_momentums, strict=True):
                    self._set_momentum(group, group_max)
                    group["max_momentum"] = group_max
                    group["base_momentum"] = group_base
        super().__init__(optimizer, last_epoch)

    def _phases(self, pct_start, three_phase):
        """Each phase: the step it ends at, and the group keys of the values it anneals
        between (torch's layout, saved in the state dict)."""
        def phase(end_step, lrs, momentums):
            return {"end_step": end_step, "start_lr": lrs[0], "end_lr": lrs[1],
                    "start_momentum": momentums[0], "end_momentum": momentums[1]}
        rise = phase(float(pct_start * self.total_steps) - 1, ("initial_lr", "max_lr"),
                     ("max_momentum", "base_momentum"))
        last = self.total_steps - 1
        if three_phase:
            return [rise,
                    phase(float(2 * pct_start * self.total_steps) - 2, ("max_lr", "initial_lr"),
                          ("base_momentum", "max_momentum")),
                    phase(last, ("initial_lr", "min_lr"), ("max_momentum", "max_momentum"))]
        return [rise, phase(last, ("max_lr", "min_lr"), ("base_momentum", "max_momentum"))]

    def _set_momentum(self, group, momentum):
        """SGD's momentum, or the first of Adam's betas."""
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _anneal(self, start, end, pct):
        """From start (pct 0) to end (pct 1): half a cosine, or a straight line."""
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        """The rate of the phase the step is in; with cycle_momentum, sets the momentum too."""
        self._warn_if_called_by_the_user()
        step_num = self.last_epoch
        if step_num > self.total_steps:
            raise errors.one_cycle_stepped_past_the_end(step_num, self.total_steps)
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step_num <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step_num - start_step) / (end_step - start_step)
                    lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]],
                                            pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[phase["start_momentum"]],
                                                               group[phase["end_momentum"]],
                                                               pct))
                    break
                start_step = phase["end_step"]
        return lrs


# ---- from a metric: cut the rate when it stops improving ------------------------------------

class ReduceLROnPlateau(LRScheduler):
    """step(metric) once per epoch: when the metric has not improved (by threshold, relative
    or absolute) for more than `patience` epochs, lr becomes max(lr * factor, min_lr) (a cut
    smaller than eps is skipped); then `cooldown` epochs pass before bad epochs count again.
    Not chainable, no initial step: it does not call the base constructor (as torch's)."""

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        if factor >= 1.0:
            raise errors.plateau_factor_not_below_one()
        self.factor = factor
        if not isinstance(optimizer, Optimizer):
            raise errors.scheduler_without_optimizer(optimizer)
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise errors.plateau_min_lrs_per_group(len(optimizer.param_groups), len(min_lr))
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = _group_values(optimizer, "lr")
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _reset(self):
        """Forget the best value and the bad-epoch and cooldown counts."""
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics, epoch=None):
        """One epoch's metric (a number or a one-element tensor)."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(errors.scheduler_epoch_deprecated(), stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr(epoch)
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = _group_values(self.optimizer, "lr")

    def _reduce_lr(self, epoch):
        if len(self.optimizer.param_groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise errors.plateau_param_groups_changed(len(self.optimizer.param_groups),
                                                          len(self.min_lrs))
            self.min_lrs = [self.default_min_lr] * len(self.optimizer.param_groups)
        for i, group in enumerate(self.optimizer.param_groups):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, self.min_lrs[i])
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def _is_better(self, a, best):
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min" and self.threshold_mode == "abs":
            return a < best - self.threshold
        if self.mode == "max" and self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def _init_is_better(self, mode, threshold, threshold_mode):
        if mode not in {"min", "max"}:
            raise errors.plateau_mode_unknown(mode)
        if threshold_mode not in {"rel", "abs"}:
            raise errors.plateau_threshold_mode_unknown(threshold_mode)
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)
