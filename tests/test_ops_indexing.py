"""Indexing and sorting against torch: gather, scatter (src, value, reduce=), scatter_add,
index_select, masked_fill, topk, sort, argsort, nn.functional.one_hot.

Values, dtypes and shapes of every output and the gradients of a random upstream gradient
must match torch's, over drawn shapes (0-d and empty ones included), dims (negative ones
included), layouts (transposed and strided inputs and indices), float, int and bool dtypes,
repeated indices (scatter's last write wins, gather's gradients add up), ties, nans and
infs; the in-place forms must bump the version counter and record torch's nodes; bad
arguments must raise torch's errors.

Ties: sort is compared exactly (minitorch's sort is stable; torch's is for stable=True and
for rows of up to 16 elements, which is all hypothesis draws here). torch's topk picks
among equal values by its partial sort (std::nth_element), an order that is not stable
and not reproducible, so with ties topk's values are compared exactly and its indices are
checked to be distinct positions holding those values, and the gradient is torch's
gradient for the indices minitorch chose.
"""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
import minitorch.nn.functional as F
from parity import FLOATS, LAYOUTS, assert_close, check, layout, same_error, shapes, torch_name

LIBS = (minitorch, torch)


# ---- local strategies ----------------------------------------------------------------------

def _made(seed, shape, kind, ties=False, specials=False):
    """An array of `kind` (a float dtype, an int dtype or bool); ties: small integers (equal
    values); specials: some nans and infinities among the values."""
    rng = np.random.default_rng(seed)
    if kind == np.bool_:
        return np.asarray(rng.random(shape) < 0.5)
    if np.dtype(kind).kind in "iu":
        return np.asarray(rng.integers(-5, 6, size=shape)).astype(kind)
    a = rng.integers(-2, 3, size=shape) if ties else rng.uniform(-3, 3, size=shape)
    a = np.asarray(a, dtype=kind)
    if specials and a.size:
        spots = rng.random(shape) < 0.3
        a[spots] = rng.choice([np.nan, np.inf, -np.inf], size=int(spots.sum()))
    return a


@st.composite
def arrays(draw, shape=None, kinds=FLOATS, ties=False, specials=False, max_dims=3, max_side=4):
    shape = draw(shapes(min_dims=0, max_dims=max_dims, max_side=max_side)) if shape is None else shape
    kind = draw(st.sampled_from(kinds))
    a = _made(draw(st.integers(0, 2**32 - 1)), shape, kind, ties, specials)
    return layout(np.asarray(a), draw(LAYOUTS))


@st.composite
def dims_of(draw, a):
    """A dim of a, negative or not (0 or -1 for a 0-d array)."""
    n = max(a.ndim, 1)
    return draw(st.integers(-n, n - 1))


@st.composite
def index_for(draw, shape, dim, bound, along=(1, 5), others=None, empty=True):
    """An index array (int64 or int32, any layout) with values in [0, bound): its size along
    dim drawn from `along`, and along each other dim at most that dim's size in `others`."""
    others = shape if others is None else others
    n = max(len(shape), 1)
    sizes = tuple(draw(st.integers(*along)) if k == dim % n else
                  draw(st.integers(0 if empty else 1, (others or (1,))[k])) for k in range(n))
    if not shape and draw(st.booleans()):
        sizes = ()  # a 0-d input takes a 0-d index too
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    index = np.asarray(rng.integers(0, bound, size=sizes)).astype(draw(st.sampled_from([np.int64, np.int32])))
    return layout(index, draw(LAYOUTS))


def _size(shape, dim):
    return (shape or (1,))[dim % max(len(shape), 1)]


@st.composite
def gather_case(draw, kinds=FLOATS):
    a = draw(arrays(kinds=kinds))
    dim = draw(dims_of(a))
    return a, dim, draw(index_for(a.shape, dim, _size(a.shape, dim)))


@st.composite
def scatter_case(draw, kinds=FLOATS, larger_src=False):
    """(input, dim, index, src): src of index's shape (its gradient is then defined), or
    larger than the index (larger_src: only its leading block is used)."""
    a = draw(arrays(kinds=kinds))
    dim = draw(dims_of(a))
    index = draw(index_for(a.shape, dim, _size(a.shape, dim), along=(0, 5)))
    src_shape = index.shape
    if larger_src:
        src_shape = tuple(n + draw(st.integers(0, 2)) for n in (index.shape or (1,)))
    src = layout(_made(draw(st.integers(0, 2**32 - 1)), src_shape, a.dtype.type), draw(LAYOUTS))
    return a, dim, index, src


