"""Backward passes in several threads at once, into one shared leaf, lose no gradient (torch
guards .grad accumulation with a lock too)."""
import sys
import threading

import numpy as np
import pytest

import minitorch


@pytest.fixture
def eager_thread_switches():
    """Switch threads as often as Python can, so that a race shows up in a few rounds."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("size", [1, 50_000])
def test_concurrent_backward_passes_add_every_gradient(size, eager_thread_switches):
    threads, passes, rounds = 8, 25, 30
    for _ in range(rounds):
        w = minitorch.zeros(size, requires_grad=True)
        start = threading.Barrier(threads)

        def work():
            start.wait()  # every thread delivers its first gradient at once
            for _ in range(passes):
                (w * 1.0).sum().backward()
        pool = [threading.Thread(target=work) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        np.testing.assert_array_equal(w.grad.numpy(), np.full(size, threads * passes, np.float32))
