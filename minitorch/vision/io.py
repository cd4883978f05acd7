"""torchvision.io's image reading for minitorch: PNG and JPEG files as uint8 tensors
(C, H, W), decoded by Pillow.

    image = minitorch.vision.io.read_image("cat.png", ImageReadMode.RGB)

torchvision decodes with libpng and libjpeg and converts while decoding; minitorch lets
Pillow decode (the same libraries underneath) and converts as torchvision's decoders do,
so the pixels are torchvision's: PNG colour to gray with libpng's weights (0.2989, 0.587,
0.114 in 15-bit fixed point, truncated), JPEG gray straight from the decoder's luma.

Where minitorch differs: a 16-bit gray PNG comes back as int32 (minitorch has no
uint16; the values are torchvision's), 16-bit colour PNGs are refused (Pillow reads them
only as 8 bits), and GIF and WebP files are refused. Palette PNGs read with an alpha
channel get their alpha from the file's transparency (torchvision's read there is
undefined), 1-bit images get an opaque alpha of 255 (torchvision writes 1), and palette
PNGs of fewer than 8 bits read UNCHANGED give their indices (torchvision's come still
packed, several to a byte). An image turned upright by apply_exif_orientation is a copy,
where torchvision's is a view.
"""
import io as _bytes_io
from enum import Enum

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import errors
from ..creation import from_numpy
from ..dtypes import uint8
from ..tensor import Tensor

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class ImageReadMode(Enum):
    """What channels to read: as stored (UNCHANGED), or converted to GRAY, GRAY_ALPHA,
    RGB or RGB_ALPHA (also called RGBA). A string such as "rgb" names a mode too."""
    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


def read_file(path):
    """The bytes of a file as a 1-D uint8 tensor."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise errors.image_file_unreadable(error) from None
    if not data:
        raise errors.image_file_empty()
    return from_numpy(np.frombuffer(data, dtype=np.uint8).copy())


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """A PNG or JPEG file as a uint8 tensor (C, H, W) in `mode`; see decode_image."""
    return decode_image(read_file(path), mode, apply_exif_orientation)


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Decode a PNG or JPEG image, given as its bytes (a 1-D uint8 tensor) or as a path,
    into a uint8 tensor (C, H, W): a (H, W, C) array seen through permute, as torchvision
    returns it. C is the file's own channels (UNCHANGED: palette images give their
    indices) or the mode's (GRAY 1, GRAY_ALPHA 2, RGB 3, RGB_ALPHA 4; JPEG has no alpha).
    apply_exif_orientation=True turns the image upright as its EXIF tag says."""
    if not isinstance(input, Tensor):
        input = read_file(str(input))
    if isinstance(mode, str):
        mode = ImageReadMode[mode.upper()]
    mode = ImageReadMode(mode.value)
    if input.dtype != uint8:
        raise errors.encoded_image_not_uint8()
    if input.ndim != 1 or input.numel() == 0:
        raise errors.encoded_image_not_1d()
    data = input.numpy().tobytes()
    if data.startswith(PNG_SIGNATURE):
        pixels = _decode_png(data, mode, apply_exif_orientation)
    elif data.startswith(JPEG_SIGNATURE):
        pixels = _decode_jpeg(data, mode, apply_exif_orientation)
    else:
        raise errors.image_format_not_supported()
    return from_numpy(np.array(pixels, order="C")).permute(2, 0, 1)   # fresh C strides, as torch


def _open(data, apply_exif_orientation, draft_mode=None):
    """Pillow's image of the bytes, decoded (in draft_mode when given: JPEG's decoder
    outputs gray itself), turned upright if asked."""
    try:
        img = Image.open(_bytes_io.BytesIO(data))
        if draft_mode is not None and img.mode != draft_mode:
            img.draft(draft_mode, img.size)
        img.load()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as error:
        raise errors.image_decoding_failed(error) from None
    if apply_exif_orientation:
        img = ImageOps.exif_transpose(img)
    return img