def _versions_and(fn):
    """fn(T, ...) run on a copy made inside the graph, returning (result, how many times the
    copy's version counter moved): the in-place forms, compared as values."""
    def run(T, a, *args):
        y = a * 1 if a.dtype.is_floating_point else a.clone()
        before = y._version
        out = fn(T, y, *args)
        assert out is y
        return y, T.tensor(y._version - before)
    return run


# ---- gather ------------------------------------------------------------------------------------

@given(gather_case())
def test_gather(case):
    a, dim, index = case
    check(lambda T, a, i: (T.gather(a, dim, i), a.gather(dim, i), a.gather(dim=dim, index=i)), a, index)


@given(gather_case(kinds=[np.int64, np.int32, np.bool_]))
def test_gather_int_and_bool(case):
    a, dim, index = case
    check(lambda T, a, i: T.gather(a, dim, i), a, index)


@given(gather_case())
def test_gather_sparse_grad_flag(case):  # minitorch's gradient is dense; its values are torch's
    a, dim, index = case
    index = index.astype(np.int64)  # (torch's sparse gradient refuses an int32 index)
    ours = minitorch.from_numpy(a.copy()).requires_grad_()
    theirs = torch.from_numpy(a.copy()).requires_grad_()
    ours.gather(dim, minitorch.from_numpy(index.copy()), sparse_grad=True).sum().backward()
    theirs.gather(dim, torch.from_numpy(index.copy()), sparse_grad=True).sum().backward()
    assert_close(ours.grad, theirs.grad.to_dense())


# ---- scatter and scatter_add -------------------------------------------------------------------

@given(scatter_case())
def test_scatter_src(case):  # repeated indices: the last write wins, every src gets its gradient
    a, dim, index, src = case
    check(lambda T, a, i, s: (T.scatter(a, dim, i, s), a.scatter(dim, i, src=s)), a, index, src)


@given(scatter_case(larger_src=True))
def test_scatter_src_larger_than_index(case):  # (torch refuses backward here: values only)
    a, dim, index, src = case
    check(lambda T, a, i, s: (a.scatter(dim, i, s), a.scatter_add(dim, i, s)), a, index, src,
          requires_grad=False)


@given(scatter_case(), st.sampled_from([0.5, -2, 7, True, float("inf"), float("nan")]))
def test_scatter_value(case, value):
    a, dim, index, _ = case
    check(lambda T, a, i: (T.scatter(a, dim, i, value), a.scatter(dim, i, value=value)), a, index)


@given(scatter_case(kinds=[np.int64, np.int32, np.uint8, np.bool_]))
def test_scatter_int_and_bool(case):
    a, dim, index, src = case
    check(lambda T, a, i, s: (a.scatter(dim, i, s), a.scatter(dim, i, 1), a.scatter_add(dim, i, s)),
          a, index, src)


@given(scatter_case())
def test_scatter_add(case):  # repeated indices add up
    a, dim, index, src = case
    check(lambda T, a, i, s: (T.scatter_add(a, dim, i, s), a.scatter_add(dim, i, s)), a, index, src)


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@given(scatter_case(kinds=FLOATS + [np.int64, np.bool_]), st.sampled_from(["add", "multiply"]))
def test_scatter_reduce(case, reduce):  # no gradient: torch records a NotImplemented node
    a, dim, index, src = case
    with pytest.warns(UserWarning, match="reduce argument of minitorch.scatter with Tensor src is deprecated"):
        check(lambda T, a, i, s: (a.scatter(dim, i, s, reduce=reduce), T.scatter(a, dim, i, 2, reduce=reduce)),
              a, index, src, requires_grad=False)


@given(scatter_case())
def test_scatter_inplace(case):
    a, dim, index, src = case
    check(_versions_and(lambda T, y, i, s: y.scatter_(dim, i, s)), a, index, src)
    check(_versions_and(lambda T, y, i: y.scatter_(dim, i, -1.5)), a, index)
    check(_versions_and(lambda T, y, i, s: y.scatter_add_(dim, i, s)), a, index, src)


@given(scatter_case())
def test_scatter_inplace_reduce(case):
    a, dim, index, src = case
    check(_versions_and(lambda T, y, i: y.scatter_(dim, i, 3.0, reduce="multiply")), a, index,
          requires_grad=False)


# ---- index_select --------------------------------------------------------------------------------

