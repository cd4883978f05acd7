"""The Numba loops in minitorch/kernels/ against the plain numpy versions beside their ops
(minitorch/ops/conv.py: pad2d, im2col, col2im), at several shapes, strides, dilations and
paddings; and the convolution taken in slices of the batch (as large batches are) against
torch, the oracle."""
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings, strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch.kernels import conv as kernels, special
from minitorch.ops import conv
from minitorch.optim import sgd
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
    monkeypatch.setattr(conv, "DIRECT_MAX_CHANNELS", 0)   # columns, however few the channels
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((5, 4, 7, 6)), rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    if options.get("groups") != 2:
        w = rng.standard_normal((6, 4, 3, 3))
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x, w, b)
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b, **options), x.astype(np.float32), w.astype(np.float32), b.astype(np.float32))


# ---- the direct convolution (few channels, stride 1) -----------------------------------------

@settings(max_examples=40, deadline=None)
@given(geometries(), st.integers(1, 3))
def test_conv2d_direct_kernel_sums_what_the_columns_sum(case, out_channels):
    """Stride 1 (the drawn one is not used), taps from 1 to 48: whole blocks of four and a
    last block padded with zero weights; one to three output channels (an odd count pads
    the last pair)."""
    x, kernel, _, padding, dilation, _ = case
    cols = conv.im2col(conv.pad2d(x, padding), kernel, (1, 1), dilation)
    oh, ow = cols.shape[-2:]
    weight = np.random.default_rng(2).standard_normal(
        (out_channels, x.shape[1]) + kernel).astype(x.dtype)
    expected = np.einsum("bcpqij,kcpq->bkij", cols, weight)
    bias = np.random.default_rng(4).standard_normal(out_channels).astype(x.dtype)
    expected += bias.reshape(-1, 1, 1)
    out = np.full((x.shape[0], out_channels, oh, ow), np.nan, dtype=x.dtype)  # overwritten
    kernels.conv2d_direct(x, weight, bias, out, padding[0], padding[2], *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, expected, rtol=tol, atol=tol)


@settings(max_examples=40, deadline=None)
@given(geometries(), st.integers(1, 3))
def test_conv2d_weight_grad_direct_kernel_sums_what_the_columns_sum(case, out_channels):
    x, kernel, _, padding, dilation, _ = case
    cols = conv.im2col(conv.pad2d(x, padding), kernel, (1, 1), dilation)
    oh, ow = cols.shape[-2:]
    grad = np.random.default_rng(2).standard_normal(
        (x.shape[0], out_channels, oh, ow)).astype(x.dtype)
    expected = np.einsum("bkij,bcpqij->kcpq", grad, cols)
    grad_weight = np.full((out_channels, x.shape[1]) + kernel, np.nan, dtype=x.dtype)
    grad_bias = np.full(out_channels, np.nan)
    kernels.conv2d_weight_grad_direct(x, grad, grad_weight, grad_bias, padding[0], padding[2],
                                      *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(grad_weight, expected, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad_bias, grad.astype(np.float64).sum((0, 2, 3)),
                               rtol=tol, atol=tol)


@settings(max_examples=40, deadline=None)
@given(geometries(), st.integers(1, 6))
def test_conv2d_input_grad_direct_kernel_adds_what_col2im_adds(case, out_channels):
    """The scatter of each output's gradient onto its window's pixels, against the columns'
    gradient added back by col2im; one to six output channels (blocks of four, the last
    padded with zero weights), one to three input channels (pairs, the last padded)."""
    x, kernel, _, padding, dilation, (oh, ow) = case
    top, bottom, left, right = padding
    oh = x.shape[2] + top + bottom - dilation[0] * (kernel[0] - 1)
    ow = x.shape[3] + left + right - dilation[1] * (kernel[1] - 1)
    rng = np.random.default_rng(3)
    grad = rng.standard_normal((x.shape[0], out_channels, oh, ow)).astype(x.dtype)
    weight = rng.standard_normal((out_channels, x.shape[1]) + kernel).astype(x.dtype)
    dcols = np.einsum("bkij,kcpq->bcpqij", grad, weight)
    padded = x.shape[:2] + (x.shape[2] + top + bottom, x.shape[3] + left + right)
    expected = conv.col2im(dcols, padded, (1, 1), dilation)[
        :, :, top:top + x.shape[2], left:left + x.shape[3]]
    grad_x = np.full(x.shape, np.nan, dtype=x.dtype)  # every pixel overwritten
    kernels.conv2d_input_grad_direct(grad, weight, grad_x, top, left, *dilation)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(grad_x, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("options, input_grad", [
    (dict(), "input grad"), (dict(dilation=(1, 2)), "input grad"), (dict(padding=1), "forward"),
    (dict(padding=(2, 1), dilation=(2, 1)), "forward"),
    (dict(padding="same", dilation=2), "forward")])
def test_conv2d_direct_matches_torch(monkeypatch, options, input_grad):
    """Few channels, stride 1: the direct loops compute the values, the weight's gradient
    and the input's (scattered without padding, else the full convolution with the kernel
    turned, a forward loop); torch's either way."""
    calls = spy_on_direct(monkeypatch)
    rng = np.random.default_rng(1)
    x, b = rng.standard_normal((3, 3, 9, 8)), rng.standard_normal(4)
    for w in (rng.standard_normal((4, 3, 3, 3)), rng.standard_normal((4, 3, 2, 4))):
        for dtype in (np.float64, np.float32):
            check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
                x, w, b, **options), *(a.astype(dtype) for a in (x, w, b)))
    assert calls == ["forward", "weight grad", input_grad] * 4


