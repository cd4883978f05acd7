"""Corner cases where minitorch once differed from torch, found by an adversarial review:
each runs the same code in both engines and compares values, dtypes, gradients or the
exception raised.
"""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from parity import assert_close, same_error, torch_name


def same(fn):
    """fn(lib) in both engines; results (tensors, lists of tensors, plain values) must match."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = fn(torch)
    ours = fn(minitorch)
    _compare(ours, theirs)


def _compare(ours, theirs):
    if isinstance(theirs, torch.Tensor):
        assert_close(ours, theirs)
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _compare(o, t)
    else:
        assert ours == theirs


def grads(expr):
    """A function of lib that evaluates expr(lib, x) for x = [0, 2], backprops, returns x.grad."""
    def fn(lib):
        x = lib.tensor([0.0, 2.0], requires_grad=True)
        expr(lib, x).sum().backward()
        return x.grad
    return fn


# ---- silent wrong values and gradients ----------------------------------------------------

def test_std_gradient_where_std_is_zero():
    same(grads(lambda lib, x: (x * 0 + 1).std()))
    same(lambda lib: _backward(lib.ones(2, 3, requires_grad=True), lambda t: t.std(1)))


def _backward(t, fn):
    fn(t).sum().backward()
    return t.grad


def test_var_with_correction_at_least_n():
    same(lambda lib: [lib.tensor([1.0, 2.0]).var(correction=3), lib.zeros(0, 3).var(0)])
    same(lambda lib: _backward(lib.tensor([1.0], requires_grad=True), lambda t: t.var()))


def test_zero_to_the_power_of_a_tensor():
    same(grads(lambda lib, x: 0.0 ** x))


def test_where_with_a_float_number_and_an_int_tensor():
    same(lambda lib: lib.where(lib.tensor([True, False]), 0.5, lib.tensor([1, 2])))
    same(lambda lib: lib.where(lib.tensor([True, False]), lib.tensor([1, 2]), 2.5))


def test_narrow_with_a_negative_start():
    same(lambda lib: lib.arange(5).narrow(0, -2, 2))


def test_retain_grad_then_in_place():
    def fn(lib):
        x = lib.ones(3, requires_grad=True)
        y = x + 0
        y.retain_grad()
        y.mul_(2)
        y.sum().backward()
        return [y.grad, x.grad]
    same(fn)


def test_bitwise_operators_on_integers_and_bools():
    same(lambda lib: [lib.tensor([1, 2]) & lib.tensor([3, 3]), lib.tensor([1, 2]) | 4,
                      lib.tensor([5, 6]) ^ lib.tensor([3, 3]), ~lib.tensor([1, 2]),
                      lib.tensor([True, False]) ^ lib.tensor([True, True]),
                      ~lib.tensor([True, False])])


def test_nan_gets_the_gradient_of_max_and_maximum():
    nan = float("nan")
    same(lambda lib: _backward(lib.tensor([1.0, nan, 2.0], requires_grad=True), lambda t: t.max()))
    same(lambda lib: _backward(lib.tensor([[1.0, nan], [2.0, 3.0]], requires_grad=True),
                               lambda t: t.amax(1)))

    def pair(lib, op):
        a = lib.tensor([nan, 1.0, 2.0], requires_grad=True)
        b = lib.tensor([1.0, 1.0, nan], requires_grad=True)
        getattr(lib, op)(a, b).sum().backward()
        return [a.grad, b.grad]
    same(lambda lib: pair(lib, "maximum"))
    same(lambda lib: pair(lib, "minimum"))


def test_addmm_with_beta_zero_ignores_nan_input():
    same(lambda lib: lib.addmm(lib.full((2, 2), float("nan")), lib.ones(2, 3), lib.ones(3, 2),
                               beta=0))


def test_a_list_holding_lists_indexes_like_a_tuple():
    same(lambda lib: lib.arange(6.0).reshape(2, 3)[[[0, 1]]])


def test_python_numbers_are_taken_in_the_tensors_dtype():
    same(lambda lib: [lib.tensor([1, 2, 3], dtype=lib.uint8) > -1,
                      lib.tensor([1, 2], dtype=lib.int8) * 300,
                      lib.tensor([1, 2], dtype=lib.uint8) + 300,
                      lib.ones(2) * np.float64(2), lib.tensor([1, 2]) * np.float64(2)])


def test_grad_captures_before_hooks_and_backward_inputs_keeps_retained_grads():
    def hooked(lib):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * 0)
        return list(lib.autograd.grad((y * 3).sum(), [y, x]))
    same(hooked)

    def retained(lib):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        y.retain_grad()
        (y * 3).sum().backward(inputs=[x])
        return [y.grad, x.grad]
    same(retained)


def test_a_saved_tensor_without_grad_changed_in_place_is_an_error():
    def constant_factor(lib):
        x = lib.ones(3, requires_grad=True)
        c = lib.full((3,), 4.0)
        z = c * (x * 1)
        c.add_(1)
        z.sum().backward()
    same_error(constant_factor, exact=False, key="modified by an inplace operation")

    def frozen_weight(lib):
        x = lib.ones(2, 3, requires_grad=True)
        w = lib.ones(3, 2)
        z = x @ w
        w.mul_(3)
        z.sum().backward()
    same_error(frozen_weight, exact=False, key="modified by an inplace operation")


# ---- legal code that must run ----------------------------------------------------------

def test_operands_no_gradient_needs_may_change_in_place():
    """torch saves only what the wanted gradients need: changing the rest is fine."""
    def scaled(lib, op):
        x = lib.ones(2, 2, requires_grad=True)
        y = x * 1
        z = op(y)
        y.add_(1)
        z.sum().backward()
        return x.grad
    for op in (lambda y: y * 2, lambda y: y / 2, lambda y: y * torch_or_mt(y).full((2, 2), 3.0),
               lambda y: y @ torch_or_mt(y).ones(2, 2)):
        same(lambda lib: scaled(lib, op))

    def column(lib):
        x = lib.ones(2, 2, requires_grad=True)
        y = x * 1
        y[:, 0] = y[:, 1] * 2
        y.sum().backward()
        return x.grad
    same(column)


def torch_or_mt(t):
    return torch if isinstance(t, torch.Tensor) else minitorch


def test_sum_with_a_dtype():
    same(lambda lib: [lib.tensor([1.0, 2.0]).sum(dtype=lib.float64),
                      lib.tensor([1, 2]).sum(dtype=lib.float32)])


def test_writes_into_expanded_tensors():
    same(lambda lib: lib.zeros(2, 3).expand(2, 3).add_(1))
    same_error(lambda lib: lib.zeros(1, 3).expand(2, 3).add_(1))


def test_squeeze_dim_of_a_0d_tensor():
    same(lambda lib: [lib.tensor(1.0).squeeze(0), lib.tensor(1.0).squeeze(-1)])


def test_cat_promotes_over_empty_pieces():
    same(lambda lib: [lib.cat([lib.tensor([]), lib.tensor([1, 2])]),
                      lib.cat([lib.tensor([1, 2]), lib.zeros(0, dtype=lib.float64)])])


def test_comparing_with_none():
    same(lambda lib: [lib.tensor([1, 2]) == None, lib.tensor([1, 2]) != None])  # noqa: E711


# ---- torch's errors --------------------------------------------------------------------

@pytest.mark.parametrize("case", [
    lambda lib: lib.arange(5)[::-1],
    lambda lib: lib.arange(5).narrow(0, 4, 2),
    lambda lib: lib.cat([lib.tensor(1.0), lib.tensor(2.0)]),
    lambda lib: lib.arange(10.0).chunk(0),
    lambda lib: lib.arange(10.0).split(0),
    lambda lib: lib.zeros(3).mT,
    lambda lib: lib.zeros(3, 1).expand(-1, -1, 4),
    lambda lib: lib.tensor([1, 2]).var(),
    lambda lib: lib.where(lib.tensor([1, 0]), lib.ones(2), 0.0),
    lambda lib: lib.ones(2) & lib.ones(2),
], ids=["negative_step", "narrow_past_end", "cat_0d", "chunk_0", "split_0", "mT_1d",
        "expand_new_minus_one", "var_of_ints", "where_int_condition", "bitwise_and_float"])
def test_errors_like_torch(case):
    same_error(case, exact=False, key=str(_torch_error(case)).split("\n")[0][:40])


def _torch_error(case):
    try:
        case(torch)
    except Exception as e:  # noqa: BLE001
        return e
    raise AssertionError("torch must raise here")


def test_tensor_from_a_range_and_from_a_list_of_arrays():
    same(lambda lib: [lib.tensor(range(3)), lib.tensor([np.arange(3.0), np.arange(3.0)])])


def test_argmax_keepdim_without_dim():
    same(lambda lib: [lib.zeros(2, 3).argmax(keepdim=True), lib.ones(4).argmin(keepdim=True)])


@pytest.mark.parametrize("case", [
    lambda lib: lib.tensor([True, False]).argmax(),
    lambda lib: lib.zeros(0, 3).amax(0),
    lambda lib: lib.zeros(0).argmax(),
    lambda lib: lib.mv(lib.ones(2, 3, 4), lib.ones(4)),
    lambda lib: lib.from_numpy(np.arange(6.0)[::-1]),
], ids=["argmax_bool", "amax_empty_dim", "argmax_empty", "mv_3d", "from_numpy_negative_strides"])
def test_more_errors_like_torch(case):
    same_error(case)


def test_integer_tensors_cannot_require_grad_in_each_spelling():
    def set_attr(lib):
        lib.ones(2, dtype=lib.long).requires_grad = True
    same_error(set_attr)
    same_error(lambda lib: lib.ones(2, dtype=lib.long).requires_grad_())
    same_error(lambda lib: lib.arange(3, requires_grad=True))


def test_fill_zero_and_copy_nodes_are_named_as_in_torch():
    def names(lib):
        x = lib.ones(3, requires_grad=True)
        out = []
        for op in (lambda y: y.fill_(0), lambda y: y.zero_(), lambda y: y.copy_(x)):
            y = x * 1
            op(y)
            out.append(y.grad_fn.name())
        return out
    same(names)


@pytest.mark.parametrize("case", [
    lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", lib.ones(2)),
    lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", 3),
    lambda lib: lib.tensor([True]).abs(),
    lambda lib: lib.tensor([True]).relu(),
    lambda lib: -lib.tensor([True]),
], ids=["grad_shape", "grad_type", "abs_bool", "relu_bool", "neg_bool"])
def test_grad_assignment_and_bool_math_errors_like_torch(case):
    same_error(case)


def test_grad_of_another_dtype_is_refused_as_in_torch():
    """torch's message goes on to explain a grad_dtype attribute minitorch does not have:
    the type and torch's opening words, and no mention of grad_dtype."""
    ours, _ = same_error(
        lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", lib.ones(3, dtype=lib.float64)),
        exact=False, key="attempting to assign a gradient with dtype 'double' to a tensor with ")
    assert "grad_dtype" not in str(ours)


