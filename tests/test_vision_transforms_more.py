"""The flips, crops, rotations, colour changes and conversions of transforms and
transforms.functional against torchvision's, on PIL images and on tensors.

What is deterministic is compared with torchvision's output on the same input: the
functional forms (hflip, rotate at an angle, adjust_brightness at a factor, ...), with
gradients through float tensors, and each random transform at the parameters it drew
(get_params under a seed, then the same seed through the transform, against
torchvision's functional at those parameters). What is random is checked for being
driven by minitorch.manual_seed (same seed, same output) and for its distribution
(tests/distribution.py), since minitorch's streams are not torch's.
"""
import warnings

import numpy as np
import pytest
import torch
import torchvision.transforms as tv_transforms
import torchvision.transforms.functional as tv_functional
from hypothesis import given, settings, strategies as st
from PIL import Image

import minitorch
import minitorch.vision.transforms as mt_transforms
import minitorch.vision.transforms.functional as mt_functional
from distribution import assert_follows, assert_uniform
from parity import assert_close, check, same_error

TRANSFORMS = {minitorch: mt_transforms, torch: tv_transforms}
FUNCTIONAL = {minitorch: mt_functional, torch: tv_functional}
RNG = np.random.default_rng(0)
sides = st.integers(1, 9)


def pil_image(mode, height=6, width=7, seed=0):
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    return Image.fromarray(pixels).convert(mode)


def assert_same_pil(ours, theirs):
    assert isinstance(ours, Image.Image)
    assert (ours.mode, ours.size) == (theirs.mode, theirs.size)
    assert np.array_equal(np.asarray(ours), np.asarray(theirs))


def image_array(shape, dtype, seed=0):
    """Random pixels: floats in [0, 1], integers over the uint8 range."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.random(shape).astype(dtype)
    return rng.integers(0, 256, shape).astype(dtype)


def both(array):
    return minitorch.from_numpy(array.copy()), torch.from_numpy(array.copy())


def assert_integer_close(ours, theirs, share=0.0):
    """Same dtype and shape; values at most 1 apart, in at most `share` of the pixels
    (torch's float32 sums may round or truncate to the other side)."""
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    difference = np.abs(ours.numpy().astype(np.int64) - theirs.numpy().astype(np.int64))
    assert difference.max(initial=0) <= 1
    assert np.count_nonzero(difference) <= share * difference.size


image_shapes = st.tuples(st.sampled_from([(3,), (1,), (2, 3)]), sides, sides).map(
    lambda s: (*s[0], *s[1:]))


# ---- flips --------------------------------------------------------------------------------

@given(shape=st.tuples(st.sampled_from([(), (3,), (2, 1)]), sides, sides),
       dtype=st.sampled_from([np.float64, np.float32]), layout=st.booleans())
@settings(max_examples=15)
def test_flips_of_tensors_and_gradients(shape, dtype, layout):
    shape = (*shape[0], *shape[1:])
    array = image_array(shape, dtype)
    if layout:
        array = np.ascontiguousarray(np.swapaxes(array, -1, -2)).swapaxes(-1, -2)
    for name in ("hflip", "vflip"):
        check(lambda lib, x: getattr(FUNCTIONAL[lib], name)(x), array)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "F", "I", "P", "1"])
def test_flips_of_pil_images(mode):
    img = pil_image(mode)
    for name in ("hflip", "vflip"):
        assert_same_pil(getattr(mt_functional, name)(img), getattr(tv_functional, name)(img))
    assert_same_pil(mt_transforms.RandomHorizontalFlip(1.0)(img), tv_functional.hflip(img))
    assert mt_transforms.RandomVerticalFlip(0.0)(img) is img


@pytest.mark.parametrize("flip, name", [("RandomHorizontalFlip", "hflip"),
                                        ("RandomVerticalFlip", "vflip")])
def test_random_flips_follow_p_and_the_seed(flip, name):
    x = minitorch.arange(12.0).view(1, 3, 4)
    flipped = getattr(mt_functional, name)(x)
    for p in (0.3, 0.5):
        transform = getattr(mt_transforms, flip)(p)
        minitorch.manual_seed(5)
        outcomes = []
        for _ in range(2000):
            out = transform(x)
            assert minitorch.equal(out, flipped) or out is x
            outcomes.append(out is not x)
        assert_follows([sum(outcomes), len(outcomes) - sum(outcomes)], [p, 1 - p])
        minitorch.manual_seed(5)
        assert [transform(x) is not x for _ in range(2000)] == outcomes


