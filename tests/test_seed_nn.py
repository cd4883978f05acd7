"""The seed's tutorials 3 and 4, run as written on torch and, with only the imports
changed, on minitorch: they must run and print what torch prints.

Tutorial 3 gets the same numbers in both engines: minitorch's random inputs are replayed
into torch (test_seed.RandomReplay) and the net's initial weights are copied into torch's
net, so printed values agree to float32 rounding (compared numerically; in the printed
text only the digits are masked). Tutorial 4 trains on a small CIFAR-10 set this test
writes in the official format; its shuffled batches differ between the engines, so there
the printed *form* must match, and torch must read the checkpoint minitorch saved and
compute the same outputs from it.
"""
import hashlib
import os
import pickle
import re

import matplotlib
import numpy as np
import torch
import torchvision

import minitorch
import minitorch.vision
from parity import to_torch, torch_name
from seed_snippets import TUTORIAL_3, TUTORIAL_4
from test_seed import RandomReplay, as_minitorch, mask, run_snippet

matplotlib.use("Agg")  # the tutorial's plt.show() draws nowhere

def printed_form(s):
    """Values masked: decimal digits (mask) and object addresses."""
    return re.sub(r"0x[0-9a-f]+", "0x?", mask(s))


# ---- tutorial 3 --------------------------------------------------------------------------

def copy_weights(ours, theirs):
    theirs.load_state_dict(to_torch(ours.state_dict()))


def test_tutorial_3(monkeypatch):
    # the net's initial weights come from minitorch's global stream: seeded here, so that
    # what earlier tests drew cannot change them (some draws put a ReLU input within
    # float32 rounding of 0, where the engines may decide differently and then diverge)
    minitorch.manual_seed(0)
    replay = RandomReplay(monkeypatch)
    ns_ours, ns_theirs = {}, {}
    for k, code in enumerate(TUTORIAL_3):
        with monkeypatch.context() as m:
            m.setattr(minitorch, "randn", replay._record(minitorch.randn))
            ours = run_snippet(as_minitorch(code), ns_ours)
        with monkeypatch.context() as m:
            m.setattr(torch, "randn", replay._replay(torch.randn))
            theirs = torch_name(run_snippet(code, ns_theirs))
        if k == 0:  # the net was just made: torch's starts from minitorch's weights
            assert ours == theirs  # print(net)
            copy_weights(ns_ours["net"], ns_theirs["net"])
        assert printed_form(ours) == printed_form(theirs), f"snippet {k}:\n{ours}\n!=\n{theirs}"
        for name in ("out", "output", "loss"):
            if name in ns_theirs:
                np.testing.assert_allclose(ns_ours[name].detach().numpy(),
                                           ns_theirs[name].detach().numpy(), rtol=1e-4,
                                           atol=1e-6, err_msg=f"{name} after snippet {k}")
        theirs_params = dict(ns_theirs["net"].named_parameters())
        for name, p in ns_ours["net"].named_parameters():
            np.testing.assert_allclose(p.detach().numpy(), theirs_params[name].detach().numpy(),
                                       rtol=1e-4, atol=1e-6, err_msg=f"{name} after {k}")
    assert not replay.values  # torch drew exactly the random tensors minitorch drew


def test_tutorial_3_printed_lines():
    """The seed's printed results, in its own words (net, parameter count and shape, the
    grad_fn walk, gradients appearing on backward)."""
    ns = {}
    outs = [run_snippet(as_minitorch(code), ns) for code in TUTORIAL_3]
    assert outs[0].startswith("Net(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))")
    assert outs[1] == "10\nminitorch.Size([6, 1, 5, 5])\n"
    assert outs[2].endswith("grad_fn=<AddmmBackward0>)\n")
    walk = [line.split(" object")[0] for line in outs[5].splitlines()]
    assert walk == ["<MseLossBackward0", "<AddmmBackward0", "<AccumulateGrad"]
    assert outs[6].startswith("conv1.bias.grad before backward\nNone\n"
                              "conv1.bias.grad after backward\ntensor([")


