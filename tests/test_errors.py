"""Errors: minitorch raises torch's exception type with torch's message.

Each case runs the same code in torch and in minitorch. The exception types must agree
(the builtin class: RuntimeError, ValueError, IndexError, TypeError) and the message must be
torch's (``torch.`` read as ``minitorch.``), exactly where torch's text is deterministic and
about the user's code, or contain torch's key sentence where torch's text names its own
internals.
"""
import re

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from parity import raised, same_error, torch_name

LIBS = (minitorch, torch)


# ---- autograd ---------------------------------------------------------------------------

def test_backward_twice_through_a_freed_graph():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
    same_error(f, exact=False, key="Trying to backward through the graph a second time")


def test_backward_twice_through_a_freed_graph_after_autograd_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        lib.autograd.grad(y, x)
        y.backward()
    same_error(f, exact=False, key="Trying to backward through the graph a second time")


def test_backward_twice_full_message():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.sigmoid() * 3).sum()
        y.backward()
        y.backward()
    same_error(f)


@pytest.mark.parametrize("shape", [(3,), (2, 2), (1, 2)])
def test_implicit_grad_of_a_non_scalar(shape):
    def f(lib):
        x = lib.ones(shape, requires_grad=True)
        (x * 2).backward()
    same_error(f)


def test_implicit_grad_in_autograd_grad():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        lib.autograd.grad(x * 2, x)
    same_error(f)


def _sigmoid_output(lib, x):
    y = x.sigmoid()          # sigmoid saves its output
    y.mul_(2)
    y.sum().backward()


def _mul_input(lib, x):
    y = x * 1
    z = y * y                # mul saves its inputs
    y.add_(1)
    z.sum().backward()


def _exp_output(lib, x):
    y = x.exp()
    y.zero_()
    y.sum().backward()


def _tanh_output_setitem(lib, x):
    y = x.tanh()
    y[0] = 5.0
    y.sum().backward()


def _pow_input_through_a_view(lib, x):
    y = x + 0
    z = y ** 2
    y[0:1].mul_(3)
    z.sum().backward()


def _saved_leaf_changed_under_no_grad(lib, x):
    z = x * x
    with lib.no_grad():
        x.add_(1)
    z.sum().backward()


INPLACE_SAVED = {f.__name__[1:]: f for f in (_sigmoid_output, _mul_input, _exp_output, _tanh_output_setitem,
                                            _pow_input_through_a_view, _saved_leaf_changed_under_no_grad)}


@pytest.mark.parametrize("case", list(INPLACE_SAVED))
def test_inplace_change_of_a_saved_tensor(case):
    def f(lib):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        INPLACE_SAVED[case](lib, x)
    same_error(f, exact=False, key="one of the variables needed for gradient "
                              "computation has been modified by an inplace operation")


@pytest.mark.parametrize("case", list(INPLACE_SAVED))
def test_inplace_change_message_is_torchs(case):
    """The whole diagnosis before torch's anomaly-detection hint: which tensor (as
    [minitorch.FloatTensor [3]]), the forward op that made it, and the versions."""
    def f(lib):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        INPLACE_SAVED[case](lib, x)
    theirs, ours = raised(f, torch), raised(f, minitorch)
    assert isinstance(ours, RuntimeError), repr(ours)
    head_theirs = torch_name(str(theirs).split(" Hint:")[0])
    head_ours = str(ours).split(" Hint:")[0].replace("minitorch::autograd::", "torch::autograd::")
    assert head_ours == head_theirs, f"\nminitorch: {head_ours}\ntorch:     {head_theirs}"
    if minitorch is not torch:
        assert not re.search(r"(?<!mini)torch\.", str(ours)), f"minitorch's message names torch: {ours}"


def test_inplace_change_of_an_unsaved_tensor_is_fine():
    out = {}
    for lib in LIBS:
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = x * 2                    # mul by a constant saves nothing of y
        z = y + 1                    # add saves nothing
        y.add_(1)
        z.sum().backward()
        out[lib] = x.grad.numpy().copy()
    np.testing.assert_array_equal(out[minitorch], out[torch])


@pytest.mark.parametrize("op", ["add_", "mul_", "sub_", "div_", "zero_", "fill_", "clamp_", "setitem", "copy_"])
def test_inplace_on_a_leaf_that_requires_grad(op):
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        if op == "zero_":
            x.zero_()
        elif op == "fill_":
            x.fill_(3.0)
        elif op == "clamp_":
            x.clamp_(0, 1)
        elif op == "setitem":
            x[0] = 5.0
        elif op == "copy_":
            x.copy_(lib.ones(2))
        else:
            getattr(x, op)(2.0)
    same_error(f)


