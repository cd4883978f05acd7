"""Training parity: the seed's nets, started from the same weights and fed the same
batches, follow torch's trajectory step for step.

float64 takes rounding out of the picture, so after 200 SGD steps (momentum 0.9, the
seed's optimizer) every loss must still agree to a relative 1e-9, and so must the weights.
"""
import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as mnn
from parity import to_torch
from minitorch.vision import models


def torch_twin(net):
    """The same architecture in torch (its forward is the same code: the seed's), with
    minitorch's weights copied in."""
    import torch.nn as tnn
    import torch.nn.functional as TF

    class Twin(tnn.Module):
        def __init__(self):
            super().__init__()
            for name, module in net.named_children():
                if isinstance(module, mnn.Conv2d):
                    setattr(self, name, tnn.Conv2d(module.in_channels, module.out_channels,
                                                   module.kernel_size))
                elif isinstance(module, mnn.Linear):
                    setattr(self, name, tnn.Linear(module.in_features, module.out_features))
                elif isinstance(module, mnn.MaxPool2d):
                    setattr(self, name, tnn.MaxPool2d(module.kernel_size, module.stride))

        forward = type(net).forward

    twin = Twin().double()
    twin.load_state_dict(to_torch(net.state_dict()))
    return twin, TF


@pytest.mark.parametrize("net_cls, shape", [
    (models.FashionMNISTNet, (1, 28, 28)),
    (models.LeNet, (1, 32, 32)),
    (models.CifarNet, (3, 32, 32)),
])
def test_200_sgd_steps_match_torch_in_float64(net_cls, shape, monkeypatch):
    minitorch.manual_seed(0)
    net = net_cls().double()
    twin, TF = torch_twin(net)
    # the nets' forward code calls minitorch's F and flatten; for the twin, torch's
    monkeypatch.setattr(models, "F", TF)
    monkeypatch.setattr(models, "flatten", torch.flatten)
    torch_logits = twin(torch.zeros((1,) + shape, dtype=torch.float64))
    monkeypatch.undo()
    assert isinstance(torch_logits, torch.Tensor)  # the twin really ran torch

    rng = np.random.default_rng(1)
    opt = minitorch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    topt = torch.optim.SGD(twin.parameters(), lr=0.01, momentum=0.9)
    criterion, tcriterion = mnn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    losses, tlosses = [], []
    for _ in range(200):
        x = rng.standard_normal((4,) + shape)
        y = rng.integers(0, 10, 4)
        opt.zero_grad()
        loss = criterion(net(minitorch.from_numpy(x)), minitorch.from_numpy(y))
        loss.backward()
        opt.step()
        losses.append(loss.item())
        with monkeypatch.context() as m:
            m.setattr(models, "F", TF)
            m.setattr(models, "flatten", torch.flatten)
            topt.zero_grad()
            tloss = tcriterion(twin(torch.from_numpy(x)), torch.from_numpy(y))
            tloss.backward()
            topt.step()
        tlosses.append(tloss.item())
    np.testing.assert_allclose(losses, tlosses, rtol=1e-9)
    assert losses[-1] != losses[0]  # it did train
    theirs = twin.state_dict()
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(value.numpy(), theirs[name].numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=name)


def test_the_main_job_end_to_end(tmp_path, capsys):
    """`python -m minitorch train` on a slice of the real Fashion-MNIST: the seed's printed
    lines, a checkpoint torch loads, a PNG and TensorBoard events."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from minitorch.training import main
    accuracy = main(["--limit", "400", "--epochs", "2", "--num-workers", "0",
                     "--log-every", "50", "--data", str(tmp_path / "data"),
                     "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert "[1,    50] loss: " in out and "[2,   100] loss: " in out
    assert "Finished Training" in out
    assert f"Accuracy of the network on the 400 test images: {int(accuracy)} %" in out
    assert out.count("Accuracy for class: ") == 10
    assert "Accuracy for class: Ankle Boot is " in out

    state = torch.load(tmp_path / "out" / "fashion_mnist_net.pth", weights_only=True)
    assert {k: tuple(v.shape) for k, v in state.items()} == {
        k: tuple(v.shape) for k, v in models.FashionMNISTNet().state_dict().items()}
    assert (tmp_path / "out" / "training.png").read_bytes().startswith(b"\x89PNG")
    events = EventAccumulator(str(tmp_path / "out" / "tensorboard"))
    events.Reload()
    losses = events.Scalars("training loss")
    assert [e.step for e in losses] == [50, 100, 150, 200]
    assert [f"{e.value:.3f}" for e in losses[:2]] == [
        line.split("loss: ")[1] for line in out.splitlines() if line.startswith("[1, ")]


def test_the_main_job_on_cifar10(tmp_path, capsys, monkeypatch):
    """--dataset cifar10: tutorial 4's net and classes, on a small CIFAR-10 written in the
    official format."""
    from test_seed_nn import use_md5s, write_cifar10

    import minitorch.vision
    from minitorch.training import main
    md5s = write_cifar10(str(tmp_path / "data"), np.random.default_rng(0))
    use_md5s(monkeypatch, minitorch.vision.datasets.CIFAR10, md5s)
    main(["--dataset", "cifar10", "--epochs", "1", "--num-workers", "0", "--log-every", "5",
          "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert out.startswith("CifarNet(\n  (conv1): Conv2d(3, 6, kernel_size=(5, 5)")
    assert "[1,     5] loss: " in out and "[1,    10] loss: " in out
    assert "Accuracy of the network on the 20 test images: " in out
    assert [line.split(" is ")[0] for line in out.splitlines() if "for class" in line] == [
        f"Accuracy for class: {c:5s}" for c in ("plane", "car", "bird", "cat", "deer", "dog",
                                                 "frog", "horse", "ship", "truck")]
    state = torch.load(tmp_path / "out" / "cifar10_net.pth", weights_only=True)
    assert tuple(state["conv1.weight"].shape) == (6, 3, 5, 5)
