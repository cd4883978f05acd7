"""Bad input that once leaked numpy's words or passed silently: torch's error, type and text."""
import numpy as np
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


@pytest.mark.parametrize("case", [
    lambda lib: lib.tensor([5]) // lib.tensor([0]),
    lambda lib: lib.tensor([5, 6]) // lib.tensor([1, 0]),
    lambda lib: lib.div(lib.tensor([5]), lib.tensor([0]), rounding_mode="trunc"),
    lambda lib: lib.div(lib.tensor([5]), 0, rounding_mode="floor"),
    lambda lib: lib.tensor([0], dtype=lib.int32) // 0,
    lambda lib: lib.tensor([True]) - lib.tensor([False]),
    lambda lib: True - lib.tensor([True]),
    lambda lib: lib.tensor([2]) ** -1,
], ids=["floordiv", "floordiv_one_zero", "trunc", "floor_number", "int32", "bool_sub",
        "bool_rsub", "int_to_negative_int"])
def test_integer_arithmetic_errors_as_torch(case):
    same_error(case)


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([-2, -1, 0, 1, 2, 3]) ** lib.tensor([-1]),
    lambda lib: lib.tensor([-2, -1, 0, 1, 2, 3]) ** lib.tensor([-2]),
    lambda lib: lib.tensor([-1, 1, 2]) ** lib.tensor([[-3], [0], [2]]),
    lambda lib: 2 ** lib.tensor([-1, -2, 0, 1]),
    lambda lib: (-1) ** lib.tensor([-1, -2, 3]),
    lambda lib: 0 ** lib.tensor([-1, 0]),
    lambda lib: lib.tensor([2], dtype=lib.int32) ** lib.tensor([-1], dtype=lib.int32),
    lambda lib: lib.tensor([5.0]) // lib.tensor([0.0]),
])
def test_integer_powers_and_divisions_give_torchs_values(make):
    import torch
    ours, theirs = make(minitorch), make(torch)
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("case", [
    lambda lib: (lambda x: x[1:].copy_(x[:-1]))(lib.arange(5.0)),
    lambda lib: (lambda x: x[:-1].copy_(x[1:]))(lib.arange(5.0)),
    lambda lib: (lambda x: x[0, 1:].copy_(x[0, :-1]))(lib.zeros(2, 4)),
    lambda lib: lib.cat([]),
], ids=["copy_right", "copy_left", "copy_2d", "cat_nothing"])
def test_shape_errors_as_torch(case):
    same_error(case)


@pytest.mark.parametrize("make", [
    lambda lib: (lambda x: x.copy_(x))(lib.arange(5.0)),
    lambda lib: (lambda x: x[1:].copy_(x[1:]))(lib.arange(5.0)),
    lambda lib: (lambda x: x[::2].copy_(x[1::2]))(lib.arange(6.0)),
    lambda lib: (lambda x: x[:2].copy_(x[3:]))(lib.arange(5.0)),
], ids=["itself", "same_block", "interleaved", "disjoint"])
def test_copies_torch_allows_still_work(make):
    import torch
    np.testing.assert_array_equal(make(minitorch).numpy(), make(torch).numpy())


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.functional.dropout(lib.ones(3), p=float("nan")),
    lambda lib: lib.nn.Dropout(p=float("nan"))(lib.ones(3)),
    lambda lib: lib.nn.functional.dropout(lib.ones(3), p=-0.5),
], ids=["functional_nan", "module_nan", "negative"])
def test_dropout_refuses_a_probability_outside_0_1(case):
    same_error(case)