def test_inplace_on_a_view_of_a_leaf_that_requires_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x[0].add_(1)
    same_error(f, exact=False, key="a view of a leaf Variable that requires grad is being used in an in-place operation.")


def test_augmented_assignment_on_a_leaf_that_requires_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x += 1
    same_error(f)


def test_requires_grad_of_a_non_leaf_cannot_be_changed():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).requires_grad_(False)
    same_error(f)


def test_retain_grad_on_a_tensor_that_does_not_require_grad():
    same_error(lambda lib: lib.tensor([1.0, 2.0]).retain_grad())


@pytest.mark.parametrize("make", ["sum", "plain"])
def test_backward_on_a_tensor_that_does_not_require_grad(make):
    def f(lib):
        t = lib.ones(3)
        (t.sum() if make == "sum" else lib.tensor(2.0)).backward()
    same_error(f)


def test_autograd_grad_of_an_unused_input():
    def f(lib):
        a = lib.ones(3, requires_grad=True)
        b = lib.ones(3, requires_grad=True)
        lib.autograd.grad((a * 2).sum(), [a, b])
    same_error(f)


def test_backward_with_a_gradient_of_the_wrong_shape():
    def f(lib):
        a = lib.ones(3, requires_grad=True)
        (a * 2).backward(lib.ones(2))
    same_error(f)


@pytest.mark.parametrize("how", ["tensor", "requires_grad_", "ones"])
def test_integer_tensors_cannot_require_grad(how):
    def f(lib):
        if how == "tensor":
            lib.tensor([1, 2], requires_grad=True)
        elif how == "requires_grad_":
            lib.tensor([1, 2]).requires_grad_()
        else:
            lib.ones(2, dtype=lib.int64, requires_grad=True)
    same_error(f)


def test_numpy_of_a_tensor_that_requires_grad():
    same_error(lambda lib: lib.ones(2, requires_grad=True).numpy())


def test_item_of_a_tensor_with_several_elements():
    same_error(lambda lib: lib.ones(2).item())
    same_error(lambda lib: lib.ones(2, 3).item())


def test_bool_of_a_tensor_with_several_elements():
    same_error(lambda lib: bool(lib.ones(2)))


@pytest.mark.parametrize("conv", [int, float])
def test_python_number_of_a_tensor_with_several_elements(conv):
    same_error(lambda lib: conv(lib.ones(2)))
    same_error(lambda lib: conv(lib.ones(2, 3)))


# ---- broadcasting ---------------------------------------------------------------------

def _broadcastable(a, b):
    for x, y in zip(reversed(a), reversed(b)):
        if x != y and x != 1 and y != 1:
            return False
    return True


BINARY = {
    "+": lambda lib, x, y: x + y,
    "-": lambda lib, x, y: x - y,
    "*": lambda lib, x, y: x * y,
    "/": lambda lib, x, y: x / y,
    "add": lambda lib, x, y: x.add(y),
    "mul": lambda lib, x, y: x.mul(y),
    "torch.add": lambda lib, x, y: lib.add(x, y),
}


def test_broadcast_mismatch_seed_example():
    for op in BINARY.values():
        same_error(lambda lib: op(lib, lib.ones(2, 3), lib.ones(2, 4)))
    ours, _ = same_error(lambda lib: lib.ones(2, 3) + lib.ones(2, 4))
    assert str(ours) == "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"


@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5),
       hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5),
       st.sampled_from(sorted(BINARY)))
def test_broadcast_mismatch(a, b, op):
    assume(not _broadcastable(a, b))
    same_error(lambda lib: BINARY[op](lib, lib.ones(a), lib.ones(b)))


@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
       hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
       st.sampled_from(["add_", "mul_", "sub_", "div_", "copy_"]))
def test_inplace_broadcast_mismatch(a, b, op):
    """Either the shapes do not broadcast, or the result would not fit in `self`."""
    assume(not (_broadcastable(a, b) and np.broadcast_shapes(a, b) == tuple(a)))
    same_error(lambda lib: getattr(lib.ones(a), op)(lib.ones(b)))


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/="])
def test_augmented_assignment_broadcast_mismatch(op):
    def f(lib):
        t = lib.ones(2, 3)
        exec(f"t {op} other", {}, {"t": t, "other": lib.ones(2, 4)})
    same_error(f)

    def g(lib):
        t = lib.ones(3, 1)
        exec(f"t {op} other", {}, {"t": t, "other": lib.ones(1, 4)})
    same_error(g)


def test_inplace_result_does_not_fit():
    same_error(lambda lib: lib.ones(3, 1).add_(lib.ones(1, 4)))
    same_error(lambda lib: lib.ones(3).mul_(lib.ones(2, 3)))