def test_flip_errors():
    for name in ("hflip", "vflip"):
        same_error(lambda lib: getattr(FUNCTIONAL[lib], name)(lib.zeros(3)))
        same_error(lambda lib: getattr(FUNCTIONAL[lib], name)(np.zeros((3, 3))))


# ---- RandomCrop and RandomResizedCrop ------------------------------------------------------

crop_paddings = st.one_of(st.none(), st.integers(0, 3), st.tuples(st.integers(0, 3), st.integers(0, 3)),
                          st.tuples(*[st.integers(0, 3)] * 4))


def crop_at_seed(transform, lib_img, seed):
    """The transform's output and the (top, left, height, width) it drew, under seed
    (get_params needs only the size of the image padded as the transform pads it)."""
    minitorch.manual_seed(seed)
    padded = lib_img if transform.padding is None else mt_functional.pad(
        lib_img, transform.padding, transform.fill, transform.padding_mode)
    _, height, width = mt_functional.get_dimensions(padded)
    if transform.pad_if_needed:
        padded = mt_functional.pad(padded, [max(transform.size[1] - width, 0),
                                            max(transform.size[0] - height, 0)],
                                   transform.fill, transform.padding_mode)
    box = transform.get_params(padded, transform.size)
    minitorch.manual_seed(seed)
    return transform(lib_img), box


@given(h=sides, w=sides, size=st.one_of(st.integers(1, 8), st.tuples(st.integers(1, 8), st.integers(1, 8))),
       padding=crop_paddings, pad_if_needed=st.booleans(),
       padding_mode=st.sampled_from(["constant", "edge", "reflect", "symmetric"]), seed=st.integers(0, 99))
@settings(max_examples=30)
def test_random_crop_is_torchvisions_crop_at_its_box(h, w, size, padding, pad_if_needed, padding_mode, seed):
    array = image_array((3, h, w), np.float64, seed)
    img = Image.fromarray((array.transpose(1, 2, 0) * 255).astype(np.uint8))
    kwargs = dict(padding=padding, pad_if_needed=pad_if_needed, fill=0.5, padding_mode=padding_mode)

    def theirs(tv_img, box):
        if padding is not None:
            tv_img = tv_functional.pad(tv_img, padding, kwargs["fill"], padding_mode)
        _, height, width = tv_functional.get_dimensions(tv_img)
        if pad_if_needed and width < ours_transform.size[1]:
            tv_img = tv_functional.pad(tv_img, [ours_transform.size[1] - width, 0], kwargs["fill"], padding_mode)
        if pad_if_needed and height < ours_transform.size[0]:
            tv_img = tv_functional.pad(tv_img, [0, ours_transform.size[0] - height], kwargs["fill"], padding_mode)
        return tv_functional.crop(tv_img, *box)

    ours_transform = mt_transforms.RandomCrop(size, **kwargs)
    assert repr(ours_transform) == repr(tv_transforms.RandomCrop(size, **kwargs))
    try:
        tv_transforms.RandomCrop(size, **kwargs)(torch.from_numpy(array))
    except (ValueError, RuntimeError, IndexError):   # too small, or padding that torch refuses
        same_error(lambda lib: TRANSFORMS[lib].RandomCrop(size, **kwargs)(lib.from_numpy(array.copy())))
        return
    ours, box = crop_at_seed(ours_transform, minitorch.from_numpy(array.copy()), seed)
    assert_close(ours, theirs(torch.from_numpy(array.copy()), box))
    ours_pil, box = crop_at_seed(ours_transform, img, seed)
    assert_same_pil(ours_pil, theirs(img, box))


