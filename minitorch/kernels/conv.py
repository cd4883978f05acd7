"""im2col and its adjoint col2im: an image cut into the windows a kernel visits, laid out
(N, C, kh, kw, OH, OW) so that a convolution is one matrix product per image; and each
window's gradient added back onto the pixels it was cut from. Padding is read as zeros
where a window hangs over the image's edge, so no padded copy of the image is made.
ops/conv.py holds the plain numpy versions these are tested against (tests/test_kernels.py).

conv2d_direct, conv2d_weight_grad_direct and conv2d_input_grad_direct: a stride-1
convolution and its weight's and input's gradients without columns, for few channels
(ops/conv.py says when), tested against the columns' sums. All three see each image plane
as one flat row of its padded width W: output (i, j) sits at t = i*W + j, and kernel tap
(c, p, q) reads the input at t + its offset c*H*W + p*dh*W + q*dw. So each tap is one long
loop over t that the CPU runs 8 floats at a time (blocks of taps and channels share the
loop, so each value read serves several products); the positions t whose j >= OW fall in
no output (they read the next row's first pixels) and are dropped, about (W - OW)/W of
the work.
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
def tap_table(c, kh, kw, height, width, dh, dw):
    """Where each kernel tap (c, p, q) reads, in an image flattened to one row:
    c*height*width + p*dh*width + q*dw, padded with taps at offset 0 to a multiple of 4
    (their weights are 0). Unsigned, so Numba checks no index for wraparound and the loops
    over them vectorise."""
    taps = c * kh * kw
    offsets = np.zeros((taps + 3) // 4 * 4, dtype=np.uint64)
    tap = 0
    for ch in range(c):
        for p in range(kh):
            for q in range(kw):
                offsets[tap] = ch * height * width + p * dh * width + q * dw
                tap += 1
    return offsets


@njit(cache=True, nogil=True)
def image_at(x, b, scratch, top, left):
    """Image b of x as one flat row of the padded image the taps read: x[b] itself when it
    needs no padding, else copied into `scratch` (C, height, width) at (top, left), whose
    border stays zero (a negative top or left drops those rows or columns)."""
    _, c, h, w = x.shape
    _, height, width = scratch.shape
    if top == 0 and left == 0 and h == height and w == width:
        return x[b].ravel()
    for ch in range(c):
        for r in range(max(0, -top), min(h, height - top)):
            for s in range(max(0, -left), min(w, width - left)):
                scratch[ch, r + top, s + left] = x[b, ch, r, s]
    return scratch.ravel()


@njit(cache=True, nogil=True, fastmath={"contract"})
def conv2d_direct(x, weight, bias, out, top, left, dh, dw):
    """out[b, k, i, j] = sum over taps (c, p, q) of weight[k, c, p, q] * xp[b, c, i + p*dh,
    j + q*dw], plus bias[k], xp being x padded by (top, left) and as much at the bottom and
    right as the output needs: the stride-1 convolution (groups=1; out is overwritten; the
    bias is added to each finished sum, as `out += bias` would). Each image is
    padded in a small buffer (image_at); output planes are summed on flat rows
    (t = i*W + j), two output channels and four taps per pass (each pixel read once for
    eight products), then copied out; the channels and taps are padded with zero weights
    to whole blocks. Each pass adds its four products to the running sum one after the
    other, which fastmath's contract makes four fused multiply-adds (each rounded once
    instead of twice: float32 results differ by rounding; a tree of the four products
    would take six instructions instead of four)."""
    n, c, _, _ = x.shape
    o, _, kh, kw = weight.shape
    _, _, oh, ow = out.shape
    height, width = oh + dh * (kh - 1), ow + dw * (kw - 1)   # the padded image's size
    span = np.uint64((oh - 1) * width + ow)   # t = 0 ... the last output's position
    offsets = tap_table(c, kh, kw, height, width, dh, dw)
    weights = np.zeros(((o + 1) // 2 * 2, len(offsets)), dtype=out.dtype)
    weights[:o, :c * kh * kw] = weight.reshape(o, c * kh * kw)
    planes = np.empty((2, span), dtype=out.dtype)
    scratch = np.zeros((c, height, width), dtype=out.dtype)
    for b in range(n):
        image = image_at(x, b, scratch, top, left)
        for k in range(0, o, 2):
            first, second = planes[0], planes[1]
            first[:] = 0
            second[:] = 0
            for tap in range(0, len(offsets), 4):
                s0, s1, s2, s3 = offsets[tap:tap + 4]
                w0, w1, w2, w3 = weights[k, tap:tap + 4]
                v0, v1, v2, v3 = weights[k + 1, tap:tap + 4]
                for t in range(span):
                    x0, x1, x2, x3 = image[s0 + t], image[s1 + t], image[s2 + t], image[s3 + t]
                    first[t] = first[t] + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3
                    second[t] = second[t] + v0 * x0 + v1 * x1 + v2 * x2 + v3 * x3
            for channel in range(k, min(k + 2, o)):
                for i in range(oh):
                    for j in range(ow):
                        out[b, channel, i, j] = planes[channel - k, i * width + j] + bias[channel]


@njit(cache=True, nogil=True, fastmath={"contract"})
def conv2d_input_grad_direct(grad, weight, grad_x, top, left, dh, dw):
    """grad_x[b, c, r, s] = the sum of weight[k, c, p, q] * grad[b, k, i, j] over every
    (k, p, q, i, j) with r = i + p*dh - top and s = j + q*dw - left: the adjoint of
    conv2d_direct, which scatters each output's gradient back onto the pixels its window
    read (grad_x is overwritten). Each image's gradient is summed in a buffer of the padded
    image's size, flat rows of its width as in conv2d_direct: for each input channel, tap
    and block of four output channels, the gradient's planes (laid out on that width, zeros
    where j >= OW) are added at the tap's offset; two input channels per pass, so each
    value read serves eight products. The padding's part of the buffer is dropped."""
    n, o, oh, ow = grad.shape
    _, c, kh, kw = weight.shape
    _, _, h, w = grad_x.shape
    height, width = oh + dh * (kh - 1), ow + dw * (kw - 1)
    span = np.uint64((oh - 1) * width + ow)
    taps = kh * kw
    offsets = tap_table(1, kh, kw, height, width, dh, dw)
    blocks = (o + 3) // 4 * 4   # output channels padded with zero weights to whole blocks
    weights = np.zeros(((c + 1) // 2 * 2, taps, blocks), dtype=grad_x.dtype)
    for k in range(o):
        for ch in range(c):
            for p in range(kh):
                for q in range(kw):
                    weights[ch, p * kw + q, k] = weight[k, ch, p, q]
    planes = np.zeros((blocks, span), dtype=grad_x.dtype)
    sums = np.empty((len(weights), height * width), dtype=grad_x.dtype)
    for b in range(n):
        for k in range(o):
            for i in range(oh):
                for j in range(ow):
                    planes[k, i * width + j] = grad[b, k, i, j]
        sums[:] = 0
        for ch in range(0, len(sums), 2):
            first, second = sums[ch], sums[ch + 1]
            for tap in range(taps):
                s = offsets[tap]
                for k in range(0, blocks, 4):
                    w0, w1, w2, w3 = weights[ch, tap, k:k + 4]
                    v0, v1, v2, v3 = weights[ch + 1, tap, k:k + 4]
                    g0, g1, g2, g3 = planes[k], planes[k + 1], planes[k + 2], planes[k + 3]
                    for t in range(span):
                        a0, a1, a2, a3 = g0[t], g1[t], g2[t], g3[t]
                        first[s + t] = first[s + t] + w0 * a0 + w1 * a1 + w2 * a2 + w3 * a3
                        second[s + t] = second[s + t] + v0 * a0 + v1 * a1 + v2 * a2 + v3 * a3
        for ch in range(c):   # (the buffer is the image padded: height = top + h + bottom)
            for r in range(h):
                for col in range(w):
                    grad_x[b, ch, r, col] = sums[ch, (r + top) * width + col + left]


@njit(cache=True, nogil=True, fastmath={"reassoc", "nsz", "contract"})
def conv2d_weight_grad_direct(x, grad, grad_weight, grad_bias, top, left, dh, dw):
    """grad_weight[k, c, p, q] = sum over (b, i, j) of grad[b, k, i, j] * xp[b, c, i + p*dh,
    j + q*dw] (xp: x padded as in conv2d_direct): its weight gradient, without columns
    (grad_weight is overwritten); and the bias's, grad_bias[k] = the sum of grad[:, k]
    (summed as the gradient is read anyway: each row in grad's dtype, the rows in float64,
    grad_bias's dtype). Each image's sum for a tap is a dot product of the gradient's plane
    (laid out on the padded width, zeros where j >= OW) with the image at the tap's
    offset: two output channels and four taps per pass (eight dot products),
    channels and taps padded to whole blocks (their sums are dropped). The dot products
    may add in any order (fastmath's reassoc: what lets them run 8 at a time) with fused
    multiply-adds (contract), so float32 sums differ from a sequential sum by rounding."""
    n, c, _, _ = x.shape
    o, _, kh, kw = grad_weight.shape
    _, _, oh, ow = grad.shape
    height, width = oh + dh * (kh - 1), ow + dw * (kw - 1)
    span = np.uint64((oh - 1) * width + ow)
    offsets = tap_table(c, kh, kw, height, width, dh, dw)
    planes = np.zeros(((o + 1) // 2 * 2, span), dtype=grad.dtype)
    sums = np.zeros((len(planes), len(offsets)), dtype=grad.dtype)
    scratch = np.zeros((c, height, width), dtype=grad.dtype)
    zero = sums[0, 0]
    grad_bias[:] = 0
    for b in range(n):
        image = image_at(x, b, scratch, top, left)
        for k in range(o):
            total = grad_bias[k]
            for i in range(oh):
                row = zero   # (a row's sum in grad's dtype, vectorised; rows added in float64)
                for j in range(ow):
                    planes[k, i * width + j] = grad[b, k, i, j]
                    row += grad[b, k, i, j]
                total += row
            grad_bias[k] = total
        for k in range(0, o, 2):
            first, second = planes[k], planes[k + 1]
            for tap in range(0, len(offsets), 4):
                s0, s1, s2, s3 = offsets[tap:tap + 4]
                a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = zero
                for t in range(span):
                    g, h = first[t], second[t]
                    x0, x1, x2, x3 = image[s0 + t], image[s1 + t], image[s2 + t], image[s3 + t]
                    a0 += g * x0
                    a1 += g * x1
                    a2 += g * x2
                    a3 += g * x3
                    b0 += h * x0
                    b1 += h * x1
                    b2 += h * x2
                    b3 += h * x3
                sums[k, tap] += a0
                sums[k, tap + 1] += a1
                sums[k, tap + 2] += a2
                sums[k, tap + 3] += a3
                sums[k + 1, tap] += b0
                sums[k + 1, tap + 1] += b1
                sums[k + 1, tap + 2] += b2
                sums[k + 1, tap + 3] += b3
    grad_weight.reshape(o, c * kh * kw)[:, :] = sums[:o, :c * kh * kw]