# ---- matrix products --------------------------------------------------------------------

MATMUL = {
    "mm": lambda lib, a, b: lib.mm(a, b),
    "tensor.mm": lambda lib, a, b: a.mm(b),
    "matmul": lambda lib, a, b: lib.matmul(a, b),
    "@": lambda lib, a, b: a @ b,
}


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5),
       st.sampled_from(sorted(MATMUL)))
def test_matmul_2d_shape_mismatch(n, k1, k2, m, name):
    assume(k1 != k2)
    same_error(lambda lib: MATMUL[name](lib, lib.ones(n, k1), lib.ones(k2, m)))


@pytest.mark.parametrize("shapes", [((7, 2, 3), (7, 4, 5)), ((2, 3), (7, 4, 5)), ((7, 2, 3), (4, 5)),
                                    ((7, 2, 3), (6, 3, 5)), ((2, 7, 2, 3), (7, 4, 5)),
                                    ((1, 2, 3), (5, 2, 5))])
@pytest.mark.parametrize("name", ["matmul", "@"])
def test_matmul_batched_shape_mismatch(shapes, name):
    a, b = shapes
    same_error(lambda lib: MATMUL[name](lib, lib.ones(a), lib.ones(b)))


def test_mm_needs_matrices():
    same_error(lambda lib: lib.mm(lib.ones(2, 3), lib.ones(3)), exact=False, key="must be a matrix")


# ---- indexing and shapes ----------------------------------------------------------------

@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data())
def test_index_out_of_range(shape, data):
    dim = data.draw(st.integers(0, len(shape) - 1))
    size = shape[dim]
    i = data.draw(st.one_of(st.integers(size, size + 5), st.integers(-size - 5, -size - 1)))
    index = (slice(None),) * dim + (i,)
    same_error(lambda lib: lib.ones(shape)[index])


def test_index_out_of_range_seed_example():
    ours, _ = same_error(lambda lib: lib.ones(3)[5])
    assert str(ours) == "index 5 is out of bounds for dimension 0 with size 3"


def test_setitem_index_out_of_range():
    def f(lib):
        t = lib.ones(3, 4)
        t[1, 4] = 0
    same_error(f)


def test_too_many_indices():
    same_error(lambda lib: lib.ones(3)[0, 0], exact=False, key="too many indices for tensor of dimension 1")


def test_index_tensor_out_of_range():
    same_error(lambda lib: lib.ones(3)[lib.tensor([0, 3])], exact=False, key="out of bounds")


def _put(index, value):
    def f(lib):
        t = lib.zeros(3, 4)
        t[index(lib)] = value(lib)
    return f


@pytest.mark.parametrize("case", [
    lambda lib: lib.zeros(3, 4)[lib.tensor([True, False])],
    lambda lib: lib.zeros(3, 4)[:, lib.tensor([True, False])],
    lambda lib: lib.zeros(3, 4)[lib.ones(3, 3, dtype=lib.bool)],
    lambda lib: lib.zeros(3, 4)[1, lib.tensor([True, False])],
    lambda lib: lib.zeros(3, 4)[None, ..., lib.tensor([True, False])],
    lambda lib: lib.zeros(3, 4)[None, lib.tensor([True, False])],
    lambda lib: lib.zeros(2, 3, 4)[1, ..., lib.tensor([True, False])],
    lambda lib: lib.zeros(3, 4)[lib.tensor([0]), lib.tensor([True, False])],
    _put(lambda lib: (1, lib.tensor([True, False])), lambda lib: 1.0),
    lambda lib: lib.zeros(3)[lib.tensor([0.0])],
    lambda lib: lib.zeros(3)[1.5],
    _put(lambda lib: lib.tensor([True, False, True]), lambda lib: lib.ones(4, dtype=lib.float64)),
    _put(lambda lib: lib.tensor([True, False, True]), lambda lib: lib.ones(3, 4)),
], ids=["mask_dim0", "mask_dim1", "mask_2d", "mask_after_int", "mask_after_none_and_ellipsis",
        "mask_after_none", "mask_after_int_and_ellipsis", "mask_after_index_tensor",
        "mask_put_after_int", "float_index_tensor", "float_index", "put_dtype", "put_shape"])
def test_indexing_errors(case):
    same_error(case)


@pytest.mark.parametrize("case", [
    lambda lib: lib.zeros(2, 3).permute(0),
    lambda lib: lib.zeros(2, 3).permute(1, -1),
    lambda lib: lib.zeros(2, 3, 4).flatten(2, 1),
    lambda lib: lib.zeros(2, 3).expand(3),
    lambda lib: lib.zeros(2, 3).expand(2, 4),
    lambda lib: lib.stack([]),
    lambda lib: lib.stack([lib.zeros(2), lib.zeros(3)]),
    lambda lib: lib.zeros(4).split([1, 2]),
], ids=["permute_too_few", "permute_duplicate", "flatten_start_after_end", "expand_fewer",
        "expand_mismatch", "stack_empty", "stack_mismatch", "split_sizes_sum"])
