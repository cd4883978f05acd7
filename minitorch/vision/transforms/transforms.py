"""torchvision.transforms' classes: each transform is a callable object whose printed form
is torchvision's, and whose work is done by the function of the same name in
`functional` (hflip, rotate, adjust_brightness, ...).

Random transforms draw their parameters from minitorch's global random stream (rand,
randint, randperm, as torchvision draws from torch's), so `minitorch.manual_seed` makes a
pipeline repeat itself; the numbers are not torch's.
"""
import math
import numbers
import warnings
from collections.abc import Sequence

from ... import errors
from ...creation import rand, randint, randperm
from ...nn import Module
from ...tensor import Tensor
from . import functional as F
from .functional import InterpolationMode, interpolation_mode


def _uniform(low, high):
    """One number drawn uniformly from [low, high) (torch's empty(1).uniform_(low, high))."""
    return low + (high - low) * rand(1).item()


def _setup_size(size):
    """size as (height, width): an int or a 1-sequence means a square."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise errors.size_not_two_dimensions()
    return size


def _check_sequence_input(x, name, req_sizes):
    if not isinstance(x, Sequence):
        raise errors.not_a_sequence_of_length(name, req_sizes, TypeError)
    if len(x) not in req_sizes:
        raise errors.not_a_sequence_of_length(name, req_sizes, ValueError)


def _setup_angle(x, name, req_sizes=(2,)):
    """degrees as [low, high]: a number d means [-d, d]."""
    if isinstance(x, numbers.Number):
        if x < 0:
            raise errors.single_number_not_positive(name)
        x = [-x, x]
    else:
        _check_sequence_input(x, name, req_sizes)
    return [float(d) for d in x]


# ---- composing and converting -------------------------------------------------------------

class Compose:
    """Apply transforms one after the other: Compose([t1, t2])(x) is t2(t1(x))."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


class ToTensor:
    """PIL image or H x W x C numpy array -> C x H x W float tensor in [0, 1]; see to_tensor."""

    def __call__(self, pic):
        return F.to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class PILToTensor:
    """PIL image -> C x H x W tensor of its own values (uint8 stays uint8); see pil_to_tensor."""

    def __call__(self, pic):
        return F.pil_to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ToPILImage:
    """Tensor C x H x W or array H x W x C -> PIL image, in `mode` or one chosen from the
    channels and dtype; see to_pil_image."""

    def __init__(self, mode=None):
        self.mode = mode

    def __call__(self, pic):
        return F.to_pil_image(pic, self.mode)

    def __repr__(self):
        return f"{type(self).__name__}({'' if self.mode is None else f'mode={self.mode}'})"


class ConvertImageDtype(Module):
    """A tensor image in another dtype, values rescaled (uint8 255 <-> float 1.0); see
    convert_image_dtype."""

    def __init__(self, dtype):
        super().__init__()
        self.dtype = dtype

    def forward(self, image):
        return F.convert_image_dtype(image, self.dtype)


class Normalize(Module):
    """output[channel] = (input[channel] - mean[channel]) / std[channel]; see normalize.
    A Module, as in torchvision, so it can sit in an nn.Sequential."""

    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor):
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self):
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class Lambda:
    """Use a function of your own as a transform."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise errors.lambda_not_callable(lambd)
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{type(self).__name__}()"


# ---- geometry -----------------------------------------------------------------------------

class Pad(Module):
    """Pad an image on all sides. padding: int (all borders), (left/right, top/bottom) or
    (left, top, right, bottom). padding_mode: "constant" (with fill), "edge" (repeat the
    border pixel), "reflect" (mirror without repeating the border: 3 2 | 1 2 3 4) or
    "symmetric" (mirror repeating it: 2 1 | 1 2 3 4)."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        F._check_pad_args(padding, fill, padding_mode)
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self):
        return (f"{type(self).__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class Resize(Module):
    """Resize an image to `size`: (h, w) exactly, or an int: the shorter side becomes
    size and the longer keeps the aspect ratio (rounded down), at most max_size.

    PIL images are resized by Pillow (always antialiased for bilinear and bicubic).
    Tensors (..., H, W) are resized by `interpolation.resample` in nearest, nearest-exact,
    bilinear or bicubic mode, antialiased when shrinking with antialias=True (bilinear,
    bicubic); integer tensors are resized in float32 and rounded back. Float tensors keep
    their graph: gradients flow back through the resize."""

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
        super().__init__()
        if not isinstance(size, (int, Sequence)):
            raise errors.resize_size_type(size)
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise errors.resize_size_sequence_length()
        self.size = size
        self.max_size = max_size
        self.interpolation = interpolation_mode(interpolation)
        self.antialias = antialias

    def forward(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self):
        return (f"{type(self).__name__}(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop(Module):
    """Cut the middle size x size (or (h, w)) window out of an image; see center_crop."""

    def __init__(self, size):
        super().__init__()
        self.size = _setup_size(size)

    def forward(self, img):
        return F.center_crop(img, self.size)

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size})"


