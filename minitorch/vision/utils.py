"""torchvision.utils' picture helpers: tile a batch of images into one, save it as PNG."""
import math
from pathlib import Path

import numpy as np
from PIL import Image

from ..autograd import no_grad
from ..creation import full
from ..dtypes import uint8
from ..facade.shape import cat, stack
from ..tensor import Tensor
from .._files import atomic_open


@no_grad()
def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False,
              pad_value=0.0):
    """Tile a batch B x C x H x W (or a list of C x H x W images) into one C x H' x W'
    image: `nrow` images per row, `padding` pixels of `pad_value` around each.
    Single-channel images become 3-channel. normalize=True maps value_range (default:
    the min and max, of each image when scale_each=True) to [0, 1]. A picture, not a
    step of a model: it records no graph (as torchvision's)."""
    if not isinstance(tensor, Tensor):
        if isinstance(tensor, list):
            for t in tensor:
                if not isinstance(t, Tensor):
                    raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        else:
            raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if isinstance(tensor, list):
        tensor = stack(tensor, dim=0)
    if tensor.dim() == 2:                    # one H x W image
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:                    # one C x H x W image
        if tensor.size(0) == 1:
            tensor = cat((tensor, tensor, tensor), 0)
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = cat((tensor, tensor, tensor), 1)

    if normalize is True:
        tensor = tensor.clone()              # normalize a copy, never the caller's images
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        for images in (tensor if scale_each is True else [tensor]):
            low, high = value_range if value_range is not None else (float(images.min()), float(images.max()))
            images.clamp_(min=low, max=high)
            images.sub_(low).div_(max(high - low, 1e-5))

    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    count = tensor.size(0)
    columns = min(nrow, count)
    rows = int(math.ceil(float(count) / columns))
    cell_height, cell_width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = full((tensor.size(1), cell_height * rows + padding, cell_width * columns + padding),
                pad_value, dtype=tensor.dtype)
    for k in range(count):
        top = (k // columns) * cell_height + padding
        left = (k % columns) * cell_width + padding
        grid[:, top:top + cell_height - padding, left:left + cell_width - padding] = tensor[k]
    return grid


def save_image(tensor, fp, format=None, **kwargs):
    """Save an image tensor (C x H x W with values in [0, 1]) or a batch (tiled by
    make_grid, which takes the **kwargs) to fp, a path or a binary file object. The file
    format comes from the path's extension, or from `format`. A path is written under a
    temporary name and renamed, so it is never left half-written."""
    with no_grad():
        grid = make_grid(tensor, **kwargs)
        # to [0, 255], + 0.5 to round to nearest, as torchvision
        scaled = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to(dtype=uint8)
    image = Image.fromarray(np.ascontiguousarray(scaled.numpy()))
    if hasattr(fp, "write"):
        image.save(fp, format=format)
        return
    if format is None:
        format = Image.registered_extensions().get(Path(fp).suffix.lower())
        if format is None:
            raise ValueError(f"unknown file extension: {Path(fp).suffix}")
    with atomic_open(fp) as f:
        image.save(f, format=format)
