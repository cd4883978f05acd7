"""Reductions against torch: sum mean var std max min amax amin argmax argmin logsumexp.

Each op is checked with no dim, an int dim (negative ones included), a tuple of dims where
torch allows one, and keepdim True/False; values, dtypes, shapes and the gradients of a
random upstream gradient must match torch. Ties in max/min/amax/amin/argmax/argmin are
drawn on purpose (small integers cast to float): max()/amax spread the gradient evenly
among tied entries, max(dim) sends it to the index torch returns.
"""
import numpy as np
from hypothesis import assume, given, strategies as st

from parity import FLOATS, LAYOUTS, check, layout, shapes, tensors


# ---- local strategies ------------------------------------------------------------------

@st.composite
def arrays(draw, min_dims=0, low=-3.0, high=3.0, ties=False, shape=None):
    """One float array, drawn shape/dtype/layout; `ties`: small integers, so equal values."""
    shape = draw(shapes(min_dims=min_dims)) if shape is None else shape
    dtype = draw(st.sampled_from(FLOATS))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = rng.integers(-1, 2, size=shape) if ties else rng.uniform(low, high, size=shape)
    return layout(np.asarray(a).astype(dtype), draw(LAYOUTS))


@st.composite
def with_dim(draw, ties=False, min_size=1, **kw):
    """(array, dim, keepdim): dim an int in [-ndim, ndim); the reduced dim has >= min_size."""
    a = draw(arrays(min_dims=1, ties=ties, **kw))
    dim = draw(st.integers(-a.ndim, a.ndim - 1))
    assume(a.shape[dim] >= min_size)
    return a, dim, draw(st.booleans())


@st.composite
def with_dims(draw, ties=False, min_size=1, **kw):
    """(array, dims, keepdim): dims a non-empty tuple of distinct dims, some negative."""
    a = draw(arrays(min_dims=1, ties=ties, **kw))
    dims = draw(st.lists(st.integers(0, a.ndim - 1), min_size=1, max_size=a.ndim, unique=True))
    dims = tuple(d - a.ndim if draw(st.booleans()) else d for d in dims)
    assume(int(np.prod([a.shape[d] for d in dims])) >= min_size)
    return a, dims, draw(st.booleans())


# ---- sum / mean ------------------------------------------------------------------------

@given(arrays())
def test_sum_all(a): check(lambda T, a: (a.sum(), T.sum(a)), a)
@given(with_dim())
def test_sum_dim(adk): a, d, k = adk; check(lambda T, a: (a.sum(d, keepdim=k), T.sum(a, dim=d, keepdim=k), a.sum(d)), a)
@given(with_dims())
def test_sum_dims(adk): a, d, k = adk; check(lambda T, a: (a.sum(d, keepdim=k), T.sum(a, dim=d)), a)
@given(arrays())
def test_mean_all(a): check(lambda T, a: (a.mean(), T.mean(a)), a)
@given(with_dim())
def test_mean_dim(adk): a, d, k = adk; check(lambda T, a: (a.mean(d, keepdim=k), T.mean(a, dim=d, keepdim=k), a.mean(d)), a)
@given(with_dims())
def test_mean_dims(adk): a, d, k = adk; check(lambda T, a: (a.mean(d, keepdim=k), T.mean(a, d)), a)
@given(arrays(shape=()))
def test_reduce_0d_dim(a): check(lambda T, a: (a.sum(0), a.mean(-1), a.sum(0, keepdim=True), a.amax(0), a.logsumexp(0)), a)


# ---- var / std (unbiased by default; correction=0; the old unbiased=False) -------------
# The unbiased forms need >= 2 reduced elements; std needs a non-zero spread (>= 2 elements
# with random values), else torch's values/grads are nan/inf by design.

