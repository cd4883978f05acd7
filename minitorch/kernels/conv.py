"""im2col and its adjoint col2im: an image cut into the windows a kernel visits, laid out
(N, C, kh, kw, OH, OW) so that a convolution is one matrix product per image; and each
window's gradient added back onto the pixels it was cut from. Padding is read as zeros
where a window hangs over the image's edge, so no padded copy of the image is made.
ops/conv.py holds the plain numpy versions these are tested against (tests/test_kernels.py).
"""
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
