"""Max pooling as torch's CPU kernel scans it: per window, row by row, a value wins when
it is greater than the best so far or nan. So ties keep the first maximum, a nan wins
(the last one seen), and a window of -inf keeps its first real pixel (padding is never
looked at). Indices are flat positions in the input plane, as torch returns them."""
import numpy as np
from numba import njit


@njit(cache=True)
def window(o, size, k, s, p, d):
    """The real pixels output o's window covers along one dim: range(start, stop, d)."""
    start = o * s - p
    stop = min(start + (k - 1) * d + 1, size)
    while start < 0:
        start += d
    return start, stop


@njit(cache=True)
def max_pool2d_forward(x, out, indices, kh, kw, sh, sw, ph, pw, dh, dw):
    n, c, h, w = x.shape
    _, _, oh, ow = out.shape
    for b in range(n):
        for ch in range(c):
            plane = x[b, ch]
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
                    out[b, ch, i, j] = best
                    indices[b, ch, i, j] = best_at


@njit(cache=True)
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
            for i in range(oh):
                for j in range(ow):
                    if sees_a_pixel[i, j]:
                        k = indices[b, ch, i, j]
                        dx[b, ch, k // w, k % w] += grad[b, ch, i, j]