@given(arrays().filter(lambda a: a.size >= 2))
def test_var_all(a): check(lambda T, a: (a.var(), T.var(a), a.var(correction=0), a.var(unbiased=False)), a)
@given(with_dim(min_size=2))
def test_var_dim(adk): a, d, k = adk; check(lambda T, a: (a.var(d, keepdim=k), T.var(a, dim=d, correction=0, keepdim=k), a.var(d, unbiased=False)), a)
@given(with_dims(min_size=2))
def test_var_dims(adk): a, d, k = adk; check(lambda T, a: (a.var(d, keepdim=k), a.var(dim=d, correction=0)), a)
@given(with_dim())
def test_var_correction0_size1(adk): a, d, k = adk; check(lambda T, a: a.var(d, correction=0, keepdim=k), a)
@given(arrays().filter(lambda a: a.size >= 2))
def test_std_all(a): check(lambda T, a: (a.std(), T.std(a), a.std(correction=0), a.std(unbiased=False)), a)
@given(with_dim(min_size=2))
def test_std_dim(adk): a, d, k = adk; check(lambda T, a: (a.std(d, keepdim=k), T.std(a, dim=d, correction=0, keepdim=k)), a)
@given(with_dims(min_size=2))
def test_std_dims(adk): a, d, k = adk; check(lambda T, a: (a.std(d, keepdim=k), a.std(dim=d, correction=0)), a)


# ---- max / min: full reduction, (values, indices) along a dim, the binary form ---------

@given(arrays())
def test_max_all(a): check(lambda T, a: (a.max(), T.max(a), a.min(), T.min(a)), a)
@given(arrays(ties=True))
def test_max_all_ties(a): check(lambda T, a: a.max(), a)  # grad spread evenly among the ties
@given(arrays(ties=True))
def test_min_all_ties(a): check(lambda T, a: T.min(a), a)


def _values_indices(r):
    return r.values, r.indices


@given(with_dim())
def test_max_dim(adk): a, d, k = adk; check(lambda T, a: _values_indices(a.max(d, keepdim=k)) + _values_indices(T.max(a, dim=d)), a)
@given(with_dim())
def test_min_dim(adk): a, d, k = adk; check(lambda T, a: _values_indices(a.min(d, keepdim=k)) + _values_indices(T.min(a, d, k)), a)
@given(with_dim(ties=True))
def test_max_dim_ties(adk): a, d, k = adk; check(lambda T, a: _values_indices(a.max(dim=d, keepdim=k)), a)  # grad goes to the returned index
@given(with_dim(ties=True))
def test_min_dim_ties(adk): a, d, k = adk; check(lambda T, a: _values_indices(T.min(a, dim=d, keepdim=k)), a)
@given(with_dim())
def test_max_dim_tuple_protocol(adk): a, d, k = adk; check(lambda T, a: (a.max(d)[0], a.max(d)[1], *a.min(d, k), *tuple(T.max(a, d))), a)
@given(arrays(ties=True))
def test_max_binary(a): check(lambda T, a: (T.max(a, a * 0.5), T.min(a, a.sin())), a)


# ---- amax / amin -----------------------------------------------------------------------

@given(arrays())
def test_amax_all(a): check(lambda T, a: (a.amax(), T.amax(a), a.amin(), T.amin(a)), a)
@given(with_dim())
def test_amax_dim(adk): a, d, k = adk; check(lambda T, a: (a.amax(d, keepdim=k), T.amin(a, dim=d, keepdim=k)), a)
@given(with_dims())
def test_amax_dims(adk): a, d, k = adk; check(lambda T, a: (a.amax(d, keepdim=k), T.amin(a, d, k)), a)
@given(arrays(ties=True))
def test_amax_all_ties(a): check(lambda T, a: a.amax(), a)  # grad spread evenly among ties
@given(with_dim(ties=True))
def test_amax_dim_ties(adk): a, d, k = adk; check(lambda T, a: a.amax(d, keepdim=k), a)
@given(with_dims(ties=True))
def test_amin_dims_ties(adk): a, d, k = adk; check(lambda T, a: a.amin(d, keepdim=k), a)


# ---- argmax / argmin (first index of a tie, int64) -------------------------------------

@given(arrays(ties=True))
def test_argmax_all(a): check(lambda T, a: (a.argmax(), T.argmax(a), a.argmin(), T.argmin(a)), a)
@given(with_dim(ties=True))
def test_argmax_dim(adk): a, d, k = adk; check(lambda T, a: (a.argmax(d), T.argmax(a, dim=d, keepdim=k), a.argmin(dim=d, keepdim=k), T.argmin(a, d)), a)


# ---- logsumexp (dim is required in torch) ----------------------------------------------

