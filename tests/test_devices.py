"""Devices against torch: minitorch.accelerator, backends.mps, backends.cudnn, the default
device, and minitorch.jit.

minitorch is a CPU-only build, so its answers are a CPU-only torch's. The torch installed
here is a CUDA build on a machine without a GPU: where its answer depends on having been
built with CUDA (current_accelerator(), cudnn.is_available()), the test checks torch's
runtime answer (`check_available=True`) or torch's documented CPU-only answer instead.
"""
import contextlib
import threading

import numpy as np
import pytest
import torch

import minitorch
from parity import same_error


# ---- minitorch.accelerator ----------------------------------------------------------------

def test_accelerator():
    acc = minitorch.accelerator
    assert acc.is_available() is False is torch.accelerator.is_available()
    assert acc.device_count() == 0 == torch.cuda.device_count()
    # torch: "If no accelerator were available at compilation time, returns None"
    assert acc.current_accelerator() is None
    assert acc.current_accelerator(check_available=True) is None \
        is torch.accelerator.current_accelerator(check_available=True)
    # scripts pick their device with it, as torch's docs show
    device = acc.current_accelerator().type if acc.is_available() else "cpu"
    assert minitorch.ones(2).to(device).device == minitorch.device("cpu")
    for call in (acc.current_device_index, acc.synchronize, lambda: acc.set_device_index(0)):
        with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is "
                                               "available."):
            call()
    assert acc.set_device_index(-1) is None  # negative: a no-op, as in torch


# ---- minitorch.backends ---------------------------------------------------------------------

def test_mps():
    assert minitorch.backends.mps.is_available() is False is torch.backends.mps.is_available()
    assert minitorch.backends.mps.is_built() is False is torch.backends.mps.is_built()


def test_cudnn_flags():
    import minitorch.backends.cudnn as cudnn  # as scripts import it
    theirs = torch.backends.cudnn
    flags = ("enabled", "benchmark", "benchmark_limit", "deterministic", "allow_tf32",
             "fp32_precision", "depthwise_kernel")
    assert [getattr(cudnn, f) for f in flags] == [getattr(theirs, f) for f in flags]
    assert cudnn.is_available() is False and cudnn.version() is None  # a CPU-only build's
    saved = {f: getattr(cudnn, f) for f in flags}
    try:
        cudnn.benchmark = True
        cudnn.deterministic = True
        assert minitorch.backends.cudnn.benchmark is True and cudnn.deterministic is True
        cudnn.benchmark = False
        with cudnn.flags(enabled=False, benchmark=True, deterministic=True):
            assert (cudnn.enabled, cudnn.benchmark, cudnn.deterministic) == (False, True, True)
        assert (cudnn.enabled, cudnn.benchmark, cudnn.deterministic) == (True, False, True)
        with contextlib.suppress(KeyError), cudnn.flags():
            assert cudnn.enabled is False  # flags() defaults, as torch's
            raise KeyError
        assert cudnn.enabled is True
    finally:
        for f, v in saved.items():
            setattr(cudnn, f, v)
    # the flags change nothing: the same numbers either way
    minitorch.manual_seed(0)
    net = minitorch.nn.Conv2d(1, 2, 3)
    x = minitorch.randn(1, 1, 5, 5)
    before = net(x)
    with cudnn.flags(enabled=True, benchmark=True, deterministic=True):
        assert minitorch.equal(net(x), before)


# ---- the default device ----------------------------------------------------------------------

@contextlib.contextmanager
def default_device(device):
    """set_default_device(device) in both engines, cleared afterwards."""
    try:
        torch.set_default_device(str(device))
        minitorch.set_default_device(device)
        yield
    finally:
        torch.set_default_device(None)
        minitorch.set_default_device(None)


def test_default_device_cpu():
    assert repr(minitorch.get_default_device()) == repr(torch.get_default_device()) == \
        "device(type='cpu')"
    for device in ("cpu", minitorch.device("cpu")):
        with default_device(device):
            assert repr(minitorch.get_default_device()) == "device(type='cpu')"
            assert minitorch.zeros(2).device == minitorch.device("cpu")
    with default_device("cpu:0"):
        assert repr(minitorch.get_default_device()) == repr(torch.get_default_device())
        assert str(minitorch.tensor([1.0]).device) == str(torch.tensor([1.0]).device) == "cpu"
    assert minitorch.set_default_device(None) is None
    assert repr(minitorch.get_default_device()) == "device(type='cpu')"


