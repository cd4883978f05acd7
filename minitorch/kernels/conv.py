"""col2im: the adjoint of cutting an image into kernel windows. Each window's gradient
(N, C, kh, kw, OH, OW) is added back onto the pixels it was cut from."""
from numba import njit


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
