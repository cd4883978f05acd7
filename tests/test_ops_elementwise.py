"""Elementwise ops against torch: arithmetic (tensor-tensor, tensor-scalar, reflected),
unary math, clamp/where/maximum/minimum (ties included), in-place forms on non-leaf
tensors, type promotion and comparisons.

Every test runs the same expression in minitorch and in torch (tests/parity.py) and
compares values, dtypes, shapes and the gradients of a random upstream gradient.
Inputs are kept away from kinks (abs/relu/clamp) and off the edges of a function's
domain (log, sqrt, division); `test_kinks_exact` then checks torch's choice of
subgradient at the kinks themselves.
"""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from parity import FLOATS, LAYOUTS, broadcast_pair, check, floats_array, layout, same_error, shapes, tensors


# ---- local strategies ------------------------------------------------------------------

def _values(rng, shape, dtype, low, high):
    """Random values of any dtype: uniform floats, integers in [low, high], fair bools."""
    dt = np.dtype(dtype)
    if dt.kind == "f":
        a = rng.uniform(low, high, size=shape)
    elif dt.kind == "b":
        a = rng.random(size=shape) < 0.5
    else:
        a = rng.integers(int(low), int(high) + 1, size=shape)
    return np.asarray(a).astype(dt)


@st.composite
def mixed(draw, *specs, min_dims=0):
    """Arrays of mutually broadcastable shapes, one per (dtype, low, high) spec, random layouts."""
    shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=len(specs), min_dims=min_dims,
                                                 max_dims=4, max_side=4))
    out = []
    for s, (dtype, low, high) in zip(shp.input_shapes, specs):
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        out.append(layout(_values(rng, s, dtype, low, high), draw(LAYOUTS)))
    return tuple(out)


@st.composite
def kinkless(draw, kinks, low=-3.0, high=3.0, gap=0.1):
    """One float array (drawn shape, dtype, layout) with no value within `gap` of any kink."""
    shape, dtype = draw(shapes()), draw(st.sampled_from(FLOATS))
    a = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).uniform(low, high, size=shape)
    for k in kinks:
        near = np.abs(a - k) < gap
        a[near] = k + np.where(a[near] >= k, gap, -gap)
    return layout(np.asarray(a).astype(dtype), draw(LAYOUTS))


@st.composite
def tied(draw, n=2, low=-2, high=2, min_dims=0):
    """n float arrays of broadcastable shapes holding small integers: equal values on purpose."""
    dtype = draw(st.sampled_from(FLOATS))
    return draw(mixed(*[(dtype, low, high)] * n, min_dims=min_dims))


@st.composite
def inplace_pair(draw, low=-3.0, high=3.0, away_from=None):
    """(a, b) with b broadcastable *to* a's shape, as an in-place op needs; same dtype."""
    dtype = draw(st.sampled_from(FLOATS))
    sa = draw(shapes())
    sb = draw(hnp.broadcastable_shapes(sa, min_dims=0, max_dims=len(sa), max_side=4)
              .filter(lambda sb: np.broadcast_shapes(sa, sb) == sa))
    a, b = (layout(draw(floats_array(s, dtype, low, high, away_from)), draw(LAYOUTS)) for s in (sa, sb))
    return a, b


def inplace(method, *args, **kwargs):
    """fn for check: y = a * 1 (a non-leaf), y.<method>(*tensors, *args); return y."""
    def fn(T, a, *rest):
        y = a * 1
        out = getattr(y, method)(*rest, *args, **kwargs)
        assert out is y, f"{method} must return self"
        return y
    return fn


POS = dict(low=0.2, high=3.0)          # domain of log / sqrt / fractional powers
NONZERO = dict(away_from=0.0)          # divisors and negative powers


# ---- binary arithmetic, tensor-tensor (broadcasting, 0-d, size-1 dims, layouts) --------

