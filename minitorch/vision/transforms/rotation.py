"""Rotating tensor images as torchvision's rotate does: the inverse rotation as an affine
matrix, the sampling grid it gives, and torch's grid_sample (align_corners=False, zeros
outside) written with minitorch's tensor ops, so that gradients flow back to the image.

Every number is computed in torchvision's order and float type (the image's, float32 for
integer images), so that nearest sampling picks the same pixels and bilinear weights agree
to the last bits.
"""
import math

import numpy as np

from ...creation import from_numpy, tensor, zeros_like
from ...facade.elementwise import where


def inverse_rotation_matrix(center, angle):
    """The 2 x 3 affine map (row-major, 6 numbers) taking output pixel coordinates back to
    input ones for a rotation by angle degrees about center: C R(angle)^-1 C^-1, rounded
    in torchvision's order (its _get_inverse_affine_matrix without translation, scale or
    shear)."""
    rotation = math.radians(angle)
    cx, cy = center
    cos, sin = math.cos(rotation), math.sin(rotation)
    matrix = [cos, sin, 0.0, -sin, cos, 0.0]
    matrix[2] += matrix[0] * -cx + matrix[1] * -cy
    matrix[5] += matrix[3] * -cx + matrix[4] * -cy
    matrix[2] += cx
    matrix[5] += cy
    return matrix


def expanded_size(matrix, width, height):
    """(width, height) of the box holding the whole rotated image, as torchvision (and
    Pillow) compute it: the corners' extent in float32, cut to 4 decimals, then rounded out."""
    f32 = np.float32
    corners = np.array([[-0.5 * width, -0.5 * height, 1.0], [-0.5 * width, 0.5 * height, 1.0],
                        [0.5 * width, 0.5 * height, 1.0], [0.5 * width, -0.5 * height, 1.0]], f32)
    moved = corners @ np.array(matrix, f32).reshape(2, 3).T
    half = np.array([width * 0.5, height * 0.5], f32)
    low, high = moved.min(axis=0) + half, moved.max(axis=0) + half
    tolerance = f32(1e-4)
    size = (np.ceil(np.trunc(high / tolerance) * tolerance)
            - np.floor(np.trunc(low / tolerance) * tolerance))
    return int(size[0]), int(size[1])


def rotation_grid(matrix, width, height, out_width, out_height, dtype):
    """Where each output pixel samples the input, in grid_sample's pixel units (-0.5 is
    the left edge of the first pixel): the output pixel centres, measured from the output's
    middle, through the matrix scaled to the input's [-1, 1] range (torchvision's
    _gen_affine_grid), then unnormalised as grid_sample does: (g + 1) * size / 2 - 0.5."""
    theta = np.array(matrix, dtype).reshape(2, 3)
    scaled = theta.T / np.array([0.5 * width, 0.5 * height], dtype)      # (3, 2)
    xs = (np.arange(out_width) - out_width * 0.5 + 0.5).astype(dtype)[None, :]
    ys = (np.arange(out_height) - out_height * 0.5 + 0.5).astype(dtype)[:, None]
    grid_x = xs * scaled[0, 0] + ys * scaled[1, 0] + scaled[2, 0]
    grid_y = xs * scaled[0, 1] + ys * scaled[1, 1] + scaled[2, 1]
    one, half = dtype.type(1), dtype.type(0.5)
    return ((grid_x + one) * dtype.type(width / 2) - half,
            (grid_y + one) * dtype.type(height / 2) - half)


def grid_sample(batch, x, y, mode, fill):
    """Sample batch (N, C, H, W) at pixel positions (x, y) (each of the output's shape),
    zeros outside, with tensor ops so that gradients flow to the image: nearest takes the
    pixel at the rounded position (half to even); bilinear weighs the four around it.

    With a fill, torchvision also samples an all-ones "mask" image: where it reads less
    than 1 (outside, or partly outside for bilinear), the fill shows through
    (nearest: fill where the mask < 0.5; bilinear: out * mask + (1 - mask) * fill)."""
    height, width = batch.shape[-2:]
    dtype = batch.dtype

    def read(rows, cols):
        """The pixels at integer positions (rows, cols), 0 where outside; and where inside."""
        inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
        pixels = batch[..., np.clip(rows, 0, height - 1), np.clip(cols, 0, width - 1)]
        return where(from_numpy(inside), pixels, zeros_like(pixels)), inside

    if mode == "nearest":
        out, inside = read(np.rint(y).astype(np.int64), np.rint(x).astype(np.int64))
        mask = inside.astype(x.dtype)
    else:
        left, top = np.floor(x), np.floor(y)
        past_left, past_top = x - left, y - top        # how far past the top-left neighbour
        to_right, to_bottom = 1 - past_left, 1 - past_top
        left, top = left.astype(np.int64), top.astype(np.int64)
        out, mask = None, np.zeros_like(x)
        # each neighbour weighs the area of the rectangle between the point and the opposite one
        neighbours = ((top, left, to_bottom * to_right), (top, left + 1, to_bottom * past_left),
                      (top + 1, left, past_top * to_right), (top + 1, left + 1, past_top * past_left))
        for rows, cols, weight in neighbours:
            pixels, inside = read(rows, cols)
            term = pixels * from_numpy(weight)
            out = term if out is None else out + term
            mask = mask + np.where(inside, weight, 0)
    if fill is None:
        return out
    fill = fill if isinstance(fill, (tuple, list)) else [float(fill)]
    fill_image = tensor(fill, dtype=dtype).view(1, len(fill), 1, 1)
    if mode == "nearest":
        return where(from_numpy(mask < 0.5), fill_image.expand_as(out), out)
    mask = from_numpy(mask)
    return out * mask + (1.0 - mask) * fill_image