@pytest.mark.parametrize("case", [
    lambda lib: lib.rand(2, dtype=lib.int64),
    lambda lib: lib.randn(2, dtype=lib.int64),
    lambda lib: lib.rand(2, dtype=lib.bool),
], ids=["rand_int", "randn_int", "rand_bool"])
def test_random_floats_only(case):
    same_error(case)


# ---- a second review: tutorial-style code ---------------------------------------------

def test_casts_to_integers_and_bools_leave_the_graph():
    def fn(lib):
        x = lib.tensor([0.0, 1.5, 2.5], requires_grad=True)
        (x.long().float() * x + x.bool().float() * x).sum().backward()
        return [x.grad, x.long().requires_grad, x.int().grad_fn is None]
    same(fn)


def test_gradients_at_bounds_and_nans():
    nan = float("nan")
    same(lambda lib: _backward(lib.tensor([-2.0, -1.0, 0.0, 1.0, 2.0, nan], requires_grad=True),
                               lambda t: t.clamp(-1, 1) + t.clamp(min=1) + t.clamp(max=0)))
    same(lambda lib: _backward(lib.tensor([nan, 1.0, -1.0], requires_grad=True),
                               lambda t: t.relu() + t.abs()))


def test_numpy_operands_on_either_side():
    same(lambda lib: [np.float64(2) * lib.tensor([1.0, 2.0]), np.float32(3) + lib.tensor([1, 2]),
                      lib.tensor([1.0, 2.0]) * np.array([1.0, 2.0])])