@given(broadcast_pair())
def test_add(ab): check(lambda T, a, b: (a + b, T.add(a, b), a.add(b)), *ab)
@given(broadcast_pair())
def test_add_alpha(ab): check(lambda T, a, b: (T.add(a, b, alpha=2), a.sub(b, alpha=0.5)), *ab)
@given(broadcast_pair())
def test_sub(ab): check(lambda T, a, b: (a - b, T.sub(a, b), a.sub(b)), *ab)
@given(broadcast_pair())
def test_mul(ab): check(lambda T, a, b: (a * b, T.mul(a, b), a.mul(b)), *ab)
@given(broadcast_pair(**NONZERO))
def test_div(ab): check(lambda T, a, b: (a / b, T.div(a, b), a.div(b)), *ab)
@given(broadcast_pair(**POS))
def test_pow_tensor_tensor(ab): check(lambda T, a, b: (a ** b, a ** -b, T.pow(a, b), a.pow(b - 1)), *ab)
@given(tensors())
def test_same_tensor_twice(a): check(lambda T, a: a * a + a - a / 2, a)
@given(broadcast_pair(min_dims=0))
def test_chain(ab): check(lambda T, a, b: ((a * b).exp() - b).tanh() * a, *ab)


# ---- tensor-scalar and reflected -------------------------------------------------------

@given(tensors())
def test_add_scalar(a): check(lambda T, a: (a + 2, a + 2.5, 2 + a, 1.5 + a), a)
@given(tensors())
def test_sub_scalar(a): check(lambda T, a: (a - 2, a - 1.5, 2 - a, 0.5 - a), a)
@given(tensors())
def test_mul_scalar(a): check(lambda T, a: (a * 3, a * -0.5, 3 * a, -0.5 * a), a)
@given(tensors(**NONZERO))
def test_div_scalar(a): check(lambda T, a: (a / 4, a / -0.5, 2 / a, -1.5 / a), a)
@given(tensors())
def test_pow_int_scalar(a): check(lambda T, a: (a ** 2, a ** 3, a ** 1, a ** 0, T.pow(a, 2), a.pow(3)), a)
@given(tensors(**POS))
def test_pow_float_scalar(a): check(lambda T, a: (a ** 0.5, a ** -2.5, a ** 1.5, a.pow(-0.5)), a)
@given(tensors(**NONZERO))
def test_pow_negative_int_scalar(a): check(lambda T, a: (a ** -1, a ** -2), a)
@given(tensors())
def test_rpow(a): check(lambda T, a: (2 ** a, 2.5 ** a, 0.5 ** a, T.pow(2, a)), a)


# ---- unary -----------------------------------------------------------------------------

@given(tensors())
def test_neg(a): check(lambda T, a: (-a, T.neg(a), a.neg()), a)
@given(tensors(**NONZERO))
def test_abs(a): check(lambda T, a: (abs(a), T.abs(a), a.abs()), a)
@given(tensors())
def test_exp(a): check(lambda T, a: (T.exp(a), a.exp()), a)
@given(tensors(**POS))
def test_log(a): check(lambda T, a: (T.log(a), a.log()), a)
@given(tensors(**POS))
def test_sqrt(a): check(lambda T, a: (T.sqrt(a), a.sqrt()), a)
@given(tensors(**POS))
def test_rsqrt(a): check(lambda T, a: (T.rsqrt(a), a.rsqrt()), a)
@given(tensors(**NONZERO))
def test_reciprocal(a): check(lambda T, a: (T.reciprocal(a), a.reciprocal()), a)
@given(tensors())
def test_square(a): check(lambda T, a: (T.square(a), a.square()), a)
@given(tensors())
def test_sin(a): check(lambda T, a: (T.sin(a), a.sin()), a)
@given(tensors())
def test_cos(a): check(lambda T, a: (T.cos(a), a.cos()), a)
@given(tensors())
def test_tanh(a): check(lambda T, a: (T.tanh(a), a.tanh()), a)
@given(tensors())
def test_sigmoid(a): check(lambda T, a: (T.sigmoid(a), a.sigmoid()), a)
@given(tensors(low=-30.0, high=30.0))
def test_sigmoid_tanh_saturated(a): check(lambda T, a: (a.sigmoid(), a.tanh()), a)
@given(tensors(**NONZERO))
def test_relu(a): check(lambda T, a: (T.relu(a), a.relu()), a)


