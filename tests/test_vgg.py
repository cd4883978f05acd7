"""minitorch.vision.models' VGGs against torchvision's.

- The models, all eight (vgg11/13/16/19 and their _bn variants): print(model), state_dict
  names / shapes / dtypes, parameter count, builder options (num_classes, dropout).
- Default init (torchvision's: kaiming_normal_ fan_out convolutions, normal(0, 0.01)
  Linears, zero biases) and forward + backward from copied weights in train and eval mode,
  float64, on vgg11 with 10 classes at batch 1, 3x32x32.
- The weights enums (IMAGENET1K_V1 for each, IMAGENET1K_FEATURES for vgg16), `weights=` in
  its forms and the legacy `pretrained=`, with torchvision's warnings and errors.
Loading a weight file from the cache is the "Save and Load the Model" tutorial's first
cell (tests/test_tutorials.py), on vgg16's file name.

VGGs are large (132-144 M parameters, the classifier's first Linear alone 103 M), so
torchvision's models are made on the meta device (no memory, no init) wherever only their
layout is compared, and minitorch's with init_weights=False there (init is checked once).
"""
import copy
import math
import pickle
import warnings
from urllib.error import URLError

import numpy as np
import pytest
import torch
import torchvision.models

import minitorch
import minitorch.vision.models
from parity import assert_close, same_error, torch_name
from reference.transfer import check_same_layout, copy_weights
from test_resnet import network, same_state, torch_home, warnings_of  # noqa: F401 - fixtures

