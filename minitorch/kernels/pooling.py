"""Max pooling as torch's CPU kernel scans it: per window, row by row, a value wins when
it is greater than the best so far or nan. So ties keep the first maximum, a nan wins
(the last one seen), and a window of -inf keeps its first real pixel (padding is never
looked at). Indices are flat positions in the input plane, as torch returns them.

The scan runs twice at most per plane: `scan` compares with `>` only (a comparison the CPU
makes without a branch) and notes whether it saw a nan; for a plane that holds a nan,
`scan_with_nan` applies torch's rule (`> or isnan`, whose branch costs about 4x)."""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def window(o, size, k, s, p, d):
    """The real pixels output o's window covers along one dim: range(start, stop, d)."""
    start = o * s - p
    stop = min(start + (k - 1) * d + 1, size)
    while start < 0:
        start += d
    return start, stop


@njit(cache=True, nogil=True)
def max_pool2d_forward(x, out, indices, kh, kw, sh, sw, ph, pw, dh, dw):
    n, c, h, w = x.shape
    _, _, oh, ow = out.shape
    two_by_two = (kh == 2 and kw == 2 and ph == 0 and pw == 0 and dh == 1 and dw == 1
                  and (oh - 1) * sh + 1 < h and (ow - 1) * sw + 1 < w)   # (inside the plane)
    for b in range(n):
        for ch in range(c):
            plane, best, best_at = x[b, ch], out[b, ch], indices[b, ch]
            if two_by_two:
                saw_nan = scan_2x2(plane, best, best_at, sh, sw)
            else:
                saw_nan = scan(plane, best, best_at, kh, kw, sh, sw, ph, pw, dh, dw)
            if saw_nan:
                scan_with_nan(plane, best, best_at, kh, kw, sh, sw, ph, pw, dh, dw)


@njit(cache=True, nogil=True)
def scan(plane, out, indices, kh, kw, sh, sw, ph, pw, dh, dw):
    """Each window's maximum and where it is, comparing with `>` only; returns whether the
    plane holds a nan (then these results are wrong: scan_with_nan gives torch's)."""
    h, w = plane.shape
    oh, ow = out.shape
    saw_nan = False
    for i in range(oh):
        h0, h1 = window(i, h, kh, sh, ph, dh)
        for j in range(ow):
            w0, w1 = window(j, w, kw, sw, pw, dw)
            best = -np.inf
            best_at = h0 * w + w0
            for r in range(h0, h1, dh):
                if dw == 1:   # (the same loop without a step: no division for its length)
                    for s in range(w0, w1):
                        v = plane[r, s]
                        best_at = r * w + s if v > best else best_at
                        best = max(v, best)
                        saw_nan |= v != v
                else:
                    for s in range(w0, w1, dw):
                        v = plane[r, s]
                        best_at = r * w + s if v > best else best_at
                        best = max(v, best)
                        saw_nan |= v != v
            out[i, j] = best
            indices[i, j] = best_at
    return saw_nan


@njit(cache=True, nogil=True)
def scan_2x2(plane, out, indices, sh, sw):
    """scan for the usual 2x2 window inside the plane, written out: the same comparisons in
    the same order, about 4x faster than the loop over a window."""
    w = plane.shape[1]
    oh, ow = out.shape
    saw_nan = False
    for i in range(oh):
        r = i * sh
        for j in range(ow):
            s = j * sw
            a, b, c, d = plane[r, s], plane[r, s + 1], plane[r + 1, s], plane[r + 1, s + 1]
            best, best_at = a, r * w + s
            best_at = r * w + s + 1 if b > best else best_at
            best = max(b, best)
            best_at = (r + 1) * w + s if c > best else best_at
            best = max(c, best)
            best_at = (r + 1) * w + s + 1 if d > best else best_at
            best = max(d, best)
            saw_nan |= (a != a) | (b != b) | (c != c) | (d != d)
            out[i, j] = best
            indices[i, j] = best_at
    return saw_nan


@njit(cache=True, nogil=True)
def scan_with_nan(plane, out, indices, kh, kw, sh, sw, ph, pw, dh, dw):
    """torch's rule, for a plane that holds a nan: a value wins when it is greater than the
    best so far or nan."""
    h, w = plane.shape
    oh, ow = out.shape
    for i in range(oh):
        h0, h1 = window(i, h, kh, sh, ph, dh)
        for j in range(ow):
            w0, w1 = window(j, w, kw, sw, pw, dw)
            best = -np.inf
            best_at = h0 * w + w0
            for r in range(h0, h1, dh):
                for s in range(w0, w1, dw):
                    v = plane[r, s]
                    if v > best or np.isnan(v):
                        best = v
                        best_at = r * w + s
            out[i, j] = best
            indices[i, j] = best_at


@njit(cache=True, nogil=True)
def max_pool2d_backward(grad, indices, dx, kh, kw, sh, sw, ph, pw, dh, dw):
    """Each output's gradient goes to the pixel its maximum came from (added up where
    overlapping windows picked the same pixel). A window that covers padding only has no
    pixel (its index, like torch's, points outside it) and passes nothing back."""
    n, c, oh, ow = grad.shape
    h, w = dx.shape[2], dx.shape[3]
    sees_a_pixel = np.empty((oh, ow), dtype=np.bool_)
    for i in range(oh):
        h0, h1 = window(i, h, kh, sh, ph, dh)
        for j in range(ow):
            w0, w1 = window(j, w, kw, sw, pw, dw)
            sees_a_pixel[i, j] = h0 < h1 and w0 < w1
    for b in range(n):
        for ch in range(c):
            plane = dx[b, ch].reshape(h * w)    # indices are flat positions in the plane
            for i in range(oh):
                for j in range(ow):
                    if sees_a_pixel[i, j]:
                        plane[indices[b, ch, i, j]] += grad[b, ch, i, j]
