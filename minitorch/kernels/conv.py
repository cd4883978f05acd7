"""im2col and its adjoint col2im: an image cut into the windows a kernel visits, laid out
(N, C, kh, kw, OH, OW) so that a convolution is one matrix product per image; and each
window's gradient added back onto the pixels it was cut from. Padding is read as zeros
where a window hangs over the image's edge, so no padded copy of the image is made.
ops/conv.py holds the plain numpy versions these are tested against (tests/test_kernels.py).

conv2d_direct and conv2d_weight_grad_direct: a stride-1 convolution and its weight's
gradient without columns, for few channels (ops/conv.py says when), tested against the
columns' sums. Both see each image plane as one flat row of its padded width W: output
(i, j) sits at t = i*W + j, and kernel tap (c, p, q) reads the input at t + its offset
c*H*W + p*dh*W + q*dw. So each tap is one long loop over t that the CPU runs 8 floats at a
time; the positions t whose j >= OW fall in no output (they read the next row's first
pixels) and are dropped, about (W - OW)/W of the work.
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
def inside(shift, size, stride, out):
    """The outputs j in range(j0, j1) whose pixel j*stride + shift lies in range(size)."""
    j0 = 0 if shift >= 0 else (-shift + stride - 1) // stride
    j1 = 0 if size - shift <= 0 else (size - shift + stride - 1) // stride
    j1 = min(j1, out)
    return min(j0, j1), j1


@njit(cache=True, nogil=True)
def fits(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw):
    """Does every window lie inside the image (no padding read on any side)?"""
    return (ph == 0 and pw == 0 and (oh - 1) * sh + (kh - 1) * dh < h
            and (ow - 1) * sw + (kw - 1) * dw < w)


@njit(cache=True, nogil=True)
def tap_offsets(c, kh, kw, height, width, dh, dw):
    """Where each kernel tap (c, p, q) reads, in an image flattened to one row:
    c*height*width + p*dh*width + q*dw (unsigned, so Numba checks no index for
    wraparound and the loops over them vectorise)."""
    offsets = np.empty(c * kh * kw, dtype=np.uint64)
    tap = 0
    for ch in range(c):
        for p in range(kh):
            for q in range(kw):
                offsets[tap] = ch * height * width + p * dh * width + q * dw
                tap += 1
    return offsets


@njit(cache=True, nogil=True)
def conv2d_direct(xp, weight, out, dh, dw):
    """out[b, k, i, j] = sum over taps (c, p, q) of weight[k, c, p, q] * xp[b, c, i + p*dh,
    j + q*dw]: the stride-1 convolution of an already padded image (groups=1; out is
    overwritten). Each output plane is summed on a flat row `plane` (t = i*W + j), four
    taps per pass over it, and then copied out."""
    n, c, height, width = xp.shape
    o, _, kh, kw = weight.shape
    _, _, oh, ow = out.shape
    span = np.uint64((oh - 1) * width + ow)   # t = 0 ... the last output's position
    taps = c * kh * kw
    offsets = tap_offsets(c, kh, kw, height, width, dh, dw)
    weights = weight.reshape(o, taps)
    plane = np.empty(span, dtype=out.dtype)
    for b in range(n):
        image = xp[b].ravel()
        for k in range(o):
            plane[:] = 0
            tap = 0
            while tap + 4 <= taps:   # four taps at once: one store per four products
                w0, w1, w2, w3 = weights[k, tap:tap + 4]
                s0, s1, s2, s3 = offsets[tap:tap + 4]
                for t in range(span):
                    plane[t] += ((w0 * image[s0 + t] + w1 * image[s1 + t])
                                 + (w2 * image[s2 + t] + w3 * image[s3 + t]))
                tap += 4
            for tap in range(tap, taps):
                w0, s0 = weights[k, tap], offsets[tap]
                for t in range(span):
                    plane[t] += w0 * image[s0 + t]
            for i in range(oh):
                for j in range(ow):
                    out[b, k, i, j] = plane[i * width + j]


@njit(cache=True, nogil=True, fastmath={"reassoc", "nsz"})
def conv2d_weight_grad_direct(xp, grad, grad_weight, dh, dw):
    """grad_weight[k, c, p, q] = sum over (b, i, j) of grad[b, k, i, j] * xp[b, c, i + p*dh,
    j + q*dw]: conv2d_direct's weight gradient, without columns (grad_weight is
    overwritten). Each image's sum for a tap is a dot product of the gradient's plane (laid
    out on the input's width, zeros where j >= OW) with the image at the tap's offset, four
    taps per pass. The dot products may add in any order (fastmath's reassoc: what lets
    them run 8 at a time), so float32 sums differ from a sequential sum by rounding."""
    n, c, height, width = xp.shape
    o, _, kh, kw = grad_weight.shape
    _, _, oh, ow = grad.shape
    span = np.uint64((oh - 1) * width + ow)
    taps = c * kh * kw
    offsets = tap_offsets(c, kh, kw, height, width, dh, dw)
    plane = np.zeros(span, dtype=grad.dtype)
    sums = np.zeros((o, taps), dtype=grad.dtype)
    zero = sums[0, 0]
    for b in range(n):
        image = xp[b].ravel()
        for k in range(o):
            for i in range(oh):
                for j in range(ow):
                    plane[i * width + j] = grad[b, k, i, j]
            tap = 0
            while tap + 4 <= taps:   # four taps at once: one load of the gradient for four
                s0, s1, s2, s3 = offsets[tap:tap + 4]
                a0 = a1 = a2 = a3 = zero
                for t in range(span):
                    g = plane[t]
                    a0 += g * image[s0 + t]
                    a1 += g * image[s1 + t]
                    a2 += g * image[s2 + t]
                    a3 += g * image[s3 + t]
                sums[k, tap] += a0
                sums[k, tap + 1] += a1
                sums[k, tap + 2] += a2
                sums[k, tap + 3] += a3
                tap += 4
            for tap in range(tap, taps):
                s0, a0 = offsets[tap], zero
                for t in range(span):
                    a0 += plane[t] * image[s0 + t]
                sums[k, tap] += a0
    grad_weight[...] = sums.reshape(grad_weight.shape)
