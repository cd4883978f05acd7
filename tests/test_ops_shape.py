"""Shape ops, indexing and the matmul family against torch.

view reshape flatten unsqueeze squeeze permute transpose T/t()/mT expand contiguous clone,
cat stack split chunk unbind (gradients through every piece), indexing (ints, slices with
steps, None, ..., bool masks, int64 index tensors with repeated indices, mixed forms),
indexed assignment and in-place ops on views of non-leaf tensors, matmul mm bmm, and
zero-size dims. Values, dtypes, shapes and the gradients of a random upstream gradient
must match torch (tests/parity.py).
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from parity import FLOATS, LAYOUTS, check, floats_array, layout, shapes


# ---- local strategies ------------------------------------------------------------------

@st.composite
def arrays(draw, shape=None, min_dims=0, max_dims=4, min_side=1, max_side=4, dtype=None, contiguous=False):
    """One float array: drawn shape, dtype and (unless `contiguous`) layout."""
    shape = draw(shapes(min_dims, max_dims, min_side, max_side)) if shape is None else shape
    dtype = draw(st.sampled_from(FLOATS)) if dtype is None else dtype
    a = draw(floats_array(shape, dtype))
    return a if contiguous else layout(a, draw(LAYOUTS))


def dim_of(nd, extra=0):
    """A dim for a tensor of nd dims (extra=1: for ops that add a dim), negative ones too."""
    return st.integers(-nd - extra, nd - 1 + extra)


def _primes(n):
    out, p = [], 2
    while n > 1:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out


@st.composite
def same_size(draw, shape):
    """Another shape with as many elements (factors regrouped, 1s sprinkled, maybe one -1)."""
    fs = draw(st.permutations(_primes(math.prod(shape))))
    cuts = sorted(draw(st.sets(st.integers(1, len(fs) - 1)))) if len(fs) > 1 else []
    bounds = [0, *cuts, len(fs)]
    dims = [math.prod(fs[i:j]) for i, j in zip(bounds, bounds[1:])] if fs else []
    for _ in range(draw(st.integers(0, 2))):
        dims.insert(draw(st.integers(0, len(dims))), 1)
    if dims and draw(st.booleans()):
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    return tuple(dims)


def slices(n):
    """Slices of a length-n dim: positive steps, bounds negative or past the end too."""
    bound = st.none() | st.integers(-n - 1, n + 1)
    return st.builds(slice, bound, bound, st.none() | st.integers(1, 3))


@st.composite
def basic_index(draw, shape):
    """A tuple of ints, slices, Nones and at most one Ellipsis that is valid for `shape`."""
    nd, items = len(shape), []
    k = draw(st.integers(0, nd))
    for s in shape[:k]:
        if draw(st.integers(0, 4)) == 0:
            items.append(None)
        items.append(draw(st.integers(-s, s - 1) | slices(s)))
    if k < nd and draw(st.booleans()):
        items += [Ellipsis, draw(st.integers(-shape[-1], shape[-1] - 1) | slices(shape[-1]))]
    if draw(st.integers(0, 3)) == 0:
        items.append(None)
    return tuple(items)


@st.composite
def index_array(draw, n, max_dims=2, shape=None):
    """int64 indices into a length-n dim (negative ones too); repeats are likely."""
    shape = draw(shapes(0, max_dims, 1, 4)) if shape is None else shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return np.asarray(rng.integers(-n, n, size=shape)).astype(np.int64)


@st.composite
def bool_mask(draw, shape):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return np.asarray(rng.random(size=shape) < 0.5)


@st.composite
def value_for(draw, target, dtype):
    """A float array whose shape broadcasts to `target`, for `y[index] = value`."""
    s = draw(hnp.broadcastable_shapes(target, min_dims=0, max_dims=len(target), max_side=4)
             .filter(lambda s: np.broadcast_shapes(s, target) == tuple(target)))
    return layout(draw(floats_array(s, dtype)), draw(LAYOUTS))


# ---- view / reshape / flatten ----------------------------------------------------------

@given(arrays(contiguous=True).flatmap(lambda a: st.tuples(st.just(a), same_size(a.shape))))
def test_view(as_): a, s = as_; check(lambda T, a: (a.view(s), a.view(*s) if s else a.view(s), a.view(-1)), a)
@given(arrays().flatmap(lambda a: st.tuples(st.just(a), same_size(a.shape))))
def test_reshape(as_): a, s = as_; check(lambda T, a: (a.reshape(s), T.reshape(a, s), a.reshape(*s) if s else a.reshape(s), a.reshape(-1)), a)
@given(arrays().flatmap(lambda a: st.tuples(st.just(a), same_size(a.shape), same_size(a.shape))))
def test_reshape_twice(ass): a, s1, s2 = ass; check(lambda T, a: a.reshape(s1).mul(2).reshape(s2), a)


@given(arrays(min_dims=2, max_dims=2, min_side=2))
def test_view_noncontiguous_raises(a):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError):
            lib.from_numpy(a.copy()).t().view(-1)


@st.composite
def flatten_case(draw):
    a = draw(arrays(min_dims=1))
    s, e = sorted(draw(st.lists(st.integers(0, a.ndim - 1), min_size=2, max_size=2)))
    neg = lambda d: d - a.ndim if draw(st.booleans()) else d
    return a, neg(s), neg(e)


@given(flatten_case())
def test_flatten(ase): a, s, e = ase; check(lambda T, a: (a.flatten(s, e), T.flatten(a, s, e), a.flatten(start_dim=s), a.flatten(end_dim=e), a.flatten()), a)
@given(arrays(shape=()))
def test_flatten_0d(a): check(lambda T, a: (a.flatten(), T.flatten(a), a.reshape(-1), a.view(1, 1)), a)


# ---- unsqueeze / squeeze / permute / transpose / T / expand ----------------------------

@given(arrays().flatmap(lambda a: st.tuples(st.just(a), dim_of(a.ndim, extra=1))))
def test_unsqueeze(ad): a, d = ad; check(lambda T, a: (a.unsqueeze(d), T.unsqueeze(a, d), a[None].unsqueeze(-1)), a)
@given(arrays(max_side=2))
def test_squeeze_all(a): check(lambda T, a: (a.squeeze(), T.squeeze(a)), a)
@given(arrays(min_dims=1, max_side=2).flatmap(lambda a: st.tuples(st.just(a), dim_of(a.ndim))))
def test_squeeze_dim(ad): a, d = ad; check(lambda T, a: (a.squeeze(d), T.squeeze(a, d), a.squeeze(dim=d)), a)
@given(arrays(min_dims=1, max_side=2).flatmap(lambda a: st.tuples(st.just(a), st.lists(st.integers(0, a.ndim - 1), unique=True))))
def test_squeeze_dims(ad): a, d = ad; check(lambda T, a: (a.squeeze(tuple(d)), T.squeeze(a, tuple(x - a.ndim for x in d))), a)


@st.composite
def permute_case(draw):
    a = draw(arrays(min_dims=1))
    p = draw(st.permutations(range(a.ndim)))
    return a, tuple(d - a.ndim if draw(st.booleans()) else d for d in p)


@given(permute_case())
def test_permute(ap): a, p = ap; check(lambda T, a: (a.permute(*p), a.permute(p), T.permute(a, p), a.permute(p).exp()), a)
@given(arrays(min_dims=1).flatmap(lambda a: st.tuples(st.just(a), dim_of(a.ndim), dim_of(a.ndim))))
def test_transpose(ad): a, d0, d1 = ad; check(lambda T, a: (a.transpose(d0, d1), T.transpose(a, d0, d1), a.transpose(d0, d1).sin()), a)
@given(arrays(min_dims=2, max_dims=2))
def test_T_2d(a): check(lambda T, a: (a.T, a.t(), T.t(a), a.mT, a.T.T * a), a)
@given(arrays(max_dims=1))
def test_t_0d_1d(a): check(lambda T, a: (a.t(), T.t(a)), a)
@given(arrays(min_dims=2))
def test_mT(a): check(lambda T, a: (a.mT, a.transpose(-2, -1), a.mT.mT), a)


@st.composite
def expand_case(draw):
    a = draw(arrays(max_side=3))
    new = list(draw(shapes(0, 2, 1, 3)))
    rest = [draw(st.sampled_from([-1, 1, 2, 3] if s == 1 else [-1, s])) for s in a.shape]
    return a, tuple(new + rest)


@given(expand_case())
def test_expand(as_): a, s = as_; check(lambda T, a: (a.expand(s), a.expand(*s) if s else a.expand(s), a.expand(s) * 2), a)


def _expand_as(T, a, b):
    return a.expand_as(b) * b


@given(arrays(max_side=3).flatmap(lambda a: st.tuples(st.just(a), hnp.broadcastable_shapes(a.shape, max_side=3)
                                                      .map(lambda s: np.broadcast_shapes(s, a.shape)))))
def test_expand_as(as_): a, s = as_; check(_expand_as, a, np.ones(s, a.dtype))
@given(arrays())
def test_contiguous_clone(a): check(lambda T, a: (a.contiguous(), a.clone(), T.clone(a), a.mT.contiguous() if a.ndim >= 2 else a.contiguous()), a)


# ---- cat / stack / split / chunk / unbind ----------------------------------------------

@st.composite
def cat_case(draw, empty_piece=False):
    """Pieces equal in shape except along a drawn dim (sizes 1..3; one 0 if empty_piece)."""
    dtype = draw(st.sampled_from(FLOATS))
    base = list(draw(shapes(1, 3)))
    d = draw(dim_of(len(base)))
    k = draw(st.integers(2 if empty_piece else 1, 3))
    sizes = [draw(st.integers(1, 3)) for _ in range(k)]
    if empty_piece:
        sizes[draw(st.integers(0, k - 1))] = 0
    pieces = []
    for n in sizes:
        base[d] = n
        pieces.append(layout(draw(floats_array(tuple(base), dtype)), draw(LAYOUTS)))
    return d, pieces


@given(cat_case())
def test_cat(dp): d, ps = dp; check(lambda T, *ps: (T.cat(ps, d), T.cat(list(ps), dim=d)), *ps)
@given(cat_case(empty_piece=True))
def test_cat_empty_piece(dp): d, ps = dp; check(lambda T, *ps: T.cat(ps, dim=d), *ps)


@st.composite
def stack_case(draw):
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(shapes(0, 3))
    ps = [layout(draw(floats_array(shape, dtype)), draw(LAYOUTS)) for _ in range(draw(st.integers(1, 3)))]
    return draw(dim_of(len(shape), extra=1)), ps


@given(stack_case())
def test_stack(dp): d, ps = dp; check(lambda T, *ps: (T.stack(ps, d), T.stack(list(ps), dim=d)), *ps)


def with_dim(**kw):
    return arrays(min_dims=1, **kw).flatmap(lambda a: st.tuples(st.just(a), dim_of(a.ndim)))


@st.composite
def split_sizes(draw, n):
    """Sizes (zeros allowed) that add up to n."""
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    return [j - i for i, j in zip([0, *cuts], [*cuts, n])]


@given(with_dim(), st.integers(1, 5))
def test_split_int(ad, size): a, d = ad; check(lambda T, a: (*a.split(size, d), *T.split(a, size, dim=d)), a)
@given(with_dim().flatmap(lambda ad: st.tuples(st.just(ad), split_sizes(ad[0].shape[ad[1]]))))
def test_split_sizes(ads): (a, d), s = ads; check(lambda T, a: (*a.split(s, d), *T.split(a, s, dim=d)), a)
@given(with_dim(), st.integers(1, 3))
def test_split_one_piece_used(ad, size): a, d = ad; check(lambda T, a: a.split(size, d)[-1] * 2, a)  # others get zeros
@given(with_dim(), st.integers(1, 5))
def test_chunk(ad, n): a, d = ad; check(lambda T, a: (*a.chunk(n, d), *T.chunk(a, n, dim=d)), a)
@given(with_dim().flatmap(lambda ad: st.tuples(st.just(ad), st.integers(0, ad[0].shape[ad[1]]))))
def test_narrow(adn):
    (a, d), start = adn
    check(lambda T, a: (a.narrow(d, start, a.shape[d] - start), T.narrow(a, d, 0, start)), a)
@given(with_dim())
def test_unbind(ad): a, d = ad; check(lambda T, a: (*a.unbind(d), *T.unbind(a, dim=d)), a)


# ---- indexing (reads) ------------------------------------------------------------------

@given(arrays(min_dims=1).flatmap(lambda a: st.tuples(st.just(a), st.integers(-a.shape[0], a.shape[0] - 1))))
def test_getitem_int(ai): a, i = ai; check(lambda T, a: (a[i], a[0], a[-1]), a)
@given(arrays(min_dims=1).flatmap(lambda a: st.tuples(st.just(a), slices(a.shape[0]), slices(a.shape[-1]))))
def test_getitem_slice_steps(ass): a, s0, s1 = ass; check(lambda T, a: (a[s0], a[..., s1], a[::2], a[1:], a[:-1]), a)
@given(arrays().flatmap(lambda a: st.tuples(st.just(a), basic_index(a.shape))))
def test_getitem_basic(ai): a, i = ai; check(lambda T, a: a[i], a)
@given(arrays(min_dims=1))
def test_getitem_none_ellipsis(a): check(lambda T, a: (a[None], a[..., None], a[...], a[None, ..., 0], a[:, None]), a)
@given(arrays(min_dims=2))
def test_getitem_chained_views(a): check(lambda T, a: a[1:][:, ::2].transpose(0, -1)[0], a)
@given(arrays(min_dims=1).flatmap(lambda a: st.tuples(st.just(a), index_array(a.shape[0]))))
def test_getitem_int_tensor(ai): a, i = ai; check(lambda T, a, i: (a[i], a.exp()[i] * 2), a, i)  # repeats accumulate
@given(arrays(min_dims=2).flatmap(lambda a: st.tuples(st.just(a), index_array(a.shape[1]), index_array(a.shape[-1]))))
def test_getitem_int_tensor_inner(aij): a, i, j = aij; check(lambda T, a, i, j: (a[:, i], a[..., j], a[1:, i]), a, i, j)
@given(arrays(min_dims=1))
def test_getitem_list(a): check(lambda T, a: (a[[0, -1, 0]], a[[0]]), a)


@st.composite
def two_index_arrays(draw):
    a = draw(arrays(min_dims=2))
    si, sj = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3)).input_shapes
    return a, draw(index_array(a.shape[0], shape=si)), draw(index_array(a.shape[-1], shape=sj))


@given(two_index_arrays())
def test_getitem_two_int_tensors(aij): a, i, j = aij; check(lambda T, a, i, j: (a[i, ..., j], a[i, j] if a.ndim == 2 else a[i, 0, ..., j]), a, i, j)


# torch treats a plain int as a basic index (applied first), numpy as an advanced one:
# for a (2, 3, 4) tensor, t[0, :, idx] has shape (3, len(idx)) in torch, (len(idx), 3) in numpy.
@given(arrays(min_dims=3, max_dims=3).flatmap(lambda a: st.tuples(st.just(a), index_array(a.shape[2], max_dims=1))))
def test_getitem_int_slice_tensor(ai): a, i = ai; check(lambda T, a, i: (a[0, :, i], a[:, -1, i], a[1:, 0, i]), a, i)


@given(arrays().flatmap(lambda a: st.tuples(st.just(a), bool_mask(a.shape))))
def test_getitem_bool_mask(am): a, m = am; check(lambda T, a, m: (a[m], a[a > 0], a[~m] * 2), a, m)
@given(arrays(min_dims=2).flatmap(lambda a: st.tuples(st.just(a), bool_mask(a.shape[:1]), bool_mask(a.shape[1:2]))))
def test_getitem_bool_mask_partial(amn): a, m, n = amn; check(lambda T, a, m, n: (a[m], a[:, n], a[m, 0]), a, m, n)


# ---- indexed assignment and in-place ops on views of non-leaf tensors -------------------

@st.composite
def setitem_case(draw):
    """(a, index, value): value broadcasts to a[index].shape."""
    a = draw(arrays(min_dims=1))
    idx = draw(basic_index(a.shape))
    return a, idx, draw(value_for(np.empty(a.shape)[idx].shape, a.dtype))


def _setitem(idx):
    def fn(T, a, b):
        y = a * 1
        y[idx] = b
        return y
    return fn


def _view_mul_(idx):
    def fn(T, a, b):
        y = a * 1
        y[idx].mul_(b)  # writes through the view into y
        return y
    return fn


def _sibling_view_after_write(idx, other):
    """Write through one view; a second view made before the write must see it, and its
    gradient must flow through the write (torch regenerates the stale view's history)."""
    def fn(T, a, b):
        y = a * 1
        sibling = y[other]
        y[idx].mul_(b)
        return sibling * 2, y
    return fn


@given(setitem_case().flatmap(lambda aib: st.tuples(st.just(aib), basic_index(aib[0].shape))))
def test_sibling_view_after_inplace(case):
    (a, i, b), j = case
    check(_sibling_view_after_write(i, j), a, b)


@given(setitem_case())
def test_setitem_basic(aib): a, i, b = aib; check(_setitem(i), a, b)
@given(arrays(min_dims=2).filter(lambda a: a.shape[1] >= 2).flatmap(
    lambda a: st.tuples(st.just(a), value_for(a[:, 1].shape, a.dtype))))
def test_setitem_column(ab): check(_setitem((slice(None), 1)), *ab)
@given(arrays(min_dims=1))
def test_setitem_scalar(a): check(lambda T, a: (_setitem(0)(T, a, 5.0), _setitem((Ellipsis, -1))(T, a, -1)), a)
@given(arrays().flatmap(lambda a: st.tuples(st.just(a), bool_mask(a.shape), arrays(shape=(), dtype=a.dtype.type))))
def test_setitem_mask(amb): a, m, b = amb; check(lambda T, a, m, b: (_setitem(m)(T, a, 0.0), _setitem(m)(T, a, b), _setitem(a > 1)(T, a, 0)), a, m, b)


@st.composite
def setitem_int_tensor_case(draw):
    a = draw(arrays(min_dims=1))
    n = a.shape[0]
    idx = np.array(draw(st.permutations(range(n)))[:draw(st.integers(1, n))], dtype=np.int64)
    return a, idx, draw(value_for((len(idx),) + a.shape[1:], a.dtype))


@given(setitem_int_tensor_case())
def test_setitem_int_tensor(aib): a, i, b = aib; check(lambda T, a, i, b: _setitem(i)(T, a, b), a, i, b)  # distinct indices
@given(setitem_case())
def test_inplace_on_view(aib): a, i, b = aib; check(_view_mul_(i), a, b)


# ---- node names: torch names some nodes after how the op was called ---------------------

def _written(op):
    def fn(T, x):
        y = x * 1
        op(T, x, y)
        return y
    return fn


NODES = {  # each on x of shape (3, 1, 4)
    "view": lambda T, x: x.view(12), "reshape_view": lambda T, x: x.reshape(3, 4),
    "reshape_copy": lambda T, x: x.transpose(0, 2).reshape(12), "flatten": lambda T, x: x.flatten(),
    "unflatten": lambda T, x: x.unflatten(2, (2, 2)),
    "permute": lambda T, x: x.permute(2, 0, 1), "transpose": lambda T, x: x.transpose(0, 2),
    "t": lambda T, x: x[:, 0].t(), "T_attr": lambda T, x: x[:, 0].T, "expand": lambda T, x: x.expand(2, 3, 5, 4),
    "squeeze": lambda T, x: x.squeeze(), "squeeze_dim": lambda T, x: x.squeeze(1),
    "squeeze_dims": lambda T, x: x.squeeze((1,)), "squeeze_dim_not_1": lambda T, x: x.squeeze(0),
    "unsqueeze": lambda T, x: x.unsqueeze(0),
    "select": lambda T, x: x[1], "select_last": lambda T, x: x[1:, :, 0], "slice": lambda T, x: x[1:],
    "slice_then_colon": lambda T, x: x[1:, :], "none": lambda T, x: x[None], "none_then_colon": lambda T, x: x[..., None, :],
    "alias": lambda T, x: x[...], "alias_colon": lambda T, x: x[:, :],
    "narrow": lambda T, x: x.narrow(0, 1, 2), "split": lambda T, x: x.split(2)[1],
    "split_sizes": lambda T, x: x.split([1, 2])[1], "chunk": lambda T, x: x.chunk(2, 2)[0],
    "unbind": lambda T, x: x.unbind(2)[3],
    "index_tensor": lambda T, x: x[T.tensor([0, 2, 0])], "index_mask": lambda T, x: x[x > 0],
    "index_int_and_tensor": lambda T, x: x[1, :, T.tensor([0, 3])],
    "clone": lambda T, x: x.clone(), "contiguous": lambda T, x: x.transpose(0, 2).contiguous(),
    "cat": lambda T, x: T.cat([x, x], 1), "stack": lambda T, x: T.stack([x, x], 1),
    "copy_": _written(lambda T, x, y: y.copy_(x.exp())), "fill_": _written(lambda T, x, y: y.fill_(2)),
    "zero_": _written(lambda T, x, y: y.zero_()), "setitem_mask": _written(lambda T, x, y: y.__setitem__(x > 0, 0.0)),
    "setitem_basic": _written(lambda T, x, y: y.__setitem__(1, x[0])),
}


def _node_names(fn, depth=2):
    """A node's name and, `depth` levels down, those of its next_functions."""
    if fn is None:
        return None
    name = fn.name()
    return (name, tuple(_node_names(f, depth - 1) for f, _ in fn.next_functions) if depth else ())


# torch records a node per step of an index (x[1:, :, 0]: SliceBackward0, then
# SelectBackward0); minitorch records one for the whole index, named as torch's last
ONE_NODE_PER_INDEX = {"select_last", "index_int_and_tensor"}


@pytest.mark.parametrize("name", list(NODES))
def test_nodes_are_named_as_in_torch(name):
    """The node's name and, two levels down, its next_functions' names are torch's."""
    a = np.random.default_rng(0).standard_normal((3, 1, 4)).astype(np.float32)
    depth = 0 if name in ONE_NODE_PER_INDEX else 2
    graphs = [_node_names(NODES[name](lib, lib.from_numpy(a.copy()).requires_grad_()).grad_fn, depth)
              for lib in (minitorch, torch)]
    assert graphs[0] == graphs[1]
    check(NODES[name], a)


# ---- matmul family ---------------------------------------------------------------------

@st.composite
def matmul_case(draw, kind=None, k=None):
    """Operands for matmul: 1-d·1-d, 1-d·2-d, 2-d·1-d, 2-d·2-d, batched (broadcast batches),
    1-d·N-d, N-d·1-d."""
    dtype = draw(st.sampled_from(FLOATS))
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    k = draw(st.integers(1, 4)) if k is None else k
    kind = kind or draw(st.sampled_from(["1x1", "1x2", "2x1", "2x2", "batched", "1xN", "Nx1"]))
    ba, bb = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3)).input_shapes
    sa = {"1": (k,), "2": (n, k), "N": ba + (n, k)}[kind[0] if kind != "batched" else "N"]
    sb = {"1": (k,), "2": (k, m), "N": bb + (k, m)}[kind[-1] if kind != "batched" else "N"]
    return tuple(layout(draw(floats_array(s, dtype)), draw(LAYOUTS)) for s in (sa, sb))


