"""The Numba loops in minitorch/kernels/ against the plain numpy versions beside their ops
(minitorch/ops/conv.py: pad2d, im2col, col2im), at several shapes, strides, dilations and
paddings; and the convolution taken in slices of the batch (as large batches are) against
torch, the oracle."""
import subprocess
import sys

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
    monkeypatch.setattr(conv, "DIRECT_MAX_TAPS", 0)   # columns, however few the channels
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((5, 4, 7, 6)), rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    if options.get("groups") != 2:
        w = rng.standard_normal((6, 4, 3, 3))
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x, w, b)
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x.astype(np.float32), w.astype(np.float32), b.astype(np.float32))


# ---- the direct convolution (few input channels) ---------------------------------------------

@settings(max_examples=40, deadline=None)
@given(geometries(), st.integers(1, 3))
def test_conv2d_direct_kernel_sums_what_the_columns_sum(case, out_channels):
    x, kernel, stride, padding, dilation, (oh, ow) = case
    cols = conv.im2col(conv.pad2d(x, padding), kernel, stride, dilation)
    weight = np.random.default_rng(2).standard_normal(
        (out_channels, x.shape[1]) + kernel).astype(x.dtype)
    expected = np.einsum("bcpqij,kcpq->bkij", cols, weight)
    out = np.full((x.shape[0], out_channels, oh, ow), np.nan, dtype=x.dtype)  # overwritten
    kernels.conv2d_direct(conv.pad2d(x, padding), weight, out, *stride, *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, expected, rtol=tol, atol=tol)


@settings(max_examples=40, deadline=None)
@given(geometries(), st.integers(1, 3))
def test_conv2d_weight_grad_direct_kernel_sums_what_the_columns_sum(case, out_channels):
    x, kernel, stride, padding, dilation, (oh, ow) = case
    cols = conv.im2col(conv.pad2d(x, padding), kernel, stride, dilation)
    grad = np.random.default_rng(2).standard_normal(
        (x.shape[0], out_channels, oh, ow)).astype(x.dtype)
    expected = np.einsum("bkij,bcpqij->kcpq", grad, cols)
    grad_weight = np.full((out_channels, x.shape[1]) + kernel, np.nan, dtype=x.dtype)
    kernels.conv2d_weight_grad_direct(conv.pad2d(x, padding), grad, grad_weight, *stride,
                                      *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(grad_weight, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("options", [dict(), dict(padding=1, stride=2),
                                     dict(padding=(2, 1), stride=(1, 3), dilation=(2, 1)),
                                     dict(padding="same", dilation=2)])
def test_conv2d_direct_matches_torch(monkeypatch, options):
    """Few input channels and columns not kept (here: none ever are): the direct loops
    compute the values and the weight's gradient; torch's either way."""
    monkeypatch.setattr(conv, "KEPT_COLUMNS_BYTES", 0)
    monkeypatch.setattr(conv, "COLUMNS_BYTES", 1)
    calls = spy_on_direct(monkeypatch)
    rng = np.random.default_rng(1)
    x, b = rng.standard_normal((3, 3, 9, 8)), rng.standard_normal(4)
    for w in (rng.standard_normal((4, 3, 3, 3)), rng.standard_normal((4, 3, 2, 4))):
        for dtype in (np.float64, np.float32):
            check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
                x, w, b, **options), *(a.astype(dtype) for a in (x, w, b)))
    assert calls == ["forward", "weight grad"] * 4


def test_conv2d_without_grad_goes_direct_and_matches_torch(monkeypatch):
    """No gradient wanted (inference): columns would not be kept, so a small batch with few
    channels goes direct too."""
    calls = spy_on_direct(monkeypatch)
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((2, 3, 10, 10)), rng.standard_normal((5, 3, 5, 5))
    with minitorch.no_grad():
        ours = F.conv2d(minitorch.from_numpy(x), minitorch.from_numpy(w), stride=2)
    theirs = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=2)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-12)
    assert calls == ["forward"]


def spy_on_direct(monkeypatch):
    """A list the direct kernels append to when called (they still run)."""
    calls = []
    forward, weight_grad = kernels.conv2d_direct, kernels.conv2d_weight_grad_direct
    monkeypatch.setattr(kernels, "conv2d_direct",
                        lambda *a: calls.append("forward") or forward(*a))
    monkeypatch.setattr(kernels, "conv2d_weight_grad_direct",
                        lambda *a: calls.append("weight grad") or weight_grad(*a))
    return calls


def test_batch_slices_cover_the_batch_once(monkeypatch):
    monkeypatch.setattr(conv, "KEPT_COLUMNS_BYTES", 60)
    monkeypatch.setattr(conv, "COLUMNS_BYTES", 30)
    assert conv.batch_slices(7, 10, 1) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert conv.batch_slices(7, 100, 1) == [slice(i, i + 1) for i in range(7)]
    assert conv.batch_slices(6, 10, 1) == [slice(0, 6)]   # fits: made at once, kept
    assert conv.batch_slices(0, 10, 1) == [slice(0, 0)]


# ---- loading on first use ---------------------------------------------------------------------

def test_import_minitorch_leaves_numba_to_the_first_kernel_call():
    """Numba's import takes about 0.15 s: the kernels load on first use (kernels/__init__.py),
    so `import minitorch` (nn.functional included) imports none of them, and the first
    convolution, max pooling or GELU does."""
    code = ("import sys, minitorch, minitorch.nn.functional as F\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'numba'"
            " or m.startswith('minitorch.kernels.')))\n"
            "x = minitorch.ones(1, 1, 4, 4)\n"
            "F.gelu(F.max_pool2d(F.conv2d(x, minitorch.ones(1, 1, 3, 3)), 2))\n"
            "print('numba' in sys.modules, sorted(m for m in sys.modules"
            " if m.startswith('minitorch.kernels.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("[]\nTrue ['minitorch.kernels.conv', 'minitorch.kernels.pooling',"
                           " 'minitorch.kernels.special']\n")


def test_kernels_has_only_its_kernel_modules():
    import minitorch.kernels
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        minitorch.kernels.nope