# ---- tutorial 4 --------------------------------------------------------------------------

CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def write_cifar10(root, rng, per_batch=8, n_test=20):
    """A small CIFAR-10 in the official python format (5 training batches, a test batch
    holding every class twice, batches.meta); returns the md5 table for both libraries."""
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder)
    md5s = {}

    def dump(name, obj):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            pickle.dump(obj, f, protocol=2)
        md5s[name] = hashlib.md5(open(path, "rb").read()).hexdigest()

    for i in range(1, 6):
        dump(f"data_batch_{i}", {"data": rng.integers(0, 256, (per_batch, 3072), np.uint8),
                                 "labels": rng.integers(0, 10, per_batch).tolist()})
    dump("test_batch", {"data": rng.integers(0, 256, (n_test, 3072), np.uint8),
                        "labels": [i % 10 for i in range(n_test)]})
    dump("batches.meta", {"label_names": ["airplane", "automobile", *CLASSES[2:]]})
    return md5s


def use_md5s(monkeypatch, cls, md5s):
    monkeypatch.setattr(cls, "train_list", [[f"data_batch_{i}", md5s[f"data_batch_{i}"]]
                                            for i in range(1, 6)])
    monkeypatch.setattr(cls, "test_list", [["test_batch", md5s["test_batch"]]])
    monkeypatch.setattr(cls, "meta", {"filename": "batches.meta", "key": "label_names",
                                      "md5": md5s["batches.meta"]})


def printed_form_4(s):
    """Shuffled batches differ: class names and numbers are masked."""
    s = re.sub(r"\b(?:" + "|".join(CLASSES) + r")\b *", "C ", s)
    return re.sub(r"\d+", "9", s)


def test_tutorial_4(tmp_path, monkeypatch):
    data = tmp_path / "data"
    md5s = write_cifar10(str(data), np.random.default_rng(0))
    use_md5s(monkeypatch, torchvision.datasets.CIFAR10, md5s)
    use_md5s(monkeypatch, minitorch.vision.datasets.CIFAR10, md5s)
    outs = {}
    for engine in ("minitorch", "torch"):
        workdir = tmp_path / engine
        workdir.mkdir()
        (workdir / "data").symlink_to(data)
        monkeypatch.chdir(workdir)
        ns = {}
        outs[engine] = [run_snippet(code if engine == "torch" else as_minitorch(code), ns)
                        for code in TUTORIAL_4]
        # `dataiter` holds a DataLoader iterator with live workers: dropped now, they stop
        # at once (left to the cycle collector, each waits out a join timeout at exit)
        del ns["dataiter"]
        if engine == "minitorch":
            ns_ours = ns
    for k, (ours, theirs) in enumerate(zip(outs["minitorch"], outs["torch"])):
        assert printed_form_4(ours) == printed_form_4(torch_name(theirs)), \
            f"snippet {k}:\n{ours}\n!=\n{theirs}"
    assert "Accuracy of the network on the 10000 test images:" in outs["minitorch"][11]
    assert outs["minitorch"][12].count("Accuracy for class:") == 10

    # the checkpoint minitorch saved is torch's format: torch's net computes the same outputs
    net = ns_theirs_net(tmp_path / "minitorch" / "cifar_net.pth")
    images = ns_ours["images"]
    np.testing.assert_allclose(net(torch.from_numpy(images.numpy())).detach().numpy(),
                               ns_ours["net"](images).detach().numpy(), rtol=1e-4, atol=1e-5)


def ns_theirs_net(path):
    """Tutorial 4's Net, made by torch running the seed's own snippets, loaded from path."""
    ns = {}
    for code in (TUTORIAL_4[0], TUTORIAL_4[3]):
        run_snippet(code, ns)
    net = ns["Net"]()
    assert repr(net.load_state_dict(torch.load(path, weights_only=True))) == \
        "<All keys matched successfully>"
    return net