@given(matmul_case())
def test_matmul(ab): check(lambda T, a, b: (a @ b, T.matmul(a, b), a.matmul(b)), *ab)
@given(matmul_case(kind="2x2"))
def test_mm(ab): check(lambda T, a, b: (a.mm(b), T.mm(a, b), a @ b.exp()), *ab)
@given(matmul_case(kind="1x1"))
def test_dot(ab): check(lambda T, a, b: (a.dot(b), T.dot(a, b)), *ab)
@given(matmul_case(kind="2x1"))
def test_mv(ab): check(lambda T, a, b: (a.mv(b), T.mv(a, b)), *ab)
def _to(shape):
    """Shapes that broadcast *to* `shape` (addmm's bias must fit the product's shape)."""
    return hnp.broadcastable_shapes(shape, max_dims=len(shape)).filter(
        lambda s: np.broadcast_shapes(s, shape) == shape)


@given(matmul_case(kind="2x2").flatmap(lambda ab: st.tuples(
    st.just(ab), _to((ab[0].shape[0], ab[1].shape[1])),
    st.sampled_from([1, 0.5]), st.sampled_from([1, -2.0]))))
def test_addmm(case):
    (a, b), bias_shape, beta, alpha = case
    bias = np.random.default_rng(0).standard_normal(bias_shape).astype(a.dtype)
    check(lambda T, c, a, b: (T.addmm(c, a, b), c.addmm(a, b), T.addmm(c, a, b, beta=beta, alpha=alpha)),
          bias, a, b)