@st.composite
def index_select_case(draw, kinds=FLOATS):
    a = draw(arrays(kinds=kinds))
    dim = draw(dims_of(a))
    bound = _size(a.shape, dim)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    count = 1 if a.ndim == 0 else draw(st.integers(0, 5))
    index = rng.integers(0, bound, size=count).astype(draw(st.sampled_from([np.int64, np.int32])))
    if count == 1 and draw(st.booleans()):
        index = index.reshape(())  # one 0-d index
    elif index.ndim == 1:
        index = layout(index, draw(LAYOUTS))
    return a, dim, index


@given(index_select_case())
def test_index_select(case):  # repeated indices: their gradients add up
    a, dim, index = case
    check(lambda T, a, i: (T.index_select(a, dim, i), a.index_select(dim, i)), a, index)


@given(index_select_case(kinds=[np.int64, np.uint8, np.bool_]))
def test_index_select_int_and_bool(case):
    a, dim, index = case
    check(lambda T, a, i: a.index_select(dim, i), a, index)


# ---- masked_fill ---------------------------------------------------------------------------------

VALUES = [0.5, -2, 0, True, float("inf"), float("-inf"), float("nan"), 1e30]


@st.composite
def masked_fill_case(draw, kinds=FLOATS, inplace=False):
    """(input, mask, value): mask broadcasts against input (in place: to input's shape)."""
    if inplace:
        a = draw(arrays(kinds=kinds))
        mask_shape = tuple(1 if draw(st.booleans()) else n for n in a.shape)
        mask_shape = mask_shape[draw(st.integers(0, len(mask_shape))):]
    else:
        a_shape, mask_shape = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3,
                                                                    max_side=3)).input_shapes
        a = draw(arrays(shape=a_shape, kinds=kinds))
    mask = layout(_made(draw(st.integers(0, 2**32 - 1)), mask_shape, np.bool_), draw(LAYOUTS))
    value = draw(st.sampled_from(VALUES if a.dtype.kind == "f" else [3, -1, True, 2.7]))
    return a, mask, value


@given(masked_fill_case())
def test_masked_fill(case):
    a, mask, value = case
    check(lambda T, a, m: (T.masked_fill(a, m, value), a.masked_fill(m, value)), a, mask)


@given(masked_fill_case(kinds=[np.int64, np.int32, np.uint8, np.bool_]))
def test_masked_fill_int_and_bool(case):  # float values truncate into integer tensors
    a, mask, value = case
    check(lambda T, a, m: a.masked_fill(m, value), a, mask)


@given(masked_fill_case(), st.sampled_from(FLOATS + [np.int64]))
def test_masked_fill_tensor_value(case, value_dtype):  # a 0-d value gets a gradient too
    a, mask, value = case
    # (a float64 value's gradient is a sum of a float32 input's gradients: float32's precision)
    check(lambda T, a, m, v: T.masked_fill(a, m, v), a, mask, np.array(1.25, dtype=value_dtype),
          grad_rtol=1e-5 if a.dtype == np.float32 else None)


@given(masked_fill_case(inplace=True), st.booleans())
def test_masked_fill_inplace(case, tensor_value):
    a, mask, value = case
    if tensor_value:
        check(_versions_and(lambda T, y, m, v: y.masked_fill_(m, v)), a, mask, np.array(-0.5),
              grad_rtol=1e-5 if a.dtype == np.float32 else None)
    else:
        check(_versions_and(lambda T, y, m: y.masked_fill_(m, value)), a, mask)


# ---- topk ------------------------------------------------------------------------------------------

@st.composite
def topk_case(draw, ties=False, specials=False, kinds=FLOATS):
    a = draw(arrays(kinds=kinds, ties=ties, specials=specials))
    dim = draw(dims_of(a))
    k = draw(st.integers(0, _size(a.shape, dim)))
    return a, dim, k, draw(st.booleans())


@given(topk_case())
def test_topk(case):  # distinct values: one right answer, indices and gradient included
    a, dim, k, largest = case
    check(lambda T, a: (*T.topk(a, k, dim, largest), *a.topk(k, dim=dim, largest=largest, sorted=True)), a)


@given(topk_case(kinds=[np.int64, np.int32, np.uint8]))
def test_topk_int(case):  # (small integers: ties; values only)
    a, dim, k, largest = case
    check(lambda T, a: a.topk(k, dim, largest).values, a)