def test_leaf_grads_are_laid_out_like_the_leaf():
    def fn(lib):
        w = lib.ones(2, 3, requires_grad=True)
        (lib.ones(4, 3) @ w.t()).sum().backward()
        return [w.grad.stride(), w.grad.view(-1)]
    same(fn)


def test_range_indices():
    same(lambda lib: [lib.arange(12.0).reshape(3, 4)[range(3), lib.tensor([0, 3, 1])],
                      lib.arange(6.0)[range(2)]])


def test_size_arithmetic_keeps_size():
    def sizes(lib):
        return [repr(s) for s in (lib.zeros(2, 3).shape + (4,), (1,) + lib.zeros(2).shape,
                                  lib.zeros(2).shape * 2)]
    assert sizes(minitorch) == [torch_name(r) for r in sizes(torch)]


def test_formatting_a_0d_tensor_formats_its_number():
    same(lambda lib: [f"{lib.tensor(0.25)}", f"{lib.tensor(True)}", "{}".format(lib.tensor(3)),
                      f"{lib.tensor(1.5):.3f}", f"{lib.tensor([1.0, 2.0])}"])


def test_comparing_with_other_objects():
    same(lambda lib: [lib.tensor([1, 2, 3]) == [1, 2, 3], lib.tensor([1]) == "a",
                      lib.tensor([1]) != "a"])


