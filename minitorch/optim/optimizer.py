"""Optimizer: the bookkeeping every optimizer shares, as torch.optim.Optimizer does it.

An optimizer holds `param_groups` (a list of dicts: the tensors under "params" plus the
hyper-parameters that apply to them) and `state` (a dict per parameter, e.g. a momentum
buffer). Subclasses only write `step()`. Everything else (`zero_grad`, `state_dict`,
`load_state_dict`, `add_param_group`, the printed form) lives here, with torch's layout and
torch's errors, so state dicts move between minitorch and torch.
"""
import warnings
from collections import defaultdict
from copy import deepcopy
from itertools import chain

import numpy as np

from .. import dtypes, errors
from ..autograd import enable_grad
from ..creation import tensor
from ..dtypes import widen
from ..tensor import Tensor, zero_grads


class _RequiredParameter:
    """Marks a hyper-parameter every param group must give (a default of `required`)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class: params is an iterable of tensors, or of dicts that are param groups;
    defaults fills in the hyper-parameters a group does not give."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        """Take state and param_groups (load_state_dict and unpickling come through here;
        subclasses fill in options that older state dicts lack)."""
        self.__dict__.update(state)
        self.defaults.setdefault("differentiable", False)

    def __repr__(self):
        """Each group's hyper-parameters, sorted by name; groups set apart by a blank line."""
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"

    def step(self, closure=None):
        """Update every parameter that has a gradient. Each optimizer writes its own."""
        raise NotImplementedError

    @staticmethod
    def _check_implementation(fused, foreach, differentiable):
        """torch's checks of the implementation flags; every implementation here is the
        single-tensor one, and none can be differentiated through."""
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        if differentiable:
            raise NotImplementedError("differentiable=True: minitorch's optimizers update "
                                      "parameters outside autograd, so step() cannot be "
                                      "differentiated through")

    def _params_with_grads(self):
        """(param, its group) for every parameter whose .grad is set, in order: the ones a
        step updates (those whose .grad is None are left alone)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    yield p, group

    def _fill_in_groups(self, **options):
        """For a loaded (older) state dict: each group gets the options it lacks, and a
        plain-number "step" becomes a tensor (float32 in a fused group), as torch's
        __setstate__ does."""
        for group in self.param_groups:
            for key, value in options.items():
                group.setdefault(key, value)
            step_dtype = dtypes.float32 if group.get("fused") else None
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if "step" in p_state and not isinstance(p_state["step"], Tensor):
                    p_state["step"] = tensor(float(p_state["step"]), dtype=step_dtype)

    @staticmethod
    def _evaluate(closure):
        """step(closure): the closure recomputes the loss (with autograd on); step returns it."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def zero_grad(self, set_to_none=True):
        """Forget the gradients: set .grad to None, or (set_to_none=False) fill it with zeros
        in place, first cutting it out of any graph it belongs to."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def add_param_group(self, param_group):
        """Append a group: a dict with "params" (tensors, or (name, tensor) pairs) and any
        hyper-parameters; the ones it leaves out come from self.defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        param_group["params"] = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            param_group["param_names"] = names

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not self.defaults.get("differentiable", None) and not (
                    param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)

        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        taken = set()
        for group in self.param_groups:
            taken.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not taken.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ---- saving and loading ----------------------------------------------------------------
    def state_dict(self):
        """{"state": {index: per-parameter state}, "param_groups": [group with "params" as
        index lists]}: parameters become their position across all groups, in order. The
        state's tensors are the live ones, not copies (as in torch)."""
        index_of = {}

        def pack(group):
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            return packed

        param_groups = [pack(g) for g in self.param_groups]
        state = {(index_of[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict):
        """Take the state and hyper-parameters of a state_dict() (ours or torch's, converted):
        the groups must have the same sizes as ours; state tensors are cast to their
        parameter's dtype (a tensor already of that dtype is taken as it is, as in torch)."""
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        param_of = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                            chain.from_iterable(g["params"] for g in groups)))
        group_of = {i: g for g in state_dict["param_groups"] for i in g["params"]}

        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                state[param_of[key]] = _cast(param_of[key], value, group_of.get(key, {}))
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})


def _cast(param, value, group, key=None):
    """A copy of a parameter's saved state (dicts and sequences rebuilt): float tensors take
    the parameter's dtype; Adam's "step" counter keeps its own (float32 when fused or
    capturable)."""
    if isinstance(value, Tensor):
        if key == "step":
            fused_or_capturable = group.get("fused", False) or group.get("capturable", False)
            return value.to(dtype=dtypes.float32) if fused_or_capturable else value
        return value.to(dtype=param.dtype) if param.is_floating_point() else value
    if isinstance(value, dict):
        return {k: _cast(param, v, group, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v, group) for v in value)
    return value


def stored(array, dtype):
    """An op's result as torch stores it: rounded to the tensor's dtype (no copy if it
    already has it)."""
    return array.astype(dtype, copy=False)


def check_not_negative(*checks):
    """torch's constructor checks: the first of the (label, value) pairs whose value is
    negative (or nan) raises "Invalid <label>: <value>"."""
    for label, value in checks:
        if not 0.0 <= value:
            raise errors.optimizer_value_invalid(label, value)


def gradient(param, maximize, weight_decay):
    """The gradient an update rule steps along, formed as torch forms it: param.grad,
    negated to maximize, plus weight_decay * param (the L2 penalty: torch's
    grad.add(param, alpha=weight_decay), alpha in the parameter's dtype, the sum rounded to
    it); in compute precision (float32 for a float16 parameter)."""
    grad = param.grad._data
    if maximize:
        grad = -grad
    if weight_decay != 0:
        dtype = param._data.dtype
        alpha = widen(stored(np.asarray(weight_decay), dtype))
        grad = stored(widen(grad) + alpha * widen(param._data), dtype)
    return widen(grad)


def _typename(obj):
    """torch.typename: 'minitorch.FloatTensor' for a tensor, the qualified type name else."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
