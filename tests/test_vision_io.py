"""minitorch.vision.io (read_image, decode_image, read_file, ImageReadMode) against
torchvision.io, on PNG and JPEG files the tests write with Pillow in a tmp dir.

Every file in every mode: same dtype (uint8), same layout ((C, H, W) seen through a
permute, so the same strides), same pixels. Where torchvision's own read is undefined
(palette or 1-bit PNGs read with an alpha channel) minitorch gives Pillow's conversion,
and those cases are checked against Pillow. Errors are torchvision's type (RuntimeError)
and carry its sentence; torchvision adds a C++ file and line that minitorch leaves out.
"""
import struct
import zlib

import numpy as np
import pytest
import torch
import torchvision.io as tv_io
from PIL import Image

import minitorch
import minitorch.vision.io as mt_io
from parity import assert_close, same_error

IO = {minitorch: mt_io, torch: tv_io}
MODES = ["UNCHANGED", "GRAY", "GRAY_ALPHA", "RGB", "RGB_ALPHA"]
PNG_MODES = ["L", "LA", "RGB", "RGBA", "P", "1"]
JPEG_MODES = ["L", "RGB", "CMYK"]


# torchvision 0.29 warns that its decoders are deprecated, on every call
pytestmark = pytest.mark.filterwarnings(
    "ignore:The image decoding and encoding capabilities of TorchVision are deprecated")


def pixels(height=9, width=11, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)


def write(tmp_path, mode, extension, seed=0, **save_options):
    """A file of a Pillow image in mode (random pixels, a few gray ones) in tmp_path."""
    array = pixels(seed=seed)
    array[:2, :3, 1:3] = array[:2, :3, :1]           # some pixels already gray
    img = Image.fromarray(array).convert(mode)
    path = tmp_path / f"{mode}-{seed}.{extension}"
    img.save(path, **save_options)
    return path


def assert_same_image(ours, theirs):
    assert_close(ours, theirs)
    assert ours.stride() == theirs.stride()


def torchvision_undefined(file_mode, read_mode):
    """torchvision reads these with an alpha channel libpng never fills."""
    return file_mode in ("P", "1") and read_mode in ("GRAY_ALPHA", "RGB_ALPHA")


@pytest.mark.parametrize("file_mode", PNG_MODES)
@pytest.mark.parametrize("read_mode", MODES)
def test_png(tmp_path, file_mode, read_mode):
    path = write(tmp_path, file_mode, "png")
    ours = mt_io.read_image(path, mt_io.ImageReadMode[read_mode])
    if not torchvision_undefined(file_mode, read_mode):
        assert_same_image(ours, tv_io.read_image(str(path), tv_io.ImageReadMode[read_mode]))
        return
    pillow = np.asarray(Image.open(path).convert("RGBA"))      # opaque: alpha 255
    theirs = tv_io.read_image(str(path), tv_io.ImageReadMode[read_mode])
    assert ours.dtype == minitorch.uint8 and tuple(ours.shape) == tuple(theirs.shape)
    assert (ours[-1].numpy() == pillow[..., 3]).all()
    if read_mode == "RGB_ALPHA":
        assert np.array_equal(ours[:3].numpy(), pillow[..., :3].transpose(2, 0, 1))
    else:
        gray = tv_io.read_image(str(path), tv_io.ImageReadMode.GRAY)
        assert np.array_equal(ours[0].numpy(), gray[0].numpy())


@pytest.mark.parametrize("file_mode", JPEG_MODES)
@pytest.mark.parametrize("read_mode", MODES)
@pytest.mark.parametrize("quality", [90, 40])
def test_jpeg(tmp_path, file_mode, read_mode, quality):
    path = write(tmp_path, file_mode, "jpg", quality=quality)

    def run(lib):
        return IO[lib].read_image(str(path), IO[lib].ImageReadMode[read_mode])
    if read_mode in ("GRAY_ALPHA", "RGB_ALPHA"):
        same_error(run, exact=False, key="The provided mode is not supported for JPEG files")
        return
    assert_same_image(run(minitorch), run(torch))


@pytest.mark.parametrize("colors", [200, 8])
def test_palette_png_with_transparency(tmp_path, colors):
    """A palette with a transparent entry (tRNS), where torchvision's alpha is defined. With
    8 colours Pillow stores 4-bit indices, which torchvision's UNCHANGED returns still packed
    two to a byte; minitorch returns the indices (Pillow's)."""
    img = Image.fromarray(pixels()[..., :3]).convert("P", palette=Image.Palette.ADAPTIVE, colors=colors)
    path = tmp_path / "trns.png"
    img.save(path, transparency=3)
    for mode in MODES:
        ours = mt_io.read_image(path, mt_io.ImageReadMode[mode])
        if mode == "UNCHANGED" and colors < 16:
            assert np.array_equal(ours[0].numpy(), np.asarray(Image.open(path)))
            continue
        assert_same_image(ours, tv_io.read_image(str(path), tv_io.ImageReadMode[mode]))


def test_optimized_png(tmp_path):
    path = write(tmp_path, "RGB", "png", seed=3, optimize=True, compress_level=9)
    assert_same_image(mt_io.read_image(path), tv_io.read_image(str(path)))