def test_random_crop_places_are_uniform_and_seeded():
    x = minitorch.zeros(1, 6, 9)
    transform = mt_transforms.RandomCrop((4, 5))
    minitorch.manual_seed(0)
    boxes = np.array([transform.get_params(x, (4, 5)) for _ in range(3000)])
    assert_follows(np.bincount(boxes[:, 0], minlength=3), np.ones(3))      # top in 0..2
    assert_follows(np.bincount(boxes[:, 1], minlength=5), np.ones(5))      # left in 0..4
    assert (boxes[:, 2:] == (4, 5)).all()
    assert transform.get_params(x, (6, 9)) == (0, 0, 6, 9)
    img = minitorch.rand(3, 10, 10)
    minitorch.manual_seed(1)
    first = [transform(img) for _ in range(5)]
    minitorch.manual_seed(1)
    assert all(minitorch.equal(a, transform(img)) for a in first)


@given(h=st.integers(1, 30), w=st.integers(1, 30), seed=st.integers(0, 999),
       scale=st.sampled_from([(0.08, 1.0), (0.5, 0.9), (1.0, 1.0)]),
       ratio=st.sampled_from([(3 / 4, 4 / 3), (1.0, 1.0), (0.2, 5.0)]),
       mode=st.sampled_from(["NEAREST", "BILINEAR", "BICUBIC"]), antialias=st.booleans())
@settings(max_examples=25)
def test_random_resized_crop_is_torchvisions_resized_crop_at_its_box(h, w, seed, scale, ratio, mode, antialias):
    array = image_array((3, h, w), np.float32, seed)
    img = Image.fromarray((array.transpose(1, 2, 0) * 255).astype(np.uint8))
    ours_transform = mt_transforms.RandomResizedCrop(
        (5, 6), scale, ratio, mt_transforms.InterpolationMode[mode], antialias)
    for ours_img, their_img in [both(array), (img, img)]:
        minitorch.manual_seed(seed)
        top, left, height, width = ours_transform.get_params(ours_img, scale, ratio)
        assert 0 <= top <= h - height and 0 <= left <= w - width and height > 0 and width > 0
        minitorch.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # antialias=False on PIL images
            ours = ours_transform(ours_img)
            theirs = tv_functional.resized_crop(their_img, top, left, height, width, [5, 6],
                                                tv_functional.InterpolationMode[mode], antialias=antialias)
        if isinstance(theirs, torch.Tensor):
            assert_close(ours, theirs)
        else:
            assert_same_pil(ours, theirs)


def test_random_resized_crop_area_and_ratio():
    """Windows that fit on the first try: area uniform over scale, log-ratio uniform."""
    img = minitorch.zeros(1, 400, 400)
    minitorch.manual_seed(2)
    boxes = np.array([mt_transforms.RandomResizedCrop.get_params(img, (0.1, 0.3), (0.5, 2.0))
                      for _ in range(2000)])
    area = boxes[:, 2] * boxes[:, 3] / 160000
    # sides rounded to whole pixels move the area and the ratio a little
    assert_uniform(area, 0.1, 0.3, tolerance=0.005)
    assert_uniform(np.log(boxes[:, 3] / boxes[:, 2]), np.log(0.5), np.log(2.0), tolerance=0.05)


@pytest.mark.parametrize("h, w, ratio", [(10, 40, (0.5, 2.0)), (40, 10, (0.5, 2.0)), (20, 25, (0.5, 2.0)),
                                         (7, 3, (3 / 4, 4 / 3))])
def test_random_resized_crop_falls_back_to_the_middle(h, w, ratio):
    """A scale no window can reach: the deterministic fallback, torchvision's exactly."""
    for lib in (minitorch, torch):
        lib.manual_seed(0)
    ours = mt_transforms.RandomResizedCrop.get_params(minitorch.zeros(1, h, w), (5.0, 6.0), ratio)
    theirs = tv_transforms.RandomResizedCrop.get_params(torch.zeros(1, h, w), (5.0, 6.0), ratio)
    assert ours == theirs


def test_random_resized_crop_warning_and_errors():
    with pytest.warns(UserWarning, match=r"Scale and ratio should be of kind \(min, max\)"):
        mt_transforms.RandomResizedCrop(4, scale=(1.0, 0.5))
    same_error(lambda lib: TRANSFORMS[lib].RandomResizedCrop(4, scale=0.5))
    same_error(lambda lib: TRANSFORMS[lib].RandomResizedCrop(4, ratio=1.0))
    same_error(lambda lib: TRANSFORMS[lib].RandomResizedCrop((1, 2, 3)))
    same_error(lambda lib: TRANSFORMS[lib].RandomCrop((1, 2, 3)))
    same_error(lambda lib: TRANSFORMS[lib].RandomCrop(5)(lib.zeros(1, 4, 6)))
    same_error(lambda lib: TRANSFORMS[lib].RandomCrop(3, padding=(1, 2, 3))(lib.zeros(1, 4, 6)))