@pytest.mark.filterwarnings("ignore:Using padding='same'")   # (torch's, about its own copy)
@settings(max_examples=30, deadline=None)
@given(geometries(), st.integers(1, 3), st.booleans(), st.booleans())
def test_conv2d_direct_with_any_padding_matches_torch(case, out_channels, bias, same):
    """The input's gradient is the full convolution of d_out only where the input is: d_out
    padded by dilation*(k-1) less the forward's padding on each side, which is negative
    where the padding is wider than the kernel reaches (drawn here: up to 2 around a
    kernel of 1); padding='same' with an even kernel pads one more at the bottom/right."""
    x, kernel, _, (top, _, left, _), dilation, _ = case
    padding = "same" if same else (top, left)
    assume(same or (x.shape[-2] + 2 * top >= dilation[0] * (kernel[0] - 1) + 1 and
                    x.shape[-1] + 2 * left >= dilation[1] * (kernel[1] - 1) + 1))
    # (no output otherwise: torch's error, tested elsewhere)
    rng = np.random.default_rng(3)
    w = rng.standard_normal((out_channels, x.shape[1]) + kernel).astype(x.dtype)
    b = rng.standard_normal(out_channels).astype(x.dtype)
    check(lambda lib, x, w, b: (F if lib is minitorch else torch.nn.functional).conv2d(
        x, w, b if bias else None, padding=padding, dilation=dilation), x, w, b)


def test_conv2d_without_grad_goes_direct_and_matches_torch(monkeypatch):
    """No gradient wanted (inference): the forward loop only."""
    calls = spy_on_direct(monkeypatch)
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((2, 3, 10, 10)), rng.standard_normal((5, 3, 5, 5))
    with minitorch.no_grad():
        ours = F.conv2d(minitorch.from_numpy(x), minitorch.from_numpy(w), padding=2)
    theirs = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding=2)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-12)
    assert calls == ["forward"]


def test_strided_or_wide_conv2d_goes_through_columns(monkeypatch):
    """Stride 2, or more channels than DIRECT_MAX_CHANNELS: im2col and matrix products."""
    calls = spy_on_direct(monkeypatch)
    rng = np.random.default_rng(5)
    for x, w, stride in ((rng.standard_normal((2, 3, 9, 9)), rng.standard_normal((4, 3, 3, 3)), 2),
                         (rng.standard_normal((2, 17, 6, 6)), rng.standard_normal((2, 17, 3, 3)), 1)):
        check(lambda lib, x, w: (F if lib is minitorch else torch.nn.functional).conv2d(
            x, w, stride=stride), x, w)
    assert calls == []


def spy_on_direct(monkeypatch):
    """A list the direct kernels append to when called (they still run)."""
    calls = []
    for name, call in (("conv2d_direct", "forward"), ("conv2d_weight_grad_direct", "weight grad"),
                       ("conv2d_input_grad_direct", "input grad")):
        kernel = getattr(kernels, name)
        monkeypatch.setattr(kernels, name, lambda *a, call=call, kernel=kernel:
                            calls.append(call) or kernel(*a))
    return calls


def test_batch_slices_cover_the_batch_once(monkeypatch):
    monkeypatch.setattr(conv, "KEPT_COLUMNS_BYTES", 60)
    monkeypatch.setattr(conv, "COLUMNS_BYTES", 30)
    assert conv.batch_slices(7, 10, 1) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert conv.batch_slices(7, 100, 1) == [slice(i, i + 1) for i in range(7)]
    assert conv.batch_slices(6, 10, 1) == [slice(0, 6)]   # fits: made at once, kept
    assert conv.batch_slices(0, 10, 1) == [slice(0, 0)]


