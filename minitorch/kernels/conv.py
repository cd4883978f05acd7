"""im2col and its adjoint col2im: a (padded) image cut into the windows a kernel visits,
laid out (N, C, kh, kw, OH, OW) so that a convolution is one matrix product; and each
window's gradient added back onto the pixels it was cut from."""
from numba import njit


@njit(cache=True)
def im2col(x, cols, sh, sw, dh, dw):
    n, c, kh, kw, oh, ow = cols.shape
    for b in range(n):
        for ch in range(c):
            for p in range(kh):
                for q in range(kw):
                    for i in range(oh):
                        r = i * sh + p * dh
                        for j in range(ow):
                            cols[b, ch, p, q, i, j] = x[b, ch, r, j * sw + q * dw]


@njit(cache=True)
def col2im(dcols, dx, sh, sw, dh, dw):
    n, c, kh, kw, oh, ow = dcols.shape
    for b in range(n):
        for ch in range(c):
            for p in range(kh):
                for q in range(kw):
                    for i in range(oh):
                        r = i * sh + p * dh
                        for j in range(ow):
                            dx[b, ch, r, j * sw + q * dw] += dcols[b, ch, p, q, i, j]
