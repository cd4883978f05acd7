"""PyTorch's beginner tutorials ("Learn the Basics", "Learning PyTorch with Examples",
"What is torch.nn really?") run cell by cell, as written on torch and, with only the
imports changed, on minitorch: each cell must print what torch prints and raise what torch
raises. tests/tutorial_harness.py says how the engines' random numbers are made to agree;
the cells listed as "form" below are those where values differ by design (a model made and
used inside one cell, shuffled batches) and only the printed form is compared. The code is
tests/tutorial_snippets.py, verbatim from pytorch/tutorials; Fashion-MNIST is Debian's,
cut to a few hundred images; vgg16's pretrained file is stood in for by one torch writes."""
import os
import warnings

import numpy as np
import pytest
import torch
import torchvision

import minitorch
import tutorial_snippets as tutorials
from parity import same_error
from tutorial_harness import check_tutorial, tutorial_env  # noqa: F401 - a fixture

# Printed numbers of trained models: float32 training in two engines drifts apart by
# rounding; a few 1e-4 after the tutorials' epochs.
TRAINED = 1e-3


def test_quickstart(tutorial_env, monkeypatch):
    check_tutorial(tutorials.QUICKSTART, tutorial_env, monkeypatch, rtol=TRAINED)


def test_tensors(tutorial_env, monkeypatch):
    ns_ours, ns_theirs, _ = check_tutorial(tutorials.TENSORS, tutorial_env, monkeypatch)
    # out= wrote into y3 and z3: the products, as y1 and z1
    for name in ("y3", "z3"):
        assert ns_ours[name].tolist() == ns_theirs[name].tolist() == ns_ours[name[0] + "1"].tolist()


def test_datasets_and_dataloaders(tutorial_env, monkeypatch):
    # cell 7: the first batch of a shuffled DataLoader (each engine its own shuffle)
    check_tutorial(tutorials.DATA, tutorial_env, monkeypatch, modes={7: "form"})


def test_transforms(tutorial_env, monkeypatch):
    """The tutorial prints nothing: its dataset's samples are compared instead."""
    ns_ours, ns_theirs, _ = check_tutorial(tutorials.TRANSFORMS, tutorial_env, monkeypatch)
    for k in (0, 1, 63):
        (image, target), (their_image, their_target) = ns_ours["ds"][k], ns_theirs["ds"][k]
        assert image.numpy().tolist() == their_image.numpy().tolist()
        assert repr(target) == repr(their_target)
    for label in range(10):
        assert repr(ns_ours["target_transform"](label)) == repr(ns_theirs["target_transform"](label))


def test_build_the_neural_network(tutorial_env, monkeypatch):
    # cell 8: layer1 was made and applied in cell 7, before its weights could be copied
    check_tutorial(tutorials.BUILD_MODEL, tutorial_env, monkeypatch, modes={8: "form"})


def test_autograd(tutorial_env, monkeypatch):
    check_tutorial(tutorials.AUTOGRAD, tutorial_env, monkeypatch)


def test_optimization(tutorial_env, monkeypatch):
    check_tutorial(tutorials.OPTIMIZATION, tutorial_env, monkeypatch, rtol=TRAINED)


VGG16_FILE = "vgg16-397923af.pth"   # VGG16_Weights.IMAGENET1K_V1's file name


@pytest.fixture
def vgg16_in_the_cache(tmp_path, monkeypatch):
    """Offline, torchvision's vgg16 file (`weights='IMAGENET1K_V1'`) is stood in for by a
    state_dict torch wrote (random init, about 528 MB) under its own name in a temporary
    $TORCH_HOME, where both engines look for it. The test's checkpoints (about 2.6 GB with
    the tutorial's) are deleted afterwards: pytest keeps the last runs' temporary folders."""
    folder = tmp_path / "torch_home" / "hub" / "checkpoints"
    folder.mkdir(parents=True)
    torch.manual_seed(0)
    torch.save(torchvision.models.vgg16().state_dict(), folder / VGG16_FILE)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setattr(minitorch.hub, "_hub_dir", None)
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    yield
    for path in tmp_path.rglob("*.pth"):
        os.remove(path)