def png_file(path, array, color_type):
    """A minimal 16-bit PNG (IHDR, IDAT, IEND) of a uint16 array, which Pillow cannot write
    in colour: big-endian samples, filter 0 on every row."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    height, width = array.shape[:2]
    rows = b"".join(b"\x00" + row.astype(">u2").tobytes() for row in array)
    header = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))
    return path


def test_16_bit_png(tmp_path):
    """Gray: torchvision's values in int32 (minitorch has no uint16). Colour: refused."""
    values = np.random.default_rng(1).integers(0, 65536, (5, 6), dtype=np.uint16)
    path = png_file(tmp_path / "gray16.png", values, color_type=0)
    for mode in MODES:
        ours = mt_io.read_image(path, mt_io.ImageReadMode[mode])
        theirs = tv_io.read_image(str(path), tv_io.ImageReadMode[mode])
        assert ours.dtype == minitorch.int32 and ours.stride() == theirs.stride()
        assert np.array_equal(ours.numpy(), theirs.numpy().astype(np.int32))
    path = png_file(tmp_path / "rgb16.png", np.stack([values] * 3, axis=-1), color_type=2)
    assert tv_io.read_image(str(path)).dtype == torch.uint16
    with pytest.raises(RuntimeError, match="16-bit colour PNG files are not supported by minitorch"):
        mt_io.read_image(path)


@pytest.mark.parametrize("extension", ["jpg", "png"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_exif_orientation(tmp_path, extension, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = write(tmp_path, "RGB", extension, exif=exif.tobytes())
    assert_same_image(mt_io.read_image(path), tv_io.read_image(str(path)))
    # turned upright: the same pixels (torchvision's are a transposed view, minitorch's a copy)
    assert_close(mt_io.read_image(path, apply_exif_orientation=True),
                 tv_io.read_image(str(path), apply_exif_orientation=True))


def test_decode_image_from_bytes_or_path_and_mode_names(tmp_path):
    path = write(tmp_path, "RGBA", "png")
    data = mt_io.read_file(path)
    assert_close(data, tv_io.read_file(str(path)))
    theirs = tv_io.decode_image(tv_io.read_file(str(path)), "gray_alpha")
    assert_same_image(mt_io.decode_image(data, "gray_alpha"), theirs)
    assert_same_image(mt_io.decode_image(path, "GRAY_ALPHA"), theirs)
    assert_same_image(mt_io.decode_image(str(path), mt_io.ImageReadMode.GRAY_ALPHA), theirs)
    assert mt_io.ImageReadMode.RGBA is mt_io.ImageReadMode.RGB_ALPHA
    assert ([(m.name, m.value) for m in mt_io.ImageReadMode]
            == [(m.name, m.value) for m in tv_io.ImageReadMode])
    assert_same_image(mt_io.decode_image(data, mt_io.ImageReadMode.RGBA),
                      tv_io.decode_image(tv_io.read_file(str(path)), tv_io.ImageReadMode.RGBA))


def test_read_image_feeds_the_transforms(tmp_path):
    """A uint8 image from read_image goes through the tensor transforms as torchvision's."""
    import minitorch.vision.transforms as mt_transforms
    import torchvision.transforms as tv_transforms
    path = write(tmp_path, "RGB", "png")

    def run(lib, transforms):
        image = IO[lib].read_image(str(path))
        return transforms.Compose([transforms.ConvertImageDtype(lib.float32), transforms.CenterCrop(6),
                                   transforms.Grayscale(3)])(image)
    assert_close(run(minitorch, mt_transforms), run(torch, tv_transforms))


def test_errors(tmp_path):
    missing = tmp_path / "missing.png"
    same_error(lambda lib: IO[lib].read_image(str(missing)), exact=False,
               key=f"[Errno 2] No such file or directory: '{missing}'")
    with pytest.raises(RuntimeError, match="Is a directory"):
        mt_io.read_image(tmp_path)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    same_error(lambda lib: IO[lib].read_image(str(empty)), exact=False, key="Expected a non empty file")
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    same_error(lambda lib: IO[lib].read_image(str(text)), exact=False, key="Unsupported image file.")
    same_error(lambda lib: IO[lib].decode_image(lib.zeros(3)), exact=False, key="Expected a torch.uint8 tensor")
    for shape in ((2, 2), (0,)):
        same_error(lambda lib: IO[lib].decode_image(lib.zeros(shape, dtype=lib.uint8)), exact=False,
                   key="Expected a non empty 1-dimensional tensor")
    same_error(lambda lib: IO[lib].decode_image(str(text), "foo"))
    same_error(lambda lib: IO[lib].decode_image(str(text), 3))


def test_corrupt_and_unsupported_files(tmp_path):
    """Files torchvision reads and minitorch does not, or reads differently, say so."""
    path = write(tmp_path, "RGB", "png")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(path.read_bytes()[:60])
    with pytest.raises(RuntimeError, match="corrupt or truncated"):
        mt_io.read_image(truncated)
    gif = write(tmp_path, "P", "gif")
    assert tv_io.read_image(str(gif)).dtype == torch.uint8
    with pytest.raises(RuntimeError, match="Only jpeg and png are currently supported by minitorch"):
        mt_io.read_image(gif)
