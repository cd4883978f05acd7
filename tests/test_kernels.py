"""The Numba loops in minitorch/kernels/ against the plain numpy versions beside their ops
(minitorch/ops/conv.py: pad2d, im2col, col2im), at several shapes, strides, dilations and
paddings; and the convolution taken in slices of the batch (as large batches are) against
torch, the oracle."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch.kernels import conv as kernels
from minitorch.ops import conv
from parity import check


@st.composite
def geometries(draw):
    """(x, kernel, stride, padding (top, bottom, left, right), dilation, output size)."""
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)),
               draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    h = max(1, span[0] - padding[0] - padding[1]) + draw(st.integers(0, 5))
    w = max(1, span[1] - padding[2] - padding[3]) + draw(st.integers(0, 5))
    out = ((h + padding[0] + padding[1] - span[0]) // stride[0] + 1,
           (w + padding[2] + padding[3] - span[1]) // stride[1] + 1)
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), h, w)
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    x = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).standard_normal(shape).astype(dtype)
    return x, kernel, stride, padding, dilation, out


@settings(max_examples=60, deadline=None)
@given(geometries())
def test_im2col_kernel_copies_what_the_numpy_version_copies(case):
    x, kernel, stride, padding, dilation, (oh, ow) = case
    expected = conv.im2col(conv.pad2d(x, padding), kernel, stride, dilation)
    cols = np.full(x.shape[:2] + kernel + (oh, ow), np.nan, dtype=x.dtype)  # all overwritten
    kernels.im2col(x, cols, *stride, padding[0], padding[2], *dilation)
    np.testing.assert_array_equal(cols, expected)


@settings(max_examples=60, deadline=None)
@given(geometries())
def test_col2im_kernel_adds_back_what_the_numpy_version_adds(case):
    x, kernel, stride, padding, dilation, (oh, ow) = case
    top, bottom, left, right = padding
    rng = np.random.default_rng(0)
    dcols = rng.standard_normal(x.shape[:2] + kernel + (oh, ow)).astype(x.dtype)
    padded = (x.shape[0], x.shape[1], x.shape[2] + top + bottom, x.shape[3] + left + right)
    expected = conv.col2im(dcols, padded, stride, dilation)[
        :, :, top:top + x.shape[2], left:left + x.shape[3]]
    dx = np.full(x.shape, np.nan, dtype=x.dtype)  # col2im overwrites every pixel
    kernels.col2im(dcols, dx, *stride, top, left, *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(dx, expected, rtol=tol, atol=tol)


def test_col2im_is_the_adjoint_of_im2col():
    """<im2col(x), c> == <x, col2im(c)>: what makes col2im the gradient of im2col."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 9, 8))
    cols = np.empty((2, 3, 3, 2, 4, 5))
    kernels.im2col(x, cols, 2, 2, 1, 1, 2, 1)
    c = rng.standard_normal(cols.shape)
    dx = np.empty_like(x)
    kernels.col2im(c, dx, 2, 2, 1, 1, 2, 1)
    assert np.isclose((cols * c).sum(), (x * dx).sum(), rtol=1e-12)


@pytest.mark.parametrize("kept_bytes, slice_bytes", [(0, 1), (0, 2000), (1 << 30, 1 << 30)])
@pytest.mark.parametrize("options", [dict(), dict(padding=1, stride=2),
                                     dict(padding=(2, 1), dilation=2, groups=2)])
def test_conv2d_in_slices_of_the_batch_matches_torch(monkeypatch, kept_bytes, slice_bytes,
                                                     options):
    """A batch too large to keep its columns goes through in slices (one image each, a few
    images each) and copies them out again in backward; the values and gradients are
    torch's either way."""
    monkeypatch.setattr(conv, "KEPT_COLUMNS_BYTES", kept_bytes)
    monkeypatch.setattr(conv, "COLUMNS_BYTES", slice_bytes)
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((5, 4, 7, 6)), rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    if options.get("groups") != 2:
        w = rng.standard_normal((6, 4, 3, 3))
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x, w, b)
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x.astype(np.float32), w.astype(np.float32), b.astype(np.float32))


def test_batch_slices_cover_the_batch_once(monkeypatch):
    monkeypatch.setattr(conv, "KEPT_COLUMNS_BYTES", 60)
    monkeypatch.setattr(conv, "COLUMNS_BYTES", 30)
    assert conv.batch_slices(7, 10, 1) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert conv.batch_slices(7, 100, 1) == [slice(i, i + 1) for i in range(7)]
    assert conv.batch_slices(6, 10, 1) == [slice(0, 6)]   # fits: made at once, kept
    assert conv.batch_slices(0, 10, 1) == [slice(0, 0)]
