"""minitorch.backends.cudnn: the cuDNN flags scripts set (`cudnn.benchmark = True`,
`cudnn.deterministic = True`, ...), with torch's defaults. minitorch has no cuDNN: the
flags change nothing (its CPU results are deterministic), and is_available() is False,
as on a torch built without CUDA.
"""
import contextlib

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True
fp32_precision = "none"
depthwise_kernel = "auto"

_FLAGS = ("enabled", "benchmark", "benchmark_limit", "deterministic", "allow_tf32",
          "fp32_precision", "depthwise_kernel")


def is_available():
    return False


def version():
    """cuDNN's version: None without cuDNN, as in torch."""
    return None


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True, fp32_precision="none", depthwise_kernel="auto"):
    """The flags set inside a `with` block and restored after it (torch's defaults for the
    arguments, as torch.backends.cudnn.flags)."""
    module = globals()
    saved = {name: module[name] for name in _FLAGS}
    module.update(zip(_FLAGS, (enabled, benchmark, benchmark_limit, deterministic, allow_tf32,
                               fp32_precision, depthwise_kernel)))
    try:
        yield
    finally:
        module.update(saved)