@given(topk_case())
def test_topk_unsorted(case):  # sorted=False: torch's order is unspecified; the k values are the same
    a, dim, k, largest = case
    ours = minitorch.from_numpy(a.copy()).topk(k, dim, largest, sorted=False).values
    theirs = torch.from_numpy(a.copy()).topk(k, dim, largest, sorted=False).values
    assert_close(ours.sort(dim).values, theirs.sort(dim).values)


def _check_topk_with_ties(a, dim, k, largest):
    """Values exactly torch's; indices distinct positions holding those values; gradient
    torch's for the indices minitorch chose (see the module's docstring)."""
    g = np.random.default_rng(0).standard_normal(
        tuple(torch.from_numpy(a.copy()).topk(k, dim, largest).values.shape)).astype(a.dtype)
    ours_in = minitorch.from_numpy(a.copy()).requires_grad_()
    theirs_in = torch.from_numpy(a.copy()).requires_grad_()
    ours = ours_in.topk(k, dim, largest)
    theirs = theirs_in.topk(k, dim, largest)
    assert_close(ours.values, theirs.values)
    assert ours.indices.dtype == minitorch.int64 and ours.indices.shape == theirs.indices.shape
    chosen = torch.from_numpy(ours.indices.numpy().copy())
    np.testing.assert_array_equal(torch.from_numpy(a.copy()).gather(dim, chosen).numpy(),
                                  theirs.values.detach().numpy())
    if a.ndim:
        assert (chosen.sort(dim).values.diff(dim=dim) > 0).all(), "indices repeat"
    ours.values.backward(minitorch.from_numpy(g.copy()))
    expected = torch.zeros_like(theirs_in).scatter(dim, chosen, torch.from_numpy(g.copy())) \
        if a.ndim else torch.from_numpy(g.copy())
    assert_close(ours_in.grad, expected)


@given(topk_case(ties=True))
def test_topk_ties(case):
    _check_topk_with_ties(*case)


@given(topk_case(specials=True))
def test_topk_nan_and_inf(case):  # nan counts as the largest value (for largest=False too)
    _check_topk_with_ties(*case)


# ---- sort and argsort ------------------------------------------------------------------------------

@st.composite
def sort_case(draw, ties=False, specials=False, kinds=FLOATS, max_side=4):
    a = draw(arrays(kinds=kinds, ties=ties, specials=specials, max_side=max_side,
                    max_dims=3 if max_side <= 4 else 2))
    return a, draw(dims_of(a)), draw(st.booleans())


@given(sort_case(ties=True, specials=True))
def test_sort(case):  # ties keep their order; nan is largest; -0.0 equals 0.0
    a, dim, descending = case
    check(lambda T, a: (*T.sort(a, dim, descending), *a.sort(dim=dim, descending=descending),
                        *T.sort(a, stable=True, dim=dim, descending=descending)), a)


@given(sort_case(kinds=[np.int64, np.int32, np.uint8, np.bool_]))
def test_sort_int_and_bool(case):
    a, dim, descending = case
    check(lambda T, a: (*a.sort(dim, descending), a.argsort(dim, descending)), a)


@given(sort_case(ties=True, max_side=40))
def test_sort_stable_long_rows(case):  # rows longer than 16: torch is stable when asked
    a, dim, descending = case
    check(lambda T, a: (*a.sort(dim=dim, descending=descending, stable=True),
                        T.argsort(a, dim=dim, descending=descending, stable=True)), a)


@given(sort_case(ties=True, specials=True))
def test_argsort(case):
    a, dim, descending = case
    check(lambda T, a: (T.argsort(a, dim, descending), a.argsort(dim=dim, descending=descending),
                        T.argsort(a, dim=dim, descending=descending, stable=True), a.argsort()), a)


# ---- one_hot ------------------------------------------------------------------------------------

@given(arrays(kinds=[np.int64]), st.integers(-1, 4))
def test_one_hot(a, extra):
    a = np.asarray(np.abs(a))
    classes = -1 if extra < 0 and a.size else (int(a.max()) + 1 if a.size else 1) + max(extra, 0)
    check(lambda T, a: (T.nn.functional.one_hot(a, classes), T.nn.functional.one_hot(a, num_classes=classes)), a)