# ---- rotation -----------------------------------------------------------------------------

angles = st.one_of(st.sampled_from([0.0, 90.0, -90.0, 180.0, 45.0, 360.0]),
                   st.floats(-400, 400, allow_nan=False))
centers = st.one_of(st.none(), st.tuples(st.integers(-2, 8), st.integers(-2, 8)))


@given(shape=st.tuples(st.sampled_from([(3,), (1,), (2, 3)]), sides, sides), angle=angles,
       mode=st.sampled_from(["NEAREST", "BILINEAR"]), expand=st.booleans(), center=centers,
       fill=st.sampled_from([None, 0.0, [0.25], "per channel"]),
       dtype=st.sampled_from([np.float64, np.float32]))
@settings(max_examples=40)
def test_rotate_tensor_and_gradient(shape, angle, mode, expand, center, fill, dtype):
    shape = (*shape[0], *shape[1:])
    if fill == "per channel":
        fill = [0.1 * (c + 1) for c in range(shape[-3])]

    def run(lib, x):
        F = FUNCTIONAL[lib]
        return F.rotate(x, angle, F.InterpolationMode[mode], expand, center, fill)
    check(run, image_array(shape, dtype))


@given(shape=image_shapes, angle=angles, mode=st.sampled_from(["NEAREST", "BILINEAR"]),
       expand=st.booleans(), center=centers, dtype=st.sampled_from([np.uint8, np.int32]))
@settings(max_examples=25)
def test_rotate_integer_tensor(shape, angle, mode, expand, center, dtype):
    """Integer images are rotated in float32 and rounded back: bit for bit torchvision's."""
    def run(lib, x):
        F = FUNCTIONAL[lib]
        return F.rotate(x, angle, F.InterpolationMode[mode], expand, center, [7.0] * shape[-3])
    ours, theirs = (run(lib, x) for lib, x in zip((minitorch, torch), both(image_array(shape, dtype))))
    assert_close(ours, theirs)


@given(mode=st.sampled_from(["L", "RGB", "RGBA", "F", "I", "1"]), angle=angles,
       interpolation=st.sampled_from(["NEAREST", "BILINEAR", "BICUBIC"]), expand=st.booleans(),
       center=centers, fill=st.sampled_from([None, 0, 120, (10, 200, 30, 255)]))
@settings(max_examples=25)
def test_rotate_pil(mode, angle, interpolation, expand, center, fill):
    img = pil_image(mode)
    if isinstance(fill, tuple):
        fill = fill[:len(img.getbands())]

    def run(lib):
        F = FUNCTIONAL[lib]
        return F.rotate(img, angle, F.InterpolationMode[interpolation], expand, center, fill)
    assert_same_pil(run(minitorch), run(torch))


@pytest.mark.parametrize("expand, center, fill", [(False, None, 0), (True, [1, 2], (0.5, 1.0, 0.0)),
                                                  (False, (3, 3), [1.0])])
def test_random_rotation_is_torchvisions_rotate_at_its_angle(expand, center, fill):
    array = image_array((3, 8, 9), np.float32)
    ours_transform = mt_transforms.RandomRotation((-30, 60), mt_transforms.InterpolationMode.BILINEAR,
                                                  expand, center, fill)
    tensor_fill = [float(fill)] * 3 if isinstance(fill, (int, float)) else [float(f) for f in fill]
    for seed in range(5):
        minitorch.manual_seed(seed)
        angle = ours_transform.get_params(ours_transform.degrees)
        assert -30 <= angle <= 60
        minitorch.manual_seed(seed)
        ours = ours_transform(minitorch.from_numpy(array.copy()))
        theirs = tv_functional.rotate(torch.from_numpy(array.copy()), angle,
                                      tv_functional.InterpolationMode.BILINEAR, expand, center, tensor_fill)
        assert_close(ours, theirs)
    img = pil_image("RGB", 8, 9)
    pil_fill = 0 if isinstance(fill, (int, float)) else [int(f * 255) for f in fill]
    pil_transform = mt_transforms.RandomRotation(45, expand=expand, center=center, fill=pil_fill)
    minitorch.manual_seed(3)
    angle = pil_transform.get_params(pil_transform.degrees)
    minitorch.manual_seed(3)
    assert_same_pil(pil_transform(img), tv_functional.rotate(img, angle, expand=expand, center=center,
                                                             fill=pil_fill))