def test_shape_errors(case):
    same_error(case)


@pytest.mark.parametrize("new_shape", [(5,), (5, -1), (2, 5), (-1, -1), (13,), (4, 4)])
def test_view_of_an_incompatible_size(new_shape):
    same_error(lambda lib: lib.ones(3, 4).view(*new_shape))
    same_error(lambda lib: lib.ones(3, 4).view(new_shape))


def test_view_of_a_non_contiguous_tensor():
    same_error(lambda lib: lib.ones(3, 4).t().view(12))


def test_reshape_of_an_incompatible_size():
    same_error(lambda lib: lib.ones(2, 3).reshape(4))


@pytest.mark.parametrize("data", [[[1, 2], [3]], [[1], [2, 3]], [[[1, 2], [3, 4]], [[5, 6], [7]]],
                                  [[1.0, 2.0], [3.0, 4.0, 5.0]]])
def test_tensor_of_a_ragged_list(data):
    same_error(lambda lib: lib.tensor(data))


@pytest.mark.parametrize("shapes,dim", [(((2, 3), (2, 4)), 0), (((2, 3), (3, 3)), 1),
                                        (((2, 3), (2, 3), (2, 5)), 0), (((2, 3, 4), (2, 2, 5)), 2),
                                        (((2, 3), (3,)), 0), (((2, 3), (2, 3)), 2), (((2, 3), (2, 3)), -3)])
def test_cat_of_mismatched_shapes(shapes, dim):
    same_error(lambda lib: lib.cat([lib.ones(s) for s in shapes], dim=dim))


DIM_FUNCS = {
    "squeeze": lambda t, d: t.squeeze(d),
    "unsqueeze": lambda t, d: t.unsqueeze(d),
    "transpose0": lambda t, d: t.transpose(0, d),
    "transpose1": lambda t, d: t.transpose(d, 0),
    "size": lambda t, d: t.size(d),
    "sum": lambda t, d: t.sum(d),
    "mean": lambda t, d: t.mean(d),
}


@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), st.data(),
       st.sampled_from(sorted(DIM_FUNCS)))
def test_dimension_out_of_range(shape, data, name):
    n = len(shape) + (1 if name == "unsqueeze" else 0)
    d = data.draw(st.one_of(st.integers(n, n + 3), st.integers(-n - 3, -n - 1)))
    same_error(lambda lib: DIM_FUNCS[name](lib.ones(shape), d))


def test_dimension_out_of_range_seed_examples():
    ours, _ = same_error(lambda lib: lib.ones(2, 3).squeeze(2))
    assert str(ours) == "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
    same_error(lambda lib: lib.ones(2, 3).transpose(0, 2))
    same_error(lambda lib: lib.ones(2, 3).transpose(-3, 0))


def test_t_of_a_3d_tensor():
    same_error(lambda lib: lib.ones(2, 3, 4).t())


def test_len_of_a_0d_tensor():
    same_error(lambda lib: len(lib.tensor(1.0)))



def test_moving_to_a_device_that_cannot_be_used():
    """torch raises RuntimeError for a GPU it cannot use (here: none, or no 99th); so does
    minitorch, naming the device, for any device but the CPU."""
    theirs = raised(lambda lib: lib.ones(2).to("cuda:99"), torch)
    for call in (lambda: minitorch.ones(2).to("cuda:99"), lambda: minitorch.ones(2).cuda(),
                 lambda: minitorch.zeros(2, device="cuda:99")):
        with pytest.raises(type(theirs), match="cuda"):
            call()
    assert minitorch.ones(2).to("cpu").device == minitorch.device("cpu")


@pytest.mark.parametrize("make", [
    lambda T: T.addmm(T.zeros(2), T.zeros(3, 4).double(), T.zeros(4, 2)),
    lambda T: T.addmm(T.zeros(2).double(), T.zeros(3, 4), T.zeros(4, 2)),
    lambda T: T.addmm(T.zeros(2), T.zeros(3, 4), T.zeros(4)),
    lambda T: T.addmm(T.zeros(2), T.zeros(4), T.zeros(4, 2)),
    lambda T: T.addmm(T.zeros(2), T.zeros(3, 4), T.zeros(5, 2)),
], ids=["mat1-dtype", "self-dtype", "mat2-1d", "mat1-1d", "shapes"])
def test_addmm_errors(make):
    same_error(make)