# ---- clamp / where / maximum / minimum -------------------------------------------------

@given(kinkless((-1.0, 1.0)))
def test_clamp(a): check(lambda T, a: (a.clamp(-1, 1), T.clamp(a, min=-1.0, max=1.0), a.clamp(min=-1), a.clamp(max=1)), a)
@given(kinkless((-0.5, 0.5)))
def test_clamp_float_bounds(a): check(lambda T, a: (T.clamp(a, -0.5, 0.5), a.clamp(min=0.5), T.clamp(a, max=-0.5)), a)
@given(mixed((np.bool_, 0, 1), (np.float64, -3, 3), (np.float64, -3, 3)))
def test_where_float64(cab): check(lambda T, c, a, b: (T.where(c, a, b), a.where(c, b)), *cab)
@given(mixed((np.bool_, 0, 1), (np.float32, -3, 3), (np.float32, -3, 3)))
def test_where_float32(cab): check(lambda T, c, a, b: (T.where(c, a, b), a.where(c, b)), *cab)
@given(broadcast_pair())
def test_where_computed_condition(ab): check(lambda T, a, b: T.where(a > b, a * 2, b), *ab)
@given(mixed((np.bool_, 0, 1), (np.float64, -3, 3)))
def test_where_scalar(ca): check(lambda T, c, a: (T.where(c, a, 0.0), T.where(c, 1.5, a)), *ca)
@given(broadcast_pair())
def test_maximum(ab): check(lambda T, a, b: (T.maximum(a, b), a.maximum(b)), *ab)
@given(broadcast_pair())
def test_minimum(ab): check(lambda T, a, b: (T.minimum(a, b), a.minimum(b)), *ab)
# Equal values on purpose: torch sends half of the gradient to each side of a tie.
@given(tied())
def test_maximum_ties(ab): check(lambda T, a, b: T.maximum(a, b), *ab)
@given(tied())
def test_minimum_ties(ab): check(lambda T, a, b: T.minimum(a, b), *ab)
@given(tied(n=1))
def test_maximum_same_tensor(a): check(lambda T, a: T.maximum(a, a) + T.minimum(a, a * 1), *a)


# At the kinks themselves (values -2..2 held exactly): torch's subgradient choices, e.g.
# relu'(0) = 0, abs'(0) = 0, and clamp's different rule for one bound vs two bounds.
@given(tied(n=1))
def test_kinks_exact(a):
    check(lambda T, a: (a.relu(), a.abs(), a.clamp(-1, 1), a.clamp(min=-1), a.clamp(max=1),
                        T.maximum(a, T.zeros_like(a)), T.minimum(a, T.zeros_like(a))), *a)


# ---- in-place forms on non-leaf tensors ------------------------------------------------

@given(inplace_pair())
def test_add_(ab): check(inplace("add_"), *ab)
@given(inplace_pair())
def test_add_alpha_(ab): check(inplace("add_", alpha=-2), *ab)
@given(inplace_pair())
def test_sub_(ab): check(inplace("sub_"), *ab)
@given(inplace_pair())
def test_mul_(ab): check(inplace("mul_"), *ab)  # b's grad needs y's value *before* mul_
@given(inplace_pair(**NONZERO))
def test_div_(ab): check(inplace("div_"), *ab)  # a's and b's grads need the old values
@given(tensors())
def test_scalar_inplace(a): check(lambda T, a: (inplace("add_", 2)(T, a), inplace("mul_", -1.5)(T, a), inplace("sub_", 0.5)(T, a)), a)
@given(tensors(**NONZERO))
def test_div_scalar_(a): check(inplace("div_", 4.0), a)
@given(kinkless((-1.0, 1.0)))
def test_clamp_(a): check(lambda T, a: (inplace("clamp_", -1, 1)(T, a), inplace("clamp_", min=-1)(T, a), inplace("clamp_", max=1)(T, a)), a)


