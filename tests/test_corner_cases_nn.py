"""Odd-but-legal uses of minitorch.nn, each compared against torch doing the same thing.

Each test below pins one place where minitorch once differed from torch without a word
(a dtype, a value, a gradient, an error): the case is run in both engines with the
harness of tests/parity.py, or raised in both with `same_error`. The last test walks
modules used in unusual ways (a layer applied twice, frozen or shared parameters, ReLU
in place, several backward passes, state_dict aliasing, deepcopy and pickle) that agreed
with torch when they were hunted, so that they keep agreeing.
"""
import copy
import pickle

import numpy as np
import pytest
import torch

import minitorch
from parity import assert_close, check, same_error


def F(lib):
    return lib.nn.functional


RNG = np.random.default_rng(0)
LOGITS = RNG.standard_normal((4, 3))
IMAGE = RNG.standard_normal((2, 3, 7, 6))


# ---- linear -----------------------------------------------------------------------------

@pytest.mark.parametrize("x_dtype, w_dtype, b_dtype", [
    ("float64", "float32", "float32"),   # a float64 batch into a default Linear
    ("int64", "float32", "float32"),
    ("float32", "float32", "float64"),   # only the bias differs
    ("float32", "float32", "int64"),
])
def test_linear_rejects_operands_of_different_dtypes(x_dtype, w_dtype, b_dtype):
    """torch's addmm refuses mixed dtypes; minitorch used to compute in the wider one."""
    def run(lib):
        x, w, b = (lib.ones(*shape, dtype=getattr(lib, dt))
                   for shape, dt in (((2, 3), x_dtype), ((4, 3), w_dtype), ((4,), b_dtype)))
        return F(lib).linear(x, w, b)
    same_error(run)


def test_a_float64_batch_into_a_float32_linear_layer_is_an_error():
    same_error(lambda lib: lib.nn.Linear(3, 4)(lib.zeros(2, 3, dtype=lib.float64)))


@pytest.mark.parametrize("bias_shape", [(2,), (), (3, 2)])
def test_linear_on_a_non_contiguous_input_is_a_matmul_plus_the_bias(bias_shape):
    """A transposed 3-D input (or a bias that is not 1-D) takes torch's matmul + add path:
    same values, gradients, and an AddBackward0 node on top; the bias may broadcast."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4, 5))
    w, b = rng.standard_normal((2, 5)), rng.standard_normal(bias_shape)
    names = [F(lib).linear(lib.from_numpy(x).transpose(0, 1), lib.from_numpy(w),
                           lib.from_numpy(b).requires_grad_()).grad_fn.name()
             for lib in (minitorch, torch)]
    assert names == ["AddBackward0"] * 2
    check(lambda lib, x, w, b: F(lib).linear(x, w, b), x.transpose(1, 0, 2), w, b)


def test_linear_matmul_path_keeps_the_products_dtype():
    """torch adds the bias in place: a float64 bias does not make the result float64."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 5)).astype(np.float32).transpose(1, 0, 2)
    w, b = rng.standard_normal((4, 5)).astype(np.float32), rng.standard_normal(())
    check(lambda lib, x, w, b: F(lib).linear(x, w, b), x, w, b)


# ---- losses -----------------------------------------------------------------------------

@pytest.mark.parametrize("target_dtype", [np.int64, np.int32, np.bool_])
def test_mse_loss_computes_in_the_common_dtype(target_dtype):
    """A float32 prediction against an integer target is float32 (numpy would say float64)."""
    x = LOGITS.astype(np.float32)
    target = (LOGITS > 0).astype(target_dtype) if target_dtype is np.bool_ \
        else np.round(LOGITS * 2).astype(target_dtype)
    for reduction in ("mean", "none"):
        check(lambda lib, x, t: F(lib).mse_loss(x, t, reduction=reduction), x, target)


def test_mse_loss_of_two_integer_tensors_is_not_implemented():
    same_error(lambda lib: F(lib).mse_loss(lib.tensor([1, 2]), lib.tensor([1, 3])))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", [((2, 3), 0), ((2, 3), -1), ((), 0)])
def test_softmax_of_integers_is_not_implemented(fn, shape, dim):
    same_error(lambda lib: getattr(F(lib), fn)(lib.ones(shape, dtype=lib.int64), dim))