def test_random_rotation_angles_are_uniform():
    minitorch.manual_seed(0)
    transform = mt_transforms.RandomRotation(30)
    assert transform.degrees == [-30.0, 30.0]
    assert_uniform([transform.get_params(transform.degrees) for _ in range(3000)], -30, 30)


def test_rotation_reprs_and_errors():
    def reprs(lib):
        T = TRANSFORMS[lib]
        return [repr(T.RandomRotation(10)), repr(T.RandomRotation((5, 20.5), T.InterpolationMode.BILINEAR,
                                                                  True, [1, 2], (1, 2, 3))),
                repr(T.RandomRotation([-3, 3], 2, fill=None))]
    assert reprs(minitorch) == reprs(torch)
    T = TRANSFORMS
    same_error(lambda lib: T[lib].RandomRotation(-1))
    same_error(lambda lib: T[lib].RandomRotation((1, 2, 3)))
    same_error(lambda lib: T[lib].RandomRotation("ab"))
    same_error(lambda lib: T[lib].RandomRotation({1: 2}))
    same_error(lambda lib: T[lib].RandomRotation(5, center=1))
    same_error(lambda lib: T[lib].RandomRotation(5, center=(1, 2, 3)))
    same_error(lambda lib: T[lib].RandomRotation(5, fill={"red": 1}))
    F = FUNCTIONAL
    same_error(lambda lib: F[lib].rotate(lib.zeros(1, 3, 3), "10"))
    same_error(lambda lib: F[lib].rotate(lib.zeros(1, 3, 3), 10, center=1))
    same_error(lambda lib: F[lib].rotate(lib.zeros(1, 3, 3), 10, interpolation="bilinear"))
    same_error(lambda lib: F[lib].rotate(lib.zeros(1, 3, 3), 10, F[lib].InterpolationMode.BICUBIC))
    same_error(lambda lib: F[lib].rotate(lib.zeros(3, 3, 3), 10, fill=[1.0, 2.0]))
    same_error(lambda lib: F[lib].rotate(lib.zeros(3), 10))
    same_error(lambda lib: F[lib].rotate(pil_image("RGB"), 10, fill=(1, 2)))
    same_error(lambda lib: F[lib].rotate(np.zeros((3, 3)), 10))


# ---- colour -------------------------------------------------------------------------------

COLOUR = ["adjust_brightness", "adjust_contrast", "adjust_saturation"]


@given(shape=st.tuples(st.sampled_from([(3,), (1,), (2, 3)]), sides, sides),
       name=st.sampled_from(COLOUR + ["adjust_hue", "rgb_to_grayscale"]), factor=st.floats(0, 2.5),
       hue=st.floats(-0.5, 0.5), dtype=st.sampled_from([np.float64, np.float32]))
@settings(max_examples=40)
def test_colour_of_float_tensors_and_gradients(shape, name, factor, hue, dtype):
    shape = (*shape[0], *shape[1:])
    argument = {"adjust_hue": hue, "rgb_to_grayscale": 3 if factor > 1 else 1}.get(name, factor)
    # hue is turned in float32 whatever the image's type (as torchvision), so float32's tolerance
    check(lambda lib, x: getattr(FUNCTIONAL[lib], name)(x, argument), image_array(shape, dtype),
          rtol=1e-5 if name == "adjust_hue" else None)


@pytest.mark.parametrize("name", COLOUR + ["adjust_hue", "rgb_to_grayscale"])
def test_colour_of_uint8_tensors(name):
    """uint8 images go through float32 and are truncated back, as torchvision's: equal but
    where torch's float32 sum lands on the other side of an integer."""
    array = image_array((2, 3, 16, 16), np.uint8, 1)
    arguments = {"adjust_hue": [-0.5, -0.21, 0.0, 0.13, 0.5], "rgb_to_grayscale": [1, 3]}
    for argument in arguments.get(name, [0.0, 0.3, 1.0, 1.7]):
        ours, theirs = (getattr(FUNCTIONAL[lib], name)(x, argument)
                        for lib, x in zip((minitorch, torch), both(array)))
        assert_integer_close(ours, theirs, share=0.002)