def test_float16_reductions_accumulate_in_float32():
    same(lambda lib: [lib.full((4,), 60000.0, dtype=lib.float16).mean(),
                      lib.full((4,), 60000.0, dtype=lib.float16).var(),
                      lib.full((4,), 60000.0, dtype=lib.float16).std(),
                      lib.full((10000,), 0.1, dtype=lib.float16).view(100, 100).sum(0)])


def test_as_tensor_with_a_dtype_keeps_the_graph():
    def fn(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.as_tensor(x, dtype=lib.float64)
        (y * y).sum().backward()
        return [y.grad_fn.name(), x.grad]
    same(fn)


def test_isnan_equal_allclose():
    nan = float("nan")
    same(lambda lib: [lib.isnan(lib.tensor([1.0, nan])), lib.tensor([1.0, nan]).isnan(),
                      lib.isinf(lib.tensor([1.0, float("inf")])), lib.equal(lib.ones(2), lib.ones(2)),
                      lib.equal(lib.ones(2), lib.ones(3)), lib.allclose(lib.ones(2), lib.ones(2) + 1e-9),
                      lib.ones(2).allclose(lib.zeros(2))])


def test_tensor_infers_dtype_from_numpy_scalars_as_torch():
    """Each element brings its dtype (numpy scalars their own), promoted torch's way."""
    cases = [[np.int32(1), np.int32(2)], [np.float32(1), 2.0], [np.int32(1), 2],
             [np.float16(1), 2], [np.float16(1), 2.0], [np.uint8(1), np.int8(2)],
             [np.float32(1), np.int64(2)], [np.int32(1), True], [np.bool_(True)],
             [np.float32(1), np.float64(2)], [[np.int8(1)], [np.int8(2)]]]
    for data in cases:
        assert str(minitorch.tensor(data).dtype) == torch_name(str(torch.tensor(data).dtype)), data


def test_stride_of_empty_tensors_is_torchs():
    for make in (lambda lib: lib.zeros(0, 3), lambda lib: lib.zeros(2, 0, 3),
                 lambda lib: lib.zeros(3, 4)[:, :0], lambda lib: lib.empty(0)):
        assert make(minitorch).stride() == make(torch).stride()


def test_storage_offset_and_data_ptr_of_views():
    for view in (lambda x: x, lambda x: x[1], lambda x: x[:, 2], lambda x: x.t()[1:],
                 lambda x: x[1:, 1:][1], lambda x: x.view(2, 6)[1, 3:]):
        ours, theirs = (view(lib.arange(12.).reshape(3, 4)) for lib in (minitorch, torch))
        assert ours.storage_offset() == theirs.storage_offset()
    x = minitorch.arange(12.).reshape(3, 4)
    assert x[1].data_ptr() - x.data_ptr() == 4 * x.element_size()


@pytest.mark.parametrize("op", [
    lambda lib, a, b: lib.relu(a), lambda lib, a, b: lib.nn.functional.relu(a),
    lambda lib, a, b: lib.clamp(a, -0.5, 3.0), lambda lib, a, b: lib.clamp(a, min=0.0),
    lambda lib, a, b: lib.maximum(a, b), lambda lib, a, b: lib.minimum(a, b),
    lambda lib, a, b: a.max(), lambda lib, a, b: a.min(), lambda lib, a, b: lib.amax(a, 0),
    lambda lib, a, b: lib.where(a > 0, a, b), lambda lib, a, b: a.abs(),
])
def test_a_nan_gradient_goes_only_where_torch_sends_it(op):
    """Ops that pick where the gradient goes select it (torch's where), so a nan upstream
    gradient does not leak into the entries an op switched off (0 * nan is nan); amax is
    torch's exception, which multiplies by its mask."""
    def fn(lib):
        a = lib.tensor([-1.0, 0.0, 2.0, 5.0], requires_grad=True)
        b = lib.tensor([0.5, 0.0, 3.0, 1.0], requires_grad=True)
        out = op(lib, a, b)
        out.backward(lib.full(tuple(out.shape), float("nan")))
        return [g if g is not None else lib.zeros(4) for g in (a.grad, b.grad)]
    same(fn)