def _decode_png(data, mode, apply_exif_orientation):
    """(H, W, C) pixels of a PNG in mode, as torchvision's libpng transforms give them."""
    bit_depth, color_type = data[24], data[25]          # from the IHDR chunk
    if bit_depth == 16 and color_type != 0:
        raise errors.png_16_bit_colour_not_supported()
    img = _open(data, apply_exif_orientation)
    if bit_depth == 16:                                   # 16-bit gray: int32, as said above
        return _in_mode(np.asarray(img, dtype=np.int32), None, mode, 65535, _libpng_gray)
    if img.mode == "P" and mode is ImageReadMode.UNCHANGED:
        return np.asarray(img)[:, :, None]                # the palette indices
    if img.mode == "P":
        img = img.convert("RGBA")                         # the palette's colours and tRNS
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("L")                            # 1, 2 and 4-bit gray, scaled to 8
    pixels = np.asarray(img)
    if img.mode in ("L", "RGB"):
        color, alpha = pixels, None
    else:
        color, alpha = pixels[..., :-1], pixels[..., -1]
        color = color[..., 0] if img.mode == "LA" else color
    return _in_mode(color, alpha, mode, 255, _libpng_gray)


def _decode_jpeg(data, mode, apply_exif_orientation):
    """(H, W, C) pixels of a JPEG in mode: gray comes from the decoder (the luma it
    decodes, not a conversion of RGB); CMYK is returned as the file stores it (inverted,
    Adobe's convention, which Pillow undoes)."""
    if mode in (ImageReadMode.GRAY_ALPHA, ImageReadMode.RGB_ALPHA):
        raise errors.jpeg_mode_not_supported()
    img = _open(data, apply_exif_orientation, "L" if mode is ImageReadMode.GRAY else None)
    if mode is ImageReadMode.UNCHANGED and img.mode == "CMYK":
        return 255 - np.asarray(img)
    if mode is ImageReadMode.GRAY:
        img = img.convert("L")
    elif mode is ImageReadMode.RGB or img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    pixels = np.asarray(img)
    return pixels[:, :, None] if pixels.ndim == 2 else pixels


def _libpng_gray(rgb):
    """libpng's rgb_to_gray with torchvision's weights (0.2989, 0.587): 15-bit fixed-point
    coefficients, the sum truncated; a pixel already gray keeps its value."""
    red, green, blue = (rgb[..., i].astype(np.int64) for i in range(3))
    red_coefficient = 29890 * 32768 // 100000
    green_coefficient = 58700 * 32768 // 100000
    blue_coefficient = 32768 - red_coefficient - green_coefficient
    gray = (red_coefficient * red + green_coefficient * green + blue_coefficient * blue) >> 15
    return np.where((red == green) & (green == blue), red, gray).astype(rgb.dtype)


def _in_mode(color, alpha, mode, opaque, to_gray):
    """(H, W, C) pixels for mode from color ((H, W) gray or (H, W, 3) RGB) and alpha
    ((H, W) or None): gray is repeated into RGB, RGB made gray by to_gray; a missing alpha
    is `opaque`, an unwanted one dropped."""
    if mode is ImageReadMode.UNCHANGED:
        channels = [color] if color.ndim == 2 else list(np.moveaxis(color, -1, 0))
        return np.stack(channels + ([] if alpha is None else [alpha]), axis=-1)
    if mode in (ImageReadMode.GRAY, ImageReadMode.GRAY_ALPHA):
        channels = [color if color.ndim == 2 else to_gray(color)]
    else:
        channels = [color] * 3 if color.ndim == 2 else list(np.moveaxis(color, -1, 0))
    if mode in (ImageReadMode.GRAY_ALPHA, ImageReadMode.RGB_ALPHA):
        channels.append(np.full(color.shape[:2], opaque, color.dtype) if alpha is None else alpha)
    return np.stack(channels, axis=-1)