@given(mode=st.sampled_from(["L", "RGB", "RGBA", "P"]), factor=st.floats(0, 2.5), hue=st.floats(-0.5, 0.5))
@settings(max_examples=20)
def test_colour_of_pil_images(mode, factor, hue):
    img = pil_image(mode)
    for name in COLOUR:
        if mode != "P":
            assert_same_pil(getattr(mt_functional, name)(img, factor), getattr(tv_functional, name)(img, factor))
    if mode != "RGBA":
        assert_same_pil(mt_functional.adjust_hue(img, hue), tv_functional.adjust_hue(img, hue))


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "1", "I", "F"])
@pytest.mark.parametrize("channels", [1, 3])
def test_grayscale_of_pil_images(mode, channels):
    img = pil_image(mode)
    assert_same_pil(mt_transforms.Grayscale(channels)(img), tv_transforms.Grayscale(channels)(img))
    assert_same_pil(mt_functional.to_grayscale(img, channels), tv_functional.to_grayscale(img, channels))


def test_grayscale_of_tensors_is_an_expanded_view():
    x = minitorch.rand(3, 4, 5)
    gray = mt_transforms.Grayscale(3)(x)
    theirs = tv_transforms.Grayscale(3)(torch.from_numpy(x.numpy().copy()))
    assert_close(gray, theirs)
    assert gray.stride() == theirs.stride()


def jitter_at_seed(transform, img, seed):
    """transform(img) under seed, and the same adjustments done by torchvision's functions
    in the order and with the factors transform.get_params drew under that seed."""
    minitorch.manual_seed(seed)
    order, *factors = transform.get_params(transform.brightness, transform.contrast,
                                           transform.saturation, transform.hue)
    minitorch.manual_seed(seed)
    ours = transform(img)
    theirs = img if isinstance(img, Image.Image) else torch.from_numpy(img.numpy().copy())
    functions = [tv_functional.adjust_brightness, tv_functional.adjust_contrast,
                 tv_functional.adjust_saturation, tv_functional.adjust_hue]
    for index in order.tolist():
        if factors[index] is not None:
            theirs = functions[index](theirs, factors[index])
    return ours, theirs, order, factors


@pytest.mark.parametrize("arguments", [(0.4, 0.4, 0.4, 0.1), (0.5, 0, 0, 0), (0, 0, 0, 0.5),
                                       ((0.5, 1.5), [0.2, 1.0], 2, (-0.2, 0.3))])
def test_color_jitter_is_torchvisions_adjustments_at_its_factors(arguments):
    transform = mt_transforms.ColorJitter(*arguments)
    assert repr(transform) == repr(tv_transforms.ColorJitter(*arguments))
    for seed in range(4):
        ours, theirs, _, _ = jitter_at_seed(transform, minitorch.rand(3, 6, 7), seed)
        assert_close(ours, theirs)
        ours, theirs, _, _ = jitter_at_seed(transform, pil_image("RGB"), seed)
        assert_same_pil(ours, theirs)


def test_color_jitter_factors_and_order_are_uniform():
    transform = mt_transforms.ColorJitter(0.5, (0.2, 0.9), 0, 0.25)
    assert transform.saturation is None
    minitorch.manual_seed(0)
    draws = [transform.get_params(transform.brightness, transform.contrast, transform.saturation,
                                  transform.hue) for _ in range(3000)]
    assert_uniform([d[1] for d in draws], 0.5, 1.5)
    assert_uniform([d[2] for d in draws], 0.2, 0.9)
    assert all(d[3] is None for d in draws)
    assert_uniform([d[4] for d in draws], -0.25, 0.25)
    firsts = [d[0].tolist()[0] for d in draws]
    assert_follows(np.bincount(firsts, minlength=4), np.ones(4))
    assert all(sorted(d[0].tolist()) == [0, 1, 2, 3] for d in draws)