def test_softmax_of_integers_with_a_float_dtype_works():
    check(lambda lib, x: F(lib).softmax(x, 0, dtype=lib.float64), np.arange(4))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_float16_softmax_accumulates_in_float32(fn):
    """A row of 3000 float16 logits: summed in float16 the gradient was off by 2 %."""
    x = np.random.default_rng(1).standard_normal((2, 3000)).astype(np.float16)
    check(lambda lib, x: getattr(F(lib), fn)(x, 1), x, rtol=4e-3, grad_rtol=1e-3)


def test_class_losses_of_integer_logits_are_not_implemented():
    same_error(lambda lib: F(lib).nll_loss(lib.tensor([[1, 2]]), lib.tensor([1])))
    same_error(lambda lib: F(lib).cross_entropy(lib.tensor([[1, 2]]), lib.tensor([1])))


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 2), (2, 3, 2, 1)])
def test_a_0d_target_for_a_batch_is_a_batch_size_error(shape):
    same_error(lambda lib: F(lib).nll_loss(lib.ones(shape), lib.tensor(1)))
    same_error(lambda lib: F(lib).cross_entropy(lib.ones(shape), lib.tensor(1)))


def test_a_class_weight_that_requires_grad_is_an_error_unless_grad_is_off():
    def run(lib):
        weight = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        return F(lib).cross_entropy(lib.ones(4, 3), lib.tensor([0, 1, 2, 0]), weight=weight)
    same_error(run)

    def without_grad(lib):
        with lib.no_grad():
            return run(lib)
    check(lambda lib: without_grad(lib))


@pytest.mark.parametrize("target", [0, 0.5])
def test_cross_entropy_of_a_0d_input(target):
    """A 0-d int target reads as class probabilities (wrong dtype); a float one reaches
    the softmax over a dim a 0-d input does not have."""
    same_error(lambda lib: F(lib).cross_entropy(lib.tensor(1.0), lib.tensor(target)))


# ---- dropout ----------------------------------------------------------------------------

def test_dropout_everything_gives_inf_and_nan_a_zero_gradient():
    """p=1 multiplies by a mask of zeros: the output is x * 0 (nan for inf and nan), the
    gradient zero everywhere (the mask was x * 0, so nan leaked into the gradient)."""
    x = np.array([np.inf, np.nan, -np.inf, 1.0, -0.0])
    check(lambda lib, x: F(lib).dropout(x, 1.0), x)
    check(lambda lib, x: F(lib).dropout(x * 1, 1.0, inplace=True), x)


def test_dropout_of_integers():
    """p in (0, 1) cannot scale integers (torch's cast error; minitorch divided by
    int(1 - p) = 0); p=1 zeros them."""
    same_error(lambda lib: F(lib).dropout(lib.tensor([1, 2]), 0.5))
    check(lambda lib, x: F(lib).dropout(x, 1.0), np.array([3, 4]))


# ---- conv2d ----------------------------------------------------------------------------

@pytest.mark.parametrize("weight_shape, options", [
    ((4, 3, 3, 2), {"groups": 0}),
    ((4, 3, 3, 2), {"dilation": 0}),
    ((4, 3, 3, 2), {"dilation": (1, -1), "padding": 1}),
    ((4, 3, 3, 2), {"dilation": (0, -1)}),
    ((0, 3, 3, 2), {}),                  # no filters
    ((4, 1, 3, 2), {"groups": 3}),       # 4 filters in 3 groups
    ((2, 1, 3, 2), {"groups": 3}),       # fewer filters than groups
])
def test_conv2d_argument_errors(weight_shape, options):
    same_error(lambda lib: F(lib).conv2d(lib.ones(2, 3, 7, 6), lib.ones(weight_shape),
                                         **options))


@pytest.mark.parametrize("x_dtype, b_dtype", [("float64", "float32"), ("float32", "float64"),
                                              ("int64", "float32"), ("float32", "float16")])
def test_conv2d_bias_of_another_dtype(x_dtype, b_dtype):
    """Checked first and named as torch does (minitorch said "expected Double but found
    Double" for a float32 bias)."""
    same_error(lambda lib: F(lib).conv2d(lib.ones(1, 3, 5, 5, dtype=getattr(lib, x_dtype)),
                                         lib.ones(2, 3, 2, 2, dtype=getattr(lib, x_dtype)),
                                         lib.ones(2, dtype=getattr(lib, b_dtype))))