@given(matmul_case(k=0))
def test_matmul_zero_inner(ab): check(lambda T, a, b: a @ b, *ab)  # zeros; grads of shape (.., 0)


@st.composite
def bmm_case(draw):
    dtype = draw(st.sampled_from(FLOATS))
    B, n, k, m = (draw(st.integers(1, 4)) for _ in range(4))
    return tuple(layout(draw(floats_array(s, dtype)), draw(LAYOUTS)) for s in ((B, n, k), (B, k, m)))


@given(bmm_case())
def test_bmm(ab): check(lambda T, a, b: (a.bmm(b), T.bmm(a, b)), *ab)


# ---- zero-size dims through shape ops and indexing -------------------------------------

@st.composite
def empty(draw):
    shape = list(draw(shapes(2, 3, 1, 3)))
    z = draw(st.integers(0, len(shape) - 1))
    shape[z] = 0
    return draw(arrays(shape=tuple(shape))), z


@given(empty())
def test_shape_ops_empty(az):
    a, z = az
    check(lambda T, a: (a.reshape(a.shape[::-1]), a.flatten(), a.unsqueeze(0), a.permute(*range(a.ndim - 1, -1, -1)),
                        a.transpose(0, -1), a[1:], a[..., :1], T.cat([a, a], z), T.stack([a, a]),
                        *a.split(1, z - 1), a.expand(2, *a.shape), a.sum(z) + 1), a)
