"""Bad input that once leaked numpy's words or passed silently: torch's error, type and text."""
import pytest

import minitorch
from parity import same_error


def hook_returning(lib, make):
    def f(lib_=lib):
        x = lib.ones(3, requires_grad=True)
        y = x * 2

        def my_hook(grad):
            return make(lib)
        y.register_hook(my_hook)
        y.sum().backward()
    return f


@pytest.mark.parametrize("make", [lambda lib: lib.ones(2), lambda lib: lib.ones(3, dtype=lib.float64)],
                         ids=["size", "dtype"])
def test_a_hook_that_changes_the_gradients_size_or_type_is_named(make):
    same_error(lambda lib: hook_returning(lib, make)())


def test_a_leaf_hook_that_changes_the_size_is_named():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        x.register_hook(lambda grad: lib.ones(2))
        (x * 2).sum().backward()
    same_error(f)


@pytest.mark.parametrize("case", [
    lambda lib: lib.linspace(0, 1, -1),
    lambda lib: lib.tensor([2 ** 70]),
    lambda lib: lib.tensor([[1, 2], [3, -2 ** 64]]),
], ids=["linspace_negative_steps", "int_past_int64", "nested_int_past_int64"])
def test_creation_refuses_as_torch(case):
    same_error(case)


@pytest.mark.parametrize("make", [lambda lib: lib.zeros(10 ** 12), lambda lib: lib.empty(10 ** 7, 10 ** 6),
                                  lambda lib: lib.ones(10 ** 12, dtype=lib.float64)])
def test_an_impossible_allocation_is_torchs_runtime_error(make):
    ours, _ = same_error(make, exact=False, key="DefaultCPUAllocator: can't allocate memory: you tried to allocate")
    assert "bytes" in str(ours)


def test_the_allocation_error_names_the_bytes():
    with pytest.raises(RuntimeError, match="allocate 8000000000000 bytes"):
        minitorch.zeros(10 ** 12, dtype=minitorch.float64)