# ---- pooling ----------------------------------------------------------------------------

ONE_ELEMENT = [{"kernel_size": (2,)}, {"kernel_size": 2, "stride": (1,)},
               {"kernel_size": 2, "stride": 2, "padding": (1,)}]
THREE_ELEMENTS = [{"kernel_size": (2, 2, 2)}, {"kernel_size": ()},
                  {"kernel_size": 2, "stride": (1, 1, 1)}, {"kernel_size": 2, "padding": ()}]


@pytest.mark.parametrize("pool, options", [
    *[("max_pool2d", o) for o in ONE_ELEMENT + [{"kernel_size": 2, "dilation": [2]}]],
    *[("avg_pool2d", o) for o in ONE_ELEMENT]])
def test_pool_arguments_of_one_element_serve_both_dims(pool, options):
    check(lambda lib, x: getattr(F(lib), pool)(x, **options), IMAGE)


@pytest.mark.parametrize("pool, options", [
    *[("max_pool2d", o) for o in THREE_ELEMENTS + [{"kernel_size": 2, "dilation": (1, 1, 1)}]],
    *[("avg_pool2d", o) for o in THREE_ELEMENTS]])
def test_pool_arguments_of_three_elements_are_errors(pool, options):
    same_error(lambda lib: getattr(F(lib), pool)(lib.ones(1, 2, 5, 5), **options))


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32"])
def test_pooling_dtypes_torch_has_no_kernel_for(dtype):
    x = lambda lib: lib.ones(1, 2, 4, 4, dtype=getattr(lib, dtype))  # noqa: E731
    same_error(lambda lib: F(lib).avg_pool2d(x(lib), 2))
    if dtype == "bool":
        same_error(lambda lib: F(lib).max_pool2d(x(lib), 2))


@pytest.mark.parametrize("options", [{}, {"padding": 1, "count_include_pad": False},
                                     {"divisor_override": 3}, {"ceil_mode": True, "stride": 2}])
def test_avg_pool2d_of_int64_divides_toward_zero(options):
    x = np.random.default_rng(2).integers(-20, 20, size=(2, 2, 5, 5))
    check(lambda lib, x: F(lib).avg_pool2d(x, 3, **options), x)


def test_avg_pool2d_sums_each_window_row_by_row():
    """Near float32's limit the order of the sum decides between -inf and nan: torch adds
    row by row (here -inf + -inf + 3e38 + 3e38 = -inf)."""
    x = np.array([[1e30, -1e30, 0.0], [np.inf, 1.0, 2.0], [np.nan, 0, 1],
                  [-np.inf, -np.inf, 0.0], [3e38, 3e38, 3e38]], np.float32)
    check(lambda lib, x: F(lib).avg_pool2d(x[None], 2, 1), x)


def test_float16_avg_pool2d_sums_in_float32():
    """Four float16 values near 3e4 overflow a float16 sum, not torch's float32 one."""
    x = (np.random.default_rng(3).standard_normal((1, 2, 6, 6)) * 3e4).astype(np.float16)
    check(lambda lib, x: F(lib).avg_pool2d(x, 2), x, rtol=1e-3)


# ---- modules ----------------------------------------------------------------------------

def test_an_integer_parameter_requiring_grad_is_refused_in_parameters_words():
    same_error(lambda lib: lib.nn.Parameter(lib.ones(2, dtype=lib.int64)))
    same_error(lambda lib: lib.nn.Linear(3, 4, dtype=lib.int64))


def _linear(lib, n_in=4, n_out=5, bias=True, seed=0):
    """A Linear with the same (seeded) weights in either engine."""
    rng = np.random.default_rng(seed)
    layer = lib.nn.Linear(n_in, n_out, bias=bias)
    with lib.no_grad():
        layer.weight.copy_(lib.from_numpy(rng.standard_normal((n_out, n_in)).astype(np.float32)))
        if bias:
            layer.bias.copy_(lib.from_numpy(rng.standard_normal(n_out).astype(np.float32)))
    return layer


def _batch(lib):
    return lib.from_numpy(LOGITS.T.astype(np.float32).copy())   # (3, 4)


def relu_in_place_in_a_network(lib):
    net = lib.nn.Sequential(_linear(lib), lib.nn.ReLU(inplace=True), _linear(lib, 5, 2, seed=1))
    x = _batch(lib).requires_grad_()
    y = net(x)
    y.pow(2).sum().backward()
    return y, x.grad, net[0].weight.grad, net[0].bias.grad