@given(with_dim())
def test_logsumexp_dim(adk): a, d, k = adk; check(lambda T, a: (a.logsumexp(d, keepdim=k), T.logsumexp(a, dim=d, keepdim=k)), a)
@given(with_dims())
def test_logsumexp_dims(adk): a, d, k = adk; check(lambda T, a: (a.logsumexp(d, keepdim=k), T.logsumexp(a, d)), a)
@given(with_dim(low=1e4 - 5, high=1e4 + 5))
def test_logsumexp_huge(adk): a, d, k = adk; check(lambda T, a: T.logsumexp(a, d, keepdim=k), a)  # exp overflows unless shifted
@given(with_dim(low=-1e4 - 5, high=-1e4 + 5))
def test_logsumexp_huge_negative(adk): a, d, k = adk; check(lambda T, a: T.logsumexp(a, d, keepdim=k), a)  # exp underflows to 0
@given(with_dims(low=-1e4, high=1e4))
def test_logsumexp_spread(adk): a, d, k = adk; check(lambda T, a: a.logsumexp(d, keepdim=k), a)
@given(with_dim(ties=True))
def test_logsumexp_ties(adk): a, d, k = adk; check(lambda T, a: a.logsumexp(d, keepdim=k), a)


# ---- integer and bool inputs (forward only) --------------------------------------------

@st.composite
def int_arrays(draw, dtype):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = draw(shapes(min_dims=1))
    a = rng.random(size=shape) < 0.5 if dtype == np.bool_ else rng.integers(-5, 6, size=shape)
    return layout(np.asarray(a).astype(dtype), draw(LAYOUTS)), draw(st.integers(-len(shape), len(shape) - 1))


@given(int_arrays(np.int64))
def test_reduce_int64(ad): a, d = ad; check(lambda T, a: (a.sum(), a.sum(d), a.max(), *a.max(d), a.amin(d), a.argmax(), a.argmin(d)), a)
@given(int_arrays(np.int32))
def test_reduce_int32(ad): a, d = ad; check(lambda T, a: (a.sum(), a.sum(d, keepdim=True), a.min(), *a.min(d), a.amax(d)), a)  # sum -> int64
@given(int_arrays(np.bool_))
def test_reduce_bool(ad): a, d = ad; check(lambda T, a: (a.sum(), a.sum(d), a.amax(d)), a)  # sum -> int64


# ---- zero-size dims --------------------------------------------------------------------

@st.composite
def empty(draw):
    """An array with a zero-size dim and the index of that dim (and one of a non-zero dim)."""
    shape = list(draw(shapes(min_dims=2, max_dims=3)))
    z = draw(st.integers(0, len(shape) - 1))
    shape[z] = 0
    a = draw(tensors(shape=tuple(shape)))
    return a, z, draw(st.sampled_from([d for d in range(len(shape)) if d != z]))


@given(empty())
def test_sum_empty(azn): a, z, n = azn; check(lambda T, a: (a.sum(), a.sum(z), a.sum(n), a.sum((z, n), keepdim=True)), a)
@given(empty())
def test_mean_empty(azn): a, z, n = azn; check(lambda T, a: (a.mean(z), a.mean(n)), a)  # mean over nothing is nan
@given(empty())
def test_amax_empty(azn): a, z, n = azn; check(lambda T, a: (a.amax(n), *a.max(n), a.argmin(n)), a)  # reduce a non-empty dim
@given(empty())
def test_logsumexp_empty(azn): a, z, n = azn; check(lambda T, a: (a.logsumexp(z), a.logsumexp(n)), a)  # -inf over nothing


@st.composite
def norm_case(draw):
    a = draw(tensors())
    p = draw(st.sampled_from(["fro", 2, 1, 3, 0, float("inf")]))
    dim = None if a.ndim == 0 else draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    return a, p, dim, draw(st.booleans())


@given(norm_case())
def test_norm(case):
    a, p, dim, keepdim = case
    check(lambda T, a: (a.norm(p=p, dim=dim, keepdim=keepdim), T.norm(a, p, dim, keepdim)), a)


@given(st.sampled_from(["fro", 1, 3, float("inf")]))
def test_norm_of_zeros_has_torchs_gradient(p):
    check(lambda T, a: a.norm(p=p), np.zeros((2, 3)))
