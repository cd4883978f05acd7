"""The projector's files: what `add_embedding` writes for TensorBoard's Projector tab.

Each embedding lives in `<log_dir>/<step, 5 digits>/<tag>/`:
    tensors.tsv    one row per data point, tab-separated numbers
    metadata.tsv   one label per row (or a header row and columns)
    sprite.png     the label images tiled in a square, for the points' thumbnails
and `<log_dir>/projector_config.pbtxt` lists every embedding written so far. Each file is
written under a temporary name and renamed into place, so none is ever half-written.
"""
import io
import math
import os

import numpy as np
from PIL import Image
from tensorboard.plugins.projector.projector_config_pb2 import EmbeddingInfo

from ..._files import atomic_open
from .summary import make_grid, make_np


def write_file(path, data):
    """Write bytes to path whole (see minitorch._files.atomic_open)."""
    with atomic_open(path) as f:
        f.write(data)


def encode_tag(tag):
    """The tag as one folder name: '%', '/' and '\\' written as %25, %2f, %5c."""
    return tag.replace("%", "%25").replace("/", "%2f").replace("\\", "%5c")


def tensors_tsv(mat):
    """Each row of the matrix as tab-separated Python numbers."""
    return "".join("\t".join(str(x.item()) for x in row) + "\n" for row in mat).encode()


def metadata_tsv(metadata, header=None):
    """One label per line; with a header, the header row then one row of columns per point."""
    if not header:
        lines = [str(label) for label in metadata]
    else:
        if len(header) != len(metadata[0]):
            raise AssertionError("len of header must be equal to the number of columns in metadata")
        lines = ["\t".join(str(e) for e in row) for row in [header] + list(metadata)]
    return ("\n".join(lines) + "\n").encode()


def sprite_png(label_img):
    """The N×C×H×W label images tiled ceil(√N) per row on a square canvas, as a PNG.
    Values are taken as 0..1 and scaled by 255 (uint8 images saturate, as in torch)."""
    nrow = math.ceil(label_img.shape[0] ** 0.5)
    grid = make_grid(label_img, ncols=nrow).transpose(1, 2, 0)
    square = np.zeros((grid.shape[1], grid.shape[1], 3))
    square[:grid.shape[0]] = grid
    with io.BytesIO() as png:
        Image.fromarray(np.uint8((square * 255).clip(0, 255))).save(png, format="PNG")
        return png.getvalue()


def write_embedding(log_dir, mat, metadata, label_img, global_step, tag, metadata_header):
    """Write one embedding's files and return its EmbeddingInfo for the projector config."""
    mat = make_np(mat)
    subdir = f"{str(global_step).zfill(5)}/{encode_tag(tag)}"
    save_path = os.path.join(log_dir, subdir)
    if not os.path.exists(save_path):
        os.makedirs(save_path)
    elif os.path.isdir(save_path):
        print("warning: Embedding dir exists, did you set global_step for add_embedding()?")
    else:
        raise NotADirectoryError(f"Path: `{save_path}` exists, but is a file. Cannot proceed.")

    info = EmbeddingInfo(tensor_name=f"{tag}:{str(global_step).zfill(5)}",
                         tensor_path=f"{subdir}/tensors.tsv")
    if metadata is not None:
        if mat.shape[0] != len(metadata):
            raise AssertionError("#labels should equal with #data points")
        write_file(os.path.join(save_path, "metadata.tsv"), metadata_tsv(metadata, metadata_header))
        info.metadata_path = f"{subdir}/metadata.tsv"
    if label_img is not None:
        label_img = make_np(label_img)
        if mat.shape[0] != label_img.shape[0]:
            raise AssertionError("#images should equal with #data points")
        write_file(os.path.join(save_path, "sprite.png"), sprite_png(label_img))
        info.sprite.image_path = f"{subdir}/sprite.png"
        info.sprite.single_image_dim.extend([label_img.shape[3], label_img.shape[2]])
    if mat.ndim != 2:
        raise AssertionError("mat should be 2D, where mat.size(0) is the number of data points")
    write_file(os.path.join(save_path, "tensors.tsv"), tensors_tsv(mat))
    return info