def _augmented(T, a, b):
    y = a * 1
    y += b
    y *= b
    y -= a
    y /= 2
    return y


@given(inplace_pair())
def test_augmented_assignment(ab): check(_augmented, *ab)


@given(inplace_pair())
def test_inplace_then_use(ab): check(lambda T, a, b: (lambda y: (y.add_(b), y * y)[1])(a * 1), *ab)
@given(inplace_pair())
def test_inplace_chain(ab): check(lambda T, a, b: (a * 1).mul_(b).add_(a).sub_(b.sin()), *ab)
@given(mixed((np.float32, -3, 3), (np.float64, -3, 3)).filter(lambda ab: np.broadcast_shapes(ab[0].shape, ab[1].shape) == ab[0].shape))
def test_inplace_mixed_float(ab):
    # float32 += float64 stays float32; the float64 input's gradient is float32 math (summed
    # over broadcast dims in float32 by both engines, in different orders), cast up at the end
    check(inplace("add_"), *ab, grad_rtol=1e-5)


# ---- empty tensors ---------------------------------------------------------------------

@st.composite
def empty_pair(draw):
    dtype = draw(st.sampled_from(FLOATS))
    shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, min_side=0, max_side=3)
               .filter(lambda s: 0 in s.result_shape))
    return tuple(layout(draw(floats_array(s, dtype)), draw(LAYOUTS)) for s in shp.input_shapes)


@given(empty_pair())
def test_zero_size_binary(ab): check(lambda T, a, b: (a + b, a * b, T.maximum(a, b), (a - b).exp()), *ab)


# ---- type promotion (forward only) -----------------------------------------------------

def fwd(fn, *arrays):
    return check(fn, *arrays, requires_grad=False)


I64, I32 = (np.int64, -5, 5), (np.int32, -5, 5)
F32, F64 = (np.float32, -3, 3), (np.float64, -3, 3)
BOOL, U8 = (np.bool_, 0, 1), (np.uint8, 0, 9)
POS_I64 = (np.int64, 1, 5)


@given(mixed(I64))
def test_promote_int_float_scalar(a): fwd(lambda T, a: (a * 0.5, 0.5 * a, a + 1.5, a - 2.5, a / 2), *a)
@given(mixed(I64, POS_I64))
def test_promote_int_true_div(ab): fwd(lambda T, a, b: (a / b, T.div(a, b), b / 2), *ab)
@given(mixed(I64, I64))
def test_promote_int_int(ab): fwd(lambda T, a, b: (a + b, a - b, a * b, a + 2, 3 * a, -a, abs(a)), *ab)
@given(mixed(I32, I64))
def test_promote_int32_int64(ab): fwd(lambda T, a, b: (a + b, b * a, a * 2, a + 1), *ab)
@given(mixed(F32, F64))
def test_promote_float32_float64(ab): fwd(lambda T, a, b: (a + b, a * b, b - a, a * 2.5, b * 2.5), *ab)
@given(mixed(F32, F64))
def test_promote_float32_float64_grad(ab):
    # a.grad stays float32; when b is 0-d the product is float32 and b's float64 gradient
    # is a float32 sum (in different orders in the two engines), cast up: float32 tolerance
    check(lambda T, a, b: a * b + a, *ab, grad_rtol=1e-5)
@given(mixed(BOOL, I64))
def test_promote_bool_int(ab): fwd(lambda T, a, b: (a + b, b * a, a + 1, a * 1.5), *ab)
@given(mixed(U8, I64))
def test_promote_uint8(ab): fwd(lambda T, a, b: (a + b, a + 1, a * 2, a * 0.5), *ab)
@given(mixed(I32, F32))
def test_promote_int_float_tensor(ab): fwd(lambda T, a, b: (a + b, a * b, b / a.abs().clamp(min=1)), *ab)
@given(mixed(I64))
def test_promote_int_unary_to_float(a): fwd(lambda T, a: (a.exp(), T.sqrt(a.abs()), a.sigmoid(), a.sin()), *a)
@given(mixed((np.int64, 0, 4)))
def test_promote_int_pow(a): fwd(lambda T, a: (a ** 2, 2 ** a, a ** 0.5, 1.5 ** a, a.pow(a)), *a)


