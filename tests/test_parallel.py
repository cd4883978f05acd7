"""minitorch's threads (minitorch/parallel.py): torch's set_num_threads / get_num_threads,
ops whose batch is split over the threads giving torch's results (and, but for the order
of sums over the batch, the one-thread results bit for bit), matrix products split by
rows, and a forked child (a DataLoader worker) that makes its own threads."""
import multiprocessing

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn.functional as F
from minitorch import parallel
from parity import check, same_error


@pytest.fixture
def threads():
    """Set minitorch's thread count for one test, and put the count back after it."""
    before = minitorch.get_num_threads()
    yield minitorch.set_num_threads
    minitorch.set_num_threads(before)


@pytest.mark.parametrize("value", [0, -1, 2.5, "2", True])
def test_set_num_threads_refuses_what_torch_refuses(value):
    before = minitorch.get_num_threads()
    same_error(lambda lib: lib.set_num_threads(value))
    assert minitorch.get_num_threads() == before


def test_set_num_threads_is_what_get_num_threads_returns(threads):
    threads(3)
    assert minitorch.get_num_threads() == 3
    threads(1)
    assert minitorch.get_num_threads() == 1


def test_over_batch_covers_the_batch_once_in_order(threads):
    threads(3)
    seen = parallel.over_batch(10, parallel.MIN_PARALLEL_WORK, lambda part: part)
    assert seen == [slice(0, 3), slice(3, 6), slice(6, 10)]
    assert parallel.over_batch(10, 1, lambda part: part) == [slice(0, 10)]   # too little work
    threads(1)
    assert parallel.over_batch(10, parallel.MIN_PARALLEL_WORK, lambda part: part) == [slice(0, 10)]


def lenet_layers(lib, x, w1, b1, w2, b2):
    """The CIFAR LeNet's convolutions, ReLUs and poolings (direct kernels, split batch)."""
    functional = F if lib is minitorch else torch.nn.functional
    h = functional.max_pool2d(functional.relu(functional.conv2d(x, w1, b1)), 2)
    return functional.max_pool2d(functional.relu(functional.conv2d(h, w2, b2, padding=1)), 2)


def lenet_operands(dtype, batch=48):
    rng = np.random.default_rng(0)
    return [a.astype(dtype) for a in (rng.standard_normal((batch, 3, 32, 32)),
                                      rng.standard_normal((6, 3, 5, 5)) * 0.2,
                                      rng.standard_normal(6) * 0.1,
                                      rng.standard_normal((16, 6, 5, 5)) * 0.1,
                                      rng.standard_normal(16) * 0.1)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_split_batch_gives_torchs_values_and_gradients(threads, dtype):
    threads(2)
    check(lenet_layers, *lenet_operands(dtype))


def test_split_batch_gives_the_one_thread_results(threads):
    """Values and the input's gradient bit for bit; the weights' gradients (sums over the
    batch, added part by part) to rounding."""
    results = []
    for count in (1, 2, 3):
        threads(count)
        leaves = [minitorch.tensor(a, requires_grad=True) for a in lenet_operands(np.float32)]
        out = lenet_layers(minitorch, *leaves)
        out.backward(minitorch.ones_like(out))
        results.append([out.detach().numpy()] + [leaf.grad.numpy() for leaf in leaves])
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], results[0][0])
        np.testing.assert_array_equal(other[1], results[0][1])
        for ours, theirs in zip(other[2:], results[0][2:]):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6 * np.abs(theirs).max())


@pytest.mark.parametrize("shapes", [((300, 200), (200, 150)), ((2, 300, 200), (200, 90)),
                                    ((300, 200), (3, 200, 90))])
def test_large_products_split_by_rows_match_torch(threads, shapes):
    threads(2)
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal(shape) for shape in shapes)
    assert a.shape[-2] * a.shape[-1] * b.shape[-1] >= 2 * parallel.MIN_PARALLEL_WORK
    check(lambda lib, a, b: lib.matmul(a, b), a, b)
    check(lambda lib, a, b: lib.matmul(a, b), a.astype(np.float32), b.astype(np.float32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_outer_product_is_the_broadcast_product(dtype):
    """A product whose inner dim is 1 (Linear's weight gradient at batch 1) runs as the
    broadcast product: no sums, so bit for bit numpy's matmul; and torch's values and
    gradients through a batch-1 Linear."""
    rng = np.random.default_rng(2)
    for a, b in ((rng.standard_normal((40, 1)), rng.standard_normal((1, 12))),
                 (rng.standard_normal((12, 1)).T.T, rng.standard_normal((40, 1)).T)):
        a, b = a.astype(dtype), b.astype(dtype)
        np.testing.assert_array_equal(parallel.matmul(a, b), np.matmul(a, b), strict=True)
    x, w, bias = (rng.standard_normal(shape).astype(dtype) for shape in ((1, 40), (12, 40), (12,)))
    check(lambda lib, x, w, bias: (F if lib is minitorch else torch.nn.functional).linear(
        x, w, bias), x, w, bias)


def convolve_in_child(queue):
    x, w1, b1, w2, b2 = (minitorch.tensor(a) for a in lenet_operands(np.float64))
    queue.put(lenet_layers(minitorch, x, w1, b1, w2, b2).numpy())


def test_a_forked_child_makes_its_own_threads(threads):
    """The parent's helper threads do not survive a fork: a child (as a DataLoader worker
    is) that splits a batch starts its own, rather than wait on threads it does not have."""
    threads(2)
    operands = [minitorch.tensor(a) for a in lenet_operands(np.float64)]
    expected = lenet_layers(minitorch, *operands).numpy()   # the parent's threads exist now
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=convolve_in_child, args=(queue,))
    child.start()
    got = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    np.testing.assert_array_equal(got, expected)
