"""im2col and its adjoint col2im: an image cut into the windows a kernel visits, laid out
(N, C, kh, kw, OH, OW) so that a convolution is one matrix product per image; and each
window's gradient added back onto the pixels it was cut from. Padding is read as zeros
where a window hangs over the image's edge, so no padded copy of the image is made.
ops/conv.py holds the plain numpy versions these are tested against (tests/test_kernels.py).

conv2d_direct and conv2d_weight_grad_direct: the convolution and its weight's gradient
without columns, for few input channels (ops/conv.py says when), tested against the
columns' sums.
"""
import numpy as np
from numba import njit


@njit(cache=True)
def im2col(x, cols, sh, sw, ph, pw, dh, dw):
    """cols[b, c, p, q, i, j] = x[b, c, i*sh + p*dh - ph, j*sw + q*dw - pw] (0 outside x)."""
    n, c, h, w = x.shape
    _, _, kh, kw, oh, ow = cols.shape
    if fits(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw):  # the short loop (faster)
        for b in range(n):
            for ch in range(c):
                for p in range(kh):
                    for q in range(kw):
                        for i in range(oh):
                            r = i * sh + p * dh
                            for j in range(ow):
                                cols[b, ch, p, q, i, j] = x[b, ch, r, j * sw + q * dw]
        return
    for b in range(n):
        for ch in range(c):
            for p in range(kh):
                for q in range(kw):
                    shift = q * dw - pw
                    j0, j1 = inside(shift, w, sw, ow)
                    for i in range(oh):
                        r = i * sh + p * dh - ph
                        if r < 0 or r >= h:
                            for j in range(ow):
                                cols[b, ch, p, q, i, j] = 0
                            continue
                        for j in range(j0):
                            cols[b, ch, p, q, i, j] = 0
                        for j in range(j0, j1):
                            cols[b, ch, p, q, i, j] = x[b, ch, r, j * sw + shift]
                        for j in range(j1, ow):
                            cols[b, ch, p, q, i, j] = 0


@njit(cache=True)
def col2im(dcols, dx, sh, sw, ph, pw, dh, dw):
    """dx[b, c] = the sum of dcols[b, c, p, q, i, j] over every (p, q, i, j) that im2col
    copied from each pixel (dx is overwritten)."""
    n, c, h, w = dx.shape
    _, _, kh, kw, oh, ow = dcols.shape
    if fits(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw):  # the short loop (faster)
        dx[...] = 0
        for b in range(n):
            for ch in range(c):
                for p in range(kh):
                    for q in range(kw):
                        for i in range(oh):
                            r = i * sh + p * dh
                            for j in range(ow):
                                dx[b, ch, r, j * sw + q * dw] += dcols[b, ch, p, q, i, j]
        return
    for b in range(n):
        for ch in range(c):
            for r in range(h):
                for s in range(w):
                    dx[b, ch, r, s] = 0
            for p in range(kh):
                for q in range(kw):
                    shift = q * dw - pw
                    j0, j1 = inside(shift, w, sw, ow)
                    for i in range(oh):
                        r = i * sh + p * dh - ph
                        if r < 0 or r >= h:
                            continue
                        for j in range(j0, j1):
                            dx[b, ch, r, j * sw + shift] += dcols[b, ch, p, q, i, j]


@njit(cache=True)
def inside(shift, size, stride, out):
    """The outputs j in range(j0, j1) whose pixel j*stride + shift lies in range(size)."""
    j0 = 0 if shift >= 0 else (-shift + stride - 1) // stride
    j1 = 0 if size - shift <= 0 else (size - shift + stride - 1) // stride
    j1 = min(j1, out)
    return min(j0, j1), j1


@njit(cache=True)
def fits(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw):
    """Does every window lie inside the image (no padding read on any side)?"""
    return (ph == 0 and pw == 0 and (oh - 1) * sh + (kh - 1) * dh < h
            and (ow - 1) * sw + (kw - 1) * dw < w)


@njit(cache=True)
def conv2d_direct(xp, weight, out, sh, sw, dh, dw):
    """out[b, k, i, j] = sum over (c, p, q) of weight[k, c, p, q] * xp[b, c, i*sh + p*dh,
    j*sw + q*dw]: the convolution of an already padded image without columns (groups=1;
    out is overwritten). Each output plane is summed in place, one kernel tap at a time, so
    the innermost loop runs along an image row; its indices are never negative, which lets
    the unit-stride loop vectorise (a padded image is what makes them so)."""
    n, c, _, _ = xp.shape
    o, _, kh, kw = weight.shape
    _, _, oh, ow = out.shape
    # unsigned, so that no index can be negative and Numba checks none for wraparound
    oh, ow, kh, kw = np.uint64(oh), np.uint64(ow), np.uint64(kh), np.uint64(kw)
    sh, sw, dh, dw = np.uint64(sh), np.uint64(sw), np.uint64(dh), np.uint64(dw)
    for b in range(n):
        for k in range(o):
            for i in range(oh):
                for j in range(ow):
                    out[b, k, i, j] = 0
            for ch in range(c):
                for p in range(kh):
                    for q in range(kw):
                        tap, s0 = weight[k, ch, p, q], q * dw
                        if sw == 1:  # (the same loop, written for unit stride: it vectorises)
                            for i in range(oh):
                                r = i * sh + p * dh
                                for j in range(ow):
                                    out[b, k, i, j] += tap * xp[b, ch, r, s0 + j]
                        else:
                            for i in range(oh):
                                r = i * sh + p * dh
                                for j in range(ow):
                                    out[b, k, i, j] += tap * xp[b, ch, r, s0 + j * sw]


@njit(cache=True)
def conv2d_weight_grad_direct(xp, grad, grad_weight, sh, sw, dh, dw):
    """grad_weight[k, c, p, q] = sum over (b, i, j) of grad[b, k, i, j] * xp[b, c, i*sh + p*dh,
    j*sw + q*dw]: conv2d_direct's weight gradient, without columns (grad_weight is
    overwritten). Each tap's sum is kept as one row of partial sums along j (a loop that
    vectorises), image by image, and the rows are added up at the end."""
    n, c, _, _ = xp.shape
    o, _, kh, kw = grad_weight.shape
    _, _, oh, ow = grad.shape
    rows = np.zeros((o, c, kh, kw, ow), dtype=grad_weight.dtype)
    # unsigned, so that no index can be negative and Numba checks none for wraparound
    oh, ow, kh, kw = np.uint64(oh), np.uint64(ow), np.uint64(kh), np.uint64(kw)
    sh, sw, dh, dw = np.uint64(sh), np.uint64(sw), np.uint64(dh), np.uint64(dw)
    for b in range(n):
        for k in range(o):
            for ch in range(c):
                for p in range(kh):
                    for q in range(kw):
                        s0 = q * dw
                        if sw == 1:  # (as in conv2d_direct)
                            for i in range(oh):
                                r = i * sh + p * dh
                                for j in range(ow):
                                    rows[k, ch, p, q, j] += grad[b, k, i, j] * xp[b, ch, r, s0 + j]
                        else:
                            for i in range(oh):
                                r = i * sh + p * dh
                                for j in range(ow):
                                    rows[k, ch, p, q, j] += (grad[b, k, i, j]
                                                             * xp[b, ch, r, s0 + j * sw])
    for k in range(o):
        for ch in range(c):
            for p in range(kh):
                for q in range(kw):
                    grad_weight[k, ch, p, q] = rows[k, ch, p, q].sum()