# ---- max pooling and the ReLU's gradient -----------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool2d_planes_with_and_without_nan_match_torch(dtype):
    """The scan's fast pass (`>` only) serves planes without nan and torch's exact rule
    rescans those with one: both kinds in one batch, with ties and infinities, against
    torch's values, indices and gradient."""
    rng = np.random.default_rng(3)
    x = np.round(rng.standard_normal((5, 4, 9, 9)) * 2).astype(dtype)   # many ties
    x[1, 2, 3, 4] = x[3, 0, 0, 0] = x[3, 0, 0, 1] = np.nan
    x[2, 1] = -np.inf
    x[4, 3, ::2, ::3] = np.inf
    for opts in (dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1, dilation=1),
                 dict(kernel_size=(2, 3), stride=(1, 2), dilation=(2, 1))):
        check(lambda lib, x: (F if lib is minitorch else torch.nn.functional).max_pool2d(
            x, **opts, return_indices=True), x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_kernel_keeps_what_torch_relu_keeps(dtype):
    """nan, inf and -0.0 as torch's relu gives them (np.maximum(x, 0) turns -0.0 into 0.0),
    and the rest as np.maximum, at a size the loop vectorises."""
    x = np.random.default_rng(0).standard_normal(1000).astype(dtype)
    x[:6] = [-0.0, 0.0, np.nan, np.inf, -np.inf, -1e-45]
    got = np.full_like(x, 7)
    special.relu(x, got)
    expected = torch.relu(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(got, expected)
    assert np.array_equal(np.signbit(got[~np.isnan(got)]), np.signbit(expected[~np.isnan(got)]))
    np.testing.assert_array_equal(got[6:], np.maximum(x[6:], 0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_kernel_selects_what_np_where_selects(dtype):
    out = np.array([0.0, -0.0, 1.5, np.nan, np.inf, 3.0, 0.0, 2.0], dtype=dtype)
    grad = np.array([1.0, 2.0, 3.0, 4.0, np.nan, -np.inf, np.nan, -0.0], dtype=dtype)
    expected = np.where(out <= 0, 0, grad)
    got = np.full_like(grad, 7)
    special.relu_backward(grad, out, got)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    assert np.signbit(got[-1]) and not np.signbit(got[0])



@settings(max_examples=60, deadline=None)
@given(st.sampled_from([np.float32, np.float64]),
       st.lists(st.integers(0, 4), min_size=0, max_size=3),
       st.sampled_from([1e-3, 0.1, 3.0]), st.sampled_from([0.0, 0.9, 1.5]),
       st.sampled_from([0.0, 0.1, 0.3]), st.sampled_from([0.0, 1e-4, 0.3]),
       st.booleans(), st.booleans(), st.integers(0, 2**32 - 1))
def test_sgd_kernel_steps_as_the_numpy_steps(dtype, shape, lr, momentum, dampening,
                                            weight_decay, nesterov, maximize, seed):
    """Three SGD steps through the one-pass kernel and through numpy's array operations:
    bit for bit the same parameters and momentum buffers (nan, inf and -0.0 included), a 0-d
    parameter and an empty one too."""
    rng = np.random.default_rng(seed)
    param = np.array(rng.standard_normal(shape), dtype=dtype)
    param.flat[:3] = [np.inf, -0.0, np.nan][:param.size]
    params = {name: param.copy() for name in ("steps", "one pass")}
    buffers = {name: None if momentum == 0 else np.empty_like(param) for name in params}
    for step in range(3):
        grad = np.array(rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4), dtype=dtype)
        grad.flat[-1:] = [[np.nan, -0.0, 1e30][step]][:grad.size]
        for name, update in (("steps", sgd.by_steps), ("one pass", sgd.in_one_pass)):
            update(params[name], grad, buffers[name], lr, momentum, dampening, weight_decay,
                   nesterov, maximize, step == 0)
        np.testing.assert_array_equal(params["one pass"], params["steps"], strict=True)
        np.testing.assert_array_equal(buffers["one pass"], buffers["steps"], strict=True)
        numbers = ~np.isnan(params["steps"])   # (a nan's sign bit means nothing)
        assert np.array_equal(np.signbit(params["one pass"][numbers]),
                              np.signbit(params["steps"][numbers]))


def test_sgd_takes_one_pass_only_where_it_fits():
    a32, a16 = np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float16)
    assert sgd.fits_one_pass(a32, a32, None, 0.1)
    assert sgd.fits_one_pass(a32, a32, a32, 1)
    assert not sgd.fits_one_pass(a16, a16, a16, 0.1)                   # float16
    assert not sgd.fits_one_pass(a32, a32.astype(np.float64), None, 0.1)   # two dtypes
    assert not sgd.fits_one_pass(a32.T, a32.T, None, 0.1)               # strided
    assert not sgd.fits_one_pass(a32, a32, a32[:, ::2], 0.1)
    assert not sgd.fits_one_pass(a32, a32, None, minitorch.tensor(0.1))  # a tensor rate

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

