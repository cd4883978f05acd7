"""Reductions, softmax and matrix products: torch's error texts and node names in the cases
whose wording depends on which product (or which overload) torch runs."""
import pytest
import torch

import minitorch
from parity import same_error


@pytest.mark.parametrize("dims", [(0, 2, -1), (1, 1, 0, 0), (2, 1, 2, 1), (-1, 2)])
@pytest.mark.parametrize("op", ["sum", "mean", "amax", "var"])
def test_a_dim_named_twice_is_the_one_torch_names(dims, op):
    same_error(lambda lib: getattr(lib.ones(2, 3, 4), op)(dims))


@pytest.mark.parametrize("call", [
    lambda t: t.sum(()), lambda t: t.sum([]), lambda t: t.sum(0), lambda t: t.sum(),
    lambda t: t.sum(dtype=t.dtype), lambda t: t.mean(()), lambda t: t.mean(-1), lambda t: t.mean(),
    lambda t: t.max(), lambda t: t.min(), lambda t: t.max(0).values, lambda t: t.min(0)[0],
    lambda t: t.amax(), lambda t: t.amin(()), lambda t: t.amax(0),
])
@pytest.mark.parametrize("shape", [(), (2, 3)])
def test_reductions_name_their_node_as_torch_does(call, shape):
    names = [type(call(lib.ones(shape, requires_grad=True)).grad_fn).__name__
             if lib is torch else call(lib.ones(shape, requires_grad=True)).grad_fn.name()
             for lib in (torch, minitorch)]
    assert names[0] == names[1]


@pytest.mark.parametrize("op", ["amax", "amin"])
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0)])
def test_amax_of_an_empty_tensor_over_all_dims(op, shape):
    same_error(lambda lib: getattr(lib.ones(shape), op)())


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((3,), (4,)), ((3, 3), (3,)), ((2, 3, 3), (3,)),
                                    ((3, 4), (3,)), ((2, 3, 4), (5,)), ((2, 3, 4), (2, 4, 2)),
                                    ((2, 3, 4), (2, 5, 2)), ((2, 3, 3), (3, 3, 3)),
                                    ((3,), (2, 3, 4)), ((2, 3, 4), (4, 2))])
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32")])
def test_matmul_shape_and_dtype_errors_name_the_product_torch_runs(shapes, dtypes):
    def f(lib):
        a = lib.ones(shapes[0], dtype=getattr(lib, dtypes[0]))
        b = lib.ones(shapes[1], dtype=getattr(lib, dtypes[1]))
        return a @ b
    same_error(f)


@pytest.mark.parametrize("case", [
    lambda lib: lib.mv(lib.ones(3, 3), lib.ones(3, 3)),
    lambda lib: lib.mv(lib.ones(3), lib.ones(3, 3)),
    lambda lib: lib.mv(lib.ones(3, 3, 3), lib.ones(3)),
    lambda lib: lib.mv(lib.ones(3, 3), lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.mv(lib.ones(3, 4, dtype=lib.float64), lib.ones(3)),
    lambda lib: lib.dot(lib.ones(3), lib.ones(4, dtype=lib.float64)),
    lambda lib: lib.dot(lib.ones(3), lib.ones(4)),
    lambda lib: lib.bmm(lib.ones(2, 3, 3), lib.ones(2, 3, 3, dtype=lib.float64)),
    lambda lib: lib.bmm(lib.ones(2, 3, 3), lib.ones(3, 3)),
    lambda lib: lib.mm(lib.ones(3, 3), lib.ones(3, 3, dtype=lib.float64)),
    lambda lib: lib.mm(lib.ones(3, 3), lib.ones(4, 3, dtype=lib.float64)),
])
def test_mv_dot_bmm_mm_errors(case):
    same_error(case)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_of_integers(op, dim):
    same_error(lambda lib: getattr(lib, op)(lib.ones(2, 3, dtype=lib.int64), dim))