def test_default_device_cuda_without_cuda():
    """torch accepts the setting, and refuses to make a tensor there; so does minitorch.
    Functions that take their device from a tensor (zeros_like, new_zeros) or from memory
    (from_numpy) are not affected, as in torch."""
    with default_device("cuda"):
        makers = [lambda T: T.zeros(2), lambda T: T.tensor([1.0]), lambda T: T.rand(2),
                  lambda T: T.arange(3), lambda T: T.full((2,), 1.0), lambda T: T.eye(2),
                  lambda T: T.get_default_device()]
        for make in makers:
            for lib in (torch, minitorch):
                with pytest.raises(RuntimeError):
                    make(lib)
        with pytest.raises(RuntimeError, match="minitorch computes on 'cpu' only"):
            minitorch.ones(1)
        for lib in (torch, minitorch):
            x = lib.from_numpy(np.ones(2, dtype=np.float32))
            assert str(x.device) == "cpu"
            assert str(lib.zeros_like(x).device) == "cpu" and str(x.new_zeros(2).device) == "cpu"
            assert str(lib.ones(2, device="cpu").device) == "cpu"  # an explicit device wins
    assert minitorch.zeros(1).device == minitorch.device("cpu")


def test_default_device_errors_and_threads():
    same_error(lambda T: T.set_default_device("foo"))
    for device in ("gpu:0", "CPU", "cuda:x", "cpu:-1", "cuda:0:1", "cuda:", "cuda:01"):
        same_error(lambda T: T.set_default_device(device))
    seen = []
    with default_device("cuda"):
        thread = threading.Thread(target=lambda: seen.append(str(minitorch.zeros(1).device)))
        thread.start()
        thread.join()
    assert seen == ["cpu"]  # per thread, as torch's


# ---- minitorch.jit --------------------------------------------------------------------------

def test_jit_compiling_is_refused_clearly():
    net = minitorch.nn.Linear(2, 2)
    x = minitorch.ones(1, 2)
    calls = {"script": lambda: minitorch.jit.script(net), "trace": lambda: minitorch.jit.trace(net, x),
             "trace_module": lambda: minitorch.jit.trace_module(net, {"forward": x}),
             "save": lambda: minitorch.jit.save(net, "net.pt"),
             "load": lambda: minitorch.jit.load("net.pt"),
             "freeze": lambda: minitorch.jit.freeze(net),
             "optimize_for_inference": lambda: minitorch.jit.optimize_for_inference(net)}
    for name, call in calls.items():
        with pytest.raises(NotImplementedError, match=f"minitorch.jit.{name}: TorchScript is not "
                                                      "supported in minitorch") as info:
            call()
        assert isinstance(info.value, RuntimeError)  # (NotImplementedError is one, as in torch)
        assert hasattr(torch.jit, name)


def test_jit_annotations_keep_their_eager_meaning():
    """Model code written for TorchScript's sake runs as it does in torch without scripting."""
    class Net(minitorch.nn.Module):
        @minitorch.jit.ignore
        def helper(self, x):
            return x * 2

        @minitorch.jit.unused
        def unused(self, x):
            return x

        @minitorch.jit.export
        def exported(self, x):
            return x + 1

        def forward(self, x):
            if minitorch.jit.is_scripting() or minitorch.jit.is_tracing():
                return x
            return self.helper(x)

    assert minitorch.jit.is_scripting() is torch.jit.is_scripting() is False
    assert minitorch.jit.is_tracing() is torch.jit.is_tracing() is False
    net = Net()
    assert net(minitorch.ones(2)).tolist() == [2, 2] and net.exported(minitorch.ones(1)).item() == 2
    assert minitorch.jit.ignore(drop=True)(len)([1]) == 1
    assert minitorch.jit.script_if_tracing(len) is len
