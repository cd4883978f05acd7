"""Whether operations record a graph: no_grad, enable_grad, set_grad_enabled."""
import functools
import threading


class _ThreadState(threading.local):
    """Per thread, as in torch: no_grad in a data-loading thread leaves training alone."""
    enabled = True
    anomaly = False  # set_detect_anomaly: check each node's gradients for nan


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
    return _State.enabled


class set_grad_enabled:
    """Turn graph recording on or off: as a call, a context manager or a decorator."""

    def __init__(self, mode=True):
        self.prev = _State.enabled
        self.mode = bool(mode)
        _State.enabled = self.mode

    def __enter__(self):
        _State.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _State.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(self.mode):
                return fn(*args, **kwargs)
        _State.enabled = self.prev  # used as a decorator: the mode applies inside fn only
        return wrapper


class no_grad(set_grad_enabled):
    """Context manager / decorator: operations inside record no graph."""

    def __new__(cls, fn=None):
        if fn is not None:  # used bare, as `@no_grad` rather than `@no_grad()`
            return cls()(fn)
        return super().__new__(cls)

    def __init__(self, fn=None):
        self.prev = _State.enabled
        self.mode = False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class enable_grad(no_grad):
    """Context manager / decorator: record the graph even inside no_grad."""

    def __init__(self):
        self.prev = _State.enabled
        self.mode = True
