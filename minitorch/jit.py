"""minitorch.jit: TorchScript, which minitorch does not have (torch deprecates it in favour
of torch.compile and torch.export).

Compiling or saving (script, trace, save, load...) raises a clear error. What model code
writes for the TorchScript compiler's sake keeps its eager meaning, so such code runs
unchanged: is_scripting() and is_tracing() are False, and the decorators ignore, unused,
export and script_if_tracing return the function as it is.
"""
from . import errors


def _not_supported(name):
    def refuse(*args, **kwargs):
        raise errors.torchscript_not_supported(name)
    refuse.__name__ = name
    refuse.__doc__ = f"torch.jit.{name}: TorchScript is not supported in minitorch."
    return refuse


script = _not_supported("script")
trace = _not_supported("trace")
trace_module = _not_supported("trace_module")
save = _not_supported("save")
load = _not_supported("load")
freeze = _not_supported("freeze")
optimize_for_inference = _not_supported("optimize_for_inference")


def is_scripting():
    return False


def is_tracing():
    return False


def ignore(drop=False, **kwargs):
    """@ignore or @ignore(drop=...): the function, as it is."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    return fn


def export(fn):
    return fn


def script_if_tracing(fn):
    return fn