# ---- 0-d and empty tensors -------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [
    lambda T, a: (T.gather(a, 0, T.tensor(0)), T.gather(a, -1, T.tensor([0, 0]))),
    lambda T, a: (T.scatter(a, 0, T.tensor(0), T.tensor(5.0, dtype=T.float64)), T.scatter(a, 0, T.tensor([0]), 2.0)),
    lambda T, a: T.scatter_add(a, 0, T.tensor([0, 0]), T.tensor([5.0, 1.0], dtype=T.float64)),
    lambda T, a: (T.index_select(a, 0, T.tensor(0)), T.index_select(a, -1, T.tensor([0]))),
    lambda T, a: (T.masked_fill(a, T.tensor(True), 3.0), T.masked_fill(a, T.tensor([True, False]), 3.0)),
    lambda T, a: (*T.topk(a, 1), *T.topk(a, 0), *T.sort(a), *T.sort(a, 0, True), T.argsort(a)),
])
def test_0d(fn):
    check(fn, np.array(2.5))


@pytest.mark.parametrize("fn", [
    lambda T, a: (T.gather(a, 1, T.zeros(2, 0, dtype=T.long)), T.gather(a, 0, T.zeros(0, dtype=T.long)),
                  T.gather(a, 0, T.zeros(0))),  # an empty index: no checks at all, not even of its dtype
    lambda T, a: (T.scatter(a, 1, T.zeros(2, 0, dtype=T.long), T.ones(2, 2, dtype=T.float64)),
                  T.scatter(a, 0, T.zeros(0), 1e300)),
    lambda T, a: T.index_select(a, 1, T.tensor([], dtype=T.long)),
    lambda T, a: (*T.topk(a, 0), *T.topk(a, 2, dim=0)),
])
def test_empty_index_and_k(fn):
    check(fn, np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("fn", [
    lambda T, a: (*T.sort(a), *T.sort(a, 0), *T.topk(a, 0), *T.topk(a, 2, dim=0), T.argsort(a, 0)),
    lambda T, a: (T.index_select(a, 0, T.tensor([1, 0])), T.index_select(a, 1, T.tensor([], dtype=T.long))),
    lambda T, a: (T.masked_fill(a, T.ones(2, 0, dtype=T.bool), 1.0), T.gather(a, 0, T.zeros(1, 0, dtype=T.long))),
    lambda T, a: T.nn.functional.one_hot(T.zeros(0, 2, dtype=T.long), 3),
])
def test_empty_input(fn):
    check(fn, np.zeros((2, 0)))


# ---- graph nodes, printed forms, versions ---------------------------------------------------------

def _graph(y):
    """y's node and the names of its next functions, as both engines print them."""
    return y.grad_fn.name(), [None if n is None else n.name() for n, _ in y.grad_fn.next_functions]


NODE_CASES = [
    lambda T, x, s, i: T.gather(x, 1, i),
    lambda T, x, s, i: T.scatter(x, 1, i, s),
    lambda T, x, s, i: T.scatter(x, 1, i, 2.0),
    lambda T, x, s, i: T.scatter(x, 1, i, s.detach()),
    lambda T, x, s, i: T.scatter(x, 1, i, 2.0, reduce="add"),
    lambda T, x, s, i: T.scatter_add(x, 1, i, s),
    lambda T, x, s, i: T.index_select(x, 1, T.tensor([2, 0])),
    lambda T, x, s, i: T.masked_fill(x, x > 2, 0.5),
    lambda T, x, s, i: T.masked_fill(x, x > 2, s[0, 0]),
    lambda T, x, s, i: T.masked_fill(x, x > 2, T.tensor(1.0)),
    lambda T, x, s, i: T.topk(x, 2).values,
    lambda T, x, s, i: T.sort(x).values,
    lambda T, x, s, i: T.sort(x, stable=False).values,  # stable= given: SortBackward1
    lambda T, x, s, i: (x * 1).scatter_(1, i, s),
    lambda T, x, s, i: (x * 1).scatter_(1, i, 2.0),
    lambda T, x, s, i: (x * 1).scatter_(1, i, s, reduce="multiply"),
    lambda T, x, s, i: (x * 1).scatter_add_(1, i, s),
    lambda T, x, s, i: (x * 1).masked_fill_(x > 2, 2.0),
    lambda T, x, s, i: (x * 1).masked_fill_(x > 2, s[1, 1]),
    lambda T, x, s, i: (x * 1)[0].scatter_(0, T.tensor([1]), 5.0),  # written through a view
    lambda T, x, s, i: (lambda y: (y[:, 1].masked_fill_(T.tensor([True, False]), 5.0), y)[1])(x * 1),
]


@pytest.mark.filterwarnings("ignore:The reduce argument")
@pytest.mark.parametrize("fn", NODE_CASES)
def test_nodes(fn):
    graphs = []
    for T in LIBS:
        x = T.arange(6.0).reshape(2, 3).requires_grad_()
        s = T.ones(2, 2, requires_grad=True)
        graphs.append(_graph(fn(T, x, s, T.tensor([[0, 1], [1, 0]]))))
    assert graphs[0] == graphs[1]


def test_return_types_print_as_torchs():
    for name in ("topk", "sort"):
        ours, theirs = (getattr(T, name)(T.tensor([[3.0, 1.0, 2.0]], requires_grad=True), 1 if name == "topk" else -1)
                        for T in LIBS)
        assert repr(ours) == torch_name(repr(theirs))
        assert type(ours).__name__ == type(theirs).__name__ == name
        assert ours[0] is ours.values and ours[1] is ours.indices and len(ours) == 2


def test_one_hot_is_in_functional_only():
    assert hasattr(F, "one_hot") and not hasattr(minitorch, "one_hot")
    assert hasattr(torch.nn.functional, "one_hot") and not hasattr(torch, "one_hot")


# ---- errors ----------------------------------------------------------------------------------------

def _x(T):
    return T.arange(6.0).reshape(2, 3)


def _i(T):
    return T.tensor([[0, 1], [1, 0]])


ERRORS = [
    # gather
    lambda T: T.gather(_x(T), 2, _i(T)),
    lambda T: T.gather(_x(T), 1, _i(T).float()),
    lambda T: T.gather(_x(T), 1, T.tensor([0, 1])),
    lambda T: T.gather(_x(T), 1, T.zeros(1, 1, 1, dtype=T.long)),
    lambda T: T.gather(_x(T), 0, T.tensor([[0, 1, 1, 0]])),
    lambda T: T.gather(_x(T), 1, T.tensor([[0, 1, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1]])),
    lambda T: T.gather(_x(T), 1, T.tensor([[5]])),
    lambda T: T.gather(_x(T), -2, T.tensor([[0, 7], [9, 0]])),  # the first in row-major order
    lambda T: T.gather(_x(T), 1, T.tensor([[-1]])),
    lambda T: T.gather(T.tensor(3.0), 0, T.tensor(1)),
    # scatter and scatter_add
    lambda T: T.scatter(_x(T), 1, _i(T).float(), 1.0),
    lambda T: T.scatter(_x(T), 1, _i(T).bool(), T.ones(2, 2)),
    lambda T: T.scatter(_x(T), 1, _i(T), T.ones(2, 2).double()),
    lambda T: T.scatter(_x(T).long(), 1, _i(T), T.ones(2, 2)),
    lambda T: T.scatter(_x(T), 1, T.tensor([0]), T.ones(2, 2)),
    lambda T: T.scatter(_x(T), 1, _i(T), T.ones(4)),  # src.size(1) of a 1-d src: an IndexError
    lambda T: T.scatter(_x(T), 1, _i(T), T.ones(2, 2, 1)),
    lambda T: T.scatter(_x(T), 1, _i(T), T.tensor(2.0)),
    lambda T: T.scatter(_x(T), 1, _i(T), T.ones(1, 1)),
    lambda T: T.scatter(_x(T), 0, T.tensor([[0, 1, 1, 1]]), T.ones(1, 4)),
    lambda T: T.scatter(_x(T), 0, T.tensor([[0, 1, 1, 1]]), 1.0),
    lambda T: T.scatter(_x(T), 1, T.tensor([[3]]), T.ones(2, 2)),
    lambda T: T.scatter(_x(T), 1, T.tensor([[-1]]), 1.0),
    lambda T: T.scatter(_x(T), 1, _i(T), 1.0, reduce="mean"),
    lambda T: T.scatter(_x(T), 1, T.tensor([[9]]), 1.0, reduce="sum"),  # the reduce name first
    lambda T: T.scatter(T.zeros(2, dtype=T.uint8), 0, T.tensor([1]), 300),
    lambda T: T.scatter(T.zeros(2, dtype=T.uint8), 0, T.tensor([5]), 300),  # bounds before the value
    lambda T: T.scatter(T.zeros(2, dtype=T.int32), 0, T.tensor([1]), float("nan")),
    lambda T: T.scatter_add(_x(T), 1, T.tensor([[3]]), T.ones(2, 2)),
    lambda T: T.scatter_add(_x(T), 1, _i(T), T.ones(2, 2).double()),
    lambda T: T.zeros(2).scatter_(0, T.tensor([1]), T.ones(1, dtype=T.float64)),
    lambda T: T.zeros(3).expand(2, 3).scatter_(1, T.tensor([[0]]), 1.0),
    lambda T: T.zeros(2, requires_grad=True).scatter_(0, T.tensor([5]), 1.0),  # the leaf first
    # index_select
    lambda T: T.index_select(_x(T), 1, T.tensor([2.0, 0.0])),
    lambda T: T.index_select(_x(T), 1, T.tensor([True, False])),
    lambda T: T.index_select(_x(T), 1, T.tensor([[2, 0]])),
    lambda T: T.index_select(_x(T), 2, T.tensor([0])),
    lambda T: T.index_select(_x(T), 1, T.tensor([0, 3, 5])),
    lambda T: T.index_select(_x(T), 1, T.tensor([-1])),
    lambda T: T.index_select(_x(T), 0, T.tensor([0, 5])),
    lambda T: T.index_select(T.zeros(2, 2, 2), 2, T.tensor([0, 3])),
    lambda T: T.index_select(T.zeros(2, 2, 2), 1, T.tensor([0, 3, -1])),
    lambda T: T.index_select(T.arange(3.0), 0, T.tensor([-1])),
    lambda T: T.index_select(T.zeros(0), 0, T.tensor([0])),
    lambda T: T.index_select(T.zeros(0, 3), 0, T.tensor([0])),
    lambda T: T.index_select(T.zeros(0, 3), 1, T.tensor([5])),
    lambda T: T.index_select(T.zeros(2, 0), 0, T.tensor([2])),
    lambda T: T.index_select(T.tensor(5.0), 0, T.tensor([0, 0])),
    lambda T: T.index_select(T.tensor(5.0), 0, T.tensor(1)),
    # masked_fill
    lambda T: T.masked_fill(_x(T), T.ones(2, 3).long(), 1.0),
    lambda T: T.masked_fill(_x(T), T.ones(2, 3).byte(), 1.0),
    lambda T: T.masked_fill(_x(T), T.ones(2, 3), 1.0),
    lambda T: T.masked_fill(_x(T), T.ones(2, dtype=T.bool), 1.0),
    lambda T: T.masked_fill(_x(T), T.ones(2, 3, dtype=T.bool), T.ones(1)),
    lambda T: T.masked_fill(T.zeros(2), T.ones(3).long(), 1.0),  # broadcast first (out of place)
    lambda T: T.masked_fill(T.zeros(2), T.ones(2).long(), T.ones(2)),  # then the value's dims
    lambda T: T.zeros(2).masked_fill_(T.ones(3).bool(), 1.0),
    lambda T: T.zeros(2, 3).masked_fill_(T.ones(2).bool(), 1.0),
    lambda T: T.zeros(3).masked_fill_(T.ones(2, 3, dtype=T.bool), 1.0),
    lambda T: T.zeros(2).masked_fill_(T.ones(3).long(), 1.0),  # in place: the mask's dtype first
    lambda T: T.zeros(2).masked_fill_(T.ones(2, 2).bool(), T.ones(1)),
    lambda T: T.zeros(2, requires_grad=True).masked_fill_(T.ones(2).long(), 1.0),
    lambda T: T.zeros(2, dtype=T.uint8).masked_fill(T.ones(3).bool(), 300),
    lambda T: T.zeros(2).masked_fill(T.ones(2).bool(), T.tensor(1e300, dtype=T.float64)),
    # topk, sort
    lambda T: T.topk(_x(T), 4),
    lambda T: T.topk(_x(T), -1),
    lambda T: T.topk(_x(T), 1, dim=2),
    lambda T: T.topk(T.tensor(3.0), 2),
    lambda T: T.topk(T.tensor([True, False]), 1),
    lambda T: T.topk(T.tensor([True]), 3),  # k before the dtype
    lambda T: T.sort(T.tensor(3.0), 1),
    lambda T: T.argsort(_x(T), 2),
    # one_hot
    lambda T: T.nn.functional.one_hot(T.zeros(0, dtype=T.long)),
    lambda T: T.nn.functional.one_hot(T.zeros(0, dtype=T.long), 0),
    lambda T: T.nn.functional.one_hot(T.tensor([0, -1])),
    lambda T: T.nn.functional.one_hot(T.tensor([0, -1]), 3),
    lambda T: T.nn.functional.one_hot(T.tensor([0, 3]), 3),
    lambda T: T.nn.functional.one_hot(T.tensor([0, 3]), 0),
    lambda T: T.nn.functional.one_hot(T.tensor([0, 3]), -2),
    lambda T: T.nn.functional.one_hot(T.tensor([0, 3], dtype=T.int32)),
    lambda T: T.nn.functional.one_hot(T.tensor([0.0, 3.0])),
]


@pytest.mark.filterwarnings("ignore:The reduce argument")
@pytest.mark.parametrize("fn", ERRORS)
def test_errors(fn):
    same_error(fn)


@pytest.mark.parametrize("fn, key", [
    (lambda T: T.gather(_x(T), 1, [[0]]), "must be Tensor, not list"),
    (lambda T: T.index_select(_x(T), 1, 0), "must be Tensor, not int"),
    (lambda T: T.scatter_add(_x(T), 1, _i(T), 1.0), "must be Tensor, not float"),
    (lambda T: T.topk(_x(T), 2.0), "must be int, not float"),
    (lambda T: T.topk(_x(T), True), "must be int, not bool"),
    (lambda T: T.nn.functional.one_hot(T.tensor([0]), None), "must be int, not NoneType"),
    (lambda T: T.scatter(_x(T), 1, _i(T)), "scatter() received an invalid combination of arguments"),
    (lambda T: T.scatter(_x(T), 1, _i(T), T.ones(2, 2), value=1.0), "scatter() received an invalid combination"),
])
def test_argument_type_errors(fn, key):  # (torch's parser also names the position)
    same_error(fn, exact=False, key=key)


DTYPES = ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"]
NUMBERS = [2**40, -1, -129, -256, -257, 300, 2**63, -2**63, 1e300, float("nan"), float("inf"),
           -float("inf"), 2.7, -2.7, 70000.0, 1e39, True, 1j, 3 + 0j, 2**64, -2**63 - 1]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("value", NUMBERS)
def test_fill_values_convert_as_torchs(dtype, value):
    """torch's checked conversion of a number into the tensor's dtype: wrap, truncate, or
    refuse, as masked_fill and scatter's value form do."""
    def fill(T):
        return T.zeros(2, dtype=getattr(T, dtype)).masked_fill(T.tensor([True, False]), value)
    theirs = None
    try:
        theirs = fill(torch)
    except (RuntimeError, OverflowError):
        same_error(fill)
    if theirs is not None:
        assert_close(fill(minitorch), theirs)
        assert_close(minitorch.zeros(2, dtype=getattr(minitorch, dtype)).scatter(0, minitorch.tensor([0]), value),
                     torch.zeros(2, dtype=getattr(torch, dtype)).scatter(0, torch.tensor([0]), value))


def test_scatter_reduce_has_no_derivative():
    def f(T):
        x = T.zeros(2, 3, requires_grad=True)
        T.scatter(x, 1, _i(T), 2.0, reduce="add").sum().backward()
    same_error(f)


@pytest.mark.parametrize("make", [
    lambda T, x, i: T.gather(x, 1, i),
    lambda T, x, i: T.scatter(x, 1, i, 2.0),
    lambda T, x, i: T.scatter_add(x, 1, i, T.ones(2, 2, requires_grad=True)),
    lambda T, x, i: T.index_select(x, 1, i[0]),
])
def test_index_changed_in_place_before_backward(make):
    def f(T):
        x, i = _x(T).requires_grad_(), _i(T)
        y = make(T, x, i)
        i.add_(0)
        y.sum().backward()
    same_error(f)


@pytest.mark.parametrize("make", [
    lambda T, x: T.topk(x, 2),
    lambda T, x: T.sort(x, 1, True),
])
def test_indices_changed_in_place_before_backward(make):
    def f(T):
        values, indices = make(T, _x(T).requires_grad_())
        indices.add_(0)
        values.sum().backward()
    same_error(f)


@pytest.mark.parametrize("make", [
    lambda T, x: T.gather(x, 1, _i(T)),
    lambda T, x: x.scatter(1, _i(T), 1.0),
    lambda T, x: x.masked_fill(x > 2, 0.0),
    lambda T, x: x.topk(1).values,
    lambda T, x: x.sort().values,
    lambda T, x: x.index_select(0, T.tensor([1])),
])
def test_backward_twice(make):
    def f(T):
        y = make(T, _x(T).requires_grad_()).sum()
        y.backward()
        y.backward()
    same_error(f, exact=False, key="Trying to backward through the graph a second time")