def test_colour_errors():
    F, T = FUNCTIONAL, TRANSFORMS
    for name in COLOUR:
        same_error(lambda lib: getattr(F[lib], name)(lib.zeros(3, 2, 2), -0.5))
        same_error(lambda lib: getattr(F[lib], name)(lib.zeros(4, 2, 2), 0.5))
        same_error(lambda lib: getattr(F[lib], name)(lib.zeros(2), 0.5))
        same_error(lambda lib: getattr(F[lib], name)(np.zeros((2, 2)), 0.5))
    same_error(lambda lib: F[lib].adjust_hue(lib.zeros(3, 2, 2), 0.6))
    same_error(lambda lib: F[lib].adjust_hue(pil_image("RGB"), -0.7))
    same_error(lambda lib: F[lib].adjust_hue(lib.zeros(2, 2, 2), 0.1))
    same_error(lambda lib: F[lib].rgb_to_grayscale(lib.zeros(2, 2)))
    same_error(lambda lib: F[lib].rgb_to_grayscale(lib.zeros(2, 2, 2)))
    same_error(lambda lib: F[lib].rgb_to_grayscale(lib.zeros(3, 2, 2), 2))
    same_error(lambda lib: F[lib].rgb_to_grayscale(pil_image("RGB"), 2))
    same_error(lambda lib: F[lib].to_grayscale(lib.zeros(3, 2, 2)))
    for value in (-0.1, (0.5,), "a", (2.0, 1.0), (-1.0, 1.0)):
        same_error(lambda lib: T[lib].ColorJitter(brightness=value))
    for value in (0.6, (-0.6, 0.1), (0.2, 0.1), -0.1):
        same_error(lambda lib: T[lib].ColorJitter(hue=value))


# ---- conversions --------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "CMYK", "YCbCr", "HSV", "P", "1", "I", "F",
                                  "I;16"])
def test_pil_to_tensor(mode):
    img = pil_image(mode)
    theirs = tv_transforms.PILToTensor()(img)
    if mode == "I;16":
        # minitorch has no uint16: torchvision's dtype for these, minitorch says so
        with pytest.raises(TypeError, match="minitorch has no dtype for numpy's uint16"):
            mt_transforms.PILToTensor()(img)
        return
    ours = mt_transforms.PILToTensor()(img)
    assert_close(ours, theirs)
    assert ours.stride() == theirs.stride() and ours.is_contiguous() == theirs.is_contiguous()


