"""Whether operations record a graph: no_grad, enable_grad, set_grad_enabled, and
inference_mode.

Two switches decide it, as in torch: grad mode (what is_grad_enabled() says) and inference
mode. Ops record a graph only with grad mode on and inference mode off (`_State.enabled`,
the one flag the ops read). Inference mode also marks every tensor made while it is on as
an inference tensor (TensorBase._make reads its flag, tensor_base.INFERENCE_MODE).
"""
import functools
import threading

from ..tensor_base import INFERENCE_MODE


class _ThreadState(threading.local):
    """Per thread, as in torch: no_grad in a data-loading thread leaves training alone."""
    enabled = True    # do ops record a graph: grad mode on and inference mode off
    grad_mode = True  # what is_grad_enabled() says
    anomaly = False   # set_detect_anomaly: check each node's gradients for nan


_State = _ThreadState()


def is_anomaly_enabled():
    return _State.anomaly


class set_detect_anomaly:
    """While on, backward raises as soon as a node returns a nan gradient, naming the node."""

    def __init__(self, mode, check_nan=True):
        self.prev = _State.anomaly
        _State.anomaly = bool(mode) and check_nan

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _State.anomaly = self.prev
        return False


def detect_anomaly(check_nan=True):
    return set_detect_anomaly(True, check_nan)


def is_grad_enabled():
    return _State.grad_mode


def _set_modes(grad_mode, inference_mode):
    _State.grad_mode = grad_mode
    INFERENCE_MODE.enabled = inference_mode
    _State.enabled = grad_mode and not inference_mode


def _run_inside(fn, new_context):
    """fn as a decorated function: each call runs inside a fresh new_context()."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with new_context():
            return fn(*args, **kwargs)
    return wrapper


class set_grad_enabled:
    """Turn graph recording on or off: as a call, a context manager or a decorator."""

    def __init__(self, mode=True):
        self.prev = _State.grad_mode
        self.mode = bool(mode)
        _set_modes(self.mode, INFERENCE_MODE.enabled)

    def __enter__(self):
        _set_modes(self.mode, INFERENCE_MODE.enabled)
        return self

    def __exit__(self, *exc):
        _set_modes(self.prev, INFERENCE_MODE.enabled)
        return False

    def __call__(self, fn):
        wrapper = _run_inside(fn, lambda: self.__class__(self.mode))
        _set_modes(self.prev, INFERENCE_MODE.enabled)  # a decorator: the mode applies inside fn
        return wrapper


class no_grad(set_grad_enabled):
    """Context manager / decorator: operations inside record no graph."""

    def __new__(cls, fn=None):
        if fn is not None:  # used bare, as `@no_grad` rather than `@no_grad()`
            return cls()(fn)
        return super().__new__(cls)

    def __init__(self, fn=None):
        self.prev = _State.grad_mode
        self.mode = False

    def __call__(self, fn):
        return _run_inside(fn, self.__class__)


class enable_grad(no_grad):
    """Context manager / decorator: record the graph even inside no_grad."""

    def __init__(self):
        self.prev = _State.grad_mode
        self.mode = True


def is_inference_mode_enabled():
    return INFERENCE_MODE.enabled


class inference_mode:
    """Context manager / decorator (with or without parentheses): no graph is recorded
    inside, even under enable_grad, and the tensors made inside are inference tensors
    (`t.is_inference()`). inference_mode(False) turns it off again inside one, grad mode
    on. Unlike no_grad, it takes effect on entering, not on construction."""

    def __new__(cls, mode=True):
        if callable(mode):  # used bare, as `@inference_mode`
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def __enter__(self):
        self.prev = (_State.grad_mode, INFERENCE_MODE.enabled)
        _set_modes(not self.mode, self.mode)

    def __exit__(self, *exc):
        _set_modes(*self.prev)
        return False

    def __call__(self, fn):
        return _run_inside(fn, lambda: self.__class__(self.mode))
