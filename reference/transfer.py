"""Weights from one engine to the other, exactly.

minitorch's and torch's random streams differ, so the two engines cannot draw the same
initial weights; instead one draws them and the other gets a bit-for-bit copy. The copy is
strict: both state_dicts must have the same names, shapes and dtypes (torch's own
`load_state_dict` would silently cast a float64 tensor into a float32 parameter).
"""
import numpy as np
import torch

import minitorch


def to_torch(tensor, device="cpu"):
    """A minitorch tensor as a torch tensor on `device` (a copy, detached)."""
    return torch.from_numpy(np.array(tensor.detach().numpy(), copy=True)).to(device)


def to_minitorch(tensor):
    """A torch tensor (on any device) as a minitorch tensor (a copy, detached)."""
    return minitorch.from_numpy(tensor.detach().cpu().numpy().copy())


def torch_state_dict(state, device="cpu"):
    """minitorch state_dict -> torch state_dict with the same names, shapes and dtypes."""
    return {name: to_torch(value, device) for name, value in state.items()}


def minitorch_state_dict(state):
    """torch state_dict -> minitorch state_dict with the same names, shapes and dtypes."""
    return {name: to_minitorch(value) for name, value in state.items()}


def check_same_layout(source, target):
    """Raise ValueError listing every name, shape or dtype in which two state_dicts (of
    either engine) differ."""
    problems = [f"missing in the source: {name}" for name in target if name not in source]
    problems += [f"not in the target: {name}" for name in source if name not in target]
    for name in source.keys() & target.keys():
        s, t = source[name], target[name]
        if tuple(s.shape) != tuple(t.shape):
            problems.append(f"{name}: shape {tuple(s.shape)} in the source, "
                            f"{tuple(t.shape)} in the target")
        if str(s.dtype).split(".")[-1] != str(t.dtype).split(".")[-1]:
            problems.append(f"{name}: dtype {s.dtype} in the source, {t.dtype} in the target")
    if problems:
        raise ValueError("copy_weights: the two models' state_dicts differ:\n  "
                         + "\n  ".join(sorted(problems)))


def copy_weights(source, target):
    """Copy every parameter and buffer of `source` into `target`, where one is a minitorch
    Module and the other a torch Module (either way round). Returns `target`."""
    kinds = [(isinstance(m, minitorch.nn.Module), isinstance(m, torch.nn.Module))
             for m in (source, target)]
    if sorted(kinds) != [(False, True), (True, False)]:
        raise TypeError("copy_weights: expected a minitorch Module and a torch Module, got "
                        + " and ".join(f"{type(m).__module__}.{type(m).__qualname__}"
                                       for m in (source, target)))
    state, target_state = source.state_dict(), target.state_dict()
    check_same_layout(state, target_state)
    if isinstance(target, torch.nn.Module):
        device = next((v.device for v in target_state.values()), "cpu")
        target.load_state_dict(torch_state_dict(state, device))
    else:
        target.load_state_dict(minitorch_state_dict(state))
    return target