def test_save_and_load(tutorial_env, vgg16_in_the_cache, monkeypatch):
    """Cell 4 (`torch.load('model.pth')` of a whole model, weights_only left at its default
    True) is refused by both engines, with torch's message in minitorch's words."""
    _, _, results = check_tutorial(tutorials.SAVE_LOAD, tutorial_env, monkeypatch)
    (_, ours_error), (_, theirs_error) = results[4]
    assert "GLOBAL minitorch.vision.models.vgg.VGG was not an allowed global" in str(ours_error)
    assert "GLOBAL torchvision.models.vgg.VGG was not an allowed global" in str(theirs_error)


# The nn and optim examples make their nn.Linear and train it in one script (one cell):
# each engine starts from its own weights, so their losses are compared by form.
EXAMPLE_MODES = {"nn": {0: "form"}, "optim": {0: "form"}}


@pytest.mark.parametrize("name", list(tutorials.EXAMPLES))
def test_learning_pytorch_with_examples(name, tutorial_env, monkeypatch):
    check_tutorial([tutorials.EXAMPLES[name]], tutorial_env, monkeypatch,
                   modes=EXAMPLE_MODES.get(name), rtol=TRAINED)


# Cells whose model is made inside the cell (get_model(), a new Sequential) and trained or
# evaluated there, or that train on shuffled batches.
NN_REALLY_FORM = (21, 24, 27, 29, 31, 35, 37, 39, 47)


def test_what_is_torch_nn_really(tutorial_env, monkeypatch):
    check_tutorial(tutorials.NN_REALLY, tutorial_env, monkeypatch,
                   modes={k: "form" for k in NN_REALLY_FORM}, rtol=TRAINED)


# ---- NumPy's side of a tensor (the tutorials' plt.imshow(img), np.asarray(t)) ---------------

def test_numpy_2_gets_a_tensors_array_as_from_torch():
    """np.asarray(t) shares the tensor's memory, as torch's (strided views too); a copy is
    made where NumPy asks for one (np.array, copy=True) or a dtype needs converting.
    NumPy 2's copy=False: torch 2.14's __array__ takes no copy keyword, so NumPy warns
    ("__array__ implementation doesn't accept a copy keyword") and refuses even where
    nothing needs copying; minitorch's takes it: it shares where torch's np.asarray shares,
    and refuses with NumPy's own ValueError where a conversion is needed. No warning from
    minitorch, plt.imshow(tensor) included."""
    import matplotlib.pyplot as plt

    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    for make in (lambda lib: lib.from_numpy(base.copy()),
                 lambda lib: lib.from_numpy(base.copy()).t(),
                 lambda lib: lib.from_numpy(base.copy())[::2, 1:]):
        ours, theirs = make(minitorch), make(torch)
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # minitorch: no DeprecationWarning
            results = {kwargs: np.asarray(ours, **dict(kwargs)) for kwargs in (
                (), (("copy", True),), (("dtype", np.float64),), (("dtype", np.float32),),
                (("copy", False),), (("dtype", np.float32), ("copy", False)))}
            copied = np.array(ours)
            plt.imshow(ours)
            plt.close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's: NumPy's DeprecationWarning
            expected = {kwargs: np.asarray(theirs, **dict(kwargs)) for kwargs in (
                (), (("copy", True),), (("dtype", np.float64),), (("dtype", np.float32),))}
            expected_copied = np.array(theirs)
        for kwargs, theirs_array in expected.items():
            ours_array = results[kwargs]
            assert ours_array.dtype == theirs_array.dtype and \
                ours_array.tolist() == theirs_array.tolist(), kwargs
            assert (np.shares_memory(ours_array, ours.numpy())
                    == np.shares_memory(theirs_array, theirs.numpy())), kwargs
        assert not np.shares_memory(copied, ours.numpy())
        assert not np.shares_memory(expected_copied, theirs.numpy())
        assert copied.tolist() == expected_copied.tolist()
        for kwargs in ((("copy", False),), (("dtype", np.float32), ("copy", False))):
            assert np.shares_memory(results[kwargs], ours.numpy())   # as torch's np.asarray
            assert results[kwargs].tolist() == expected[()].tolist()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same_error(lambda lib: np.asarray(make(lib), dtype=np.float64, copy=False))