def one_layer_applied_twice_with_a_frozen_bias(lib):
    layer, back = _linear(lib), _linear(lib, 5, 4, seed=2)
    layer.bias.requires_grad_(False)
    y = layer(back(layer(_batch(lib))))
    y.sum().backward()
    return y, layer.weight.grad, layer.bias.grad, back.bias.grad


def a_weight_shared_between_two_layers(lib):
    a, b = _linear(lib), _linear(lib, seed=3)
    b.weight = a.weight
    (a(_batch(lib)) * b(_batch(lib))).sum().backward()
    return a.weight.grad, b.bias.grad, len(list(lib.nn.ModuleList([a, b]).parameters()))


def gradients_over_three_backward_calls_and_a_retained_graph(lib):
    layer = _linear(lib)
    for _ in range(2):
        layer(_batch(lib)).tanh().sum().backward()
    loss = layer(_batch(lib)).pow(2).mean()
    loss.backward(retain_graph=True)
    loss.backward()
    return layer.weight.grad, layer.bias.grad


def zero_grad_in_place_then_sgd_steps(lib):
    layer = _linear(lib)
    opt = lib.optim.SGD(layer.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        opt.zero_grad(set_to_none=False)
        F(lib).mse_loss(layer(_batch(lib)), lib.zeros(3, 5)).backward()
        opt.step()
    return layer.weight, layer.bias, layer.weight.grad


def cast_to_float64_after_the_optimizer_was_made(lib):
    layer = _linear(lib)
    opt = lib.optim.Adam(layer.parameters(), lr=0.1)
    layer.to(lib.float64)
    layer(_batch(lib).double()).sum().backward()
    opt.step()
    return layer.weight, layer.weight.grad


def state_dict_tensors_share_the_parameters(lib):
    layer = _linear(lib)
    state = layer.state_dict()
    state["weight"][0, 0] = 42.0
    layer.load_state_dict({"weight": lib.ones(5, 4, dtype=lib.float64),
                           "bias": lib.arange(5)})   # cast into the float32 parameters
    return state["weight"], layer.bias, state["weight"].requires_grad


def deepcopy_and_pickle_make_independent_modules(lib):
    net = lib.nn.Sequential(_linear(lib), lib.nn.ReLU(inplace=True))
    net(_batch(lib)).sum().backward()
    twin, thawed = copy.deepcopy(net), pickle.loads(pickle.dumps(net))
    twin[0].weight.data.mul_(0)
    return (net[0].weight, twin[0].weight, twin[0].weight.grad, thawed(_batch(lib)),
            twin[0].weight.requires_grad, type(thawed[0].weight).__name__)


def a_no_grad_forward_then_eval_dropout_in_place(lib):
    net = lib.nn.Sequential(_linear(lib), lib.nn.Dropout(0.5, inplace=True)).eval()
    with lib.no_grad():
        y = net(_batch(lib))
    return y, y.requires_grad, net(_batch(lib)).requires_grad


def empty_and_single_row_batches(lib):
    layer = _linear(lib)
    empty = lib.zeros(0, 4, requires_grad=True)
    layer(empty).sum().backward()
    one = _batch(lib)[:1].requires_grad_()
    layer(one).sum().backward()
    return empty.grad, one.grad, layer.weight.grad, layer.bias.grad


@pytest.mark.parametrize("case", [
    relu_in_place_in_a_network, one_layer_applied_twice_with_a_frozen_bias,
    a_weight_shared_between_two_layers, gradients_over_three_backward_calls_and_a_retained_graph,
    zero_grad_in_place_then_sgd_steps, cast_to_float64_after_the_optimizer_was_made,
    state_dict_tensors_share_the_parameters, deepcopy_and_pickle_make_independent_modules,
    a_no_grad_forward_then_eval_dropout_in_place, empty_and_single_row_batches,
], ids=lambda f: f.__name__)
def test_modules_used_in_unusual_ways(case):
    ours, theirs = case(minitorch), case(torch)
    for i, (o, t) in enumerate(zip(ours, theirs)):
        if isinstance(t, torch.Tensor):
            assert_close(o, t, what=f"{case.__name__}[{i}]")
        else:
            assert o == t, f"{case.__name__}[{i}]: {o} != {t}"
