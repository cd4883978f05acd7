"""The main job, `python -m minitorch train`, end to end. (Its steps against torch's, step
by step: tests/test_reference.py, the lockstep.)"""
import numpy as np
import pytest
import torch

from minitorch.vision import models


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


def test_the_main_jobs_counts_are_checked(capsys):
    """Counts that make no sense stop at the command line, naming the flag."""
    from minitorch.training import parser
    for flag, value, minimum in [("--log-every", "0", 1), ("--limit", "-3", 1),
                                 ("--epochs", "0", 1), ("--num-workers", "-1", 0),
                                 ("--batch-size", "four", 1)]:
        with pytest.raises(SystemExit) as stopped:
            parser().parse_args([flag, value])
        assert stopped.value.code == 2
        assert (f"error: argument {flag}: expected a whole number >= {minimum}, "
                f"got '{value}'") in capsys.readouterr().err


def test_the_main_jobs_rates_are_checked(capsys):
    """A learning rate or momentum that is negative or not finite stops at the command
    line (a nan would only show once the run is over)."""
    from minitorch.training import parser
    for flag, value in [("--lr", "-1"), ("--lr", "nan"), ("--momentum", "-1"),
                        ("--momentum", "inf"), ("--lr", "fast")]:
        with pytest.raises(SystemExit) as stopped:
            parser().parse_args([flag, value])
        assert stopped.value.code == 2
        assert (f"error: argument {flag}: expected a finite number >= 0, "
                f"got '{value}'") in capsys.readouterr().err
    assert parser().parse_args(["--lr", "0.01", "--momentum", "0"]).lr == 0.01