class _RandomFlip(Module):
    """Flip the image with probability p; a subclass names the flip."""

    @staticmethod
    def flip(img):
        raise NotImplementedError

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, img):
        if rand(1).item() < self.p:
            return self.flip(img)
        return img

    def __repr__(self):
        return f"{type(self).__name__}(p={self.p})"


class RandomHorizontalFlip(_RandomFlip):
    """Mirror the image left to right with probability p."""
    flip = staticmethod(F.hflip)


class RandomVerticalFlip(_RandomFlip):
    """Mirror the image top to bottom with probability p."""
    flip = staticmethod(F.vflip)


class RandomCrop(Module):
    """A size (h, w) window at a random place (every place equally likely), after padding
    the image by `padding` (see Pad) and, with pad_if_needed, on the right and bottom by
    what it lacks of size."""

    @staticmethod
    def get_params(img, output_size):
        """(top, left, height, width) of a random window of output_size in img."""
        _, height, width = F.get_dimensions(img)
        crop_height, crop_width = output_size
        if height < crop_height or width < crop_width:
            raise errors.crop_larger_than_image((crop_height, crop_width), (height, width))
        if width == crop_width and height == crop_height:
            return 0, 0, height, width
        top = randint(0, height - crop_height + 1, size=(1,)).item()
        left = randint(0, width - crop_width + 1, size=(1,)).item()
        return top, left, crop_height, crop_width

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        super().__init__()
        self.size = tuple(_setup_size(size))
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size}, padding={self.padding})"


class RandomResizedCrop(Module):
    """A random window, resized to size: its area a uniform fraction `scale` of the
    image's, its aspect ratio (width / height) log-uniform in `ratio`. Ten tries to fit
    such a window in the image, else the middle window of the ratio nearest the image's
    (the Inception networks' augmentation)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias=True):
        super().__init__()
        self.size = _setup_size(size)
        if not isinstance(scale, Sequence):
            raise errors.argument_not_a_sequence("Scale")
        if not isinstance(ratio, Sequence):
            raise errors.argument_not_a_sequence("Ratio")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn(errors.scale_ratio_not_min_max())
        self.interpolation = interpolation_mode(interpolation)
        self.antialias = antialias
        self.scale = scale
        self.ratio = ratio

    @staticmethod
    def get_params(img, scale, ratio):
        """(top, left, height, width) of the random window."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * _uniform(scale[0], scale[1])
            aspect_ratio = math.exp(_uniform(*log_ratio))
            crop_width = int(round(math.sqrt(target_area * aspect_ratio)))
            crop_height = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < crop_width <= width and 0 < crop_height <= height:
                top = randint(0, height - crop_height + 1, size=(1,)).item()
                left = randint(0, width - crop_width + 1, size=(1,)).item()
                return top, left, crop_height, crop_width
        in_ratio = float(width) / float(height)
        if in_ratio < min(ratio):
            crop_width, crop_height = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            crop_width, crop_height = int(round(height * max(ratio))), height
        else:
            crop_width, crop_height = width, height
        return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width

    def forward(self, img):
        top, left, height, width = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, top, left, height, width, self.size, self.interpolation,
                              antialias=self.antialias)

    def __repr__(self):
        return (f"{type(self).__name__}(size={self.size}"
                f", scale={tuple(round(s, 4) for s in self.scale)}"
                f", ratio={tuple(round(r, 4) for r in self.ratio)}"
                f", interpolation={self.interpolation.value}, antialias={self.antialias})")