MODELS = {minitorch: minitorch.vision.models, torch: torchvision.models}
VARIANTS = ["vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]


def torchvisions_on_meta(arch, **kwargs):
    """torchvision's model, its tensors on the meta device: its layout, without memory."""
    with torch.device("meta"):
        return getattr(torchvision.models, arch)(**kwargs)


# ---- the models: structure -------------------------------------------------------------------

@pytest.mark.parametrize("arch, kwargs", [
    (arch, {"num_classes": 10, "dropout": 0.25} if arch == "vgg13_bn" else {})
    for arch in VARIANTS])
def test_printed_model_and_state_dict_layout_are_torchvisions(arch, kwargs):
    ours = getattr(MODELS[minitorch], arch)(init_weights=False, **kwargs)
    theirs = torchvisions_on_meta(arch, init_weights=False, **kwargs)
    assert repr(ours) == torch_name(repr(theirs))
    check_same_layout(ours.state_dict(), theirs.state_dict())   # names, shapes, dtypes
    assert list(ours.state_dict()) == list(theirs.state_dict())   # and their order
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert ([type(m).__name__ for m in ours.modules()]
            == [type(m).__name__ for m in theirs.modules()])
    assert isinstance(ours, minitorch.vision.models.VGG)


def test_bad_arguments_raise_torchvisions_errors():
    """pretrained=True with weights=None reaches VGG itself, as in torchvision."""
    same_error(lambda lib: MODELS[lib].vgg11(weights=None, pretrained=True))


# ---- the models: init, forward and backward against torchvision ----------------------------

def assert_torchvisions_init(ours, theirs):
    """Random draws differ: each weight's mean and std against torch's, biases exactly
    zero as torch's."""
    ours_state = ours.state_dict()
    for name, value in theirs.state_dict().items():
        a, b = ours_state[name].numpy(), value.numpy()
        if name.endswith("bias"):
            np.testing.assert_array_equal(a, b, err_msg=name)
            assert not b.any(), name
        else:
            a_std, b_std = a.std(dtype=np.float64), b.std(dtype=np.float64)
            assert abs(a_std / b_std - 1) < 0.1, name
            assert abs(a.mean(dtype=np.float64) - b.mean(dtype=np.float64)) < 0.1 * b_std, name
    # convolutions: std sqrt(2 / fan_out), fan_out = out_channels * 3 * 3; Linears 0.01
    conv, linear = ours_state["features.0.weight"], ours_state["classifier.0.weight"]
    assert abs(conv.numpy().std(dtype=np.float64) / math.sqrt(2 / (64 * 9)) - 1) < 0.1
    assert abs(linear.numpy().std(dtype=np.float64) / 0.01 - 1) < 0.01


# The classifier's first two weights (103 M and 17 M numbers) get no gradient here: at
# batch 1 theirs is the outer product of two vectors the test compares already (the
# layer's bias gradient and its input), and 120 M float64 numbers per engine would make
# the test slow and heavy (about 2 GB more). Their forward runs, and the gradient flows
# through them to every other parameter and to the input.
FROZEN = ("classifier.0.weight", "classifier.3.weight")


def test_vgg11_default_init_then_forward_and_backward_in_float64():
    """torchvision's init; then the same weights in both engines, in float64: a forward
    pass and a backward of a random upstream gradient, in train mode (dropout=0: the
    engines' random masks differ) and eval mode. Outputs, the input's gradient and the
    parameters' gradients agree to 1e-9."""
    torch.manual_seed(0)
    minitorch.manual_seed(0)
    theirs = torchvision.models.vgg11(num_classes=10, dropout=0.0)
    ours = minitorch.vision.models.vgg11(num_classes=10, dropout=0.0)
    assert_torchvisions_init(ours, theirs)
    copy_weights(theirs.double(), ours.double())
    for model in (ours, theirs):
        for name, parameter in model.named_parameters():
            parameter.requires_grad_(name not in FROZEN)
    rng = np.random.default_rng(0)
    for mode in ("train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        x = rng.standard_normal((1, 3, 32, 32))
        upstream = rng.standard_normal((1, 10))
        x_ours = minitorch.from_numpy(x.copy()).requires_grad_()
        x_theirs = torch.from_numpy(x.copy()).requires_grad_()
        out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
        assert_close(out_ours, out_theirs, 1e-9, what=f"{mode}: output")
        assert out_ours.grad_fn.name() == out_theirs.grad_fn.name()
        out_ours.backward(minitorch.from_numpy(upstream.copy()))
        out_theirs.backward(torch.from_numpy(upstream.copy()))
        assert_close(x_ours.grad, x_theirs.grad, 1e-9, what=f"{mode}: input grad")
        same_state({n: p.grad for n, p in ours.named_parameters() if n not in FROZEN},
                   {n: p.grad for n, p in theirs.named_parameters() if n not in FROZEN}, 1e-9)
        assert all(dict(ours.named_parameters())[n].grad is None for n in FROZEN)
        ours.zero_grad()
        theirs.zero_grad()


# ---- the weights enums ----------------------------------------------------------------------

ENUMS = ["VGG11_Weights", "VGG11_BN_Weights", "VGG13_Weights", "VGG13_BN_Weights",
         "VGG16_Weights", "VGG16_BN_Weights", "VGG19_Weights", "VGG19_BN_Weights"]


@pytest.mark.parametrize("enum", ENUMS)
def test_weights_enum_members_urls_meta_and_transforms(enum):
    ours, theirs = getattr(MODELS[minitorch], enum), getattr(MODELS[torch], enum)
    assert list(ours.__members__) == list(theirs.__members__)   # DEFAULT included
    for name in theirs.__members__:
        a, b = ours[name], theirs[name]
        assert repr(a) == repr(b) and str(a) == str(b)
        assert a.url == b.url
        # repr: IMAGENET1K_FEATURES' accuracies are nan, which == would call different
        assert repr(a.meta) == repr(b.meta)
        assert repr(a.transforms()) == repr(b.transforms())
        assert a.transforms().describe() == b.transforms().describe()
    assert ours.DEFAULT is ours[theirs.DEFAULT.name]
    assert isinstance(ours.DEFAULT, minitorch.vision.models.WeightsEnum)


def test_weights_deepcopy_and_pickle_as_torchvision():
    """IMAGENET1K_V1 survives both; IMAGENET1K_FEATURES only deepcopy: unpickled, its nan
    accuracies are new floats, != the member's, and Enum finds no member (torchvision too)."""
    for lib in (minitorch, torch):
        weights = MODELS[lib].VGG16_Weights
        assert copy.deepcopy(weights.IMAGENET1K_V1) is weights.IMAGENET1K_V1
        assert pickle.loads(pickle.dumps(weights.IMAGENET1K_V1)) is weights.IMAGENET1K_V1
        assert copy.deepcopy(weights.IMAGENET1K_FEATURES) is weights.IMAGENET1K_FEATURES
        with pytest.raises(ValueError, match="is not a valid VGG16_Weights"):
            pickle.loads(pickle.dumps(weights.IMAGENET1K_FEATURES))


# ---- weights= in all its forms ----------------------------------------------------------------

def test_weights_verify_accepts_members_names_and_none():
    ours, theirs = MODELS[minitorch].VGG16_Weights, MODELS[torch].VGG16_Weights
    for obj in ("DEFAULT", "IMAGENET1K_V1", "IMAGENET1K_FEATURES", "VGG16_Weights.DEFAULT", None):
        assert repr(ours.verify(obj)) == repr(theirs.verify(obj))
    assert ours.verify(ours.DEFAULT) is ours.IMAGENET1K_V1


@pytest.mark.parametrize("make", [
    lambda lib: MODELS[lib].vgg16(weights=MODELS[lib].VGG19_Weights.DEFAULT),
    lambda lib: MODELS[lib].vgg11(weights=MODELS[lib].VGG11_BN_Weights.DEFAULT),
    lambda lib: MODELS[lib].vgg16(weights="DEFAULT", num_classes=10),
    lambda lib: MODELS[lib].vgg19_bn(pretrained=True, num_classes=10),
], ids=["another_models_weights", "bn_weights_for_plain", "num_classes", "pretrained_num_classes"])
def test_wrong_weights_raise_torchvisions_errors(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # pretrained=: compared in the test below
        same_error(make)


def test_unknown_weights_name_is_a_key_error():
    for lib in (minitorch, torch):
        with pytest.raises(KeyError, match="IMAGENET1K_V2"):
            MODELS[lib].vgg16(weights="IMAGENET1K_V2")


@pytest.mark.parametrize("arch, kwargs, file", [
    ("vgg11_bn", {"pretrained": True}, "vgg11_bn-6002323d.pth"),
    ("vgg16", {"weights": "IMAGENET1K_FEATURES", "num_classes": 10},
     "vgg16_features-amdegroot-88682ab5.pth"),
], ids=["legacy_pretrained", "features_weights_leave_num_classes_free"])
def test_absent_weights_asked_for_as_torchvision(arch, kwargs, file, torch_home, network,
                                                capsys):
    """Offline with an empty cache, each engine asks for the same file with the same line
    and the same warnings (pretrained=True means IMAGENET1K_V1); torch lets urllib's error
    through, minitorch says where to put the file. IMAGENET1K_FEATURES has no categories,
    so num_classes is free, as in torchvision (its file's classifier is not trained)."""
    ours_error, ours_warnings = warnings_of(
        lambda: pytest.raises(RuntimeError, getattr(MODELS[minitorch], arch), **kwargs))
    ours_out = capsys.readouterr().out
    with torch.device("meta"):   # the download is tried after the model is made
        theirs_error, theirs_warnings = warnings_of(
            lambda: pytest.raises(URLError, getattr(MODELS[torch], arch), **kwargs))
    theirs_out = capsys.readouterr().out
    assert ours_warnings == theirs_warnings
    assert len(theirs_warnings) == (2 if "pretrained" in kwargs else 0)
    assert ours_out == theirs_out == (f'Downloading: "https://download.pytorch.org/models/'
                                      f'{file}" to {torch_home / file}\n')
    assert f"put it in {torch_home} " in str(ours_error.value)
    url = f"https://download.pytorch.org/models/{file}"
    assert [asked for asked, _ in network.requests] == [url, url]   # offline: no real request