@st.composite
def zero_d_and_tensor(draw, d0, d1):
    """A 0-d array of one dtype and a >=1-d array of another: 0-d tensors promote less."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = draw(shapes(min_dims=1))
    return (_values(rng, (), d0, -3, 3), layout(_values(rng, shape, d1, -3, 3), draw(LAYOUTS)))


@given(zero_d_and_tensor(np.float64, np.float32))
def test_promote_0d_float64_times_float32(ab): fwd(lambda T, s, a: (s * a, a * s, a + s), *ab)
@given(zero_d_and_tensor(np.float64, np.float32))
def test_promote_0d_float64_times_float32_grad(ab):
    # the 0-d float64 input's gradient is a float32 sum (the product's dtype), cast up after
    check(lambda T, s, a: s * a, *ab, grad_rtol=1e-5)
@given(zero_d_and_tensor(np.int64, np.float32))
def test_promote_0d_int_times_float32(ab): fwd(lambda T, s, a: (s * a, a - s), *ab)
@given(zero_d_and_tensor(np.float64, np.int64))
def test_promote_0d_float64_times_int(ab): fwd(lambda T, s, a: (s * a, a + s), *ab)
@given(zero_d_and_tensor(np.int64, np.int32))
def test_promote_0d_int64_plus_int32(ab): fwd(lambda T, s, a: (s + a, a * s), *ab)


@given(mixed((np.bool_, 0, 1), (np.int64, -3, 3), (np.float32, -3, 3)))
def test_promote_where(cab): fwd(lambda T, c, a, b: (T.where(c, a, b), T.where(c, a, 0.5), T.where(c, b, 0)), *cab)
@given(mixed(I64, F32))
def test_promote_maximum(ab): fwd(lambda T, a, b: (T.maximum(a, b), T.minimum(b, a)), *ab)


# ---- comparisons (bool results) --------------------------------------------------------

def _compare(T, a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


@given(tied())
def test_compare_float(ab): fwd(_compare, *ab)
@given(tied())
def test_compare_float_grad_inputs(ab): check(lambda T, a, b: (T.lt(a, b), a.le(b), a.gt(b), T.ge(a, b), a.eq(b), a.ne(b)), *ab)
@given(mixed(I64, (np.float32, -3, 3)))
def test_compare_int_float(ab): fwd(_compare, *ab)
@given(mixed(I64, I32))
def test_compare_int_int(ab): fwd(_compare, *ab)
@given(mixed(BOOL, BOOL))
def test_compare_bool(ab): fwd(lambda T, a, b: (a == b, a != b), *ab)
@given(tied(n=1))
def test_compare_scalar(a): fwd(lambda T, a: (a < 0, a <= 1, a > -1.5, a >= 0.0, a == 1, a != 2, 0 < a, 1 >= a, 1.0 == a), *a)
@given(mixed(I64))
def test_compare_int_scalar(a): fwd(lambda T, a: (a < 0.5, a == 1, 2 > a, a != -1.0), *a)


# ---- torch's errors (minitorch/errors.py, elementwise section) --------------------------

@pytest.mark.parametrize("case", [
    lambda lib: lib.clamp(lib.ones(2)),
    lambda lib: lib.ones(2).clamp(),
    lambda lib: lib.ones(2).div(2, rounding_mode="round"),
    lambda lib: lib.where(lib.tensor([1.0, 0.0]), lib.ones(2), 0.0),
    lambda lib: lib.tensor([1]) ^ lib.ones(1),
], ids=["clamp_without_bounds", "clamp_method_without_bounds", "unknown_rounding_mode",
        "where_float_condition", "bitwise_xor_of_a_float"])
def test_errors_like_torch(case):
    same_error(case)