class RandomRotation(Module):
    """Rotate by an angle drawn uniformly from degrees ((low, high), or d for (-d, d));
    see rotate for interpolation, expand, center and fill."""

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
                 fill=0):
        super().__init__()
        self.interpolation = interpolation_mode(interpolation)
        self.degrees = _setup_angle(degrees, name="degrees", req_sizes=(2,))
        if center is not None:
            _check_sequence_input(center, "center", req_sizes=(2,))
        self.center = center
        self.expand = expand
        if fill is None:
            fill = 0
        elif not isinstance(fill, (Sequence, numbers.Number)):
            raise errors.fill_not_sequence_or_number()
        self.fill = fill

    @staticmethod
    def get_params(degrees):
        """The angle, uniform in [degrees[0], degrees[1])."""
        return float(_uniform(float(degrees[0]), float(degrees[1])))

    def forward(self, img):
        fill = self.fill
        channels = F.get_dimensions(img)[0]
        if isinstance(img, Tensor):
            fill = ([float(fill)] * channels if isinstance(fill, (int, float))
                    else [float(f) for f in fill])
        angle = self.get_params(self.degrees)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, fill)

    def __repr__(self):
        text = (f"{type(self).__name__}(degrees={self.degrees}, "
                f"interpolation={self.interpolation.value}, expand={self.expand}")
        if self.center is not None:
            text += f", center={self.center}"
        if self.fill is not None:
            text += f", fill={self.fill}"
        return text + ")"


# ---- colour -------------------------------------------------------------------------------

class ColorJitter(Module):
    """Change brightness, contrast, saturation and hue by random factors, in a random
    order. Each argument is a range (low, high) to draw the factor from, or a number x for
    [max(0, 1 - x), 1 + x] ([-x, x] for hue); 0 leaves that property alone."""

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self.brightness = self._check_input(brightness, "brightness")
        self.contrast = self._check_input(contrast, "contrast")
        self.saturation = self._check_input(saturation, "saturation")
        self.hue = self._check_input(hue, "hue", center=0, bound=(-0.5, 0.5),
                                     clip_first_on_zero=False)

    def _check_input(self, value, name, center=1, bound=(0, float("inf")), clip_first_on_zero=True):
        """value as a range (low, high) within bound, or None when it changes nothing."""
        if isinstance(value, numbers.Number):
            if value < 0:
                raise errors.single_number_negative(name)
            value = [center - float(value), center + float(value)]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            value = [float(value[0]), float(value[1])]
        else:
            raise errors.jitter_not_number_or_pair(name)
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise errors.jitter_out_of_bounds(name, bound, value)
        if value[0] == value[1] == center:
            return None
        return tuple(value)

    @staticmethod
    def get_params(brightness, contrast, saturation, hue):
        """The order of the four adjustments (a permutation of 0..3) and each factor (None
        for those turned off)."""
        order = randperm(4)
        factors = [None if bounds is None else float(_uniform(bounds[0], bounds[1]))
                   for bounds in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def forward(self, img):
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        adjustments = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for index in order.tolist():
            if factors[index] is not None:
                img = adjustments[index](img, factors[index])
        return img

    def __repr__(self):
        return (f"{type(self).__name__}(brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue})")


class Grayscale(Module):
    """Convert to gray (luma), with 1 or 3 (equal) output channels; see rgb_to_grayscale."""

    def __init__(self, num_output_channels=1):
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img):
        return F.rgb_to_grayscale(img, num_output_channels=self.num_output_channels)

    def __repr__(self):
        return f"{type(self).__name__}(num_output_channels={self.num_output_channels})"
