"""minitorch.accelerator: torch's device-agnostic questions about the accelerator (CUDA,
MPS, XPU...) a build was made for. minitorch computes on the CPU only: it was built for
none, so its answers are those of a CPU-only torch.
"""
from . import errors


def is_available():
    return False


def current_accelerator(check_available=False):
    """The accelerator's device type, or None: a CPU-only build has none."""
    return None


def device_count():
    return 0


def current_device_index():
    raise errors.no_accelerator()


def set_device_index(device):
    """A negative index is a no-op, as in torch; any other needs an accelerator."""
    if isinstance(device, int) and device < 0:
        return
    raise errors.no_accelerator()


def synchronize(device=None):
    raise errors.no_accelerator()