@pytest.mark.parametrize("shape", [(1, 4, 5), (2, 4, 5), (3, 4, 5), (4, 4, 5), (4, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8, np.int16, np.int32])
def test_to_pil_image_without_a_mode(shape, dtype):
    array = image_array(shape, dtype)
    for pic in (array, array.transpose(1, 2, 0).copy() if array.ndim == 3 else array):
        ours_in = minitorch.from_numpy(pic.copy()) if pic is array else pic
        theirs_in = torch.from_numpy(pic.copy()) if pic is array else pic
        try:
            theirs = tv_transforms.ToPILImage()(theirs_in)
        except (TypeError, ValueError):
            same_error(lambda lib: TRANSFORMS[lib].ToPILImage()(ours_in if lib is minitorch else theirs_in))
            continue
        assert_same_pil(mt_transforms.ToPILImage()(ours_in), theirs)


@pytest.mark.parametrize("channels, mode", [(1, "L"), (1, "F"), (2, "LA"), (3, "RGB"), (3, "YCbCr"),
                                            (3, "HSV"), (4, "RGBA"), (4, "CMYK"), (4, "RGBX"),
                                            (3, "RGBA"), (1, "I"), (2, "L")])
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_to_pil_image_with_a_mode(channels, mode, dtype):
    array = image_array((channels, 3, 4), dtype)

    def run(lib):
        return TRANSFORMS[lib].ToPILImage(mode)(lib.from_numpy(array.copy()))
    try:
        theirs = run(torch)
    except (TypeError, ValueError):
        same_error(run)
        return
    assert_same_pil(run(minitorch), theirs)
    assert repr(mt_transforms.ToPILImage(mode)) == repr(tv_transforms.ToPILImage(mode))


def test_to_pil_image_of_a_tensor_that_requires_grad():
    x = minitorch.rand(3, 4, 5, requires_grad=True)
    theirs = tv_functional.to_pil_image(torch.from_numpy(x.detach().numpy().copy()).requires_grad_())
    assert_same_pil(mt_functional.to_pil_image(x), theirs)


def test_conversion_errors():
    F = FUNCTIONAL
    same_error(lambda lib: F[lib].to_pil_image([1, 2]))
    same_error(lambda lib: F[lib].to_pil_image(lib.zeros(1, 1, 2, 2)))
    same_error(lambda lib: F[lib].to_pil_image(lib.zeros(5, 2, 2)))
    same_error(lambda lib: F[lib].to_pil_image(np.zeros((2, 2), np.int64)))
    same_error(lambda lib: F[lib].pil_to_tensor(np.zeros((2, 2), np.uint8)))
    same_error(lambda lib: F[lib].convert_image_dtype(np.zeros((2, 2))))
    same_error(lambda lib: F[lib].convert_image_dtype(lib.zeros(1, 2, 2), lib.int32))
    same_error(lambda lib: F[lib].convert_image_dtype(lib.zeros(1, 2, 2), lib.int64))
    same_error(lambda lib: F[lib].convert_image_dtype(lib.zeros(1, 2, 2, dtype=lib.float64), lib.int64))


DTYPES = ["float32", "float64", "uint8", "int8", "int16", "int32", "int64"]


@pytest.mark.parametrize("source", DTYPES)
@pytest.mark.parametrize("target", DTYPES)
def test_convert_image_dtype(source, target):
    """Every pair of dtypes, on values spanning the source's range (both ends included)."""
    info = np.finfo(source) if source.startswith("float") else np.iinfo(source)
    if source.startswith("float"):
        array = np.linspace(0, 1, 11).astype(source)
    else:
        array = np.unique(np.linspace(0, info.max, 11).astype(source))

    def run(lib):
        return TRANSFORMS[lib].ConvertImageDtype(getattr(lib, target))(lib.from_numpy(array.copy()))
    try:
        theirs = run(torch)
    except RuntimeError:
        same_error(run)
        return
    assert_close(run(minitorch), theirs)
    assert repr(mt_transforms.ConvertImageDtype(minitorch.float32)) == "ConvertImageDtype()"


def test_convert_image_dtype_keeps_the_graph():
    check(lambda lib, x: FUNCTIONAL[lib].convert_image_dtype(x, lib.float32), image_array((2, 3), np.float64))
    x = minitorch.rand(2, 2)
    assert mt_functional.convert_image_dtype(x, minitorch.float32) is x


# ---- printed forms and the seed's behaviour -------------------------------------------------

def test_reprs_of_the_new_transforms():
    def pipeline(lib):
        T = TRANSFORMS[lib]
        return T.Compose([T.RandomHorizontalFlip(), T.RandomVerticalFlip(0.25), T.RandomCrop(32, padding=4),
                          T.RandomCrop((3, 4), (1, 2), True, 1, "edge"), T.RandomResizedCrop(8),
                          T.RandomResizedCrop((4, 5), (0.3, 0.75), (1 / 3, 3.0), T.InterpolationMode.NEAREST,
                                              False),
                          T.RandomRotation(15), T.ColorJitter(), T.ColorJitter(0.1, 0.2, 0.3, 0.4),
                          T.Grayscale(), T.Grayscale(3), T.ToPILImage(), T.ToPILImage("RGB"), T.PILToTensor(),
                          T.ConvertImageDtype(lib.float64), T.ToTensor()])
    assert repr(pipeline(minitorch)) == repr(pipeline(torch))


def test_augmentation_pipeline_repeats_with_the_seed():
    """A whole augmentation pipeline on a PIL image: the same seed gives the same tensor."""
    T = mt_transforms
    pipeline = T.Compose([T.RandomResizedCrop(12), T.RandomHorizontalFlip(), T.RandomRotation(20),
                          T.ColorJitter(0.3, 0.3, 0.3, 0.05), T.ToTensor()])
    img = pil_image("RGB", 20, 24)
    minitorch.manual_seed(9)
    first = [pipeline(img) for _ in range(3)]
    minitorch.manual_seed(9)
    second = [pipeline(img) for _ in range(3)]
    assert all(minitorch.equal(a, b) for a, b in zip(first, second))
    assert not minitorch.equal(first[0], first[1])
